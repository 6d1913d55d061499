/*
 * Traps: CPU exceptions and hardware interrupts arrive at trap_dispatch
 * with the interrupted state saved in a trap frame.
 */
#pragma once

#include <stdint.h>

#define TRAP_NMI 2
#define TRAP_GENERAL_PROTECTION 13
#define TRAP_PAGE_FAULT 14
#define TRAP_IRQ_BASE 32 /* the PICs are remapped to vectors 32..47 */
#define TRAP_VECTORS 48  /* vectors 0..47 have an entry stub */
#define TRAP_SYSCALL 0x80 /* and so does the system call gate */
#define TRAP_APIC_TIMER 0xF0    /* this CPU's local APIC timer (the CPUs but the boot one) */
#define TRAP_TLB_SHOOTDOWN 0xF1 /* another CPU asks for a TLB flush (kernel/tlb.h) */
#define TRAP_RESCHEDULE 0xF2    /* another CPU asks this one to look at its process */
#define TRAP_WAKE 0xF3          /* the big kernel lock is free: a halted waiter wakes */
#define TRAP_APIC_SPURIOUS 0xFF /* a local APIC's spurious interrupt: no EOI, nothing to do */

/* Saved by kernel/isr.asm; the layout must match its push order. */
struct trap_frame {
    uint32_t gs, fs, es, ds;
    uint32_t edi, esi, ebp, esp_at_pusha, ebx, edx, ecx, eax;
    uint32_t vector, error;
    uint32_t eip, cs, eflags;
    uint32_t esp, ss; /* pushed by the CPU only on entry from user mode */
};

/* A trap from virtual-8086 mode: above the frame the CPU also pushes the
 * real-mode segment registers (and loads null selectors into them). */
struct v86_frame {
    struct trap_frame t;
    uint32_t es, ds, fs, gs;
};

/* Entry point from the stubs; dispatches by vector. */
void trap_dispatch(struct trap_frame *frame);

/* Short mnemonic and description of an exception vector ("#PF page fault"). */
const char *trap_name(uint32_t vector);

/* True when the trap interrupted virtual-8086 mode (a BIOS call): its CS
 * is a real-mode segment, so CS says nothing of the privilege level. */
static inline int trap_from_v86(const struct trap_frame *frame)
{
    return (frame->eflags & (1u << 17)) != 0;
}

/* True when the trap interrupted user mode (a process, not a BIOS call). */
static inline int trap_from_user(const struct trap_frame *frame)
{
    return !trap_from_v86(frame) && (frame->cs & 3) == 3;
}

/* The stack pointer at the moment of the trap. */
uint32_t trap_stack_pointer(const struct trap_frame *frame);
