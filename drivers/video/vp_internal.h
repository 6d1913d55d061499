/*
 * The video port's private state, shared by its files: videoport.c
 * (adapters, dispatch, status), vp_memory.c (kernel mappings and user
 * views) and vp_requests.c (the memory and mode requests miniports hand
 * back to the port). Nothing outside drivers/video/ includes this.
 */
#pragma once

#include "kernel/proc.h"
#include "miniport.h"
#include "mm/mm.h"
#include "videoport.h"

struct vp_view;
struct vp_kmap;
struct vp_mapref;

struct vp_device {
    bool in_use;
    char name[8];                      /* "Video0" ... */
    const VIDEO_HW_INITIALIZATION_DATA *hw;
    void *extension;                   /* the miniport's, HwDeviceExtensionSize bytes */
    struct proc *caller;               /* who sent the request in progress; NULL: kernel */
    uint32_t generation;               /* moves on at every mode set and reset */
    uint32_t live_views;
    struct vp_view *views;             /* user views (sharing records) */
    struct vp_kmap *kmaps;             /* kernel mappings, reference counted */
    struct vp_mapref *maprefs;         /* kernel-mapping references processes hold */
    const struct vp_display_hooks *hooks;
};

/* videoport.c */
struct vp_device *vpi_device_of(const void *extension);
struct vp_device *vpi_device_slot(int index); /* the table, in use or not */

/* vp_memory.c */

/* Map a user view of [phys, phys + size) for the process behind `process`
 * (a handle as the caller sees it) at `requested` (0: the port chooses).
 * size is a page multiple. NO_ERROR with *va set, or the VP_STATUS. */
VP_STATUS vpi_map_user_view(struct vp_device *dev, PHYSICAL_ADDRESS phys, ULONG size,
                            ULONG in_io_space, HANDLE process, uint32_t requested, uint32_t *va);

/* The process a handle names for this caller: NtCurrentProcess() or a
 * living child of the caller; NULL otherwise. */
struct proc *vpi_process_from_handle(struct vp_device *dev, HANDLE handle);

/* Find the live or revoked view of process p containing va; NULL if none. */
struct vp_view *vpi_find_view(struct vp_device *dev, struct proc *p, uint32_t va);
void vpi_view_describe(const struct vp_view *view, VIDPORT_VIEW_INFORMATION *out);

/* Allocate the one scratch page revoked views show (once; kept forever so
 * leak checks see a constant count). False when memory is exhausted. */
bool vpi_prepare_scratch(void);

/* Revoke every view of dev (F21): pages show the scratch page from now on. */
void vpi_revoke_views(struct vp_device *dev);

/* Drop every mapping record of dev (detach). */
void vpi_release_all(struct vp_device *dev);

/* Records alive on dev. */
uint32_t vpi_record_count(const struct vp_device *dev);
void vpi_drop_process_maprefs(struct vp_device *dev, struct proc *p);
