/*
 * vplimits: no process can stop, freeze or starve the kernel. Each test
 * pushes one limit (the process table, the length of a system call, the
 * memory a call may take, the longest sleep, the process list's output,
 * mode sets)
 * and checks what the kernel did, not only what it returned. Prints KTAP.
 *
 *   vplimits               run every test
 *   vplimits fill-table    start sleeping children until the table is full,
 *                          then exit at once (its children must end with it)
 *   vplimits arm-and-exit  arm a frame allocation failure, then exit (the
 *                          arming must end with this process)
 *   vplimits child K       act as child K (used by the tests themselves)
 */
#include <usertest.h>
#include <vputil.h>

#define PAGE 4096u
#define WRITE_LINES 48               /* write_lets_the_clock_tick: 48 lines of */
#define WRITE_LINE 2048              /* 2 KiB, some 1,000 screen lines to scroll */
#define READ_BUFFER (64u << 20)      /* a line read into 64 MiB of untouched heap */
#define HUGE_HEAP (1536u << 20)      /* a heap of 1.5 GiB the process list walks */
#define TEXT_LINES 40                /* every_mode_set_keeps_the_bound: a screen */
#define TEXT_LINE 100                /* full of text, whatever the mode */

/* The longest sleeps: rounded up to 10 ms ticks, each would wrap to 0. */
static const uint32_t LONGEST_SLEEPS[] = { 0xFFFFFFF7u, 0xFFFFFFFCu, 0xFFFFFFFFu };
#define SLEEPS (sizeof(LONGEST_SLEEPS) / sizeof(LONGEST_SLEEPS[0]))

/* ---------------------------------------------------------------- children */

/* Start sleeping children until the table is full; returns how many. */
static int fill_table(void)
{
    int started = 0;
    while (spawn("vplimits", "child sleep"))
        started++;
    printf("vplimits: %d children fill the process table (then: error %d)\n", started, vp_errno);
    return started;
}

__attribute__((noreturn)) static void sleep_forever(void)
{
    for (;;)
        sleep_ms(1000);
}

static void child_kind(const char *kind)
{
    if (strcmp(kind, "sleep") == 0)
        sleep_forever();
    if (strncmp(kind, "sleep-long", 10) == 0) {
        sleep_ms(LONGEST_SLEEPS[kind[10] - '0']);
        exit(1); /* it came back */
    }
    if (strcmp(kind, "read-huge") == 0) {
        char *buf = sbrk(READ_BUFFER);
        exit(buf == (void *)-1 ? 2 : console_read(buf, READ_BUFFER) < 0 ? 3 : 0);
    }
    if (strcmp(kind, "huge-heap") == 0 && sbrk(HUGE_HEAP) != (void *)-1)
        sleep_forever();
    exit(99);
}

/* ------------------------------------------------------------------- tests */

/* Whether a run-list program before this one left the table full (the
 * fill-table entry) or an allocation failure armed (arm-and-exit): then
 * this one would not have started at all. */
static void test_the_table_is_empty_at_start(void)
{
    struct vp_meminfo m = usertest_memory();
    printf("# %u process(es)\n", m.processes);
    CHECK(m.processes == 1);
}

/* A full table, its owner killed: once the owner is collected, its children
 * are gone and every slot but the caller's is free again. */
static void test_children_end_with_their_parent(void)
{
    struct vp_meminfo before = usertest_memory();
    HANDLE filler = usertest_spawn_child("vplimits", "fill");
    CHECK(filler != NULL);
    for (int i = 0; i < 200 && usertest_memory().processes < 64; i++)
        sleep_ms(10);
    printf("# %u processes with the filler's children\n", usertest_memory().processes);
    CHECK(usertest_memory().processes == 64);
    CHECK(usertest_kill_child(filler));
    CHECK(usertest_memory().processes == before.processes);
    usertest_check_nothing_leaked(&before);
}

/* Time in milliseconds by the time stamp counter (in 32-bit arithmetic:
 * both sides in units of 1,024 cycles). */
static uint32_t tsc_ms(uint64_t cycles, const struct vp_latency *l)
{
    uint32_t per_ms = l->tsc_per_ms >> 10;
    return per_ms ? (uint32_t)(cycles >> 10) / per_ms : 0;
}

/* A write that keeps the console busy for a second or more: the clock must
 * tick through it (by the time stamp counter, it loses at most half), and
 * no stretch of it with interrupts off may pass the bound. */
static void test_write_lets_the_clock_tick(void)
{
    static char text[WRITE_LINES * WRITE_LINE];
    for (uint32_t i = 0; i < sizeof(text); i++)
        text[i] = (i + 1) % WRITE_LINE ? ' ' : '\n';
    struct vp_latency l;
    struct vp_clock start, end;
    CHECK(latency_get(&l, true) == 0);
    clock_get(&start);
    uint64_t t0 = rdtsc();
    CHECK(console_write(text, sizeof(text)) == (int)sizeof(text));
    uint32_t elapsed = tsc_ms(rdtsc() - t0, &l);
    clock_get(&end);
    CHECK(latency_get(&l, false) == 0);
    uint32_t ticked = (uint32_t)(end.uptime_ms - start.uptime_ms);
    printf("# %u bytes: %u ms by the TSC, %u ms by the clock, longest stretch %u us\n",
           (unsigned)sizeof(text), elapsed, ticked, l.cause_max_us[SYS_WRITE]);
    CHECK(ticked * 2 >= elapsed);
    CHECK(l.cause_max_us[SYS_WRITE] < LATENCY_BOUND_US);
}

/* A child waiting for a line with a 64 MiB buffer holds no more memory
 * than before it asked: nothing is written until a line comes. */
static void test_read_touches_only_what_it_writes(void)
{
    HANDLE child = usertest_spawn_child("vplimits", "read-huge");
    CHECK(usertest_wait_sleeping(child));
    struct vp_process_info info = usertest_process(handle_pid(child));
    printf("# a reader of %u MiB holds %u pages\n", READ_BUFFER >> 20, info.pages);
    CHECK(info.pages < 64);
    CHECK(usertest_kill_child(child));
}

/* The longest sleeps (whose rounding to ticks would wrap) sleep. */
static void test_sleep_of_the_longest_time_sleeps(void)
{
    for (uint32_t i = 0; i < SLEEPS; i++) {
        char args[32];
        snprintf(args, sizeof(args), "sleep-long%u", i);
        HANDLE child = usertest_spawn_child("vplimits", args);
        CHECK(usertest_wait_sleeping(child));
        sleep_ms(100);
        struct vp_process_info info = usertest_process(handle_pid(child));
        printf("# sleep(0x%x): after 100 ms the sleeper is in state %u\n", LONGEST_SLEEPS[i],
               info.state);
        CHECK(info.state == VP_PROC_SLEEPING);
        CHECK(usertest_kill_child(child));
    }
}

/* A heap address whose page is mapped and whose next page is not. */
static uint8_t *end_of_heap(void)
{
    uintptr_t brk = (uintptr_t)sbrk(0);
    uintptr_t pad = (PAGE - brk % PAGE) % PAGE;
    return (uint8_t *)sbrk((intptr_t)(pad + PAGE)) + pad + PAGE;
}

/* The process list into a buffer whose second entry is not writable:
 * an error, and not one byte of the first entry written. */
static void test_process_list_writes_all_or_nothing(void)
{
    HANDLE child = usertest_spawn_child("vplimits", "sleep");
    uint8_t *end = end_of_heap();
    end[-1] = 0; /* its last page is present */
    struct vp_process_info *out = (struct vp_process_info *)(end - sizeof(*out));
    memset(out, 0xEE, sizeof(*out));
    CHECK(process_list(out, 2) == -1 && vp_errno == VP_EFAULT);
    bool untouched = true;
    for (uint32_t i = 0; i < sizeof(*out); i++)
        untouched &= ((uint8_t *)out)[i] == 0xEE;
    CHECK(untouched);
    CHECK(usertest_kill_child(child));
}

/* A process with a heap of 1.5 GiB: listing it walks no page one by one. */
static void test_process_list_of_a_huge_heap_is_quick(void)
{
    HANDLE child = usertest_spawn_child("vplimits", "huge-heap");
    CHECK(usertest_wait_sleeping(child));
    struct vp_latency l;
    struct vp_process_info list[8];
    CHECK(latency_get(&l, true) == 0);
    CHECK(process_list(list, 8) >= 2);
    CHECK(latency_get(&l, false) == 0);
    printf("# listing it kept interrupts off for %u us\n", l.cause_max_us[SYS_PROCESSES]);
    CHECK(l.cause_max_us[SYS_PROCESSES] < LATENCY_BOUND_US / 10);
    CHECK(usertest_kill_child(child));
}

/* Every mode set, to a banked mode or a linear one, keeps interrupts off
 * for less than the bound, though it clears the frame and the console
 * repaints itself on the new mode; the boot mode is set again at the end. */
static void test_every_mode_set_keeps_the_bound(void)
{
    static struct usertest_modes list;
    VIDEO_MODE_INFORMATION boot;
    HANDLE dev = video_open("Video0");
    CHECK(dev && usertest_read_modes(dev, &list));
    CHECK(video_control(dev, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, &boot, sizeof(boot),
                        NULL) == NO_ERROR);
    static char text[TEXT_LINES][TEXT_LINE];
    for (uint32_t r = 0; r < TEXT_LINES; r++) { /* a screen full of text to repaint */
        for (uint32_t c = 0; c + 1 < TEXT_LINE; c++)
            text[r][c] = (char)('!' + (r * 7 + c) % 94);
        text[r][TEXT_LINE - 1] = '\n';
    }
    CHECK(console_write(text[0], sizeof(text)) == (int)sizeof(text));
    uint32_t worst = 0;
    for (ULONG i = 0; i < list.count; i++) {
        const VIDEO_MODE_INFORMATION *m = &list.modes[i];
        struct vp_latency l;
        CHECK(latency_get(&l, true) == 0);
        CHECK(usertest_set_mode(dev, m->ModeIndex) == NO_ERROR);
        CHECK(latency_get(&l, false) == 0);
        uint32_t us = l.cause_max_us[SYS_VIDEO_CONTROL];
        if (us >= worst)
            printf("# %ux%ux%u%s: %u us\n", m->VisScreenWidth, m->VisScreenHeight,
                   m->BitsPerPlane, m->AttributeFlags & VIDEO_MODE_BANKED ? " banked" : "", us);
        worst = us > worst ? us : worst;
    }
    CHECK(usertest_set_mode(dev, boot.ModeIndex) == NO_ERROR);
    printf("# %u modes set, the longest stretch %u us\n", list.count, worst);
    CHECK(list.count > 0 && worst < LATENCY_FRAME_BOUND_US);
}

static const struct usertest tests[] = {
    { "the_table_is_empty_at_start", test_the_table_is_empty_at_start },
    { "children_end_with_their_parent", test_children_end_with_their_parent },
    { "write_lets_the_clock_tick", test_write_lets_the_clock_tick },
    { "read_touches_only_what_it_writes", test_read_touches_only_what_it_writes },
    { "sleep_of_the_longest_time_sleeps", test_sleep_of_the_longest_time_sleeps },
    { "process_list_writes_all_or_nothing", test_process_list_writes_all_or_nothing },
    { "process_list_of_a_huge_heap_is_quick", test_process_list_of_a_huge_heap_is_quick },
    { "every_mode_set_keeps_the_bound", test_every_mode_set_keeps_the_bound },
};

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "child") == 0) {
        if (strcmp(argv[2], "fill") == 0) {
            fill_table();
            sleep_forever();
        }
        child_kind(argv[2]);
    }
    if (argc >= 2 && strcmp(argv[1], "fill-table") == 0)
        return fill_table() > 0 ? 0 : 1;
    if (argc >= 2 && strcmp(argv[1], "arm-and-exit") == 0)
        return fault_inject(VP_INJECT_FRAME, 1, NULL) == 0 ? 0 : 1;
    return usertest_main("vplimits", tests, sizeof(tests) / sizeof(tests[0]));
}
