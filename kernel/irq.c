/*
 * 8259 PIC pair: remapped so IRQ 0..15 arrive as vectors 32..47, away from
 * the CPU exceptions they overlap by default.
 */
#include "irq.h"

#include "cpu.h"
#include "kernel.h"
#include "trap.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xA0
#define PIC2_DATA 0xA1
#define PIC_EOI 0x20
#define PIC_READ_ISR 0x0B
#define ICW1_INIT_WITH_ICW4 0x11
#define ICW4_8086 0x01
#define PIC_CASCADE_LINE 2

static irq_handler handlers[IRQ_LINES];
static uint32_t counts[IRQ_LINES];
/* Interrupts taken and ended, their handlers still to run under the big
 * kernel lock (by the boot CPU, which alone gets them). */
static uint32_t deferred[IRQ_LINES], deferred_total;
static bool running; /* irq_run_deferred is under way */

void irq_init(void)
{
    outb(PIC1_CMD, ICW1_INIT_WITH_ICW4);
    outb(PIC2_CMD, ICW1_INIT_WITH_ICW4);
    outb(PIC1_DATA, TRAP_IRQ_BASE);     /* ICW2: vector offsets */
    outb(PIC2_DATA, TRAP_IRQ_BASE + 8);
    outb(PIC1_DATA, 1 << PIC_CASCADE_LINE); /* ICW3: slave on line 2 */
    outb(PIC2_DATA, PIC_CASCADE_LINE);
    outb(PIC1_DATA, ICW4_8086);
    outb(PIC2_DATA, ICW4_8086);
    outb(PIC1_DATA, 0xFF & ~(1 << PIC_CASCADE_LINE));
    outb(PIC2_DATA, 0xFF);
}

static void unmask(unsigned line)
{
    uint16_t port = line < 8 ? PIC1_DATA : PIC2_DATA;
    outb(port, inb(port) & ~(1 << (line % 8)));
}

void irq_register(unsigned line, irq_handler handler)
{
    KASSERT(line < IRQ_LINES);
    handlers[line] = handler;
    unmask(line);
}

/* True when the PIC really has this line in service (not a spurious IRQ 7/15). */
static bool in_service(unsigned line)
{
    uint16_t cmd = line < 8 ? PIC1_CMD : PIC2_CMD;
    outb(cmd, PIC_READ_ISR);
    return inb(cmd) & (1 << (line % 8));
}

/* Count the interrupt and end it at the PICs; false for a spurious one. */
static bool acknowledge(unsigned line)
{
    if ((line == 7 || line == 15) && !in_service(line)) {
        if (line == 15)
            outb(PIC1_CMD, PIC_EOI); /* the master did see the cascade */
        return false;
    }
    counts[line]++;
    if (line >= 8)
        outb(PIC2_CMD, PIC_EOI);
    outb(PIC1_CMD, PIC_EOI);
    return true;
}

void irq_defer(unsigned line)
{
    if (acknowledge(line)) {
        deferred[line]++;
        deferred_total++;
    }
}

/* A handler may make a BIOS call, which runs with interrupts on: a trap
 * from it comes back here while the handler runs. That one only leaves
 * its interrupt to this pass, which goes on until none is left. */
void irq_run_deferred(void)
{
    if (!deferred_total || running || cpu_this()->index != 0) /* the boot CPU's alone */
        return;
    running = true;
    while (deferred_total) {
        deferred_total = 0;
        for (unsigned line = 0; line < IRQ_LINES; line++) {
            while (deferred[line]) {
                deferred[line]--; /* before the handler, whatever it does */
                if (handlers[line])
                    handlers[line]();
            }
        }
    }
    running = false;
}

void irq_recover(void)
{
    if (cpu_this()->index == 0) /* the pass that panicked was this CPU's */
        running = false;
}

uint16_t irq_only(unsigned line)
{
    uint16_t had = (uint16_t)(inb(PIC1_DATA) | inb(PIC2_DATA) << 8);
    uint16_t keep = (uint16_t)~(1u << line) & (uint16_t)~(1u << PIC_CASCADE_LINE);
    outb(PIC1_DATA, (uint8_t)(had | keep));
    outb(PIC2_DATA, (uint8_t)((had | keep) >> 8));
    return had;
}

void irq_restore_masks(uint16_t masks)
{
    outb(PIC1_DATA, (uint8_t)masks);
    outb(PIC2_DATA, (uint8_t)(masks >> 8));
}

uint32_t irq_count(unsigned line)
{
    return line < IRQ_LINES ? counts[line] : 0;
}
