/*
 * Stretches with interrupts off, measured by the time stamp counter in
 * cycles (no division on the trap path) and reported in microseconds.
 */
#include "latency.h"

#include "cpu.h"
#include "drivers/timer.h"
#include "format.h"

#define CALIBRATION_TICKS 4

static uint32_t tsc_per_ms; /* 0 until calibrated: nothing is measured */

/* Each CPU's own figures: only that CPU writes them (it may while it
 * waits for the big kernel lock, with interrupts on); a report merges them. */
static struct cpu_stretches {
    uint64_t since; /* when the running stretch started; 0: none */
    uint32_t cause;
    uint64_t max_cycles, cause_max_cycles[VP_LATENCY_CAUSES];
    uint32_t max_cause, stretches;
} per_cpu[CPU_MAX];

static struct cpu_stretches *mine(void)
{
    return &per_cpu[cpu_this()->index];
}

void latency_irqs_off(uint32_t cause)
{
    struct cpu_stretches *c = mine();
    c->since = tsc_per_ms ? rdtsc() : 0;
    c->cause = cause < VP_LATENCY_CAUSES ? cause : VP_LATENCY_EXCEPTION;
}

void latency_irqs_on(void)
{
    struct cpu_stretches *c = mine();
    if (!c->since)
        return;
    uint64_t cycles = rdtsc() - c->since;
    c->since = 0;
    c->stretches++;
    if (cycles > c->cause_max_cycles[c->cause])
        c->cause_max_cycles[c->cause] = cycles;
    if (cycles > c->max_cycles) {
        c->max_cycles = cycles;
        c->max_cause = c->cause;
    }
}

uint32_t latency_cause(void)
{
    return mine()->cause;
}

/* Wait, with interrupts on, for the tick after `tick`; returns the new one. */
static uint64_t next_tick(uint64_t tick)
{
    uint64_t now;
    while ((now = timer_ticks()) == tick)
        __asm__ volatile("hlt");
    return now;
}

void latency_calibrate(void)
{
    if (tsc_per_ms)
        return;
    uint64_t tick = next_tick(timer_ticks());
    uint64_t start = rdtsc();
    for (int i = 0; i < CALIBRATION_TICKS; i++)
        tick = next_tick(tick);
    latency_set_tsc_rate(rdtsc() - start, CALIBRATION_TICKS);
}

void latency_set_tsc_rate(uint64_t cycles, uint32_t ticks)
{
    uint32_t rem;
    uint64_t per_ms = divmod_u64(cycles, ticks * 1000 / TIMER_HZ, &rem);
    tsc_per_ms = per_ms == 0 ? 1 : per_ms > UINT32_MAX ? UINT32_MAX : (uint32_t)per_ms;
}

uint32_t latency_tsc_per_ms(void)
{
    return tsc_per_ms;
}

static uint32_t microseconds(uint64_t cycles)
{
    uint32_t rem;
    uint64_t us = tsc_per_ms ? divmod_u64(cycles * 1000, tsc_per_ms, &rem) : 0;
    return us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
}

/* A reset clears each CPU's record but its running stretch; one a CPU
 * waiting for the lock updates meanwhile may keep its old figure. */
void latency_report(struct vp_latency *out, bool reset)
{
    uint64_t most = 0, cause_most[VP_LATENCY_CAUSES] = { 0 };
    *out = (struct vp_latency){ .tsc_per_ms = tsc_per_ms };
    for (int i = 0; i < CPU_MAX; i++) {
        struct cpu_stretches *c = &per_cpu[i];
        out->stretches += c->stretches;
        if (c->max_cycles > most) {
            most = c->max_cycles;
            out->max_cause = c->max_cause;
        }
        for (int k = 0; k < VP_LATENCY_CAUSES; k++)
            cause_most[k] = c->cause_max_cycles[k] > cause_most[k] ? c->cause_max_cycles[k] : cause_most[k];
        if (reset)
            *c = (struct cpu_stretches){ .since = c->since, .cause = c->cause };
    }
    out->max_us = microseconds(most);
    for (int k = 0; k < VP_LATENCY_CAUSES; k++)
        out->cause_max_us[k] = microseconds(cause_most[k]);
}
