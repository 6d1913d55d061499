/*
 * Crafted program images (tools/mkimages.py): the loader refuses the
 * malformed ones with VP_EINVAL before it allocates anything, runs the
 * valid ones (which exit with a status of their own), and either way the
 * kernel's memory is as it was.
 */
#include <vputil.h>

#include "vpexec.h"

#define REFUSALS 20        /* spawns of the 65535-segment image */
#define REFUSALS_MS 500    /* all of them; walking its headers took 25 s a spawn */
#define LIMIT_RUNS 20      /* runs of the 16-segment image */

/* Spawn image `name` and wait for it: its exit status, or minus the
 * error spawn failed with. */
static int run_image(const char *name)
{
    HANDLE h = spawn(name, NULL);
    int status = -1;
    if (!h)
        return -vp_errno;
    if (wait(h, &status) != 0)
        return -1000;
    return status;
}

/* TSC cycles since `start`, in units of 1024: 32 bits hold over an hour
 * of them, and a program has no 64-bit division. */
static uint32_t kilocycles_since(uint64_t start)
{
    return (uint32_t)((rdtsc() - start) >> 10);
}

/* Those units per millisecond, measured across a sleep. A spawn is timed
 * with the TSC: one that ran with interrupts off would have stopped the
 * kernel's clock, which then cannot see how long it took. */
static uint32_t kilocycles_per_ms(void)
{
    uint64_t start = rdtsc();
    sleep_ms(100);
    uint32_t per_ms = kilocycles_since(start) / 100;
    return per_ms ? per_ms : 1;
}

/* The memory counters and kcheck are as in `before`, and so (within the
 * leak slack) are the kernel heap's frames. */
static void check_memory_as_before(const struct vp_meminfo *before)
{
    struct vp_meminfo after = usertest_memory();
    if (!vp_free_frames_back(before->heap_frames, after.heap_frames))
        printf("# kernel heap frames %u before, %u after\n", before->heap_frames,
               after.heap_frames);
    CHECK(vp_free_frames_back(before->heap_frames, after.heap_frames));
    usertest_check_nothing_leaked(before);
}

/* Issue 17, item 2: every spawn walked all 65535 headers, inserting a
 * region each into a sorted list with interrupts off, and the records
 * stayed in the kernel heap. Now the count is refused before anything is
 * allocated. A spawn that starts it anyway ends the loop. */
void test_image_with_65535_segments_is_refused_quickly(void)
{
    uint32_t per_ms = kilocycles_per_ms();
    struct vp_meminfo before = usertest_memory();
    int refused = 0, error = 0;
    uint64_t start = rdtsc();
    for (int i = 0; i < REFUSALS; i++) {
        HANDLE h = spawn("image-65535-segments", NULL);
        if (h) {
            printf("# spawn %d started it as pid %d\n", i + 1, handle_pid(h));
            CHECK(usertest_kill_child(h));
            break;
        }
        error = vp_errno;
        refused += error == VP_EINVAL;
    }
    uint32_t ms = kilocycles_since(start) / per_ms;
    printf("# %d of %d spawns refused with EINVAL in %u ms (last error %d)\n", refused,
           REFUSALS, ms, error);
    CHECK(refused == REFUSALS);
    CHECK(ms < REFUSALS_MS);
    check_memory_as_before(&before);
}

/* At most 16 loadable segments and 64 program headers. */
void test_segment_and_header_counts_are_bounded(void)
{
    int at_limit = run_image("image-16-segments"), headers = run_image("image-64-headers");
    int past_limit = run_image("image-17-segments"), too_many = run_image("image-65-headers");
    printf("# 16 segments: %d, 64 headers: %d, 17 segments: %d, 65 headers: %d\n", at_limit,
           headers, past_limit, too_many);
    CHECK(at_limit == 16 && headers == 64);
    CHECK(past_limit == -VP_EINVAL && too_many == -VP_EINVAL);
}

/* Images of as many segments as allowed, one after another, leave the
 * kernel's records and heap as they were. */
void test_images_at_the_limit_leave_nothing_behind(void)
{
    struct vp_meminfo before = usertest_memory();
    int ran = 0;
    for (int i = 0; i < LIMIT_RUNS; i++)
        ran += run_image("image-16-segments") == 16;
    CHECK(ran == LIMIT_RUNS);
    check_memory_as_before(&before);
}

/* Issue 17, item 12: a segment over the stack was refused with ENOMEM
 * (the stack's insertion failed), as if memory had run out. */
void test_segment_over_the_stack_is_einval(void)
{
    int result = run_image("image-segment-over-the-stack");
    printf("# segment over the stack: %d\n", result);
    CHECK(result == -VP_EINVAL);
}

/* A segment in the guard region below the stack would give a stack
 * clash something to land in. */
void test_segment_in_the_stack_gap_is_einval(void)
{
    int result = run_image("image-segment-in-the-stack-gap");
    printf("# segment in the stack's guard region: %d\n", result);
    CHECK(result == -VP_EINVAL);
}

/* Each image breaks one rule of kernel/elf_check.c. */
void test_malformed_images_are_refused(void)
{
    static const char *const names[] = {
        "image-segment-in-the-kernel", "image-segment-at-address-0",
        "image-segment-wraps-4-gib", "image-segments-overlap", "image-segments-share-a-page",
        "image-file-bytes-past-the-end", "image-more-file-than-memory",
        "image-headers-past-the-end", "image-header-offset-past-end", "image-nothing-to-load",
        "image-not-elf", "image-64-bit", "image-big-endian", "image-not-executable",
        "image-not-i386", "image-wrong-header-size", "image-truncated-header",
    };
    struct vp_meminfo before = usertest_memory();
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        int result = run_image(names[i]);
        if (result != -VP_EINVAL)
            printf("# %s: %d\n", names[i], result);
        CHECK(result == -VP_EINVAL);
    }
    check_memory_as_before(&before);
}

/* Program headers at an odd offset in the file are read all the same. */
void test_unaligned_headers_are_read(void)
{
    CHECK(run_image("image-unaligned-headers") == 3);
}
