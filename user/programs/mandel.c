/*
 * mandel: the Mandelbrot set over the whole screen, through a shared view.
 *
 * All arithmetic is fixed point in integers (user mode may not touch the
 * FPU): numbers are Q24, 1.0 == 1 << 24. The region shown is centred on
 * (-0.75, 0) and scaled so that [-2.5, 1] x [-1.25, 1.25] fits the screen
 * whatever its aspect. Points that escape |z| > 2 within MAX_ITER steps are
 * coloured by their iteration count (through screen_pack); the rest black.
 *
 * usage: mandel [hold_ms | wait]
 * The picture stays for hold_ms (default 2000) before the view is given
 * back, since the screen console redraws the screen once no view is live.
 */
#include <vidport.h>
#include <vpdraw.h>

#define FRAC_BITS 24
#define ONE (1 << FRAC_BITS)
#define MAX_ITER 64
#define CENTRE_X (-(3 * ONE) / 4)   /* -0.75 */
#define SPAN_X (7 * (ONE / 2))      /* 3.5 */
#define SPAN_Y (5 * (ONE / 2))      /* 2.5 */
#define ESCAPE (4 * ONE)            /* |z|^2 > 4 */

/* a * b for Q24 numbers with |a|, |b| < 8: a 32 x 32 -> 64-bit multiply
 * (no 64-bit division), shifted back to Q24. */
static int32_t fmul(int32_t a, int32_t b)
{
    return (int32_t)(((int64_t)a * b) >> FRAC_BITS);
}

/* Steps until z = z^2 + c leaves |z| <= 2, or MAX_ITER if it never does.
 * A c outside the square |cx|, |cy| <= 2 leaves at step 1 (z1 = c); inside
 * it, z^2 + c stays below 6 in each part while |z| <= 2, so the squares
 * (below 36) and their sum fit a Q24 int32. */
static uint32_t escape_time(int32_t cx, int32_t cy)
{
    if (cx > 2 * ONE || cx < -2 * ONE || cy > 2 * ONE || cy < -2 * ONE)
        return 1;
    int32_t x = 0, y = 0;
    for (uint32_t i = 0; i < MAX_ITER; i++) {
        int32_t xx = fmul(x, x), yy = fmul(y, y);
        if (xx + yy > ESCAPE)
            return i;
        y = 2 * fmul(x, y) + cy;
        x = xx - yy + cx;
    }
    return MAX_ITER;
}

/* 0xRRGGBB for an iteration count: black inside the set, otherwise a ramp
 * from deep blue through magenta and orange to pale yellow. */
static uint32_t iteration_rgb(uint32_t i)
{
    if (i >= MAX_ITER)
        return 0;
    uint32_t t = i * 255 / (MAX_ITER - 1);
    uint32_t r = t < 128 ? t * 2 : 255;
    uint32_t g = t < 128 ? t / 4 : 32 + (t - 128) * 7 / 4;
    uint32_t b = t < 128 ? 96 + t : 223 - (t - 128);
    return r << 16 | g << 8 | b;
}

/* Q24 distance between neighbouring pixels: the larger of the two axes'
 * needs, so the whole region fits. */
static int32_t pixel_step(uint32_t w, uint32_t h)
{
    int32_t sx = SPAN_X / (int32_t)w, sy = SPAN_Y / (int32_t)h;
    return sx > sy ? sx : sy;
}

static void draw(const struct screen *s)
{
    static uint32_t palette[MAX_ITER + 1];
    for (uint32_t i = 0; i <= MAX_ITER; i++)
        palette[i] = screen_pack(s, iteration_rgb(i));
    uint32_t w = s->mode.VisScreenWidth, h = s->mode.VisScreenHeight;
    int32_t step = pixel_step(w, h);
    for (uint32_t y = 0; y < h; y++) {
        int32_t cy = ((int32_t)y - (int32_t)h / 2) * step;
        for (uint32_t x = 0; x < w; x++) {
            int32_t cx = CENTRE_X + ((int32_t)x - (int32_t)w / 2) * step;
            screen_put(s, x, y, palette[escape_time(cx, cy)]);
        }
    }
}

int main(int argc, char **argv)
{
    const char *hold = argc > 1 ? argv[1] : NULL;
    if (argc > 2 || !screen_hold_valid(hold)) {
        printf("usage: mandel [hold_ms | wait]\n");
        return 2;
    }
    struct screen s;
    if (screen_open(&s, "mandel") != NO_ERROR)
        return 1;
    draw(&s);
    printf("mandel: drew %ux%ux%u\n", s.mode.VisScreenWidth, s.mode.VisScreenHeight,
           s.mode.BitsPerPlane);
    screen_hold(hold);
    return screen_close(&s, "mandel") == NO_ERROR ? 0 : 1;
}
