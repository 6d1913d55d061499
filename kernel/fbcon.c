/*
 * Frame buffer text console. Each character cell is drawn whole (glyph
 * pixels in the foreground colour, the rest in the background), so text
 * can be checked pixel for pixel against the font.
 */
#include "fbcon.h"

#include "kstring.h"

#define TAB_WIDTH 8

/* Scale an 8-bit channel value into a field of `size` bits at `position`. */
static uint32_t pack_channel(uint32_t value8, struct fb_channel ch)
{
    if (ch.size == 0)
        return 0;
    uint32_t v = ch.size >= 8 ? value8 << (ch.size - 8) : value8 >> (8 - ch.size);
    return v << ch.position;
}

/* Inverse of pack_channel: widen a field back to 8 bits (replicating bits). */
static uint32_t unpack_channel(uint32_t pixel, struct fb_channel ch)
{
    if (ch.size == 0)
        return 0;
    uint32_t v = (pixel >> ch.position) & ((1u << ch.size) - 1);
    if (ch.size >= 8)
        return v >> (ch.size - 8);
    uint32_t wide = 0;
    for (int shift = 8 - ch.size; shift > -(int)ch.size; shift -= ch.size)
        wide |= shift >= 0 ? v << shift : v >> -shift;
    return wide & 0xFF;
}

uint32_t fb_pack_rgb(const struct fb_surface *fb, uint32_t rgb)
{
    return pack_channel((rgb >> 16) & 0xFF, fb->red) |
           pack_channel((rgb >> 8) & 0xFF, fb->green) |
           pack_channel(rgb & 0xFF, fb->blue);
}

uint32_t fb_unpack_rgb(const struct fb_surface *fb, uint32_t pixel)
{
    return unpack_channel(pixel, fb->red) << 16 |
           unpack_channel(pixel, fb->green) << 8 |
           unpack_channel(pixel, fb->blue);
}

static uint8_t *pixel_address(const struct fb_surface *fb, uint32_t x, uint32_t y)
{
    return fb->base + (size_t)y * fb->pitch + (size_t)x * ((fb->bpp + 7) / 8);
}

uint32_t fb_get_pixel(const struct fb_surface *fb, uint32_t x, uint32_t y)
{
    const uint8_t *p = pixel_address(fb, x, y);
    switch ((fb->bpp + 7) / 8) {
    case 4: return *(const volatile uint32_t *)p;
    case 3: return p[0] | p[1] << 8 | (uint32_t)p[2] << 16;
    case 2: return *(const volatile uint16_t *)p;
    default: return *p;
    }
}

void fb_put_pixel(const struct fb_surface *fb, uint32_t x, uint32_t y, uint32_t pixel)
{
    uint8_t *p = pixel_address(fb, x, y);
    switch ((fb->bpp + 7) / 8) {
    case 4: *(volatile uint32_t *)p = pixel; break;
    case 3:
        p[0] = pixel & 0xFF;
        p[1] = (pixel >> 8) & 0xFF;
        p[2] = (pixel >> 16) & 0xFF;
        break;
    case 2: *(volatile uint16_t *)p = (uint16_t)pixel; break;
    default: *p = (uint8_t)pixel;
    }
}

/* Paint the cell at (col, row) with glyph c. */
static void draw_cell(struct fbcon *con, uint32_t col, uint32_t row, unsigned char c)
{
    const struct font *f = con->font;
    const uint8_t *glyph = font_glyph(f, c);
    uint32_t x0 = col * f->width, y0 = row * f->height;
    for (uint32_t y = 0; y < f->height; y++) {
        const uint8_t *bits = glyph + y * f->row_bytes;
        for (uint32_t x = 0; x < f->width; x++) {
            bool on = bits[x / 8] & (0x80 >> (x % 8));
            fb_put_pixel(&con->fb, x0 + x, y0 + y, on ? con->fg : con->bg);
        }
    }
}

/* Fill text rows [first, first + count) with the background colour. */
static void clear_rows(struct fbcon *con, uint32_t first, uint32_t count)
{
    uint32_t y_end = (first + count) * con->font->height;
    for (uint32_t y = first * con->font->height; y < y_end; y++) {
        for (uint32_t x = 0; x < con->cols * con->font->width; x++)
            fb_put_pixel(&con->fb, x, y, con->bg);
    }
}

/* Move every text row up by one and blank the last. */
static void scroll_up(struct fbcon *con)
{
    size_t row_bytes = (size_t)con->font->height * con->fb.pitch;
    memmove(con->fb.base, con->fb.base + row_bytes, row_bytes * (con->rows - 1));
    clear_rows(con, con->rows - 1, 1);
}

static void newline(struct fbcon *con)
{
    con->col = 0;
    if (++con->row == con->rows) {
        scroll_up(con);
        con->row = con->rows - 1;
    }
}

static void put_char(struct fbcon *con, char c)
{
    switch (c) {
    case '\n': newline(con); return;
    case '\r': con->col = 0; return;
    case '\b':
        if (con->col)
            con->col--;
        return;
    case '\t':
        do
            put_char(con, ' ');
        while (con->col % TAB_WIDTH);
        return;
    }
    if (con->col == con->cols)
        newline(con);
    draw_cell(con, con->col++, con->row, (unsigned char)c);
}

void fbcon_write(struct fbcon *con, const char *text, size_t len)
{
    if (con->cols == 0)
        return;
    for (size_t i = 0; i < len; i++)
        put_char(con, text[i]);
}

void fbcon_set_colors(struct fbcon *con, uint32_t fg_rgb, uint32_t bg_rgb)
{
    con->fg = fb_pack_rgb(&con->fb, fg_rgb);
    con->bg = fb_pack_rgb(&con->fb, bg_rgb);
}

bool fbcon_init(struct fbcon *con, const struct fb_surface *fb, const struct font *font)
{
    *con = (struct fbcon){ .fb = *fb, .font = font };
    bool depth_ok = fb->bpp == 8 || fb->bpp == 15 || fb->bpp == 16 ||
                    fb->bpp == 24 || fb->bpp == 32;
    if (!depth_ok || fb->width < font->width || fb->height < font->height)
        return false;
    con->cols = fb->width / font->width;
    con->rows = fb->height / font->height;
    fbcon_set_colors(con, 0xAAAAAA, 0x000000);
    clear_rows(con, 0, con->rows);
    return true;
}
