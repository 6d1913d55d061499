/*
 * gradient: fill the whole screen through a shared view, then unshare.
 * The picture is screen_gradient_rgb's formula (see <vpdraw.h>), so tests
 * can predict every pixel.
 *
 * usage: gradient [hold_ms | wait]
 *        gradient follow [hold_ms]
 * The picture stays for hold_ms (default 2000), or with "wait" until a line
 * is typed, before the view is given back: the screen console redraws the
 * screen once no view is live. With "follow" it draws, then watches its
 * view: when a mode change revokes it, it shares the new frame, draws
 * again in the new mode and holds that picture.
 */
#include <vidport.h>
#include <vpdraw.h>

static void draw(const struct screen *s)
{
    uint32_t w = s->mode.VisScreenWidth, h = s->mode.VisScreenHeight;
    for (uint32_t y = 0; y < h; y++) {
        for (uint32_t x = 0; x < w; x++)
            screen_put(s, x, y, screen_pack(s, screen_gradient_rgb(x, y, w, h)));
    }
    printf("gradient: drew %ux%ux%u\n", w, h, s->mode.BitsPerPlane);
}

/* Wait for a mode change to revoke the view, then draw in the new mode. */
static int follow(struct screen *s, const char *hold)
{
    while (screen_view_live(s))
        sleep_ms(10);
    printf("gradient: view lost, sharing again\n");
    if (screen_close(s, "gradient") != NO_ERROR || screen_share(s, "gradient") != NO_ERROR)
        return 1;
    draw(s);
    screen_hold(hold);
    return screen_close(s, "gradient") == NO_ERROR ? 0 : 1;
}

int main(int argc, char **argv)
{
    struct screen s;
    bool following = argc > 1 && strcmp(argv[1], "follow") == 0;
    const char *hold = argc > 1 + following ? argv[1 + following] : NULL;
    if (argc > 2 + following || !screen_hold_valid(hold)) {
        printf("usage: gradient [hold_ms | wait] | gradient follow [hold_ms]\n");
        return 2;
    }
    if (screen_open(&s, "gradient") != NO_ERROR)
        return 1;
    draw(&s);
    if (following)
        return follow(&s, hold);
    screen_hold(hold);
    return screen_close(&s, "gradient") == NO_ERROR ? 0 : 1;
}
