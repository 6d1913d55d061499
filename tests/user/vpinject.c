/*
 * vpinject: allocation failure injection (run it with the kernel option
 * faultinject). For SHARE (linear and banked), UNSHARE, spawn, mode sets
 * and bank faults, each allocation the operation makes is made to fail in
 * turn, frame allocations and heap allocations alike: the operation must
 * fail with its out-of-memory status (a bank fault: the process is killed)
 * and leave nothing behind, so the memory counters are as before and
 * kcheck finds nothing. A sweep ends at the first n the operation no
 * longer reaches, where it must succeed. Prints KTAP; exits 0 only if
 * every test passed.
 *
 *   vpinject                     run every test
 *   vpinject child share KIND N  share with allocation N of KIND failing
 *   vpinject child bank KIND N   touch a banked view with allocation N failing
 */
#include <usertest.h>

#define SWEEP_MAX 64 /* far more allocations than any operation makes */
#define SMALL_FRAME (640 * 480)
#define REQUESTED_VIEW 0x20000000u

static HANDLE dev;
static struct usertest_modes list;
static ULONG boot_mode;     /* ModeIndex of the mode the system had */
static ULONG other_mode;    /* a linear mode other than the boot mode */
static ULONG banked_mode;   /* the banked 640x480x8 mode */
static volatile uint8_t *view;

static const char *const kind_names[] = { "off", "frame", "heap" };

/* An operation under test: 0 on success, else its status or error. */
typedef int (*operation)(void);

struct sweep_case {
    operation op;
    void (*undo)(void); /* takes a success back */
    int failure;        /* what op returns when an allocation fails */
    bool absorbs;       /* op may also succeed without the allocation (a
                         * mode set whose console mapping failed) */
};

/* One run of c with allocation n of `kind` failing: whether the injection
 * fired. The counters and kcheck must be as before once a success is
 * undone. */
static bool run_injected(const struct sweep_case *c, uint32_t kind, uint32_t n)
{
    struct vp_meminfo before = usertest_memory();
    struct vp_inject_report report;
    CHECK(fault_inject(kind, n, NULL) == 0);
    int result = c->op();
    CHECK(fault_inject(VP_INJECT_OFF, 0, &report) == 0);
    bool expected = report.fired ? result == c->failure || (c->absorbs && result == 0)
                                 : result == 0;
    if (!expected)
        printf("# %s allocation %u%s: got %d\n", kind_names[kind], n,
               report.fired ? " failed" : " not reached", result);
    CHECK(expected);
    if (result == 0)
        c->undo();
    usertest_check_nothing_leaked(&before);
    return report.fired;
}

/*
 * Sweep c with the nth allocation of `kind` failing, n = 1, 2, ..., after
 * one run without injection (which makes what stays allocated for the
 * process's life, such as its page tables). While the injection fires, op
 * must fail cleanly; the first run it does not fire must succeed. Returns
 * the allocations op makes.
 */
static uint32_t sweep(uint32_t kind, const struct sweep_case *c)
{
    if (c->op() == 0)
        c->undo();
    for (uint32_t n = 1; n <= SWEEP_MAX; n++) {
        if (!run_injected(c, kind, n)) {
            printf("# %s allocations: %u\n", kind_names[kind], n - 1);
            return n - 1;
        }
    }
    CHECK(!"the sweep did not end");
    return SWEEP_MAX;
}

/* Both kinds; CHECKs that the operation allocates at least `min` in all. */
static void sweep_both(const struct sweep_case *c, uint32_t min)
{
    uint32_t frames = sweep(VP_INJECT_FRAME, c);
    uint32_t objects = sweep(VP_INJECT_HEAP, c);
    CHECK(frames + objects >= min);
}

static bool set_mode(ULONG index)
{
    return usertest_set_mode(dev, index) == NO_ERROR;
}

/* ------------------------------------------------------------ operations */

static int share_frame(ULONG size, uint32_t requested)
{
    VIDEO_SHARE_MEMORY in = { NtCurrentProcess(), 0, size, (PVOID)requested };
    VIDEO_SHARE_MEMORY_INFORMATION info;
    VP_STATUS status = video_control(dev, IOCTL_VIDEO_SHARE_VIDEO_MEMORY, &in, sizeof(in),
                                     &info, sizeof(info), NULL);
    view = status == NO_ERROR ? info.VirtualAddress : NULL;
    return (int)status;
}

static int share_placed(void)
{
    return share_frame(SMALL_FRAME, 0);
}

static int share_requested(void)
{
    return share_frame(SMALL_FRAME, REQUESTED_VIEW);
}

static void unshare_view(void)
{
    CHECK(usertest_unshare(dev, NtCurrentProcess(), view) == NO_ERROR);
}

static int unshare_op(void)
{
    return (int)usertest_unshare(dev, NtCurrentProcess(), view);
}

/* Share the view again after an UNSHARE sweep step took it. */
static void reshare(void)
{
    CHECK(share_placed() == NO_ERROR);
}

static int spawn_hello(void)
{
    HANDLE child = spawn("hello", "injected");
    int status = -1;
    if (!child)
        return vp_errno;
    CHECK(wait(child, &status) == 0 && status == 0);
    return 0;
}

static void nothing(void)
{
}

static int set_other_mode(void)
{
    return (int)usertest_set_mode(dev, other_mode);
}

static void back_to_boot_mode(void)
{
    CHECK(set_mode(boot_mode));
}

/* ---------------------------------------------------------------- tests */

static void test_arguments_are_checked(void)
{
    CHECK(fault_inject(7, 1, NULL) == -1 && vp_errno == VP_EINVAL);
    CHECK(fault_inject(VP_INJECT_FRAME, 0, NULL) == -1 && vp_errno == VP_EINVAL);
    CHECK(vp_syscall(SYS_FAULT_INJECT, VP_INJECT_OFF, 0, 0xC0000000u, 0, 0) == -VP_EFAULT);
    struct vp_inject_report report = { 0 };
    CHECK(fault_inject(VP_INJECT_HEAP, 5, NULL) == 0);
    CHECK(fault_inject(VP_INJECT_OFF, 0, &report) == 0);
    CHECK(report.kind == VP_INJECT_HEAP && report.nth == 5 && report.allocations == 0 &&
          !report.fired);
}

static void test_share_linear_fails_cleanly(void)
{
    const struct sweep_case placed = { share_placed, unshare_view, ERROR_NOT_ENOUGH_MEMORY, false };
    const struct sweep_case requested = { share_requested, unshare_view, ERROR_NOT_ENOUGH_MEMORY, false };
    sweep_both(&placed, 2);
    sweep_both(&requested, 2);
}

static void test_unshare_fails_cleanly(void)
{
    CHECK(share_placed() == NO_ERROR);
    const struct sweep_case c = { unshare_op, reshare, ERROR_NOT_ENOUGH_MEMORY, false };
    sweep_both(&c, 0);
    unshare_view();
}

static void test_spawn_fails_cleanly(void)
{
    const struct sweep_case c = { spawn_hello, nothing, VP_ENOMEM, false };
    sweep_both(&c, 4);
}

static void test_mode_set_fails_cleanly(void)
{
    const struct sweep_case c = { set_other_mode, back_to_boot_mode, ERROR_NOT_ENOUGH_MEMORY, true };
    sweep_both(&c, 1);
}

static void test_share_banked_fails_cleanly(void)
{
    CHECK(set_mode(banked_mode));
    const struct sweep_case c = { share_placed, unshare_view, ERROR_NOT_ENOUGH_MEMORY, false };
    sweep_both(&c, 2);
    CHECK(set_mode(boot_mode));
}

/* Exit statuses of the children a sweep runs. */
#define CHILD_SUCCEEDED 0 /* the injection did not fire; the operation worked */
#define CHILD_FAILED_CLEANLY 1

/*
 * Run "child WHAT KIND n" for n = 1, 2, ... as sweep does, each child a
 * fresh process (so allocations that last its lifetime, such as page
 * tables, happen every time): while the injection fires, the child fails
 * cleanly (or is killed, when `killed` is how the operation fails) and
 * leaves nothing once gone; it succeeds once n is out of reach. Returns
 * the allocations the operation makes.
 */
static uint32_t sweep_child(const char *what, uint32_t kind, int failed)
{
    for (uint32_t n = 1; n <= SWEEP_MAX; n++) {
        struct vp_meminfo before = usertest_memory();
        char args[32];
        snprintf(args, sizeof(args), "%s %u %u", what, kind, n);
        int status = usertest_run_child("vpinject", args);
        usertest_check_nothing_leaked(&before);
        if (status == CHILD_SUCCEEDED) {
            printf("# %s: %s allocations: %u\n", what, kind_names[kind], n - 1);
            return n - 1;
        }
        if (status != failed)
            printf("# %s: %s allocation %u failed: status %d\n", what, kind_names[kind], n, status);
        CHECK(status == failed);
        if (status != failed)
            return n;
    }
    CHECK(!"the sweep did not end");
    return SWEEP_MAX;
}

static void test_share_into_a_fresh_space_fails_cleanly(void)
{
    CHECK(sweep_child("share", VP_INJECT_FRAME, CHILD_FAILED_CLEANLY) >= 1); /* a page table */
    CHECK(sweep_child("share", VP_INJECT_HEAP, CHILD_FAILED_CLEANLY) >= 2);
}

static void test_bank_fault_fails_cleanly(void)
{
    CHECK(set_mode(banked_mode));
    CHECK(sweep_child("bank", VP_INJECT_FRAME, VP_STATUS_KILLED) >= 1); /* a page table */
    sweep_child("bank", VP_INJECT_HEAP, VP_STATUS_KILLED);
    CHECK(set_mode(boot_mode));
}

/* Touch the stack the tests will reach, so that no page fault of the test
 * itself takes a frame while an injection is armed. */
static void __attribute__((noinline)) prefault_stack(void)
{
    volatile uint8_t area[32 * 1024];
    for (uint32_t i = 0; i < sizeof(area); i += 4096)
        area[i] = 0;
}

/* ---------------------------------------------------------------- children */

/* Share the current mode's first banks at REQUESTED_VIEW with allocation
 * n of `kind` failing: it must work, or fail with ERROR_NOT_ENOUGH_MEMORY
 * leaving kcheck clean while this process still lives. */
static int child_share(uint32_t kind, uint32_t n)
{
    struct vp_inject_report report;
    fault_inject(kind, n, NULL);
    int status = share_requested();
    fault_inject(VP_INJECT_OFF, 0, &report);
    if (!report.fired)
        return status == NO_ERROR ? CHILD_SUCCEEDED : 2;
    return status == ERROR_NOT_ENOUGH_MEMORY && kcheck(NULL) == 0 ? CHILD_FAILED_CLEANLY : 3;
}

/* Share a view of the banked mode, arm, touch bank 1 (its first fault):
 * a failed allocation in the fault kills this process; it exits 0 if the
 * fault did not reach allocation n, 3 if it survived one that failed. */
static int child_bank(uint32_t kind, uint32_t n)
{
    if (share_placed() != NO_ERROR)
        return 2;
    volatile uint8_t *bank1 = view + 0x10000;
    struct vp_inject_report report;
    fault_inject(kind, n, NULL);
    *bank1 = 0x5A;
    fault_inject(VP_INJECT_OFF, 0, &report);
    return report.fired ? 3 : CHILD_SUCCEEDED;
}

/* Make present, before any injection is armed, every page a child touches
 * after arming: its stack, its variables and the library's. */
static bool warm_up_child(void)
{
    VIDEO_MODE_INFORMATION mode;
    prefault_stack();
    view = NULL;
    return (dev = video_open("Video0")) &&
           video_control(dev, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, &mode, sizeof(mode),
                         NULL) == NO_ERROR;
}

static int child_main(int argc, char **argv)
{
    if (!warm_up_child())
        return 2;
    if (argc == 5 && strcmp(argv[2], "share") == 0)
        return child_share((uint32_t)atoi(argv[3]), (uint32_t)atoi(argv[4]));
    if (argc == 5 && strcmp(argv[2], "bank") == 0)
        return child_bank((uint32_t)atoi(argv[3]), (uint32_t)atoi(argv[4]));
    printf("vpinject: unknown child %s\n", argc > 2 ? argv[2] : "");
    return 2;
}

/* ---------------------------------------------------------------- main */

static const struct usertest tests[] = {
    { "/arguments_are_checked", test_arguments_are_checked },
    { "/share_linear_fails_cleanly", test_share_linear_fails_cleanly },
    { "/share_into_a_fresh_space_fails_cleanly", test_share_into_a_fresh_space_fails_cleanly },
    { "/unshare_fails_cleanly", test_unshare_fails_cleanly },
    { "/spawn_fails_cleanly", test_spawn_fails_cleanly },
    { "/mode_set_fails_cleanly", test_mode_set_fails_cleanly },
    { "/share_banked_fails_cleanly", test_share_banked_fails_cleanly },
    { "/bank_fault_fails_cleanly", test_bank_fault_fails_cleanly },
};

/* The modes the tests use; false when the adapter lacks one. */
static bool find_modes(void)
{
    VIDEO_MODE_INFORMATION current;
    if (!(dev = video_open("Video0")) || !usertest_read_modes(dev, &list) ||
        video_control(dev, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, &current, sizeof(current),
                      NULL) != NO_ERROR)
        return false;
    boot_mode = current.ModeIndex;
    ULONG other = usertest_find_mode(&list, 640, 480, 8, false);
    ULONG banked = usertest_find_mode(&list, 640, 480, 8, true);
    if (other >= list.count || banked >= list.count)
        return false;
    other_mode = list.modes[other].ModeIndex;
    banked_mode = list.modes[banked].ModeIndex;
    return other_mode != boot_mode && set_mode(boot_mode);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "child") == 0)
        return child_main(argc, argv);
    prefault_stack();
    if (!find_modes()) {
        printf("vpinject: needs Video0 with linear and banked 640x480x8 modes\n");
        return 1;
    }
    return usertest_main("vpinject", tests, sizeof(tests) / sizeof(tests[0]));
}
