/*
 * The miniports' mode tables (see mp_modes.h): vp_fill_mode and the
 * standard masks every miniport describes its modes with, then what bga,
 * cirrus and bootfb offer, computed from values their hardware and the
 * boot loader reported. Nothing here reads hardware.
 */
#include "mp_modes.h"

#define PAGE 4096u

static ULONG count_bits(ULONG mask)
{
    ULONG n = 0;
    for (; mask; mask &= mask - 1)
        n++;
    return n;
}

void vp_fill_mode(VIDEO_MODE_INFORMATION *mode, ULONG index, const struct vp_mode_desc *d)
{
    bool palette = d->bpp == 8;
    *mode = (VIDEO_MODE_INFORMATION){
        .Length = sizeof(VIDEO_MODE_INFORMATION), .ModeIndex = index,
        .VisScreenWidth = d->width, .VisScreenHeight = d->height, .ScreenStride = d->stride,
        .NumberOfPlanes = 1, .BitsPerPlane = d->bpp, .Frequency = 60,
        .XMillimeter = 320, .YMillimeter = 240,
        .NumberRedBits = palette ? 6 : count_bits(d->red_mask),
        .NumberGreenBits = palette ? 6 : count_bits(d->green_mask),
        .NumberBlueBits = palette ? 6 : count_bits(d->blue_mask),
        .RedMask = d->red_mask, .GreenMask = d->green_mask, .BlueMask = d->blue_mask,
        .AttributeFlags = VIDEO_MODE_COLOR | VIDEO_MODE_GRAPHICS |
                          (d->banked ? VIDEO_MODE_BANKED : VIDEO_MODE_LINEAR) |
                          (palette ? VIDEO_MODE_PALETTE_DRIVEN : 0),
        .VideoMemoryBitmapWidth = d->width, .VideoMemoryBitmapHeight = d->bitmap_height,
    };
}

void vp_standard_masks(ULONG bpp, struct vp_mode_desc *d)
{
    static const ULONG masks[][4] = {
        { 8, 0xE0, 0x1C, 0x03 },
        { 16, 0xF800, 0x07E0, 0x001F },
        { 32, 0xFF0000, 0x00FF00, 0x0000FF },
    };
    for (size_t i = 0; i < ARRAY_SIZE(masks); i++) {
        if (masks[i][0] == bpp) {
            d->red_mask = masks[i][1];
            d->green_mask = masks[i][2];
            d->blue_mask = masks[i][3];
        }
    }
}

ULONG vp_field_mask(struct color_field f)
{
    uint64_t bits = f.size >= 32 ? UINT32_MAX : (1ull << f.size) - 1;
    return f.position >= 32 ? 0 : (ULONG)(bits << f.position);
}

/* Whether d describes a frame the port and the console can use: a depth
 * vidport draws, at least one pixel, and rows at least as long as the
 * pixels they hold. */
static bool drawable(const struct vp_mode_desc *d)
{
    bool depth = d->bpp == 8 || d->bpp == 16 || d->bpp == 24 || d->bpp == 32;
    return depth && d->width && d->height &&
           d->stride >= (uint64_t)d->width * (d->bpp / 8);
}

/* Products are taken in 64 bits so that none can wrap. */
bool vp_fit_mode(struct vp_mode_desc *d, uint32_t usable, ULONG bank)
{
    if (!drawable(d))
        return false;
    uint64_t frame = (uint64_t)d->stride * d->height;
    d->bitmap_height = usable / d->stride;
    return ((frame + bank - 1) & ~((uint64_t)bank - 1)) <= (uint64_t)d->bitmap_height * d->stride;
}

struct vp_frame_buffer vp_mode_frame_buffer(const VIDEO_MODE_INFORMATION *m,
                                            PHYSICAL_ADDRESS vram_phys, ULONG in_io_space,
                                            ULONG unit)
{
    ULONG bitmap = m->VideoMemoryBitmapHeight * m->ScreenStride;
    return (struct vp_frame_buffer){
        .vram_phys = vram_phys, .frame_length = m->VisScreenHeight * m->ScreenStride,
        .bitmap_length = bitmap, .shareable_length = bitmap & ~(unit - 1),
        .in_io_space = in_io_space };
}

/* --- bga --- */

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

/* --- cirrus --- */

/* The boot loader's mode as the registers confirm it (see mp_modes.h);
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

/* --- bootfb --- */

/* 4 GiB less a page bounds the frame too, so that its whole pages still
 * count in 32 bits when it starts at 0. */
bool bootfb_usable(bool has_framebuffer, const struct boot_framebuffer *fb)
{
    struct vp_mode_desc d = { .width = fb->width, .height = fb->height, .bpp = fb->bpp,
                              .stride = fb->pitch };
    uint64_t frame = (uint64_t)fb->pitch * fb->height, four_gib = 1ull << 32;
    return has_framebuffer && fb->type == BOOT_FB_RGB && drawable(&d) && fb->phys < four_gib &&
           frame <= four_gib - fb->phys && frame <= four_gib - PAGE;
}

void bootfb_describe_mode(VIDEO_MODE_INFORMATION *mode, const struct boot_framebuffer *fb)
{
    struct vp_mode_desc d = {
        .width = fb->width, .height = fb->height, .bpp = fb->bpp, .stride = fb->pitch,
        .bitmap_height = fb->height, .red_mask = vp_field_mask(fb->red),
        .green_mask = vp_field_mask(fb->green), .blue_mask = vp_field_mask(fb->blue),
    };
    vp_fill_mode(mode, 0, &d);
}

/* The frame's last page is shareable in full: boot frame buffers are
 * whole pages of video memory. */
struct vp_frame_buffer bootfb_frame_buffer(const struct boot_framebuffer *fb)
{
    ULONG frame = fb->pitch * fb->height;
    return (struct vp_frame_buffer){
        .vram_phys = fb->phys, .frame_length = frame, .bitmap_length = frame,
        .shareable_length = ALIGN_UP(frame, PAGE),
        .in_io_space = VIDEO_MEMORY_SPACE_MEMORY | VIDEO_MEMORY_SPACE_P6CACHE };
}
