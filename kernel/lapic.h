/*
 * The local APIC: each CPU's own interrupt controller, used here to start
 * the other processors. Every CPU sees its own at the same address, mapped
 * once, uncached, in the shared device window.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* Map the local APIC (the boot CPU calls it first) and enable this CPU's:
 * the spurious vector set, no priority threshold. On the boot CPU, LINT0
 * and LINT1 stay as the firmware left them (the 8259's interrupts and the
 * NMI arrive there); on every other CPU both are masked, since an unmasked
 * LINT0 would take the 8259's interrupts too. False when the CPU has no
 * local APIC. */
bool lapic_init(bool boot_cpu);

/* This CPU's local APIC id (once lapic_init has succeeded). */
uint32_t lapic_id(void);

/* Send INIT to the CPU with local APIC `apic_id`: it waits for a start-up
 * IPI. False when the APIC did not take the message. */
bool lapic_send_init(uint32_t apic_id);

/* Send a start-up IPI: the CPU begins in real mode at page * 4096. */
bool lapic_send_startup(uint32_t apic_id, uint32_t page);

/* A fixed interrupt with `vector` to the CPU with local APIC apic_id. */
bool lapic_send_ipi(uint32_t apic_id, uint32_t vector);

/* A non-maskable interrupt to every CPU but this one; to one CPU. */
bool lapic_send_nmi_to_others(void);
bool lapic_send_nmi(uint32_t apic_id);

/* End `vector`, the interrupt this CPU's local APIC delivered and is
 * being handled (interrupts off), and make sure it is out of service. */
void lapic_eoi(uint32_t vector);

/* Whether this CPU's local APIC holds `vector` in service. */
bool lapic_in_service(uint32_t vector);

/* End whatever of the kernel's vectors this CPU's APIC holds in service,
 * from an NMI (which no vector holds back): an EOI and the look that
 * checked it, both gone astray, left it there, and with it every later
 * IPI and tick. One whose handler is still to end it is harmless to end:
 * that EOI then finds nothing. */
void lapic_end_stuck(void);

/* For a test: this CPU's next `count` accesses of one kind (an EOI, the
 * command that sends an interrupt with lapic_send_ipi, or the look at a
 * vector in service) go astray: writes are dropped, a look sees nothing.
 * Returns how many of the last such request were left. */
enum lapic_write { LAPIC_EOI, LAPIC_IPI, LAPIC_ISR_READ, LAPIC_WRITE_KINDS };
uint32_t lapic_lose_writes(enum lapic_write what, uint32_t count);

/* Measure the local APIC timer against `ticks` PIT ticks (boot CPU,
 * interrupts on), so that lapic_timer_start can tick at the PIT's rate;
 * the TSC's rate for the latency figures is taken over the same ticks. */
void lapic_timer_calibrate(uint32_t ticks);

/* Start this CPU's timer: TRAP_APIC_TIMER at the PIT's rate. False when
 * it was never measured. */
bool lapic_timer_start(void);
