/*
 * Miniport for QEMU's / Bochs' standard VGA (PCI 1234:1111), programmed
 * through the DISPI registers (index port 0x1CE, data 0x1CF).
 *
 * Video memory is read from BAR0, never assumed. Modes: 640x480, 800x600
 * and 1024x768 at 8, 16 and 32 bpp, plus the mode found at boot if it is
 * none of those, each twice: linear (through BAR0) and banked (DISPI
 * enabled without its LFB bit, reached only through the 64 KiB window at
 * 0xA0000 and the BANK register). The option video=banked makes the
 * banked twin of the boot mode current. 8 bpp modes use the fixed RGB
 * 3-3-2 palette. The last
 * 64 KiB of video memory is this driver's private scratch area (reserved
 * for a cursor image), so it is never part of a view or a MAP.
 * RESET_DEVICE returns to the mode found at boot.
 */
#include "drivers/videoport/miniport_api.h"
#include "builtin.h"
#include "bga_modes.h"

#include "drivers/pci.h"
#include "kernel/kstring.h"
#include "vga_regs.h"

#define BGA_VENDOR 0x1234
#define BGA_DEVICE 0x1111
#define DISPI_INDEX 0x01CE
#define DISPI_DATA 0x01CF
#define DISPI_ID 0
#define DISPI_XRES 1
#define DISPI_YRES 2
#define DISPI_BPP 3
#define DISPI_ENABLE 4
#define DISPI_BANK 5
#define DISPI_ID_MASK 0xFFF0
#define DISPI_ID_BASE 0xB0C0
#define DISPI_ENABLED 0x01
#define DISPI_LFB_ENABLED 0x40
#define DISPI_NOCLEARMEM 0x80
#define PAGE 4096u
#define BGA_WINDOW 0xA0000u

struct bga_extension {
    struct pci_location pci;
    uint32_t lfb_phys, vram_size;
    struct bga_modes table;
    ULONG current, boot_mode;
};

static const USHORT bga_ports[] = { DISPI_INDEX, DISPI_DATA };

static USHORT dispi_read(USHORT index)
{
    VideoPortWritePortUshort(DISPI_INDEX, index);
    return VideoPortReadPortUshort(DISPI_DATA);
}

static void dispi_write(USHORT index, USHORT value)
{
    VideoPortWritePortUshort(DISPI_INDEX, index);
    VideoPortWritePortUshort(DISPI_DATA, value);
}

bool bga_probe(void)
{
    struct pci_location at;
    return pci_find(BGA_VENDOR, BGA_DEVICE, &at) &&
           (dispi_read(DISPI_ID) & DISPI_ID_MASK) == DISPI_ID_BASE;
}

static bool is_banked(const VIDEO_MODE_INFORMATION *m)
{
    return m->AttributeFlags & VIDEO_MODE_BANKED;
}

static VP_STATUS bga_find_adapter(PVOID ext)
{
    struct bga_extension *x = ext;
    if (!pci_find(BGA_VENDOR, BGA_DEVICE, &x->pci) ||
        !pci_memory_bar(x->pci, 0, &x->lfb_phys, &x->vram_size) ||
        !bga_list_modes(&x->table, x->vram_size))
        return ERROR_DEV_NOT_EXIST;
    return NO_ERROR;
}

/* The bank routine: which 64 KiB of video memory the window shows. One
 * window, so ReadBank and WriteBank are always the same bank. */
static void bga_select_bank(ULONG read_bank, ULONG write_bank, PVOID context)
{
    (void)write_bank, (void)context;
    dispi_write(DISPI_BANK, (USHORT)read_bank);
}

static void program_mode(const struct bga_extension *x, ULONG index, bool clear)
{
    const VIDEO_MODE_INFORMATION *m = &x->table.modes[index];
    dispi_write(DISPI_ENABLE, 0);
    dispi_write(DISPI_XRES, (USHORT)m->VisScreenWidth);
    dispi_write(DISPI_YRES, (USHORT)m->VisScreenHeight);
    dispi_write(DISPI_BPP, (USHORT)m->BitsPerPlane);
    USHORT access = is_banked(m) ? 0 : DISPI_LFB_ENABLED;
    dispi_write(DISPI_ENABLE, DISPI_ENABLED | access | (clear ? 0 : DISPI_NOCLEARMEM));
    if (m->BitsPerPlane == 8)
        vga_load_rgb332_palette();
}

/* Keep the geometry the boot loader set when it is usable (otherwise
 * 800x600x32), linear unless the video=banked option asks otherwise. */
static BOOLEAN bga_initialize(PVOID ext)
{
    struct bga_extension *x = ext;
    ULONG w = dispi_read(DISPI_XRES), h = dispi_read(DISPI_YRES), bpp = dispi_read(DISPI_BPP);
    bool enabled = dispi_read(DISPI_ENABLE) & DISPI_ENABLED;
    PCSTR video = VideoPortGetOption(ext, "video");
    bool banked = video && strcmp(video, "banked") == 0;
    x->boot_mode = bga_boot_mode(&x->table, x->vram_size, w, h, bpp, enabled, banked);
    x->current = x->boot_mode;
    program_mode(x, x->current, false);
    return TRUE;
}

static struct vp_adapter_state bga_state(PVOID ext)
{
    struct bga_extension *x = ext;
    const VIDEO_MODE_INFORMATION *m = &x->table.modes[x->current];
    bool banked = is_banked(m);
    struct vp_adapter_state state = {
        .modes = x->table.modes, .mode_count = x->table.count, .current_mode = x->current,
        .reset_mode = x->boot_mode,
        .fb = vp_mode_frame_buffer(m, x->lfb_phys,
                                   VIDEO_MEMORY_SPACE_MEMORY | VIDEO_MEMORY_SPACE_P6CACHE,
                                   banked ? BGA_BANK_SIZE : PAGE),
        .public_ports = bga_ports, .public_port_count = ARRAY_SIZE(bga_ports),
    };
    if (banked) {
        state.fb.banking = (struct vp_bank_hardware){
            .bank_length = BGA_BANK_SIZE, .read_write_bank = TRUE, .window_count = 1,
            .windows = { { BGA_WINDOW, BGA_BANK_SIZE, VP_WINDOW_READ_WRITE } },
            .routine = bga_select_bank, .context = x };
    }
    return state;
}

static VP_STATUS bga_set_mode(PVOID ext, ULONG index, bool clear)
{
    struct bga_extension *x = ext;
    x->current = index;
    program_mode(x, index, clear);
    return NO_ERROR;
}

VP_STANDARD_MINIPORT(bga)
