/*
 * usertests: user-level tests of processes, system calls and memory
 * protection, in the style of xv6's usertests. Prints KTAP on the console
 * and exits 0 only if every test passed. Tests that must crash run as
 * child processes ("usertests child KIND") and are expected to be killed.
 *
 *   usertests            run every test
 *   usertests child K    act as child K (used by the tests themselves)
 */
#include <usertest.h>

#define KERNEL_ADDRESS 0xC0100000u
#define UNMAPPED_ADDRESS 0x30000000u
#define USER_TOP 0xC0000000u
#define CYCLES 200
#define PAGE 4096u
#define HOLDERS 8         /* children holding kernel objects at once */
#define HOLD_REQUESTS 120 /* SHAREs and MAPs each holder makes (the port allows a process
                           * 256 records): some 3 frames of kernel heap */
#define PARALLEL_SPIN_MS 500     /* how long one spinner per CPU runs */
#define PARALLEL_MIN_BUSY_TICKS 10 /* of its 50 ticks, at the least, with one running */

/* ---------------------------------------------------------------- children */

static volatile uint32_t sink;

static int run_child(const char *kind);

/* Recurse until the stack runs into its guard page (the depth bound is never
 * reached: 2^20 frames of 512 bytes is far more than the stack holds). */
static uint32_t recurse_deep(uint32_t depth)
{
    volatile char pad[512];
    pad[0] = (char)depth;
    if (depth > (1u << 20))
        return pad[0];
    return recurse_deep(depth + 1) + pad[0];
}

/* Spin until `ms` milliseconds have passed; exit 0 if this process got the CPU
 * in at least `min_ticks` different timer ticks (so it was not starved). */
static int spin_and_count_ticks(uint32_t ms, uint32_t min_ticks)
{
    struct vp_clock start, now;
    clock_get(&start);
    uint64_t last = start.ticks, seen = 0;
    do {
        clock_get(&now);
        if (now.ticks != last) {
            seen++;
            last = now.ticks;
        }
    } while (now.uptime_ms - start.uptime_ms < ms);
    return seen >= min_ticks ? 0 : 1;
}

/* Make HOLD_REQUESTS one-page SHAREs of Video0 and as many kernel MAPs,
 * each a few kernel heap objects, and sleep holding them until killed;
 * exit 1 if a request fails. */
static void hold_kernel_objects(void)
{
    HANDLE dev = video_open("Video0");
    for (uint32_t i = 0; i < HOLD_REQUESTS; i++) {
        VIDEO_SHARE_MEMORY_INFORMATION view;
        VIDEO_MEMORY in = { NULL };
        VIDEO_MEMORY_INFORMATION map;
        if (!dev || usertest_share(dev, NtCurrentProcess(), 0, PAGE, &view, NULL) != NO_ERROR ||
            video_control(dev, IOCTL_VIDEO_MAP_VIDEO_MEMORY, &in, sizeof(in), &map, sizeof(map),
                          NULL) != NO_ERROR)
            exit(1);
    }
    for (;;)
        sleep_ms(1000);
}

static void child_kind(const char *kind)
{
    if (strcmp(kind, "exit") == 0)
        exit(0);
    if (strcmp(kind, "status") == 0)
        exit(42);
    if (strcmp(kind, "spin") == 0)
        for (;;)
            sink++;
    if (strcmp(kind, "hold-kernel-objects") == 0)
        hold_kernel_objects();
    if (strcmp(kind, "share-cpu") == 0)
        exit(spin_and_count_ticks(600, 5));
    if (strcmp(kind, "read-kernel") == 0)
        sink = *(volatile uint32_t *)KERNEL_ADDRESS;
    if (strcmp(kind, "write-code") == 0)
        *(volatile uint8_t *)(uintptr_t)&recurse_deep = 0xC3;
    if (strcmp(kind, "jump-unmapped") == 0)
        ((void (*)(void))(uintptr_t)UNMAPPED_ADDRESS)();
    if (strcmp(kind, "divide-by-zero") == 0)
        // cppcheck-suppress [zerodiv, duplicateExpression] ; the crash is the test
        sink = 1000 / (sink - sink);
    if (strcmp(kind, "privileged") == 0)
        __asm__ volatile("cli");
    if (strcmp(kind, "io-port") == 0)
        __asm__ volatile("outb %%al, $0x80" : : "a"(0));
    if (strcmp(kind, "fpu") == 0)
        __asm__ volatile("fninit");
    if (strcmp(kind, "stack-overflow") == 0)
        sink = recurse_deep(1);
    if (strcmp(kind, "kill-parent") == 0) /* refused: only self and own children */
        exit(kill((HANDLE)(intptr_t)usertest_process(getpid()).parent) == -1 &&
             vp_errno == VP_ESRCH ? 0 : 1);
    if (strcmp(kind, "kill-self") == 0)
        kill(NtCurrentProcess());
    if (strcmp(kind, "null") == 0)
        // cppcheck-suppress nullPointer ; the crash is the test
        sink = *(volatile uint32_t *)0;
    exit(77); /* the crash did not happen */
}

static int run_child(const char *kind)
{
    return usertest_run_child("usertests", kind);
}

/* ------------------------------------------------------------------- tests */

static void test_exit_status_reaches_parent(void)
{
    CHECK(run_child("exit") == 0);
    CHECK(run_child("status") == 42);
}

static void test_bad_pointers_are_refused(void)
{
    const uint32_t bad[] = { 0, KERNEL_ADDRESS, UNMAPPED_ADDRESS, USER_TOP - 2, 0xFFFFFFF0u };
    struct vp_clock clock;
    /* The last user bytes are the top of our stack: make a string there run
     * off the end of user space instead of ending in a NUL. */
    ((volatile char *)USER_TOP)[-2] = 'x';
    ((volatile char *)USER_TOP)[-1] = 'x';
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uint32_t p = bad[i];
        CHECK(vp_syscall(SYS_SPAWN, p, 0, 0, 0, 0) == -VP_EFAULT);
        CHECK(vp_syscall(SYS_SPAWN, (uint32_t)"usertests", p ? p : 1, 0, 0, 0) == -VP_EFAULT);
        CHECK(vp_syscall(SYS_WRITE, p, 16, 0, 0, 0) == -VP_EFAULT);
        CHECK(vp_syscall(SYS_READ, p, 16, 0, 0, 0) == -VP_EFAULT);
        CHECK(vp_syscall(SYS_CLOCK, p, 0, 0, 0, 0) == -VP_EFAULT);
        CHECK(vp_syscall(SYS_PROGRAMS, p, 64, 0, 0, 0) == -VP_EFAULT);
        CHECK(vp_syscall(SYS_PROCESSES, p, 4, 0, 0, 0) == -VP_EFAULT);
        CHECK(vp_syscall(SYS_MEMINFO, p, 0, 0, 0, 0) == -VP_EFAULT);
        CHECK(vp_syscall(SYS_WAIT, 1, p ? p : 1, 0, 0, 0) == -VP_EFAULT);
    }
    /* A buffer that starts fine but runs past the end of user space. */
    CHECK(vp_syscall(SYS_WRITE, (uint32_t)&clock, 0x7FFFFFFF, 0, 0, 0) == -VP_EFAULT);
    CHECK(vp_syscall(999, 0, 0, 0, 0, 0) == -VP_ENOSYS);
    CHECK(vp_syscall(SYS_CLOCK, (uint32_t)&clock, 0, 0, 0, 0) == 0);
}

static void test_bad_arguments_are_refused(void)
{
    char long_name[64];
    memset(long_name, 'x', sizeof(long_name) - 1);
    long_name[sizeof(long_name) - 1] = '\0';
    CHECK(!spawn("no-such-program", NULL) && vp_errno == VP_ENOENT);
    CHECK(!spawn(long_name, NULL) && vp_errno == VP_EINVAL);
    CHECK(wait((HANDLE)(intptr_t)1, NULL) == -1 && vp_errno == VP_ESRCH); /* not our child */
    CHECK(kill((HANDLE)(intptr_t)9999) == -1 && vp_errno == VP_ESRCH);
    char small[2];
    CHECK(programs_list(small, sizeof(small)) == -1 && vp_errno == VP_EINVAL);
}

/* A process may kill itself and its own children, not its parent. */
static void test_kill_reaches_only_self_and_children(void)
{
    CHECK(run_child("kill-parent") == 0);
    CHECK(run_child("kill-self") == VP_STATUS_KILLED);
}

static void test_faulting_processes_are_killed(void)
{
    static const char *const kinds[] = {
        "null", "read-kernel", "write-code", "jump-unmapped", "divide-by-zero",
        "privileged", "io-port", "fpu", "stack-overflow",
    };
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        int status = run_child(kinds[i]);
        if (status != VP_STATUS_KILLED)
            printf("# child %s: status %d\n", kinds[i], status);
        CHECK(status == VP_STATUS_KILLED);
    }
}

static void test_spawn_exit_cycles_leak_nothing(void)
{
    struct vp_meminfo before;
    meminfo(&before);
    for (int i = 0; i < CYCLES; i++)
        CHECK(run_child("exit") == 0);
    usertest_check_nothing_leaked(&before);
}

static void test_spawn_kill_cycles_leak_nothing(void)
{
    struct vp_meminfo before;
    meminfo(&before);
    for (int i = 0; i < CYCLES; i++) {
        HANDLE h = spawn("usertests", "child spin");
        int status = -1;
        CHECK(h != NULL);
        if (i % 2)
            yield(); /* sometimes let it run first */
        CHECK(kill(h) == 0);
        CHECK(wait(h, &status) == 0 && status == VP_STATUS_KILLED);
    }
    usertest_check_nothing_leaked(&before);
}

/* F25: what processes' requests took of the kernel heap comes back when
 * they end. HOLDERS children at once make it grow by far more than the
 * leak slack, so a heap that kept the pages of its peak fails the check. */
static void test_kernel_heap_comes_back(void)
{
    struct vp_meminfo before = usertest_memory();
    HANDLE holders[HOLDERS];
    for (int i = 0; i < HOLDERS; i++)
        holders[i] = usertest_spawn_child("usertests", "hold-kernel-objects");
    for (int i = 0; i < HOLDERS; i++)
        CHECK(usertest_wait_sleeping(holders[i]));
    uint32_t grown = usertest_memory().heap_frames - before.heap_frames;
    printf("# %d holders: the kernel heap grew by %u frames\n", HOLDERS, grown);
    CHECK(grown > 2 * VP_LEAK_SLACK_FRAMES);
    for (int i = 0; i < HOLDERS; i++)
        CHECK(usertest_kill_child(holders[i]));
    usertest_check_nothing_leaked(&before);
}

static void test_cpu_bound_processes_share_the_cpu(void)
{
    HANDLE a = spawn("usertests", "child share-cpu");
    HANDLE b = spawn("usertests", "child share-cpu");
    int sa = -1, sb = -1;
    CHECK(a && b);
    CHECK(wait(a, &sa) == 0 && wait(b, &sb) == 0);
    CHECK(sa == 0 && sb == 0);
}

/* As many CPU-bound children as there are CPUs, while we sleep: every
 * CPU's clock finds one of them running there most of the time. */
static void test_cpu_bound_processes_run_on_every_cpu(void)
{
    struct vp_cpu_info before[VP_CPU_MAX], after[VP_CPU_MAX];
    HANDLE spinners[VP_CPU_MAX];
    int cpus = cpu_list(before, VP_CPU_MAX);
    CHECK(cpus >= 1 && cpus <= VP_CPU_MAX);
    for (int i = 0; i < cpus; i++)
        spinners[i] = spawn("usertests", "child spin");
    sleep_ms(PARALLEL_SPIN_MS);
    CHECK(cpu_list(after, VP_CPU_MAX) == cpus);
    for (int i = 0; i < cpus; i++)
        CHECK(usertest_kill_child(spinners[i]));
    for (int i = 0; i < cpus; i++) {
        uint32_t busy = after[i].busy_ticks - before[i].busy_ticks;
        uint32_t idle = after[i].idle_ticks - before[i].idle_ticks;
        printf("# CPU %d: %u ticks busy, %u idle\n", i, busy, idle);
        CHECK(busy >= PARALLEL_MIN_BUSY_TICKS && busy > idle);
    }
}

static void test_sleep_waits_at_least_as_asked(void)
{
    struct vp_clock before, after;
    clock_get(&before);
    CHECK(sleep_ms(100) == 0);
    clock_get(&after);
    CHECK(after.uptime_ms - before.uptime_ms >= 100 - 1000 / before.tick_hz);
    CHECK(after.ticks > before.ticks);
}

static void test_time_slice_can_be_set(void)
{
    CHECK(sched_slice(SCHED_SLICE_MIN - 1) == -1 && vp_errno == VP_EINVAL);
    CHECK(sched_slice(SCHED_SLICE_MAX + 1) == -1 && vp_errno == VP_EINVAL);
    CHECK(sched_slice(SCHED_SLICE_MAX) == SCHED_SLICE_DEFAULT);
    CHECK(sched_slice(SCHED_SLICE_MIN) == SCHED_SLICE_MAX);
    CHECK(sched_slice(SCHED_SLICE_DEFAULT) == SCHED_SLICE_MIN);
}

static void test_heap_grows_and_shrinks(void)
{
    char *block = malloc(1 << 20);
    CHECK(block != NULL);
    if (block) {
        memset(block, 0x5A, 1 << 20);
        CHECK(block[0] == 0x5A && block[(1 << 20) - 1] == 0x5A);
    }
    free(block);
    char *old = sbrk(0);
    CHECK(sbrk(8192) == old);
    CHECK((char *)sbrk(0) == old + 8192);
    old[8191] = 1;
    CHECK(sbrk(-8192) == old + 8192);
    CHECK(sbrk(-0x7FFFFFFF) == (void *)-1);
}

/* Every first touch of a fresh heap page is one page fault, counted for
 * this process alone; touching it again is none. */
static void test_page_faults_are_counted(void)
{
    enum { PAGES = 8 };
    char *old = sbrk((PAGES + 1) * 4096);
    CHECK(old != (void *)-1);
    if (old == (void *)-1)
        return;
    char *fresh = (char *)(((uintptr_t)old + 4095) & ~(uintptr_t)4095);
    uint32_t before = usertest_process(getpid()).page_faults;
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < PAGES; i++)
            fresh[i * 4096] = (char)i;
    }
    uint32_t after = usertest_process(getpid()).page_faults;
    if (after - before != PAGES)
        printf("# %u page faults counted for %d fresh pages\n", after - before, PAGES);
    CHECK(after - before == PAGES);
    sbrk(-(PAGES + 1) * 4096);
}

/* A child killed before it ever ran ends without running an instruction
 * of its own: it never even takes the page fault its first instruction
 * would. With one CPU only: with more, nothing keeps the child from
 * running between the spawn and the kill. */
static void test_killed_before_first_run(void)
{
    struct vp_cpu_info cpus[VP_CPU_MAX];
    if (cpu_list(cpus, VP_CPU_MAX) > 1) {
        usertest_skip("another CPU may run the child first (smprun checks it with the lock held)");
        return;
    }
    /* The longest slice, started afresh: the clock cannot take the CPU
     * from us between the spawn and the kill, however slow the machine. */
    int slice = sched_slice(SCHED_SLICE_MAX);
    yield();
    HANDLE child = usertest_spawn_child("usertests", "exit");
    CHECK(child && kill(child) == 0); /* we still hold the CPU: it has not run */
    sched_slice((uint32_t)slice);
    struct vp_process_info info = usertest_process(handle_pid(child));
    for (int tries = 0; tries < 100 && info.state != VP_PROC_ZOMBIE; tries++) {
        yield();
        info = usertest_process(handle_pid(child));
    }
    if (info.page_faults)
        printf("# the killed child took %u page faults\n", info.page_faults);
    CHECK(info.state == VP_PROC_ZOMBIE && info.page_faults == 0);
    int status = -1;
    CHECK(wait(child, &status) == 0 && status == VP_STATUS_KILLED);
}

/* The kernel was booted without the faultinject option: no one may make
 * its allocations fail. */
static void test_fault_injection_needs_the_option(void)
{
    CHECK(fault_inject(VP_INJECT_FRAME, 1, NULL) == -1 && vp_errno == VP_ENOSYS);
    struct vp_kcheck k;
    CHECK(kcheck(&k) == 0 && k.processes >= 1 && k.pages > 0 && k.first[0] == '\0');
}

static const struct usertest tests[] = {
    { "exit_status_reaches_parent", test_exit_status_reaches_parent },
    { "bad_pointers_are_refused", test_bad_pointers_are_refused },
    { "bad_arguments_are_refused", test_bad_arguments_are_refused },
    { "kill_reaches_only_self_and_children", test_kill_reaches_only_self_and_children },
    { "faulting_processes_are_killed", test_faulting_processes_are_killed },
    { "spawn_exit_cycles_leak_nothing", test_spawn_exit_cycles_leak_nothing },
    { "spawn_kill_cycles_leak_nothing", test_spawn_kill_cycles_leak_nothing },
    { "kernel_heap_comes_back", test_kernel_heap_comes_back },
    { "cpu_bound_processes_share_the_cpu", test_cpu_bound_processes_share_the_cpu },
    { "cpu_bound_processes_run_on_every_cpu", test_cpu_bound_processes_run_on_every_cpu },
    { "sleep_waits_at_least_as_asked", test_sleep_waits_at_least_as_asked },
    { "time_slice_can_be_set", test_time_slice_can_be_set },
    { "heap_grows_and_shrinks", test_heap_grows_and_shrinks },
    { "page_faults_are_counted", test_page_faults_are_counted },
    { "killed_before_first_run", test_killed_before_first_run },
    { "fault_injection_needs_the_option", test_fault_injection_needs_the_option },
};

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "child") == 0)
        child_kind(argv[2]);
    return usertest_main("usertests", tests, sizeof(tests) / sizeof(tests[0]));
}
