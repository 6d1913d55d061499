/*
 * The cirrus miniport's modes (QEMU's Cirrus GD5446): the boot loader's
 * mode, banked and linear, as the registers confirm it.
 * Pure (it reads no hardware), so it is also built for the host and
 * fuzzed there (tests/fuzz/fuzz_modes.c).
 */
#pragma once

#include "boot/bootinfo.h"
#include "drivers/videoport/miniport_api.h"

#define CIRRUS_PRIVATE 0x8000u /* the end of video memory: cursor patterns */
#define CIRRUS_BANK 0x8000u    /* each half of the window */

enum { CIRRUS_BANKED, CIRRUS_LINEAR, CIRRUS_MODES };

/* The boot loader's mode `fb`, if it lies at the adapter's frame buffer
 * lfb_phys and agrees with what the registers say (`hw`: bpp from SR7, 0
 * when not extended; width, height and stride from the CRTC, whose height
 * may be one line short): both twins of it (banked, linear) in modes, for
 * vram_size bytes of video memory. False when it does not agree or does
 * not fit as bga_list_modes says, with banks of CIRRUS_BANK. */
bool cirrus_describe_modes(VIDEO_MODE_INFORMATION modes[CIRRUS_MODES],
                           const struct boot_framebuffer *fb, uint32_t lfb_phys,
                           const struct vp_mode_desc *hw, uint32_t vram_size);
