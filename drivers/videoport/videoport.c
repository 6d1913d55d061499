/*
 * The video port core: the adapter table, miniport discovery, request
 * dispatch and the one place VP_STATUS and NTSTATUS are translated.
 *
 * A request from a process or the display driver arrives as one
 * METHOD_BUFFERED buffer. The port handles its own codes, otherwise it
 * builds a VIDEO_REQUEST_PACKET whose input and output are that buffer and
 * sends it to the miniport's HwStartIO. All kernel code runs with
 * interrupts off, so requests are serialised without a lock. The status
 * translation and the other pure checks live in vp_validate.c.
 */
#include "vp_internal.h"

#include "kernel/cmdline.h"
#include "kernel/format.h"
#include "kernel/kstring.h"
#include "drivers/miniports/builtin.h"

static struct vp_device devices[VP_DEVICE_MAX];

/* Discovery order: as drivers/miniports/builtin.h lists them. */
static const struct {
    const char *name;
    bool (*probe)(void);
    VP_STATUS (*driver_entry)(void);
} miniport_table[] = {
#define MINIPORT_ENTRY(name) { #name, name##_probe, name##_driver_entry },
    BUILTIN_MINIPORTS(MINIPORT_ENTRY)
#undef MINIPORT_ENTRY
};

struct vp_device *vpi_device_slot(int index)
{
    return &devices[index];
}

struct vp_device *vpi_device_of(const void *extension)
{
    for (int i = 0; i < VP_DEVICE_MAX; i++) {
        if (devices[i].in_use && devices[i].extension == extension)
            return &devices[i];
    }
    panic("video port: unknown device extension %p", extension);
}

static struct vp_device *free_slot(void)
{
    for (int i = 0; i < VP_DEVICE_MAX; i++) {
        if (!devices[i].in_use)
            return &devices[i];
    }
    return NULL;
}

struct vp_device *vp_attach(const VIDEO_HW_INITIALIZATION_DATA *hw)
{
    struct vp_device *dev = free_slot();
    void *ext = dev ? kzalloc(hw->HwDeviceExtensionSize) : NULL;
    if (!ext)
        return NULL;
    *dev = (struct vp_device){ .in_use = true, .hw = hw, .extension = ext };
    ksnprintf(dev->name, sizeof(dev->name), "Video%d", (int)(dev - devices));
    bool ready = vpi_bank_attach(dev) && vpi_tables_attach(dev);
    if (ready && hw->HwFindAdapter(ext) == NO_ERROR && hw->HwInitialize(ext))
        return dev;
    vpi_tables_detach(dev);
    vpi_bank_detach(dev);
    *dev = (struct vp_device){ .in_use = false };
    kfree(ext);
    return NULL;
}

void vp_detach(struct vp_device *dev)
{
    vpi_release_all(dev);
    vpi_tables_detach(dev);
    vpi_bank_detach(dev);
    kfree(dev->extension);
    *dev = (struct vp_device){ .in_use = false };
}

void *vp_device_extension(const struct vp_device *dev)
{
    return dev->extension;
}

VP_STATUS VideoPortInitialize(const VIDEO_HW_INITIALIZATION_DATA *hw)
{
    struct vp_device *dev = vp_attach(hw);
    if (!dev)
        return ERROR_DEV_NOT_EXIST;
    kprintf("video: %s is the %s miniport\n", dev->name, hw->Name);
    return NO_ERROR;
}

PCSTR VideoPortGetOption(PVOID ext, PCSTR name)
{
    (void)vpi_device_of(ext);
    return kernel_option(name);
}

/* The miniport named `choice` (video.miniport=) if it starts; when it
 * declines (vbe on a UEFI boot), or nothing was chosen, the first of the
 * table whose probe finds its hardware. */
void vp_init(const char *choice)
{
    for (size_t i = 0; choice && i < ARRAY_SIZE(miniport_table); i++) {
        if (strcmp(choice, miniport_table[i].name) == 0 &&
            miniport_table[i].driver_entry() == NO_ERROR)
            return;
    }
    for (size_t i = 0; i < ARRAY_SIZE(miniport_table); i++) {
        bool chosen_before = choice && strcmp(choice, miniport_table[i].name) == 0;
        if (!chosen_before && miniport_table[i].probe() &&
            miniport_table[i].driver_entry() == NO_ERROR)
            return;
    }
    kprintf("video: no adapter found\n");
}

struct vp_device *vp_device_at(int index)
{
    bool valid = index >= 0 && index < VP_DEVICE_MAX && devices[index].in_use;
    return valid ? &devices[index] : NULL;
}

struct vp_device *vp_device_find(const char *name)
{
    for (int i = 0; i < VP_DEVICE_MAX; i++) {
        if (devices[i].in_use && strcmp(devices[i].name, name) == 0)
            return &devices[i];
    }
    return NULL;
}

const char *vp_device_name(const struct vp_device *dev)
{
    return dev->name;
}

const char *vp_device_miniport(const struct vp_device *dev)
{
    return dev->hw->Name;
}

/* IOCTL_VIDPORT_QUERY_VIEW: the state of the caller's view at an address. */
static VP_STATUS query_view(struct vp_device *dev, PVIDEO_REQUEST_PACKET vrp)
{
    if (vrp->InputBufferLength < sizeof(VIDEO_MEMORY) ||
        vrp->OutputBufferLength < sizeof(VIDPORT_VIEW_INFORMATION))
        return vp_complete(vrp, ERROR_INSUFFICIENT_BUFFER);
    uint32_t va = (uint32_t)((PVIDEO_MEMORY)vrp->InputBuffer)->RequestedVirtualAddress;
    struct vp_view *view = dev->caller ? vpi_find_view(dev, dev->caller, va) : NULL;
    if (!view)
        return vp_complete(vrp, ERROR_INVALID_PARAMETER);
    vpi_view_describe(view, vrp->OutputBuffer);
    vrp->StatusBlock->Status = NO_ERROR;
    vrp->StatusBlock->Information = sizeof(VIDPORT_VIEW_INFORMATION);
    return NO_ERROR;
}

static bool changes_mode(ULONG code)
{
    return code == IOCTL_VIDEO_SET_CURRENT_MODE || code == IOCTL_VIDEO_RESET_DEVICE;
}

/* A mode set or reset invalidates every view of the old frame buffer. The
 * display moves to the new mode first, so that when the revocation lets
 * its console draw again, it draws the new geometry. */
static void after_request(struct vp_device *dev, ULONG code, VP_STATUS status)
{
    if (!changes_mode(code) || status != NO_ERROR)
        return;
    dev->generation++;
    vpi_bank_mode_changed(dev);
    if (dev->hooks && dev->hooks->mode_changed)
        dev->hooks->mode_changed(dev);
    vpi_revoke_views(dev);
}

NTSTATUS vp_device_control(struct vp_device *dev, struct proc *caller, ULONG code,
                           void *buffer, ULONG in_len, ULONG out_len, ULONG *information)
{
    STATUS_BLOCK status_block = { .Status = ERROR_INVALID_FUNCTION, .Information = 0 };
    VIDEO_REQUEST_PACKET vrp = { .IoControlCode = code, .StatusBlock = &status_block,
                                 .InputBuffer = buffer, .InputBufferLength = in_len,
                                 .OutputBuffer = buffer, .OutputBufferLength = out_len };
    dev->caller = caller;
    if (changes_mode(code))
        vpi_quiesce_views(dev); /* processes on other CPUs store on till then */
    if (code == IOCTL_VIDPORT_QUERY_VIEW)
        query_view(dev, &vrp);
    else if (!dev->hw->HwStartIO(dev->extension, &vrp))
        panic("video: %s HwStartIO refused request 0x%x", dev->hw->Name, code);
    dev->caller = NULL;
    after_request(dev, code, status_block.Status);
    *information = vpv_reply_information(status_block.Status, status_block.Information, out_len);
    return vp_status_to_nt(status_block.Status);
}

void vp_process_exit(struct proc *p)
{
    for (int i = 0; i < VP_DEVICE_MAX; i++) {
        if (devices[i].in_use)
            vpi_drop_process_maprefs(&devices[i], p);
    }
}

uint32_t vp_record_count(void)
{
    uint32_t n = 0;
    for (int i = 0; i < VP_DEVICE_MAX; i++)
        n += devices[i].in_use ? vpi_record_count(&devices[i]) : 0;
    return n;
}

uint32_t vp_live_views(const struct vp_device *dev)
{
    return dev->live_views;
}

uint32_t vp_generation(const struct vp_device *dev)
{
    return dev->generation;
}

void vp_set_display_hooks(struct vp_device *dev, const struct vp_display_hooks *hooks)
{
    dev->hooks = hooks;
}
