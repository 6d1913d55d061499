/*
 * The display driver. Like an NT display driver it talks to its adapter
 * only through device-control requests: MAP_VIDEO_MEMORY for its own
 * mapping of the frame, QUERY_CURRENT_MODE for the geometry, SHARE and
 * UNSHARE on behalf of DdMapMemory.
 */
#include "display.h"

#include "drivers/videoport/videoport.h"
#include "kernel/console.h"
#include "kernel/kernel.h"
#include "kernel/kstring.h"
#include "mm/mm.h"

static struct display {
    struct vp_device *dev;
    PVOID frame;               /* our MAP of the frame buffer, NULL when none */
    struct fb_banking banking; /* how the console reaches a banked frame */
} display;

/* The system buffer of the display's requests lives on the stack: a
 * request, above all the UNMAP that gives a mapping back, must never fail
 * for want of memory (a failed UNMAP would leave the mapping referenced
 * for good). The largest request is a mode's description. */
#define ENG_BUFFER_MAX sizeof(VIDEO_MODE_INFORMATION)

ULONG eng_device_io_control(struct vp_device *dev, struct proc *caller, ULONG code, const void *in,
                            ULONG in_len, void *out, ULONG out_len, ULONG *returned)
{
    union {
        uint8_t bytes[ENG_BUFFER_MAX];
        ULONG align;
    } buffer = { .bytes = { 0 } };
    KASSERT(in_len <= ENG_BUFFER_MAX && out_len <= ENG_BUFFER_MAX);
    *returned = 0;
    if (in_len)
        memcpy(buffer.bytes, in, in_len);
    NTSTATUS status = vp_device_control(dev, caller, code, buffer.bytes, in_len, out_len, returned);
    if (*returned)
        memcpy(out, buffer.bytes, *returned);
    return vp_status_from_nt(status);
}

/* The channel layout behind a colour mask. */
static struct fb_channel channel(ULONG mask)
{
    struct fb_channel ch = { 0, 0 };
    while (mask && !(mask & 1)) {
        mask >>= 1;
        ch.position++;
    }
    while (mask & 1) {
        mask >>= 1;
        ch.size++;
    }
    return ch;
}

/* The window of a banked frame, showing `bank`: the video port's arbiter
 * chooses the bank, so no process's view ever sees the wrong one. */
static uint8_t *kernel_window(void *ctx, uint32_t bank)
{
    return vp_kernel_bank(ctx, bank);
}

/* Banked modes: ask the port for the bank length; false if it has none. */
static bool prepare_banking(const VIDEO_MODE_INFORMATION *m)
{
    VIDPORT_BANKING_INFORMATION info;
    ULONG n;
    if (!(m->AttributeFlags & VIDEO_MODE_BANKED))
        return true;
    if (eng_device_io_control(display.dev, NULL, IOCTL_VIDPORT_QUERY_BANKING, NULL, 0, &info,
                              sizeof(info), &n) != NO_ERROR || !info.BankLength)
        return false;
    display.banking = (struct fb_banking){ .bank_length = info.BankLength,
                                           .window = kernel_window, .ctx = display.dev };
    return true;
}

static struct fb_surface surface_for(const VIDEO_MODE_INFORMATION *m, void *base)
{
    bool banked = m->AttributeFlags & VIDEO_MODE_BANKED;
    return (struct fb_surface){
        .base = base, .banking = banked ? &display.banking : NULL, .width = m->VisScreenWidth, .height = m->VisScreenHeight,
        .pitch = m->ScreenStride, .bpp = m->BitsPerPlane, .red = channel(m->RedMask),
        .green = channel(m->GreenMask), .blue = channel(m->BlueMask),
    };
}

/* Map the current frame and move the console there. */
static void attach_console(void)
{
    VIDEO_MODE_INFORMATION mode;
    VIDEO_MEMORY request = { NULL };
    VIDEO_MEMORY_INFORMATION mapped;
    ULONG n;
    if (eng_device_io_control(display.dev, NULL, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, &mode,
                              sizeof(mode), &n) != NO_ERROR ||
        eng_device_io_control(display.dev, NULL, IOCTL_VIDEO_MAP_VIDEO_MEMORY, &request,
                              sizeof(request), &mapped, sizeof(mapped), &n) != NO_ERROR) {
        kprintf("display: cannot map the frame buffer of %s\n", vp_device_name(display.dev));
        return;
    }
    display.frame = mapped.FrameBufferBase;
    struct fb_surface surface = surface_for(&mode, display.frame);
    if (!prepare_banking(&mode) || screen_console_set_surface(&surface) != 0)
        kprintf("display: the console cannot draw on %ux%ux%u\n", mode.VisScreenWidth,
                mode.VisScreenHeight, mode.BitsPerPlane);
    else
        kprintf("screen: %ux%ux%u pitch %u%s on %s\n", mode.VisScreenWidth,
                mode.VisScreenHeight, mode.BitsPerPlane, mode.ScreenStride,
                surface.banking ? " banked" : "", vp_device_name(display.dev));
}

/* The console leaves the frame first: if mapping the next one fails, it
 * must not go on drawing where nothing is mapped any more. */
static void detach_frame(void)
{
    VIDEO_MEMORY request = { display.frame };
    ULONG n;
    screen_console_detach();
    if (display.frame)
        eng_device_io_control(display.dev, NULL, IOCTL_VIDEO_UNMAP_VIDEO_MEMORY, &request,
                              sizeof(request), NULL, 0, &n);
    display.frame = NULL;
}

static void on_views_changed(struct vp_device *dev, uint32_t live_views)
{
    (void)dev;
    screen_console_set_drawing(live_views == 0);
}

/* The old mapping shows the old geometry: map again and move the console. */
static void on_mode_changed(struct vp_device *dev)
{
    (void)dev;
    detach_frame();
    attach_console();
}

static const struct vp_display_hooks hooks = {
    .views_changed = on_views_changed,
    .mode_changed = on_mode_changed,
};

void disp_enable(struct vp_device *dev)
{
    display.dev = dev;
    attach_console();
    vp_set_display_hooks(dev, &hooks);
}

/* The visible frame's size in bytes, or 0 if the mode cannot be read. */
static ULONG frame_bytes(struct proc *caller)
{
    VIDEO_MODE_INFORMATION mode;
    ULONG n;
    if (eng_device_io_control(display.dev, caller, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, &mode,
                              sizeof(mode), &n) != NO_ERROR)
        return 0;
    return mode.VisScreenHeight * mode.ScreenStride;
}

ULONG disp_dd_map_memory(struct proc *caller, DD_MAPMEMORYDATA *data)
{
    if (!display.dev)
        return DDHAL_DRIVER_NOTHANDLED;
    VIDEO_SHARE_MEMORY request = { .ProcessHandle = data->hProcess };
    VIDEO_SHARE_MEMORY_INFORMATION shared;
    ULONG n, status;
    if (data->bMap) {
        request.ViewSize = frame_bytes(caller);
        status = eng_device_io_control(display.dev, caller, IOCTL_VIDEO_SHARE_VIDEO_MEMORY,
                                       &request, sizeof(request), &shared, sizeof(shared), &n);
        data->fpProcess = status == NO_ERROR ? (FLATPTR)shared.VirtualAddress : 0;
    } else {
        request.RequestedVirtualAddress = (PVOID)data->fpProcess;
        status = eng_device_io_control(display.dev, caller, IOCTL_VIDEO_UNSHARE_VIDEO_MEMORY,
                                       &request, sizeof(request), NULL, 0, &n);
    }
    data->ddRVal = status == NO_ERROR ? DD_OK : DDERR_GENERIC;
    return DDHAL_DRIVER_HANDLED;
}
