/*
 * The console's bitmap font, generated at build time from a Debian console
 * font by tools/psf.py. Glyph rows are packed most significant bit first.
 */
#pragma once

#include <stdint.h>

struct font {
    uint32_t width;
    uint32_t height;
    uint32_t row_bytes;   /* bytes per glyph row */
    uint32_t glyph_bytes; /* bytes per glyph */
    const uint8_t *bits;
    const uint16_t *index; /* glyph number for each Latin-1 code point */
};

extern const struct font console_font;

/* The bitmap of the glyph that draws code point c. */
static inline const uint8_t *font_glyph(const struct font *f, unsigned char c)
{
    return f->bits + (uint32_t)f->index[c] * f->glyph_bytes;
}
