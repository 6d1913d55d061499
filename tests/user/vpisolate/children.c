/*
 * vpisolate's children: each kind tries one thing it must not be able to
 * do, or holds still for a test, and exits with what it found.
 */
#include "vpisolate.h"

static volatile uint32_t sink;
static uint32_t arg_a, arg_b; /* a child's two arguments */

__attribute__((noreturn)) static int hold(void)
{
    for (;;)
        sleep_ms(1000);
}

static int exit_with(void)
{
    return (int)arg_a;
}

static int load(void)
{
    sink = *(volatile uint32_t *)arg_a;
    return 77; /* still alive: the access was allowed */
}

static int store(void)
{
    *(volatile uint32_t *)arg_a = 0x5A5A5A5A;
    return 77;
}

/* Port I/O of `width` bytes (1, 2, 4) from user mode; out writes v. */
static void port_io(bool out, uint16_t port, uint32_t width, uint32_t v)
{
    if (out && width == 1)
        __asm__ volatile("outb %%al, %%dx" : : "a"(v), "d"(port));
    else if (out && width == 2)
        __asm__ volatile("outw %%ax, %%dx" : : "a"(v), "d"(port));
    else if (out)
        __asm__ volatile("outl %%eax, %%dx" : : "a"(v), "d"(port));
    else if (width == 1)
        __asm__ volatile("inb %%dx, %%al" : "=a"(v) : "d"(port));
    else if (width == 2)
        __asm__ volatile("inw %%dx, %%ax" : "=a"(v) : "d"(port));
    else
        __asm__ volatile("inl %%dx, %%eax" : "=a"(v) : "d"(port));
    sink = v;
}

static int port_in(void)
{
    port_io(false, (uint16_t)arg_a, arg_b, 0);
    return 77;
}

static int port_out(void)
{
    port_io(true, (uint16_t)arg_a, arg_b, 0);
    return 77;
}

/* Select bank 2 the way the bank routine does (DISPI index 5, then the
 * bank): were it let through, the parent's present bank 1 would show
 * bank 2. */
static int dispi_bank(void)
{
    port_io(true, 0x1CE, 2, 5);
    port_io(true, 0x1CF, 2, 2);
    return 77;
}

/* Run one instruction ring 3 may not run. IOPL: popf cannot raise the I/O
 * privilege level from ring 3, so the port read after it still faults. */
static int privileged(void)
{
    uint32_t v = 0;
    switch ((enum insn)arg_a) {
    case CLI: __asm__ volatile("cli"); break;
    case STI: __asm__ volatile("sti"); break;
    case HLT: __asm__ volatile("hlt"); break;
    case IOPL:
        __asm__ volatile("pushfl; orl $0x3000, (%%esp); popfl" : : : "memory", "cc");
        port_io(false, 0x3DA, 1, 0);
        break;
    case INT_TIMER: __asm__ volatile("int $0x20"); break;
    case INT_PAGE_FAULT: __asm__ volatile("int $0x0e"); break;
    case KERNEL_DS: __asm__ volatile("movw $0x10, %%ax; movw %%ax, %%ds" : : : "eax"); break;
    case LIDT: __asm__ volatile("lidt (%%esp)" : : : "memory"); break;
    case RDMSR: __asm__ volatile("rdmsr" : "=a"(v) : "c"(0x1B) : "edx"); break;
    default: __asm__ volatile("mov %%cr3, %0" : "=r"(v)); break;
    }
    sink = v;
    return 77;
}

/* Our `word` is as it started, whatever the parent made of its own, and
 * our `probe` page holds zeros where the parent's holds 0xA5; both take
 * what we write. */
static int own_data(void)
{
    int bad = word != WORD_AT_START;
    word = 0xBAD0BAD0u;
    for (uint32_t i = 0; i < PAGE; i++) {
        bad |= (probe[i] != 0) << 1;
        probe[i] = 0x3C;
    }
    return bad | (word != 0xBAD0BAD0u || probe[PAGE - 1] != 0x3C) << 2;
}

static int unmapped_at(void)
{
    return page_entry((const void *)arg_a) == 0 ? 0 : 1;
}

static int kernel_alias_writes(void)
{
    return write_to_kernel_address(arg_a);
}

/* UNMAP_VIDEO_MEMORY of the parent's kernel mapping: we hold no
 * reference to it, so it is refused and the parent's stays. */
static int unmap_kernel(void)
{
    VIDEO_MEMORY in = { (PVOID)arg_a };
    return video_control(dev, IOCTL_VIDEO_UNMAP_VIDEO_MEMORY, &in, sizeof(in), NULL, 0, NULL) ==
                   ERROR_INVALID_PARAMETER ? 0 : 1;
}

/* SHARE (and DdMapMemory) into process arg_a, which is not our child:
 * refused, no output, nothing mapped anywhere. */
static int share_into(void)
{
    HANDLE target = (HANDLE)(intptr_t)arg_a;
    struct vp_meminfo before = usertest_memory();
    VIDEO_SHARE_MEMORY_INFORMATION info = { 1, 2, (PVOID)3 };
    ULONG n = 99;
    DD_MAPMEMORYDATA dd = { .bMap = TRUE, .hProcess = target };
    int bad = usertest_share(dev, target, 0, PAGE, &info, &n) != ERROR_INVALID_PARAMETER || n;
    bad |= (dd_map_memory(&dd) != DDHAL_DRIVER_HANDLED || dd.ddRVal == DD_OK || dd.fpProcess) << 1;
    struct vp_meminfo after = usertest_memory();
    bad |= (after.regions != before.regions || after.video_records != before.video_records) << 2;
    return bad;
}

/* UNSHARE (and DdMapMemory's unmap) of the view at arg_b of process
 * arg_a, through its pid and through our own handle: all refused. */
static int unshare_in(void)
{
    HANDLE owner = (HANDLE)(intptr_t)arg_a;
    void *va = (void *)arg_b;
    DD_MAPMEMORYDATA dd = { .bMap = FALSE, .hProcess = owner, .fpProcess = arg_b };
    int bad = usertest_unshare(dev, owner, va) != ERROR_INVALID_PARAMETER;
    bad |= (usertest_unshare(dev, NtCurrentProcess(), va) != ERROR_INVALID_PARAMETER) << 1;
    bad |= (dd_map_memory(&dd) != DDHAL_DRIVER_HANDLED || dd.ddRVal == DD_OK) << 2;
    return bad;
}

static int kill_pid(void)
{
    return kill((HANDLE)(intptr_t)arg_a) == -1 && vp_errno == VP_ESRCH ? 0 : 1;
}

/* Kill ourselves through NtCurrentProcess() (arg_a 0) or our pid. */
static int kill_self(void)
{
    kill(arg_a ? (HANDLE)(intptr_t)getpid() : NtCurrentProcess());
    return 77;
}

/* Count in the frame buffer (the dword at COUNTER_OFFSET) as fast as we
 * can, never entering the kernel but for the timer; first, if `publish`,
 * write where our view lies (at VIEW_ADDRESS_OFFSET) for the parent. */
static int count_in_view(bool publish)
{
    volatile uint8_t *view = share_frame();
    if (!view)
        return 2;
    if (publish)
        *(volatile uint32_t *)(view + VIEW_ADDRESS_OFFSET) = (uint32_t)(uintptr_t)view;
    for (volatile uint32_t *counter = (volatile uint32_t *)(view + COUNTER_OFFSET);;)
        (*counter)++;
}

static int count(void)
{
    return count_in_view(false);
}

/* The same, for a parent that takes the view away. */
static int count_published(void)
{
    return count_in_view(true);
}

/* Start a "hold" child and hold. */
static int hold_with_child(void)
{
    usertest_spawn_child(PROGRAM, "hold");
    return hold();
}

/* Our own view is not our child's either: nothing there, a touch kills. */
static int share_and_spawn(void)
{
    volatile uint8_t *view = share_frame();
    if (!view)
        return 4;
    int bad = run_child("unmapped-at %x", (uint32_t)view, 0) != 0;
    return bad | (run_child("load %x", (uint32_t)view, 0) != VP_STATUS_KILLED) << 1;
}

/* Hold a view and a pattern of our own, checking both every 30 ms (out of
 * step with the parent's 10 ms polls, which would always find us just
 * woken): exit 1 once the pattern changes or the view is not live where
 * it was. */
static int be_bystander(void)
{
    volatile uint8_t *view = share_frame();
    if (!view)
        return 2;
    for (uint32_t i = 0; i < PAGE; i++)
        probe[i] = (uint8_t)(i * 7);
    for (bool ok = true; ok;) {
        sleep_ms(30);
        VIDPORT_VIEW_INFORMATION v = usertest_view_state(dev, view);
        ok = v.State == VIDPORT_VIEW_LIVE && v.VirtualAddress == (PVOID)view;
        for (uint32_t i = 0; i < PAGE; i++)
            ok &= probe[i] == (uint8_t)(i * 7);
    }
    return 1;
}

static const struct {
    const char *name;
    int (*run)(void);
} kinds[] = {
    { "hold", hold }, { "exit", exit_with }, { "load", load }, { "store", store },
    { "in", port_in }, { "out", port_out }, { "dispi-bank", dispi_bank },
    { "insn", privileged },
    { "own-data", own_data }, { "unmapped-at", unmapped_at },
    { "kernel-alias", kernel_alias_writes }, { "unmap", unmap_kernel },
    { "share-into", share_into }, { "unshare-in", unshare_in }, { "kill", kill_pid },
    { "kill-self", kill_self }, { "hold-with-child", hold_with_child }, { "count", count },
    { "count-published", count_published },
    { "share-and-spawn", share_and_spawn }, { "bystander", be_bystander },
};

int vpisolate_child(int argc, char **argv)
{
    arg_a = argc > 3 ? (uint32_t)strtoul(argv[3], NULL, 16) : 0;
    arg_b = argc > 4 ? (uint32_t)strtoul(argv[4], NULL, 16) : 0;
    dev = video_open("Video0");
    video_control(dev, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, &mode, sizeof(mode), NULL);
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (strcmp(argv[2], kinds[i].name) == 0)
            return kinds[i].run();
    }
    return 99;
}

