/*
 * The bootfb miniport's one mode: the frame buffer the boot loader set up.
 * Pure (it reads no hardware), so it is also built for the host and
 * fuzzed there (tests/fuzz/fuzz_modes.c).
 */
#pragma once

#include "boot/bootinfo.h"
#include "drivers/videoport/miniport_api.h"

/* Whether the boot loader's frame buffer can be driven: an RGB frame of
 * 8, 16, 24 or 32 bpp, at least a pixel, rows at least as long as their
 * pixels, whose pages end at or below 4 GiB. If so its one mode, and the
 * frame buffer that mode gives the requests. */
bool bootfb_usable(bool has_framebuffer, const struct boot_framebuffer *fb);
void bootfb_describe_mode(VIDEO_MODE_INFORMATION *mode, const struct boot_framebuffer *fb);
struct vp_frame_buffer bootfb_frame_buffer(const struct boot_framebuffer *fb);
