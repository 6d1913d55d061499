/*
 * Regions: a process's address space is a set of page-aligned, disjoint
 * regions. Each region type supplies an ops table; the page-fault path
 * finds the region, checks the access against its rights, and hands the
 * fault to ops->fault. Nothing in the generic path knows any region type.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

enum fault_result {
    FAULT_RESUME, /* the page is mapped now: retry the instruction */
    FAULT_SEGV,   /* the access is not allowed: kill the process */
    FAULT_BUS,    /* the backing object cannot serve it (device gone) */
    FAULT_OOM,    /* no memory to serve it */
    FAULT_WAIT,   /* another process holds what it needs for now: let others run, retry */
};

/* fault_info.access bits */
#define FAULT_WRITE (1u << 0)
#define FAULT_USER (1u << 1)
#define FAULT_PRESENT (1u << 2) /* the page was present: a protection fault */

struct fault_info {
    uint32_t va;
    uint32_t access;
    const char *reason; /* set when the result is not FAULT_RESUME */
};

struct region;
struct vmspace;
struct mapped_page; /* mm.h: a present page as the page tables show it */

struct region_ops {
    const char *name;
    /* Make the page at fi->va accessible (or say why not). */
    enum fault_result (*fault)(struct region *r, struct fault_info *fi);
    /* Unmap the region and release what it owns; the region is freed after. */
    void (*close)(struct region *r);
    /* Optional: put temporary mappings made by a fault back in order. Called
     * once, after fault asked for it (vm_request_sync), when the process next
     * enters the kernel for anything but a page fault. */
    void (*sync)(struct region *r);
    /* Optional: copy len bytes between kernel buffer k and [va, va + len)
     * (inside one page of r) on the process's behalf, seeing and leaving
     * what the process's own access would (F23); access is FAULT_WRITE
     * (into the region) or 0. k NULL: only say whether the copy would
     * succeed. 0, or -1 when it may not. Region types whose memory the
     * kernel must not reach through its direct map (device memory, banked
     * windows) supply it; the kernel's copies then never fault them in. */
    int (*copy)(struct region *r, uint32_t va, void *k, uint32_t len, uint32_t access);
    /* Optional, for the consistency check: why the present page would not
     * be one this region maps (NULL: it would be). A region type without
     * it owns every frame it maps: each must be an allocated RAM frame
     * that no other page maps. */
    const char *(*check)(const struct region *r, const struct mapped_page *page);
};

struct region {
    uint32_t start, end; /* [start, end), page aligned */
    uint32_t rights;     /* PAGE_WRITE | PAGE_USER */
    const char *label;   /* what it is for: "stack", "heap", "image", ... */
    const struct region_ops *ops;
    void *private;
    struct vmspace *space;
    struct region *next;
    struct region *sync_next; /* the space's list of regions whose sync is due */
    bool sync_queued;
};

/* A sorted list of disjoint regions (pure bookkeeping, host-tested). */
struct region_set {
    struct region *head;
    uint32_t count;
};

/* Insert r; -1 if its range is empty, unaligned or overlaps another. */
int region_set_insert(struct region_set *s, struct region *r);

/* The region containing va, or NULL. */
struct region *region_set_find(const struct region_set *s, uint32_t va);

/* Unlink r (which must be in s). */
void region_set_remove(struct region_set *s, struct region *r);

/* True when no region intersects [start, end). */
bool region_set_is_free(const struct region_set *s, uint32_t start, uint32_t end);

/* The lowest start >= lo of a free, page-aligned gap of `size` bytes ending at
 * or below hi; 0 when there is none. */
uint32_t region_set_find_gap(const struct region_set *s, uint32_t size, uint32_t lo, uint32_t hi);
