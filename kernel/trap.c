/*
 * Trap dispatch: the one place that decides what a vector means. For now
 * every exception is a kernel bug; user-mode faults arrive with processes.
 */
#include "trap.h"

#include "irq.h"
#include "panic.h"

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
    if (frame->cs & 3)
        return frame->esp;
    /* Same-privilege traps push no esp/ss: the old stack ends at &frame->esp. */
    return (uint32_t)&frame->esp;
}

void trap_dispatch(struct trap_frame *frame)
{
    if (frame->vector >= TRAP_IRQ_BASE && frame->vector < TRAP_IRQ_BASE + IRQ_LINES) {
        irq_dispatch(frame->vector - TRAP_IRQ_BASE);
        return;
    }
    panic_trap(frame);
}
