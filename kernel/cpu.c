/*
 * Global descriptor table (flat kernel and user segments) and interrupt
 * descriptor table (one gate per entry stub in isr.asm).
 */
#include "cpu.h"

#include "trap.h"

/* Read by the lgdt/lidt instructions, which cppcheck cannot see. */
struct __attribute__((packed)) table_pointer {
    uint16_t limit; // cppcheck-suppress unusedStructMember
    uint32_t base;  // cppcheck-suppress unusedStructMember
};

struct __attribute__((packed)) idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t zero;
    uint8_t type_attr;
    uint16_t offset_high;
};

#define GATE_INTERRUPT_KERNEL 0x8E /* present, ring 0, 32-bit interrupt gate */

/* Flat 4 GiB segments: code/data for ring 0, then for ring 3. */
static const uint64_t gdt[] = {
    0,
    0x00CF9A000000FFFFull, /* kernel code */
    0x00CF92000000FFFFull, /* kernel data */
    0x00CFFA000000FFFFull, /* user code */
    0x00CFF2000000FFFFull, /* user data */
};

static struct idt_gate idt[256];

extern const uint32_t trap_stubs[TRAP_VECTORS];

static void load_gdt(void)
{
    struct table_pointer p = { sizeof(gdt) - 1, (uint32_t)gdt };
    __asm__ volatile(
        "lgdt %0\n\t"
        "ljmp %1, $1f\n"
        "1:\n\t"
        "mov %2, %%ax\n\t"
        "mov %%ax, %%ds\n\t"
        "mov %%ax, %%es\n\t"
        "mov %%ax, %%fs\n\t"
        "mov %%ax, %%gs\n\t"
        "mov %%ax, %%ss\n\t"
        : : "m"(p), "i"(GDT_KERNEL_CODE), "i"(GDT_KERNEL_DATA) : "eax", "memory");
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

static void load_idt(void)
{
    for (int v = 0; v < TRAP_VECTORS; v++)
        set_gate(v, trap_stubs[v], GATE_INTERRUPT_KERNEL);
    struct table_pointer p = { sizeof(idt) - 1, (uint32_t)idt };
    __asm__ volatile("lidt %0" : : "m"(p));
}

void cpu_init(void)
{
    load_gdt();
    load_idt();
}
