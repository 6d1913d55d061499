/*
 * Miniport for the frame buffer the boot loader set up (UEFI GOP, a VBE
 * mode on an unknown card): one mode, the one found, which cannot be
 * changed; RESET_DEVICE has nothing to do. The frame's last page is
 * shareable in full, since boot frame buffers are whole pages of video
 * memory.
 */
#include "miniport.h"
#include "miniports.h"
#include "mp_modes.h"

#include "boot/bootinfo.h"

struct bootfb_extension {
    struct boot_framebuffer fb;
    VIDEO_MODE_INFORMATION mode;
};

bool bootfb_probe(void)
{
    const struct boot_info *boot = kernel_boot_info();
    return bootfb_usable(boot->has_framebuffer, &boot->fb);
}

static VP_STATUS bootfb_find_adapter(PVOID ext)
{
    struct bootfb_extension *x = ext;
    if (!bootfb_probe())
        return ERROR_DEV_NOT_EXIST;
    x->fb = kernel_boot_info()->fb;
    bootfb_describe_mode(&x->mode, &x->fb);
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
    struct vp_adapter_state state = {
        .modes = &x->mode, .mode_count = 1, .current_mode = 0,
        .fb = bootfb_frame_buffer(&x->fb),
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
