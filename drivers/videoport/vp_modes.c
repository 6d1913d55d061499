/*
 * The port's help with mode tables (miniport_api.h): vp_fill_mode and the
 * standard masks every miniport describes its modes with, and the checks
 * and frame buffers every table is built with. Nothing here reads
 * hardware, so the miniports' mode files build for the host too.
 */
#include "miniport_api.h"

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

bool vp_drawable_mode(const struct vp_mode_desc *d)
{
    bool depth = d->bpp == 8 || d->bpp == 15 || d->bpp == 16 || d->bpp == 24 || d->bpp == 32;
    return depth && d->width && d->height &&
           d->stride >= (uint64_t)d->width * ((d->bpp + 7) / 8);
}

/* Products are taken in 64 bits so that none can wrap. */
bool vp_fit_mode(struct vp_mode_desc *d, uint32_t usable, ULONG bank)
{
    if (!vp_drawable_mode(d))
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
