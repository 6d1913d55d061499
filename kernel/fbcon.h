/*
 * A text console drawn on a linear frame buffer: fixed cells of one font,
 * a cursor, wrapping and scrolling. It knows nothing about where the
 * frame buffer came from, so tests can hand it plain RAM.
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

/* A linear frame buffer: packed pixels of 8, 15, 16, 24 or 32 bits. */
struct fb_surface {
    uint8_t *base;
    uint32_t width;
    uint32_t height;
    uint32_t pitch; /* bytes per line */
    uint32_t bpp;
    struct fb_channel red, green, blue;
};

struct fbcon {
    struct fb_surface fb;
    const struct font *font;
    uint32_t cols, rows; /* text cells */
    uint32_t col, row;   /* cursor */
    uint32_t fg, bg;     /* packed pixel values */
};

/* The pixel value that shows colour 0xRRGGBB on this surface. */
uint32_t fb_pack_rgb(const struct fb_surface *fb, uint32_t rgb);

/* The 0xRRGGBB colour that pixel value shows (inverse of fb_pack_rgb). */
uint32_t fb_unpack_rgb(const struct fb_surface *fb, uint32_t pixel);

/* Read or write one pixel (raw value) at (x, y), which must be on the surface. */
uint32_t fb_get_pixel(const struct fb_surface *fb, uint32_t x, uint32_t y);
void fb_put_pixel(const struct fb_surface *fb, uint32_t x, uint32_t y, uint32_t pixel);

/*
 * Start a console on fb, cleared to the background colour. Returns false
 * (and leaves the console unusable) when the surface cannot hold one cell
 * or its depth is not supported.
 */
bool fbcon_init(struct fbcon *con, const struct fb_surface *fb, const struct font *font);

/* Colours as 0xRRGGBB; they apply to characters written afterwards. */
void fbcon_set_colors(struct fbcon *con, uint32_t fg_rgb, uint32_t bg_rgb);

/* Write text: handles \n, \r, \t and \b; wraps at the right edge and scrolls. */
void fbcon_write(struct fbcon *con, const char *text, size_t len);
