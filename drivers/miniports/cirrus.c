/*
 * Miniport for QEMU's Cirrus Logic GD5446 (-vga cirrus, PCI 1013:00B8).
 *
 * It programs no CRTC timings: it starts from the mode the boot loader
 * (GRUB's cirrus driver, through insmod all_video) set, as the loader
 * reported it in the multiboot frame buffer information and provided the
 * Cirrus registers agree. Only the display end is set right (GRUB shows
 * one line less than it reports; see set_display_end). That one geometry
 * is offered twice:
 *
 *   0  banked: reached only through the dual-page window, two independent
 *      32 KiB banks side by side, 0xA0000-0xA7FFF chosen by GR9 and
 *      0xA8000-0xAFFFF by GRA, both in 16 KiB units (GRB = dual page |
 *      16 KiB granularity; banking applies while SR7 bit 0 is set). The
 *      port's arbiter keeps a copy's source and destination present at
 *      once, so copying between banks needs no RAM bounce.
 *   1  linear: the same geometry through BAR0; the window goes back to
 *      one plain 64 KiB page.
 *
 * The banked twin is current at start and after RESET_DEVICE, whatever the
 * options say (unlike bga, video=banked is not needed): two-window banking
 * is what this miniport exists for. Mode sets clear video memory with the
 * blitter's solid fill unless asked not to. The last 32 KiB of video
 * memory stays private: the hardware cursor's patterns live in its last
 * 16 KiB, and 32 KiB keeps the shared part a whole number of banks.
 */
#include "drivers/videoport/miniport_api.h"
#include "builtin.h"
#include "cirrus_modes.h"

#include "boot/bootinfo.h"
#include "drivers/pci.h"
#include "vga_regs.h"

#define CIRRUS_VENDOR 0x1013
#define CIRRUS_DEVICE 0x00B8

#define SEQ_INDEX 0x3C4
#define GC_INDEX 0x3CE
#define MISC_READ 0x3CC
#define MISC_COLOR 0x01
#define CRTC_COLOR 0x3D4
#define CRTC_MONO 0x3B4

#define SR_UNLOCK 0x06
#define SR_UNLOCK_KEY 0x12
#define SR_MODE 0x07
#define SR_MODE_EXTENDED 0x01
#define SR_MODE_DEPTH 0x0E
#define SR_MEMORY_SIZE 0x15

#define GR_OFFSET0 0x09
#define GR_OFFSET1 0x0A
#define GR_BANKING 0x0B
#define GR_BANKING_DUAL 0x01
#define GR_BANKING_16K 0x20

#define CR_H_DISPLAY_END 0x01
#define CR_OVERFLOW 0x07
#define CR_START_HIGH 0x0C
#define CR_START_LOW 0x0D
#define CR_V_SYNC_END 0x11
#define CR_PROTECT 0x80
#define CR_V_DISPLAY_END 0x12
#define CR_OFFSET 0x13
#define CR_MISC_CONTROL 0x1A
#define CR_EXT_DISPLAY 0x1B
#define CR_OVERLAY 0x1D

/* The blitter (GR20-GR33): clears video memory at a mode set. */
#define GR_BLT_WIDTH 0x20
#define GR_BLT_HEIGHT 0x22
#define GR_BLT_DST_PITCH 0x24
#define GR_BLT_DST_ADDR 0x28
#define GR_BLT_MODE 0x30
#define GR_BLT_STATUS 0x31
#define GR_BLT_ROP 0x32
#define GR_BLT_MODE_EXT 0x33
#define BLT_MODE_FILL 0xC0 /* pattern copy | colour expand, 8-bit pixels */
#define BLT_MODE_EXT_SOLID 0x04
#define BLT_ROP_ZERO 0x00
#define BLT_START 0x02
#define BLT_BUSY 0x01
#define BLT_LINE 0x1000u /* a clear is a run of 4 KiB lines */
#define BLT_POLLS 1000000

#define CIRRUS_WINDOW 0xA0000u
#define CIRRUS_GRANULE 0x4000u /* the unit of GR9 / GRA with GRB bit 5 */
#define CIRRUS_MB (1024u * 1024u)
#define PAGE 4096u

struct cirrus_extension {
    struct pci_location pci;
    uint32_t lfb_phys, vram_size;
    USHORT crtc;
    VIDEO_MODE_INFORMATION modes[CIRRUS_MODES];
    ULONG current;
};

static const USHORT cirrus_ports[] = { SEQ_INDEX, SEQ_INDEX + 1, GC_INDEX, GC_INDEX + 1 };

static UCHAR reg_read(USHORT index_port, UCHAR index)
{
    VideoPortWritePortUchar(index_port, index);
    return VideoPortReadPortUchar(index_port + 1);
}

static void reg_write(USHORT index_port, UCHAR index, UCHAR value)
{
    VideoPortWritePortUchar(index_port, index);
    VideoPortWritePortUchar(index_port + 1, value);
}

bool cirrus_probe(void)
{
    struct pci_location at;
    return pci_find(CIRRUS_VENDOR, CIRRUS_DEVICE, &at);
}

/* Bits per pixel of the extended mode SR7 selects; 0 when the adapter is
 * in plain VGA (no frame buffer, no banking) or in a depth it lacks. */
static ULONG sr7_depth(void)
{
    UCHAR mode = reg_read(SEQ_INDEX, SR_MODE);
    if (!(mode & SR_MODE_EXTENDED))
        return 0;
    switch (mode & SR_MODE_DEPTH) {
    case 0x00: return 8;
    case 0x02: /* 16 bpp with the clock doubled */
    case 0x06: return 16;
    case 0x04: return 24;
    case 0x08: return 32;
    default: return 0;
    }
}

/* The display start, which must be the start of video memory: the port
 * shares the frame from offset 0. */
static ULONG display_start(USHORT crtc)
{
    UCHAR ext = reg_read(crtc, CR_EXT_DISPLAY);
    return reg_read(crtc, CR_START_LOW) | (ULONG)reg_read(crtc, CR_START_HIGH) << 8 |
           (ULONG)(ext & 0x01) << 16 | (ULONG)(ext & 0x0C) << 15 |
           (ULONG)(reg_read(crtc, CR_OVERLAY) & 0x80) << 12;
}

/* Width, displayed lines and stride from the CRTC, decoded as the GD5446
 * does; the start address must be 0 and the mode not interlaced. */
static bool read_crtc(USHORT crtc, struct vp_mode_desc *d)
{
    UCHAR overflow = reg_read(crtc, CR_OVERFLOW);
    d->width = (reg_read(crtc, CR_H_DISPLAY_END) + 1u) * 8;
    d->height = (reg_read(crtc, CR_V_DISPLAY_END) | (overflow & 0x02u) << 7 |
                 (overflow & 0x40u) << 3) + 1;
    d->stride = (reg_read(crtc, CR_OFFSET) | (reg_read(crtc, CR_EXT_DISPLAY) & 0x10u) << 4) * 8;
    return display_start(crtc) == 0 && !(reg_read(crtc, CR_MISC_CONTROL) & 0x01);
}

/*
 * Show `height` lines: CR12 and two overflow bits in CR7 hold the last
 * displayed line. GRUB 2.06's cirrus driver stores height - 2 there, so
 * its modes show one line less than it reports; this puts it right.
 */
static void set_display_end(USHORT crtc, ULONG height)
{
    ULONG last = height - 1;
    UCHAR protect = reg_read(crtc, CR_V_SYNC_END); /* bit 7 locks CR0-CR7 */
    reg_write(crtc, CR_V_SYNC_END, protect & ~CR_PROTECT);
    UCHAR overflow = reg_read(crtc, CR_OVERFLOW) & ~0x42;
    reg_write(crtc, CR_OVERFLOW, overflow | (last >> 7 & 0x02) | (last >> 3 & 0x40));
    reg_write(crtc, CR_V_DISPLAY_END, (UCHAR)last);
    reg_write(crtc, CR_V_SYNC_END, protect);
}

/* Video memory in bytes from SR15's size code (3: 2 MiB, 4: 4 MiB); 0 for
 * any other code. Either size is within reach of the 8-bit offset
 * registers in 16 KiB units. */
static uint32_t vram_size(void)
{
    UCHAR code = reg_read(SEQ_INDEX, SR_MEMORY_SIZE) & 0x07;
    return code == 3 ? 2 * CIRRUS_MB : code == 4 ? 4 * CIRRUS_MB : 0;
}

/* Both twins of the boot loader's mode, provided the Cirrus registers
 * agree with it (see cirrus_describe_modes); false otherwise or when it
 * does not fit in the shareable part of video memory. */
static bool describe_modes(struct cirrus_extension *x)
{
    const struct boot_info *boot = kernel_boot_info();
    struct vp_mode_desc hw = { .bpp = sr7_depth() };
    return boot->has_framebuffer && read_crtc(x->crtc, &hw) &&
           cirrus_describe_modes(x->modes, &boot->fb, x->lfb_phys, &hw, x->vram_size);
}

/* Find the card, unlock its extensions and describe the boot mode. Any
 * failed check is ERROR_DEV_NOT_EXIST, so that the port goes on to the
 * next miniport in its table (vga or bootfb keeps the screen usable). */
static VP_STATUS cirrus_find_adapter(PVOID ext)
{
    struct cirrus_extension *x = ext;
    uint32_t bar_size;
    if (!pci_find(CIRRUS_VENDOR, CIRRUS_DEVICE, &x->pci) ||
        !pci_memory_bar(x->pci, 0, &x->lfb_phys, &bar_size))
        return ERROR_DEV_NOT_EXIST;
    reg_write(SEQ_INDEX, SR_UNLOCK, SR_UNLOCK_KEY);
    if (reg_read(SEQ_INDEX, SR_UNLOCK) != SR_UNLOCK_KEY)
        return ERROR_DEV_NOT_EXIST;
    x->crtc = VideoPortReadPortUchar(MISC_READ) & MISC_COLOR ? CRTC_COLOR : CRTC_MONO;
    x->vram_size = vram_size();
    if (x->vram_size == 0 || x->vram_size > bar_size || !describe_modes(x))
        return ERROR_DEV_NOT_EXIST;
    return NO_ERROR;
}

/* The bank routine (F19: registers only): the bank of window 0 (the first
 * half of the page at 0xA0000, NT's ReadBank) and of window 1 (the second
 * half, WriteBank), both read-write; a 32 KiB bank is two 16 KiB units. */
static void cirrus_select_banks(ULONG read_bank, ULONG write_bank, PVOID context)
{
    (void)context;
    reg_write(GC_INDEX, GR_OFFSET0, (UCHAR)(read_bank * (CIRRUS_BANK / CIRRUS_GRANULE)));
    reg_write(GC_INDEX, GR_OFFSET1, (UCHAR)(write_bank * (CIRRUS_BANK / CIRRUS_GRANULE)));
}

static void blt_write16(UCHAR index, ULONG value)
{
    reg_write(GC_INDEX, index, (UCHAR)value);
    reg_write(GC_INDEX, index + 1, (UCHAR)(value >> 8));
}

/*
 * Zero the bitmap part of video memory with one solid fill: the blitter
 * reaches it whatever the mode, where a CPU clear would need a mapping
 * that agrees with every live view's memory type. The fill covers whole
 * 4 KiB lines; the private area is a multiple of them, so it is spared.
 */
static void clear_video_memory(const struct cirrus_extension *x)
{
    const VIDEO_MODE_INFORMATION *m = &x->modes[x->current];
    ULONG lines = ALIGN_UP(m->VideoMemoryBitmapHeight * m->ScreenStride, BLT_LINE) / BLT_LINE;
    blt_write16(GR_BLT_WIDTH, BLT_LINE - 1);
    blt_write16(GR_BLT_HEIGHT, lines - 1);
    blt_write16(GR_BLT_DST_PITCH, BLT_LINE);
    blt_write16(GR_BLT_DST_ADDR, 0);
    reg_write(GC_INDEX, GR_BLT_DST_ADDR + 2, 0);
    reg_write(GC_INDEX, GR_BLT_MODE, BLT_MODE_FILL);
    reg_write(GC_INDEX, GR_BLT_MODE_EXT, BLT_MODE_EXT_SOLID);
    reg_write(GC_INDEX, GR_BLT_ROP, BLT_ROP_ZERO);
    reg_write(GC_INDEX, GR_BLT_STATUS, BLT_START);
    for (int i = 0; i < BLT_POLLS && (reg_read(GC_INDEX, GR_BLT_STATUS) & (BLT_START | BLT_BUSY));
         i++)
        ;
}

/* Make x->current the hardware's mode: the window's banking, then the
 * clear, then the palette an 8 bpp mode draws with. */
static void program_mode(const struct cirrus_extension *x, bool clear)
{
    bool banked = x->current == CIRRUS_BANKED;
    reg_write(GC_INDEX, GR_BANKING, banked ? GR_BANKING_DUAL | GR_BANKING_16K : 0);
    cirrus_select_banks(0, banked ? 1 : 0, NULL);
    if (clear)
        clear_video_memory(x);
    if (x->modes[x->current].BitsPerPlane == 8)
        vga_load_rgb332_palette();
}

static BOOLEAN cirrus_initialize(PVOID ext)
{
    struct cirrus_extension *x = ext;
    const VIDEO_MODE_INFORMATION *m = &x->modes[CIRRUS_BANKED];
    set_display_end(x->crtc, m->VisScreenHeight);
    x->current = CIRRUS_BANKED;
    program_mode(x, false);
    return TRUE;
}

/* The banked twin is where RESET_DEVICE returns. */
static struct vp_adapter_state cirrus_state(PVOID ext)
{
    struct cirrus_extension *x = ext;
    bool banked = x->current == CIRRUS_BANKED;
    struct vp_adapter_state state = {
        .modes = x->modes, .mode_count = CIRRUS_MODES, .current_mode = x->current,
        .reset_mode = CIRRUS_BANKED,
        .fb = vp_mode_frame_buffer(&x->modes[x->current], x->lfb_phys,
                                   VIDEO_MEMORY_SPACE_MEMORY | VIDEO_MEMORY_SPACE_P6CACHE,
                                   banked ? CIRRUS_BANK : PAGE),
        .public_ports = cirrus_ports, .public_port_count = ARRAY_SIZE(cirrus_ports),
    };
    if (banked) {
        state.fb.banking = (struct vp_bank_hardware){
            .bank_length = CIRRUS_BANK, .read_write_bank = FALSE, .window_count = 2,
            .windows = { { CIRRUS_WINDOW, CIRRUS_BANK, VP_WINDOW_READ_WRITE },
                         { CIRRUS_WINDOW + CIRRUS_BANK, CIRRUS_BANK, VP_WINDOW_READ_WRITE } },
            .routine = cirrus_select_banks, .context = x };
    }
    return state;
}

static VP_STATUS cirrus_set_mode(PVOID ext, ULONG index, bool clear)
{
    struct cirrus_extension *x = ext;
    x->current = index;
    program_mode(x, clear);
    return NO_ERROR;
}

VP_STANDARD_MINIPORT(cirrus)
