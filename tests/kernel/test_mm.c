/*
 * Memory suite: frames and heap objects come back, page tables map what
 * they are told, and page faults reach the right region's fault op only
 * after the generic checks.
 */
#include "kernel/cpu.h"
#include "kernel/ktest.h"
#include "mm/mm.h"

#define TEST_BASE 0x40000000u
#define TABLE_SPAN (1024 * PAGE_SIZE) /* what one page table maps */
#define ALL_RIGHTS (PAGE_WRITE | PAGE_USER)
#define UC_ENTRY_BITS 0x1Fu /* present, writable, user, PWT, PCD */
#define PTE_ACCESSED 0x20u

/* A region type that counts its calls and maps a fixed frame on demand. */
struct counting {
    int faults, closes;
    uint32_t frame;
    enum fault_result answer;
};

static enum fault_result counting_fault(struct region *r, struct fault_info *fi)
{
    struct counting *c = r->private;
    c->faults++;
    if (c->answer == FAULT_RESUME && vm_map_page(r, fi->va, c->frame, PAGE_CACHE_WRITE_BACK) != 0)
        return FAULT_OOM;
    if (c->answer != FAULT_RESUME)
        fi->reason = "refused by the test region";
    return c->answer;
}

static void counting_close(struct region *r)
{
    struct counting *c = r->private;
    c->closes++;
    vm_unmap_region(r, false);
}

static const struct region_ops counting_ops = {
    .name = "counting", .fault = counting_fault, .close = counting_close,
};

static struct vmspace *space_with_counting_region(struct counting *c, uint32_t rights)
{
    struct vmspace *vm = vm_create();
    struct region *r = vm_region_new(TEST_BASE, TEST_BASE + 4 * PAGE_SIZE, rights, "test",
                                     &counting_ops, c);
    if (!vm || !r || vm_insert(vm, r) != 0)
        panic("test setup failed");
    return vm;
}

static void frames_come_back(struct ktest *t)
{
    uint32_t before = frame_free_count();
    uint32_t a = frame_alloc(), run = frame_alloc_run(3);
    KT_EXPECT(t, a && run);
    KT_EXPECT(t, a % PAGE_SIZE == 0 && run % PAGE_SIZE == 0);
    KT_EXPECT_EQ(t, frame_free_count(), before - 4);
    const uint32_t *words = phys_to_virt(run);
    KT_EXPECT_EQ(t, words[0] | words[1023] | words[3 * 1024 - 1], 0); /* zeroed */
    frame_free(a);
    frame_free_run(run, 3);
    KT_EXPECT_EQ(t, frame_free_count(), before);
}

static void heap_objects_come_back(struct ktest *t)
{
    uint32_t before = kheap_objects();
    void *small = kzalloc(10), *big = kzalloc(KMALLOC_MAX);
    KT_EXPECT(t, small && big && small != big);
    KT_EXPECT(t, kzalloc(KMALLOC_MAX + 1) == NULL);
    KT_EXPECT_EQ(t, kheap_objects(), before + 2);
    kfree(small);
    kfree(big);
    KT_EXPECT_EQ(t, kheap_objects(), before);
}

/* Objects chained through their first word, newest first. */
struct chained {
    struct chained *next;
};

/* Allocate `rounds` objects of each of `count` sizes, the sizes in turn,
 * onto *chain; how many it got. */
static uint32_t allocate_chain(struct chained **chain, const uint16_t *sizes, uint32_t count,
                               uint32_t rounds)
{
    uint32_t made = 0;
    for (uint32_t r = 0; r < rounds; r++) {
        for (uint32_t s = 0; s < count; s++) {
            struct chained *o = kzalloc(sizes[s]);
            if (!o)
                return made;
            o->next = *chain;
            *chain = o;
            made++;
        }
    }
    return made;
}

/* Free every second object of the chain, then the rest: pages are left
 * part used before they empty. */
static void free_chain(struct chained *chain)
{
    for (struct chained *o = chain; o && o->next; o = o->next) {
        struct chained *victim = o->next;
        o->next = victim->next;
        kfree(victim);
    }
    while (chain) {
        struct chained *next = chain->next;
        kfree(chain);
        chain = next;
    }
}

/* F25: after a peak of thousands of objects of every class, every page the
 * heap took for them goes back to the frame allocator (but for its spare). */
static void heap_pages_come_back(struct ktest *t)
{
    static const uint16_t sizes[] = { 4, 24, 48, 100, 250, 300, 1000, KMALLOC_MAX };
    enum { ROUNDS = 1500 }; /* about 6 MiB: hundreds of pages of most classes */
    uint32_t frames = frame_free_count(), heap = kheap_frames(), objects = kheap_objects();
    struct chained *chain = NULL;
    KT_EXPECT_EQ(t, allocate_chain(&chain, sizes, ARRAY_SIZE(sizes), ROUNDS),
                 ARRAY_SIZE(sizes) * ROUNDS);
    uint32_t peak = kheap_frames();
    KT_EXPECT_EQ(t, frame_free_count() + peak, frames + heap); /* the heap took them all */
    free_chain(chain);
    ktest_log("heap frames %u before, %u at the peak, %u after; free frames %u before, %u after",
              heap, peak, kheap_frames(), frames, frame_free_count());
    KT_EXPECT_EQ(t, kheap_objects(), objects);
    KT_EXPECT(t, kheap_frames() <= heap + KHEAP_SPARE_FRAMES);
    KT_EXPECT(t, frame_free_count() + KHEAP_SPARE_FRAMES >= frames);
}

static void page_tables_map_and_unmap(struct ktest *t)
{
    uint32_t frames = frame_free_count(), tables = pg_table_count();
    struct pagedir pd;
    KT_EXPECT_EQ(t, pg_create(&pd), 0);
    uint32_t frame = frame_alloc(), pa, rights;
    KT_EXPECT_EQ(t, pg_map(&pd, TEST_BASE + 0x123000, frame, PAGE_USER, PAGE_CACHE_WRITE_BACK), 0);
    KT_EXPECT(t, pg_lookup(&pd, TEST_BASE + 0x123456, &pa, &rights));
    KT_EXPECT_EQ(t, pa, frame + 0x456);
    KT_EXPECT_EQ(t, rights, PAGE_USER);
    KT_EXPECT(t, !pg_lookup(&pd, TEST_BASE + 0x124000, &pa, &rights));
    KT_EXPECT_EQ(t, pg_table_count(), tables + 1);
    KT_EXPECT_EQ(t, pg_unmap(&pd, TEST_BASE + 0x123000, NULL), frame);
    KT_EXPECT_EQ(t, pg_unmap(&pd, TEST_BASE + 0x123000, NULL), 0);
    pg_destroy(&pd);
    frame_free(frame);
    KT_EXPECT_EQ(t, pg_table_count(), tables);
    KT_EXPECT_EQ(t, frame_free_count(), frames);
}

/* Put marker + i in the first word of each of `pages` frames from run on. */
static void mark_frames(uint32_t run, uint32_t pages, uint32_t marker)
{
    for (uint32_t i = 0; i < pages; i++)
        *(uint32_t *)phys_to_virt(run + i * PAGE_SIZE) = marker + i;
}

/* Whether each of `pages` pages from va reads marker + i through the
 * current page tables (and so through the TLB). */
static bool pages_read(uint32_t va, uint32_t pages, uint32_t marker)
{
    bool all = true;
    for (uint32_t i = 0; i < pages; i++)
        all &= *(volatile uint32_t *)(va + i * PAGE_SIZE) == marker + i;
    return all;
}

static uint32_t released_frames, released_sum;

static void count_release(uint32_t phys)
{
    released_frames++;
    released_sum += phys;
}

/* A range that starts mid-table and crosses into the next table maps
 * exactly its pages; unmapping it clears them and hands every frame back. */
static void range_map_sets_exactly_its_entries(struct ktest *t)
{
    uint32_t frames = frame_free_count(), tables = pg_table_count();
    uint32_t va = TEST_BASE + TABLE_SPAN - 3 * PAGE_SIZE, run = frame_alloc_run(7);
    struct pagedir pd;
    KT_EXPECT_EQ(t, pg_create(&pd), 0);
    KT_EXPECT_EQ(t, pg_map_range(&pd, va, run, 7, ALL_RIGHTS, PAGE_CACHE_UNCACHED), 0);
    for (uint32_t i = 0; i < 7; i++)
        KT_EXPECT_EQ(t, pg_entry(&pd, va + i * PAGE_SIZE), (run + i * PAGE_SIZE) | UC_ENTRY_BITS);
    KT_EXPECT_EQ(t, pg_entry(&pd, va - PAGE_SIZE), 0);
    KT_EXPECT_EQ(t, pg_entry(&pd, va + 7 * PAGE_SIZE), 0);
    KT_EXPECT_EQ(t, pg_table_count(), tables + 2);
    released_frames = released_sum = 0;
    pg_unmap_range(&pd, va, 7, count_release);
    KT_EXPECT(t, released_frames == 7 && released_sum == 7 * run + 21 * PAGE_SIZE);
    for (uint32_t i = 0; i < 7; i++)
        KT_EXPECT_EQ(t, pg_entry(&pd, va + i * PAGE_SIZE), 0);
    pg_destroy(&pd);
    frame_free_run(run, 7);
    KT_EXPECT_EQ(t, pg_table_count(), tables);
    KT_EXPECT_EQ(t, frame_free_count(), frames);
}

/* Map `pages` pages (across a table boundary) of the current space to
 * frames a, read them, remap them to b: reads show b. Unmap, map a again:
 * reads show a. A stale TLB entry would show the old frames. */
static void remapped_pages_read_anew(struct ktest *t, uint32_t pages)
{
    uint32_t va = TEST_BASE + TABLE_SPAN - PAGE_SIZE, cr3 = read_cr3();
    uint32_t a = frame_alloc_run(pages), b = frame_alloc_run(pages);
    struct pagedir pd;
    KT_EXPECT(t, a && b && pg_create(&pd) == 0);
    mark_frames(a, pages, 0xA0000000);
    mark_frames(b, pages, 0xB0000000);
    write_cr3(pd.phys);
    KT_EXPECT_EQ(t, pg_map_range(&pd, va, a, pages, ALL_RIGHTS, PAGE_CACHE_WRITE_BACK), 0);
    KT_EXPECT(t, pages_read(va, pages, 0xA0000000));
    KT_EXPECT_EQ(t, pg_map_range(&pd, va, b, pages, ALL_RIGHTS, PAGE_CACHE_WRITE_BACK), 0);
    KT_EXPECT(t, pages_read(va, pages, 0xB0000000));
    pg_unmap_range(&pd, va, pages, NULL);
    KT_EXPECT_EQ(t, pg_map_range(&pd, va, a, pages, ALL_RIGHTS, PAGE_CACHE_WRITE_BACK), 0);
    KT_EXPECT(t, pages_read(va, pages, 0xA0000000));
    write_cr3(cr3);
    pg_destroy(&pd);
    frame_free_run(a, pages);
    frame_free_run(b, pages);
}

/* Both ways of flushing: invlpg for a few pages, a CR3 reload for many. */
static void range_changes_flush_the_tlb(struct ktest *t)
{
    remapped_pages_read_anew(t, 3);
    remapped_pages_read_anew(t, 100);
}

/* A shared table: held by two spaces through one directory entry each,
 * replacing an empty private table; a range unmap takes it out of one
 * space whole (the TLB too), the other keeps it, pg_destroy frees neither. */
static void shared_table_is_held_and_dropped_whole(struct ktest *t)
{
    uint32_t frames = frame_free_count(), tables = pg_table_count(), cr3 = read_cr3();
    uint32_t table = frame_alloc(), other = frame_alloc();
    uint32_t a = frame_alloc_run(5), b = frame_alloc_run(5);
    struct pagedir p1, p2;
    KT_EXPECT(t, pg_create(&p1) == 0 && pg_create(&p2) == 0);
    mark_frames(a, 5, 0xA0000000);
    mark_frames(b, 5, 0xB0000000);
    pg_table_fill(table, a, 5, ALL_RIGHTS, PAGE_CACHE_UNCACHED);
    pg_table_fill(other, b, 5, ALL_RIGHTS, PAGE_CACHE_UNCACHED);
    KT_EXPECT_EQ(t, pg_map(&p1, TEST_BASE + PAGE_SIZE, a, ALL_RIGHTS, PAGE_CACHE_WRITE_BACK), 0);
    pg_unmap(&p1, TEST_BASE + PAGE_SIZE, NULL); /* leaves an empty private table */
    pg_install_table(&p1, TEST_BASE, table);
    pg_install_table(&p2, TEST_BASE + TABLE_SPAN, table);
    KT_EXPECT_EQ(t, pg_table_count(), tables); /* the private one went; shared ones don't count */
    KT_EXPECT_EQ(t, pg_entry(&p2, TEST_BASE + TABLE_SPAN + 4 * PAGE_SIZE),
                 (a + 4 * PAGE_SIZE) | UC_ENTRY_BITS);
    KT_EXPECT_EQ(t, pg_entry(&p1, TEST_BASE + 5 * PAGE_SIZE), 0);
    write_cr3(p1.phys);
    KT_EXPECT(t, pages_read(TEST_BASE, 5, 0xA0000000));
    pg_unmap_range(&p1, TEST_BASE, 1024, NULL);
    KT_EXPECT_EQ(t, pg_entry(&p1, TEST_BASE), 0);
    pg_install_table(&p1, TEST_BASE, other);
    KT_EXPECT(t, pages_read(TEST_BASE, 5, 0xB0000000));
    write_cr3(cr3);
    KT_EXPECT_EQ(t, pg_entry(&p2, TEST_BASE + TABLE_SPAN) & ~PTE_ACCESSED, a | UC_ENTRY_BITS);
    pg_destroy(&p1);
    pg_destroy(&p2);
    frame_free(table); /* panics if pg_destroy freed it */
    frame_free(other);
    frame_free_run(a, 5);
    frame_free_run(b, 5);
    KT_EXPECT_EQ(t, frame_free_count(), frames);
}

/* A copy into a present page the region does not let it write fails, and
 * leaves the page as it was; reading it works. */
static void copies_respect_page_rights(struct ktest *t)
{
    struct counting c = { .frame = frame_alloc(), .answer = FAULT_RESUME };
    struct vmspace *vm = space_with_counting_region(&c, PAGE_USER);
    uint32_t value = 0, marker = 0x600DF00D, other = 0xBAD, *word = phys_to_virt(c.frame + 8);
    *word = marker;
    KT_EXPECT_EQ(t, vm_copy_in(vm, &value, TEST_BASE + 8, 4), 0);
    KT_EXPECT_EQ(t, value, marker);
    KT_EXPECT_EQ(t, vm_copy_out(vm, TEST_BASE + 8, &other, 4), -1);
    KT_EXPECT_EQ(t, *word, marker);
    vm_destroy(vm);
    frame_free(c.frame);
}

static void fault_reaches_region_op(struct ktest *t)
{
    struct counting c = { .frame = frame_alloc(), .answer = FAULT_RESUME };
    struct vmspace *vm = space_with_counting_region(&c, PAGE_USER | PAGE_WRITE);
    struct fault_info fi = { .va = TEST_BASE + PAGE_SIZE + 8, .access = FAULT_WRITE | FAULT_USER };
    uint32_t pa, rights;
    KT_EXPECT_EQ(t, mm_handle_fault(vm, &fi), FAULT_RESUME);
    KT_EXPECT_EQ(t, c.faults, 1);
    KT_EXPECT(t, pg_lookup(&vm->pd, TEST_BASE + PAGE_SIZE, &pa, &rights));
    KT_EXPECT_EQ(t, pa, c.frame);
    // cppcheck-suppress unreadVariable ; read by counting_fault through r->private
    c.answer = FAULT_BUS;
    fi.va = TEST_BASE;
    KT_EXPECT_EQ(t, mm_handle_fault(vm, &fi), FAULT_BUS);
    KT_EXPECT_EQ(t, c.faults, 2);
    vm_destroy(vm);
    KT_EXPECT_EQ(t, c.closes, 1);
    frame_free(c.frame);
}

static void generic_checks_come_first(struct ktest *t)
{
    struct counting c = { .answer = FAULT_RESUME };
    struct vmspace *vm = space_with_counting_region(&c, PAGE_USER);
    struct fault_info write = { .va = TEST_BASE, .access = FAULT_WRITE | FAULT_USER };
    struct fault_info outside = { .va = TEST_BASE + 4 * PAGE_SIZE, .access = FAULT_USER };
    struct fault_info kernel = { .va = KERNEL_VMA + 0x100000, .access = FAULT_USER };
    KT_EXPECT_EQ(t, mm_handle_fault(vm, &write), FAULT_SEGV);
    KT_EXPECT_EQ(t, mm_handle_fault(vm, &outside), FAULT_SEGV);
    KT_EXPECT_EQ(t, mm_handle_fault(vm, &kernel), FAULT_SEGV);
    KT_EXPECT_EQ(t, c.faults, 0);
    KT_EXPECT(t, write.reason != NULL && outside.reason != NULL);
    vm_destroy(vm);
}

static void anonymous_memory_is_zeroed_and_freed(struct ktest *t)
{
    uint32_t frames = frame_free_count(), regions = vm_region_count();
    struct vmspace *vm = vm_create();
    struct region *r = vm_region_new(TEST_BASE, TEST_BASE + 8 * PAGE_SIZE, PAGE_USER | PAGE_WRITE,
                                     "anon", &anon_region_ops, NULL);
    KT_EXPECT_EQ(t, vm_insert(vm, r), 0);
    uint32_t value = 0xFFFFFFFF, marker = 0x5A5A5A5A;
    KT_EXPECT_EQ(t, vm_copy_in(vm, &value, TEST_BASE + 3 * PAGE_SIZE, 4), 0);
    KT_EXPECT_EQ(t, value, 0);
    KT_EXPECT_EQ(t, vm_copy_out(vm, TEST_BASE + 2 * PAGE_SIZE - 2, &marker, 4), 0);
    KT_EXPECT_EQ(t, vm_copy_in(vm, &value, TEST_BASE + 2 * PAGE_SIZE - 2, 4), 0);
    KT_EXPECT_EQ(t, value, marker); /* across a page boundary */
    KT_EXPECT_EQ(t, vm_copy_in(vm, &value, TEST_BASE + 8 * PAGE_SIZE - 2, 4), -1);
    vm_destroy(vm);
    KT_EXPECT_EQ(t, frame_free_count(), frames);
    KT_EXPECT_EQ(t, vm_region_count(), regions);
}

/* F8, F23: the direct map has no cached alias of the legacy video memory
 * (0xA0000-0xBFFFF), while the RAM around it stays mapped. */
static void direct_map_leaves_out_video_memory(struct ktest *t)
{
    KT_EXPECT(t, !paging_kernel_present(KERNEL_VMA + LEGACY_VIDEO_BASE));
    KT_EXPECT(t, !paging_kernel_present(KERNEL_VMA + LEGACY_VIDEO_END - PAGE_SIZE));
    KT_EXPECT(t, paging_kernel_present(KERNEL_VMA + LEGACY_VIDEO_BASE - PAGE_SIZE));
    KT_EXPECT(t, paging_kernel_present(KERNEL_VMA + LEGACY_VIDEO_END));
    KT_EXPECT(t, paging_kernel_present(KERNEL_VMA + LARGE_PAGE_SIZE));
}

KTEST_SUITE(mm_suite, "mm", false,
            KTEST_CASE(frames_come_back),
            KTEST_CASE(heap_objects_come_back),
            KTEST_CASE(heap_pages_come_back),
            KTEST_CASE(page_tables_map_and_unmap),
            KTEST_CASE(direct_map_leaves_out_video_memory),
            KTEST_CASE(range_map_sets_exactly_its_entries),
            KTEST_CASE(range_changes_flush_the_tlb),
            KTEST_CASE(shared_table_is_held_and_dropped_whole),
            KTEST_CASE(copies_respect_page_rights),
            KTEST_CASE(fault_reaches_region_op),
            KTEST_CASE(generic_checks_come_first),
            KTEST_CASE(anonymous_memory_is_zeroed_and_freed));
