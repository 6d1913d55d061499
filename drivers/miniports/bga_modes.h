/*
 * The bga miniport's mode table (QEMU / Bochs standard VGA): which modes
 * it offers for the video memory it has, and which one it starts in.
 * Pure (it reads no hardware), so it is also built for the host and
 * fuzzed there (tests/fuzz/fuzz_modes.c).
 */
#pragma once

#include "drivers/videoport/miniport_api.h"

#define BGA_PRIVATE_SIZE 0x10000u /* the end of video memory: the driver's */
#define BGA_BANK_SIZE 0x10000u    /* the banked twins' bank: the whole window */
#define BGA_MAX_MODES 20

struct bga_modes {
    VIDEO_MODE_INFORMATION modes[BGA_MAX_MODES];
    ULONG count;
};

/* The standard modes (640x480, 800x600, 1024x768 at 8, 16 and 32 bpp;
 * linear, then banked) that fit in vram_size bytes of video memory, each
 * with as many bitmap rows as the memory below the private area holds. A
 * mode fits when its frame, rounded up to a bank, lies in its bitmap, so
 * that a program can share the whole frame of either twin. False when
 * none fits. */
bool bga_list_modes(struct bga_modes *t, uint32_t vram_size);

/* After bga_list_modes succeeded: the index of the mode to start in, of
 * the kind `banked` asks for. The boot loader's geometry when it was
 * enabled at 8, 16 or 32 bpp and fits (appended to the table when it is
 * not a standard mode), else 800x600x32 if it fits, else the first mode. */
ULONG bga_boot_mode(struct bga_modes *t, uint32_t vram_size, ULONG width, ULONG height,
                    ULONG bpp, bool enabled, bool banked);
