/*
 * Miniport for the frame buffer the boot loader set up (UEFI GOP, a VBE
 * mode on an unknown card): one mode, the one found, which cannot be
 * changed; RESET_DEVICE has nothing to do. The frame's last page is
 * shareable in full, since boot frame buffers are whole pages of video
 * memory.
 */
#include "miniport.h"
#include "miniports.h"

#include "boot/bootinfo.h"

#define PAGE 4096u

struct bootfb_extension {
    struct boot_framebuffer fb;
    VIDEO_MODE_INFORMATION mode;
};

static bool usable(const struct boot_info *boot)
{
    const struct boot_framebuffer *fb = &boot->fb;
    bool depth = fb->bpp == 8 || fb->bpp == 16 || fb->bpp == 24 || fb->bpp == 32;
    return boot->has_framebuffer && fb->type == BOOT_FB_RGB && depth &&
           fb->phys + (uint64_t)fb->pitch * fb->height <= (1ull << 32);
}

bool bootfb_probe(void)
{
    return usable(kernel_boot_info());
}

static ULONG field_mask(struct color_field f)
{
    return ((1u << f.size) - 1) << f.position;
}

static VP_STATUS bootfb_find_adapter(PVOID ext)
{
    struct bootfb_extension *x = ext;
    const struct boot_info *boot = kernel_boot_info();
    if (!usable(boot))
        return ERROR_DEV_NOT_EXIST;
    x->fb = boot->fb;
    struct vp_mode_desc d = {
        .width = x->fb.width, .height = x->fb.height, .bpp = x->fb.bpp, .stride = x->fb.pitch,
        .bitmap_height = x->fb.height, .red_mask = field_mask(x->fb.red),
        .green_mask = field_mask(x->fb.green), .blue_mask = field_mask(x->fb.blue),
    };
    vp_fill_mode(&x->mode, 0, &d);
    return NO_ERROR;
}

static BOOLEAN bootfb_initialize(PVOID ext)
{
    (void)ext;
    return TRUE;
}

static BOOLEAN bootfb_start_io(PVOID ext, PVIDEO_REQUEST_PACKET vrp)
{
    struct bootfb_extension *x = ext;
    ULONG frame = x->fb.pitch * x->fb.height;
    struct vp_adapter_state state = {
        .modes = &x->mode, .mode_count = 1, .current_mode = 0,
        .fb = { .vram_phys = x->fb.phys, .frame_length = frame, .bitmap_length = frame,
                .shareable_length = ALIGN_UP(frame, PAGE),
                .in_io_space = VIDEO_MEMORY_SPACE_MEMORY | VIDEO_MEMORY_SPACE_P6CACHE },
    };
    ULONG index, flags;
    if (vrp->IoControlCode == IOCTL_VIDEO_SET_CURRENT_MODE) {
        if (vp_read_set_mode(vrp, 1, &index, &flags))
            vp_complete(vrp, NO_ERROR); /* the one mode is always set */
    } else if (vrp->IoControlCode == IOCTL_VIDEO_RESET_DEVICE) {
        vp_complete(vrp, NO_ERROR);
    } else {
        vp_standard_request(ext, vrp, &state);
    }
    return TRUE;
}

static const VIDEO_HW_INITIALIZATION_DATA bootfb_hw = {
    .Name = "bootfb",
    .HwDeviceExtensionSize = sizeof(struct bootfb_extension),
    .HwFindAdapter = bootfb_find_adapter,
    .HwInitialize = bootfb_initialize,
    .HwStartIO = bootfb_start_io,
};

VP_STATUS bootfb_driver_entry(void)
{
    return VideoPortInitialize(&bootfb_hw);
}
