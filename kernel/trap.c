/*
 * Trap dispatch: the one place that decides what a vector means. For now
 * every exception is a kernel bug; user-mode faults arrive with processes.
 */
#include "trap.h"

#include "biglock.h"
#include "cpu.h"
#include "irq.h"
#include "lapic.h"
#include "latency.h"
#include "panic.h"
#include "proc.h"
#include "smp.h"
#include "syscall.h"
#include "tlb.h"
#include "v86.h"

static const char *const exception_names[32] = {
    "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
    "#BR bound range", "#UD invalid opcode", "#NM device not available",
    "#DF double fault", "coprocessor segment overrun", "#TS invalid TSS",
    "#NP segment not present", "#SS stack fault", "#GP general protection",
    "#PF page fault", "reserved", "#MF x87 error", "#AC alignment check",
    "#MC machine check", "#XM SIMD error", "#VE virtualization",
    "#CP control protection",
};

const char *trap_name(uint32_t vector)
{
    if (vector < 32)
        return exception_names[vector] ? exception_names[vector] : "reserved";
    if (vector < TRAP_IRQ_BASE + 16)
        return "hardware interrupt";
    return "unknown vector";
}

uint32_t trap_stack_pointer(const struct trap_frame *frame)
{
    if ((frame->cs & 3) || trap_from_v86(frame))
        return frame->esp;
    /* Same-privilege traps push no esp/ss: the old stack ends at &frame->esp. */
    return (uint32_t)&frame->esp;
}

/* The fault_info the memory manager needs, decoded from a #PF. */
static struct fault_info decode_page_fault(const struct trap_frame *frame)
{
    enum { ERR_PRESENT = 1, ERR_WRITE = 2, ERR_USER = 4 };
    return (struct fault_info){
        .va = read_cr2(),
        .access = ((frame->error & ERR_WRITE) ? FAULT_WRITE : 0) |
                  ((frame->error & ERR_USER) ? FAULT_USER : 0) |
                  ((frame->error & ERR_PRESENT) ? FAULT_PRESENT : 0),
    };
}

/* An exception in user mode: page faults go to the memory manager; anything
 * it cannot resolve, and every other exception, kills only this process. */
static void user_exception(struct trap_frame *frame)
{
    if (frame->vector == TRAP_PAGE_FAULT) {
        struct fault_info fi = decode_page_fault(frame);
        current->page_faults++;
        enum fault_result result = mm_handle_fault(current->vm, &fi);
        if (result == FAULT_WAIT) { /* others run; then the instruction runs again */
            vm_sync(current->vm);
            sched_yield();
        }
        if (result == FAULT_RESUME || result == FAULT_WAIT)
            return;
        proc_fault_kill(frame, fi.va, fi.reason);
    }
    const char *reason = frame->vector == TRAP_GENERAL_PROTECTION ? "privileged instruction or I/O port"
                                             : "the instruction cannot run";
    proc_fault_kill(frame, frame->eip, reason);
}

/* What a trap that turns interrupts off is counted as (latency.h). */
static uint32_t latency_cause_of(const struct trap_frame *frame, bool irq)
{
    if (frame->vector == TRAP_SYSCALL)
        return frame->eax;
    return irq ? VP_LATENCY_INTERRUPT : VP_LATENCY_EXCEPTION;
}

/* The work of a trap from user mode after its handler: give up the CPU
 * when the slice is over, and end a killed process. */
static void leave_to_user(void)
{
    if (!current->killed && sched_slice_over()) {
        vm_sync(current->vm);
        sched_yield(); /* others run now, and one of them may kill us */
    }
    if (current->killed)
        proc_exit(VP_STATUS_KILLED);
}

/* The local APIC's interrupts the way back to user mode acts on: this
 * CPU's timer (the clock of every CPU but the boot one), and another CPU's
 * request to look at the process here (killed, say). Their own work needs
 * no lock, and their EOI must come before the lock is waited for: while
 * one is in service, the APIC holds back the wake and the shootdown
 * requests (same priority class) that the waiting CPU must answer. */
static void local_apic_interrupt(uint32_t vector)
{
    lapic_eoi(vector);
    if (vector == TRAP_APIC_TIMER)
        sched_clock_tick();
}

/* The 8259's interrupts (vectors 32..47). */
static bool is_pic_interrupt(uint32_t vector)
{
    return vector >= TRAP_IRQ_BASE && vector < TRAP_IRQ_BASE + IRQ_LINES;
}

static bool is_local_apic_interrupt(uint32_t vector)
{
    return vector == TRAP_APIC_TIMER || vector == TRAP_RESCHEDULE;
}

/* An interrupt that needs no lock, or none now: the local APIC's outside
 * user mode (and a BIOS call, whose watchdog looks at every trap) have
 * nothing left to do. The 8259's are ended at once and their handlers
 * run once this CPU has the lock: while it waits for it, halted, the next
 * tick can come (one held in service would hold back every later one,
 * and the lines below it); on a CPU halted so they are all it does. True
 * when done. */
static bool interrupt_while_waiting(const struct trap_frame *frame, bool from_user)
{
    uint32_t vector = frame->vector;
    if (is_local_apic_interrupt(vector)) {
        local_apic_interrupt(vector);
        return !from_user && !trap_from_v86(frame);
    }
    if (is_pic_interrupt(vector)) {
        irq_defer(vector - TRAP_IRQ_BASE);
        return cpu_this()->lock_waiting;
    }
    return false;
}

/* Hardware interrupts, the 8259's and the local APIC's: none is part of
 * what the interrupted code was doing. */
static bool is_interrupt(uint32_t vector)
{
    return is_pic_interrupt(vector) || is_local_apic_interrupt(vector);
}

/* The work of a trap, under the big kernel lock. */
static void handle(struct trap_frame *frame, bool from_user)
{
    uint32_t vector = frame->vector;
    if (trap_from_v86(frame))
        v86_trap((struct v86_frame *)frame);
    else if (vector == TRAP_SYSCALL && from_user)
        syscall_dispatch(frame);
    else if (from_user && vector < 32)
        user_exception(frame);
    else if (!is_interrupt(vector)) /* interrupts were seen to on the way in */
        panic_trap(frame);
}

/*
 * A process's access ends (vm_sync puts temporary mappings back in order)
 * at every entry from user mode but a page fault, which is part of the
 * access, and an interrupt after which the process runs on: an
 * instruction that needs several banks must be able to outlast the timer
 * (F24). Before another process may run, it ends too. A trap from code
 * that had interrupts on starts a stretch with them off, and the return to
 * such code ends one (the return may be another process's, after a switch).
 * All of it runs under the big kernel lock, taken here unless this CPU
 * holds it already (a trap inside the kernel). Three need no lock, and
 * must not wait for it: an NMI stops this CPU for another's panic, or
 * reaches it when it is slow to answer (its APIC may hold a vector in
 * service) and ends that and answers; a TLB shootdown is answered (its
 * initiator holds the lock); and the wake of a CPU halted waiting for the
 * lock just wakes it.
 */
void trap_dispatch(struct trap_frame *frame)
{
    if (frame->vector == TRAP_NMI) { /* a panic's, or for a CPU slow to answer (tlb.c) */
        smp_stop_if_asked();
        lapic_end_stuck();
        tlb_service();
        return;
    }
    if (frame->vector == TRAP_TLB_SHOOTDOWN || frame->vector == TRAP_WAKE) {
        tlb_service();
        lapic_eoi(frame->vector);
        return;
    }
    bool from_user = trap_from_user(frame);
    if (from_user)
        __atomic_store_n(&cpu_this()->in_user, false, __ATOMIC_RELEASE);
    if (interrupt_while_waiting(frame, from_user))
        return;
    bool interrupt = is_interrupt(frame->vector);
    if (frame->eflags & EFLAGS_IF)
        latency_irqs_off(latency_cause_of(frame, interrupt));
    bool locked = biglock_enter(frame->eflags & EFLAGS_IF);
    irq_run_deferred(); /* the 8259's: this one, and those taken while this CPU waited */
    if (from_user && frame->vector != TRAP_PAGE_FAULT && !interrupt)
        vm_sync(current->vm);
    handle(frame, from_user);
    if (from_user)
        leave_to_user();
    if (frame->eflags & EFLAGS_IF)
        latency_irqs_on();
    if (from_user)
        cpu_this()->in_user = true;
    if (locked)
        biglock_release();
}
