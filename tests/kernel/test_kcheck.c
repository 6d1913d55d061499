/*
 * kcheck suite: the consistency check finds nothing in a world the kernel
 * built itself (linear, banked, revoked and anonymous memory), and finds
 * each kind of damage planted in it by writing page-table entries behind
 * the regions' backs: a page no region explains, a frame mapped twice or
 * not allocated, a view page showing the wrong frame, a view that lost
 * its shared table, a bank page the window does not show.
 */
#include "fake_video.h"

#include "kernel/kcheck.h"
#include "kernel/kstring.h"

#define HEAP_VA 0x10000000u

/* kcheck over the world's process alone. */
static uint32_t findings(struct world *w, struct vp_kcheck *report)
{
    struct proc *procs[] = { &w->caller };
    return kcheck_processes(procs, 1, report);
}

/* An anonymous region of `pages` pages at HEAP_VA in the world's process. */
static struct region *add_anon(struct world *w, uint32_t pages)
{
    struct region *r = vm_region_new(HEAP_VA, HEAP_VA + pages * PAGE_SIZE,
                                      PAGE_USER | PAGE_WRITE, "heap", &anon_region_ops, NULL);
    if (!r || vm_insert(w->caller.vm, r) != 0)
        panic("kcheck test setup failed");
    return r;
}

/* Map one page behind the regions' backs, as a broken kernel path would. */
static void plant(struct world *w, uint32_t va, uint32_t pa)
{
    if (pg_map(&w->caller.vm->pd, va, pa, PAGE_USER | PAGE_WRITE, PAGE_CACHE_WRITE_BACK) != 0)
        panic("kcheck test setup failed");
}

static void a_healthy_world_has_no_findings(struct ktest *t)
{
    struct world w;
    world_open(&w, 0);
    add_anon(&w, 2);
    KT_EXPECT_EQ(t, touch(&w.caller, HEAP_VA), FAULT_RESUME);
    NTSTATUS status;
    uint32_t linear = share(&w, 0, 8 * PAGE_SIZE, &status);
    KT_EXPECT_EQ(t, set_mode(&w, 3), STATUS_SUCCESS); /* revokes the linear view */
    KT_EXPECT_EQ(t, touch(&w.caller, linear), FAULT_RESUME); /* the scratch page */
    uint32_t banked = share(&w, 0, FAKE_SHAREABLE, &status);
    KT_EXPECT(t, touch(&w.caller, banked) == FAULT_RESUME &&
                     touch(&w.caller, banked + 5 * FAKE_BANK) == FAULT_RESUME);
    struct vp_kcheck report;
    KT_EXPECT_EQ(t, findings(&w, &report), 0);
    KT_EXPECT_EQ(t, report.processes, 1);
    KT_EXPECT_EQ(t, report.views, 2);
    KT_EXPECT_EQ(t, report.pages, 1 + 1 + 2 * FAKE_BANK / PAGE_SIZE);
    world_close(t, &w);
}

static void a_page_no_region_explains_is_found(struct ktest *t)
{
    struct world w;
    world_open(&w, 0);
    uint32_t frame = frame_alloc();
    plant(&w, HEAP_VA, frame);
    struct vp_kcheck report;
    KT_EXPECT_EQ(t, findings(&w, &report), 1);
    KT_EXPECT(t, strstr(report.first, "no region explains it") != NULL);
    pg_unmap(&w.caller.vm->pd, HEAP_VA, NULL);
    KT_EXPECT_EQ(t, findings(&w, NULL), 0);
    frame_free(frame);
    world_close(t, &w);
}

static void a_frame_mapped_twice_or_free_is_found(struct ktest *t)
{
    struct world w;
    world_open(&w, 0);
    struct region *r = add_anon(&w, 2);
    KT_EXPECT_EQ(t, touch(&w.caller, HEAP_VA), FAULT_RESUME);
    uint32_t pa, rights, spare = frame_alloc();
    pg_lookup(&w.caller.vm->pd, HEAP_VA, &pa, &rights);
    plant(&w, HEAP_VA + PAGE_SIZE, pa);
    struct vp_kcheck report;
    KT_EXPECT_EQ(t, findings(&w, &report), 1);
    KT_EXPECT(t, strstr(report.first, "another page maps too") != NULL);
    frame_free(spare); /* now free, and mapped */
    plant(&w, HEAP_VA + PAGE_SIZE, spare);
    KT_EXPECT_EQ(t, findings(&w, &report), 1);
    KT_EXPECT(t, strstr(report.first, "not allocated") != NULL);
    pg_unmap(&w.caller.vm->pd, HEAP_VA + PAGE_SIZE, NULL);
    KT_EXPECT_EQ(t, findings(&w, NULL), 0);
    vm_remove(r);
    world_close(t, &w);
}

static void a_view_page_showing_another_frame_is_found(struct ktest *t)
{
    struct world w;
    world_open(&w, 0);
    NTSTATUS status;
    uint32_t va = share_at(&w, 0, 4 * PAGE_SIZE, HEAP_VA, &status);
    KT_EXPECT_EQ(t, va, HEAP_VA);
    KT_EXPECT_EQ(t, findings(&w, NULL), 0);
    plant(&w, va + PAGE_SIZE, fake.vram); /* page 1 showing page 0 */
    struct vp_kcheck report;
    KT_EXPECT_EQ(t, findings(&w, &report), 1);
    KT_EXPECT(t, strstr(report.first, "wrong frame") != NULL);
    KT_EXPECT_EQ(t, unshare(&w, va), STATUS_SUCCESS);
    world_close(t, &w);
}

static void a_view_without_its_table_is_found(struct ktest *t)
{
    struct world w;
    world_open(&w, 0);
    NTSTATUS status;
    uint32_t va = share(&w, 0, 4 * PAGE_SIZE, &status);
    KT_EXPECT_EQ(t, findings(&w, NULL), 0);
    pg_unmap_range(&w.caller.vm->pd, va, 1, NULL); /* takes the shared table out */
    struct vp_kcheck report;
    KT_EXPECT_EQ(t, findings(&w, &report), 1);
    KT_EXPECT(t, strstr(report.first, "does not hold its table") != NULL);
    KT_EXPECT_EQ(t, unshare(&w, va), STATUS_SUCCESS);
    world_close(t, &w);
}

static void a_bank_page_the_window_does_not_show_is_found(struct ktest *t)
{
    struct world w;
    world_open(&w, 0);
    KT_EXPECT_EQ(t, set_mode(&w, 2), STATUS_SUCCESS); /* one slot */
    NTSTATUS status;
    uint32_t va = share(&w, 0, FAKE_SHAREABLE, &status);
    KT_EXPECT_EQ(t, touch(&w.caller, va), FAULT_RESUME);
    KT_EXPECT_EQ(t, findings(&w, NULL), 0);
    plant(&w, va + 2 * FAKE_BANK, fake.window); /* bank 2 through the window */
    struct vp_kcheck report;
    KT_EXPECT_EQ(t, findings(&w, &report), 1);
    KT_EXPECT(t, strstr(report.first, "not the current bank") != NULL);
    pg_unmap(&w.caller.vm->pd, va + 2 * FAKE_BANK, NULL);
    KT_EXPECT_EQ(t, findings(&w, NULL), 0);
    KT_EXPECT_EQ(t, unshare(&w, va), STATUS_SUCCESS);
    world_close(t, &w);
}

/* Leave a pattern in the stack below the caller, where the next call's
 * locals will be. */
static __attribute__((noinline)) void dirty_the_stack(void)
{
    volatile char junk[2 * VP_KCHECK_TEXT];
    for (uint32_t i = 0; i < sizeof(junk); i++)
        junk[i] = (char)0xA5;
}

/* A finding's report, copied to user space whole, carries nothing of the
 * kernel stack after its text. */
static void a_finding_leaks_no_stack_bytes(struct ktest *t)
{
    struct kcheck k = { .report = { .findings = 0 } };
    dirty_the_stack();
    kcheck_finding(&k, "short");
    uint32_t stale = 0;
    for (uint32_t i = sizeof("short"); i < VP_KCHECK_TEXT; i++)
        stale += k.report.first[i] != 0;
    KT_EXPECT_EQ(t, stale, 0);
    KT_EXPECT(t, strcmp(k.report.first, "short") == 0);
}

KTEST_SUITE(kcheck_suite, "kcheck", false,
            KTEST_CASE(a_finding_leaks_no_stack_bytes),
            KTEST_CASE(a_healthy_world_has_no_findings),
            KTEST_CASE(a_page_no_region_explains_is_found),
            KTEST_CASE(a_frame_mapped_twice_or_free_is_found),
            KTEST_CASE(a_view_page_showing_another_frame_is_found),
            KTEST_CASE(a_view_without_its_table_is_found),
            KTEST_CASE(a_bank_page_the_window_does_not_show_is_found));
