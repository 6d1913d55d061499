/*
 * SMP run suite (on request: it runs processes and BIOS calls on the other
 * CPUs, while this one waits with the big kernel lock let go).
 *
 * The vpsmp program runs there against the fake adapter, whose banked
 * window is RAM and whose bank routine copies banks in and out of it: a
 * store through a translation a CPU kept after a switch lands in the new
 * bank, as on real hardware (QEMU's own adapters remap their window on a
 * switch, which drops every CPU's translations of it and so hides a
 * missing shootdown), so `tlb.skip-others` must make it fail.
 */
#include "drivers/timer.h"
#include "fake_video.h"
#include "kernel/biglock.h"
#include "kernel/format.h"
#include "kernel/kstring.h"
#include "kernel/smp.h"
#include "kernel/v86.h"

#define PROGRAM_WAIT_TICKS (60 * TIMER_HZ) /* vpsmp takes a few seconds */
#define KILL_WAIT_TICKS (2 * TIMER_HZ)
#define CALL_START_TICKS (2 * TIMER_HZ)    /* for another CPU to take the lock */

static volatile bool program_ended;
static volatile int program_status;
static volatile uint32_t program_faults;
static int program_pid;

static void note_exit(int pid, int status)
{
    if (pid == program_pid) {
        program_status = status;
        program_faults = proc_by_pid(pid)->page_faults;
        program_ended = true;
    }
}

/* With the lock let go, wait until `done` or `ticks` have passed. */
static void wait_unlocked(const volatile bool *done, uint32_t ticks)
{
    biglock_release();
    uint64_t end = timer_ticks() + ticks;
    while (!*done && timer_ticks() < end)
        cpu_halt();
    biglock_acquire();
}

/* Program `name` with `args`, started for the other CPUs to run; NULL if
 * it could not be. */
static struct proc *start_program(const char *name, const char *args)
{
    int err;
    program_ended = false;
    proc_set_orphan_exit_hook(note_exit);
    struct proc *p = proc_spawn(name, args, NULL, &err);
    program_pid = p ? p->pid : 0;
    return p;
}

/* Wait for p to end, killing it if it takes too long: its exit status, or
 * -1 when it had to be killed (or never started). */
static int await_program(struct proc *p)
{
    if (p)
        wait_unlocked(&program_ended, PROGRAM_WAIT_TICKS);
    bool in_time = program_ended;
    if (p && !program_ended) {
        proc_kill(p);
        wait_unlocked(&program_ended, KILL_WAIT_TICKS);
    }
    proc_set_orphan_exit_hook(NULL);
    return in_time ? program_status : -1;
}

static void processes_on_other_cpus_share_the_fake_window(struct ktest *t)
{
    if (smp_online() == 1)
        KT_SKIP(t, "one CPU online: none other to run the processes");
    struct world w;
    world_open(&w, 0);
    KT_EXPECT_EQ(t, set_mode(&w, 2), STATUS_SUCCESS); /* banked, one slot */
    char args[24];
    ksnprintf(args, sizeof(args), "on %s", vp_device_name(w.dev));
    int status = await_program(start_program("vpsmp", args));
    ktest_log("vpsmp %s: exit status %d", args, status);
    KT_EXPECT_EQ(t, status, 0);
    world_close(t, &w);
}

/* Killed with the lock held, before any CPU could run it: its first run
 * ends it before its first instruction, so it takes no page fault. */
static void a_process_killed_before_it_ran_runs_nothing(struct ktest *t)
{
    if (smp_online() == 1)
        KT_SKIP(t, "one CPU online: none other to run the process");
    struct proc *p = start_program("usertests", "child exit");
    KT_EXPECT(t, p != NULL);
    if (p)
        proc_kill(p);
    int status = await_program(p);
    ktest_log("status %d after %u page faults", status, program_faults);
    KT_EXPECT_EQ(t, status, VP_STATUS_KILLED);
    KT_EXPECT_EQ(t, program_faults, 0u);
}

static volatile bool call_started, call_ended;
static volatile enum v86_status call_status;

/* As another CPU's scheduler idles: once, a BIOS call that never ends. */
static void endless_call_elsewhere(void)
{
    static const uint8_t code[] = { 0xFA, 0xEB, 0xFE }; /* cli; jmp $ */
    if (cpu_this()->index == 0 || call_started)
        return;
    call_started = true;
    memcpy(v86_pointer(V86_SEGMENT, V86_BUFFER_OFFSET), code, sizeof(code));
    struct v86_regs r = { 0 };
    call_status = v86_far_call(V86_SEGMENT, V86_BUFFER_OFFSET, &r);
    call_ended = true;
}

/* A BIOS call on another CPU that never returns meets the watchdog even
 * while this CPU, whose PIT ticks count time, waits for the lock with
 * interrupts off (the call holds it): so no tick comes meanwhile. */
static void a_bios_call_elsewhere_meets_the_watchdog(struct ktest *t)
{
    if (smp_online() == 1)
        KT_SKIP(t, "one CPU online");
    call_started = call_ended = false;
    sched_set_idle_hook(endless_call_elsewhere);
    wait_unlocked(&call_started, CALL_START_TICKS);
    sched_set_idle_hook(NULL);
    KT_EXPECT(t, call_started && call_ended); /* it ended before we had the lock */
    KT_EXPECT_EQ(t, call_status, V86_TIMEOUT);
}

KTEST_SUITE(smp_run_suite, "smprun", true,
            KTEST_CASE(processes_on_other_cpus_share_the_fake_window),
            KTEST_CASE(a_process_killed_before_it_ran_runs_nothing),
            KTEST_CASE(a_bios_call_elsewhere_meets_the_watchdog));
