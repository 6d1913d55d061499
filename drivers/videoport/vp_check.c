/*
 * The video port's part of the kernel consistency check (kernel/kcheck.h):
 * every present page of a view shows what its record says (a linear view
 * its frames through its table if it holds one, a revoked view its own
 * scratch frame, a banked view only a bank a window slot shows or a bounce holds),
 * and the records agree with each other: live view counts, table users,
 * kernel mapping references, and views living in checked processes.
 */
#include "vp_internal.h"

#include "kernel/kcheck.h"

/* A present page of a banked view: through the slot the view claims for
 * the bank, or the bounce holding it, at the page's offset within the
 * bank. (Whether the slot shows that bank is check_view_banks's question,
 * asked once per view.) */
static const char *check_bank_page(const struct vp_view *v, uint32_t offset,
                                   const struct mapped_page *page)
{
    const struct vp_banking *b = &v->dev->banking;
    int32_t bank = (int32_t)(v->first_bank + offset / b->hw.bank_length);
    uint32_t in_bank = offset % b->hw.bank_length;
    for (uint32_t s = 0; s < b->slots; s++) {
        if (v->present[s] != bank)
            continue;
        uint32_t expect = (uint32_t)vpi_slot_phys(&b->hw, s) + in_bank;
        return page->pa == expect ? NULL : "a bank page shows another part of the window";
    }
    for (uint32_t i = 0; i < VP_BOUNCES; i++) {
        if ((v->bounced & (1u << i)) && b->bounce[i].bank == bank)
            return page->pa == b->bounce_frames + i * VP_BANK_MAX + in_bank
                       ? NULL : "a bounced bank page shows another part of its copy";
    }
    return "a bank page present that is not the current bank";
}

const char *vpi_view_check(const struct region *r, const struct mapped_page *page)
{
    const struct vp_view *v = r->private;
    uint32_t offset = page->va - r->start;
    if (offset >= v->size)
        return "present beyond the view's size";
    if (v->revoked)
        return page->pa == v->scratch ? NULL : "a revoked view shows another frame than its scratch";
    if (v->banked)
        return check_bank_page(v, offset, page);
    if (v->table && page->table != v->table->frame)
        return "not mapped through the view's table";
    if (!v->table && page->table)
        return "mapped through a table the view does not hold";
    if (page->pa != (uint32_t)v->phys + offset)
        return "shows the wrong frame of video memory";
    return pg_entry_has_cache(page->entry, v->cache) ? NULL : "has the wrong memory type";
}

/* The view's region is in a checked process's space, is the view's, and
 * holds the view's table if it has one. */
static void check_view_home(struct kcheck *k, const struct vp_device *dev,
                            const struct vp_view *v)
{
    const struct region *r = v->region;
    const struct proc *p = kcheck_owner(k, r->space);
    if (!p)
        kcheck_finding(k, "%s: view at 0x%08x lives in a space no process owns", dev->name,
                       r->start);
    else if (region_set_find(&r->space->regions, r->start) != r || r->private != v)
        kcheck_finding(k, "%s: view at 0x%08x of pid %d is not its region's", dev->name,
                       r->start, p->pid);
    else if (v->table && pg_shared_table(&r->space->pd, r->start) != v->table->frame)
        kcheck_finding(k, "%s: view at 0x%08x of pid %d does not hold its table", dev->name,
                       r->start, p->pid);
}

/* A banked view claims a slot only while the slot shows that bank. */
static void check_view_banks(struct kcheck *k, const struct vp_device *dev,
                             const struct vp_view *v)
{
    const struct vp_banking *b = &dev->banking;
    for (uint32_t s = 0; s < 2; s++) {
        if (v->present[s] != VP_NO_BANK && (s >= b->slots || b->shown[s] != v->present[s]))
            kcheck_finding(k, "%s: view at 0x%08x claims bank %d in slot %u, which shows %d",
                           dev->name, v->region->start, v->present[s], s,
                           s < b->slots ? b->shown[s] : VP_NO_BANK);
    }
    for (uint32_t i = 0; i < VP_BOUNCES; i++) {
        if ((v->bounced & (1u << i)) && b->bounce[i].bank == VP_NO_BANK)
            kcheck_finding(k, "%s: view at 0x%08x maps bounce %u, which holds nothing",
                           dev->name, v->region->start, i);
    }
}

/* Each view where it belongs; live views and table users counted. */
static void check_views(struct kcheck *k, const struct vp_device *dev)
{
    uint32_t live = 0, users[VP_TABLES] = { 0 };
    for (const struct vp_view *v = dev->views; v; v = v->next) {
        k->report.views++;
        check_view_home(k, dev, v);
        if (v->banked && !v->revoked)
            check_view_banks(k, dev, v);
        live += !v->revoked;
        if (v->table)
            users[v->table - dev->tables]++;
    }
    if (live != dev->live_views)
        kcheck_finding(k, "%s: %u live views counted, %u found", dev->name, dev->live_views,
                       live);
    for (int i = 0; i < VP_TABLES; i++) {
        if (users[i] != dev->tables[i].users)
            kcheck_finding(k, "%s: table %d has %u users counted, %u views hold it", dev->name, i,
                           dev->tables[i].users, users[i]);
    }
}

void vp_check(struct kcheck *k)
{
    for (int i = 0; i < VP_DEVICE_MAX; i++) {
        const struct vp_device *dev = vpi_device_slot(i);
        if (!dev->in_use)
            continue;
        check_views(k, dev);
        vpi_check_kernel_mappings(k, dev);
    }
}
