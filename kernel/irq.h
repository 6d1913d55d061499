/*
 * Hardware interrupt lines (the two 8259 PICs, remapped to vectors 32..47).
 */
#pragma once

#include <stdint.h>

#define IRQ_LINES 16
#define IRQ_TIMER 0

typedef void (*irq_handler)(void);

/* Remap both PICs and mask every line. */
void irq_init(void);

/* Install the handler for a line and unmask it. */
void irq_register(unsigned line, irq_handler handler);

/* For an interrupt of line (vectors 32..47), on its way in: count it and
 * end it at the PICs now (so that the next one can come, even while its
 * CPU waits for the big kernel lock), and leave its handler to
 * irq_run_deferred, which that CPU (the boot CPU) calls once it has the
 * lock; on the others it does nothing. */
void irq_defer(unsigned line);
void irq_run_deferred(void);

/* After a panic on the boot CPU (a kernel bug; the test runner goes on):
 * a pass of handlers it was in is over. */
void irq_recover(void);

/* Mask every line but `line` (if it was unmasked): the others wait at the
 * PIC. Returns the masks it replaced, for irq_restore_masks. */
uint16_t irq_only(unsigned line);
void irq_restore_masks(uint16_t masks);

/* How many interrupts a line has delivered since boot. */
uint32_t irq_count(unsigned line);
