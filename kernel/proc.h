/*
 * Processes and the scheduler. A process is an address space, a kernel
 * stack and a saved context; all kernel code runs with interrupts off
 * (traps enter through interrupt gates) and under the big kernel lock
 * (biglock.h), so these structures need no locks of their own.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "abi/vidport_abi.h"
#include "cpu.h"
#include "mm/mm.h"
#include "trap.h"

#define PROC_MAX 64
#define KSTACK_PAGES 2

enum proc_state { PROC_UNUSED, PROC_RUNNABLE, PROC_RUNNING, PROC_SLEEPING, PROC_ZOMBIE };

struct proc {
    int pid;
    char name[VP_NAME_MAX];
    enum proc_state state;
    struct proc *parent;      /* NULL for processes the kernel started */
    struct vmspace *vm;
    struct region *heap;      /* NULL until the first sbrk */
    uint32_t heap_start, brk;
    uint32_t kstack;          /* physical address of KSTACK_PAGES frames */
    uint32_t saved_esp;       /* kernel context while switched out */
    const void *wait_channel; /* what a sleeper waits for */
    uint64_t wake_tick;       /* for sleeps with a deadline; 0 for none */
    uint32_t video_opened;    /* bit n: adapter n was opened with video_open */
    uint32_t page_faults;     /* page faults taken in user mode */
    uint32_t cpu;             /* the CPU it last ran on */
    struct vp_inject_report inject; /* allocation failure injection (inject.h) */
    bool killed;
    int exit_status;
};

/* --- proc.c --- */

/* Start program `name` (from the boot archive) with the argument string args.
 * Returns the new process, or NULL with *error set to a VP_E* code. */
struct proc *proc_spawn(const char *name, const char *args, struct proc *parent, int *error);

/* End the current process with status, ending with it the children it leaves
 * running; never returns. */
__attribute__((noreturn)) void proc_exit(int status);

/* Mark p killed: it ends (status VP_STATUS_KILLED) the next time it would run. */
void proc_kill(struct proc *p);

/* Wait for child `pid` of the current process; -VP_ESRCH if there is none. */
int proc_wait(int pid, int *status);

/* Kill the current process for a fault in user mode, with one console line. */
__attribute__((noreturn)) void proc_fault_kill(const struct trap_frame *f, uint32_t address,
                                               const char *reason);

struct proc *proc_by_pid(int pid);
struct proc *proc_table(void); /* PROC_MAX entries */

/* Free the slot of a zombie whose status nobody will collect. */
void proc_release(struct proc *p);

/* Called when a process the kernel started (parent NULL) exits. */
typedef void (*orphan_exit_hook)(int pid, int status);
void proc_set_orphan_exit_hook(orphan_exit_hook hook);

/* --- sched.c --- */

/* The process running on this CPU (NULL in its scheduler). */
#define current (cpu_this()->proc)

/* Run processes forever on this CPU's start-up stack, holding the big
 * kernel lock; never returns. */
__attribute__((noreturn)) void sched_run(void);

/* Call hook from the scheduler, between processes (no process is current),
 * each time it looks for one to run and at least once a tick when idle. */
void sched_set_idle_hook(void (*hook)(void));

/* Give up the CPU; the current process stays runnable. */
void sched_yield(void);

/* A point in a long system call of the current process where the clock may
 * tick and, once its slice is over, others run: the caller holds no state
 * another process could change under it. Returns false when the process has
 * been killed meanwhile (the call should end early). */
bool sched_preempt_point(void);

/* Let pending interrupts run, without giving up the CPU: for long kernel
 * work that must not switch processes, so that the clock keeps ticking.
 * Interrupt handlers must not find it half done (they echo typed keys to
 * the console and wake sleepers, nothing more). */
void sched_interrupt_window(void);

/* Sleep until sched_wakeup(channel), or until `deadline` ticks (if not 0);
 * not at all when the process has been killed (callers then end early). */
void sched_sleep(const void *channel, uint64_t deadline);

void sched_wakeup(const void *channel);
void sched_wake(struct proc *p);

/* Timer hook: wake sleepers whose deadline passed, charge the running process. */
void sched_tick(uint64_t now);

/* A tick of this CPU's own clock: charge the process running here. */
void sched_clock_tick(void);

/* True when the current process has used up its time slice. */
bool sched_slice_over(void);

/* Make every process's time slice `ticks` timer ticks long (SCHED_SLICE_MIN
 * to SCHED_SLICE_MAX; SCHED_SLICE_DEFAULT at boot), from the next slice on.
 * Returns the previous length, or -VP_EINVAL out of range. */
int sched_set_slice(uint32_t ticks);

/* The first context of a new process: returns through trap_exit into user mode. */
void sched_prepare_context(struct proc *p, const struct trap_frame *user_frame);
