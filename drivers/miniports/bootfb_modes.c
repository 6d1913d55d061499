/*
 * The bootfb miniport's one mode (bootfb_modes.h): the frame buffer the
 * boot loader set up, if it can be driven.
 */
#include "bootfb_modes.h"

#define PAGE 4096u

/* 4 GiB less a page bounds the frame too, so that its whole pages still
 * count in 32 bits when it starts at 0. */
bool bootfb_usable(bool has_framebuffer, const struct boot_framebuffer *fb)
{
    struct vp_mode_desc d = { .width = fb->width, .height = fb->height, .bpp = fb->bpp,
                              .stride = fb->pitch };
    uint64_t frame = (uint64_t)fb->pitch * fb->height, four_gib = 1ull << 32;
    return has_framebuffer && fb->type == BOOT_FB_RGB && vp_drawable_mode(&d) && fb->phys < four_gib &&
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
