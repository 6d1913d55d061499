/*
 * Prebuilt page tables for linear views. Mapping a whole frame entry by
 * entry and clearing it again costs tens of thousands of cycles per SHARE
 * and UNSHARE; a view of a range the adapter already has a table for is
 * mapped by one directory entry instead, and unmapped by clearing it.
 *
 * Each adapter keeps VP_TABLES table frames from attach to detach, so leak
 * checks see a constant count. A table maps exactly one range (the view's
 * pages and nothing else, F6) and is shared by every view of that range in
 * every process; one that no view holds is refilled for the next range
 * asked for. Such views start on a 4 MiB boundary and their region covers
 * the table's whole span, so nothing else is ever mapped through it.
 */
#include "vp_internal.h"

#define TABLE_PAGES (LARGE_PAGE_SIZE / PAGE_SIZE)

bool vpi_tables_attach(struct vp_device *dev)
{
    for (int i = 0; i < VP_TABLES; i++) {
        dev->tables[i] = (struct vp_table){ .frame = frame_alloc() };
        if (!dev->tables[i].frame)
            return false;
    }
    return true;
}

void vpi_tables_detach(struct vp_device *dev)
{
    for (int i = 0; i < VP_TABLES; i++) {
        KASSERT(dev->tables[i].users == 0);
        if (dev->tables[i].frame)
            frame_free(dev->tables[i].frame);
        dev->tables[i].frame = 0;
    }
}

static bool maps(const struct vp_table *t, PHYSICAL_ADDRESS phys, uint32_t pages,
                 enum page_cache cache)
{
    return t->pages == pages && t->phys == phys && t->cache == cache;
}

/* Make t, which no view holds, map the new range instead of its old one. */
static void refill(struct vp_table *t, PHYSICAL_ADDRESS phys, uint32_t pages,
                   enum page_cache cache)
{
    pg_table_clear(t->frame, t->pages);
    pg_table_fill(t->frame, (uint32_t)phys, pages, PAGE_WRITE | PAGE_USER, cache);
    t->phys = phys;
    t->pages = pages;
    t->cache = cache;
}

struct vp_table *vpi_table_get(struct vp_device *dev, PHYSICAL_ADDRESS phys, uint32_t pages,
                               enum page_cache cache)
{
    if (pages == 0 || pages > TABLE_PAGES)
        return NULL;
    struct vp_table *spare = NULL;
    for (int i = 0; i < VP_TABLES; i++) {
        struct vp_table *t = &dev->tables[i];
        if (maps(t, phys, pages, cache)) {
            t->users++;
            return t;
        }
        if (!t->users)
            spare = t;
    }
    if (spare) {
        refill(spare, phys, pages, cache);
        spare->users = 1;
    }
    return spare;
}

void vpi_table_put(struct vp_table *t)
{
    KASSERT(t->users > 0);
    t->users--;
}
