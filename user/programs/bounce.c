/*
 * bounce: a filled box bouncing around the screen, drawn through a shared
 * view of the visible frame.
 *
 * Each frame erases the old box with the background colour and draws the
 * box at its new place. Every frame also asks whether the view is still
 * live: a mode change revokes it, and then bounce unshares the dead view,
 * shares the new frame, clears it and carries on in the new geometry.
 *
 * usage: bounce [frames] [delay_ms]
 * frames 0 (the default) runs until the process is killed; delay_ms
 * (default 20) is the pause between frames.
 */
#include <vidport.h>
#include <vpdraw.h>
#include <vputil.h>

#define BACKGROUND 0x000060u
#define BOX_COLOUR 0xFFC020u

struct box {
    int32_t x, y, dx, dy, size;
};

/* Size the box for the screen and keep it (and its direction) inside. */
static void fit_box(struct box *b, const struct screen *s)
{
    int32_t w = (int32_t)s->mode.VisScreenWidth, h = (int32_t)s->mode.VisScreenHeight;
    b->size = (w < h ? w : h) / 8;
    if (b->size < 1)
        b->size = 1;
    if (b->x > w - b->size)
        b->x = w - b->size;
    if (b->y > h - b->size)
        b->y = h - b->size;
    b->dx = (b->dx < 0 ? -1 : 1) * (1 + w / 256);
    b->dy = (b->dy < 0 ? -1 : 1) * (1 + h / 256);
}

/* One coordinate's step: reverse at either edge of [0, limit]. */
static void step_axis(int32_t *pos, int32_t *velocity, int32_t limit)
{
    int32_t next = *pos + *velocity;
    if (next < 0 || next > limit) {
        *velocity = -*velocity;
        next = *pos + *velocity;
    }
    *pos = next < 0 ? 0 : next > limit ? limit : next;
}

static void move_box(struct box *b, const struct screen *s)
{
    step_axis(&b->x, &b->dx, (int32_t)s->mode.VisScreenWidth - b->size);
    step_axis(&b->y, &b->dy, (int32_t)s->mode.VisScreenHeight - b->size);
}

static void draw_box(const struct screen *s, const struct box *b, uint32_t rgb)
{
    screen_fill(s, (uint32_t)b->x, (uint32_t)b->y, (uint32_t)b->size, (uint32_t)b->size,
                screen_pack(s, rgb));
}

/* Clear the new view, fit the box to it and say where we run. */
static void start_view(struct screen *s, struct box *b)
{
    screen_fill(s, 0, 0, s->mode.VisScreenWidth, s->mode.VisScreenHeight,
                screen_pack(s, BACKGROUND));
    fit_box(b, s);
    printf("bounce: running on %ux%ux%u\n", s->mode.VisScreenWidth, s->mode.VisScreenHeight,
           s->mode.BitsPerPlane);
}

/* After a revocation: give the dead view back, share the new frame.
 * Returns false (the error printed) if either fails. */
static bool share_again(struct screen *s, struct box *b)
{
    printf("bounce: view lost, sharing again\n");
    if (screen_close(s, "bounce") != NO_ERROR || screen_share(s, "bounce") != NO_ERROR)
        return false;
    start_view(s, b);
    return true;
}

/* Run `frames` frames (0: forever); false on a failure (already printed). */
static bool animate(struct screen *s, uint32_t frames, uint32_t delay_ms)
{
    struct box b = { .x = 0, .y = 0, .dx = 1, .dy = 1 };
    start_view(s, &b);
    for (uint32_t frame = 0; frames == 0 || frame < frames; frame++) {
        if (!screen_view_live(s) && !share_again(s, &b))
            return false;
        draw_box(s, &b, BACKGROUND);
        move_box(&b, s);
        draw_box(s, &b, BOX_COLOUR);
        sleep_ms(delay_ms);
    }
    return true;
}

int main(int argc, char **argv)
{
    uint32_t frames = 0, delay_ms = 20;
    if (argc > 3 || (argc > 1 && !parse_uint(argv[1], &frames)) ||
        (argc > 2 && !parse_uint(argv[2], &delay_ms))) {
        printf("usage: bounce [frames] [delay_ms]\n");
        return 2;
    }
    struct screen s;
    if (screen_open(&s, "bounce") != NO_ERROR)
        return 1;
    if (!animate(&s, frames, delay_ms))
        return 1;
    if (screen_close(&s, "bounce") != NO_ERROR)
        return 1;
    printf("bounce: done\n");
    return 0;
}
