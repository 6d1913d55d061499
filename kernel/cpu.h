/*
 * The processor: descriptor tables, port I/O, control registers and
 * interrupt-flag helpers.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10
#define GDT_USER_CODE (0x18 | 3)
#define GDT_USER_DATA (0x20 | 3)
#define GDT_TSS 0x28
#define GDT_THIS_CPU 0x30 /* %gs in the kernel: this CPU's struct cpu */

#define CPU_MAX 8 /* processors the kernel runs on at most */

#define EFLAGS_IF (1u << 9)
#define EFLAGS_VM (1u << 17) /* virtual-8086 mode */
#define CPUID_EDX_PSE (1u << 3)
#define CPUID_EDX_APIC (1u << 9)
#define CPUID_EDX_PAT (1u << 16)
#define CR4_PSE (1u << 4)
#define CR0_MP (1u << 1)
#define CR0_EM (1u << 2)

struct proc;

/* What the kernel keeps for each processor. Each CPU's GDT has its own
 * GDT_THIS_CPU segment based at its struct cpu, which the kernel keeps in
 * %gs, so cpu_this() is one load. */
struct cpu {
    struct cpu *self;   /* at %gs:0 */
    uint32_t index;     /* 0 for the boot CPU, then in the order they started */
    uint32_t apic_id;   /* its local APIC's id */
    uint64_t pat;       /* its PAT MSR, read back once programmed */
    uint32_t cr0;       /* its CR0 once set up (tests check FPU refusal) */
    volatile bool online;
    bool clock;         /* its local APIC timer ticks (each CPU but the boot one) */
    uint32_t root;      /* its loaded address space (CR3), set by mm/paging.c */
    volatile bool in_user; /* its process runs in user mode (or is on its way there) */
    bool lock_waiting;     /* it waits, halted, for the big kernel lock (biglock.c) */
    /* The scheduler's, kept under the big kernel lock (kernel/sched.c). */
    struct proc *proc;      /* the process running here, NULL in the scheduler */
    uint32_t scheduler_esp; /* this CPU's scheduler context while a process runs */
    uint32_t slice_used;    /* ticks of its slice the running process has used */
    uint32_t busy_ticks, idle_ticks; /* its clock's ticks, with a process running or not */
};

/* Load this CPU's GDT, TSS and %gs as CPU `index` (0 for the boot CPU,
 * which also fills the IDT), and the shared IDT; refuse the FPU. */
void cpu_init(uint32_t index);

/* The CPU this code runs on. A kernel stack may resume on another CPU
 * after a switch, so the answer is never cached across one. */
static inline struct cpu *cpu_this(void)
{
    struct cpu *c;
    __asm__ volatile("mov %%gs:0, %0" : "=r"(c));
    return c;
}

/* CPU `index`'s record (index < CPU_MAX), whether or not it is online. */
struct cpu *cpu_at(uint32_t index);

/* The stack this CPU switches to on a trap from user or virtual-8086 mode. */
void cpu_set_kernel_stack(uint32_t esp0);
uint32_t cpu_kernel_stack(void);

/* Let code outside ring 0 on this CPU use ports [first, last], or refuse
 * them again (all are refused at boot). Only for the length of a BIOS
 * call: user processes must never find a port open. */
void cpu_io_permit(uint16_t first, uint16_t last, bool allowed);

/* Whether code outside ring 0 on this CPU may use port now (for tests). */
bool cpu_io_permitted(uint16_t port);

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint16_t inw(uint16_t port)
{
    uint16_t v;
    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint32_t inl(uint16_t port)
{
    uint32_t v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

#define DEFINE_READ_CR(n)                                          \
    static inline uint32_t read_cr##n(void)                        \
    {                                                              \
        uint32_t v;                                                \
        __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));          \
        return v;                                                  \
    }
DEFINE_READ_CR(0)
DEFINE_READ_CR(2)
DEFINE_READ_CR(3)
DEFINE_READ_CR(4)
#undef DEFINE_READ_CR

static inline void write_cr0(uint32_t v) { __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory"); }
static inline void write_cr3(uint32_t v) { __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
static inline void write_cr4(uint32_t v) { __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }

static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline void invlpg(uint32_t va)
{
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static inline uint32_t read_eflags(void)
{
    uint32_t f;
    __asm__ volatile("pushfl; popl %0" : "=r"(f));
    return f;
}

static inline void cpu_relax(void) { __asm__ volatile("pause" : : : "memory"); }

/* Wait until this CPU's earlier stores, write-combined ones included,
 * have left it (a locked operation drains the buffers, SDM 3A 8.2.5). */
static inline void cpu_drain_stores(void) { __asm__ volatile("lock; orl $0, (%%esp)" : : : "memory"); }
static inline void irq_enable(void) { __asm__ volatile("sti" : : : "memory"); }
static inline void irq_disable(void) { __asm__ volatile("cli" : : : "memory"); }
static inline void cpu_halt(void) { __asm__ volatile("hlt" : : : "memory"); }

/* Disable interrupts, returning the previous EFLAGS for irq_restore. */
static inline uint32_t irq_save(void)
{
    uint32_t f = read_eflags();
    irq_disable();
    return f;
}

static inline void irq_restore(uint32_t flags)
{
    if (flags & EFLAGS_IF)
        irq_enable();
}

/* Stop this CPU for good. */
static inline __attribute__((noreturn)) void cpu_stop(void)
{
    for (;;) {
        irq_disable();
        cpu_halt();
    }
}
