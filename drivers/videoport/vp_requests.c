/*
 * The memory and mode requests, carried out once for every miniport.
 * Each helper checks the buffer sizes against the right structure, reads
 * its whole input before writing any output (input and output are one
 * buffer), and reports Information only on success.
 */
#include "vp_internal.h"

#include "kernel/kstring.h"

VP_STATUS vp_complete(PVIDEO_REQUEST_PACKET vrp, VP_STATUS status)
{
    vrp->StatusBlock->Status = status;
    vrp->StatusBlock->Information = 0;
    return status;
}

static VP_STATUS complete_with(PVIDEO_REQUEST_PACKET vrp, ULONG information)
{
    vrp->StatusBlock->Status = NO_ERROR;
    vrp->StatusBlock->Information = information;
    return NO_ERROR;
}

/* A linear view of the request, or a banked one on a banked mode. */
static VP_STATUS map_shared_view(PVOID ext, const struct vp_frame_buffer *fb,
                                 const VIDEO_SHARE_MEMORY *in, ULONG size, uint32_t *va)
{
    struct vp_device *dev = vpi_device_of(ext);
    uint32_t requested = (uint32_t)in->RequestedVirtualAddress;
    const struct vp_bank_hardware *hw = &fb->banking;
    if (hw->routine)
        return vpi_map_banked_view(dev, hw, fb->in_io_space, in->ViewOffset / hw->bank_length,
                                   size, in->ProcessHandle, requested, va);
    return vpi_map_user_view(dev, fb->vram_phys + in->ViewOffset, size,
                             fb->in_io_space | VIDEO_MEMORY_SPACE_USER_MODE, in->ProcessHandle,
                             requested, va);
}

/*
 * SHARE (F3-F10, F4', F6'): the view starts at frame + ViewOffset (a page
 * multiple; on a banked mode a bank multiple), covers ViewSize rounded up
 * to whole pages, and must lie inside the shareable part of video memory;
 * every bound is checked without overflow.
 */
static VP_STATUS share_video_memory(PVOID ext, PVIDEO_REQUEST_PACKET vrp,
                                const struct vp_frame_buffer *fb)
{
    if (vrp->InputBufferLength < sizeof(VIDEO_SHARE_MEMORY) ||
        vrp->OutputBufferLength < sizeof(VIDEO_SHARE_MEMORY_INFORMATION))
        return vp_complete(vrp, ERROR_INSUFFICIENT_BUFFER);
    VIDEO_SHARE_MEMORY in = *(PVIDEO_SHARE_MEMORY)vrp->InputBuffer;
    ULONG unit = fb->banking.routine ? fb->banking.bank_length : PAGE_SIZE;
    ULONG size;
    if (!vpv_share_range(in.ViewOffset, in.ViewSize, fb->shareable_length, unit, &size))
        return vp_complete(vrp, ERROR_INVALID_PARAMETER);
    uint32_t va;
    VP_STATUS status = map_shared_view(ext, fb, &in, size, &va);
    if (status != NO_ERROR)
        return vp_complete(vrp, status);
    *(PVIDEO_SHARE_MEMORY_INFORMATION)vrp->OutputBuffer = (VIDEO_SHARE_MEMORY_INFORMATION){
        .SharedViewOffset = in.ViewOffset, .SharedViewSize = size, .VirtualAddress = (PVOID)va };
    return complete_with(vrp, sizeof(VIDEO_SHARE_MEMORY_INFORMATION));
}

/* UNSHARE (F11-F12): any address inside a view the port made for the
 * process the handle names; ViewOffset and ViewSize are ignored. */
static VP_STATUS unshare_video_memory(PVOID ext, PVIDEO_REQUEST_PACKET vrp)
{
    if (vrp->InputBufferLength < sizeof(VIDEO_SHARE_MEMORY))
        return vp_complete(vrp, ERROR_INSUFFICIENT_BUFFER);
    VIDEO_SHARE_MEMORY in = *(PVIDEO_SHARE_MEMORY)vrp->InputBuffer;
    if (!in.ProcessHandle)
        return vp_complete(vrp, ERROR_INVALID_PARAMETER);
    return vp_complete(vrp, VideoPortUnmapMemory(ext, in.RequestedVirtualAddress,
                                                 in.ProcessHandle));
}

/* MAP: a kernel mapping of the bitmap part of video memory; on a banked
 * mode, of the first window's bank, which the kernel picks with
 * vp_kernel_bank (the lengths reported are then a bank's: what is mapped).
 * Only kernel mappings are made this way (RequestedVirtualAddress must be
 * NULL): processes get views through SHARE, which never exposes private
 * memory. */
static VP_STATUS map_video_memory(PVOID ext, PVIDEO_REQUEST_PACKET vrp,
                              const struct vp_frame_buffer *fb)
{
    if (vrp->InputBufferLength < sizeof(VIDEO_MEMORY) ||
        vrp->OutputBufferLength < sizeof(VIDEO_MEMORY_INFORMATION))
        return vp_complete(vrp, ERROR_INSUFFICIENT_BUFFER);
    PVOID base = ((PVIDEO_MEMORY)vrp->InputBuffer)->RequestedVirtualAddress;
    if (base)
        return vp_complete(vrp, ERROR_INVALID_PARAMETER);
    const struct vp_bank_hardware *hw = &fb->banking;
    bool banked = hw->routine != NULL;
    ULONG length = banked ? hw->bank_length : fb->bitmap_length;
    ULONG io = fb->in_io_space;
    if (banked && !vpi_bank_configure(vpi_device_of(ext), hw, io))
        return vp_complete(vrp, ERROR_INVALID_PARAMETER);
    VP_STATUS status = VideoPortMapMemory(ext, banked ? vpi_slot_phys(hw, 0) : fb->vram_phys, &length,
                                          &io, &base);
    if (status != NO_ERROR)
        return vp_complete(vrp, status);
    *(PVIDEO_MEMORY_INFORMATION)vrp->OutputBuffer = (VIDEO_MEMORY_INFORMATION){
        .VideoRamBase = base, .VideoRamLength = banked ? length : fb->bitmap_length,
        .FrameBufferBase = base, .FrameBufferLength = banked ? length : fb->frame_length };
    return complete_with(vrp, sizeof(VIDEO_MEMORY_INFORMATION));
}

/* UNMAP: the exact VideoRamBase a MAP returned. */
static VP_STATUS unmap_video_memory(PVOID ext, PVIDEO_REQUEST_PACKET vrp)
{
    if (vrp->InputBufferLength < sizeof(VIDEO_MEMORY))
        return vp_complete(vrp, ERROR_INSUFFICIENT_BUFFER);
    PVOID base = ((PVIDEO_MEMORY)vrp->InputBuffer)->RequestedVirtualAddress;
    return vp_complete(vrp, VideoPortUnmapMemory(ext, base, NULL));
}

/* IOCTL_VIDPORT_QUERY_BANKING: the arbiter's state and counters. */
static VP_STATUS query_banking(PVOID ext, PVIDEO_REQUEST_PACKET vrp,
                               const struct vp_frame_buffer *fb)
{
    if (vrp->OutputBufferLength < sizeof(VIDPORT_BANKING_INFORMATION))
        return vp_complete(vrp, ERROR_INSUFFICIENT_BUFFER);
    vpi_bank_describe(vpi_device_of(ext), fb->banking.routine != NULL, vrp->OutputBuffer);
    return complete_with(vrp, sizeof(VIDPORT_BANKING_INFORMATION));
}

static VP_STATUS query_num_modes(PVIDEO_REQUEST_PACKET vrp, ULONG count)
{
    if (vrp->OutputBufferLength < sizeof(VIDEO_NUM_MODES))
        return vp_complete(vrp, ERROR_INSUFFICIENT_BUFFER);
    *(PVIDEO_NUM_MODES)vrp->OutputBuffer = (VIDEO_NUM_MODES){
        .NumModes = count, .ModeInformationLength = sizeof(VIDEO_MODE_INFORMATION) };
    return complete_with(vrp, sizeof(VIDEO_NUM_MODES));
}

static VP_STATUS query_modes(PVIDEO_REQUEST_PACKET vrp, const VIDEO_MODE_INFORMATION *modes,
                            ULONG count)
{
    ULONG bytes = count * sizeof(VIDEO_MODE_INFORMATION);
    if (vrp->OutputBufferLength < bytes)
        return vp_complete(vrp, ERROR_INSUFFICIENT_BUFFER);
    memcpy(vrp->OutputBuffer, modes, bytes);
    return complete_with(vrp, bytes);
}

static VP_STATUS query_mode(PVIDEO_REQUEST_PACKET vrp, const VIDEO_MODE_INFORMATION *mode)
{
    return query_modes(vrp, mode, 1);
}

static VP_STATUS query_public_ranges(PVIDEO_REQUEST_PACKET vrp, const USHORT *ports, ULONG count)
{
    ULONG bytes = count * sizeof(VIDEO_PUBLIC_ACCESS_RANGES);
    if (vrp->OutputBufferLength < bytes)
        return vp_complete(vrp, ERROR_INSUFFICIENT_BUFFER);
    PVIDEO_PUBLIC_ACCESS_RANGES out = vrp->OutputBuffer;
    for (ULONG i = 0; i < count; i++) {
        out[i] = (VIDEO_PUBLIC_ACCESS_RANGES){ .InIoSpace = 1, .MappedInIoSpace = 1,
                                               .VirtualAddress = (PVOID)(uint32_t)ports[i] };
    }
    return complete_with(vrp, bytes);
}

/* Every entry must name one of the reported ports. */
static VP_STATUS free_public_ranges(PVIDEO_REQUEST_PACKET vrp, const USHORT *ports, ULONG count)
{
    ULONG entries = vrp->InputBufferLength / sizeof(VIDEO_MEMORY);
    if (entries == 0)
        return vp_complete(vrp, ERROR_INSUFFICIENT_BUFFER);
    const VIDEO_MEMORY *in = vrp->InputBuffer;
    for (ULONG i = 0; i < entries; i++) {
        bool known = false;
        for (ULONG j = 0; j < count; j++)
            known |= (uint32_t)in[i].RequestedVirtualAddress == ports[j];
        if (!known)
            return vp_complete(vrp, ERROR_INVALID_PARAMETER);
    }
    return vp_complete(vrp, NO_ERROR);
}

VP_STATUS vp_standard_request(PVOID ext, PVIDEO_REQUEST_PACKET vrp,
                              const struct vp_adapter_state *st)
{
    switch (vrp->IoControlCode) {
    case IOCTL_VIDEO_QUERY_NUM_AVAIL_MODES: return query_num_modes(vrp, st->mode_count);
    case IOCTL_VIDEO_QUERY_AVAIL_MODES: return query_modes(vrp, st->modes, st->mode_count);
    case IOCTL_VIDEO_QUERY_CURRENT_MODE: return query_mode(vrp, &st->modes[st->current_mode]);
    case IOCTL_VIDEO_MAP_VIDEO_MEMORY: return map_video_memory(ext, vrp, &st->fb);
    case IOCTL_VIDEO_UNMAP_VIDEO_MEMORY: return unmap_video_memory(ext, vrp);
    case IOCTL_VIDEO_SHARE_VIDEO_MEMORY: return share_video_memory(ext, vrp, &st->fb);
    case IOCTL_VIDEO_UNSHARE_VIDEO_MEMORY: return unshare_video_memory(ext, vrp);
    case IOCTL_VIDPORT_QUERY_BANKING: return query_banking(ext, vrp, &st->fb);
    case IOCTL_VIDEO_QUERY_PUBLIC_ACCESS_RANGES:
        return query_public_ranges(vrp, st->public_ports, st->public_port_count);
    case IOCTL_VIDEO_FREE_PUBLIC_ACCESS_RANGES:
        return free_public_ranges(vrp, st->public_ports, st->public_port_count);
    default: return vp_complete(vrp, ERROR_INVALID_FUNCTION);
    }
}

BOOLEAN vp_start_io(PVOID ext, PVIDEO_REQUEST_PACKET vrp, const struct vp_miniport_ops *ops)
{
    struct vp_adapter_state state = ops->state(ext);
    ULONG index, flags;
    if (vrp->IoControlCode == IOCTL_VIDEO_SET_CURRENT_MODE) {
        if (vp_read_set_mode(vrp, state.mode_count, &index, &flags))
            vp_complete(vrp, ops->set_mode(ext, index, !(flags & VIDEO_MODE_NO_ZERO_MEMORY)));
    } else if (vrp->IoControlCode == IOCTL_VIDEO_RESET_DEVICE) {
        vp_complete(vrp, ops->set_mode(ext, state.reset_mode, true));
    } else {
        vp_standard_request(ext, vrp, &state);
    }
    return TRUE;
}

bool vp_read_set_mode(PVIDEO_REQUEST_PACKET vrp, ULONG mode_count, ULONG *index, ULONG *flags)
{
    if (vrp->InputBufferLength < sizeof(VIDEO_MODE)) {
        vp_complete(vrp, ERROR_INSUFFICIENT_BUFFER);
        return false;
    }
    ULONG requested = ((PVIDEO_MODE)vrp->InputBuffer)->RequestedMode;
    if (vpv_set_mode(requested, mode_count, index, flags))
        return true;
    vp_complete(vrp, ERROR_INVALID_PARAMETER);
    return false;
}
