/*
 * Interrupt suite: the PIT ticks through the remapped PIC, and software
 * formatting of 64-bit numbers works on i386 (no libgcc helpers).
 */
#include "drivers/timer.h"
#include "kernel/cpu.h"
#include "kernel/format.h"
#include "kernel/irq.h"
#include "kernel/ktest.h"
#include "kernel/kstring.h"

#define TICKS_TO_WAIT 5
#define TSC_GIVE_UP (20ull * 1000 * 1000 * 1000) /* cycles: many seconds */

static void timer_ticks_arrive(struct ktest *t)
{
    /* The count first: a tick between the two reads adds to both. */
    uint32_t irq_before = irq_count(IRQ_TIMER);
    uint64_t start = timer_ticks();
    uint64_t tsc_start = rdtsc();
    KT_EXPECT(t, read_eflags() & EFLAGS_IF);
    while (timer_ticks() < start + TICKS_TO_WAIT && rdtsc() - tsc_start < TSC_GIVE_UP)
        cpu_halt();
    KT_EXPECT(t, timer_ticks() >= start + TICKS_TO_WAIT);
    KT_EXPECT(t, irq_count(IRQ_TIMER) - irq_before >= TICKS_TO_WAIT);
}

static void timer_rate_plausible(struct ktest *t)
{
    /* 10 ticks must span ~100 ms: check against the TSC's own progress. */
    uint64_t first = timer_ticks();
    while (timer_ticks() == first)
        cpu_halt();
    uint64_t tsc0 = rdtsc();
    uint64_t start = timer_ticks();
    while (timer_ticks() < start + 10)
        cpu_halt();
    uint64_t cycles = rdtsc() - tsc0;
    ktest_log("10 ticks took %llu TSC cycles", cycles);
    KT_EXPECT(t, cycles > 1000000); /* not a tick per instruction */
}

#define QUIET_LINE 5 /* an interrupt line no device of the machine raises */

static uint32_t quiet_calls;
static bool ran_inside; /* a handler ran inside the first one */

/* The first time: what a handler's BIOS call does when an interrupt of
 * the line comes during it (interrupts are on in the call): the trap
 * ends it and comes back to the handlers' pass. */
static void handler_let_in_again(void)
{
    if (++quiet_calls == 1) {
        irq_defer(QUIET_LINE);
        irq_run_deferred();
        ran_inside = quiet_calls != 1;
    }
}

/* An interrupt that comes while a handler runs waits for it to end, then
 * runs once: no handler inside another, none twice, none lost. */
static void an_interrupt_in_a_handler_runs_after_it(struct ktest *t)
{
    uint16_t masks = irq_only(IRQ_TIMER); /* the masks as they are */
    irq_restore_masks(masks);
    quiet_calls = 0;
    ran_inside = false;
    irq_register(QUIET_LINE, handler_let_in_again);
    irq_defer(QUIET_LINE);
    irq_run_deferred();
    KT_EXPECT(t, !ran_inside);
    KT_EXPECT_EQ(t, quiet_calls, 2u);
    irq_run_deferred();
    KT_EXPECT_EQ(t, quiet_calls, 2u);
    irq_register(QUIET_LINE, NULL);
    irq_restore_masks(masks);
}

static void format_64bit_on_i386(struct ktest *t)
{
    char buf[64];
    ksnprintf(buf, sizeof(buf), "%llu|%lld|%llx", 18446744073709551615ull,
              -9223372036854775807ll - 1, 0x123456789abcdefull);
    KT_EXPECT_EQ(t, strcmp(buf, "18446744073709551615|-9223372036854775808|123456789abcdef"), 0);
}

KTEST_SUITE(interrupts_suite, "interrupts", false,
            KTEST_CASE(timer_ticks_arrive),
            KTEST_CASE(timer_rate_plausible),
            KTEST_CASE(an_interrupt_in_a_handler_runs_after_it),
            KTEST_CASE(format_64bit_on_i386));
