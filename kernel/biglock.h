/*
 * The big kernel lock: one CPU at a time runs kernel code, so everything
 * the kernel reasons about as "interrupts off, nobody else runs" stays
 * true on every CPU. It is taken on each trap (unless this CPU holds it
 * already) and by the scheduler, and let go on the way back to user mode
 * and around an idle CPU's hlt. A CPU that waits for it does so with
 * interrupts off, doing only what needs no lock (smp_spin_service).
 */
#pragma once

#include <stdbool.h>

/* Take the lock, spinning until it is free; this CPU must not hold it. */
void biglock_acquire(void);

/* Let it go; this CPU must hold it. */
void biglock_release(void);

/* Whether this CPU holds the lock. */
bool biglock_held(void);

/* Take the lock unless this CPU holds it already: true when it took it
 * (and the caller lets it go again). */
bool biglock_enter(void);
