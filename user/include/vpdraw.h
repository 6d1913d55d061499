/*
 * <vpdraw.h>: the drawing helpers vidport's own programs and tests share:
 * the screen as a shared view of Video0's visible frame, pixel values by
 * the mode's masks, the test picture and how long a picture stays. Not
 * part of the public interface (<vidport.h>), so their names stay free
 * for programs that do not include this header.
 */
#pragma once

#include <vidport.h>

/* The screen as drawing programs use it: Video0's current mode and a
 * shared view of its visible frame. */
struct screen {
    HANDLE dev;
    VIDEO_MODE_INFORMATION mode;
    uint8_t *base; /* the view: pixel (x, y) at base + y * stride + x * bytes */
    ULONG size;
};

/* Open Video0, read its mode and share the visible frame. On failure prints
 * "<program>: <what failed>: <status>" and returns the status. */
VP_STATUS screen_open(struct screen *s, const char *program);

/* Share the visible frame again (after a mode change revoked the view). */
VP_STATUS screen_share(struct screen *s, const char *program);

/* Unshare the view; prints an error on failure. */
VP_STATUS screen_close(struct screen *s, const char *program);

/* True while the view is live (not revoked by a mode change). */
bool screen_view_live(const struct screen *s);

/* The pixel value that shows colour 0xRRGGBB in the current mode: each
 * 8-bit channel keeps its top bits, as many as the mode's mask has. */
uint32_t screen_pack(const struct screen *s, uint32_t rgb);

/* A 24-bit value stored or loaded a byte at a time, low byte first (how a
 * 24 bpp pixel is written). */
void pixel24_store(volatile uint8_t *p, uint32_t value);
uint32_t pixel24_load(const volatile uint8_t *p);

/* Store one pixel value at (x, y) (1, 2, 3 or 4 bytes). */
/* Bytes a pixel of the screen's mode takes: 15 bpp (5-5-5) is two. */
uint32_t screen_pixel_bytes(const struct screen *s);

void screen_put(const struct screen *s, uint32_t x, uint32_t y, uint32_t pixel);

/* Load the pixel value at (x, y), as screen_put stores it. */
uint32_t screen_get(const struct screen *s, uint32_t x, uint32_t y);

/* Fill a rectangle with one pixel value (clipped to the screen). */
void screen_fill(const struct screen *s, uint32_t x, uint32_t y, uint32_t w, uint32_t h,
                 uint32_t pixel);

/* The documented test picture gradient and ddraw draw: on a W x H screen
 * pixel (x, y) is red = x * 255 / (W - 1), green = y * 255 / (H - 1),
 * blue = (x XOR y) AND 255 (integer division), as 0xRRGGBB. */
uint32_t screen_gradient_rgb(uint32_t x, uint32_t y, uint32_t w, uint32_t h);

/* Keep a picture on screen: `how` is a time in milliseconds, "wait" (until
 * a line is typed) or NULL (2000 ms). screen_hold_valid says whether `how`
 * is one of those. */
bool screen_hold_valid(const char *how);
void screen_hold(const char *how);
