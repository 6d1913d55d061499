/*
 * Kernel panics: what went wrong, the registers, the call chain, then halt.
 * Inside the self-test, a panic fails the running test instead (ktest.h);
 * outside any test the self-test boot exits QEMU with a failure status so
 * the harness never waits on a dead kernel.
 */
#include "panic.h"

#include "drivers/emulator.h"
#include "mm/mm.h"
#include "cmdline.h"
#include "cpu.h"
#include "format.h"
#include "irq.h"
#include "ksyms.h"
#include "ktest.h"
#include "smp.h"
#include "v86.h"

#define BACKTRACE_MAX_FRAMES 16

static volatile uint32_t panicking; /* the panicking CPU's index + 1; 0: none */
static uint32_t others_stopped;     /* how many other CPUs the panic stopped */

/* One backtrace line; `tag` is the frame number, or "?" for a guess. */
static void print_location(const char *tag, uint32_t addr)
{
    uint32_t offset;
    const char *name = ksym_lookup(addr, &offset);
    if (name)
        kprintf("  %-3s %08x  %s+0x%x\n", tag, addr, name, offset);
    else
        kprintf("  %-3s %08x  ?\n", tag, addr);
}

static void print_frame(int index, uint32_t addr)
{
    char tag[8];
    ksnprintf(tag, sizeof(tag), "#%d", index);
    print_location(tag, addr);
}

/* A frame pointer we may follow: aligned and inside the kernel's direct map. */
static bool plausible_frame(uint32_t ebp)
{
    return (ebp & 3) == 0 && ebp >= KERNEL_VMA && ebp < DIRECT_MAP_END - 8;
}

/* Frames #1.. from the frame-pointer chain starting at ebp. */
static void walk_frames(uint32_t ebp)
{
    for (int i = 1; i < BACKTRACE_MAX_FRAMES && plausible_frame(ebp); i++) {
        const uint32_t *frame = (const uint32_t *)ebp;
        uint32_t return_address = frame[1];
        if (!return_address)
            break;
        /* The call instruction is just before the return address. */
        print_frame(i, return_address - 1);
        if (frame[0] <= ebp)
            break;
        ebp = frame[0];
    }
}

void backtrace_print(uint32_t eip, uint32_t ebp)
{
    kprintf("backtrace:\n");
    print_frame(0, eip);
    walk_frames(ebp);
}

/*
 * A leaf function may run without a frame of its own, and then the frame
 * chain skips its caller. If the top of the stack holds a code address, it
 * is probably that caller's return address: show it, marked as a guess.
 */
static void print_stack_top_guess(const struct trap_frame *f)
{
    uint32_t esp = trap_stack_pointer(f);
    uint32_t offset;
    if (!plausible_frame(esp))
        return;
    uint32_t word = *(const uint32_t *)esp;
    if (ksym_lookup(word - 1, &offset))
        print_location("?", word - 1);
}

static void print_control_registers(void)
{
    kprintf("  cr0=%08x cr2=%08x cr3=%08x cr4=%08x\n",
            read_cr0(), read_cr2(), read_cr3(), read_cr4());
}

static void print_registers(const struct trap_frame *f)
{
    kprintf("  eax=%08x ebx=%08x ecx=%08x edx=%08x\n", f->eax, f->ebx, f->ecx, f->edx);
    kprintf("  esi=%08x edi=%08x ebp=%08x esp=%08x\n", f->esi, f->edi, f->ebp,
            trap_stack_pointer(f));
    kprintf("  eip=%08x eflags=%08x cs=%04x ds=%04x es=%04x ss=%04x\n", f->eip, f->eflags,
            f->cs & 0xFFFF, f->ds & 0xFFFF, f->es & 0xFFFF,
            (f->cs & 3) ? f->ss & 0xFFFF : GDT_KERNEL_DATA);
    print_control_registers();
}

/* Common ending: hand over to a running test, else stop for good. */
static NORETURN void panic_finish(void)
{
    v86_recover();
    irq_recover();
    if (ktest_case_running()) {
        __atomic_store_n(&panicking, 0, __ATOMIC_RELEASE); /* the test goes on */
        ktest_abort_current();
    }
    if (kernel_flag("selftest"))
        emulator_exit(false);
    kprintf("system halted\n");
    cpu_stop();
}

/* Enter panic, stopping the other CPUs unless a test will go on: one CPU
 * prints. A panic while panicking stops at once rather than recurse; one
 * while another CPU panics stops this CPU as that one asks. */
static void panic_enter(void)
{
    irq_disable();
    uint32_t self = cpu_this()->index + 1, holder = 0;
    if (!__atomic_compare_exchange_n(&panicking, &holder, self, false, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE)) {
        if (holder != self)
            smp_stop_this_cpu();
        kprintf("\nPANIC while panicking; halting\n");
        cpu_stop();
    }
    others_stopped = ktest_case_running() ? 0 : smp_stop_others();
}

/* Which CPU panicked, and whether the others stopped (they must, or they
 * would go on printing and changing what the dump shows). */
static void print_cpu(void)
{
    uint32_t others = smp_online() - 1;
    if (!others)
        return;
    kprintf("  on CPU %u; %u of the %u other CPUs stopped\n", cpu_this()->index, others_stopped,
            others);
}

void panic(const char *fmt, ...)
{
    panic_enter();
    va_list ap;
    va_start(ap, fmt);
    kprintf("\nPANIC: ");
    kvprintf(fmt, ap);
    kprintf("\n");
    va_end(ap);
    print_cpu();
    print_control_registers();
    /* Start at our caller: its call site and its saved frame pointer. */
    const uint32_t *own_frame = __builtin_frame_address(0);
    backtrace_print((uint32_t)__builtin_return_address(0) - 1, own_frame[0]);
    panic_finish();
}

void panic_trap(const struct trap_frame *f)
{
    panic_enter();
    kprintf("\nPANIC: kernel exception %u %s, error code 0x%x\n", f->vector,
            trap_name(f->vector), f->error);
    if (f->vector == TRAP_PAGE_FAULT)
        kprintf("  faulting address (cr2) %08x\n", read_cr2());
    print_cpu();
    print_registers(f);
    kprintf("backtrace:\n");
    print_frame(0, f->eip);
    print_stack_top_guess(f);
    walk_frames(f->ebp);
    panic_finish();
}
