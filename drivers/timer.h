/*
 * The 8254 PIT, channel 0: the system tick.
 */
#pragma once

#include <stdint.h>

#define TIMER_HZ 100

/* Program channel 0 for TIMER_HZ and start counting ticks on IRQ 0. */
void timer_init(void);

/* Call hook(ticks) on every tick, from the interrupt. */
void timer_set_tick_hook(void (*hook)(uint64_t ticks));

/* Ticks since timer_init. */
uint64_t timer_ticks(void);

/* Milliseconds since timer_init (at tick resolution). */
uint64_t timer_ms(void);
