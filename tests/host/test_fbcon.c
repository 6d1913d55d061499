/*
 * The frame buffer console on RAM surfaces of every supported depth:
 * pixel packing, exact glyph cells, wrapping, control characters, scrolling.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/fbcon.h"

#define FG 0xF0C080
#define BG 0x204060

struct layout {
    uint32_t bpp;
    struct fb_channel r, g, b;
};

static const struct layout rgb32 = { 32, { 16, 8 }, { 8, 8 }, { 0, 8 } };
static const struct layout bgr24 = { 24, { 0, 8 }, { 8, 8 }, { 16, 8 } };
static const struct layout rgb565 = { 16, { 11, 5 }, { 5, 6 }, { 0, 5 } };
static const struct layout rgb555 = { 15, { 10, 5 }, { 5, 5 }, { 0, 5 } };

/* A RAM surface of cols x rows cells with some slack at the end of each line. */
static struct fb_surface make_surface(const struct layout *l, uint32_t cols, uint32_t rows)
{
    struct fb_surface s = { .width = cols * console_font.width,
                            .height = rows * console_font.height,
                            .bpp = l->bpp, .red = l->r, .green = l->g, .blue = l->b };
    s.pitch = s.width * ((l->bpp + 7) / 8) + 12;
    s.base = calloc(s.height, s.pitch);
    return s;
}

/* The colour each pixel of a cell should show, after a round trip through the depth. */
static uint32_t shown(const struct fb_surface *s, uint32_t rgb)
{
    return fb_unpack_rgb(s, fb_pack_rgb(s, rgb));
}

static int cell_mismatches(const struct fbcon *con, uint32_t col, uint32_t row, char c)
{
    const struct font *f = con->font;
    const uint8_t *glyph = font_glyph(f, (unsigned char)c);
    int bad = 0;
    for (uint32_t y = 0; y < f->height; y++) {
        for (uint32_t x = 0; x < f->width; x++) {
            int on = glyph[y * f->row_bytes + x / 8] & (0x80 >> (x % 8));
            uint32_t px = fb_get_pixel(&con->fb, col * f->width + x, row * f->height + y);
            bad += fb_unpack_rgb(&con->fb, px) != shown(&con->fb, on ? FG : BG);
        }
    }
    return bad;
}

static void packs_colours_per_layout(void **state)
{
    (void)state;
    struct fb_surface s32 = make_surface(&rgb32, 1, 1);
    struct fb_surface s565 = make_surface(&rgb565, 1, 1);
    struct fb_surface s555 = make_surface(&rgb555, 1, 1);
    struct fb_surface s24 = make_surface(&bgr24, 1, 1);
    assert_int_equal(fb_pack_rgb(&s32, 0x123456), 0x123456);
    assert_int_equal(fb_pack_rgb(&s565, 0xFFFFFF), 0xFFFF);
    assert_int_equal(fb_pack_rgb(&s565, 0xFF0000), 0xF800);
    assert_int_equal(fb_pack_rgb(&s555, 0x00FF00), 0x03E0);
    assert_int_equal(fb_pack_rgb(&s24, 0x123456), 0x563412);
    /* Widening replicates the top bits, as display hardware does. */
    assert_int_equal(fb_unpack_rgb(&s565, 0xFFFF), 0xFFFFFF);
    assert_int_equal(fb_unpack_rgb(&s555, fb_pack_rgb(&s555, 0x808080)), 0x848484);
    free(s32.base);
    free(s565.base);
    free(s555.base);
    free(s24.base);
}

static void draws_exact_cells_at_every_depth(void **state)
{
    (void)state;
    const struct layout *layouts[] = { &rgb32, &bgr24, &rgb565, &rgb555 };
    for (size_t i = 0; i < 4; i++) {
        struct fb_surface s = make_surface(layouts[i], 6, 2);
        struct fbcon con;
        assert_true(fbcon_init(&con, &s, &console_font));
        fbcon_set_colors(&con, FG, BG);
        fbcon_write(&con, "Az{~ ", 5);
        assert_int_equal(cell_mismatches(&con, 0, 0, 'A'), 0);
        assert_int_equal(cell_mismatches(&con, 3, 0, '~'), 0);
        assert_int_equal(cell_mismatches(&con, 4, 0, ' '), 0);
        assert_true(cell_mismatches(&con, 1, 0, 'A') > 0);
        free(s.base);
    }
}

static void wraps_and_handles_controls(void **state)
{
    (void)state;
    struct fb_surface s = make_surface(&rgb32, 10, 3);
    struct fbcon con;
    assert_true(fbcon_init(&con, &s, &console_font));
    fbcon_set_colors(&con, FG, BG);
    fbcon_write(&con, "0123456789AB", 12); /* wraps after 10 */
    assert_int_equal(con.row, 1);
    assert_int_equal(con.col, 2);
    assert_int_equal(cell_mismatches(&con, 1, 1, 'B'), 0);
    fbcon_write(&con, "\rX\tY\bZ", 6);
    assert_int_equal(cell_mismatches(&con, 0, 1, 'X'), 0);
    assert_int_equal(cell_mismatches(&con, 8, 1, 'Z'), 0); /* tab to 8, Y erased by Z */
    assert_int_equal(con.col, 9);
    free(s.base);
}

static void scrolls_keeping_text(void **state)
{
    (void)state;
    struct fb_surface s = make_surface(&rgb32, 4, 2);
    struct fbcon con;
    assert_true(fbcon_init(&con, &s, &console_font));
    fbcon_set_colors(&con, FG, BG);
    fbcon_write(&con, "a\nb\nc\nd", 7);
    assert_int_equal(con.row, 1);
    assert_int_equal(cell_mismatches(&con, 0, 0, 'c'), 0);
    assert_int_equal(cell_mismatches(&con, 0, 1, 'd'), 0);
    assert_int_equal(cell_mismatches(&con, 1, 1, ' '), 0);
    free(s.base);
}

static void refuses_unusable_surfaces(void **state)
{
    (void)state;
    struct layout odd = rgb32;
    odd.bpp = 12;
    struct fb_surface bad_depth = make_surface(&odd, 2, 2);
    struct fb_surface tiny = make_surface(&rgb32, 1, 1);
    tiny.height = console_font.height - 1;
    struct fbcon con;
    assert_false(fbcon_init(&con, &bad_depth, &console_font));
    fbcon_write(&con, "ignored", 7); /* must not touch memory */
    assert_false(fbcon_init(&con, &tiny, &console_font));
    free(bad_depth.base);
    free(tiny.base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(packs_colours_per_layout),
        cmocka_unit_test(draws_exact_cells_at_every_depth),
        cmocka_unit_test(wraps_and_handles_controls),
        cmocka_unit_test(scrolls_keeping_text),
        cmocka_unit_test(refuses_unusable_surfaces),
    };
    return cmocka_run_group_tests_name("fbcon", tests, NULL, NULL);
}
