/*
 * Address spaces: a page directory plus the set of regions that explain
 * every user page it maps.
 */
#include "mm.h"

#include "kernel/kstring.h"

static uint32_t live_regions;

struct vmspace *vm_create(void)
{
    struct vmspace *vm = kzalloc(sizeof(*vm));
    if (!vm)
        return NULL;
    if (pg_create(&vm->pd) != 0) {
        kfree(vm);
        return NULL;
    }
    return vm;
}

void vm_destroy(struct vmspace *vm)
{
    while (vm->regions.head)
        vm_remove(vm->regions.head);
    pg_destroy(&vm->pd);
    kfree(vm);
}

struct region *vm_region_new(uint32_t start, uint32_t end, uint32_t rights,
                             const char *label, const struct region_ops *ops, void *private)
{
    struct region *r = kzalloc(sizeof(*r));
    if (!r)
        return NULL;
    *r = (struct region){ .start = start, .end = end, .rights = rights, .label = label,
                          .ops = ops, .private = private };
    live_regions++;
    return r;
}

int vm_insert(struct vmspace *vm, struct region *r)
{
    if (r->end > USER_END || r->start < USER_BASE || region_set_insert(&vm->regions, r) != 0)
        return -1;
    r->space = vm;
    return 0;
}

/* Take r off its space's list of pending syncs, if it is on it. */
static void unqueue_sync(struct region *r)
{
    struct region **link = &r->space->sync_pending;
    while (r->sync_queued && *link != r)
        link = &(*link)->sync_next;
    if (r->sync_queued)
        *link = r->sync_next;
    r->sync_queued = false;
}

void vm_remove(struct region *r)
{
    unqueue_sync(r);
    region_set_remove(&r->space->regions, r);
    r->ops->close(r);
    live_regions--;
    kfree(r);
}

void vm_discard(struct region *r)
{
    if (!r)
        return;
    live_regions--;
    kfree(r);
}

int vm_map_page(struct region *r, uint32_t va, uint32_t pa, enum page_cache cache)
{
    return pg_map(&r->space->pd, va & ~(PAGE_SIZE - 1), pa, r->rights, cache);
}

int vm_map_range(struct region *r, uint32_t va, uint32_t pa, uint32_t len, enum page_cache cache)
{
    KASSERT(va >= r->start && va <= r->end && len <= r->end - va);
    return pg_map_range(&r->space->pd, va, pa, len / PAGE_SIZE, r->rights, cache);
}

void vm_install_table(struct region *r, uint32_t va, uint32_t table)
{
    KASSERT(va >= r->start && va <= r->end && r->end - va >= LARGE_PAGE_SIZE);
    pg_install_table(&r->space->pd, va, table);
}

enum fault_result vm_fault_in_new_frame(struct region *r, struct fault_info *fi,
                                        page_filler fill, const void *ctx)
{
    uint32_t page = fi->va & ~(PAGE_SIZE - 1);
    uint32_t pa = frame_alloc();
    if (!pa) {
        fi->reason = "out of memory";
        return FAULT_OOM;
    }
    if (fill)
        fill(phys_to_virt(pa), page, ctx);
    if (vm_map_page(r, page, pa, PAGE_CACHE_WRITE_BACK) != 0) {
        frame_free(pa);
        fi->reason = "out of memory for a page table";
        return FAULT_OOM;
    }
    return FAULT_RESUME;
}

void vm_unmap_page(struct region *r, uint32_t va)
{
    pg_unmap(&r->space->pd, va & ~(PAGE_SIZE - 1), NULL);
}

bool vm_unmap_page_dirty(struct region *r, uint32_t va)
{
    bool dirty;
    pg_unmap(&r->space->pd, va & ~(PAGE_SIZE - 1), &dirty);
    return dirty;
}

void vm_unmap_pages(struct region *r, uint32_t va, uint32_t pages)
{
    pg_unmap_range(&r->space->pd, va & ~(PAGE_SIZE - 1), pages, NULL);
}

bool vm_page_present(const struct region *r, uint32_t va)
{
    uint32_t pa, rights;
    return pg_lookup(&r->space->pd, va & ~(PAGE_SIZE - 1), &pa, &rights);
}

bool vm_page_accessed(const struct region *r, uint32_t va)
{
    return pg_accessed(&r->space->pd, va & ~(PAGE_SIZE - 1));
}

bool vm_page_dirty(const struct region *r, uint32_t va)
{
    return pg_dirty(&r->space->pd, va & ~(PAGE_SIZE - 1));
}

void vm_request_sync(struct region *r)
{
    if (r->sync_queued)
        return;
    r->sync_queued = true;
    r->sync_next = r->space->sync_pending;
    r->space->sync_pending = r;
}

void vm_sync(struct vmspace *vm)
{
    while (vm->sync_pending) {
        struct region *r = vm->sync_pending;
        vm->sync_pending = r->sync_next;
        r->sync_queued = false;
        r->ops->sync(r);
    }
}

void vm_unmap_region(struct region *r, bool free_frames)
{
    pg_unmap_range(&r->space->pd, r->start, (r->end - r->start) / PAGE_SIZE,
                   free_frames ? frame_free : NULL);
}

/* Whether [va, va + len) lies in the user half. */
static bool user_range(uint32_t va, uint32_t len)
{
    return va >= USER_BASE && va < USER_END && len <= USER_END - va;
}

/* Whether user page va is present with the rights `access` needs. */
static bool page_ready(const struct vmspace *vm, uint32_t va, uint32_t access, uint32_t *pa)
{
    uint32_t rights;
    return pg_lookup(&vm->pd, va, pa, &rights) &&
           (!(access & FAULT_WRITE) || (rights & PAGE_WRITE));
}

/* The region of user page va if it allows `access` and copies itself
 * (its pages are never faulted in for the kernel); NULL otherwise. */
static struct region *copying_region(struct vmspace *vm, uint32_t va, uint32_t access)
{
    struct fault_info fi = { .va = va, .access = access | FAULT_USER };
    struct region *r = mm_region_for(vm, &fi);
    return r && r->ops->copy ? r : NULL;
}

/* Whether user page va can be reached for `access`: a copying region's
 * page is asked, any other is faulted in as the process would. */
static bool page_reachable(struct vmspace *vm, uint32_t va, uint32_t access)
{
    struct region *r = copying_region(vm, va, access);
    if (r)
        return r->ops->copy(r, va, NULL, PAGE_SIZE, access) == 0;
    uint32_t pa;
    struct fault_info fi = { .va = va, .access = access | FAULT_USER };
    return page_ready(vm, va, access, &pa) || mm_handle_fault(vm, &fi) == FAULT_RESUME;
}

int vm_prefault(struct vmspace *vm, uint32_t va, uint32_t len, uint32_t access)
{
    if (len == 0)
        return 0;
    if (!user_range(va, len))
        return -1;
    for (uint32_t page = va & ~(PAGE_SIZE - 1); page < va + len; page += PAGE_SIZE) {
        if (!page_reachable(vm, page, access))
            return -1;
    }
    return 0;
}

/* The kernel address of RAM user page va, faulted in for `access` if it
 * is not ready for it; NULL if it cannot be, or is not RAM the kernel can
 * reach. */
static uint8_t *reach_user_page(struct vmspace *vm, uint32_t va, uint32_t access)
{
    uint32_t pa;
    if (page_ready(vm, va, access, &pa))
        return phys_to_virt(pa);
    struct fault_info fi = { .va = va, .access = access | FAULT_USER };
    if (mm_handle_fault(vm, &fi) != FAULT_RESUME || !page_ready(vm, va, access, &pa))
        return NULL;
    return phys_to_virt(pa);
}

/* Copy one chunk (inside one page) between kernel buffer k and user va:
 * through the region's copy op, or through the direct map for RAM. */
static int copy_chunk(struct vmspace *vm, uint32_t va, uint8_t *k, uint32_t len, uint32_t access)
{
    struct region *r = copying_region(vm, va, access);
    if (r)
        return r->ops->copy(r, va, k, len, access);
    uint8_t *user = reach_user_page(vm, va, access);
    if (!user)
        return -1;
    if (access & FAULT_WRITE)
        memcpy(user, k, len);
    else
        memcpy(k, user, len);
    return 0;
}

/*
 * Copy len bytes between kernel buffer k and user address va, page by
 * page. A copy that spans pages first checks that every page can be
 * reached for `access`, so that it does all or nothing; a RAM page is
 * faulted in again right before its copy if a later page's fault took it
 * away. Views of video memory copy themselves (F23): the kernel never
 * writes them through its direct map.
 */
static int copy_user(struct vmspace *vm, uint32_t va, void *k, uint32_t len, uint32_t access)
{
    bool one_page = len <= PAGE_SIZE - (va & (PAGE_SIZE - 1));
    if (len && (!user_range(va, len) || (!one_page && vm_prefault(vm, va, len, access) != 0)))
        return -1;
    uint8_t *kernel = k;
    while (len) {
        uint32_t chunk = PAGE_SIZE - (va & (PAGE_SIZE - 1));
        chunk = chunk < len ? chunk : len;
        if (copy_chunk(vm, va, kernel, chunk, access) != 0)
            return -1;
        va += chunk;
        kernel += chunk;
        len -= chunk;
    }
    return 0;
}

int vm_copy_out(struct vmspace *vm, uint32_t va, const void *src, uint32_t len)
{
    return copy_user(vm, va, (void *)src, len, FAULT_WRITE);
}

int vm_copy_in(struct vmspace *vm, void *dst, uint32_t va, uint32_t len)
{
    return copy_user(vm, va, dst, len, 0);
}

uint32_t vm_region_count(void)
{
    return live_regions;
}
