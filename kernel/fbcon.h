/*
 * A text console drawn on a linear frame buffer: fixed cells of one font,
 * a cursor, wrapping and scrolling. It knows nothing about where the
 * frame buffer came from, so tests can hand it plain RAM.
 *
 * A console may keep a shadow of its text (characters and 0xRRGGBB colours,
 * not pixels), so it can stop drawing while someone else owns the screen,
 * redraw later, and move to a surface of another size or depth.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "font.h"

struct fb_channel {
    uint8_t position;
    uint8_t size;
};

/*
 * A banked frame buffer shows bank_length bytes (a power of two) at a time:
 * window(ctx, bank) makes bank `bank` visible and returns where it is.
 */
struct fb_banking {
    uint32_t bank_length;
    uint8_t *(*window)(void *ctx, uint32_t bank);
    void *ctx;
};

/* A frame buffer of packed pixels of 8, 15, 16, 24 or 32 bits (8, 16 or
 * 32 when banked, so that no pixel spans two banks). */
struct fb_surface {
    uint8_t *base;                 /* linear: the first pixel */
    const struct fb_banking *banking; /* NULL: linear */
    uint32_t width;
    uint32_t height;
    uint32_t pitch; /* bytes per line */
    uint32_t bpp;
    struct fb_channel red, green, blue;
};

/* The largest text grid a console keeps; bigger surfaces use its top-left part. */
#define FBCON_MAX_COLS 256
#define FBCON_MAX_ROWS 96

/* One character cell as text, so it survives a change of depth. */
struct fbcon_cell {
    uint32_t fg, bg; /* 0xRRGGBB */
    unsigned char ch;
};

/* The text of a whole console: about 288 KiB, so static storage, never a stack. */
struct fbcon_shadow {
    struct fbcon_cell cells[FBCON_MAX_ROWS][FBCON_MAX_COLS];
};

struct fbcon {
    struct fb_surface fb;
    const struct font *font;
    struct fbcon_shadow *shadow; /* NULL: the text lives only in the pixels */
    uint32_t cols, rows;         /* text cells */
    uint32_t col, row;           /* cursor */
    uint32_t fg, bg;             /* packed pixel values */
    uint32_t fg_rgb, bg_rgb;     /* the same colours as 0xRRGGBB */
    bool drawing;                /* false: text goes to the shadow only */
    uint32_t unshown_from, unshown_end; /* cells of the cursor row in the shadow, not yet drawn */
};

/* The pixel value that shows colour 0xRRGGBB on this surface. */
uint32_t fb_pack_rgb(const struct fb_surface *fb, uint32_t rgb);

/* The 0xRRGGBB colour that pixel value shows (inverse of fb_pack_rgb). */
uint32_t fb_unpack_rgb(const struct fb_surface *fb, uint32_t pixel);

/* Read or write one pixel (raw value) at (x, y), which must be on the surface. */
uint32_t fb_get_pixel(const struct fb_surface *fb, uint32_t x, uint32_t y);
void fb_put_pixel(const struct fb_surface *fb, uint32_t x, uint32_t y, uint32_t pixel);

/*
 * Start a console on fb (at most FBCON_MAX_COLS x FBCON_MAX_ROWS cells, in
 * the top-left corner), cleared to the background colour, drawing, without
 * a shadow. Returns false (and leaves the console unusable) when the
 * surface cannot hold one cell or its depth is not supported.
 */
bool fbcon_init(struct fbcon *con, const struct fb_surface *fb, const struct font *font);

/* Colours as 0xRRGGBB; they apply to characters written afterwards. */
void fbcon_set_colors(struct fbcon *con, uint32_t fg_rgb, uint32_t bg_rgb);

/* Write text: handles \n, \r, \t and \b; wraps at the right edge and scrolls. */
void fbcon_write(struct fbcon *con, const char *text, size_t len);

/* fbcon_init keeping a shadow of the text in caller-owned storage (needed to redraw it). */
bool fbcon_init_shadowed(struct fbcon *con, const struct fb_surface *fb, const struct font *font,
                         struct fbcon_shadow *shadow);

/* Off: text reaches only the shadow, no pixel is touched. On: redraw the whole surface. */
void fbcon_set_drawing(struct fbcon *con, bool on);

/* Repaint every pixel from the shadow (blank cells without one); no-op while not drawing. */
void fbcon_redraw(struct fbcon *con);

/* Move to a new surface keeping what text fits, up to the cursor row; false: refused, no change. */
bool fbcon_set_surface(struct fbcon *con, const struct fb_surface *fb);
