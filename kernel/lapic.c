/*
 * Local APIC registers (SDM 3A chapter 10), reached through one uncached
 * page of the device window.
 *
 * Each access makes its translation of that page afresh. Under QEMU 7.2's
 * TCG (fixed in 8.2), when another CPU changes the machine's memory map
 * (every VGA bank switch does), this CPU's translations of device pages,
 * cached before the change, can for a moment lead to another device: an
 * EOI or an IPI sent through one is lost. An APIC that keeps a vector in
 * service holds back every later IPI and timer tick of its class: a
 * shootdown waiting for that CPU's answer then waits for ever.
 */
#include "lapic.h"

#include "drivers/timer.h"
#include "cpu.h"
#include "kernel.h"
#include "latency.h"
#include "mm/mm.h"
#include "trap.h"

#define MSR_APIC_BASE 0x1B
#define APIC_BASE_ADDRESS 0xFFFFF000u
#define APIC_BASE_ENABLE (1u << 11)

#define REG_ID 0x020
#define REG_TPR 0x080
#define REG_EOI 0x0B0
#define REG_ISR 0x100 /* eight registers of 32 vectors, 16 bytes apart */
#define REG_SVR 0x0F0
#define REG_ESR 0x280
#define REG_ICR_LOW 0x300
#define REG_ICR_HIGH 0x310
#define REG_TIMER 0x320
#define REG_LINT0 0x350
#define REG_LINT1 0x360
#define REG_TIMER_INITIAL 0x380
#define REG_TIMER_CURRENT 0x390
#define REG_TIMER_DIVIDE 0x3E0

#define SVR_ENABLE (1u << 8)
#define LVT_MASKED (1u << 16)
#define TIMER_PERIODIC (1u << 17)
#define TIMER_DIVIDE_16 0x3
#define ICR_FIXED (0u << 8)
#define ICR_NMI (4u << 8)
#define ICR_INIT (5u << 8)
#define ICR_STARTUP (6u << 8)
#define ICR_PENDING (1u << 12)
#define ICR_ASSERT (1u << 14)
#define ICR_LEVEL (1u << 15)
#define ICR_ALL_BUT_SELF (3u << 18)
#define ICR_SPIN_LIMIT 1000000u /* reads of a busy ICR before giving up */
#define EOI_TRIES 16             /* EOIs that leave a vector in service before a panic */

static volatile uint32_t *lapic;
static uint32_t to_lose[LAPIC_WRITE_KINDS], losing_cpu; /* a test's: writes this CPU drops */
static uint32_t timer_count; /* the timer's count for one PIT tick */

/* Register `reg`, through a translation made now (see the top). */
static volatile uint32_t *reg_at(uint32_t reg)
{
    invlpg((uint32_t)lapic);
    return &lapic[reg / 4];
}

static uint32_t read_reg(uint32_t reg)
{
    return *reg_at(reg);
}

static void write_reg(uint32_t reg, uint32_t value)
{
    *reg_at(reg) = value;
    (void)read_reg(REG_ID); /* the write has reached the APIC before we go on */
}

/* The APIC's registers, mapped on the first call. */
static bool map_lapic(void)
{
    uint32_t a, b, c, d;
    cpuid(1, &a, &b, &c, &d);
    if (!(d & CPUID_EDX_APIC))
        return false;
    if (!lapic) {
        uint32_t base = (uint32_t)rdmsr(MSR_APIC_BASE) & APIC_BASE_ADDRESS;
        lapic = paging_map_device(base, PAGE_SIZE, PAGE_CACHE_UNCACHED);
    }
    return lapic != NULL;
}

bool lapic_init(bool boot_cpu)
{
    if (!map_lapic())
        return false;
    wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE);
    write_reg(REG_SVR, SVR_ENABLE | TRAP_APIC_SPURIOUS);
    write_reg(REG_TPR, 0);
    if (!boot_cpu) {
        write_reg(REG_LINT0, LVT_MASKED);
        write_reg(REG_LINT1, LVT_MASKED);
    }
    write_reg(REG_ESR, 0); /* the error status reads back after two writes */
    write_reg(REG_ESR, 0);
    return true;
}

uint32_t lapic_id(void)
{
    KASSERT(lapic);
    return read_reg(REG_ID) >> 24;
}

/* Send one interprocessor interrupt and wait until the APIC has sent it. */
static bool send_ipi(uint32_t apic_id, uint32_t command)
{
    write_reg(REG_ICR_HIGH, apic_id << 24);
    write_reg(REG_ICR_LOW, command);
    for (uint32_t i = 0; i < ICR_SPIN_LIMIT; i++) {
        if (!(read_reg(REG_ICR_LOW) & ICR_PENDING))
            return true;
        cpu_relax();
    }
    return false;
}

bool lapic_send_init(uint32_t apic_id)
{
    return send_ipi(apic_id, ICR_INIT | ICR_LEVEL | ICR_ASSERT);
}

bool lapic_send_startup(uint32_t apic_id, uint32_t page)
{
    return send_ipi(apic_id, ICR_STARTUP | (page & 0xFF));
}

uint32_t lapic_lose_writes(enum lapic_write what, uint32_t count)
{
    uint32_t left = to_lose[what];
    losing_cpu = cpu_this()->index;
    to_lose[what] = count;
    return left;
}

/* Whether a test asked that this write of `what` go astray, as QEMU's
 * race can make it. */
static bool lost(enum lapic_write what)
{
    if (!to_lose[what] || losing_cpu != cpu_this()->index)
        return false;
    to_lose[what]--;
    return true;
}

bool lapic_send_ipi(uint32_t apic_id, uint32_t vector)
{
    return lost(LAPIC_IPI) || send_ipi(apic_id, ICR_FIXED | ICR_ASSERT | (vector & 0xFF));
}

bool lapic_send_nmi_to_others(void)
{
    return send_ipi(0, ICR_NMI | ICR_ASSERT | ICR_ALL_BUT_SELF);
}

bool lapic_send_nmi(uint32_t apic_id)
{
    return send_ipi(apic_id, ICR_NMI | ICR_ASSERT);
}

bool lapic_in_service(uint32_t vector)
{
    if (lost(LAPIC_ISR_READ))
        return false;
    return read_reg(REG_ISR + vector / 32 * 0x10) & (1u << (vector % 32));
}

void lapic_end_stuck(void)
{
    for (uint32_t v = TRAP_APIC_TIMER; v <= TRAP_WAKE; v++) {
        if (lapic_in_service(v))
            lapic_eoi(v);
    }
}

static void send_eoi(void)
{
    if (!lost(LAPIC_EOI))
        write_reg(REG_EOI, 0);
}

/* With interrupts off nothing puts a vector back in service, so one still
 * there after its EOI means the write went astray: it is sent again. */
void lapic_eoi(uint32_t vector)
{
    send_eoi();
    for (uint32_t tries = 1; lapic_in_service(vector); tries++) {
        if (tries == EOI_TRIES)
            panic("local APIC: vector %u still in service after %u EOIs", vector, tries);
        send_eoi();
    }
}

/* Counts down from the most, one-shot and masked, for `ticks` PIT ticks
 * whole (interrupts on): what is left says the timer's rate. */
void lapic_timer_calibrate(uint32_t ticks)
{
    KASSERT(lapic && (read_eflags() & EFLAGS_IF) && ticks);
    write_reg(REG_TIMER_DIVIDE, TIMER_DIVIDE_16);
    write_reg(REG_TIMER, LVT_MASKED | TRAP_APIC_TIMER);
    uint64_t tick = timer_ticks();
    while (timer_ticks() == tick)
        cpu_halt();
    write_reg(REG_TIMER_INITIAL, UINT32_MAX);
    uint64_t tsc = rdtsc();
    tick = timer_ticks();
    while (timer_ticks() < tick + ticks)
        cpu_halt();
    uint32_t used = UINT32_MAX - read_reg(REG_TIMER_CURRENT);
    latency_set_tsc_rate(rdtsc() - tsc, ticks); /* the same ticks time the TSC */
    write_reg(REG_TIMER_INITIAL, 0);
    timer_count = (used / ticks) ? (used / ticks) : 1;
}

bool lapic_timer_start(void)
{
    if (!lapic || !timer_count)
        return false;
    write_reg(REG_TIMER_DIVIDE, TIMER_DIVIDE_16);
    write_reg(REG_TIMER, TIMER_PERIODIC | TRAP_APIC_TIMER);
    write_reg(REG_TIMER_INITIAL, timer_count);
    return true;
}
