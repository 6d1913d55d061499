/*
 * Stretches with interrupts off, measured by the time stamp counter in
 * cycles (no division on the trap path) and reported in microseconds.
 */
#include "latency.h"

#include "cpu.h"
#include "drivers/timer.h"
#include "format.h"
#include "kstring.h"

#define CALIBRATION_TICKS 4

static uint32_t tsc_per_ms; /* 0 until calibrated: nothing is measured */

/* Each CPU's running stretch (a CPU starts one before it has the big
 * kernel lock; the figures below are kept under it). */
static struct {
    uint64_t since; /* when it started; 0: none */
    uint32_t cause;
} running[CPU_MAX];

static uint64_t max_cycles, cause_max_cycles[VP_LATENCY_CAUSES];
static uint32_t max_cause, stretches;

void latency_irqs_off(uint32_t cause)
{
    uint32_t cpu = cpu_this()->index;
    running[cpu].since = tsc_per_ms ? rdtsc() : 0;
    running[cpu].cause = cause < VP_LATENCY_CAUSES ? cause : VP_LATENCY_EXCEPTION;
}

void latency_irqs_on(void)
{
    uint32_t cpu = cpu_this()->index, cause = running[cpu].cause;
    if (!running[cpu].since)
        return;
    uint64_t cycles = rdtsc() - running[cpu].since;
    running[cpu].since = 0;
    stretches++;
    if (cycles > cause_max_cycles[cause])
        cause_max_cycles[cause] = cycles;
    if (cycles > max_cycles) {
        max_cycles = cycles;
        max_cause = cause;
    }
}

uint32_t latency_cause(void)
{
    return running[cpu_this()->index].cause;
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
    uint64_t tick = next_tick(timer_ticks());
    uint64_t start = rdtsc();
    for (int i = 0; i < CALIBRATION_TICKS; i++)
        tick = next_tick(tick);
    uint32_t rem;
    uint64_t per_ms = divmod_u64(rdtsc() - start, CALIBRATION_TICKS * 1000 / TIMER_HZ, &rem);
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

void latency_report(struct vp_latency *out, bool reset)
{
    *out = (struct vp_latency){ .tsc_per_ms = tsc_per_ms, .max_us = microseconds(max_cycles),
                                .max_cause = max_cause, .stretches = stretches };
    for (int i = 0; i < VP_LATENCY_CAUSES; i++)
        out->cause_max_us[i] = microseconds(cause_max_cycles[i]);
    if (!reset)
        return;
    max_cycles = 0;
    max_cause = stretches = 0;
    memset(cause_max_cycles, 0, sizeof(cause_max_cycles));
}
