/*
 * Processor start-up (SDM 3A 8.4.4): for each CPU in turn, INIT, 10 ms,
 * then a start-up IPI, and a second one if the CPU has not come up. The
 * start-up code (boot/ap_start.asm) is copied below 1 MiB with a mailbox
 * naming the CPU's index, stack and page directory.
 */
#include "smp.h"

#include "drivers/timer.h"
#include "biglock.h"
#include "cpu.h"
#include "format.h"
#include "kernel.h"
#include "kstring.h"
#include "lapic.h"
#include "latency.h"
#include "mm/mm.h"
#include "proc.h"
#include "tlb.h"
#include "trap.h"

#define AP_STACK_SIZE 16384
#define INIT_WAIT_TICKS 1    /* at least 10 ms after INIT (a tick at 100 Hz) */
#define STARTUP_WAIT_TICKS 1 /* a start-up IPI answered within a tick */
#define ONLINE_WAIT_TICKS 20 /* after the second: 200 ms, then it is given up */
#define CLOCK_CALIBRATION_TICKS 4 /* the local APIC timers measured over 40 ms */
#define STOP_SPIN_LIMIT 10000000u /* waits for the others to stop, then it goes on */

/* What the start-up code reads for one CPU (ap_start_mailbox's layout). */
struct ap_mailbox {
    uint32_t directory; /* physical address of the kernel's page directory */
    uint32_t stack;     /* top of the CPU's stack */
    uint32_t index;
};

extern const char ap_start[], ap_start_end[], ap_start_mailbox[];

void ap_main(uint32_t index);

static uint8_t ap_stacks[CPU_MAX][AP_STACK_SIZE] __attribute__((aligned(16)));
static volatile uint32_t online = 1;
static volatile bool stopping;  /* a panic asks every other CPU to stop */
static volatile uint32_t stopped; /* bit n: CPU n has (each counted once) */

uint32_t smp_online(void)
{
    return online;
}

/* How many CPUs have stopped. */
static uint32_t stopped_count(void)
{
    uint32_t n = 0;
    for (uint32_t bits = __atomic_load_n(&stopped, __ATOMIC_ACQUIRE); bits; bits &= bits - 1)
        n++;
    return n;
}

void smp_stop_this_cpu(void)
{
    __atomic_fetch_or(&stopped, 1u << cpu_this()->index, __ATOMIC_RELEASE);
    cpu_stop();
}

bool smp_stopping(void)
{
    return __atomic_load_n(&stopping, __ATOMIC_ACQUIRE);
}

void smp_stop_if_asked(void)
{
    if (__atomic_load_n(&stopping, __ATOMIC_ACQUIRE))
        smp_stop_this_cpu();
}

void smp_spin_service(void)
{
    smp_stop_if_asked();
    tlb_service();
    cpu_relax();
}

bool smp_resend_due(uint64_t *next)
{
    uint32_t per_ms = latency_tsc_per_ms();
    uint64_t now = rdtsc();
    if (!*next)
        *next = now + per_ms;
    if (!per_ms || now < *next)
        return false;
    *next = now + per_ms;
    return true;
}

void smp_ask_again(uint32_t index, uint32_t vector, uint32_t resends)
{
    if (resends % SMP_NMI_AFTER_RESENDS == SMP_NMI_AFTER_RESENDS - 1)
        lapic_send_nmi(cpu_at(index)->apic_id);
    lapic_send_ipi(cpu_at(index)->apic_id, vector);
}

uint32_t smp_stop_others(void)
{
    if (online == 1 || __atomic_exchange_n(&stopping, true, __ATOMIC_ACQ_REL))
        return 0;
    lapic_send_nmi_to_others();
    for (uint32_t i = 0; i < STOP_SPIN_LIMIT && stopped_count() < online - 1; i++)
        cpu_relax();
    return stopped_count();
}

void smp_interrupt_user(uint32_t index)
{
    struct cpu *c = cpu_at(index);
    if (index == cpu_this()->index || !__atomic_load_n(&c->in_user, __ATOMIC_ACQUIRE) ||
        smp_stopping())
        return;
    lapic_send_ipi(c->apic_id, TRAP_RESCHEDULE);
    uint64_t resend = 0;
    for (uint32_t resends = 0; __atomic_load_n(&c->in_user, __ATOMIC_ACQUIRE);) {
        smp_spin_service();
        if (smp_resend_due(&resend))
            smp_ask_again(index, TRAP_RESCHEDULE, resends++);
    }
}

/* Entered by each started CPU on its own stack (from ap_start.asm): set
 * it up, say it is online, and run processes once the boot CPU lets the
 * big kernel lock go (it holds it until it runs processes itself). */
void ap_main(uint32_t index)
{
    cpu_init(index);
    struct cpu *self = cpu_this();
    self->pat = paging_init_cpu();
    if (lapic_init(false))
        self->apic_id = lapic_id();
    self->clock = lapic_timer_start();
    __atomic_store_n(&self->online, true, __ATOMIC_RELEASE);
    biglock_acquire();
    sched_run();
}

/* The start-up code in its page, its mailbox filled in for CPU index. */
static void write_start_code(uint32_t index)
{
    /* Offsets within the code, as addresses: the symbols mark one block. */
    uintptr_t start = (uintptr_t)ap_start;
    char *page = phys_to_virt(AP_START_PAGE * PAGE_SIZE);
    memcpy(page, ap_start, (uintptr_t)ap_start_end - start);
    struct ap_mailbox *mailbox = (struct ap_mailbox *)(page + ((uintptr_t)ap_start_mailbox - start));
    *mailbox = (struct ap_mailbox){
        .directory = paging_kernel_root(),
        .stack = (uint32_t)(uintptr_t)(ap_stacks[index] + AP_STACK_SIZE),
        .index = index,
    };
}

/* Wait until CPU c is online or at least `ticks` whole ticks have gone. */
static bool wait_online(const struct cpu *c, uint32_t ticks)
{
    uint64_t end = timer_ticks() + ticks + 1;
    while (!__atomic_load_n(&c->online, __ATOMIC_ACQUIRE) && timer_ticks() < end)
        cpu_halt();
    return c->online;
}

/* Start the CPU with local APIC apic_id as CPU index; true once it is
 * online. One that does not come up gets INIT again, so that it cannot
 * run start-up code later rewritten for another. */
static bool start_cpu(uint32_t index, uint32_t apic_id)
{
    struct cpu *c = cpu_at(index);
    c->online = false;
    write_start_code(index);
    if (!lapic_send_init(apic_id))
        return false;
    wait_online(c, INIT_WAIT_TICKS);
    for (int attempt = 0; attempt < 2 && !c->online; attempt++) {
        if (!lapic_send_startup(apic_id, AP_START_PAGE))
            break;
        wait_online(c, attempt == 0 ? STARTUP_WAIT_TICKS : ONLINE_WAIT_TICKS);
    }
    if (!c->online)
        lapic_send_init(apic_id);
    return c->online;
}

/* The smp= option: a count from 1 to CPU_MAX, or CPU_MAX when absent or
 * not one (with a line saying so). */
static uint32_t cpu_limit(const char *text)
{
    if (!text)
        return CPU_MAX;
    uint32_t n = 0;
    const char *p = text;
    while (*p >= '0' && *p <= '9' && n <= CPU_MAX)
        n = n * 10 + (uint32_t)(*p++ - '0');
    if (*p || p == text || n < 1 || n > CPU_MAX) {
        kprintf("smp: smp=%s ignored: it takes a CPU count from 1 to %d\n", text, CPU_MAX);
        return CPU_MAX;
    }
    return n;
}

/* This CPU's own record: its APIC id and PAT, as the others fill in
 * theirs; and the local APIC timer measured, the others' clock. */
static bool set_up_boot_cpu(void)
{
    struct cpu *self = cpu_this();
    self->pat = paging_init_cpu();
    self->online = true;
    if (!lapic_init(true))
        return false;
    self->apic_id = lapic_id();
    lapic_timer_calibrate(CLOCK_CALIBRATION_TICKS);
    return true;
}

/* The line saying how many CPUs run, and why fewer than listed if so. */
static void report_online(uint32_t listed, uint32_t most)
{
    char why[40] = "";
    if (listed > online && most < CPU_MAX)
        ksnprintf(why, sizeof(why), " (as smp= asks)");
    else if (listed > CPU_MAX)
        ksnprintf(why, sizeof(why), " (the kernel runs on at most %d)", CPU_MAX);
    kprintf("smp: %u CPU%s online%s\n", online, online == 1 ? "" : "s", why);
}

uint32_t smp_start(const struct acpi_cpus *cpus, const char *limit)
{
    KASSERT(read_eflags() & EFLAGS_IF);
    uint32_t most = cpu_limit(limit);
    if (!set_up_boot_cpu()) {
        kprintf("smp: this CPU has no local APIC; 1 CPU online\n");
        return online;
    }
    uint32_t listed = cpus ? cpus->count : 0;
    for (uint32_t i = 0; i < listed && online < most; i++) {
        uint32_t id = cpus->apic_id[i];
        if (id == cpu_this()->apic_id)
            continue;
        if (start_cpu(online, id))
            online++;
        else
            kprintf("smp: the CPU with APIC id %u did not start\n", id);
    }
    report_online(cpus ? cpus->listed : 1, most);
    return online;
}
