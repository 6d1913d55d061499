/*
 * Global descriptor tables (flat kernel and user segments, one table per
 * CPU with its TSS and per-CPU segment) and the interrupt descriptor table
 * they share (one gate per entry stub in isr.asm).
 */
#include "cpu.h"

#include "kstring.h"
#include "trap.h"

/* Read by the lgdt/lidt instructions, which cppcheck cannot see. */
struct __attribute__((packed)) table_pointer {
    uint16_t limit;
    uint32_t base;
};

struct __attribute__((packed)) idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t zero;
    uint8_t type_attr;
    uint16_t offset_high;
};

#define GATE_INTERRUPT_KERNEL 0x8E /* present, ring 0, 32-bit interrupt gate */
#define GATE_INTERRUPT_USER 0xEE   /* the same, callable from ring 3 */
#define TSS_AVAILABLE_32 0x89

/* The task state segment: the ring-0 stack for traps from user and
 * virtual-8086 mode, and the I/O permission bitmap (a set bit refuses its
 * port), which the CPU reads only outside ring 0. It refuses every port
 * except while a BIOS call runs (cpu_io_permit); the byte after it must be
 * all ones (SDM: an access near the end reads two bytes of the map). */
#define IO_PORTS 65536

struct __attribute__((packed)) tss {
    uint32_t link, esp0, ss0, unused[22];
    uint16_t trap, iomap_base;
    uint8_t iomap[IO_PORTS / 8];
    uint8_t iomap_end;
};

#define GDT_ENTRIES 7

/* Flat 4 GiB segments: code/data for ring 0, then for ring 3; then the
 * TSS and the per-CPU segment, which each CPU's copy fills in. */
static const uint64_t gdt_template[GDT_ENTRIES] = {
    0,
    0x00CF9A000000FFFFull, /* kernel code */
    0x00CF92000000FFFFull, /* kernel data */
    0x00CFFA000000FFFFull, /* user code */
    0x00CFF2000000FFFFull, /* user data */
};

#define SEGMENT_DATA_RW 0x92 /* present, ring 0, read/write data */
#define SEGMENT_32BIT 0x4    /* the flags nibble: 32-bit, byte granular */

/* Each CPU has its own TSS (the CPU marks a loaded one busy, and its stack
 * and port map are that CPU's) and so its own GDT. */
static struct cpu cpus[CPU_MAX];
static struct tss tss[CPU_MAX];
static uint64_t gdt[CPU_MAX][GDT_ENTRIES];

static struct idt_gate idt[256];

extern const uint32_t trap_stubs[TRAP_VECTORS];
extern const uint32_t trap_stub_syscall, trap_stub_apic_timer, trap_stub_tlb_shootdown,
    trap_stub_reschedule, trap_stub_wake, trap_stub_apic_spurious;

/* A byte-granular descriptor of [base, base + size): a system one for
 * the TSS, a data one for the per-CPU segment. */
static uint64_t descriptor(const void *start, uint32_t size, uint8_t type, uint8_t flags)
{
    uint64_t base = (uint32_t)start, limit = size - 1;
    return (limit & 0xFFFF) | (base & 0xFFFFFF) << 16 | (uint64_t)type << 40 |
           ((limit >> 16) & 0xF) << 48 | (uint64_t)flags << 52 | (base >> 24) << 56;
}

/* CPU index's GDT, loaded, with %gs on its struct cpu and its TSS in TR. */
static void load_gdt(uint32_t index)
{
    uint64_t *table = gdt[index];
    memcpy(table, gdt_template, sizeof(gdt_template));
    table[GDT_TSS / 8] = descriptor(&tss[index], sizeof(tss[index]), TSS_AVAILABLE_32, 0);
    table[GDT_THIS_CPU / 8] = descriptor(&cpus[index], sizeof(cpus[index]), SEGMENT_DATA_RW,
                                         SEGMENT_32BIT);
    struct table_pointer p = { sizeof(gdt[index]) - 1, (uint32_t)table };
    __asm__ volatile(
        "lgdt %0\n\t"
        "ljmp %1, $1f\n"
        "1:\n\t"
        "mov %2, %%ax\n\t"
        "mov %%ax, %%ds\n\t"
        "mov %%ax, %%es\n\t"
        "mov %%ax, %%fs\n\t"
        "mov %%ax, %%ss\n\t"
        "mov %3, %%ax\n\t"
        "mov %%ax, %%gs\n\t"
        : : "m"(p), "i"(GDT_KERNEL_CODE), "i"(GDT_KERNEL_DATA), "i"(GDT_THIS_CPU)
        : "eax", "memory");
    __asm__ volatile("ltr %w0" : : "r"(GDT_TSS));
}

static void set_gate(int vector, uint32_t handler, uint8_t type_attr)
{
    idt[vector] = (struct idt_gate){
        .offset_low = handler & 0xFFFF,
        .selector = GDT_KERNEL_CODE,
        .type_attr = type_attr,
        .offset_high = handler >> 16,
    };
}

static void fill_idt(void)
{
    for (int v = 0; v < TRAP_VECTORS; v++)
        set_gate(v, trap_stubs[v], GATE_INTERRUPT_KERNEL);
    set_gate(TRAP_SYSCALL, (uint32_t)&trap_stub_syscall, GATE_INTERRUPT_USER);
    set_gate(TRAP_APIC_TIMER, (uint32_t)&trap_stub_apic_timer, GATE_INTERRUPT_KERNEL);
    set_gate(TRAP_TLB_SHOOTDOWN, (uint32_t)&trap_stub_tlb_shootdown, GATE_INTERRUPT_KERNEL);
    set_gate(TRAP_RESCHEDULE, (uint32_t)&trap_stub_reschedule, GATE_INTERRUPT_KERNEL);
    set_gate(TRAP_WAKE, (uint32_t)&trap_stub_wake, GATE_INTERRUPT_KERNEL);
    set_gate(TRAP_APIC_SPURIOUS, (uint32_t)&trap_stub_apic_spurious, GATE_INTERRUPT_KERNEL);
}

static void load_idt(void)
{
    struct table_pointer p = { sizeof(idt) - 1, (uint32_t)idt };
    __asm__ volatile("lidt %0" : : "m"(p));
}

static struct tss *this_tss(void)
{
    return &tss[cpu_this()->index];
}

struct cpu *cpu_at(uint32_t index)
{
    return &cpus[index];
}

void cpu_set_kernel_stack(uint32_t esp0)
{
    this_tss()->esp0 = esp0;
}

uint32_t cpu_kernel_stack(void)
{
    return this_tss()->esp0;
}

void cpu_io_permit(uint16_t first, uint16_t last, bool allowed)
{
    uint8_t *iomap = this_tss()->iomap;
    for (uint32_t port = first; port <= last; port++) {
        uint8_t bit = (uint8_t)(1u << (port % 8));
        iomap[port / 8] = allowed ? iomap[port / 8] & ~bit : iomap[port / 8] | bit;
    }
}

bool cpu_io_permitted(uint16_t port)
{
    return !(this_tss()->iomap[port / 8] & (1u << (port % 8)));
}

/*
 * No process may use the FPU: the kernel does not save its state, so one
 * process could read another's registers. With CR0.EM set, an x87
 * instruction raises #NM and an SSE one #UD, and the process is killed.
 */
static void forbid_fpu(void)
{
    write_cr0((read_cr0() | CR0_EM) & ~CR0_MP);
}

void cpu_init(uint32_t index)
{
    struct tss *t = &tss[index];
    memset(t, 0, offsetof(struct tss, iomap));
    t->ss0 = GDT_KERNEL_DATA;
    t->iomap_base = offsetof(struct tss, iomap);
    memset(t->iomap, 0xFF, sizeof(t->iomap));
    t->iomap_end = 0xFF;
    cpus[index].self = &cpus[index];
    cpus[index].index = index;
    load_gdt(index);
    if (index == 0)
        fill_idt();
    load_idt();
    forbid_fpu();
    cpus[index].cr0 = read_cr0();
}
