/*
 * How long the kernel runs with interrupts off. All kernel code runs so
 * (traps enter through interrupt gates), so a stretch starts when a trap
 * interrupts code that had interrupts on and ends when code with
 * interrupts on runs again: a return to user mode, the idle loop, or a
 * preemption point of a long system call. A long stretch is a frozen
 * clock and a starved machine; these figures make one a finding.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "abi/vidport_abi.h"

/* Interrupts just went off, for `cause` (a system call number or a
 * VP_LATENCY_* cause): a stretch starts. */
void latency_irqs_off(uint32_t cause);

/* Interrupts are about to go on: the stretch that started ends. */
void latency_irqs_on(void);

/* What started the stretch now running (to start the next one the same way
 * after a preemption point). */
uint32_t latency_cause(void);

/* Count the time stamp counter's cycles per millisecond against the timer;
 * interrupts must be on and the timer ticking. Until then nothing is
 * measured. Nothing to do when latency_set_tsc_rate came first. */
void latency_calibrate(void);

/* The TSC ran `cycles` in `ticks` timer ticks, as another calibration
 * (the local APIC timer's) measured on the way. */
void latency_set_tsc_rate(uint64_t cycles, uint32_t ticks);

/* TSC cycles to the millisecond, 0 until latency_calibrate. */
uint32_t latency_tsc_per_ms(void);

/* Fill *out with the figures since boot or the last reset; reset if asked. */
void latency_report(struct vp_latency *out, bool reset);
