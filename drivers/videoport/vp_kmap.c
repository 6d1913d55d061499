/*
 * Kernel mappings of video memory (MAP_VIDEO_MEMORY without a process,
 * VideoPortGetDeviceBase): they live in the device window and are
 * reference counted per physical range. A process that sent MAP holds its
 * references in maprefs, dropped when it exits; with its views they are
 * the records it holds on the adapter, at most VP_PROCESS_RECORDS (F25).
 */
#include "vp_internal.h"

#include "kernel/kcheck.h"

struct vp_kmap {
    PHYSICAL_ADDRESS phys;
    uint32_t length;
    enum page_cache cache;
    void *base;
    uint32_t refs;
    struct vp_kmap *next;
};

struct vp_mapref {
    struct vp_kmap *map;
    struct proc *owner;
    struct vp_mapref *next;
};

bool vpi_kmap_conflict(const struct vp_device *dev, PHYSICAL_ADDRESS phys, uint32_t len,
                       enum page_cache cache)
{
    for (const struct vp_kmap *k = dev->kmaps; k; k = k->next) {
        if (k->cache != cache && vpi_overlaps(phys, len, k->phys, k->length))
            return true;
    }
    return false;
}

static struct vp_kmap *find_kmap(struct vp_device *dev, const void *base)
{
    for (struct vp_kmap *k = dev->kmaps; k; k = k->next) {
        if (k->base == base)
            return k;
    }
    return NULL;
}

/* A reference to a kernel mapping of [phys, phys + length); NULL on failure. */
static struct vp_kmap *kmap_get(struct vp_device *dev, PHYSICAL_ADDRESS phys, uint32_t length,
                                enum page_cache cache)
{
    for (struct vp_kmap *k = dev->kmaps; k; k = k->next) {
        if (k->phys == phys && k->cache == cache && length <= k->length) {
            k->refs++;
            return k;
        }
    }
    if (vpi_cache_conflict(phys, length, cache))
        return NULL;
    struct vp_kmap *k = kzalloc(sizeof(*k));
    void *base = k ? paging_map_device(phys, length, cache) : NULL;
    if (!base) {
        kfree(k);
        return NULL;
    }
    *k = (struct vp_kmap){ .phys = phys, .length = length, .cache = cache, .base = base,
                           .refs = 1, .next = dev->kmaps };
    dev->kmaps = k;
    return k;
}

static void kmap_put(struct vp_device *dev, struct vp_kmap *k)
{
    if (--k->refs)
        return;
    struct vp_kmap **link = &dev->kmaps;
    while (*link != k)
        link = &(*link)->next;
    *link = k->next;
    paging_unmap_device(k->base, k->length);
    kfree(k);
}

/* The records process p holds on dev: its views (live or revoked) and its
 * kernel-mapping references. */
static uint32_t records_of(const struct vp_device *dev, const struct proc *p)
{
    uint32_t n = 0;
    for (const struct vp_view *v = dev->views; v; v = v->next)
        n += v->region->space == p->vm;
    for (const struct vp_mapref *ref = dev->maprefs; ref; ref = ref->next)
        n += ref->owner == p;
    return n;
}

bool vpi_below_record_bound(const struct vp_device *dev, const struct proc *p)
{
    return records_of(dev, p) < VP_PROCESS_RECORDS;
}

/* Remember that the requesting process holds a reference to k; false when
 * it holds as many as it may, or memory is exhausted. */
static bool add_mapref(struct vp_device *dev, struct vp_kmap *k)
{
    if (!dev->caller)
        return true;
    struct vp_mapref *ref = vpi_below_record_bound(dev, dev->caller) ? kzalloc(sizeof(*ref)) : NULL;
    if (!ref)
        return false;
    *ref = (struct vp_mapref){ .map = k, .owner = dev->caller, .next = dev->maprefs };
    dev->maprefs = ref;
    return true;
}

/* Unlink one mapref of `owner` on k (any, if k is NULL); false if none. */
static bool drop_mapref(struct vp_device *dev, const struct proc *owner, const struct vp_kmap *k)
{
    for (struct vp_mapref **link = &dev->maprefs; *link; link = &(*link)->next) {
        struct vp_mapref *ref = *link;
        if (ref->owner == owner && (!k || ref->map == k)) {
            *link = ref->next;
            kmap_put(dev, ref->map);
            kfree(ref);
            return true;
        }
    }
    return false;
}

void vpi_drop_process_maprefs(struct vp_device *dev, struct proc *p)
{
    while (drop_mapref(dev, p, NULL))
        ;
}

VP_STATUS vpi_map_kernel(struct vp_device *dev, PHYSICAL_ADDRESS phys, ULONG length,
                         ULONG in_io_space, PVOID *va)
{
    struct vp_kmap *k = kmap_get(dev, phys, length, vpi_cache_for(in_io_space));
    if (!k)
        return ERROR_INVALID_PARAMETER;
    if (!add_mapref(dev, k)) {
        kmap_put(dev, k);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    *va = k->base;
    return NO_ERROR;
}

VP_STATUS vpi_unmap_kernel(struct vp_device *dev, PVOID va)
{
    struct vp_kmap *k = find_kmap(dev, va);
    if (!k)
        return ERROR_INVALID_PARAMETER;
    if (!dev->caller) {
        kmap_put(dev, k);
        return NO_ERROR;
    }
    return drop_mapref(dev, dev->caller, k) ? NO_ERROR : ERROR_INVALID_PARAMETER;
}

void vpi_release_kernel_mappings(struct vp_device *dev)
{
    while (dev->maprefs)
        drop_mapref(dev, dev->maprefs->owner, NULL);
    while (dev->kmaps) {
        dev->kmaps->refs = 1;
        kmap_put(dev, dev->kmaps);
    }
}

uint32_t vpi_kernel_record_count(const struct vp_device *dev)
{
    uint32_t n = 0;
    for (const struct vp_kmap *k = dev->kmaps; k; k = k->next)
        n++;
    for (const struct vp_mapref *m = dev->maprefs; m; m = m->next)
        n++;
    return n;
}

static bool kmap_listed(const struct vp_device *dev, const struct vp_kmap *m)
{
    for (const struct vp_kmap *k = dev->kmaps; k; k = k->next) {
        if (k == m)
            return true;
    }
    return false;
}

void vpi_check_kernel_mappings(struct kcheck *k, const struct vp_device *dev)
{
    for (const struct vp_mapref *ref = dev->maprefs; ref; ref = ref->next) {
        if (!kmap_listed(dev, ref->map))
            kcheck_finding(k, "%s: pid %d holds a kernel mapping that is gone", dev->name,
                           ref->owner->pid);
        else if (!kcheck_owner(k, ref->owner->vm))
            kcheck_finding(k, "%s: pid %d holds a kernel mapping but has exited", dev->name,
                           ref->owner->pid);
    }
    for (const struct vp_kmap *m = dev->kmaps; m; m = m->next) {
        uint32_t held = 0;
        for (const struct vp_mapref *ref = dev->maprefs; ref; ref = ref->next)
            held += ref->map == m;
        if (held > m->refs)
            kcheck_finding(k, "%s: kernel mapping %p has %u references, processes hold %u",
                           dev->name, m->base, m->refs, held);
    }
}

PVOID VideoPortGetDeviceBase(PVOID ext, PHYSICAL_ADDRESS address, ULONG count, UCHAR in_io_space)
{
    if (in_io_space & VIDEO_MEMORY_SPACE_IO)
        return (PVOID)(uint32_t)address;
    struct vp_device *dev = vpi_device_of(ext);
    struct vp_kmap *k = count ? kmap_get(dev, address, count, PAGE_CACHE_UNCACHED) : NULL;
    return k ? k->base : NULL;
}

void VideoPortFreeDeviceBase(PVOID ext, PVOID base)
{
    struct vp_device *dev = vpi_device_of(ext);
    struct vp_kmap *k = find_kmap(dev, base);
    if (k)
        kmap_put(dev, k);
}
