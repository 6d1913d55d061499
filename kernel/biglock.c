/*
 * The big kernel lock, one word: 0 when free, else its holder's CPU index
 * plus one (so a CPU can tell that it holds it itself).
 */
#include "biglock.h"

#include "cpu.h"
#include "kernel.h"
#include "smp.h"

static volatile uint32_t holder;

static uint32_t me(void)
{
    return cpu_this()->index + 1;
}

void biglock_acquire(void)
{
    uint32_t self = me();
    KASSERT(holder != self);
    for (;;) {
        uint32_t free = 0;
        if (__atomic_compare_exchange_n(&holder, &free, self, false, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            return;
        while (__atomic_load_n(&holder, __ATOMIC_RELAXED))
            smp_spin_service();
    }
}

void biglock_release(void)
{
    KASSERT(holder == me());
    __atomic_store_n(&holder, 0, __ATOMIC_RELEASE);
}

bool biglock_held(void)
{
    return __atomic_load_n(&holder, __ATOMIC_RELAXED) == me();
}

bool biglock_enter(void)
{
    if (biglock_held())
        return false;
    biglock_acquire();
    return true;
}
