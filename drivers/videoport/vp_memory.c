/*
 * Video memory mappings: user views, memory types, and the NT entry points
 * that map (kernel mappings themselves are vp_kmap.c's).
 *
 * - User views (SHARE) are regions of the target process whose private
 *   data is the view record. A linear view is mapped eagerly, every page at
 *   once: by one of the adapter's prebuilt tables (vp_tables.c) when it can,
 *   else entry by entry. The region's close op is the single teardown path
 *   (unshare, exit, detach). A revoked view's pages all show a scratch
 *   frame of its own, taken zeroed at its first touch (F21').
 * - What the kernel copies into or out of a view for its process goes
 *   through the view's copy op (F23), never the cached direct map: a
 *   linear view through a transient mapping of its memory type, a banked
 *   one through the arbiter, a revoked one into its scratch frame.
 * - A process holds at most VP_PROCESS_RECORDS views and kernel-mapping
 *   references on an adapter (F25): each costs kernel memory.
 *
 * Memory types: UC unless VIDEO_MEMORY_SPACE_P6CACHE asks for WC, and a
 * mapping whose type disagrees with any other mapping of the same frames
 * is refused.
 */
#include "vp_internal.h"

#include "kernel/kstring.h"

/* Where the port places views when the caller does not ask for an address. */
#define VIEW_AREA_BASE 0x40000000u
#define VIEW_AREA_END 0xB0000000u

enum page_cache vpi_cache_for(ULONG in_io_space)
{
    return (in_io_space & VIDEO_MEMORY_SPACE_P6CACHE) ? PAGE_CACHE_WRITE_COMBINING
                                                      : PAGE_CACHE_UNCACHED;
}


static uint32_t view_size(const struct vp_view *v)
{
    return v->size;
}

/* Whether a view can show frames of [phys, phys + len): a linear one its
 * own range, a banked one only its windows' banks (F18'). */
static bool view_overlaps(const struct vp_view *v, PHYSICAL_ADDRESS phys, uint32_t len)
{
    const struct vp_banking *b = &v->dev->banking;
    if (!v->banked)
        return vpi_overlaps(phys, len, v->phys, view_size(v));
    for (uint32_t s = 0; s < b->slots; s++) {
        if (vpi_overlaps(phys, len, vpi_slot_phys(&b->hw, s), b->hw.bank_length))
            return true;
    }
    return false;
}

/* True when some mapping of frames in [phys, phys + len) uses another type. */
bool vpi_cache_conflict(PHYSICAL_ADDRESS phys, uint32_t len, enum page_cache cache)
{
    for (int i = 0; i < VP_DEVICE_MAX; i++) {
        const struct vp_device *dev = vpi_device_slot(i);
        if (!dev->in_use)
            continue;
        if (vpi_kmap_conflict(dev, phys, len, cache))
            return true;
        for (const struct vp_view *v = dev->views; v; v = v->next) {
            if (!v->revoked && v->cache != cache && view_overlaps(v, phys, len))
                return true;
        }
    }
    return false;
}

/* --- user views --- */

struct proc *vpi_process_from_handle(struct vp_device *dev, HANDLE handle)
{
    if (handle == NtCurrentProcess())
        return dev->caller;
    struct proc *p = proc_by_pid((int)(intptr_t)handle);
    bool child = p && dev->caller && p->parent == dev->caller;
    return child && p->state != PROC_ZOMBIE && p->vm ? p : NULL;
}

static void views_changed(struct vp_device *dev)
{
    if (dev->hooks && dev->hooks->views_changed)
        dev->hooks->views_changed(dev, dev->live_views);
}

/* The revoked view's own scratch frame, taken zeroed at first need, so
 * that no process ever reads what another wrote (F21'); 0 when memory is
 * exhausted. */
static uint32_t view_scratch(struct vp_view *view)
{
    if (!view->scratch)
        view->scratch = frame_alloc();
    return view->scratch;
}

/* Serve a touch of a view page that is not present: a bank of a banked
 * view, the frame buffer page of a linear one (if eager mapping could not
 * make it earlier) or, once revoked, scratch. The rest of a table's span
 * past the view is no one's memory. */
static enum fault_result view_fault(struct region *r, struct fault_info *fi)
{
    struct vp_view *view = r->private;
    uint32_t page = fi->va & ~(PAGE_SIZE - 1);
    if (page - r->start >= view->size) {
        fi->reason = "no mapping at this address";
        return FAULT_SEGV;
    }
    if (view->banked && !view->revoked)
        return vpi_bank_fault(view, fi);
    if (view->revoked && !view_scratch(view)) {
        fi->reason = "out of memory";
        return FAULT_OOM;
    }
    bool ok = view->revoked
                  ? vm_map_page(r, page, view->scratch, PAGE_CACHE_WRITE_BACK) == 0
                  : vm_map_page(r, page, (uint32_t)view->phys + (page - r->start), view->cache) == 0;
    if (ok)
        return FAULT_RESUME;
    fi->reason = "out of memory for a page table";
    return FAULT_OOM;
}

/* Copy between k and a linear view's page at `offset` through a transient
 * kernel mapping of the view's own memory type (F8, F23), this CPU's own. */
static void linear_copy(const struct vp_view *view, uint32_t offset, void *k, uint32_t len,
                        bool write)
{
    uint32_t in_page = offset % PAGE_SIZE;
    uint8_t *page = paging_map_cpu_page((uint32_t)view->phys + offset - in_page, view->cache);
    vpi_copy_between(page + in_page, k, len, write);
    paging_unmap_cpu_page();
}

/* The kernel's copy on the view's process's behalf (region_ops.copy). A
 * check (k NULL) of a revoked view takes its scratch frame already, so
 * that the copy after it cannot fail. */
static int view_copy(struct region *r, uint32_t va, void *k, uint32_t len, uint32_t access)
{
    struct vp_view *view = r->private;
    uint32_t offset = va - r->start;
    bool write = access & FAULT_WRITE;
    if (offset >= view->size || (view->revoked && !view_scratch(view)))
        return -1;
    if (!k)
        return 0;
    if (view->revoked)
        vpi_copy_between((uint8_t *)phys_to_virt(view->scratch) + offset % PAGE_SIZE, k, len,
                         write);
    else if (view->banked)
        vpi_bank_copy(view, offset, k, len, write);
    else
        linear_copy(view, offset, k, len, write);
    return 0;
}

/* Take the view's pages out of its process (and its table with them). */
static void unmap_view(struct vp_view *view)
{
    if (view->banked)
        vpi_bank_view_gone(view);
    vm_unmap_region(view->region, false);
    if (view->table)
        vpi_table_put(view->table);
    view->table = NULL;
}

static void view_close(struct region *r)
{
    struct vp_view *view = r->private;
    struct vp_device *dev = view->dev;
    struct vp_view **link = &dev->views;
    while (*link != view)
        link = &(*link)->next;
    *link = view->next;
    unmap_view(view);
    if (view->scratch)
        frame_free(view->scratch);
    if (!view->revoked && --dev->live_views == 0)
        views_changed(dev);
    kfree(view);
}

static void view_sync(struct region *r)
{
    vpi_bank_sync(r->private);
}

static const struct region_ops view_ops = {
    .name = "video view",
    .fault = view_fault,
    .close = view_close,
    .sync = view_sync,
    .copy = view_copy,
    .check = vpi_view_check,
};

/* The lowest free gap of `size` bytes in the view area starting on an
 * `align` boundary (a power of two, at least a page); 0 if none. */
static uint32_t find_aligned_gap(const struct region_set *regions, uint32_t size, uint32_t align)
{
    for (uint32_t lo = VIEW_AREA_BASE; lo < VIEW_AREA_END;) {
        uint32_t gap = region_set_find_gap(regions, size, lo, VIEW_AREA_END);
        if (!gap || (gap & (align - 1)) == 0)
            return gap;
        lo = ALIGN_UP(gap, align);
    }
    return 0;
}

/* Where the view goes: the requested address if usable, else a free gap. */
static uint32_t place_view(struct vmspace *vm, uint32_t size, uint32_t requested, uint32_t align)
{
    if (!requested)
        return find_aligned_gap(&vm->regions, size, align);
    bool usable = (requested & (align - 1)) == 0 && requested >= USER_BASE &&
                  requested < USER_END && size <= USER_END - requested &&
                  region_set_is_free(&vm->regions, requested, requested + size);
    return usable ? requested : 0;
}

/* Map every page now: one pass costs far less than a fault per page, and
 * installing a prebuilt table less still. */
static bool map_view_pages(struct vp_view *view)
{
    struct region *r = view->region;
    if (view->table) {
        vm_install_table(r, r->start, view->table->frame);
        return true;
    }
    return vm_map_range(r, r->start, (uint32_t)view->phys, view->size, view->cache) == 0;
}

struct vp_view *vpi_create_view(struct vp_device *dev, const struct vp_view *proto, ULONG size,
                                HANDLE process, uint32_t requested, uint32_t align,
                                VP_STATUS *status)
{
    struct proc *p = vpi_process_from_handle(dev, process);
    uint32_t span = ALIGN_UP(size, align);
    *status = p && !vpi_below_record_bound(dev, p) ? ERROR_NOT_ENOUGH_MEMORY : ERROR_INVALID_PARAMETER;
    uint32_t start = p && vpi_below_record_bound(dev, p) ? place_view(p->vm, span, requested, align) : 0;
    if (!start)
        return NULL;
    struct vp_view *view = kzalloc(sizeof(*view));
    struct region *r = view ? vm_region_new(start, start + span, PAGE_WRITE | PAGE_USER,
                                            "video", &view_ops, view) : NULL;
    if (!r || vm_insert(p->vm, r) != 0) {
        vm_discard(r);
        kfree(view);
        *status = ERROR_NOT_ENOUGH_MEMORY;
        return NULL;
    }
    *view = *proto;
    view->dev = dev;
    view->region = r;
    view->size = size;
    view->next = dev->views;
    dev->views = view;
    if (dev->live_views++ == 0)
        views_changed(dev);
    *status = NO_ERROR;
    return view;
}

VP_STATUS vpi_map_user_view(struct vp_device *dev, PHYSICAL_ADDRESS phys, ULONG size,
                            ULONG in_io_space, HANDLE process, uint32_t requested, uint32_t *va)
{
    struct vp_view proto = { .phys = phys, .cache = vpi_cache_for(in_io_space) };
    if ((phys & (PAGE_SIZE - 1)) || phys + size > (1ull << 32) ||
        vpi_cache_conflict(phys, size, proto.cache))
        return ERROR_INVALID_PARAMETER;
    /* A view the port places can start a table's span; a requested
     * address is taken as it is. */
    proto.table = requested ? NULL : vpi_table_get(dev, phys, size / PAGE_SIZE, proto.cache);
    VP_STATUS status;
    struct vp_view *view = vpi_create_view(dev, &proto, size, process, requested,
                                           proto.table ? LARGE_PAGE_SIZE : PAGE_SIZE, &status);
    if (!view && proto.table)
        vpi_table_put(proto.table);
    if (!view)
        return status;
    if (!map_view_pages(view)) {
        vm_remove(view->region);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    *va = view->region->start;
    return NO_ERROR;
}

struct vp_view *vpi_find_view(struct vp_device *dev, struct proc *p, uint32_t va)
{
    for (struct vp_view *v = dev->views; v; v = v->next) {
        struct region *r = v->region;
        if (r->space == p->vm && va >= r->start && va - r->start < v->size)
            return v;
    }
    return NULL;
}

void vpi_view_describe(const struct vp_view *view, VIDPORT_VIEW_INFORMATION *out)
{
    *out = (VIDPORT_VIEW_INFORMATION){
        .State = view->revoked ? VIDPORT_VIEW_REVOKED : VIDPORT_VIEW_LIVE,
        .Generation = view->dev->generation,
        .VirtualAddress = (PVOID)view->region->start,
        .ViewSize = view_size(view),
    };
}

void vpi_quiesce_views(struct vp_device *dev)
{
    for (struct vp_view *v = dev->views; v; v = v->next) {
        if (!v->revoked)
            unmap_view(v);
    }
}

void vpi_revoke_views(struct vp_device *dev)
{
    if (!dev->live_views)
        return;
    for (struct vp_view *v = dev->views; v; v = v->next) {
        if (v->revoked)
            continue;
        unmap_view(v);
        v->revoked = true;
        dev->live_views--;
    }
    views_changed(dev);
}

void vpi_release_all(struct vp_device *dev)
{
    while (dev->views)
        vm_remove(dev->views->region);
    vpi_release_kernel_mappings(dev);
}

uint32_t vpi_record_count(const struct vp_device *dev)
{
    uint32_t n = 0;
    for (const struct vp_view *v = dev->views; v; v = v->next)
        n++;
    return n + vpi_kernel_record_count(dev);
}

/* --- the NT entry points --- */

/* *va NULL: a kernel mapping (USER_MODE not allowed); otherwise a user view
 * for the process *va names, *length rounded up to pages. */
static VP_STATUS map_user_or_kernel(struct vp_device *dev, PHYSICAL_ADDRESS phys, PULONG length,
                                    ULONG flags, PVOID *va)
{
    if (!*va)
        return (flags & VIDEO_MEMORY_SPACE_USER_MODE) ? ERROR_INVALID_PARAMETER
                                                      : vpi_map_kernel(dev, phys, *length, flags, va);
    uint32_t size = ALIGN_UP(*length, PAGE_SIZE), user_va;
    if (size < *length) /* rounding wrapped */
        return ERROR_INVALID_PARAMETER;
    VP_STATUS status = vpi_map_user_view(dev, phys, size, flags | VIDEO_MEMORY_SPACE_USER_MODE,
                                         *va, 0, &user_va);
    if (status == NO_ERROR) {
        *length = size;
        *va = (PVOID)user_va;
    }
    return status;
}

// cppcheck-suppress constParameter ; the NT signature: InIoSpace is in/out
VP_STATUS VideoPortMapMemory(PVOID ext, PHYSICAL_ADDRESS phys, PULONG length, PULONG in_io_space,
                             PVOID *va)
{
    struct vp_device *dev = vpi_device_of(ext);
    ULONG flags = *in_io_space & ~(ULONG)VIDEO_MEMORY_SPACE_DENSE;
    if (flags & VIDEO_MEMORY_SPACE_IO) {
        *va = (PVOID)(uint32_t)phys; /* a port number: nothing to map */
        return NO_ERROR;
    }
    VP_STATUS status = *length ? map_user_or_kernel(dev, phys, length, flags, va)
                               : ERROR_INVALID_PARAMETER;
    if (status != NO_ERROR)
        *va = NULL;
    return status == NO_ERROR || status == ERROR_NOT_ENOUGH_MEMORY ? status
                                                                  : ERROR_INVALID_PARAMETER;
}

VP_STATUS VideoPortUnmapMemory(PVOID ext, PVOID va, HANDLE process)
{
    struct vp_device *dev = vpi_device_of(ext);
    if (!process)
        return vpi_unmap_kernel(dev, va);
    struct proc *p = vpi_process_from_handle(dev, process);
    struct vp_view *view = p ? vpi_find_view(dev, p, (uint32_t)va) : NULL;
    if (!view)
        return ERROR_INVALID_PARAMETER;
    vm_remove(view->region);
    return NO_ERROR;
}
