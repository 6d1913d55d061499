/*
 * The miniports' mode tables, apart from their hardware: which modes each
 * offers, built from what its adapter reported (video memory size, the
 * boot loader's mode, registers), and the frame buffer a mode gives the
 * port's memory requests. The miniports read the hardware and call these;
 * being pure, they are also built for the host and fuzzed there
 * (tests/fuzz/fuzz_modes.c).
 */
#pragma once

#include "boot/bootinfo.h"
#include "miniport.h"

/* The bits a boot loader's colour field covers, as a channel mask; bits
 * past 31 are dropped. */
ULONG vp_field_mask(struct color_field f);

/* The frame buffer of mode m, whose video memory starts at vram_phys:
 * MAP maps its bitmap (VideoMemoryBitmapHeight rows), SHARE reaches the
 * bitmap's whole units (pages, or the banks of a banked mode). No bank
 * hardware is filled in. */
struct vp_frame_buffer vp_mode_frame_buffer(const VIDEO_MODE_INFORMATION *m,
                                            PHYSICAL_ADDRESS vram_phys, ULONG in_io_space,
                                            ULONG unit);

/* Give d as bitmap every row that `usable` bytes of video memory hold.
 * True when d is a depth vidport draws (8, 16, 24, 32 bpp) and the frame,
 * rounded up to `bank` (a power of two), lies in that bitmap: then both twins' SHARE
 * limits (the bitmap in whole pages or banks) cover the frame. */
bool vp_fit_mode(struct vp_mode_desc *d, uint32_t usable, ULONG bank);

/* --- bga: QEMU / Bochs standard VGA --- */

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

/* --- cirrus: QEMU's Cirrus GD5446 --- */

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

/* --- vbe: any VBE 2.0+ adapter, through its video BIOS (vbe_modes.c) --- */

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
};

/* Add the twins mode `number` offers, as `info` describes it, to t for
 * vram_size bytes of video memory: linear when it has a page-aligned
 * linear frame buffer whose video memory lies in [t->lfb_base,
 * t->lfb_limit) (at the same address as the modes before), banked when window A
 * is a readable, writable 64 KiB at A0000 that moves in steps dividing it
 * and no pixel spans two banks. Only packed 8 bpp and direct 16, 24 and
 * 32 bpp modes from 640x480 to 1024x768 are taken, while the table has
 * room. Returns how many entries it added. */
ULONG vbe_add_mode(struct vbe_modes *t, USHORT number, const struct vbe_mode_info *info,
                   uint32_t vram_size);

/* The entry of the WxHxD mode that is banked (or linear), or t->count. */
ULONG vbe_find_mode(const struct vbe_modes *t, ULONG width, ULONG height, ULONG bpp, bool banked);

/* --- bootfb: the boot loader's frame buffer --- */

/* Whether the boot loader's frame buffer can be driven: an RGB frame of
 * 8, 16, 24 or 32 bpp, at least a pixel, rows at least as long as their
 * pixels, whose pages end at or below 4 GiB. If so its one mode, and the
 * frame buffer that mode gives the requests. */
bool bootfb_usable(bool has_framebuffer, const struct boot_framebuffer *fb);
void bootfb_describe_mode(VIDEO_MODE_INFORMATION *mode, const struct boot_framebuffer *fb);
struct vp_frame_buffer bootfb_frame_buffer(const struct boot_framebuffer *fb);
