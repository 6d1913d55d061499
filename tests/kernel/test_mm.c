/*
 * Memory suite: frames and heap objects come back, page tables map what
 * they are told, and page faults reach the right region's fault op only
 * after the generic checks.
 */
#include "kernel/ktest.h"
#include "mm/mm.h"

#define TEST_BASE 0x40000000u

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
    KT_EXPECT_EQ(t, pg_unmap(&pd, TEST_BASE + 0x123000), frame);
    KT_EXPECT_EQ(t, pg_unmap(&pd, TEST_BASE + 0x123000), 0);
    pg_destroy(&pd);
    frame_free(frame);
    KT_EXPECT_EQ(t, pg_table_count(), tables);
    KT_EXPECT_EQ(t, frame_free_count(), frames);
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

KTEST_SUITE(mm_suite, "mm", false,
            KTEST_CASE(frames_come_back),
            KTEST_CASE(heap_objects_come_back),
            KTEST_CASE(page_tables_map_and_unmap),
            KTEST_CASE(fault_reaches_region_op),
            KTEST_CASE(generic_checks_come_first),
            KTEST_CASE(anonymous_memory_is_zeroed_and_freed));
