/*
 * The bga miniport's mode table (bga_modes.h), from the size of video
 * memory and the mode the boot loader left. Nothing here reads hardware.
 */
#include "bga_modes.h"

static bool bga_is_banked(const VIDEO_MODE_INFORMATION *m)
{
    return m->AttributeFlags & VIDEO_MODE_BANKED;
}

/* Append a mode of the given geometry to the table if it fits. */
static void bga_add_mode(struct bga_modes *t, uint32_t vram_size, ULONG width, ULONG height,
                         ULONG bpp, bool banked)
{
    struct vp_mode_desc d = { .width = width, .height = height, .bpp = bpp,
                              .stride = width * (bpp / 8), .banked = banked };
    if (!vp_fit_mode(&d, vram_size - BGA_PRIVATE_SIZE, BGA_BANK_SIZE))
        return;
    vp_standard_masks(bpp, &d);
    vp_fill_mode(&t->modes[t->count], t->count, &d);
    t->count++;
}

/* The table index of a geometry, or count when it is not listed. */
static ULONG bga_find_mode(const struct bga_modes *t, ULONG width, ULONG height, ULONG bpp,
                           bool banked)
{
    ULONG i = 0;
    for (; i < t->count; i++) {
        const VIDEO_MODE_INFORMATION *m = &t->modes[i];
        if (m->VisScreenWidth == width && m->VisScreenHeight == height &&
            m->BitsPerPlane == bpp && bga_is_banked(m) == banked)
            break;
    }
    return i;
}

bool bga_list_modes(struct bga_modes *t, uint32_t vram_size)
{
    static const ULONG sizes[][2] = { { 640, 480 }, { 800, 600 }, { 1024, 768 } };
    static const ULONG depths[] = { 8, 16, 32 };
    t->count = 0;
    if (vram_size <= BGA_PRIVATE_SIZE)
        return false;
    for (int banked = 0; banked < 2; banked++) {
        for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
            for (size_t d = 0; d < ARRAY_SIZE(depths); d++)
                bga_add_mode(t, vram_size, sizes[s][0], sizes[s][1], depths[d], banked);
        }
    }
    return t->count > 0;
}

/* The first listed mode of a kind. Every geometry fits in both kinds or
 * in neither, so each kind is listed when any mode is. */
static ULONG bga_first_of_kind(const struct bga_modes *t, bool banked)
{
    ULONG i = 0;
    while (i < t->count && bga_is_banked(&t->modes[i]) != banked)
        i++;
    return i;
}

ULONG bga_boot_mode(struct bga_modes *t, uint32_t vram_size, ULONG width, ULONG height,
                    ULONG bpp, bool enabled, bool banked)
{
    ULONG i = t->count;
    if (enabled && (bpp == 8 || bpp == 16 || bpp == 32)) {
        i = bga_find_mode(t, width, height, bpp, banked);
        if (i == t->count)
            bga_add_mode(t, vram_size, width, height, bpp, banked); /* i is its index if it fits */
    }
    if (i == t->count)
        i = bga_find_mode(t, 800, 600, 32, banked);
    return i < t->count ? i : bga_first_of_kind(t, banked);
}
