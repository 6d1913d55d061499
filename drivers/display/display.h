/*
 * The display driver: the layer above the video port, as NT's display
 * drivers are. It reaches the miniport only through eng_device_io_control
 * (EngDeviceIoControl), owns the kernel's view of the screen (the screen
 * console draws there), and runs DdMapMemory for processes.
 */
#pragma once

#include "kernel/abi/video.h"

struct proc;
struct vp_device;

/* Take over dev's screen: map its frame buffer, run the screen console on
 * it, and follow mode changes. The console stops drawing while any process
 * holds a live view; once the last one goes, its next output repaints the
 * whole screen. */
void disp_enable(struct vp_device *dev);

/* EngDeviceIoControl: one METHOD_BUFFERED request with kernel buffers of
 * at most a VIDEO_MODE_INFORMATION's size, on behalf of `caller` (NULL:
 * the kernel). It allocates nothing. Returns the Win32 status; *returned
 * gets STATUS_BLOCK.Information. */
ULONG eng_device_io_control(struct vp_device *dev, struct proc *caller, ULONG code, const void *in,
                            ULONG in_len, void *out, ULONG out_len, ULONG *returned);

/* DdMapMemory for `caller` on the display's adapter: bMap TRUE shares the
 * visible frame with data->hProcess (fpProcess gets the address), FALSE
 * unshares the view at fpProcess. Sets ddRVal (DD_OK or DDERR_GENERIC);
 * returns DDHAL_DRIVER_HANDLED, or DDHAL_DRIVER_NOTHANDLED without a display. */
ULONG disp_dd_map_memory(struct proc *caller, DD_MAPMEMORYDATA *data);
