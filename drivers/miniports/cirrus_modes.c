/*
 * The cirrus miniport's two modes (cirrus_modes.h): the boot loader's, as
 * the registers confirm it. Nothing here reads hardware.
 */
#include "cirrus_modes.h"

/* The boot loader's mode as the registers confirm it (see cirrus_modes.h);
 * an indexed 8 bpp mode gets the RGB 3-3-2 palette's masks. */
static bool cirrus_boot_mode(const struct boot_framebuffer *fb, uint32_t lfb_phys,
                             const struct vp_mode_desc *hw, struct vp_mode_desc *d)
{
    bool rgb = fb->type == BOOT_FB_RGB, indexed = fb->type == BOOT_FB_INDEXED && fb->bpp == 8;
    if (fb->phys != lfb_phys || hw->bpp == 0 || fb->bpp != hw->bpp || fb->width != hw->width ||
        fb->pitch != hw->stride || (fb->height != hw->height && fb->height != hw->height + 1) ||
        !(rgb || indexed))
        return false;
    *d = (struct vp_mode_desc){ .width = fb->width, .height = fb->height, .bpp = fb->bpp,
                                .stride = fb->pitch, .red_mask = vp_field_mask(fb->red),
                                .green_mask = vp_field_mask(fb->green),
                                .blue_mask = vp_field_mask(fb->blue) };
    if (indexed)
        vp_standard_masks(8, d);
    return true;
}

bool cirrus_describe_modes(VIDEO_MODE_INFORMATION modes[CIRRUS_MODES],
                           const struct boot_framebuffer *fb, uint32_t lfb_phys,
                           const struct vp_mode_desc *hw, uint32_t vram_size)
{
    struct vp_mode_desc d;
    if (vram_size <= CIRRUS_PRIVATE || !cirrus_boot_mode(fb, lfb_phys, hw, &d) ||
        !vp_fit_mode(&d, vram_size - CIRRUS_PRIVATE, CIRRUS_BANK))
        return false;
    for (ULONG i = 0; i < CIRRUS_MODES; i++) {
        d.banked = i == CIRRUS_BANKED;
        vp_fill_mode(&modes[i], i, &d);
    }
    return true;
}
