/*
 * Console suite: the frame buffer console draws glyphs pixel-exact and
 * scrolls (on a RAM surface), the symbol table resolves kernel functions,
 * and — with the harness watching — text reaches the real screen.
 */
#include "drivers/serial.h"
#include "drivers/timer.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/format.h"
#include "kernel/ksyms.h"
#include "kernel/ktest.h"
#include "kernel/kstring.h"

#define RAM_COLS 4
#define RAM_ROWS 3
#define RAM_W (RAM_COLS * 8)
#define RAM_H (RAM_ROWS * 16)
#define FG 0x00FF00
#define BG 0x102030

static uint32_t ram_pixels[RAM_W * RAM_H];

static struct fb_surface ram_surface(void)
{
    return (struct fb_surface){
        .base = (uint8_t *)ram_pixels, .width = RAM_W, .height = RAM_H,
        .pitch = RAM_W * 4, .bpp = 32,
        .red = { 16, 8 }, .green = { 8, 8 }, .blue = { 0, 8 },
    };
}

/* Count pixels of cell (col, row) that differ from glyph c in FG on BG. */
static int cell_mismatches(const struct fbcon *con, uint32_t col, uint32_t row, char c)
{
    const uint8_t *glyph = font_glyph(con->font, (unsigned char)c);
    int bad = 0;
    for (uint32_t y = 0; y < con->font->height; y++) {
        for (uint32_t x = 0; x < con->font->width; x++) {
            bool on = glyph[y * con->font->row_bytes + x / 8] & (0x80 >> (x % 8));
            uint32_t px = fb_get_pixel(&con->fb, col * 8 + x, row * 16 + y);
            bad += fb_unpack_rgb(&con->fb, px) != (on ? FG : BG);
        }
    }
    return bad;
}

static void glyphs_drawn_exactly(struct ktest *t)
{
    struct fbcon con;
    struct fb_surface s = ram_surface();
    KT_EXPECT(t, fbcon_init(&con, &s, &console_font));
    fbcon_set_colors(&con, FG, BG);
    fbcon_write(&con, "Hi!\n#", 5);
    KT_EXPECT_EQ(t, cell_mismatches(&con, 0, 0, 'H'), 0);
    KT_EXPECT_EQ(t, cell_mismatches(&con, 2, 0, '!'), 0);
    KT_EXPECT_EQ(t, cell_mismatches(&con, 0, 1, '#'), 0);
    KT_EXPECT(t, cell_mismatches(&con, 0, 1, 'H') > 0); /* the check can fail */
}

static void scrolls_at_bottom(struct ktest *t)
{
    struct fbcon con;
    struct fb_surface s = ram_surface();
    KT_EXPECT(t, fbcon_init(&con, &s, &console_font));
    fbcon_set_colors(&con, FG, BG);
    fbcon_write(&con, "a\nb\nc\nd", 7); /* four lines on three rows */
    KT_EXPECT_EQ(t, con.row, RAM_ROWS - 1);
    KT_EXPECT_EQ(t, cell_mismatches(&con, 0, 0, 'b'), 0);
    KT_EXPECT_EQ(t, cell_mismatches(&con, 0, 2, 'd'), 0);
    KT_EXPECT_EQ(t, cell_mismatches(&con, 1, 2, ' '), 0);
}

static void symbols_resolve(struct ktest *t)
{
    uint32_t offset = 0;
    uint32_t addr = (uint32_t)(uintptr_t)&ktest_run_all;
    const char *name = ksym_lookup(addr + 3, &offset);
    KT_EXPECT(t, name && strcmp(name, "ktest_run_all") == 0);
    KT_EXPECT_EQ(t, offset, 3);
    KT_EXPECT_EQ(t, ksym_address("ktest_run_all"), addr);
    KT_EXPECT(t, ksym_lookup(0x1000, &offset) == NULL);
}

#define SCREEN_TEXT "vidport screen console: The quick brown fox jumps over 0123456789 ~!@#$%&*"
#define ACK_TIMEOUT_MS 60000

/* Wait for the harness to acknowledge a screenshot; false on timeout. */
static bool await_ack(void)
{
    uint64_t deadline = timer_ms() + ACK_TIMEOUT_MS;
    uint8_t byte;
    while (timer_ms() < deadline) {
        if (serial_poll_byte(&byte))
            return true;
        cpu_halt();
    }
    return false;
}

/*
 * Print a known line on the screen console, then tell the harness (on COM1
 * only, so the marker itself is not drawn) where it is, and wait while it
 * takes a screenshot and compares the pixels against the font.
 */
static void text_reaches_screen(struct ktest *t)
{
    struct fbcon *con = screen_console();
    if (!con)
        KT_SKIP(t, "no screen console");
    kprintf("\n%s\n", SCREEN_TEXT);
    uint32_t row = con->row - 1; /* the cursor sits on the next line */
    char marker[256];
    int n = ksnprintf(marker, sizeof(marker),
                      "@@SCREENSHOT console-text row=%u col=0 cell=%ux%u fg=%06x bg=%06x "
                      "width=%u height=%u text=%s\n",
                      row, con->font->width, con->font->height,
                      fb_unpack_rgb(&con->fb, con->fg), fb_unpack_rgb(&con->fb, con->bg),
                      con->fb.width, con->fb.height, SCREEN_TEXT);
    serial_write(marker, (size_t)n);
    if (!await_ack())
        KT_SKIP(t, "no harness acknowledged the screenshot");
    KT_EXPECT(t, n < (int)sizeof(marker));
}

KTEST_SUITE(console_suite, "console", false,
            KTEST_CASE(glyphs_drawn_exactly),
            KTEST_CASE(scrolls_at_bottom),
            KTEST_CASE(symbols_resolve),
            KTEST_CASE(text_reaches_screen));
