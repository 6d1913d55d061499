/*
 * The big kernel lock, one word: 0 when free, else its holder's CPU index
 * plus one (so a CPU can tell that it holds it itself). A CPU whose code
 * had interrupts on waits halted with them on, after a short spin: its
 * clock and the other CPUs' requests still reach it, and under an
 * emulator whose CPUs outnumber the host's a spinning CPU would take the
 * host's time from the holder. Whoever lets the lock go wakes one of them.
 * Each time a waiter wakes, for whatever reason, it answers what the
 * others ask of it first: an IPI that never arrives (lapic.c says how one
 * can be lost under QEMU) then costs a tick at most, not the holder's wait.
 */
#include "biglock.h"

#include "cpu.h"
#include "kernel.h"
#include "lapic.h"
#include "latency.h"
#include "smp.h"
#include "trap.h"

#define SPINS_BEFORE_HALT 2000 /* a lock handed on at once is not worth a halt */

static volatile uint32_t holder;
static volatile uint32_t sleepers; /* bit n: CPU n waits halted */

static uint32_t me(void)
{
    return cpu_this()->index + 1;
}

static bool try_take(uint32_t self)
{
    uint32_t free = 0;
    return __atomic_compare_exchange_n(&holder, &free, self, false, __ATOMIC_ACQUIRE,
                                       __ATOMIC_RELAXED);
}

void biglock_acquire(void)
{
    uint32_t self = me();
    KASSERT(holder != self);
    while (!try_take(self)) {
        while (__atomic_load_n(&holder, __ATOMIC_RELAXED))
            smp_spin_service();
    }
}

/* Halt until an interrupt, interrupts on meanwhile: the stretch with
 * them off that this CPU's trap started ends, and starts again after. */
static void halt_for_the_lock(uint32_t bit)
{
    uint32_t cause = latency_cause();
    __atomic_fetch_or(&sleepers, bit, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&holder, __ATOMIC_SEQ_CST)) { /* its release will wake us */
        latency_irqs_on();
        __asm__ volatile("sti; hlt; cli" : : : "memory");
        latency_irqs_off(cause);
    }
    __atomic_fetch_and(&sleepers, ~bit, __ATOMIC_SEQ_CST);
}

void biglock_wait(void)
{
    struct cpu *c = cpu_this();
    uint32_t self = me();
    KASSERT(holder != self && !c->lock_waiting);
    c->lock_waiting = true;
    for (uint32_t spins = 0; !try_take(self); spins++) {
        smp_spin_service(); /* whatever woke us, a request may wait for our answer */
        if (spins >= SPINS_BEFORE_HALT)
            halt_for_the_lock(1u << c->index);
    }
    c->lock_waiting = false;
}

/* One halted waiter, the first after this CPU in index order (so that
 * none waits for ever), gets an interrupt that wakes it. */
static void wake_a_sleeper(void)
{
    uint32_t waiting = __atomic_load_n(&sleepers, __ATOMIC_SEQ_CST);
    if (!waiting)
        return;
    uint32_t from = cpu_this()->index + 1;
    for (uint32_t k = 0; k < CPU_MAX; k++) {
        uint32_t i = (from + k) % CPU_MAX;
        if (waiting & (1u << i)) {
            lapic_send_ipi(cpu_at(i)->apic_id, TRAP_WAKE);
            return;
        }
    }
}

void biglock_release(void)
{
    KASSERT(holder == me());
    __atomic_store_n(&holder, 0, __ATOMIC_SEQ_CST);
    wake_a_sleeper();
}

bool biglock_held(void)
{
    return __atomic_load_n(&holder, __ATOMIC_RELAXED) == me();
}

bool biglock_enter(bool interrupts_were_on)
{
    if (biglock_held())
        return false;
    if (interrupts_were_on && !cpu_this()->lock_waiting)
        biglock_wait();
    else
        biglock_acquire();
    return true;
}
