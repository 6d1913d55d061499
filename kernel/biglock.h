/*
 * The big kernel lock: one CPU at a time runs kernel code, so everything
 * the kernel reasons about as "interrupts off, nobody else runs" stays
 * true on every CPU. It is taken on each trap (unless this CPU holds it
 * already) and by the scheduler, and let go on the way back to user mode
 * and around an idle CPU's hlt. A CPU waiting for it does only what needs
 * no lock (smp_spin_service); one whose code had interrupts on waits
 * halted with them on (biglock_wait).
 */
#pragma once

#include <stdbool.h>

/* Take the lock, spinning with interrupts off until it is free; this CPU
 * must not hold it. */
void biglock_acquire(void);

/* Take the lock for code that had interrupts on (a trap from user mode,
 * an idle CPU): spin a little, then wait halted with interrupts on. An
 * interrupt taken meanwhile takes the lock with biglock_acquire, so waits
 * never nest. */
void biglock_wait(void);

/* Let it go; this CPU must hold it. */
void biglock_release(void);

/* Whether this CPU holds the lock. */
bool biglock_held(void);

/* Take the lock unless this CPU holds it already (waiting with interrupts
 * on if the trapped code had them on, and this CPU is not waiting for the
 * lock already): true when it took it (and the caller lets it go again). */
bool biglock_enter(bool interrupts_were_on);
