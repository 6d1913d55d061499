/*
 * Round-robin scheduler in the xv6 style: each CPU's start-up stack becomes
 * its scheduler's context; a process gives up the CPU by switching to it,
 * and it picks the next runnable process. Every CPU's scheduler holds the
 * big kernel lock, and a process lets it go only on its way to user mode,
 * so a process marked runnable cannot be picked elsewhere before its
 * context is saved. The clock preempts processes running in user mode
 * once their slice is used up.
 */
#include "proc.h"

#include "biglock.h"
#include "cpu.h"
#include "irq.h"
#include "kernel.h"
#include "latency.h"

static uint32_t slice_ticks = SCHED_SLICE_DEFAULT;
static int last_index = -1;
static void (*idle_hook)(void);

void context_switch(uint32_t *save_esp, uint32_t load_esp);
void sched_first_run(void);
extern char new_process_entry[];

/* The callee-saved registers context_switch pops, then its return address. */
struct initial_context {
    uint32_t edi, esi, ebx, ebp;
    uint32_t entry;
};

static uint32_t kstack_top(const struct proc *p)
{
    return (uint32_t)(uintptr_t)phys_to_virt(p->kstack) + KSTACK_PAGES * PAGE_SIZE;
}

void sched_prepare_context(struct proc *p, const struct trap_frame *user_frame)
{
    /* Laid out as a trap from user mode would leave it (esp and ss included),
     * so trap_exit can return to user mode through it. */
    struct trap_frame *frame = (struct trap_frame *)(kstack_top(p) - sizeof(*frame));
    *frame = *user_frame;
    struct initial_context *ctx = (struct initial_context *)frame - 1;
    *ctx = (struct initial_context){ .entry = (uint32_t)(uintptr_t)new_process_entry };
    p->saved_esp = (uint32_t)(uintptr_t)ctx;
}

/* A new process runs for the first time (new_process_entry): one killed
 * before it ever ran ends here, before any instruction of its own. */
void sched_first_run(void)
{
    if (current->killed)
        proc_exit(VP_STATUS_KILLED);
    latency_irqs_on(); /* trap_exit returns to user mode */
    cpu_this()->in_user = true;
    biglock_release();
}

/* The next runnable process after the last one run, or NULL. */
static struct proc *pick_next(void)
{
    struct proc *table = proc_table();
    for (int i = 1; i <= PROC_MAX; i++) {
        int index = (last_index + i) % PROC_MAX;
        if (table[index].state == PROC_RUNNABLE) {
            last_index = index;
            return &table[index];
        }
    }
    return NULL;
}

/* Zombies whose parent is gone can be freed here, off their own stacks. */
static void reap_orphans(void)
{
    struct proc *table = proc_table();
    for (int i = 0; i < PROC_MAX; i++) {
        if (table[i].state == PROC_ZOMBIE && !table[i].parent)
            proc_release(&table[i]);
    }
}

static void run(struct proc *p)
{
    struct cpu *self = cpu_this(); /* the scheduler's stack never moves */
    self->proc = p;
    self->slice_used = 0;
    p->state = PROC_RUNNING;
    p->cpu = self->index;
    cpu_set_kernel_stack(kstack_top(p));
    pg_activate(&p->vm->pd);
    context_switch(&self->scheduler_esp, p->saved_esp);
    self->proc = NULL;
}

/* Nothing to run: wait for an interrupt with interrupts on and the lock
 * free, holding no process's address space (it may be freed meanwhile). */
static void idle(void)
{
    pg_activate_kernel();
    latency_irqs_on();
    biglock_release();
    __asm__ volatile("sti; hlt; cli" : : : "memory");
    latency_irqs_off(VP_LATENCY_SCHEDULER);
    biglock_wait();
    irq_run_deferred(); /* the 8259's, taken while this CPU waited */
}

void sched_run(void)
{
    irq_disable();
    KASSERT(biglock_held());
    latency_irqs_off(VP_LATENCY_SCHEDULER);
    for (;;) {
        reap_orphans();
        if (idle_hook)
            idle_hook();
        struct proc *p = pick_next();
        if (p)
            run(p);
        else
            idle();
    }
}

void sched_set_idle_hook(void (*hook)(void))
{
    idle_hook = hook;
}

void sched_yield(void)
{
    struct proc *p = current;
    if (p->state == PROC_RUNNING)
        p->state = PROC_RUNNABLE;
    context_switch(&p->saved_esp, cpu_this()->scheduler_esp);
}

void sched_interrupt_window(void)
{
    uint32_t cause = latency_cause();
    latency_irqs_on();
    __asm__ volatile("sti; nop; cli" : : : "memory"); /* the pending interrupts run */
    latency_irqs_off(cause);
}

bool sched_preempt_point(void)
{
    sched_interrupt_window();
    if (!current->killed && sched_slice_over()) {
        vm_sync(current->vm);
        sched_yield();
    }
    return !current->killed;
}

/* A process killed on its way in (a kill on another CPU lands while it
 * waits for the lock at its system call) does not start to sleep: nothing
 * would wake it but what it waits for. */
void sched_sleep(const void *channel, uint64_t deadline)
{
    if (current->killed)
        return;
    current->wait_channel = channel;
    current->wake_tick = deadline;
    current->state = PROC_SLEEPING;
    sched_yield();
    current->wait_channel = NULL;
    current->wake_tick = 0;
}

void sched_wake(struct proc *p)
{
    if (p->state == PROC_SLEEPING)
        p->state = PROC_RUNNABLE;
}

void sched_wakeup(const void *channel)
{
    struct proc *table = proc_table();
    for (int i = 0; i < PROC_MAX; i++) {
        if (table[i].state == PROC_SLEEPING && table[i].wait_channel == channel)
            sched_wake(&table[i]);
    }
}

void sched_tick(uint64_t now)
{
    struct proc *table = proc_table();
    for (int i = 0; i < PROC_MAX; i++) {
        struct proc *p = &table[i];
        if (p->state == PROC_SLEEPING && p->wake_tick && p->wake_tick <= now)
            sched_wake(p);
    }
    sched_clock_tick();
}

void sched_clock_tick(void)
{
    struct cpu *self = cpu_this();
    if (self->proc) {
        self->slice_used++;
        self->busy_ticks++;
    } else {
        self->idle_ticks++;
    }
}

bool sched_slice_over(void)
{
    return cpu_this()->slice_used >= slice_ticks;
}

int sched_set_slice(uint32_t ticks)
{
    if (ticks < SCHED_SLICE_MIN || ticks > SCHED_SLICE_MAX)
        return -VP_EINVAL;
    uint32_t old = slice_ticks;
    slice_ticks = ticks;
    return (int)old;
}
