/*
 * The vbe miniport's mode table (any VBE 2.0+ adapter, through its video
 * BIOS): which of the modes 4F01 describes it offers, linear and banked.
 * Pure (it reads no hardware), so it is also built for the host and
 * fuzzed there (tests/fuzz/fuzz_modes.c).
 */
#pragma once

#include "drivers/videoport/miniport_api.h"

#define VBE_MAX_MODES 32 /* the table user programs read whole */
#define VBE_WINDOW_SEGMENT 0xA000u

/* What 4F01 reports of a mode (VBE 2.0; 256 bytes). */
struct __attribute__((packed)) vbe_mode_info {
    uint16_t attributes;
    uint8_t window_a, window_b;
    uint16_t granularity_kib, window_kib, segment_a, segment_b;
    uint32_t window_function;
    uint16_t bytes_per_line, width, height;
    uint8_t char_width, char_height, planes, bpp, banks, memory_model, bank_kib, pages, reserved;
    uint8_t red_size, red_position, green_size, green_position, blue_size, blue_position;
    uint8_t reserved_size, reserved_position, direct_color;
    uint32_t lfb_phys;
    uint8_t rest[212];
};

struct vbe_modes {
    VIDEO_MODE_INFORMATION modes[VBE_MAX_MODES];
    USHORT number[VBE_MAX_MODES]; /* the BIOS's mode number of each entry */
    ULONG count;
    uint32_t lfb_phys;            /* the linear twins' video memory (one for all) */
    uint64_t lfb_base, lfb_limit; /* where it may lie: a display device's memory BAR
                                   * (limit 0: no linear twins at all) */
    ULONG bank_length;            /* the banked twins' window: 64 KiB at A0000 */
    ULONG granules_per_bank;      /* 4F05 positions per bank */
    uint32_t window_function;     /* the banked twins' WinFuncPtr (segment << 16 | offset);
                                   * 0 when they have none or not all the same one */
};

/* Add the twins mode `number` offers, as `info` describes it, to t for
 * vram_size bytes of video memory: linear when it has a page-aligned
 * linear frame buffer whose video memory lies in [t->lfb_base,
 * t->lfb_limit) (at the same address as the modes before), banked when window A
 * is a readable, writable 64 KiB at A0000 that moves in steps dividing it
 * and no pixel spans two banks. Only packed 8 bpp and direct 15, 16, 24 and
 * 32 bpp modes from 640x480 to 1024x768 are taken, each geometry and kind
 * once, while the table has room. Returns how many entries it added. */
ULONG vbe_add_mode(struct vbe_modes *t, USHORT number, const struct vbe_mode_info *info,
                   uint32_t vram_size);

/* The entry of the WxHxD mode that is banked (or linear), or t->count. */
ULONG vbe_find_mode(const struct vbe_modes *t, ULONG width, ULONG height, ULONG bpp, bool banked);
