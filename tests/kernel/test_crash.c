/*
 * The "crash" suite, run only on request (ktest=crash): a kernel exception
 * inside a test must produce the register dump and backtrace, fail that
 * test, and let the run go on. The harness checks all three.
 */
#include "kernel/ktest.h"

/*
 * Outside the direct map and the device window: never mapped. Kept in a
 * variable so the compiler cannot see (and reject) the bad address.
 */
static volatile uint32_t *volatile unmapped_address = (volatile uint32_t *)0x10;

static void __attribute__((noinline)) crash_write_unmapped(volatile uint32_t *p)
{
    *p = 0xDEAD;
}

static void kernel_page_fault(struct ktest *t)
{
    KT_EXPECT(t, true);
    crash_write_unmapped(unmapped_address);
    KT_EXPECT(t, false); /* not reached: the fault ends the test */
}

static void runs_after_crash(struct ktest *t)
{
    KT_EXPECT(t, true);
}

KTEST_SUITE(crash_suite, "crash", true,
            KTEST_CASE(kernel_page_fault),
            KTEST_CASE(runs_after_crash));
