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

/* Called by trap_dispatch for vectors 32..47. */
void irq_dispatch(unsigned line);

/* Mask every line but `line` (if it was unmasked): the others wait at the
 * PIC. Returns the masks it replaced, for irq_restore_masks. */
uint16_t irq_only(unsigned line);
void irq_restore_masks(uint16_t masks);

/* How many interrupts a line has delivered since boot. */
uint32_t irq_count(unsigned line);
