/*
 * SMP bank suite (on request: it runs processes): the vpsmp program, run
 * on the other CPUs against the fake adapter, whose banked window is RAM
 * and whose bank routine copies banks in and out of it. There a store
 * through a translation a CPU kept after a switch lands in the new bank,
 * as on real hardware (QEMU's own adapters remap their window on a switch,
 * which drops every CPU's translations of it and so hides a missing
 * shootdown), so `tlb.skip-others` must make it fail.
 */
#include "drivers/timer.h"
#include "fake_video.h"
#include "kernel/biglock.h"
#include "kernel/format.h"
#include "kernel/smp.h"

#define PROGRAM_WAIT_TICKS (60 * TIMER_HZ) /* vpsmp takes a few seconds */
#define KILL_WAIT_TICKS (2 * TIMER_HZ)

static volatile bool program_ended;
static volatile int program_status;
static int program_pid;

static void note_exit(int pid, int status)
{
    if (pid == program_pid) {
        program_status = status;
        program_ended = true;
    }
}

/* With the lock let go, wait until the program has ended and its slot is
 * free (the other CPUs run it and reap it), or `ticks` have passed. */
static void wait_for_program(uint32_t ticks)
{
    biglock_release();
    uint64_t end = timer_ticks() + ticks;
    while ((!program_ended || proc_by_pid(program_pid)) && timer_ticks() < end)
        cpu_halt();
    biglock_acquire();
}

/* Run program `name` with `args` on the other CPUs: its exit status, or
 * -1 when it could not start or had to be killed. */
static int run_on_the_others(const char *name, const char *args)
{
    int err;
    program_ended = false;
    proc_set_orphan_exit_hook(note_exit);
    struct proc *p = proc_spawn(name, args, NULL, &err);
    if (p) {
        program_pid = p->pid;
        wait_for_program(PROGRAM_WAIT_TICKS);
        if (!program_ended && proc_by_pid(program_pid)) {
            proc_kill(p);
            wait_for_program(KILL_WAIT_TICKS);
        }
    }
    proc_set_orphan_exit_hook(NULL);
    return p && program_ended ? program_status : -1;
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
    int status = run_on_the_others("vpsmp", args);
    ktest_log("vpsmp %s: exit status %d", args, status);
    KT_EXPECT_EQ(t, status, 0);
    world_close(t, &w);
}

KTEST_SUITE(smp_bank_suite, "smpbank", true,
            KTEST_CASE(processes_on_other_cpus_share_the_fake_window));
