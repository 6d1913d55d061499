/*
 * gradient: fill the whole screen through a shared view, then unshare.
 * The picture is screen_gradient_rgb's formula (see <vidport.h>), so tests
 * can predict every pixel.
 *
 * usage: gradient [hold_ms | wait]
 * The picture stays for hold_ms (default 2000), or with "wait" until a line
 * is typed, before the view is given back: the screen console redraws the
 * screen once no view is live.
 */
#include <vidport.h>

int main(int argc, char **argv)
{
    struct screen s;
    const char *hold = argc > 1 ? argv[1] : NULL;
    if (argc > 2 || !screen_hold_valid(hold)) {
        printf("usage: gradient [hold_ms | wait]\n");
        return 2;
    }
    if (screen_open(&s, "gradient") != NO_ERROR)
        return 1;
    uint32_t w = s.mode.VisScreenWidth, h = s.mode.VisScreenHeight;
    for (uint32_t y = 0; y < h; y++) {
        for (uint32_t x = 0; x < w; x++)
            screen_put(&s, x, y, screen_pack(&s, screen_gradient_rgb(x, y, w, h)));
    }
    printf("gradient: drew %ux%ux%u\n", w, h, s.mode.BitsPerPlane);
    screen_hold(hold);
    return screen_close(&s, "gradient") == NO_ERROR ? 0 : 1;
}
