/*
 * Banked views and the bank arbiter (F14-F19).
 *
 * A banked view is one linear range of video memory in a process, but the
 * hardware shows only one window of it at a time. No page is present at
 * first. A touch faults; the arbiter finds the bank, makes a window slot
 * show it (taking that slot's old bank out of every view of every process
 * first, so a present page never shows another bank than it claims), and
 * maps every page of the bank into the faulting view at once.
 *
 * Two slots (ReadWriteBank FALSE) keep two banks present, the one used
 * least recently giving way. An access that needs more banks than the
 * window has (a store across a bank edge, a copy from one bank to
 * another, in one view or between two views of the process) would fault
 * forever, each bank evicting the other. The arbiter sees a view of the
 * process ask again for a bank a switch took from it during the same
 * access (no kernel entry but page faults since) and, instead of
 * switching, copies that bank into a RAM bounce mapped into the view: the
 * instruction completes. A bank that already has a bounce is mapped from
 * it, not switched to. Up to VP_BOUNCES banks can be bounced at once,
 * enough for the six banks one instruction may need (F24); when they run
 * out, all are written back and the instruction starts afresh.
 * At the process's next kernel entry that is not a page fault (system
 * call, interrupt) its access is over: the bounces are written back (their
 * dirty pages only) and the banks its views lost are forgotten, so a
 * later touch of such a bank switches again. No other process runs, and
 * the kernel uses the window, only after that, so video memory never lags
 * for more than a tick.
 *
 * What the kernel reads or writes in a view on the process's behalf
 * (system-call outputs) goes where the process's own access would: into
 * the bounce holding the bank (marked dirty, so it is written back), the
 * slot showing it, or slot 0 borrowed for it and given back. It never
 * faults the view, so it never starts an access of its own (F23).
 *
 * All of this runs under the big kernel lock, but processes run on in user
 * mode on the other CPUs, through the translations their TLBs hold. So a
 * bank leaves the views before the routine switches it away, and each
 * unmap returns only once every CPU that had the view's space loaded has
 * dropped the pages (a shootdown): a store through a stale entry before
 * that lands in the bank still shown. The stores are drained (theirs by
 * the shootdown's locked answer, ours before the routine), then the
 * routine runs. Two processes on two CPUs that need different banks of
 * one slot could each take it from the other before the other's
 * instruction ran; so the last switcher keeps its bank until the page it
 * faulted on has been used (the CPU sets its accessed flag) or a tick or
 * two has passed (a lease), and a fault that would take it waits
 * (FAULT_WAIT: others run, then it faults again) instead.
 */
#include "vp_internal.h"

#include "drivers/timer.h"
#include "kernel/kstring.h"

#define BOUNCE_PAGES (VP_BANK_MAX / PAGE_SIZE)
#define LEASE_TICKS 2 /* a lease unused for this long ends (a tick or two) */

static uint32_t bank_pages(const struct vp_banking *b)
{
    return b->hw.bank_length / PAGE_SIZE;
}

/* The user address of page i of `bank` in view v; 0 when the view ends
 * first. The view's pages end with its size, not with its region, which
 * reaches on to the bank boundary (F6'). */
static uint32_t bank_page_va(const struct vp_view *v, int32_t bank, uint32_t i)
{
    const struct vp_banking *b = &v->dev->banking;
    uint64_t offset = (uint64_t)((uint32_t)bank - v->first_bank) * b->hw.bank_length +
                      i * PAGE_SIZE;
    return offset < v->size ? v->region->start + (uint32_t)offset : 0;
}

/* Take `bank` out of view v: its pages are consecutive, up to the view's
 * end, so one range and one shootdown. */
static void unmap_bank(struct vp_view *v, int32_t bank)
{
    uint32_t pages = 0;
    while (pages < bank_pages(&v->dev->banking) && bank_page_va(v, bank, pages))
        pages++;
    if (pages)
        vm_unmap_pages(v->region, bank_page_va(v, bank, 0), pages);
}

/* Map every page of `bank` into v from physical `phys` on. */
static bool map_pages(struct vp_view *v, int32_t bank, uint32_t phys, enum page_cache cache)
{
    for (uint32_t i = 0; i < bank_pages(&v->dev->banking); i++) {
        uint32_t va = bank_page_va(v, bank, i);
        if (va && vm_map_page(v->region, va, phys + i * PAGE_SIZE, cache) != 0)
            return false;
    }
    return true;
}

/* Map every page of `bank` into v through window slot `slot` (F16). */
static bool map_bank(struct vp_view *v, int32_t bank, uint32_t slot)
{
    const struct vp_banking *b = &v->dev->banking;
    v->present[slot] = bank; /* first, so a partial mapping is still undone later */
    return map_pages(v, bank, (uint32_t)vpi_slot_phys(&b->hw, slot), b->cache);
}

static uint32_t bounce_phys(const struct vp_banking *b, uint32_t i)
{
    return b->bounce_frames + i * VP_BANK_MAX;
}

/* The bounce holding `bank`, or -1. */
static int bounce_holding(const struct vp_banking *b, int32_t bank)
{
    for (int i = 0; i < VP_BOUNCES; i++) {
        if (b->bounce[i].bank == bank)
            return i;
    }
    return -1;
}

/* The lowest bank no slot shows and no bounce holds. */
static int32_t idle_bank(const struct vp_banking *b)
{
    int32_t bank = 0;
    while (b->shown[0] == bank || b->shown[1] == bank || bounce_holding(b, bank) >= 0)
        bank++;
    return bank;
}

/* Run the miniport's routine for what the slots show now (F19). A slot
 * whose bank is unknown is given an idle bank, so that two slots never
 * alias one bank and no slot shows a bank a bounce holds. */
static void program(struct vp_banking *b)
{
    for (uint32_t s = 0; b->slots == 2 && s < 2; s++) {
        if (b->shown[s] == VP_NO_BANK)
            b->shown[s] = idle_bank(b);
    }
    ULONG first = (ULONG)b->shown[0]; /* every caller has just set a slot */
    ULONG second = b->slots == 2 ? (ULONG)b->shown[1] : first;
    uint32_t flags = irq_save();
    cpu_drain_stores(); /* what we wrote through the window lands in the old bank */
    uint64_t start = rdtsc();
    b->hw.routine(first, second, b->hw.context);
    b->routine_cycles += rdtsc() - start;
    irq_restore(flags);
    b->switches++;
}

/* Take slot's bank out of every view but those of `keep`. Views of
 * `space` (the process a switch is for) remember the bank they lose, to
 * tell a ping-pong from a new access. */
static void evict(struct vp_device *dev, uint32_t slot, const struct vmspace *space,
                  const struct vmspace *keep)
{
    for (struct vp_view *v = dev->views; v; v = v->next) {
        if (v->banked && v->present[slot] != VP_NO_BANK && v->region->space != keep) {
            unmap_bank(v, v->present[slot]);
            if (v->region->space == space)
                v->lost = v->present[slot];
            v->present[slot] = VP_NO_BANK;
        }
    }
}

/* Make slot show `bank`: out of every view first, then the routine (F15).
 * space: the process the switch is for (NULL: the kernel). */
static void show(struct vp_device *dev, uint32_t slot, int32_t bank, const struct vmspace *space)
{
    evict(dev, slot, space, NULL);
    dev->banking.shown[slot] = bank;
    program(&dev->banking);
}

/* The slot showing `bank`, or -1. */
static int slot_showing(const struct vp_banking *b, int32_t bank)
{
    for (uint32_t s = 0; s < b->slots; s++) {
        if (b->shown[s] == bank)
            return (int)s;
    }
    return -1;
}

/* Let the kernel reach `bank` through slot 0 for a copy, until
 * give_back. The views of `keep` (the current process's, which cannot run
 * meanwhile: it is in the kernel, on this CPU) keep slot 0's bank, shown
 * again after; every other view loses it first, since its process may be
 * storing through it on another CPU. */
static int32_t borrow(struct vp_device *dev, int32_t bank, const struct vmspace *keep)
{
    struct vp_banking *b = &dev->banking;
    int32_t had = b->shown[0];
    if (had != bank) {
        evict(dev, 0, NULL, keep);
        b->shown[0] = bank;
        program(b);
    }
    return had;
}

/* Undo borrow. A slot that showed nothing known claims nothing again (no
 * view maps it), so a bounced bank is never taken for a shown one. */
static void give_back(struct vp_banking *b, int32_t had)
{
    if (b->shown[0] == had)
        return;
    b->shown[0] = had;
    if (had != VP_NO_BANK)
        program(b);
}

/* Take bounce i out of view v, noting the pages written through it. */
static void unmap_bounce_from(struct vp_view *v, uint32_t i)
{
    struct vp_bounce *bo = &v->dev->banking.bounce[i];
    for (uint32_t p = 0; p < bank_pages(&v->dev->banking); p++) {
        uint32_t va = bank_page_va(v, bo->bank, p);
        if (va && vm_unmap_page_dirty(v->region, va)) /* its process may be storing elsewhere */
            bo->dirty |= 1u << p;
    }
    v->bounced &= (uint8_t)~(1u << i);
}

/* Take bounce i out of every view, first copying the pages written through
 * any of them back into video memory when write_back (keep: the current
 * process's space, or NULL, as for borrow); it is free after. */
static void bounce_out(struct vp_device *dev, uint32_t i, bool write_back,
                       const struct vmspace *keep)
{
    struct vp_banking *b = &dev->banking;
    struct vp_bounce *bo = &b->bounce[i];
    if (bo->bank == VP_NO_BANK)
        return;
    for (struct vp_view *v = dev->views; v; v = v->next) {
        if (v->bounced & (1u << i))
            unmap_bounce_from(v, i);
    }
    if (write_back && bo->dirty) {
        int32_t had = borrow(dev, bo->bank, keep);
        for (uint32_t p = 0; p < bank_pages(b); p++) {
            if (bo->dirty & (1u << p))
                memcpy(b->window[0] + p * PAGE_SIZE, phys_to_virt(bounce_phys(b, i) + p * PAGE_SIZE),
                       PAGE_SIZE);
        }
        give_back(b, had);
    }
    *bo = (struct vp_bounce){ .bank = VP_NO_BANK };
}

static void bounces_out(struct vp_device *dev, bool write_back, const struct vmspace *keep)
{
    for (uint32_t i = 0; i < VP_BOUNCES; i++)
        bounce_out(dev, i, write_back, keep);
}

/* A bounce holding a fresh copy of `bank`: a free one. When none is free,
 * every bounce is written back and freed first: evicting just one could
 * take a bank the faulting instruction still needs, over and over (F24);
 * starting afresh, the instruction's own banks (at most six) fit. */
static uint32_t bounce_new(struct vp_device *dev, int32_t bank, const struct vmspace *keep)
{
    struct vp_banking *b = &dev->banking;
    if (bounce_holding(b, VP_NO_BANK) < 0)
        bounces_out(dev, true, keep);
    uint32_t i = (uint32_t)bounce_holding(b, VP_NO_BANK);
    int32_t had = borrow(dev, bank, keep);
    memcpy(phys_to_virt(bounce_phys(b, i)), b->window[0], b->hw.bank_length);
    give_back(b, had);
    b->bounce[i].bank = bank;
    b->straddles++;
    return i;
}

/* Map a RAM copy of `bank` into v instead of switching (F17): the bounce
 * that holds it already, or a new one. */
static bool bounce_in(struct vp_view *v, int32_t bank)
{
    struct vp_banking *b = &v->dev->banking;
    int held = bounce_holding(b, bank);
    uint32_t i = held >= 0 ? (uint32_t)held : bounce_new(v->dev, bank, v->region->space);
    v->bounced |= (uint8_t)(1u << i);
    vm_request_sync(v->region);
    return map_pages(v, bank, bounce_phys(b, i), PAGE_CACHE_WRITE_BACK);
}

/* Whether another process's lease keeps slot: the slot shows the bank
 * the lease is for (a kernel copy may have borrowed it meanwhile and given
 * it back), the page its holder faulted on is unused yet, and the lease
 * has not run out. */
static bool leased_to_another(const struct vp_banking *b, uint32_t slot, const struct vp_view *v)
{
    const struct vp_lease *l = &b->lease[slot];
    return l->view && l->view->region->space != v->region->space && b->shown[slot] == l->bank &&
           !vm_page_accessed(l->view->region, l->va) && timer_ticks() < l->until;
}

/* The slot a switch for v may take: the least recently taken one, else
 * the other; -1 when other processes' leases keep both. */
static int slot_to_take(const struct vp_banking *b, const struct vp_view *v)
{
    for (uint32_t k = 0; k < b->slots; k++) {
        uint32_t slot = (b->next_slot + k) % b->slots;
        if (!leased_to_another(b, slot, v))
            return (int)slot;
    }
    return -1;
}

/* Switch `slot` to `bank` for v, which faulted at va; v leases the slot. */
static bool switch_to(struct vp_view *v, uint32_t slot, int32_t bank, uint32_t va)
{
    struct vp_banking *b = &v->dev->banking;
    show(v->dev, slot, bank, v->region->space);
    b->lease[slot] = (struct vp_lease){ .view = v, .va = va, .bank = bank,
                                        .until = timer_ticks() + LEASE_TICKS };
    b->next_slot = (slot + 1) % b->slots;
    vm_request_sync(v->region);
    return map_bank(v, bank, slot);
}

void vpi_bank_copy(struct vp_view *v, uint32_t offset, void *k, uint32_t len, bool write)
{
    struct vp_banking *b = &v->dev->banking;
    int32_t bank = (int32_t)(v->first_bank + offset / b->hw.bank_length);
    uint32_t in_bank = offset % b->hw.bank_length;
    int held = bounce_holding(b, bank);
    if (held >= 0) {
        uint8_t *copy = phys_to_virt(bounce_phys(b, (uint32_t)held));
        vpi_copy_between(copy + in_bank, k, len, write);
        if (write)
            b->bounce[held].dirty |= 1u << (in_bank / PAGE_SIZE);
        return;
    }
    int slot = slot_showing(b, bank);
    if (slot >= 0) {
        vpi_copy_between(b->window[slot] + in_bank, k, len, write);
        return;
    }
    int32_t had = borrow(v->dev, bank, v->region->space); /* the caller's own view */
    vpi_copy_between(b->window[0] + in_bank, k, len, write);
    give_back(b, had);
}

enum fault_result vpi_bank_fault(struct vp_view *v, struct fault_info *fi)
{
    struct vp_banking *b = &v->dev->banking;
    int32_t bank = (int32_t)(v->first_bank + (fi->va - v->region->start) / b->hw.bank_length);
    b->faults++;
    int slot = slot_showing(b, bank);
    bool ok;
    if (slot >= 0) {
        b->next_slot = ((uint32_t)slot + 1) % b->slots;
        ok = map_bank(v, bank, (uint32_t)slot);
    } else if (bank == v->lost || bounce_holding(b, bank) >= 0) {
        v->lost = VP_NO_BANK;
        ok = bounce_in(v, bank);
    } else if ((slot = slot_to_take(b, v)) < 0) {
        b->lease_waits++;
        return FAULT_WAIT;
    } else {
        ok = switch_to(v, (uint32_t)slot, bank, fi->va);
    }
    if (ok)
        return FAULT_RESUME;
    fi->reason = "out of memory for a page table";
    return FAULT_OOM;
}

void vpi_bank_sync(struct vp_view *v)
{
    bounces_out(v->dev, true, v->region->space); /* its process is entering the kernel */
    for (struct vp_view *u = v->dev->views; u; u = u->next) {
        if (u->region->space == v->region->space)
            u->lost = VP_NO_BANK;
    }
}

void vpi_bank_view_gone(struct vp_view *v)
{
    /* v may be out of the view list already, where no switch below would
     * find it: its banks leave first, as its process may be storing. */
    for (uint32_t s = 0; s < VP_SLOTS_MAX; s++) {
        if (v->present[s] != VP_NO_BANK)
            unmap_bank(v, v->present[s]);
        v->present[s] = VP_NO_BANK;
    }
    for (uint32_t i = 0; i < VP_BOUNCES; i++) {
        if (v->bounced & (1u << i))
            unmap_bounce_from(v, i);
    }
    bounces_out(v->dev, true, NULL);
    for (uint32_t s = 0; s < VP_SLOTS_MAX; s++) {
        if (v->dev->banking.lease[s].view == v)
            v->dev->banking.lease[s].view = NULL; /* the view is going */
    }
}

void vpi_bank_mode_changed(struct vp_device *dev)
{
    struct vp_banking *b = &dev->banking;
    if (!b->hw.routine)
        return;
    bounces_out(dev, false, NULL);
    b->shown[0] = b->shown[1] = VP_NO_BANK;
    b->lease[0].view = b->lease[1].view = NULL;
}

static bool same_windows(const struct vp_bank_hardware *a, const struct vp_bank_hardware *b)
{
    for (uint32_t i = 0; i < a->window_count; i++) {
        const struct vp_bank_window *x = &a->windows[i], *y = &b->windows[i];
        if (x->phys != y->phys || x->size != y->size || x->access != y->access)
            return false;
    }
    return true;
}

static bool same_hardware(const struct vp_bank_hardware *a, const struct vp_bank_hardware *b)
{
    return a->bank_length == b->bank_length && a->read_write_bank == b->read_write_bank &&
           a->window_count == b->window_count && same_windows(a, b) &&
           a->routine == b->routine && a->context == b->context;
}

static bool banked_views_live(const struct vp_device *dev)
{
    for (const struct vp_view *v = dev->views; v; v = v->next) {
        if (v->banked && !v->revoked)
            return true;
    }
    return false;
}

static void unmap_windows(struct vp_banking *b)
{
    for (uint32_t s = 0; s < VP_WINDOWS_MAX; s++) {
        if (b->window[s])
            paging_unmap_device(b->window[s], b->hw.bank_length);
        b->window[s] = NULL;
    }
}

/* Whether any slot of hw would alias memory mapped with another type (F8). */
static bool windows_conflict(const struct vp_bank_hardware *hw, enum page_cache cache)
{
    for (uint32_t s = 0; s < vpv_bank_slots(hw); s++) {
        if (vpi_cache_conflict(vpi_slot_phys(hw, s), hw->bank_length, cache))
            return true;
    }
    return false;
}

/* The port's own mapping of each slot's bank; false (none kept) on failure. */
static bool map_windows(struct vp_banking *b, const struct vp_bank_hardware *hw,
                        enum page_cache cache)
{
    b->hw = *hw;
    for (uint32_t s = 0; s < vpv_bank_slots(hw); s++) {
        b->window[s] = paging_map_device(vpi_slot_phys(hw, s), hw->bank_length, cache);
        if (!b->window[s]) {
            unmap_windows(b);
            return false;
        }
    }
    return true;
}

bool vpi_bank_configure(struct vp_device *dev, const struct vp_bank_hardware *hw, ULONG in_io_space)
{
    struct vp_banking *b = &dev->banking;
    enum page_cache cache = vpi_cache_for(in_io_space);
    if (b->hw.routine && same_hardware(&b->hw, hw) && b->cache == cache)
        return true;
    if (!vpv_banked_view(hw, PAGE_SIZE) || banked_views_live(dev) || windows_conflict(hw, cache))
        return false;
    bounces_out(dev, false, NULL);
    unmap_windows(b);
    if (!map_windows(b, hw, cache)) {
        b->hw.routine = NULL;
        return false;
    }
    b->cache = cache;
    b->slots = vpv_bank_slots(hw);
    b->shown[0] = b->shown[1] = VP_NO_BANK;
    b->next_slot = 0;
    return true;
}

VP_STATUS vpi_map_banked_view(struct vp_device *dev, const struct vp_bank_hardware *hw,
                              ULONG in_io_space, uint32_t first_bank, ULONG size,
                              HANDLE process, uint32_t requested, uint32_t *va)
{
    if (!hw->routine || !vpv_banked_view(hw, size) || !vpi_bank_configure(dev, hw, in_io_space))
        return ERROR_INVALID_PARAMETER;
    struct vp_view proto = { .phys = vpi_slot_phys(hw, 0), .cache = dev->banking.cache,
                             .banked = true, .first_bank = first_bank,
                             .present = { VP_NO_BANK, VP_NO_BANK }, .lost = VP_NO_BANK };
    VP_STATUS status;
    struct vp_view *view = vpi_create_view(dev, &proto, size, process, requested,
                                           hw->bank_length, &status);
    if (view)
        *va = view->region->start;
    return status;
}

// cppcheck-suppress constParameter ; the NT signature: Length and InIoSpace are in/out
VP_STATUS VideoPortMapBankedMemory(PVOID ext, PHYSICAL_ADDRESS phys, PULONG length,
                                   PULONG in_io_space, PVOID *va, ULONG bank_length,
                                   UCHAR read_write_bank, PBANKED_SECTION_ROUTINE routine,
                                   PVOID context)
{
    struct vp_device *dev = vpi_device_of(ext);
    /* NT's ReadWriteBank FALSE: a read and a write window at one address. */
    struct vp_bank_hardware hw = {
        .bank_length = bank_length, .read_write_bank = read_write_bank,
        .window_count = read_write_bank ? 1 : 2, .routine = routine, .context = context,
        .windows = { { phys, bank_length, read_write_bank ? VP_WINDOW_READ_WRITE : VP_WINDOW_READ },
                     { phys, bank_length, VP_WINDOW_WRITE } } };
    uint32_t user_va = 0, size = ALIGN_UP(*length, PAGE_SIZE);
    bool valid = *va && size >= *length; /* banked views are for processes; no wrap */
    VP_STATUS status = valid ? vpi_map_banked_view(dev, &hw, *in_io_space, 0, size, *va, 0,
                                                   &user_va)
                             : ERROR_INVALID_PARAMETER;
    *va = (PVOID)user_va;
    if (status == NO_ERROR)
        *length = size;
    return status;
}

void *vp_kernel_bank(struct vp_device *dev, uint32_t bank)
{
    struct vp_banking *b = &dev->banking;
    if (!b->hw.routine)
        return NULL;
    int slot = slot_showing(b, (int32_t)bank);
    if (slot < 0) {
        bounces_out(dev, true, NULL);
        slot = 0;
        show(dev, 0, (int32_t)bank, NULL);
    }
    return b->window[slot];
}

bool vpi_bank_attach(struct vp_device *dev)
{
    dev->banking = (struct vp_banking){
        .bounce_frames = frame_alloc_run(VP_BOUNCES * BOUNCE_PAGES),
        .shown = { VP_NO_BANK, VP_NO_BANK } };
    for (uint32_t i = 0; i < VP_BOUNCES; i++)
        dev->banking.bounce[i].bank = VP_NO_BANK;
    return dev->banking.bounce_frames != 0;
}

void vpi_bank_detach(struct vp_device *dev)
{
    unmap_windows(&dev->banking);
    if (dev->banking.bounce_frames) /* none when vpi_bank_attach failed */
        frame_free_run(dev->banking.bounce_frames, VP_BOUNCES * BOUNCE_PAGES);
    dev->banking.bounce_frames = 0;
}

/* Present pages of `bank` in view v, asked of the page tables. */
static ULONG present_in_bank(const struct vp_view *v, int32_t bank)
{
    ULONG n = 0;
    for (uint32_t i = 0; i < bank_pages(&v->dev->banking); i++) {
        uint32_t va = bank_page_va(v, bank, i);
        n += va && vm_page_present(v->region, va);
    }
    return n;
}

/* Present pages of banks in dev's live views: of the banks each view's
 * slots and bounces give it, asked of the page tables. Bounded by the
 * records, not by the views' sizes, so that asking is cheap however much
 * video memory the views span; kcheck is what finds a present page no
 * record explains. */
static ULONG present_bank_pages(const struct vp_device *dev)
{
    const struct vp_banking *b = &dev->banking;
    ULONG n = 0;
    for (const struct vp_view *v = dev->views; v; v = v->next) {
        for (uint32_t s = 0; v->banked && !v->revoked && s < 2; s++)
            n += v->present[s] == VP_NO_BANK ? 0 : present_in_bank(v, v->present[s]);
        for (uint32_t i = 0; v->banked && !v->revoked && i < VP_BOUNCES; i++)
            n += (v->bounced & (1u << i)) ? present_in_bank(v, b->bounce[i].bank) : 0;
    }
    return n;
}

void vpi_bank_describe(struct vp_device *dev, bool banked, VIDPORT_BANKING_INFORMATION *out)
{
    const struct vp_banking *b = &dev->banking;
    banked = banked && b->hw.routine;
    *out = (VIDPORT_BANKING_INFORMATION){
        .BankLength = banked ? b->hw.bank_length : 0, .WindowSlots = banked ? b->slots : 0,
        .SlotBank = { VIDPORT_NO_BANK, VIDPORT_NO_BANK }, .BankFaults = b->faults,
        .BankSwitches = b->switches, .StraddleResolutions = b->straddles,
        .LeaseWaits = b->lease_waits,
        .PresentBankPages = present_bank_pages(dev),
        .RoutineCycles = b->routine_cycles,
    };
    for (uint32_t s = 0; banked && s < b->slots; s++)
        out->SlotBank[s] = b->shown[s] == VP_NO_BANK ? VIDPORT_NO_BANK : (ULONG)b->shown[s];
}
