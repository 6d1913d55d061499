/*
 * The consistency check. For each process it walks the page tables (the
 * only truth of what the process can reach) and asks its regions to
 * explain every present page: a region type with a check op says whether
 * the page is one it would map; the others own their frames, so each must
 * be an allocated RAM frame mapped by no other page anywhere. Then the
 * counts behind the leak checks (page tables, regions) must equal what the
 * walk found, and the video port checks its records against the spaces.
 */
#include "kcheck.h"

#include "drivers/videoport/videoport.h"
#include "format.h"
#include "kstring.h"
#include "proc.h"

#define FRAME_WORDS (DIRECT_MAP_SIZE / PAGE_SIZE / 32)

/* Frames already seen mapped by a region that owns its frames. */
static uint32_t frame_seen[FRAME_WORDS];

struct space_walk {
    struct kcheck *k;
    const struct proc *p;
};

/* The report goes to user space whole: the text after the finding's NUL
 * must be zeros, not what the kernel stack held before. */
void kcheck_finding(struct kcheck *k, const char *fmt, ...)
{
    char text[VP_KCHECK_TEXT] = "";
    va_list ap;
    va_start(ap, fmt);
    kvsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    kprintf("kcheck: %s\n", text);
    if (k->report.findings++ == 0)
        memcpy(k->report.first, text, sizeof(text));
}

struct proc *kcheck_owner(const struct kcheck *k, const struct vmspace *vm)
{
    for (uint32_t i = 0; i < k->proc_count; i++) {
        if (k->procs[i]->vm == vm)
            return k->procs[i];
    }
    return NULL;
}

/* An owned frame: allocated, in RAM, and mapped by no other page. */
static const char *check_owned_frame(uint32_t pa)
{
    if (!frame_in_use(pa))
        return "maps a frame that is not allocated";
    uint32_t frame = pa / PAGE_SIZE, bit = 1u << (frame % 32);
    if (frame_seen[frame / 32] & bit)
        return "maps a frame another page maps too";
    frame_seen[frame / 32] |= bit;
    return NULL;
}

static void check_page(const struct mapped_page *page, void *ctx)
{
    const struct space_walk *w = ctx;
    struct kcheck *k = w->k;
    k->report.pages++;
    const struct region *r = region_set_find(&w->p->vm->regions, page->va);
    const char *why;
    if (!r)
        why = "present, but no region explains it";
    else if (!(page->rights & PAGE_USER) || (page->rights & ~r->rights))
        why = "grants more than its region's rights";
    else
        why = r->ops->check ? r->ops->check(r, page) : check_owned_frame(page->pa);
    if (why)
        kcheck_finding(k, "pid %d (%s): page 0x%08x -> 0x%08x (%s): %s", w->p->pid, w->p->name,
                       page->va, page->pa, r ? r->label : "no region", why);
}

/* Walk one space; adds the page tables it owns and the regions it has. */
static void check_space(struct kcheck *k, const struct proc *p, uint32_t *tables,
                         uint32_t *regions)
{
    struct space_walk w = { .k = k, .p = p };
    k->report.processes++;
    *tables += pg_walk(&p->vm->pd, check_page, &w);
    uint32_t n = 0;
    for (const struct region *r = p->vm->regions.head; r; r = r->next, n++) {
        if (r->space != p->vm)
            kcheck_finding(k, "pid %d (%s): region %s at 0x%08x names another space", p->pid,
                           p->name, r->label, r->start);
    }
    if (n != p->vm->regions.count)
        kcheck_finding(k, "pid %d (%s): %u regions listed, %u counted", p->pid, p->name, n,
                       p->vm->regions.count);
    *regions += n;
}

/* The global counters match the sum over the spaces only when every space
 * is checked, which is so for the process table. */
static void check_totals(struct kcheck *k, uint32_t tables, uint32_t regions)
{
    if (tables != pg_table_count())
        kcheck_finding(k, "%u page tables counted, %u found in the spaces", pg_table_count(),
                       tables);
    if (regions != vm_region_count())
        kcheck_finding(k, "%u regions counted, %u found in the spaces", vm_region_count(),
                       regions);
}

/* Check the given processes (those with a space); totals only when asked. */
static uint32_t run(struct proc *const *procs, uint32_t count, bool totals, struct vp_kcheck *out)
{
    struct kcheck k = { .procs = procs, .proc_count = count };
    uint32_t tables = 0, regions = 0;
    memset(frame_seen, 0, sizeof(frame_seen));
    for (uint32_t i = 0; i < count; i++)
        check_space(&k, procs[i], &tables, &regions);
    if (totals)
        check_totals(&k, tables, regions);
    vp_check(&k);
    if (out)
        *out = k.report;
    return k.report.findings;
}

uint32_t kcheck_processes(struct proc *const *procs, uint32_t count, struct vp_kcheck *out)
{
    return run(procs, count, false, out);
}

uint32_t kcheck_run(struct vp_kcheck *out)
{
    static struct proc *live[PROC_MAX];
    uint32_t count = 0;
    for (int i = 0; i < PROC_MAX; i++) {
        struct proc *p = &proc_table()[i];
        if (p->state != PROC_UNUSED && p->vm)
            live[count++] = p;
    }
    return run(live, count, true, out);
}
