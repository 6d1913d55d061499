/*
 * The gap between heap and stack: the heap cannot grow into the guard
 * region below the stack, and a stack frame that reaches into it is a
 * kill, not a write into the heap.
 */
#include <vputil.h>

#include "vpexec.h"

#define SEED 0x5CA1AB1Eu

/* Grow the heap as far as the kernel lets it, in halving steps down to a
 * page; returns the break. Only address space: no page is touched. */
static uint8_t *grow_heap_to_the_limit(void)
{
    uint8_t *end = sbrk(0);
    for (uint32_t step = 1u << 30; step >= PAGE; step /= 2) {
        while (sbrk((intptr_t)step) != (void *)-1)
            end += step;
    }
    return end;
}

/* Open a stack frame whose lowest word is at va and store into it, as a
 * function with a large local array does: esp moves down at once and the
 * pages it skips are never touched. */
static void frame_down_to(uint32_t va)
{
    __asm__ volatile("mov %%esp, %%edx\n\t"
                     "mov %0, %%esp\n\t"
                     "movl $0x5A5A5A5A, (%%esp)\n\t"
                     "mov %%edx, %%esp"
                     : : "r"(va) : "edx", "memory");
}

/* Child "clash BYTES": grow the heap to its limit, fill its top STACK_GAP
 * bytes with a pattern, then open a frame reaching BYTES below the stack.
 * Being killed there is the pass; a child that lives on exits 2 when the
 * store changed heap words, 1 when it did not. */
static void clash(uint32_t below)
{
    volatile uint32_t *top = (volatile uint32_t *)(grow_heap_to_the_limit() - STACK_GAP);
    for (uint32_t i = 0; i < STACK_GAP / 4; i++)
        top[i] = pattern_value(i, SEED);
    frame_down_to(STACK_BOTTOM - below);
    uint32_t changed = 0;
    for (uint32_t i = 0; i < STACK_GAP / 4; i++)
        changed += top[i] != pattern_value(i, SEED);
    printf("# a frame %u bytes below the stack: not killed, %u heap words changed\n", below,
           changed);
    exit(changed ? 2 : 1);
}

/* Child "heap-limit": exit 0 when the heap stops at least STACK_GAP below
 * the stack, 1 otherwise. */
static void heap_limit(void)
{
    uint32_t end = (uint32_t)grow_heap_to_the_limit();
    printf("# the heap ends at 0x%x, %u KiB below the stack\n", end, (STACK_BOTTOM - end) / 1024);
    exit(end <= STACK_BOTTOM - STACK_GAP ? 0 : 1);
}

void stack_child(const char *kind, const char *arg)
{
    uint32_t bytes = 0;
    if (strcmp(kind, "clash") == 0 && parse_uint(arg, &bytes))
        clash(bytes);
    if (strcmp(kind, "heap-limit") == 0)
        heap_limit();
    exit(77); /* no such child */
}

/* Issue 17, item 6: the heap grew up to the one guard page, so nothing
 * stood between the two. */
void test_heap_stops_a_gap_below_the_stack(void)
{
    CHECK(usertest_run_child("vpexec", "heap-limit") == 0);
}

/* Issue 17, item 6: a frame of more than a page below the stack stepped
 * over the guard page and wrote into the heap (7 words, no kill). Frames
 * reaching 8 KiB, 64 KiB and the whole gap below the stack must die. */
void test_stack_frame_past_the_guard_is_killed(void)
{
    static const char *const depths[] = { "8192", "65536", "1048576" };
    for (size_t i = 0; i < sizeof(depths) / sizeof(depths[0]); i++) {
        char args[32];
        snprintf(args, sizeof(args), "clash %s", depths[i]);
        int status = usertest_run_child("vpexec", args);
        if (status != VP_STATUS_KILLED)
            printf("# frame %s bytes below the stack: status %d\n", depths[i], status);
        CHECK(status == VP_STATUS_KILLED);
    }
}
