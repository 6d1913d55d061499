/*
 * Prebuilt-table suite: linear views of the fake adapter (fake_video.h)
 * mapped by one directory entry through the adapter's shared page tables,
 * and entry by entry when no table is free.
 */
#include "fake_video.h"

#include "kernel/cpu.h"

#define TABLE_SPAN (1024 * PAGE_SIZE) /* the address space one table maps */

/* Whether the `pages` pages from va show video memory from `offset` on. */
static bool shows_vram(const struct proc *p, uint32_t va, uint32_t offset, uint32_t pages)
{
    for (uint32_t i = 0; i < pages; i++) {
        uint32_t pa, rights;
        if (!pg_lookup(&p->vm->pd, va + i * PAGE_SIZE, &pa, &rights) ||
            pa != fake.vram + offset + i * PAGE_SIZE)
            return false;
    }
    return true;
}

/* SHARE `pages` pages from page `first` of video memory; the VA or 0. */
static uint32_t share_pages(struct world *w, uint32_t first, uint32_t pages)
{
    NTSTATUS status;
    return share(w, first * PAGE_SIZE, pages * PAGE_SIZE, &status);
}

/* Two processes sharing one range hold the same table and no page table
 * of their own; the rest of the table's 4 MiB is no one's memory. */
static void views_of_one_range_share_a_table(struct ktest *t)
{
    struct world w;
    world_open(&w, 0);
    struct proc caller = w.caller;
    struct proc other = { .pid = 9998, .state = PROC_RUNNABLE, .vm = vm_create() };
    uint32_t tables = pg_table_count(), end = 20 * PAGE_SIZE;
    uint32_t a = share_pages(&w, 0, 20);
    w.caller = other;
    uint32_t b = share_pages(&w, 0, 20);
    w.caller = caller;
    KT_EXPECT(t, a && b && a % TABLE_SPAN == 0 && b % TABLE_SPAN == 0);
    KT_EXPECT(t, shows_vram(&caller, a, 0, 20) && shows_vram(&other, b, 0, 20));
    KT_EXPECT(t, !present(&caller, a + end));
    KT_EXPECT_EQ(t, pg_table_count(), tables);
    KT_EXPECT_EQ(t, touch(&caller, a + end), FAULT_SEGV);
    KT_EXPECT_EQ(t, unshare(&w, a + end), STATUS_INVALID_PARAMETER);
    KT_EXPECT_EQ(t, unshare(&w, a + PAGE_SIZE), STATUS_SUCCESS);
    KT_EXPECT(t, !present(&caller, a) && shows_vram(&other, b, 0, 20));
    vm_destroy(other.vm); /* its view goes; the table stays the adapter's */
    world_close(t, &w);
}

/* With both tables holding other ranges a view is mapped entry by entry;
 * a table no view holds is refilled for a new range and maps only it. */
static void tables_are_refilled_or_bypassed(struct ktest *t)
{
    struct world w;
    world_open(&w, 0);
    uint32_t tables = pg_table_count();
    uint32_t a = share_pages(&w, 0, 8);
    uint32_t b = share_pages(&w, 8, 8);
    uint32_t c = share_pages(&w, 16, 4);
    KT_EXPECT(t, shows_vram(&w.caller, a, 0, 8) && shows_vram(&w.caller, b, 8 * PAGE_SIZE, 8));
    KT_EXPECT(t, c && shows_vram(&w.caller, c, 16 * PAGE_SIZE, 4));
    KT_EXPECT_EQ(t, pg_table_count(), tables + 1); /* c's own */
    KT_EXPECT_EQ(t, unshare(&w, a), STATUS_SUCCESS);
    uint32_t d = share_pages(&w, 24, 4);
    KT_EXPECT(t, d && d % TABLE_SPAN == 0 && shows_vram(&w.caller, d, 24 * PAGE_SIZE, 4));
    KT_EXPECT_EQ(t, present_pages(&w.caller, d, 8 * PAGE_SIZE), 4); /* nothing of a's range */
    KT_EXPECT_EQ(t, pg_table_count(), tables + 1);
    KT_EXPECT(t, unshare(&w, b) == STATUS_SUCCESS && unshare(&w, c) == STATUS_SUCCESS &&
                     unshare(&w, d) == STATUS_SUCCESS);
    world_close(t, &w);
}

/* With the process's space current: store through a view, unshare it,
 * share another range at the same address and store again. The second
 * store must reach the new range, not the old one through a stale TLB. */
static void unshare_flushes_a_used_view(struct ktest *t)
{
    struct world w;
    world_open(&w, 0);
    uint32_t cr3 = read_cr3();
    write_cr3(w.caller.vm->pd.phys);
    uint32_t a = share_pages(&w, 0, 4);
    *(volatile uint32_t *)(a + 2 * PAGE_SIZE) = 0x1111;
    KT_EXPECT_EQ(t, unshare(&w, a), STATUS_SUCCESS);
    uint32_t b = share_pages(&w, 8, 4);
    if (b == a)
        *(volatile uint32_t *)(b + 2 * PAGE_SIZE) = 0x2222;
    write_cr3(cr3);
    KT_EXPECT_EQ(t, b, a);
    KT_EXPECT_EQ(t, *(uint32_t *)fake_byte(2 * PAGE_SIZE), 0x1111);
    KT_EXPECT_EQ(t, *(uint32_t *)fake_byte(10 * PAGE_SIZE), 0x2222);
    KT_EXPECT_EQ(t, unshare(&w, b), STATUS_SUCCESS);
    world_close(t, &w);
}

/* A revoked view shows scratch through a page table of the process's own,
 * which a later view at the same address replaces by the adapter's. */
static void revoked_view_slot_is_reused(struct ktest *t)
{
    struct world w;
    world_open(&w, 0);
    uint32_t va = share_pages(&w, 0, 4), tables = pg_table_count();
    KT_EXPECT_EQ(t, set_mode(&w, 1), STATUS_SUCCESS);
    KT_EXPECT_EQ(t, touch(&w.caller, va + PAGE_SIZE), FAULT_RESUME);
    KT_EXPECT(t, present(&w.caller, va + PAGE_SIZE) && !shows_vram(&w.caller, va + PAGE_SIZE,
                                                                    PAGE_SIZE, 1));
    KT_EXPECT_EQ(t, pg_table_count(), tables + 1);
    KT_EXPECT_EQ(t, touch(&w.caller, va + 4 * PAGE_SIZE), FAULT_SEGV);
    KT_EXPECT_EQ(t, unshare(&w, va), STATUS_SUCCESS);
    uint32_t again = share_pages(&w, 0, 4);
    KT_EXPECT(t, again == va && shows_vram(&w.caller, again, 0, 4));
    KT_EXPECT_EQ(t, pg_table_count(), tables);
    KT_EXPECT_EQ(t, unshare(&w, again), STATUS_SUCCESS);
    world_close(t, &w);
}

KTEST_SUITE(vptables_suite, "vptables", false,
            KTEST_CASE(views_of_one_range_share_a_table),
            KTEST_CASE(tables_are_refilled_or_bypassed),
            KTEST_CASE(unshare_flushes_a_used_view),
            KTEST_CASE(revoked_view_slot_is_reused));
