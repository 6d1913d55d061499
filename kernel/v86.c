/*
 * The virtual-8086 monitor (v86.h). A call sets the stage (low memory
 * mapped, video ports open, only the timer's interrupt line unmasked, a
 * stack of the monitor's own for traps), enters virtual-8086 mode by IRET
 * and comes back here by klongjmp from the trap that ends it: the HLT at
 * the sentinel the call returns to, a fault, or the watchdog.
 */
#include "v86.h"

#include "cpu.h"
#include "drivers/pci.h"
#include "drivers/timer.h"
#include "irq.h"
#include "kernel.h"
#include "ksetjmp.h"
#include "latency.h"
#include "mm/mm.h"
#include "trap.h"

#define SENTINEL_OFFSET 0x0000u /* a HLT: calls return here */
#define STACK_TOP 0x0FFEu
/* The word above a far call's return: code that pops one word too many
 * (the LGPL VGABIOS's window function does) returns by RETF to
 * STRAY_RETURN_SEGMENT:V86_SEGMENT, the sentinel's HLT again, but in
 * another segment, so the call ends with V86_PRIVILEGED instead of
 * running whatever that word would have pointed at. (For far calls only:
 * an INT's IRET after a stray pop still lands elsewhere, until a fault or
 * the watchdog ends the call.) */
#define STRAY_RETURN_SEGMENT (V86_SEGMENT - (V86_SEGMENT >> 4))
#define FLAGS_ARITHMETIC 0x0CD5u /* CF PF AF ZF SF DF OF: code may change these */
#define FLAGS_RESERVED 0x0002u
#define MAX_PREFIXES 14
#define DEBUG_PORT 0x402 /* SeaVGABIOS prints its debug lines here */
#define PCI_ADDRESS_PORT 0xCF8
#define PCI_DATA_PORT 0xCFC
#define PCI_ENABLE 0x80000000u

/* What v86_enter (v86_enter.asm) loads: the general registers, then the
 * frame IRET pops into virtual-8086 mode. */
struct v86_entry {
    uint32_t eax, ebx, ecx, edx, esi, edi, ebp;
    uint32_t eip, cs, eflags, esp, ss, es, ds, fs, gs;
};

__attribute__((noreturn)) void v86_enter(const struct v86_entry *entry);

static uint8_t monitor_stack[8192] __attribute__((aligned(16)));

/* The call running; its fields outlive the klongjmp that ends it. */
struct v86_call {
    bool active, vif;
    uint32_t cpu;          /* the CPU it runs on */
    enum v86_status status;
    struct v86_regs *regs;
    struct kjmp back;
    uint64_t deadline;     /* in timer ticks */
    uint64_t tsc_deadline; /* in TSC cycles, 0 before the TSC is measured */
    uint32_t caller_flags, caller_stack;
    uint16_t irq_masks;
    uint16_t refused_port; /* the first refused port, named after the call */
    bool refused_in;
    uint16_t refused_cs, refused_ip;
};

static struct v86_call call;
static bool kept_off;
static void (*claim_hook)(void);
/* The code's PCI configuration address (CF8), kept across calls as the
 * hardware would. */
static uint32_t pci_address;

void v86_keep_off(const char *why)
{
    kprintf("v86: no BIOS calls: %s\n", why);
    kept_off = true;
}

/* The bitmap checks every byte of an access: a 16-bit OUT to DISPI's data
 * port 1CF touches 1D0 too. PCI configuration stays shut in the bitmap
 * (CF9 beside CF8 resets the machine); the monitor reads it for the code
 * instead (pci_config_io). */
static const struct { uint16_t first, last; } open_ports[] = {
    { 0x80, 0x80 }, { 0x1CE, 0x1D0 }, { 0x3B0, 0x3DF },
};

void *v86_pointer(uint16_t segment, uint16_t offset)
{
    return phys_to_virt(((uint32_t)segment * 16 + offset) & (BIOS_MEMORY_END - 1));
}

static void open_video_ports(bool open)
{
    for (uint32_t i = 0; i < ARRAY_SIZE(open_ports); i++)
        cpu_io_permit(open_ports[i].first, open_ports[i].last, open);
}

__attribute__((noreturn)) static void finish(struct v86_frame *f, enum v86_status status);

/* The kernel's view of the byte at segment:offset that the code's
 * instruction or stack uses, or the call ends as a fault: past the
 * segment's 64 KiB (the CPU did not wrap either), or in the legacy video
 * memory, which the kernel reaches only through the port's mappings. */
static uint8_t *reach(struct v86_frame *f, uint32_t segment, uint32_t offset)
{
    uint32_t linear = ((segment & 0xFFFF) * 16 + offset) & (BIOS_MEMORY_END - 1);
    if (offset > 0xFFFF || (linear >= LEGACY_VIDEO_BASE && linear < LEGACY_VIDEO_END))
        finish(f, V86_FAULT);
    return phys_to_virt(linear);
}

/* ----------------------------------------------------------- the stack */

static uint8_t *stack_byte(struct v86_frame *f, uint16_t sp)
{
    return reach(f, f->t.ss, sp);
}

static void push(struct v86_frame *f, uint32_t value, bool wide)
{
    uint16_t sp = (uint16_t)(f->t.esp - (wide ? 4 : 2));
    for (uint32_t i = 0; i < (wide ? 4u : 2u); i++)
        *stack_byte(f, (uint16_t)(sp + i)) = (uint8_t)(value >> (8 * i));
    f->t.esp = (f->t.esp & 0xFFFF0000u) | sp;
}

static uint32_t pop(struct v86_frame *f, bool wide)
{
    uint16_t sp = (uint16_t)f->t.esp;
    uint32_t value = 0;
    for (uint32_t i = 0; i < (wide ? 4u : 2u); i++)
        value |= (uint32_t)*stack_byte(f, (uint16_t)(sp + i)) << (8 * i);
    f->t.esp = (f->t.esp & 0xFFFF0000u) | (uint16_t)(sp + (wide ? 4 : 2));
    return value;
}

/* ------------------------------------------------------------ the flags */

/* The flags as the code sees them: its own IF, no VM or IOPL. */
static uint32_t virtual_flags(const struct v86_frame *f)
{
    uint32_t flags = (f->t.eflags & FLAGS_ARITHMETIC) | FLAGS_RESERVED;
    return call.vif ? flags | EFLAGS_IF : flags;
}

/* Take the code's flags: the arithmetic ones and IF (virtually); the real
 * IF, VM and IOPL stay the monitor's. */
static void set_virtual_flags(struct v86_frame *f, uint32_t flags)
{
    f->t.eflags = (f->t.eflags & ~FLAGS_ARITHMETIC) | (flags & FLAGS_ARITHMETIC);
    call.vif = flags & EFLAGS_IF;
}

/* ------------------------------------------------------------ the end */

/* End the call with `status`: its registers out, back to the caller. */
__attribute__((noreturn)) static void finish(struct v86_frame *f, enum v86_status status)
{
    struct v86_regs *r = call.regs;
    *r = (struct v86_regs){ .eax = f->t.eax, .ebx = f->t.ebx, .ecx = f->t.ecx, .edx = f->t.edx,
                            .esi = f->t.esi, .edi = f->t.edi, .ebp = f->t.ebp,
                            .ds = (uint16_t)f->ds, .es = (uint16_t)f->es,
                            .eflags = virtual_flags(f) };
    call.status = status;
    klongjmp(&call.back, 1);
}

/* ----------------------------------------------------- instructions */

/* Reflect INT vector to the code: as the 8086 did, through its table. */
static void reflect(struct v86_frame *f, uint8_t vector)
{
    if (vector == 0x15 && ((f->t.eax >> 8) & 0xFF) == 0x87)
        finish(f, V86_UNSUPPORTED); /* block move: protected mode, not ours to give */
    const uint16_t *ivt = v86_pointer(0, (uint16_t)(vector * 4));
    push(f, virtual_flags(f), false);
    push(f, f->t.cs, false);
    push(f, f->t.eip, false);
    call.vif = false;
    f->t.eip = ivt[0];
    f->t.cs = ivt[1];
}

static void interrupt_return(struct v86_frame *f, bool wide)
{
    f->t.eip = pop(f, wide) & 0xFFFF;
    f->t.cs = pop(f, wide) & 0xFFFF;
    set_virtual_flags(f, pop(f, wide));
}

/* PCI configuration mechanism #1 for the code, read-only: a dword written
 * to CF8 picks a register and stays with the monitor (a narrower write
 * would reach CF9, the reset control), reads at CFC-CFF fetch it through
 * the kernel's PCI driver. The LGPL VGABIOS reads its BAR there on every
 * mode query. Writes to configuration space are refused (false). */
static bool pci_config_io(struct v86_frame *f, bool in, uint16_t port, uint32_t mask)
{
    if (port == PCI_ADDRESS_PORT && mask == 0xFFFFFFFFu) {
        if (in)
            f->t.eax = pci_address;
        else
            pci_address = f->t.eax;
        return true;
    }
    uint32_t offset = (uint32_t)port - PCI_DATA_PORT;
    if (!in || port < PCI_DATA_PORT || offset > 3 || (mask << (8 * offset)) >> (8 * offset) != mask)
        return false;
    uint32_t value = 0xFFFFFFFFu;
    if (pci_address & PCI_ENABLE) {
        struct pci_location at = { (uint8_t)(pci_address >> 16), (pci_address >> 11) & 0x1F,
                                   (pci_address >> 8) & 0x07 };
        value = pci_read32(at, (uint8_t)(pci_address & 0xFC)) >> (8 * offset);
    }
    f->t.eax = (f->t.eax & ~mask) | (value & mask);
    return true;
}

/* IN or OUT on a port the bitmap shut: PCI configuration reads are
 * served; on any other port reads give all ones and writes go nowhere.
 * The first such port (but SeaVGABIOS's debug port) is named on the
 * console when the call has ended: printing now could draw on a banked
 * screen, whose bank switch may be a BIOS call itself. */
static void trapped_io(struct v86_frame *f, uint8_t opcode, uint16_t port, bool wide)
{
    bool in = (opcode & 0x02) == 0, byte = (opcode & 0x01) == 0;
    uint32_t mask = byte ? 0xFFu : wide ? 0xFFFFFFFFu : 0xFFFFu;
    if (pci_config_io(f, in, port, mask))
        return;
    if (in)
        f->t.eax |= mask;
    if (port != DEBUG_PORT && !call.refused_port) {
        call.refused_port = port;
        call.refused_in = in;
        call.refused_cs = (uint16_t)f->t.cs;
        call.refused_ip = (uint16_t)f->t.eip;
    }
}

/* Byte i of the instruction at CS:IP. */
static uint8_t code_byte(struct v86_frame *f, uint32_t i)
{
    return *reach(f, f->t.cs, (f->t.eip & 0xFFFF) + i);
}

/* Emulate the instruction at CS:IP that trapped (#GP), or end the call. */
static void emulate(struct v86_frame *f)
{
    bool wide = false;
    uint32_t n = 0;
    for (; n < MAX_PREFIXES; n++) {
        uint8_t b = code_byte(f, n);
        if (b == 0x66)
            wide = true;
        else if (b != 0x67 && b != 0x26 && b != 0x2E && b != 0x36 && b != 0x3E && b != 0x64 &&
                 b != 0x65 && b != 0xF2 && b != 0xF3)
            break;
    }
    uint8_t op = code_byte(f, n);
    uint32_t next = (f->t.eip + n + 1) & 0xFFFF;
    switch (op) {
    case 0xFA: call.vif = false; break;                              /* CLI */
    case 0xFB: call.vif = true; break;                               /* STI */
    case 0x9C: push(f, virtual_flags(f), wide); break;               /* PUSHF */
    case 0x9D: set_virtual_flags(f, pop(f, wide)); break;            /* POPF */
    case 0xCD: {                                                     /* INT n */
        uint8_t vector = code_byte(f, n + 1);
        f->t.eip = (next + 1) & 0xFFFF;
        reflect(f, vector);
        return;
    }
    case 0xCF: interrupt_return(f, wide); return;                    /* IRET */
    case 0xE4: case 0xE5: case 0xE6: case 0xE7:                      /* IN/OUT imm8 */
        trapped_io(f, op, code_byte(f, n + 1), wide);
        next = (next + 1) & 0xFFFF;
        break;
    case 0xEC: case 0xED: case 0xEE: case 0xEF:                      /* IN/OUT DX */
        trapped_io(f, op, (uint16_t)f->t.edx, wide);
        break;
    case 0x6C: case 0x6D: case 0x6E: case 0x6F: finish(f, V86_STRING_IO);
    case 0xF4:                                                       /* HLT */
        finish(f, f->t.cs == V86_SEGMENT && f->t.eip == SENTINEL_OFFSET ? V86_OK
                                                                         : V86_PRIVILEGED);
    case 0x0F: finish(f, V86_PRIVILEGED); /* control registers, descriptor tables */
    default: finish(f, V86_FAULT);        /* an address past its segment's 64 KiB */
    }
    f->t.eip = next;
}

/* The PIT's ticks reach the boot CPU alone, which may be waiting with
 * interrupts off for the lock this call holds: so the watchdog also
 * counts TSC cycles, four times as many as it waits (where ticks come,
 * they end it first, however late a busy host delivers them; the other
 * CPUs' local timers still trap in here). */
static bool watchdog_expired(void)
{
    return timer_ticks() >= call.deadline || (call.tsc_deadline && rdtsc() >= call.tsc_deadline);
}

void v86_trap(struct v86_frame *f)
{
    uint32_t vector = f->t.vector;
    bool interrupt = (vector >= TRAP_IRQ_BASE && vector < TRAP_IRQ_BASE + IRQ_LINES) ||
                     vector == TRAP_APIC_TIMER || vector == TRAP_RESCHEDULE;
    if (vector == TRAP_GENERAL_PROTECTION)
        emulate(f);
    else if (!interrupt) /* an interrupt is handled already */
        finish(f, V86_FAULT);
    if (watchdog_expired())
        finish(f, V86_TIMEOUT);
}

/* ------------------------------------------------------------ a call */

static void set_stage(void)
{
    call.irq_masks = irq_only(IRQ_TIMER);
    open_video_ports(true);
    paging_bios_memory(true);
    call.caller_stack = cpu_kernel_stack();
    cpu_set_kernel_stack((uint32_t)(monitor_stack + sizeof(monitor_stack)));
}

static void clear_stage(void)
{
    cpu_set_kernel_stack(call.caller_stack);
    paging_bios_memory(false);
    open_video_ports(false);
    irq_restore_masks(call.irq_masks);
    call.active = false;
}

/* Give the caller back its interrupt flag (kept off from the call's start,
 * so that no interrupt handler can start a call of its own meanwhile). */
static void restore_caller_flags(uint32_t flags)
{
    if (flags & EFLAGS_IF)
        latency_irqs_on();
    irq_restore(flags);
}

void v86_set_claim_hook(void (*hook)(void))
{
    claim_hook = hook;
}

void v86_recover(void)
{
    if (call.active && call.cpu == cpu_this()->index)
        clear_stage(); /* a call on another CPU gives its own stage back */
}

/* Run from segment:offset with regs, the code's stack holding its return
 * (as pushed by the caller) to the sentinel; vif: IF as the code starts. */
static enum v86_status run(uint16_t segment, uint16_t offset, struct v86_regs *regs, bool as_int)
{
    uint32_t flags = irq_save();
    if (call.active || kept_off) {
        restore_caller_flags(flags);
        return kept_off ? V86_UNAVAILABLE : V86_BUSY;
    }
    *(uint8_t *)v86_pointer(V86_SEGMENT, SENTINEL_OFFSET) = 0xF4;
    static struct v86_entry entry;
    entry = (struct v86_entry){ .eax = regs->eax, .ebx = regs->ebx, .ecx = regs->ecx,
                                .edx = regs->edx, .esi = regs->esi, .edi = regs->edi,
                                .ebp = regs->ebp, .eip = offset, .cs = segment,
                                .eflags = EFLAGS_VM | EFLAGS_IF | FLAGS_RESERVED,
                                .esp = STACK_TOP, .ss = V86_SEGMENT, .es = regs->es,
                                .ds = regs->ds };
    entry.esp -= as_int ? 6 : 4; /* the return to the sentinel: IP, CS and for IRET flags */
    uint16_t *frame = v86_pointer(V86_SEGMENT, (uint16_t)entry.esp);
    frame[0] = SENTINEL_OFFSET;
    frame[1] = V86_SEGMENT;
    if (as_int)
        frame[2] = FLAGS_RESERVED; /* IF clear, as the INT found it */
    *(uint16_t *)v86_pointer(V86_SEGMENT, STACK_TOP) = STRAY_RETURN_SEGMENT;
    if (claim_hook) /* a test's interrupt falling due before the claim */
        claim_hook();
    call = (struct v86_call){ .active = true, .cpu = cpu_this()->index, .regs = regs,
                              .caller_flags = flags };
    call.deadline = timer_ticks() + (V86_WATCHDOG_MS * TIMER_HZ + 999) / 1000 + 1;
    uint32_t per_ms = latency_tsc_per_ms();
    call.tsc_deadline = per_ms ? rdtsc() + 4ull * V86_WATCHDOG_MS * per_ms : 0;
    set_stage();
    if (ksetjmp(&call.back) == 0) {
        latency_irqs_on(); /* interrupts are on in virtual-8086 mode */
        v86_enter(&entry);
    }
    clear_stage();
    restore_caller_flags(call.caller_flags);
    if (call.refused_port)
        kprintf("v86: port 0x%x refused (%s at %04x:%04x)\n", call.refused_port,
                call.refused_in ? "in" : "out", call.refused_cs, call.refused_ip);
    return call.status;
}

enum v86_status v86_int(uint8_t vector, struct v86_regs *regs)
{
    const uint16_t *ivt = v86_pointer(0, (uint16_t)(vector * 4));
    return run(ivt[1], ivt[0], regs, true);
}

enum v86_status v86_far_call(uint16_t segment, uint16_t offset, struct v86_regs *regs)
{
    return run(segment, offset, regs, false);
}

bool v86_video_bios_present(void)
{
    const uint8_t *rom = v86_pointer(0xC000, 0);
    const uint16_t *ivt = v86_pointer(0, 0);
    return rom[0] == 0x55 && rom[1] == 0xAA && ivt[0x10 * 2 + 1] == 0xC000;
}

const char *v86_status_name(enum v86_status status)
{
    static const char *const names[] = { "ok", "busy", "the watchdog ended it",
                                          "a privileged instruction", "a fault",
                                          "an unsupported service", "string I/O on a refused port",
                                          "its low memory holds boot data" };
    return (unsigned)status < ARRAY_SIZE(names) ? names[status] : "unknown";
}
