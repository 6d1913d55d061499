/*
 * gradient: fill the whole screen through a shared view, then unshare.
 *
 * The picture is a deterministic formula, so tests can predict every pixel:
 * on a W x H screen, pixel (x, y) shows the colour
 *     red   = x * 255 / (W - 1)
 *     green = y * 255 / (H - 1)
 *     blue  = (x XOR y) AND 255
 * (integer division), stored with screen_pack: each channel keeps as many
 * of its top bits as the mode has.
 *
 * usage: gradient [hold_ms | wait]
 * The picture stays for hold_ms (default 2000), or with "wait" until a line
 * is typed, before the view is given back: the screen console redraws the
 * screen once no view is live.
 */
#include <vidport.h>

static uint32_t gradient_rgb(uint32_t x, uint32_t y, uint32_t w, uint32_t h)
{
    uint32_t r = w > 1 ? x * 255 / (w - 1) : 0;
    uint32_t g = h > 1 ? y * 255 / (h - 1) : 0;
    uint32_t b = (x ^ y) & 255;
    return r << 16 | g << 8 | b;
}

/* Keep the view for `how` milliseconds (default 2000), or until a line
 * arrives when `how` is "wait". */
static void hold_picture(const char *how)
{
    char line[16];
    if (how && strcmp(how, "wait") == 0)
        console_read(line, sizeof(line));
    else
        sleep_ms(how ? (uint32_t)atoi(how) : 2000);
}

int main(int argc, char **argv)
{
    struct screen s;
    if (screen_open(&s, "gradient") != NO_ERROR)
        return 1;
    uint32_t w = s.mode.VisScreenWidth, h = s.mode.VisScreenHeight;
    for (uint32_t y = 0; y < h; y++) {
        for (uint32_t x = 0; x < w; x++)
            screen_put(&s, x, y, screen_pack(&s, gradient_rgb(x, y, w, h)));
    }
    printf("gradient: drew %ux%ux%u\n", w, h, s.mode.BitsPerPlane);
    hold_picture(argc > 1 ? argv[1] : NULL);
    return screen_close(&s, "gradient") == NO_ERROR ? 0 : 1;
}
