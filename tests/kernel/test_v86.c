/*
 * The virtual-8086 monitor's suite: small real-mode routines placed in
 * the monitor's buffer (or hooked into unused interrupt vectors, put back
 * after), each checked for what it leaves in the registers and how its
 * call ends; after every failure the kernel must carry on, and the next
 * call must work. The video BIOS's own INT 10h 4F00 is called where there
 * is a video BIOS. Two suites run only on request, each in a boot of its
 * own: v86crash panics in the middle of a call, v86low runs where the boot
 * left its archive in the monitor's memory.
 */
#include "boot/bootinfo.h"
#include "drivers/pci.h"
#include "drivers/timer.h"
#include "kernel/biglock.h"
#include "kernel/cpu.h"
#include "kernel/irq.h"
#include "kernel/kstring.h"
#include "kernel/ktest.h"
#include "kernel/latency.h"
#include "kernel/proc.h"
#include "kernel/smp.h"
#include "kernel/v86.h"
#include "mm/mm.h"

#define CODE V86_BUFFER_OFFSET
#define HOOK_A 0x61 /* interrupt vectors no BIOS uses */
#define HOOK_B 0x62
#define QUIET_LINE 5 /* an interrupt line no device of the machine raises */

/* Place code at the buffer's offset `at` (from its start) and far-call it. */
static enum v86_status run_code(const uint8_t *code, size_t len, uint16_t at, struct v86_regs *r)
{
    memcpy(v86_pointer(V86_SEGMENT, (uint16_t)(CODE + at)), code, len);
    return v86_far_call(V86_SEGMENT, (uint16_t)(CODE + at), r);
}

#define RUN(code, regs) run_code((code), sizeof(code), 0, (regs))

/* After whatever went before, a call still works and interrupts still tick. */
static void still_works(struct ktest *t)
{
    static const uint8_t add[] = { 0x89, 0xD8, 0x01, 0xC8, 0xCB }; /* mov ax,bx; add ax,cx; retf */
    struct v86_regs r = { .ebx = 40, .ecx = 2 };
    KT_EXPECT_EQ(t, RUN(add, &r), V86_OK);
    KT_EXPECT_EQ(t, r.eax & 0xFFFF, 42);
    KT_EXPECT(t, read_eflags() & EFLAGS_IF);
}

static void registers_go_in_and_come_out(struct ktest *t)
{
    /* mov ax,bx; add ax,cx; mov dx,1234h; mov si,ds; mov di,es; retf */
    static const uint8_t code[] = { 0x89, 0xD8, 0x01, 0xC8, 0xBA, 0x34, 0x12,
                                    0x8C, 0xDE, 0x8C, 0xC7, 0xCB };
    struct v86_regs r = { .ebx = 0x1000, .ecx = 0x0234, .ds = 0x1234, .es = 0x5678 };
    KT_EXPECT_EQ(t, RUN(code, &r), V86_OK);
    KT_EXPECT_EQ(t, r.eax & 0xFFFF, 0x1234);
    KT_EXPECT_EQ(t, r.edx & 0xFFFF, 0x1234);
    KT_EXPECT_EQ(t, r.esi & 0xFFFF, 0x1234);
    KT_EXPECT_EQ(t, r.edi & 0xFFFF, 0x5678);
    KT_EXPECT_EQ(t, r.ds, 0x1234);
    still_works(t);
}

/* CLI/STI/PUSHF/POPF act on a virtual IF the code can see; the real one
 * stays on (the timer ticks through a call that spins after CLI). */
static void interrupt_flag_is_virtual(struct ktest *t)
{
    /* cli; pushf; pop ax; sti; pushf; pop bx; push 0; popf; pushf; pop cx; retf */
    static const uint8_t code[] = { 0xFA, 0x9C, 0x58, 0xFB, 0x9C, 0x5B, 0x6A, 0x00,
                                    0x9D, 0x9C, 0x59, 0xCB };
    struct v86_regs r = { 0 };
    KT_EXPECT_EQ(t, RUN(code, &r), V86_OK);
    KT_EXPECT_EQ(t, r.eax & EFLAGS_IF, 0);
    KT_EXPECT_EQ(t, r.ebx & EFLAGS_IF, EFLAGS_IF);
    KT_EXPECT_EQ(t, r.ecx & EFLAGS_IF, 0);
    KT_EXPECT_EQ(t, r.ebx & (3u << 12), 0); /* the code sees IOPL 0 and no VM */
    KT_EXPECT_EQ(t, r.eflags & EFLAGS_IF, 0);
    still_works(t);
}

/* An INT from the code goes through the real-mode table, and the handler's
 * own INT nests: HOOK_A's handler calls HOOK_B's, then adds one. */
static void nested_int_goes_through_the_table(struct ktest *t)
{
    static const uint8_t b[] = { 0xB8, 0x00, 0x01, 0xCF };       /* mov ax,100h; iret */
    static const uint8_t a[] = { 0xCD, HOOK_B, 0x40, 0xCF };     /* int HOOK_B; inc ax; iret */
    static const uint8_t caller[] = { 0xCD, HOOK_A, 0x43, 0xCB }; /* int HOOK_A; inc bx; retf */
    uint16_t *ivt = v86_pointer(0, 0);
    uint16_t saved[4];
    memcpy(saved, &ivt[HOOK_A * 2], sizeof(saved));
    memcpy(v86_pointer(V86_SEGMENT, CODE + 0x100), a, sizeof(a));
    memcpy(v86_pointer(V86_SEGMENT, CODE + 0x200), b, sizeof(b));
    uint16_t hooks[4] = { CODE + 0x100, V86_SEGMENT, CODE + 0x200, V86_SEGMENT };
    memcpy(&ivt[HOOK_A * 2], hooks, sizeof(hooks));
    struct v86_regs r = { .ebx = 7 };
    KT_EXPECT_EQ(t, RUN(caller, &r), V86_OK);
    KT_EXPECT_EQ(t, r.eax & 0xFFFF, 0x101);
    KT_EXPECT_EQ(t, r.ebx & 0xFFFF, 8);
    r = (struct v86_regs){ 0 };
    KT_EXPECT_EQ(t, v86_int(HOOK_A, &r), V86_OK); /* as the kernel issues one */
    KT_EXPECT_EQ(t, r.eax & 0xFFFF, 0x101);
    memcpy(&ivt[HOOK_A * 2], saved, sizeof(saved));
    still_works(t);
}

/* A refused port reads all ones and takes no write (the PIC's mask stays
 * as it was); an open one (VGA's miscellaneous output) reads what it holds. */
static void refused_ports_go_nowhere(struct ktest *t)
{
    /* in al,70h; mov bl,al; mov al,0; out 21h,al; mov dx,3CCh; in al,dx; retf */
    static const uint8_t code[] = { 0xE4, 0x70, 0x88, 0xC3, 0xB0, 0x00, 0xE6, 0x21,
                                    0xBA, 0xCC, 0x03, 0xEC, 0xCB };
    uint8_t mask = inb(0x21), misc = inb(0x3CC);
    struct v86_regs r = { 0 };
    KT_EXPECT_EQ(t, RUN(code, &r), V86_OK);
    KT_EXPECT_EQ(t, r.ebx & 0xFF, 0xFF);
    KT_EXPECT_EQ(t, r.eax & 0xFF, misc);
    KT_EXPECT_EQ(t, inb(0x21), mask);
    static const uint8_t string_io[] = { 0xBA, 0x70, 0x00, 0x6C, 0xCB }; /* mov dx,70h; insb */
    KT_EXPECT_EQ(t, RUN(string_io, &r), V86_STRING_IO);
    still_works(t);
}

/* PCI configuration reads as the kernel reads it (the LGPL VGABIOS finds
 * its BAR so), a byte at CFD too; a write to the display's command
 * register and a byte to CF9 (reset control: the machine would restart)
 * go nowhere, and a word at CFF, past the data port, reads all ones. */
static void pci_configuration_is_read_only(struct ktest *t)
{
    static const uint8_t code[] = {
        0x66, 0x89, 0xD8, 0xBA, 0xF8, 0x0C, 0x66, 0xEF, /* mov eax,ebx; mov dx,CF8h; out dx,eax */
        0x66, 0xED, 0x66, 0x89, 0xC7,                   /* in eax,dx; mov edi,eax */
        0xB2, 0xFC, 0x66, 0xED, 0x66, 0x89, 0xC1,       /* mov dl,FCh; in eax,dx; mov ecx,eax */
        0xB2, 0xFE, 0xED, 0x89, 0xC6,                   /* mov dl,FEh; in ax,dx; mov si,ax */
        0x66, 0x89, 0xD8, 0x0C, 0x04, 0xB2, 0xF8, 0x66, 0xEF, /* the command register */
        0x66, 0x31, 0xC0, 0xB2, 0xFC, 0x66, 0xEF,       /* xor eax,eax; mov dl,FCh; out dx,eax */
        0xB2, 0xF9, 0xB0, 0x06, 0xEE,                   /* mov dl,F9h; mov al,6; out dx,al */
        0xB2, 0xFD, 0xEC, 0x0F, 0xB6, 0xE8,             /* mov dl,FDh; in al,dx; movzx bp,al */
        0xB2, 0xFF, 0xED, 0xCB,                         /* mov dl,FFh; in ax,dx (past CFF); retf */
    };
    struct pci_location at;
    if (!pci_find_class(0x03, &at)) {
        ktest_skip(t, "no PCI display device");
        return;
    }
    uint32_t address = 0x80000000u | (uint32_t)at.bus << 16 | (uint32_t)at.device << 11 |
                       (uint32_t)at.function << 8;
    uint32_t id = pci_read32(at, 0), command = pci_read32(at, 4);
    struct v86_regs r = { .ebx = address };
    KT_EXPECT_EQ(t, RUN(code, &r), V86_OK);
    KT_EXPECT_EQ(t, r.edi, address);
    KT_EXPECT_EQ(t, r.ecx, id);
    KT_EXPECT_EQ(t, r.esi & 0xFFFF, id >> 16);
    KT_EXPECT_EQ(t, pci_read32(at, 4), command);
    KT_EXPECT_EQ(t, r.ebp & 0xFF, (command >> 8) & 0xFF); /* a byte of the command register */
    KT_EXPECT_EQ(t, r.eax & 0xFFFF, 0xFFFF);              /* a word at CFF is refused */
    still_works(t);
}

/* Code that pops a word more than it pushed before its RETF (the LGPL
 * VGABIOS's window function does) returns to the sentinel in another
 * segment and ends as V86_PRIVILEGED, whatever the stack held above the
 * call's return (poisoned here with a jump into the interrupt table). */
static void stray_pop_ends_at_the_sentinel(struct ktest *t)
{
    static const uint8_t code[] = { 0x58, 0xCB }; /* pop ax; retf */
    *(uint16_t *)v86_pointer(V86_SEGMENT, 0x0FFE) = 0x0000;
    struct v86_regs r = { 0 };
    KT_EXPECT_EQ(t, RUN(code, &r), V86_PRIVILEGED);
    still_works(t);
}

/* An endless loop, with the virtual IF off too, ends by the watchdog in
 * about V86_WATCHDOG_MS. */
static void endless_loop_meets_the_watchdog(struct ktest *t)
{
    static const uint8_t code[] = { 0xFA, 0xEB, 0xFE }; /* cli; jmp $ */
    struct v86_regs r = { 0 };
    uint64_t start = timer_ms();
    KT_EXPECT_EQ(t, RUN(code, &r), V86_TIMEOUT);
    uint64_t took = timer_ms() - start;
    ktest_log("the loop ended after %llu ms", took);
    KT_EXPECT(t, took >= V86_WATCHDOG_MS && took < 4 * V86_WATCHDOG_MS);
    still_works(t);
}

static void bad_instructions_end_the_call(struct ktest *t)
{
    static const uint8_t ud2[] = { 0x0F, 0x0B };
    static const uint8_t cr0[] = { 0x0F, 0x20, 0xC0 };  /* mov eax,cr0 */
    static const uint8_t hlt[] = { 0x90, 0xF4, 0xCB };  /* nop; hlt (not the sentinel) */
    static const uint8_t block_move[] = { 0xB4, 0x87, 0xCD, 0x15, 0xCB }; /* mov ah,87h; int 15h */
    static const uint8_t far_away[] = { 0x66, 0xBE, 0x00, 0x00, 0x00, 0x80, /* mov esi,80000000h */
                                        0x67, 0x8A, 0x06, 0xCB };            /* mov al,[esi] */
    struct v86_regs r = { 0 };
    KT_EXPECT_EQ(t, RUN(ud2, &r), V86_FAULT);
    KT_EXPECT_EQ(t, RUN(cr0, &r), V86_PRIVILEGED);
    KT_EXPECT_EQ(t, RUN(hlt, &r), V86_PRIVILEGED);
    KT_EXPECT_EQ(t, RUN(block_move, &r), V86_UNSUPPORTED);
    KT_EXPECT_EQ(t, RUN(far_away, &r), V86_FAULT);
    still_works(t);
}

/* Memory the monitor itself must not touch ends the call as a fault: a
 * stack in the legacy video memory (the kernel reaches it only through the
 * port's mappings), an instruction running past its segment's end (the
 * CPU does not wrap it). Once these panicked the kernel, or ran the
 * vector byte found past the segment. PCI configuration is shut (CF9
 * resets the machine). */
static void what_the_monitor_must_not_touch(struct ktest *t)
{
    /* mov ax,A000h; mov ss,ax; mov sp,100h; pushf; retf */
    static const uint8_t video_stack[] = { 0xB8, 0x00, 0xA0, 0x8E, 0xD0, 0xBC, 0x00, 0x01,
                                           0x9C, 0xCB };
    static const uint8_t reset[] = { 0xBA, 0xF9, 0x0C, 0xB0, 0x06, 0xEE, 0xCB }; /* out CF9h,6 */
    struct v86_regs r = { 0 };
    KT_EXPECT_EQ(t, RUN(video_stack, &r), V86_FAULT);
    *(uint8_t *)v86_pointer(V86_SEGMENT, 0xFFFF) = 0xCD; /* INT, its vector past the end */
    KT_EXPECT_EQ(t, v86_far_call(V86_SEGMENT, 0xFFFF, &r), V86_FAULT);
    KT_EXPECT_EQ(t, RUN(reset, &r), V86_OK); /* the machine goes on */
    still_works(t);
}

/* The video BIOS answers 4F00 with its controller block ("VESA"). */
static void video_bios_answers_4f00(struct ktest *t)
{
    if (!v86_video_bios_present())
        KT_SKIP(t, "no video BIOS in the first MiB (UEFI)");
    uint8_t *block = v86_pointer(V86_SEGMENT, CODE);
    memset(block, 0, 512);
    memcpy(block, "VBE2", 4);
    struct v86_regs r = { .eax = 0x4F00, .es = V86_SEGMENT, .edi = CODE };
    KT_EXPECT_EQ(t, v86_int(0x10, &r), V86_OK);
    KT_EXPECT_EQ(t, r.eax & 0xFFFF, 0x004F);
    KT_EXPECT_EQ(t, memcmp(block, "VESA", 4), 0);
    uint16_t version = (uint16_t)(block[4] | block[5] << 8);
    uint16_t memory_64k = (uint16_t)(block[0x12] | block[0x13] << 8);
    ktest_log("VBE version %x, %u KiB of video memory", version, memory_64k * 64u);
    KT_EXPECT(t, version >= 0x200 && memory_64k > 0);
    still_works(t);
}

/* ---------------------------------------------- a call from an interrupt */

#define PIC1_COMMAND 0x20
#define PIC1_DATA 0x21
#define PIC2_DATA 0xA1
#define PIC_READ_IRR 0x0A
#define PENDING_READS 100    /* the tick found waiting this often: it is not being taken */
#define WAIT_LIMIT 50000000u /* reads of the PIC before giving up on the tick */
#define OTHER_CODE (CODE + 0x100)

/* What the tick's own call met, and the interrupt flag where it fell due. */
static struct {
    volatile bool tried;
    enum v86_status status;
    struct v86_regs regs;
    bool window_if;
} meanwhile;

/* Whether the timer's interrupt waits at the PIC, not yet taken. */
static bool timer_interrupt_waits(void)
{
    outb(PIC1_COMMAND, PIC_READ_IRR);
    return inb(PIC1_COMMAND) & (1u << IRQ_TIMER);
}

/* The next tick's handler tries a call of its own, then ticks on as ever. */
static void call_from_the_tick(uint64_t ticks)
{
    timer_set_tick_hook(sched_tick);
    meanwhile.regs = (struct v86_regs){ .ebx = 0x5555 };
    meanwhile.status = v86_far_call(V86_SEGMENT, OTHER_CODE, &meanwhile.regs);
    meanwhile.tried = true;
    sched_tick(ticks);
}

/* Runs between a call's check that no call runs and its claim: a timer
 * tick falls due there, and its handler runs there if interrupts are on. */
static void tick_falls_due(void)
{
    v86_set_claim_hook(NULL);
    meanwhile.window_if = read_eflags() & EFLAGS_IF;
    timer_set_tick_hook(call_from_the_tick);
    uint32_t pending = 0;
    for (uint32_t i = 0; i < WAIT_LIMIT && !meanwhile.tried && pending < PENDING_READS; i++)
        pending += timer_interrupt_waits();
}

/* An interrupt handler that starts a call while another is being set up
 * gets V86_BUSY, and the call being set up runs its own code with its own
 * registers: interrupts are off from a call's start. Were they on there,
 * the handler's call would run in the gap, over the entry the other call
 * had built, and the other call would then run the handler's code. */
static void an_interrupt_meanwhile_finds_the_monitor_busy(struct ktest *t)
{
    static const uint8_t other[] = { 0xB8, 0xEF, 0xBE, 0xCB };     /* mov ax,BEEFh; retf */
    static const uint8_t add[] = { 0x89, 0xD8, 0x01, 0xC8, 0xCB }; /* mov ax,bx; add ax,cx; retf */
    memcpy(v86_pointer(V86_SEGMENT, OTHER_CODE), other, sizeof(other));
    meanwhile.tried = false;
    v86_set_claim_hook(tick_falls_due);
    struct v86_regs r = { .ebx = 40, .ecx = 2 };
    KT_EXPECT_EQ(t, RUN(add, &r), V86_OK);
    KT_EXPECT_EQ(t, r.eax & 0xFFFF, 42);
    KT_EXPECT_EQ(t, meanwhile.window_if, false);
    KT_EXPECT(t, meanwhile.tried);
    KT_EXPECT_EQ(t, meanwhile.status, V86_BUSY);
    KT_EXPECT_EQ(t, meanwhile.regs.eax, 0); /* none of its code ran */
    still_works(t);
}

/* What a call takes and a panic in the middle of one must give back. */
struct stage {
    uint32_t kernel_stack;
    uint32_t low_entry; /* the page directory's entry for the lowest 4 MiB */
    uint16_t pic_masks;
    uint32_t open_ports; /* how many of monitor_ports code outside ring 0 may use */
};

/* Each end of the ports a call opens (v86.h). */
static const uint16_t monitor_ports[] = { 0x80, 0x1CE, 0x1D0, 0x3B0, 0x3DF };

static struct stage before_the_call, in_the_call;

static struct stage stage_now(void)
{
    const uint32_t *directory = phys_to_virt(read_cr3() & ~(PAGE_SIZE - 1));
    struct stage s = { cpu_kernel_stack(), directory[0],
                       (uint16_t)(inb(PIC1_DATA) | inb(PIC2_DATA) << 8), 0 };
    for (uint32_t i = 0; i < ARRAY_SIZE(monitor_ports); i++)
        s.open_ports += cpu_io_permitted(monitor_ports[i]);
    return s;
}

/* On CPU 1, once the test asks: an endless loop, ended by the watchdog. */
static volatile bool other_asked, other_claimed, other_done;
static volatile enum v86_status other_status;

static void note_the_claim(void)
{
    if (cpu_this()->index == 1)
        other_claimed = true;
}

static void loop_on_cpu_1(void)
{
    static const uint8_t loop[] = { 0xEB, 0xFE }; /* jmp $ */
    if (cpu_this()->index != 1 || !other_asked)
        return;
    other_asked = false;
    struct v86_regs r = { 0 };
    other_status = RUN(loop, &r);
    other_done = true;
}

/* Wait, the lock let go, until *flag or a few seconds. */
static bool wait_for(const volatile bool *flag)
{
    uint64_t end = rdtsc() + 4ull * 1000 * latency_tsc_per_ms();
    while (!*flag && rdtsc() < end)
        smp_spin_service(); /* interrupts may be off: answer what others ask */
    return *flag;
}

/* A panic's recovery gives back the stage of a call that runs on its own
 * CPU only: a call on another CPU keeps its stage (the interrupt lines it
 * masked) to its end, and this CPU its own kernel stack. */
static void recovery_leaves_another_cpus_call_alone(struct ktest *t)
{
    if (smp_online() == 1)
        KT_SKIP(t, "one CPU online");
    irq_restore_masks((uint16_t)((inb(PIC1_DATA) | inb(PIC2_DATA) << 8) & ~(1u << QUIET_LINE)));
    struct stage before = stage_now(); /* the call masks the quiet line */
    other_claimed = other_done = false;
    other_asked = true;
    v86_set_claim_hook(note_the_claim);
    sched_set_idle_hook(loop_on_cpu_1);
    irq_disable(); /* a tick here would wait for the lock the call holds */
    biglock_release();
    bool claimed = wait_for(&other_claimed);
    uint64_t settle = rdtsc() + 10ull * latency_tsc_per_ms(); /* the call is under way */
    while (rdtsc() < settle)
        cpu_relax();
    v86_recover();
    struct stage during = stage_now();
    irq_enable();
    bool done = wait_for(&other_done);
    biglock_acquire();
    sched_set_idle_hook(NULL);
    v86_set_claim_hook(NULL);
    KT_EXPECT(t, claimed && done);
    KT_EXPECT_EQ(t, other_status, V86_TIMEOUT);
    KT_EXPECT(t, during.pic_masks != before.pic_masks); /* the call's, still */
    KT_EXPECT_EQ(t, during.kernel_stack, before.kernel_stack);
    KT_EXPECT_EQ(t, stage_now().pic_masks, before.pic_masks); /* given back at its end */
    irq_restore_masks(before.pic_masks | 1u << QUIET_LINE);
    still_works(t);
}

KTEST_SUITE(v86_suite, "v86", false,
            KTEST_CASE(registers_go_in_and_come_out),
            KTEST_CASE(interrupt_flag_is_virtual),
            KTEST_CASE(nested_int_goes_through_the_table),
            KTEST_CASE(refused_ports_go_nowhere),
            KTEST_CASE(pci_configuration_is_read_only),
            KTEST_CASE(stray_pop_ends_at_the_sentinel),
            KTEST_CASE(endless_loop_meets_the_watchdog),
            KTEST_CASE(bad_instructions_end_the_call),
            KTEST_CASE(what_the_monitor_must_not_touch),
            KTEST_CASE(video_bios_answers_4f00),
            KTEST_CASE(an_interrupt_meanwhile_finds_the_monitor_busy),
            KTEST_CASE(recovery_leaves_another_cpus_call_alone));

/* ------------------------------------- a panic in a call (ktest=v86crash) */


/* A kernel bug in the middle of a call: the timer's handler, run from the
 * monitor's trap on the monitor's stack, hits an invalid opcode. */
static void __attribute__((noinline)) faulting_tick(uint64_t ticks)
{
    (void)ticks;
    timer_set_tick_hook(sched_tick);
    in_the_call = stage_now();
    __builtin_trap();
}

/* The panic fails this case (the harness expects it to) and the run goes
 * on. A quiet line is unmasked first, so that the call changes the masks. */
static void panic_in_a_call(struct ktest *t)
{
    static const uint8_t loop[] = { 0xEB, 0xFE }; /* jmp $ */
    irq_restore_masks((uint16_t)((inb(PIC1_DATA) | inb(PIC2_DATA) << 8) & ~(1u << QUIET_LINE)));
    before_the_call = stage_now();
    KT_EXPECT(t, true);
    irq_disable(); /* the first tick the hook sees comes inside the call */
    timer_set_tick_hook(faulting_tick);
    struct v86_regs r = { 0 };
    RUN(loop, &r);
    KT_EXPECT(t, false); /* not reached: the panic ends the test */
}

/* The call had its stage set when it panicked, and gave all of it back. */
static void the_panicked_call_gave_everything_back(struct ktest *t)
{
    struct stage now = stage_now();
    KT_EXPECT(t, in_the_call.kernel_stack != before_the_call.kernel_stack);
    KT_EXPECT(t, in_the_call.low_entry != before_the_call.low_entry);
    KT_EXPECT(t, in_the_call.pic_masks != before_the_call.pic_masks);
    KT_EXPECT_EQ(t, in_the_call.open_ports, ARRAY_SIZE(monitor_ports));
    KT_EXPECT_EQ(t, now.kernel_stack, before_the_call.kernel_stack);
    KT_EXPECT_EQ(t, now.low_entry, before_the_call.low_entry);
    KT_EXPECT_EQ(t, now.pic_masks, before_the_call.pic_masks);
    KT_EXPECT_EQ(t, now.open_ports, 0);
    irq_restore_masks(now.pic_masks | 1u << QUIET_LINE);
    still_works(t);
}

KTEST_SUITE(v86_crash_suite, "v86crash", true,
            KTEST_CASE(panic_in_a_call),
            KTEST_CASE(the_panicked_call_gave_everything_back));

/* --------------------- boot data in the monitor's memory (ktest=v86low) */

/* The boot (the UEFI loader's efi.low-archive) put the program archive at
 * the start of the monitor's memory: a call would write its sentinel and
 * stack over it, so none may run. */
static uint8_t low_memory_copy[V86_MEMORY_END - V86_MEMORY_START];

static void the_archive_lies_in_the_monitors_memory(struct ktest *t)
{
    const struct boot_info *b = kernel_boot_info();
    KT_EXPECT(t, b->module_count >= 1);
    KT_EXPECT(t, bootinfo_module_overlaps(b, V86_MEMORY_START, V86_MEMORY_END));
}

/* Both kinds of call are V86_UNAVAILABLE, take no register and leave every
 * byte of the monitor's memory alone. They are aimed at the segment's first
 * byte, where a call that ran would put the HLT calls return to. */
static void no_call_runs_over_boot_data(struct ktest *t)
{
    const uint8_t *low = v86_pointer(V86_SEGMENT, 0);
    memcpy(low_memory_copy, low, sizeof(low_memory_copy));
    uint16_t *ivt = v86_pointer(0, 0);
    uint16_t saved[2];
    memcpy(saved, &ivt[HOOK_A * 2], sizeof(saved));
    const uint16_t sentinel[2] = { 0, V86_SEGMENT };
    memcpy(&ivt[HOOK_A * 2], sentinel, sizeof(sentinel));
    struct v86_regs r = { .eax = 0x1111, .ebx = 0x2222 };
    KT_EXPECT_EQ(t, v86_far_call(V86_SEGMENT, 0, &r), V86_UNAVAILABLE);
    KT_EXPECT_EQ(t, v86_int(HOOK_A, &r), V86_UNAVAILABLE);
    memcpy(&ivt[HOOK_A * 2], saved, sizeof(saved));
    KT_EXPECT(t, r.eax == 0x1111 && r.ebx == 0x2222);
    uint32_t changed = 0;
    for (uint32_t i = 0; i < sizeof(low_memory_copy); i++)
        changed += low[i] != low_memory_copy[i];
    if (changed)
        ktest_log("%u bytes of the archive changed", changed);
    KT_EXPECT_EQ(t, changed, 0);
}

KTEST_SUITE(v86_low_suite, "v86low", true,
            KTEST_CASE(the_archive_lies_in_the_monitors_memory),
            KTEST_CASE(no_call_runs_over_boot_data));
