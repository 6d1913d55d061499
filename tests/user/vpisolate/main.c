/*
 * vpisolate's tests (see vpisolate.h).
 */
#include "vpisolate.h"

#define LIST_MAX 64

static HANDLE bystander;
static struct vp_meminfo baseline;

/* ---------------------------------------------------------------- helpers */

/* Run "child KIND ADDRESS" and expect the kernel to kill it. */
static void check_kills(const char *kind, uint32_t address)
{
    char fmt[32];
    snprintf(fmt, sizeof(fmt), "%s %%x", kind);
    int status = run_child(fmt, address, 0);
    if (status != VP_STATUS_KILLED)
        printf("# %s 0x%08x: status %d, expected killed\n", kind, address, status);
    CHECK(status == VP_STATUS_KILLED);
}

/* The kernel's direct-map address of the RAM behind present user page va. */
static uint32_t kernel_alias(const volatile void *va)
{
    uint32_t pte = page_entry((const void *)va);
    return KERNEL_BASE + (pte & VP_PTE_FRAME) + ((uint32_t)va & (PAGE - 1));
}

/* Start child KIND and wait until it sleeps (a CHECK that it does). */
static HANDLE spawn_sleeping(const char *kind)
{
    HANDLE h = usertest_spawn_child(PROGRAM, kind);
    CHECK(h && usertest_wait_sleeping(h));
    return h;
}

/* True while h runs or sleeps: not ended, not collected. */
static bool alive(HANDLE h)
{
    uint32_t state = usertest_process(handle_pid(h)).state;
    return state == VP_PROC_SLEEPING || state == VP_PROC_RUNNABLE;
}

/* A sleeping child of process `parent` (up to a second's wait), or NULL. */
static HANDLE sleeping_child_of(HANDLE parent)
{
    static struct vp_process_info list[LIST_MAX];
    for (int tries = 0; tries < 100; tries++) {
        int n = process_list(list, LIST_MAX);
        for (int i = 0; i < n; i++) {
            if (list[i].parent == handle_pid(parent) && list[i].state == VP_PROC_SLEEPING)
                return (HANDLE)(intptr_t)list[i].pid;
        }
        sleep_ms(10);
    }
    return NULL;
}

/* ------------------------------------------------------------------- tests */

/* Record the counters for the last test, then start the bystander. A
 * first SHARE and UNSHARE before gives this process the page table that
 * views entered entry by entry need (it stays until exit). */
static void test_bystander_starts(void)
{
    volatile uint8_t *view = share_frame();
    CHECK(view && usertest_unshare(dev, NtCurrentProcess(), view) == NO_ERROR);
    meminfo(&baseline);
    bystander = spawn_sleeping("bystander");
}

/* Loads and stores anywhere in the kernel's part kill the process: the
 * direct map (even where it shows our own page), the kernel image, the
 * device window (even where the port has mapped video memory for us), the
 * top page; the kernel's physical load address is no user mapping. A
 * child cannot drop our reference to that kernel mapping. */
static void test_kernel_memory_kills_the_toucher(void)
{
    VIDEO_MEMORY in = { NULL };
    VIDEO_MEMORY_INFORMATION map = { NULL, 0, NULL, 0 };
    CHECK(video_control(dev, IOCTL_VIDEO_MAP_VIDEO_MEMORY, &in, sizeof(in), &map, sizeof(map),
                        NULL) == NO_ERROR);
    probe[0] = 1;
    const uint32_t targets[] = { KERNEL_BASE, KERNEL_IMAGE, kernel_alias(probe), DEVICE_WINDOW,
                                 (uint32_t)map.VideoRamBase, TOP_PAGE, LOW_IDENTITY };
    for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
        check_kills("load", targets[i]);
        check_kills("store", targets[i]);
    }
    CHECK(probe[0] == 1);
    CHECK(run_child("unmap %x", (uint32_t)map.VideoRamBase, 0) == 0);
    in.RequestedVirtualAddress = map.VideoRamBase; /* our reference is still there */
    CHECK(video_control(dev, IOCTL_VIDEO_UNMAP_VIDEO_MEMORY, &in, sizeof(in), NULL, 0, NULL) ==
          NO_ERROR);
}

/* Calls given kernel address k, where k shows valid requests of ours,
 * read nothing there: each is refused and none acts. */
static void check_kernel_reads_refused(uint32_t k)
{
    static VIDEO_MODE_INFORMATION out;
    memset(&out, 0, sizeof(out));
    memcpy(probe, PROGRAM, sizeof(PROGRAM));
    struct vp_video_control *rq = (struct vp_video_control *)(probe + 64);
    *rq = (struct vp_video_control){ .device = dev, .code = IOCTL_VIDEO_QUERY_CURRENT_MODE,
                                     .out = &out, .out_len = sizeof(out) };
    *(VIDEO_SHARE_MEMORY *)(probe + 256) = (VIDEO_SHARE_MEMORY){ NtCurrentProcess(), 0, PAGE, NULL };
    *(DD_MAPMEMORYDATA *)(probe + 512) = (DD_MAPMEMORYDATA){ .bMap = TRUE,
                                                             .hProcess = NtCurrentProcess() };
    struct vp_meminfo before = usertest_memory();
    VIDEO_SHARE_MEMORY_INFORMATION info;
    CHECK(vp_syscall(SYS_SPAWN, k, 0, 0, 0, 0) == -VP_EFAULT);
    CHECK(vp_syscall(SYS_VIDEO_OPEN, k, 0, 0, 0, 0) == -VP_EFAULT);
    CHECK(vp_syscall(SYS_WRITE, k, sizeof(PROGRAM) - 1, 0, 0, 0) == -VP_EFAULT);
    CHECK(vp_syscall(SYS_VIDEO_CONTROL, k + 64, 0, 0, 0, 0) == ERROR_NOACCESS);
    CHECK(video_control(dev, IOCTL_VIDEO_SHARE_VIDEO_MEMORY, (void *)(k + 256),
                        sizeof(VIDEO_SHARE_MEMORY), &info, sizeof(info), NULL) == ERROR_NOACCESS);
    CHECK(vp_syscall(SYS_DD_MAP_MEMORY, k + 512, 0, 0, 0, 0) == -VP_EFAULT);
    struct vp_meminfo after = usertest_memory();
    CHECK(out.Length == 0 && rq->returned == 0);
    CHECK(after.processes == before.processes && after.regions == before.regions &&
          after.video_records == before.video_records);
}

/* SHARE at RequestedVirtualAddress va, size bytes: refused, no output. */
static void check_no_view_at(uint32_t va, ULONG size)
{
    VIDEO_SHARE_MEMORY in = { NtCurrentProcess(), 0, size, (PVOID)va };
    VIDEO_SHARE_MEMORY_INFORMATION info;
    ULONG n = 99;
    CHECK(video_control(dev, IOCTL_VIDEO_SHARE_VIDEO_MEMORY, &in, sizeof(in), &info,
                        sizeof(info), &n) == ERROR_INVALID_PARAMETER && n == 0);
}

/* Every call that takes a pointer refuses a kernel one, even the kernel's
 * own address of our page, and writes nothing there; a wait given one
 * keeps the status for the next wait. No view goes over kernel memory or
 * our own (bank-aligned requests, so that banked modes take them too). */
static void test_system_calls_refuse_kernel_pointers(void)
{
    memset(probe, 0xA5, PAGE);
    uint32_t k = kernel_alias(probe);
    CHECK(k >= KERNEL_BASE && (page_entry(probe) & VP_PTE_PRESENT));
    CHECK(write_to_kernel_address(k) == 0);
    CHECK(write_to_kernel_address(KERNEL_IMAGE) == 0);
    bool same = true;
    for (uint32_t i = 0; i < PAGE; i++)
        same &= probe[i] == 0xA5;
    CHECK(same);
    check_kernel_reads_refused(k);
    HANDLE h = usertest_spawn_child(PROGRAM, "exit 2a");
    int status = -1;
    CHECK(h && vp_syscall(SYS_WAIT, (uint32_t)h, k, 0, 0, 0) == -VP_EFAULT);
    CHECK(wait(h, &status) == 0 && status == 42);
    check_no_view_at(KERNEL_BASE, BANK);
    check_no_view_at(KERNEL_BASE - BANK, 2 * BANK);
    check_no_view_at(DEVICE_WINDOW, BANK);
    check_no_view_at((uint32_t)probe & ~(BANK - 1), BANK);
}

/* A child's data at our addresses is its own, both ways, and the calls
 * it makes with the kernel's address of our pages write nothing there. */
static void test_other_process_memory_is_unreachable(void)
{
    word = 0xFEED0001u;
    memset(probe, 0xA5, PAGE);
    CHECK(run_child("own-data", 0, 0) == 0);
    CHECK(run_child("kernel-alias %x", kernel_alias(&word), 0) == 0);
    CHECK(run_child("kernel-alias %x", kernel_alias(probe), 0) == 0);
    bool same = true;
    for (uint32_t i = 0; i < PAGE; i++)
        same &= probe[i] == 0xA5;
    CHECK(same && word == 0xFEED0001u);
    word = WORD_AT_START;
}

/* A zombie child is no longer a SHARE target; its status stays. */
static void check_no_share_into_zombie(void)
{
    HANDLE h = usertest_spawn_child(PROGRAM, "exit 0");
    for (int tries = 0; h && tries < 100 && usertest_process(handle_pid(h)).state !=
                                               VP_PROC_ZOMBIE; tries++)
        sleep_ms(10);
    VIDEO_SHARE_MEMORY_INFORMATION info;
    ULONG n = 99;
    CHECK(usertest_share(dev, h, 0, PAGE, &info, &n) == ERROR_INVALID_PARAMETER && n == 0);
    int status = -1;
    CHECK(wait(h, &status) == 0 && status == 0);
}

/* Our view is nothing in a child (a touch kills it); a child cannot SHARE
 * into its parent, a sibling or no process, and we cannot into a zombie. */
static void test_another_process_view_is_unreachable(void)
{
    volatile uint8_t *view = share_frame();
    CHECK(view != NULL);
    if (!view)
        return;
    HANDLE sibling = spawn_sleeping("hold");
    CHECK(run_child("unmapped-at %x", (uint32_t)view, 0) == 0);
    check_kills("load", (uint32_t)view);
    check_kills("store", (uint32_t)view + frame_size() - 4);
    CHECK(run_child("share-into %x", (uint32_t)getpid(), 0) == 0);
    CHECK(run_child("share-into %x", (uint32_t)handle_pid(sibling), 0) == 0);
    CHECK(run_child("share-into %x", (uint32_t)handle_pid(bystander), 0) == 0);
    CHECK(run_child("share-into %x", 0x7FFF, 0) == 0);
    check_no_share_into_zombie();
    CHECK(usertest_kill_child(sibling));
    view[4] = 0x44;
    CHECK(view[4] == 0x44);
    CHECK(usertest_unshare(dev, NtCurrentProcess(), view) == NO_ERROR);
}

/* Neither our pid nor the child's own handle lets a child unshare our
 * view, nor a sibling's: only a handle to the view's process does. */
static void test_unshare_needs_a_handle_to_the_view(void)
{
    volatile uint8_t *view = share_frame();
    CHECK(view && run_child("unshare-in %x %x", (uint32_t)getpid(), (uint32_t)view) == 0);
    if (!view)
        return;
    view[8] = 0x42;
    CHECK(view[8] == 0x42);
    VIDPORT_VIEW_INFORMATION state = usertest_view_state(dev, view);
    CHECK(state.State == VIDPORT_VIEW_LIVE && state.VirtualAddress == (PVOID)view);
    HANDLE a = spawn_sleeping("hold");
    VIDEO_SHARE_MEMORY_INFORMATION info;
    CHECK(usertest_share(dev, a, 0, frame_size(), &info, NULL) == NO_ERROR);
    CHECK(run_child("unshare-in %x %x", (uint32_t)handle_pid(a), (uint32_t)info.VirtualAddress) ==
          0);
    CHECK(usertest_unshare(dev, a, info.VirtualAddress) == NO_ERROR); /* it was still there */
    CHECK(usertest_kill_child(a));
    CHECK(usertest_unshare(dev, NtCurrentProcess(), view) == NO_ERROR);
}

/* The ports a process might try: DISPI index and data, PCI configuration
 * address and data, and (below) every VGA register from 0x3C0 to 0x3DF. */
static const struct {
    uint16_t port, width;
} device_ports[] = { { 0x1CE, 2 }, { 0x1CF, 2 }, { 0xCF8, 4 }, { 0xCFC, 4 } };

static void check_port_kills(uint32_t port, uint32_t width)
{
    CHECK(run_child("in %x %x", port, width) == VP_STATUS_KILLED);
    CHECK(run_child("out %x %x", port, width) == VP_STATUS_KILLED);
}

/* Every port in device_ports and the VGA range both ways, a bank switch
 * as the bank routine makes it and each privileged instruction, each in a
 * child that must be killed; and no bank move through the port either. */
static void check_hardware_attempts_kill(void)
{
    for (size_t i = 0; i < sizeof(device_ports) / sizeof(device_ports[0]); i++)
        check_port_kills(device_ports[i].port, device_ports[i].width);
    for (uint32_t port = 0x3C0; port <= 0x3DF; port++)
        check_port_kills(port, 1);
    CHECK(run_child("dispi-bank", 0, 0) == VP_STATUS_KILLED);
    ULONG banks[2] = { 2, 2 };
    CHECK(video_control(dev, IOCTL_VIDEO_SET_BANK_POSITION, banks, sizeof(banks), NULL, 0,
                        NULL) == ERROR_INVALID_FUNCTION);
    for (uint32_t insn = 0; insn < INSNS; insn++)
        CHECK(run_child("insn %x", insn, 0) == VP_STATUS_KILLED);
}

/* Port I/O and privileged instructions kill the process (#GP), and the
 * hardware is as it was: the same mode, and a pattern in bank 1 still
 * present in our view (no fault to read it) and reading back; a bank
 * register written from user mode would show another bank there. */
static void test_io_ports_and_privileged_instructions_kill(void)
{
    VIDEO_MODE_INFORMATION before = mode, after;
    volatile uint32_t *view = (volatile uint32_t *)share_frame();
    CHECK(view != NULL && frame_size() > BANK + PAGE);
    if (!view)
        return;
    volatile uint32_t *pattern = view + BANK / 4;
    for (uint32_t i = 0; i < PAGE / 4; i++)
        pattern[i] = i * 0x01010101u ^ 0x5AA5C33Cu;
    check_hardware_attempts_kill();
    uint32_t faults = usertest_process(getpid()).page_faults, bad = 0;
    for (uint32_t i = 0; i < PAGE / 4; i++)
        bad += pattern[i] != (i * 0x01010101u ^ 0x5AA5C33Cu);
    CHECK(bad == 0 && usertest_process(getpid()).page_faults == faults);
    CHECK(video_control(dev, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, &after, sizeof(after),
                        NULL) == NO_ERROR);
    CHECK(memcmp(&before, &after, sizeof(after)) == 0);
    CHECK(usertest_unshare(dev, NtCurrentProcess(), view) == NO_ERROR);
}

/* A spawned process finds nothing at its parent's view, and a touch there
 * kills it; the same one generation down. */
static void test_views_are_not_inherited(void)
{
    volatile uint8_t *view = share_frame();
    CHECK(view != NULL);
    if (!view)
        return;
    CHECK(run_child("unmapped-at %x", (uint32_t)view, 0) == 0);
    CHECK(run_child("unmapped-at %x", (uint32_t)view + frame_size() - 1, 0) == 0);
    check_kills("load", (uint32_t)view);
    CHECK(run_child("share-and-spawn", 0, 0) == 0);
    CHECK(usertest_unshare(dev, NtCurrentProcess(), view) == NO_ERROR);
}

/* True once process h is gone from the process list (up to a second). */
static bool gone_soon(HANDLE h)
{
    for (int tries = 0; tries < 100 && usertest_process(handle_pid(h)).state; tries++)
        sleep_ms(10);
    return usertest_process(handle_pid(h)).state == 0;
}

/* A child's child is not ours: no SHARE into it, no kill, no wait. It
 * ends with its parent, since nobody else could kill it. */
static void check_grandchild_out_of_reach(void)
{
    HANDLE middle = usertest_spawn_child(PROGRAM, "hold-with-child");
    HANDLE grandchild = middle ? sleeping_child_of(middle) : NULL;
    CHECK(grandchild != NULL);
    if (!grandchild)
        return;
    VIDEO_SHARE_MEMORY_INFORMATION info;
    ULONG n = 99;
    CHECK(usertest_share(dev, grandchild, 0, PAGE, &info, &n) == ERROR_INVALID_PARAMETER && n == 0);
    CHECK(kill(grandchild) == -1 && vp_errno == VP_ESRCH);
    CHECK(wait(grandchild, NULL) == -1 && vp_errno == VP_ESRCH);
    CHECK(alive(grandchild));
    CHECK(usertest_kill_child(middle) && gone_soon(grandchild));
}

/* Our own view of the frame (*view; NULL if it failed) with the counter
 * and the published address cleared, and child `kind` counting in it,
 * once it has started to. */
static HANDLE start_counting(const char *kind, volatile uint8_t **view)
{
    *view = share_frame();
    CHECK(*view != NULL);
    if (!*view)
        return NULL;
    volatile uint32_t *counter = (volatile uint32_t *)(*view + COUNTER_OFFSET);
    *counter = *(volatile uint32_t *)(*view + VIEW_ADDRESS_OFFSET) = 0;
    HANDLE h = usertest_spawn_child(PROGRAM, kind);
    for (int tries = 0; h && tries < 100 && *counter == 0; tries++)
        sleep_ms(10);
    return h;
}

static bool kill_it(HANDLE h, volatile uint8_t *view)
{
    (void)view;
    return kill(h) == 0;
}

static bool unshare_its_view(HANDLE h, volatile uint8_t *view)
{
    uint32_t va = *(volatile uint32_t *)(view + VIEW_ADDRESS_OFFSET);
    return va && usertest_unshare(dev, h, (const void *)(uintptr_t)va) == NO_ERROR;
}

/* Child `kind`, counting in video memory (on another CPU, when there is
 * more than one; else preempted by the timer whenever we run), stops at
 * once when `stop` returns: the counter stays where it was then, however
 * long we watch it, and the child ends killed. */
static void check_counting_stops(const char *kind, bool (*stop)(HANDLE, volatile uint8_t *),
                                 const char *what)
{
    volatile uint8_t *view;
    HANDLE h = start_counting(kind, &view);
    if (!view)
        return;
    volatile uint32_t *counter = (volatile uint32_t *)(view + COUNTER_OFFSET);
    CHECK(*counter != 0 && stop(h, view));
    uint32_t at_stop = *counter;
    sleep_ms(50);
    int status = -1;
    CHECK(wait(h, &status) == 0 && status == VP_STATUS_KILLED);
    if (*counter != at_stop)
        printf("# counted on after the %s: %u to %u\n", what, at_stop, *counter);
    CHECK(*counter == at_stop);
    CHECK(usertest_unshare(dev, NtCurrentProcess(), view) == NO_ERROR);
}

/* An unshare reaches a child that runs on: its next store into the view
 * faults, and none lands in the frame through a stale translation. */
static void test_unshare_stops_a_running_child(void)
{
    check_counting_stops("count-published", unshare_its_view, "unshare");
}

/* kill reaches the caller (by NtCurrentProcess() or its pid) and its own
 * children; a sibling, the parent, a grandchild or no process: VP_ESRCH,
 * and they live on. */
static void test_kill_reaches_only_self_and_own_children(void)
{
    HANDLE a = spawn_sleeping("hold"), b = spawn_sleeping("hold");
    CHECK(run_child("kill %x", (uint32_t)handle_pid(a), 0) == 0);
    CHECK(run_child("kill %x", (uint32_t)handle_pid(bystander), 0) == 0);
    CHECK(run_child("kill %x", 0, 0) == 0);
    CHECK(run_child("kill %x", (uint32_t)getpid(), 0) == 0);
    CHECK(alive(a) && alive(b));
    CHECK(run_child("kill-self %x", 0, 0) == VP_STATUS_KILLED);
    CHECK(run_child("kill-self %x", 1, 0) == VP_STATUS_KILLED);
    check_grandchild_out_of_reach();
    check_counting_stops("count", kill_it, "kill"); /* a killed process runs no more code */
    CHECK(usertest_kill_child(a) && usertest_kill_child(b));
}

/* The bystander's view and pattern were untouched all along; with it gone
 * every counter is back where it was before it started. */
static void test_bystander_unaffected_and_nothing_leaked(void)
{
    CHECK(alive(bystander));
    CHECK(usertest_kill_child(bystander));
    usertest_check_nothing_leaked(&baseline);
}

static const struct usertest tests[] = {
    { "bystander_starts", test_bystander_starts },
    { "kernel_memory_kills_the_toucher", test_kernel_memory_kills_the_toucher },
    { "system_calls_refuse_kernel_pointers", test_system_calls_refuse_kernel_pointers },
    { "other_process_memory_is_unreachable", test_other_process_memory_is_unreachable },
    { "another_process_view_is_unreachable", test_another_process_view_is_unreachable },
    { "unshare_needs_a_handle_to_the_view", test_unshare_needs_a_handle_to_the_view },
    { "io_ports_and_privileged_instructions_kill",
      test_io_ports_and_privileged_instructions_kill },
    { "views_are_not_inherited", test_views_are_not_inherited },
    { "kill_reaches_only_self_and_own_children", test_kill_reaches_only_self_and_own_children },
    { "unshare_stops_a_running_child", test_unshare_stops_a_running_child },
    { "bystander_unaffected_and_nothing_leaked", test_bystander_unaffected_and_nothing_leaked },
};

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "child") == 0)
        return vpisolate_child(argc, argv);
    dev = video_open("Video0");
    if (!dev || video_control(dev, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, &mode, sizeof(mode),
                              NULL) != NO_ERROR) {
        printf("%s: no usable Video0\n", PROGRAM);
        return 1;
    }
    return usertest_main(PROGRAM, tests, sizeof(tests) / sizeof(tests[0]));
}
