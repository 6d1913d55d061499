/*
 * The other processors: started through INIT and start-up IPIs once the
 * boot CPU is up, each with its own GDT, TSS, stack, PAT and local APIC;
 * then each runs processes, its local APIC timer its clock. And what a
 * CPU does for the others without the big kernel lock.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel.h"

#include "boot/acpi.h"

/* The page the start-up code is copied to (0x8000): below 1 MiB as a
 * start-up IPI needs, and in the first MiB, which the kernel never hands
 * out. Nothing the kernel still reads may lie there (a boot module). */
#define AP_START_PAGE 8u

/* Set up this CPU's local APIC and start the processors `cpus` lists
 * besides this one (none when cpus is NULL), as many as `limit` (the smp=
 * option's text, NULL for all) allows, one at a time, and print
 * `smp: N CPUs online`. Interrupts must be on: the waits between the IPIs
 * are counted in timer ticks. Returns how many CPUs are online. */
uint32_t smp_start(const struct acpi_cpus *cpus, const char *limit);

/* How many processors are online (1 until smp_start). */
uint32_t smp_online(void);

/* What a CPU waiting for the big kernel lock (or for others' answers)
 * does between looks: what the others ask of it without the lock (stop
 * for a panic, a TLB shootdown). */
void smp_spin_service(void);

/* For a wait on other CPUs' answers to an interrupt: true about once a
 * millisecond (*next, 0 at the start, says when next), when the interrupt
 * should go again, as QEMU can lose one (lapic.c). */
bool smp_resend_due(uint64_t *next);

/* Every so many times it is sent again, an interrupt still unanswered goes
 * with an NMI: the target's APIC may be holding a vector in service (see
 * lapic_end_stuck), which holds every IPI back. */
#define SMP_NMI_AFTER_RESENDS 4
void smp_ask_again(uint32_t index, uint32_t vector, uint32_t resends);

/* A panic on this CPU: make every other CPU stop for good (an NMI, which
 * reaches them with interrupts off too) and wait, a bounded time, until
 * they have. Returns how many did; only the first caller does anything. */
uint32_t smp_stop_others(void);

/* Whether a panic has asked the other CPUs to stop (nobody waits for
 * their answers then). */
bool smp_stopping(void);

/* At an NMI: stop for good if another CPU's panic asks it. */
void smp_stop_if_asked(void);

/* Stop this CPU for good, counted among those smp_stop_others waits for. */
NORETURN void smp_stop_this_cpu(void);

/* Make CPU `index` (another one) leave its process's user code, and
 * return once it has: it traps into the kernel, and waits there for the
 * big kernel lock the caller holds; the way back to user mode then looks
 * at the process (killed, say). Nothing to do when it runs no user code. */
void smp_interrupt_user(uint32_t index);
