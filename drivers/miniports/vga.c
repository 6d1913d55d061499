/*
 * Miniport for the standard VGA: mode 13h (320x200, 8 bpp with the RGB
 * 3-3-2 palette), the 64 KiB window at 0xA0000, programmed without the
 * BIOS. It is chosen when the boot loader left no frame buffer bootfb
 * could drive (none, EGA text or indexed colour: GRUB leaves text when the
 * card cannot show the mode asked for), or with video.miniport=vga; a
 * Bochs DISPI mode left on by the boot loader is switched off first, since
 * it would hide the VGA registers' mode.
 */
#include "drivers/videoport/miniport_api.h"
#include "builtin.h"

#include "vga_regs.h"

#define VGA_WINDOW 0xA0000u
#define VGA_WINDOW_SIZE 0x10000u
#define DISPI_INDEX 0x01CE
#define DISPI_DATA 0x01CF
#define DISPI_ID 0
#define DISPI_ENABLE 4
#define DISPI_ID_MASK 0xFFF0
#define DISPI_ID_BASE 0xB0C0

struct vga_extension {
    VIDEO_MODE_INFORMATION mode;
};

/* Whenever bootfb declines, so that a screen no specific miniport takes
 * (or whose miniport fails to start) is never left without one. */
bool vga_probe(void)
{
    return !bootfb_probe() && vga_present();
}

static VP_STATUS vga_find_adapter(PVOID ext)
{
    struct vga_extension *x = ext;
    if (!vga_present())
        return ERROR_DEV_NOT_EXIST;
    struct vp_mode_desc d = { .width = 320, .height = 200, .bpp = 8, .stride = 320,
                              .bitmap_height = VGA_WINDOW_SIZE / 320 };
    vp_standard_masks(8, &d);
    vp_fill_mode(&x->mode, 0, &d);
    return NO_ERROR;
}

static void enter_mode_13h(void)
{
    VideoPortWritePortUshort(DISPI_INDEX, DISPI_ID);
    if ((VideoPortReadPortUshort(DISPI_DATA) & DISPI_ID_MASK) == DISPI_ID_BASE) {
        VideoPortWritePortUshort(DISPI_INDEX, DISPI_ENABLE);
        VideoPortWritePortUshort(DISPI_DATA, 0);
    }
    vga_set_mode_13h();
    vga_load_rgb332_palette();
}

static BOOLEAN vga_initialize(PVOID ext)
{
    (void)ext;
    enter_mode_13h();
    return TRUE;
}

static struct vp_adapter_state vga_state(PVOID ext)
{
    const struct vga_extension *x = ext;
    return (struct vp_adapter_state){
        .modes = &x->mode, .mode_count = 1,
        .fb = { .vram_phys = VGA_WINDOW, .frame_length = 320 * 200,
                .bitmap_length = VGA_WINDOW_SIZE, .shareable_length = VGA_WINDOW_SIZE,
                .in_io_space = VIDEO_MEMORY_SPACE_MEMORY },
    };
}

/* Mode 13h again, whatever was asked (it is the one mode). */
static VP_STATUS vga_set_mode(PVOID ext, ULONG index, bool clear)
{
    (void)ext, (void)index, (void)clear;
    enter_mode_13h();
    return NO_ERROR;
}

VP_STANDARD_MINIPORT(vga)
