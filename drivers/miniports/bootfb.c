/*
 * Miniport for the frame buffer the boot loader set up (UEFI GOP, a VBE
 * mode on an unknown card): one mode, the one found, which cannot be
 * changed; RESET_DEVICE has nothing to do. The frame's last page is
 * shareable in full, since boot frame buffers are whole pages of video
 * memory.
 */
#include "drivers/videoport/miniport_api.h"
#include "builtin.h"
#include "bootfb_modes.h"

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

static struct vp_adapter_state bootfb_state(PVOID ext)
{
    const struct bootfb_extension *x = ext;
    return (struct vp_adapter_state){ .modes = &x->mode, .mode_count = 1,
                                      .fb = bootfb_frame_buffer(&x->fb) };
}

/* The one mode is always set: there is nothing to program. */
static VP_STATUS bootfb_set_mode(PVOID ext, ULONG index, bool clear)
{
    (void)ext, (void)index, (void)clear;
    return NO_ERROR;
}

VP_STANDARD_MINIPORT(bootfb)
