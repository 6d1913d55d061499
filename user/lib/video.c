/*
 * Video calls: the system-call wrappers for adapters and DdMapMemory, and
 * the names of their status codes. The screen helpers are in vpdraw.c.
 */
#include <vidport.h>

static NTSTATUS last_ntstatus;

HANDLE video_open(const char *name)
{
    int32_t r = vp_syscall(SYS_VIDEO_OPEN, (uint32_t)name, 0, 0, 0, 0);
    return r < 0 ? NULL : (HANDLE)r;
}

VP_STATUS video_control(HANDLE dev, ULONG code, void *in, ULONG in_len, void *out,
                        ULONG out_len, ULONG *returned)
{
    struct vp_video_control rq = { .device = dev, .code = code, .in = in, .in_len = in_len,
                                   .out = out, .out_len = out_len };
    VP_STATUS status = vp_syscall(SYS_VIDEO_CONTROL, (uint32_t)&rq, 0, 0, 0, 0);
    last_ntstatus = rq.nt_status;
    if (returned)
        *returned = rq.returned;
    return status;
}

NTSTATUS video_last_ntstatus(void)
{
    return last_ntstatus;
}

ULONG dd_map_memory(DD_MAPMEMORYDATA *data)
{
    int32_t r = vp_syscall(SYS_DD_MAP_MEMORY, (uint32_t)data, 0, 0, 0, 0);
    return r < 0 ? DDHAL_DRIVER_NOTHANDLED : (ULONG)r;
}

uint32_t page_entry(const void *va)
{
    uint32_t entry = 0;
    vp_syscall(SYS_PAGE_QUERY, (uint32_t)va, (uint32_t)&entry, 0, 0, 0);
    return entry;
}

const char *vp_status_name(VP_STATUS status)
{
    switch (status) {
    case NO_ERROR: return "NO_ERROR";
    case ERROR_INVALID_FUNCTION: return "ERROR_INVALID_FUNCTION";
    case ERROR_INVALID_HANDLE: return "ERROR_INVALID_HANDLE";
    case ERROR_NOT_ENOUGH_MEMORY: return "ERROR_NOT_ENOUGH_MEMORY";
    case ERROR_INVALID_PARAMETER: return "ERROR_INVALID_PARAMETER";
    case ERROR_INSUFFICIENT_BUFFER: return "ERROR_INSUFFICIENT_BUFFER";
    case ERROR_MORE_DATA: return "ERROR_MORE_DATA";
    case ERROR_NOACCESS: return "ERROR_NOACCESS";
    default: return "error";
    }
}
