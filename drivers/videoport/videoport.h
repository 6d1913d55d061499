/*
 * The video port as the rest of the kernel sees it: adapters, the device
 * control entry point the system calls and the display driver use, and
 * the figures leak checks read. Miniports use miniport_api.h instead.
 *
 * Layers, top to bottom: display driver (drivers/display) -> video port
 * (this) -> miniport (mp_*.c) -> hardware. Only the port asks the memory
 * manager for mappings; a user view is a region whose ops live here.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/abi/video.h"

struct proc;
struct vp_device;
typedef struct _VIDEO_HW_INITIALIZATION_DATA VIDEO_HW_INITIALIZATION_DATA;

#define VP_DEVICE_MAX 4

/* Probe the miniport table in order and start the first adapter found;
 * `choice` (the video.miniport= option) names one miniport to use instead. */
void vp_init(const char *choice);

/* Start an adapter for a miniport the caller supplies (the in-kernel tests'
 * fake one); NULL if it is not found. vp_detach removes it again, revoking
 * what is left of its mappings. */
struct vp_device *vp_attach(const VIDEO_HW_INITIALIZATION_DATA *hw);
void vp_detach(struct vp_device *dev);

/* The miniport's device extension (what VideoPort* calls take). */
void *vp_device_extension(const struct vp_device *dev);

/* Adapters by name ("Video0", ...) or position; NULL if none. */
struct vp_device *vp_device_find(const char *name);
struct vp_device *vp_device_at(int index);
const char *vp_device_name(const struct vp_device *dev);
const char *vp_device_miniport(const struct vp_device *dev);

/*
 * One METHOD_BUFFERED request from `caller` (NULL for the kernel itself):
 * `buffer` holds in_len input bytes and has room for out_len output bytes;
 * the output overwrites the input. Returns the NTSTATUS the request
 * completed with; *information gets the bytes of output.
 */
NTSTATUS vp_device_control(struct vp_device *dev, struct proc *caller, ULONG code,
                           void *buffer, ULONG in_len, ULONG out_len, ULONG *information);

/* The one status translation: VP_STATUS -> NTSTATUS, and back for callers
 * that speak Win32 codes (EngDeviceIoControl, the system call). */
NTSTATUS vp_status_to_nt(VP_STATUS status);
VP_STATUS vp_status_from_nt(NTSTATUS status);

/* A process is exiting: drop the kernel mappings it asked for. (Its user
 * views go with its regions.) */
void vp_process_exit(struct proc *p);

/* Check every adapter's records against the processes k checks (see
 * kernel/kcheck.h). */
struct kcheck;
void vp_check(struct kcheck *k);

/* Mapping records alive on all adapters: user views plus kernel mappings. */
uint32_t vp_record_count(void);

/* Live (unrevoked) user views of dev, and its display generation, which
 * moves on at every mode change or reset. */
uint32_t vp_live_views(const struct vp_device *dev);
uint32_t vp_generation(const struct vp_device *dev);

/* A banked mode's window as the kernel uses it: slot 0 (or whichever slot
 * shows it already) made to show `bank`, taken out of every view that had
 * another bank there. NULL when no banked mode was mapped. */
void *vp_kernel_bank(struct vp_device *dev, uint32_t bank);

/* The display driver's hooks: views_changed when the count of live views
 * goes to or from zero, mode_changed after a mode set or reset. */
struct vp_display_hooks {
    void (*views_changed)(struct vp_device *dev, uint32_t live_views);
    void (*mode_changed)(struct vp_device *dev);
};
void vp_set_display_hooks(struct vp_device *dev, const struct vp_display_hooks *hooks);
