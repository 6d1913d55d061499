/*
 * Video system calls: opening an adapter, device control with the NT
 * METHOD_BUFFERED semantics, DdMapMemory, and the page-table query tests
 * use to check memory types. Device control returns a VP_STATUS, not an
 * errno: a bad user pointer is ERROR_NOACCESS, and the request does not
 * run at all when its request block or output buffer could not be written
 * back. Once a request has run, its status stands (F26): if the memory
 * that holds its block or output is gone afterwards, the request removed
 * it itself (an UNSHARE of the view holding them), and nothing is written.
 */
#include "abi/vidport_abi.h"
#include "drivers/display/display.h"
#include "drivers/videoport/videoport.h"
#include "kstring.h"
#include "proc.h"
#include "syscall.h"

#define DEVICE_NAME_MAX 16

int32_t sys_video_open(uint32_t name_ptr, uint32_t b, uint32_t c, uint32_t d, uint32_t e)
{
    (void)b, (void)c, (void)d, (void)e;
    char name[DEVICE_NAME_MAX];
    int err = copy_string_from_user(name, name_ptr, sizeof(name));
    if (err)
        return err == -VP_EFAULT ? err : -VP_ENOENT;
    for (int i = 0; i < VP_DEVICE_MAX; i++) {
        struct vp_device *dev = vp_device_at(i);
        if (dev && strcmp(vp_device_name(dev), name) == 0) {
            current->video_opened |= 1u << i;
            return (int32_t)(VP_VIDEO_HANDLE_BASE + (uint32_t)i);
        }
    }
    return -VP_ENOENT;
}

/* The adapter behind a handle the current process opened, or NULL. */
static struct vp_device *opened_device(HANDLE handle)
{
    uint32_t index = (uint32_t)handle - VP_VIDEO_HANDLE_BASE;
    bool opened = index < VP_DEVICE_MAX && (current->video_opened & (1u << index));
    return opened ? vp_device_at((int)index) : NULL;
}

/* True when len bytes at va can be written back after the request: they
 * are readable and writable user memory the kernel can reach. */
static bool output_writable(uint32_t va, uint32_t len, void *scratch)
{
    return vm_prefault(current->vm, va, len, FAULT_WRITE) == 0 &&
           copy_from_user(scratch, va, len) == 0;
}

/* The system buffer of METHOD_BUFFERED requests. One is enough: a request
 * runs to completion with interrupts off and never sleeps, and requests the
 * display driver makes from inside one use buffers of their own. */
static uint8_t system_buffer[VP_VIDEO_BUFFER_MAX];

/* Run one request through the system buffer; fills returned and nt_status. */
static VP_STATUS buffered_request(struct vp_device *dev, struct vp_video_control *rq)
{
    ULONG in_len = rq->in_len < VP_VIDEO_BUFFER_MAX ? rq->in_len : VP_VIDEO_BUFFER_MAX;
    ULONG out_len = rq->out_len < VP_VIDEO_BUFFER_MAX ? rq->out_len : VP_VIDEO_BUFFER_MAX;
    if (!output_writable((uint32_t)rq->out, out_len, system_buffer))
        return ERROR_NOACCESS;
    memset(system_buffer, 0, out_len); /* nothing of an earlier request can leak out */
    if (copy_from_user(system_buffer, (uint32_t)rq->in, in_len) != 0)
        return ERROR_NOACCESS;
    rq->nt_status = vp_device_control(dev, current, rq->code, system_buffer, in_len, out_len,
                                      &rq->returned);
    (void)copy_to_user((uint32_t)rq->out, system_buffer, rq->returned); /* fails only if gone */
    return vp_status_from_nt(rq->nt_status);
}

int32_t sys_video_control(uint32_t request, uint32_t b, uint32_t c, uint32_t d, uint32_t e)
{
    (void)b, (void)c, (void)d, (void)e;
    struct vp_video_control rq;
    if (vm_prefault(current->vm, request, sizeof(rq), FAULT_WRITE) != 0 ||
        copy_from_user(&rq, request, sizeof(rq)) != 0)
        return ERROR_NOACCESS;
    struct vp_device *dev = opened_device(rq.device);
    rq.returned = 0;
    rq.nt_status = STATUS_INVALID_HANDLE;
    VP_STATUS status = dev ? buffered_request(dev, &rq) : ERROR_INVALID_HANDLE;
    (void)copy_to_user(request, &rq, sizeof(rq)); /* fails only if the request removed it */
    return status;
}

int32_t sys_dd_map_memory(uint32_t data_ptr, uint32_t b, uint32_t c, uint32_t d, uint32_t e)
{
    (void)b, (void)c, (void)d, (void)e;
    DD_MAPMEMORYDATA data;
    if (copy_from_user(&data, data_ptr, sizeof(data)) != 0 ||
        copy_to_user(data_ptr, &data, sizeof(data)) != 0)
        return -VP_EFAULT;
    ULONG handled = disp_dd_map_memory(current, &data);
    (void)copy_to_user(data_ptr, &data, sizeof(data)); /* fails only if the unmap removed it */
    return (int32_t)handled;
}

int32_t sys_page_query(uint32_t va, uint32_t entry_ptr, uint32_t c, uint32_t d, uint32_t e)
{
    (void)c, (void)d, (void)e;
    uint32_t entry = va < USER_END ? pg_entry(&current->vm->pd, va) : 0;
    return copy_to_user(entry_ptr, &entry, sizeof(entry));
}
