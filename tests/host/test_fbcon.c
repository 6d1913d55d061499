/*
 * The frame buffer console on RAM surfaces of every supported depth:
 * pixel packing, exact glyph cells, wrapping, control characters, scrolling,
 * the text shadow: drawing off and on, redrawing, changing surface, and a
 * banked surface painted exactly like a linear one.
 */
#include <setjmp.h>
#include <stdbool.h>
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

/* A tab stops at the row's end: on a console narrower than one tab stop
 * it once went round and round with interrupts off. */
static void tab_on_a_narrow_console_ends(void **state)
{
    (void)state;
    struct fb_surface s = make_surface(&rgb32, 5, 2);
    struct fbcon con;
    assert_true(fbcon_init(&con, &s, &console_font));
    fbcon_write(&con, "ab\t", 3);
    assert_int_equal(con.row, 0);
    assert_int_equal(con.col, 5);
    fbcon_write(&con, "\tc", 2); /* wraps, to the next row's end; c wraps and scrolls */
    assert_int_equal(con.row, 1);
    assert_int_equal(con.col, 1);
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

/* Two consoles' worth of text; too big for the stack. */
static struct fbcon_shadow shadows[2];

/* Start a console on s in the test colours; shadow may be NULL. */
static void start(struct fbcon *con, const struct fb_surface *s, struct fbcon_shadow *shadow)
{
    assert_true(fbcon_init_shadowed(con, s, &console_font, shadow));
    fbcon_set_colors(con, FG, BG);
}

static void put(struct fbcon *con, const char *text)
{
    fbcon_write(con, text, strlen(text));
}

/* A copy of every byte of the surface, line slack included. */
static uint8_t *snapshot(const struct fb_surface *s)
{
    uint8_t *copy = malloc((size_t)s->height * s->pitch);
    memcpy(copy, s->base, (size_t)s->height * s->pitch);
    return copy;
}

/* Whether two surfaces of one geometry show the same pixels (line slack ignored). */
static bool same_pixels(const struct fb_surface *a, const struct fb_surface *b)
{
    if (a->width != b->width || a->height != b->height || a->bpp != b->bpp)
        return false;
    size_t line = (size_t)a->width * ((a->bpp + 7) / 8);
    for (uint32_t y = 0; y < a->height; y++) {
        if (memcmp(a->base + (size_t)y * a->pitch, b->base + (size_t)y * b->pitch, line))
            return false;
    }
    return true;
}

/* Text with every control character, a colour change, wrapping and two scrolls. */
static void feed_busy_text(struct fbcon *con)
{
    put(con, "one\ttwo\nthree 0123456789abc\n");
    fbcon_set_colors(con, 0x11EE22, 0x000080);
    put(con, "four\nfive\b\bX\r>");
}

static void drawing_off_touches_nothing_and_on_catches_up(void **state)
{
    (void)state;
    const struct layout *layouts[] = { &rgb32, &bgr24, &rgb565, &rgb555 };
    for (size_t i = 0; i < 4; i++) {
        struct fb_surface s = make_surface(layouts[i], 10, 4);
        struct fb_surface ref_s = make_surface(layouts[i], 10, 4);
        struct fbcon con, ref;
        start(&con, &s, &shadows[0]);
        start(&ref, &ref_s, NULL);
        put(&con, "boot\n");
        put(&ref, "boot\n");
        uint8_t *before = snapshot(&s);
        fbcon_set_drawing(&con, false);
        feed_busy_text(&con);
        feed_busy_text(&ref);
        fbcon_redraw(&con); /* still off: must not draw either */
        assert_memory_equal(s.base, before, (size_t)s.height * s.pitch);
        assert_false(same_pixels(&s, &ref_s));
        fbcon_set_drawing(&con, true);
        assert_true(same_pixels(&s, &ref_s));
        assert_int_equal(con.row, ref.row);
        assert_int_equal(con.col, ref.col);
        put(&con, "after\n");
        put(&ref, "after\n");
        assert_true(same_pixels(&s, &ref_s));
        free(before);
        free(s.base);
        free(ref_s.base);
    }
}

static void redraw_repaints_every_pixel(void **state)
{
    (void)state;
    struct fb_surface s = make_surface(&rgb565, 10, 4);
    struct fb_surface ref_s = make_surface(&rgb565, 10, 4);
    struct fbcon con, ref;
    start(&con, &s, &shadows[0]);
    start(&ref, &ref_s, NULL);
    feed_busy_text(&con);
    feed_busy_text(&ref);
    memset(s.base, 0x5A, (size_t)s.height * s.pitch); /* someone else drew */
    assert_false(same_pixels(&s, &ref_s));
    fbcon_redraw(&con);
    assert_true(same_pixels(&s, &ref_s));
    free(s.base);
    free(ref_s.base);
}

/* Pixels of cell (col, row) that do not show colour rgb. */
static int cell_colour_mismatches(const struct fbcon *con, uint32_t col, uint32_t row, uint32_t rgb)
{
    const struct font *f = con->font;
    int bad = 0;
    for (uint32_t y = 0; y < f->height; y++) {
        for (uint32_t x = 0; x < f->width; x++) {
            uint32_t px = fb_get_pixel(&con->fb, col * f->width + x, row * f->height + y);
            bad += fb_unpack_rgb(&con->fb, px) != shown(&con->fb, rgb);
        }
    }
    return bad;
}

static void redraw_keeps_each_blank_cells_background(void **state)
{
    (void)state;
    struct fb_surface s = make_surface(&rgb32, 6, 1);
    struct fbcon con;
    start(&con, &s, &shadows[0]); /* every cell blank in the default black */
    put(&con, "  ");
    fbcon_set_colors(&con, FG, 0x00FF00);
    put(&con, "  ");
    memset(s.base, 0x5A, (size_t)s.height * s.pitch);
    fbcon_redraw(&con);
    const uint32_t backgrounds[6] = { BG, BG, 0x00FF00, 0x00FF00, 0x000000, 0x000000 };
    for (uint32_t col = 0; col < 6; col++)
        assert_int_equal(cell_colour_mismatches(&con, col, 0, backgrounds[col]), 0);
    free(s.base);
}

static void smaller_surface_keeps_the_cursor_rows(void **state)
{
    (void)state;
    struct fb_surface big = make_surface(&rgb32, 12, 5);
    struct fb_surface small = make_surface(&rgb32, 6, 3);
    struct fb_surface ref_s = make_surface(&rgb32, 6, 3);
    struct fbcon con, ref;
    start(&con, &big, &shadows[0]);
    start(&ref, &ref_s, NULL);
    put(&con, "alpha\nbravo\ncharlie\ndelta\necho\nfoxtrot golf"); /* scrolls once */
    assert_true(fbcon_set_surface(&con, &small));
    put(&ref, "delta\necho\nfoxtro"); /* the last rows, cut at 6 columns */
    assert_int_equal(con.cols, 6);
    assert_int_equal(con.rows, 3);
    assert_int_equal(con.row, 2);
    assert_int_equal(con.col, 6);
    assert_true(same_pixels(&small, &ref_s));
    put(&con, "!\nZ");
    put(&ref, "!\nZ");
    assert_true(same_pixels(&small, &ref_s));
    free(big.base);
    free(small.base);
    free(ref_s.base);
}

/* Mismatching pixels of cells [col, col + strlen(text)) of row against text. */
static int text_mismatches(const struct fbcon *con, uint32_t col, uint32_t row, const char *text)
{
    int bad = 0;
    for (size_t i = 0; text[i]; i++)
        bad += cell_mismatches(con, col + (uint32_t)i, row, text[i]);
    return bad;
}

static void larger_surface_keeps_text_and_blanks_the_rest(void **state)
{
    (void)state;
    struct fb_surface wide = make_surface(&rgb32, 12, 5);
    struct fb_surface narrow = make_surface(&rgb32, 6, 3);
    struct fb_surface large = make_surface(&rgb32, 14, 6);
    struct fbcon con;
    start(&con, &wide, &shadows[0]);
    put(&con, "abcdefghijkl\nmn");
    assert_true(fbcon_set_surface(&con, &narrow));
    assert_int_equal(text_mismatches(&con, 0, 0, "abcdef"), 0);
    assert_true(fbcon_set_surface(&con, &large));
    assert_int_equal(con.cols, 14);
    assert_int_equal(con.rows, 6);
    assert_int_equal(text_mismatches(&con, 0, 0, "abcdef        "), 0); /* "ghijkl" is gone */
    assert_int_equal(text_mismatches(&con, 0, 1, "mn"), 0);
    assert_int_equal(text_mismatches(&con, 0, 5, "              "), 0);
    put(&con, "op");
    assert_int_equal(text_mismatches(&con, 0, 1, "mnop"), 0);
    assert_true(text_mismatches(&con, 0, 1, "mnoq") > 0);
    free(wide.base);
    free(narrow.base);
    free(large.base);
}

/* Text in two colour pairs, so each cell's own colours must survive. */
static void feed_two_colours(struct fbcon *con)
{
    put(con, "red\n");
    fbcon_set_colors(con, 0x30FF30, 0x400000);
    put(con, "green");
}

static void other_depth_keeps_text_and_colours(void **state)
{
    (void)state;
    struct fb_surface s32 = make_surface(&rgb32, 8, 3);
    struct fb_surface s16 = make_surface(&rgb565, 8, 3);
    struct fb_surface ref16 = make_surface(&rgb565, 8, 3);
    struct fb_surface s32_again = make_surface(&rgb32, 8, 3);
    struct fbcon con, ref;
    start(&con, &s32, &shadows[0]);
    start(&ref, &ref16, NULL);
    feed_two_colours(&con);
    feed_two_colours(&ref);
    assert_true(fbcon_set_surface(&con, &s16));
    assert_true(same_pixels(&s16, &ref16));
    assert_int_equal(con.fg, ref.fg);
    put(&con, "!");
    put(&ref, "!");
    assert_true(same_pixels(&s16, &ref16));
    /* Back to 32 bits: full colours again, as the shadow holds 0xRRGGBB, not pixels. */
    assert_true(fbcon_set_surface(&con, &s32_again));
    put(&con, "\b?");
    memset(s32.base, 0, (size_t)s32.height * s32.pitch);
    start(&ref, &s32, NULL);
    feed_two_colours(&ref);
    put(&ref, "?");
    assert_true(same_pixels(&s32_again, &s32));
    free(s32.base);
    free(s16.base);
    free(ref16.base);
    free(s32_again.base);
}

static void bigger_than_the_grid_uses_the_top_left(void **state)
{
    (void)state;
    struct fb_surface small = make_surface(&rgb32, 4, 2);
    struct fb_surface huge = make_surface(&rgb565, FBCON_MAX_COLS + 3, FBCON_MAX_ROWS + 2);
    huge.width += 5; /* a strip narrower than a cell, too */
    memset(huge.base, 0xA5, (size_t)huge.height * huge.pitch); /* an old picture */
    struct fbcon con;
    start(&con, &small, &shadows[0]);
    put(&con, "hi");
    assert_true(fbcon_set_surface(&con, &huge));
    assert_int_equal(con.cols, FBCON_MAX_COLS);
    assert_int_equal(con.rows, FBCON_MAX_ROWS);
    assert_int_equal(text_mismatches(&con, 0, 0, "hi"), 0);
    assert_int_equal(cell_mismatches(&con, FBCON_MAX_COLS - 1, FBCON_MAX_ROWS - 1, ' '), 0);
    uint32_t grid_w = FBCON_MAX_COLS * console_font.width;
    uint32_t grid_h = FBCON_MAX_ROWS * console_font.height;
    const uint32_t outside[][2] = { { grid_w, 0 }, { huge.width - 1, huge.height - 1 },
                                    { 0, grid_h }, { grid_w - 1, huge.height - 1 } };
    for (size_t i = 0; i < 4; i++) {
        uint32_t px = fb_get_pixel(&huge, outside[i][0], outside[i][1]);
        assert_int_equal(fb_unpack_rgb(&huge, px), shown(&huge, BG));
    }
    free(small.base);
    free(huge.base);
}

static void unusable_surface_changes_nothing(void **state)
{
    (void)state;
    struct fb_surface s = make_surface(&rgb32, 8, 3);
    struct fbcon con;
    start(&con, &s, &shadows[0]);
    put(&con, "keep\nme");
    struct fbcon before = con;
    struct fbcon_shadow *text = malloc(sizeof(*text));
    memcpy(text, &shadows[0], sizeof(*text));
    uint8_t *pixels = snapshot(&s);
    struct layout odd = rgb32;
    odd.bpp = 12;
    struct fb_surface bad[3] = { make_surface(&odd, 8, 3), make_surface(&rgb32, 8, 3),
                                 make_surface(&rgb32, 8, 3) };
    bad[1].width = console_font.width - 1;
    bad[2].height = console_font.height - 1;
    for (size_t i = 0; i < 3; i++) {
        assert_false(fbcon_set_surface(&con, &bad[i]));
        assert_ptr_equal(con.fb.base, before.fb.base);
        assert_int_equal(con.fb.bpp, before.fb.bpp);
        assert_int_equal(con.cols, before.cols);
        assert_int_equal(con.rows, before.rows);
        assert_int_equal(con.col, before.col);
        assert_int_equal(con.row, before.row);
        assert_int_equal(con.fg, before.fg);
        assert_memory_equal(&shadows[0], text, sizeof(*text));
        assert_memory_equal(s.base, pixels, (size_t)s.height * s.pitch);
        free(bad[i].base);
    }
    free(text);
    free(pixels);
    free(s.base);
}

static void without_a_shadow_redraws_blank_cells(void **state)
{
    (void)state;
    struct fb_surface s = make_surface(&rgb32, 4, 2);
    struct fbcon con;
    start(&con, &s, NULL);
    put(&con, "ab");
    assert_int_equal(cell_mismatches(&con, 0, 0, 'a'), 0);
    fbcon_set_drawing(&con, false);
    put(&con, "c");
    fbcon_set_drawing(&con, true);
    assert_int_equal(text_mismatches(&con, 0, 0, "    "), 0);
    assert_int_equal(con.col, 3);
    free(s.base);
}

/* Bank hardware in RAM: one separately allocated window of BANK bytes
 * shows bank `current` of `memory`, so a store past the window's end is an
 * AddressSanitizer error rather than a silent hit on the next bank. */
#define BANK 256

struct ram_banks {
    uint8_t *memory;
    uint8_t *window;
    uint32_t current;
    uint32_t switches; /* calls that showed another bank */
};

static uint8_t *switch_bank(void *ctx, uint32_t bank)
{
    struct ram_banks *rb = ctx;
    rb->switches += bank != rb->current;
    memcpy(rb->memory + (size_t)rb->current * BANK, rb->window, BANK);
    memcpy(rb->window, rb->memory + (size_t)bank * BANK, BANK);
    rb->current = bank;
    return rb->window;
}

/* A banked twin of `linear`, its banks in RAM (rb gets them). */
static struct fb_surface banked_twin(const struct fb_surface *linear, struct ram_banks *rb,
                                     struct fb_banking *banking)
{
    size_t size = (size_t)linear->height * linear->pitch;
    *rb = (struct ram_banks){ .memory = calloc(size / BANK + 1, BANK), .window = calloc(1, BANK) };
    *banking = (struct fb_banking){ .bank_length = BANK, .window = switch_bank, .ctx = rb };
    struct fb_surface banked = *linear;
    banked.base = NULL;
    banked.banking = banking;
    return banked;
}

static void banked_console_paints_what_a_linear_one_does(void **state)
{
    (void)state;
    const struct layout *layouts[] = { &rgb32, &rgb565 };
    for (size_t i = 0; i < 4; i++) { /* each layout without a shadow and with one */
        struct fb_surface linear = make_surface(layouts[i % 2], 10, 4);
        struct ram_banks rb;
        struct fb_banking banking;
        struct fb_surface banked = banked_twin(&linear, &rb, &banking);
        struct fbcon con, ref;
        start(&con, &banked, i < 2 ? NULL : &shadows[0]);
        start(&ref, &linear, NULL);
        feed_busy_text(&con); /* glyph rows and filled lines across bank edges, two scrolls */
        feed_busy_text(&ref);
        switch_bank(&rb, rb.current); /* write the window back */
        banked.base = rb.memory;
        assert_true(same_pixels(&banked, &linear));
        free(rb.memory);
        free(rb.window);
        free(linear.base);
    }
}

/* A bank switch costs far more than the bytes it lets through, so a banked
 * console with a shadow draws in the frame's order: a line of text, and a
 * scroll of a full screen, switch about once per bank they cover (cell by
 * cell, and by moving pixels through a bounce buffer, they switched four to
 * eight times as often). The pixels stay those of a linear console. */
static void banked_console_switches_once_per_bank(void **state)
{
    (void)state;
    struct fb_surface linear = make_surface(&rgb32, 10, 4);
    struct ram_banks rb;
    struct fb_banking banking;
    struct fb_surface banked = banked_twin(&linear, &rb, &banking);
    uint32_t row_banks = console_font.height * linear.pitch / BANK + 2;
    struct fbcon con, ref;
    start(&con, &banked, &shadows[0]);
    start(&ref, &linear, NULL);
    const char *text[] = { "0123456789", "abcdefghij", "ABCDEFGHIJ", "klmnopqrst" };
    for (size_t row = 0; row < 4; row++) {
        rb.switches = 0;
        put(&con, text[row]);
        put(&ref, text[row]);
        assert_in_range(rb.switches, 1, row_banks);
        if (row < 3) {
            put(&con, "\n");
            put(&ref, "\n");
        }
    }
    rb.switches = 0;
    put(&con, "\n"); /* the whole screen scrolls */
    put(&ref, "\n");
    assert_in_range(rb.switches, 1, 4 * row_banks);
    switch_bank(&rb, rb.current);
    banked.base = rb.memory;
    assert_true(same_pixels(&banked, &linear));
    free(rb.memory);
    free(rb.window);
    free(linear.base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(packs_colours_per_layout),
        cmocka_unit_test(draws_exact_cells_at_every_depth),
        cmocka_unit_test(wraps_and_handles_controls),
        cmocka_unit_test(tab_on_a_narrow_console_ends),
        cmocka_unit_test(scrolls_keeping_text),
        cmocka_unit_test(refuses_unusable_surfaces),
        cmocka_unit_test(drawing_off_touches_nothing_and_on_catches_up),
        cmocka_unit_test(redraw_repaints_every_pixel),
        cmocka_unit_test(redraw_keeps_each_blank_cells_background),
        cmocka_unit_test(smaller_surface_keeps_the_cursor_rows),
        cmocka_unit_test(larger_surface_keeps_text_and_blanks_the_rest),
        cmocka_unit_test(other_depth_keeps_text_and_colours),
        cmocka_unit_test(bigger_than_the_grid_uses_the_top_left),
        cmocka_unit_test(unusable_surface_changes_nothing),
        cmocka_unit_test(without_a_shadow_redraws_blank_cells),
        cmocka_unit_test(banked_console_paints_what_a_linear_one_does),
        cmocka_unit_test(banked_console_switches_once_per_bank),
    };
    return cmocka_run_group_tests_name("fbcon", tests, NULL, NULL);
}
