/*
 * SMP suite: each processor the kernel started set itself up as the boot
 * CPU did (the same PAT, the FPU refused, its own local APIC and clock),
 * the kernel finds its own CPU's record through %gs, and the others run
 * their schedulers once the big kernel lock is free.
 */
#include "drivers/timer.h"
#include "kernel/biglock.h"
#include "kernel/tlb.h"
#include "kernel/trap.h"
#include "mm/mm.h"
#include "kernel/cpu.h"
#include "kernel/format.h"
#include "kernel/ktest.h"
#include "kernel/kernel.h"
#include "kernel/lapic.h"
#include "kernel/latency.h"
#include "kernel/proc.h"
#include "kernel/smp.h"

#define MSR_PAT 0x277
#define CLOCK_WAIT_TICKS 10 /* boot CPU ticks the others' clocks are watched for */
#define PANIC_WAIT_TICKS 200 /* for another CPU's panic, which ends the boot */

static void the_boot_cpu_finds_its_record(struct ktest *t)
{
    struct cpu *self = cpu_this();
    KT_EXPECT(t, self == cpu_at(0));
    KT_EXPECT(t, self->self == self);
    KT_EXPECT_EQ(t, self->index, 0u);
    KT_EXPECT(t, self->online);
    KT_EXPECT_EQ(t, self->apic_id, lapic_id());
}

static void every_cpu_has_the_boot_cpus_pat(struct ktest *t)
{
    if (smp_online() == 1)
        KT_SKIP(t, "one CPU online");
    uint64_t pat = rdmsr(MSR_PAT);
    for (uint32_t i = 1; i < smp_online(); i++) {
        ktest_log("CPU %u: PAT 0x%llx, the boot CPU's 0x%llx", i, cpu_at(i)->pat, pat);
        KT_EXPECT(t, cpu_at(i)->pat == pat);
    }
}

static void every_cpu_refuses_the_fpu(struct ktest *t)
{
    if (smp_online() == 1)
        KT_SKIP(t, "one CPU online");
    for (uint32_t i = 0; i < smp_online(); i++) {
        KT_EXPECT(t, cpu_at(i)->cr0 & CR0_EM);
        KT_EXPECT(t, !(cpu_at(i)->cr0 & CR0_MP));
    }
}

static void every_cpu_is_online_with_its_own_apic(struct ktest *t)
{
    if (smp_online() == 1)
        KT_SKIP(t, "one CPU online");
    for (uint32_t i = 0; i < smp_online(); i++) {
        const struct cpu *c = cpu_at(i);
        KT_EXPECT(t, c->online);
        KT_EXPECT(t, c->self == c);
        KT_EXPECT_EQ(t, c->index, i);
        for (uint32_t j = 0; j < i; j++)
            KT_EXPECT(t, cpu_at(j)->apic_id != c->apic_id);
    }
    KT_EXPECT(t, smp_online() == CPU_MAX || !cpu_at(smp_online())->online);
}

/* With the lock let go for a while (no process exists yet), each other
 * CPU's scheduler takes it, finds nothing to run and idles, and its own
 * clock counts the ticks. */
static void every_cpus_clock_ticks_while_it_idles(struct ktest *t)
{
    if (smp_online() == 1)
        KT_SKIP(t, "one CPU online");
    uint32_t before[CPU_MAX];
    for (uint32_t i = 1; i < smp_online(); i++) {
        KT_EXPECT(t, cpu_at(i)->clock);
        before[i] = cpu_at(i)->idle_ticks;
    }
    biglock_release();
    uint64_t end = timer_ticks() + CLOCK_WAIT_TICKS;
    while (timer_ticks() < end)
        cpu_halt();
    biglock_acquire();
    for (uint32_t i = 1; i < smp_online(); i++) {
        uint32_t ticks = cpu_at(i)->idle_ticks - before[i];
        ktest_log("CPU %u: %u idle ticks in %d of the boot CPU's", i, ticks, CLOCK_WAIT_TICKS);
        KT_EXPECT(t, ticks >= CLOCK_WAIT_TICKS / 2 && ticks <= 2 * CLOCK_WAIT_TICKS);
    }
}

/* A kill can land while its process waits for the lock on another CPU,
 * on its way into a sleeping system call: the sleep must not start, since
 * nothing would wake it but what it waits for. (Started, the sleep would
 * switch to a scheduler this CPU does not have yet, and crash the case.) */
static void a_killed_process_does_not_start_to_sleep(struct ktest *t)
{
    struct proc killed = { .pid = 9997, .state = PROC_RUNNING, .killed = true };
    struct cpu *self = cpu_this();
    self->proc = &killed;
    sched_sleep(&killed, 0);
    self->proc = NULL;
    KT_EXPECT(t, killed.state == PROC_RUNNING && killed.wait_channel == NULL);
}

#define AP_STRETCH_MS 5 /* what another CPU's idle hook spends with interrupts off */

static volatile bool ap_stretched;

/* On the first other CPU that runs it: a stretch with interrupts off (its
 * scheduler's, holding the lock) of AP_STRETCH_MS at least. */
static void stretch_on_another_cpu(void)
{
    if (cpu_this()->index == 0 || __atomic_exchange_n(&ap_stretched, true, __ATOMIC_ACQ_REL))
        return;
    uint64_t end = rdtsc() + (uint64_t)AP_STRETCH_MS * latency_tsc_per_ms();
    while (rdtsc() < end)
        cpu_relax();
}

/* The latency figures are each CPU's own, merged in the report: a
 * stretch another CPU ran is the longest, and its cause is named. */
static void another_cpus_stretch_is_reported(struct ktest *t)
{
    if (smp_online() == 1)
        KT_SKIP(t, "one CPU online");
    struct vp_latency before, after;
    latency_report(&before, true);
    ap_stretched = false;
    sched_set_idle_hook(stretch_on_another_cpu);
    biglock_release();
    uint64_t end = timer_ticks() + CLOCK_WAIT_TICKS;
    while (timer_ticks() < end && !ap_stretched)
        cpu_halt();
    while (timer_ticks() < end + 2) /* its stretch ends */
        cpu_halt();
    biglock_acquire();
    sched_set_idle_hook(NULL);
    latency_report(&after, false);
    ktest_log("longest stretch %u us, cause %u", after.max_us, after.max_cause);
    KT_EXPECT(t, ap_stretched);
    KT_EXPECT(t, after.max_us >= AP_STRETCH_MS * 1000);
    KT_EXPECT_EQ(t, after.max_cause, (uint32_t)VP_LATENCY_SCHEDULER);
    KT_EXPECT(t, after.cause_max_us[VP_LATENCY_SCHEDULER] >= AP_STRETCH_MS * 1000);
}

/* An EOI that goes astray (lapic.c: QEMU can lose one) is sent again:
 * the wake vector this CPU sends itself ends up out of service even when
 * its first two EOIs are lost. */
static void a_lost_eoi_is_sent_again(struct ktest *t)
{
    KT_EXPECT(t, read_eflags() & EFLAGS_IF);
    lapic_lose_writes(LAPIC_EOI, 2);
    KT_EXPECT(t, lapic_send_ipi(lapic_id(), TRAP_WAKE)); /* taken at once */
    for (int i = 0; i < 100; i++)
        cpu_relax();
    uint32_t unused = lapic_lose_writes(LAPIC_EOI, 0);
    KT_EXPECT_EQ(t, unused, 0u);
    KT_EXPECT(t, !lapic_in_service(TRAP_WAKE));
    if (lapic_in_service(TRAP_WAKE)) { /* leave the APIC as it was */
        irq_disable();
        lapic_eoi(TRAP_WAKE);
        irq_enable();
    }
}

/* Ask CPU 1 for `hook`'s work, run from its scheduler (it clears *asked
 * when it starts; *done is the work's to set). */
static void ask_cpu_1(volatile bool *asked, volatile bool *done, void (*hook)(void))
{
    *done = false;
    *asked = true;
    sched_set_idle_hook(hook);
}

#define HOLD_MS 200 /* another CPU holds the lock with interrupts off this long */

static volatile bool hold_asked, hold_done;

static void hold_the_lock_on_cpu_1(void)
{
    if (cpu_this()->index != 1 || !hold_asked)
        return;
    hold_asked = false;
    uint64_t end = rdtsc() + (uint64_t)HOLD_MS * latency_tsc_per_ms();
    while (rdtsc() < end)
        cpu_relax();
    hold_done = true;
}

/* The boot CPU's clock keeps time while it waits for the lock another CPU
 * holds: each tick is ended at the 8259 as it comes (one held in service
 * held back every later one) and counted once the lock is had. */
static void the_clock_keeps_time_while_the_lock_is_held(struct ktest *t)
{
    if (smp_online() == 1)
        KT_SKIP(t, "one CPU online");
    ask_cpu_1(&hold_asked, &hold_done, hold_the_lock_on_cpu_1);
    uint64_t ticks = timer_ticks(), tsc = rdtsc(), give_up = tsc + 20ull * HOLD_MS * latency_tsc_per_ms();
    biglock_release();
    while (!hold_done && rdtsc() < give_up)
        cpu_halt();
    biglock_acquire();
    sched_set_idle_hook(NULL);
    uint32_t rem;
    uint32_t ms = (uint32_t)divmod_u64(rdtsc() - tsc, latency_tsc_per_ms(), &rem);
    uint32_t counted = (uint32_t)(timer_ticks() - ticks) * (1000 / TIMER_HZ);
    ktest_log("%u ms by the TSC, %u ms by the clock", ms, counted);
    KT_EXPECT(t, hold_done && ms >= HOLD_MS);
    KT_EXPECT(t, counted * 10 >= ms * 7);
}

#define LOST_IPI_TRIES 5 /* one may find its target awake, answering unasked */

/* A shootdown whose interrupt to one CPU went astray is sent again to the
 * CPUs that have not answered, and every one answers. */
static void a_lost_shootdown_is_sent_again(struct ktest *t)
{
    if (smp_online() == 1)
        KT_SKIP(t, "one CPU online");
    struct tlb_counts before = tlb_counts();
    uint32_t unused = 0;
    for (int i = 0; i < LOST_IPI_TRIES && tlb_counts().resends == before.resends; i++) {
        lapic_lose_writes(LAPIC_IPI, 1);
        tlb_shootdown(0, KERNEL_VMA, 1); /* a kernel page: every other CPU answers */
        unused += lapic_lose_writes(LAPIC_IPI, 0);
    }
    struct tlb_counts after = tlb_counts();
    ktest_log("%u shootdowns, %u interrupts sent again", after.requests - before.requests,
              after.resends - before.resends);
    KT_EXPECT_EQ(t, unused, 0u);
    KT_EXPECT(t, after.resends > before.resends);
}

static volatile bool stick_asked, stick_set;

/* On CPU 1: its next interrupt's EOI and the look that checks it go
 * astray, so the vector stays in service, as one did under QEMU. */
static void stick_cpu_1(void)
{
    if (cpu_this()->index != 1 || !stick_asked)
        return;
    stick_asked = false;
    lapic_lose_writes(LAPIC_EOI, 1);
    lapic_lose_writes(LAPIC_ISR_READ, 1);
    stick_set = true;
}

/* Let the lock go for `ms` (interrupts on): the others run meanwhile. */
static void let_the_others_run(uint32_t ms)
{
    biglock_release();
    uint64_t end = rdtsc() + (uint64_t)ms * latency_tsc_per_ms();
    while (rdtsc() < end)
        cpu_halt();
    biglock_acquire();
}

/* A CPU whose APIC holds a vector in service gets no IPI and no tick: a
 * shootdown's NMI reaches it, and it answers and ends the vector. */
static void a_cpu_holding_a_vector_in_service_still_answers(struct ktest *t)
{
    if (smp_online() == 1)
        KT_SKIP(t, "one CPU online");
    ask_cpu_1(&stick_asked, &stick_set, stick_cpu_1);
    let_the_others_run(50); /* CPU 1 sticks at its next tick */
    sched_set_idle_hook(NULL);
    struct tlb_counts before = tlb_counts();
    tlb_shootdown(0, KERNEL_VMA, 1); /* returns once CPU 1 has answered too */
    uint32_t ticks = cpu_at(1)->idle_ticks;
    let_the_others_run(50);
    ktest_log("%u interrupts sent again; CPU 1 idled %u ticks after", tlb_counts().resends -
              before.resends, cpu_at(1)->idle_ticks - ticks);
    KT_EXPECT(t, stick_set);
    KT_EXPECT(t, tlb_counts().resends - before.resends >= SMP_NMI_AFTER_RESENDS);
    KT_EXPECT(t, cpu_at(1)->idle_ticks - ticks >= 2); /* its clock runs again */
}

KTEST_SUITE(smp_suite, "smp", false,
            KTEST_CASE(the_boot_cpu_finds_its_record),
            KTEST_CASE(every_cpu_has_the_boot_cpus_pat),
            KTEST_CASE(every_cpu_refuses_the_fpu),
            KTEST_CASE(every_cpu_is_online_with_its_own_apic),
            KTEST_CASE(every_cpus_clock_ticks_while_it_idles),
            KTEST_CASE(a_killed_process_does_not_start_to_sleep),
            KTEST_CASE(another_cpus_stretch_is_reported),
            KTEST_CASE(a_lost_eoi_is_sent_again),
            KTEST_CASE(the_clock_keeps_time_while_the_lock_is_held),
            KTEST_CASE(a_lost_shootdown_is_sent_again),
            KTEST_CASE(a_cpu_holding_a_vector_in_service_still_answers));

static void panic_on_another_cpu(void)
{
    if (cpu_this()->index != 0)
        panic("a test's panic on CPU %u", cpu_this()->index);
}

/* On request, since it ends the boot: a panic on another CPU (in its
 * scheduler's idle hook, while this one waits with the lock let go)
 * stops every CPU, this one too, and only that CPU prints. */
static void a_panic_on_another_cpu_stops_them_all(struct ktest *t)
{
    if (smp_online() == 1)
        KT_SKIP(t, "one CPU online");
    sched_set_idle_hook(panic_on_another_cpu);
    biglock_release();
    uint64_t end = timer_ticks() + PANIC_WAIT_TICKS;
    while (timer_ticks() < end)
        cpu_halt();
    biglock_acquire();
    sched_set_idle_hook(NULL);
    KT_EXPECT(t, !"this CPU was stopped by the other's panic");
}

KTEST_SUITE(smp_crash_suite, "smpcrash", true, KTEST_CASE(a_panic_on_another_cpu_stops_them_all));
