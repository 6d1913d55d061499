/*
 * PIT channel 0 in rate-generator mode.
 */
#include "timer.h"

#include "kernel/cpu.h"
#include "kernel/irq.h"

#define PIT_CHANNEL0 0x40
#define PIT_COMMAND 0x43
#define PIT_CH0_LOHI_RATE 0x34
#define PIT_INPUT_HZ 1193182u

static volatile uint64_t ticks;
static void (*tick_hook)(uint64_t ticks);

static void on_tick(void)
{
    ticks++;
    if (tick_hook)
        tick_hook(ticks);
}

void timer_set_tick_hook(void (*hook)(uint64_t ticks))
{
    tick_hook = hook;
}

void timer_init(void)
{
    uint32_t divisor = PIT_INPUT_HZ / TIMER_HZ;
    outb(PIT_COMMAND, PIT_CH0_LOHI_RATE);
    outb(PIT_CHANNEL0, divisor & 0xFF);
    outb(PIT_CHANNEL0, divisor >> 8);
    irq_register(IRQ_TIMER, on_tick);
}

uint64_t timer_ticks(void)
{
    uint32_t flags = irq_save(); /* a 64-bit read is two loads on i386 */
    uint64_t t = ticks;
    irq_restore(flags);
    return t;
}

uint64_t timer_ms(void)
{
    return timer_ticks() * (1000 / TIMER_HZ);
}
