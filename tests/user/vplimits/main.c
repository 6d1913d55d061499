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
#define VIEW_HOLDERS 8                 /* process_list_of_many_views_is_quick: children */
#define HELD_VIEWS 64                  /* each holding 64 views of 4 MiB */
#define TREE_HOLDERS 8u                /* a_tree_ends_a_child_at_a_time: children */
#define TREE_VIEWS 32                  /* each holding 32 views of 8 MiB */
#define TREE_VIEW (8u << 20)           /* mapped page by page from */
#define TREE_VIEW_BASE 0x70010000u     /* here (off a 4 MiB boundary, on a bank's) */
#define READ_VIEW_VA 0x60000000u      /* read_keeps_the_line...: the view read into */
#define FIRST_LINE "the first line\n" /* what the harness types first */
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

static uint32_t free_frames(void)
{
    struct vp_meminfo m;
    return meminfo(&m) == 0 ? m.free_frames : 0;
}

/* Touch new heap until no frame is free (a megabyte at a time, then the
 * last frames a page at a time, each in a page table already there), then
 * sleep; exit 3 if a frame stays free. */
__attribute__((noreturn)) static void take_every_frame(void)
{
    usertest_prefault_program();
    while (free_frames() > 1024) {
        volatile uint8_t *p = sbrk(1u << 20);
        for (uint32_t off = 0; p != (void *)-1 && off < (1u << 20); off += PAGE)
            p[off] = 1;
    }
    uint8_t *next = sbrk(0);
    for (uint32_t left = free_frames(); left; left = free_frames()) {
        bool new_table = ((uint32_t)next & ((4u << 20) - 1)) == 0;
        if (new_table && left < 2)
            exit(3);
        *(volatile uint8_t *)sbrk(PAGE) = 1;
        next += PAGE;
    }
    sleep_forever();
}

/* Processes of pid's whose state is `state`. */
static uint32_t children_in_state(int pid, uint32_t state)
{
    static struct vp_process_info list[PROCESS_LIST_MAX];
    int n = process_list(list, PROCESS_LIST_MAX);
    uint32_t found = 0;
    for (int i = 0; i < n; i++)
        found += list[i].parent == pid && list[i].state == state;
    return found;
}

/* Whether child sleeps, with `holders` processes asleep among it and its
 * children, within 10 s (sharing many banked views takes seconds). */
static bool settles(HANDLE child, uint32_t holders)
{
    int pid = handle_pid(child);
    for (int tries = 0; child && tries < 1000; tries++) {
        uint32_t asleep = children_in_state(pid, VP_PROC_SLEEPING) +
                          (usertest_process(pid).state == VP_PROC_SLEEPING);
        if (asleep >= holders && usertest_process(pid).state == VP_PROC_SLEEPING)
            return true;
        sleep_ms(10);
    }
    return false;
}

/* Share TREE_VIEWS views of TREE_VIEW bytes at addresses off every 4 MiB
 * boundary, so that each is mapped page by page in tables of this
 * process's own, then sleep. */
__attribute__((noreturn)) static void hold_mapped_views(void)
{
    HANDLE dev = video_open("Video0");
    for (uint32_t i = 0; dev && i < TREE_VIEWS; i++) {
        VIDEO_SHARE_MEMORY in = { NtCurrentProcess(), 0, TREE_VIEW,
                                  (PVOID)(TREE_VIEW_BASE + i * (TREE_VIEW + (4u << 20))) };
        VIDEO_SHARE_MEMORY_INFORMATION info;
        if (video_control(dev, IOCTL_VIDEO_SHARE_VIDEO_MEMORY, &in, sizeof(in), &info,
                          sizeof(info), NULL) != NO_ERROR)
            exit(2);
    }
    sleep_forever();
}

/* Start TREE_HOLDERS children holding mapped views, wait until they all
 * sleep, then sleep too. */
__attribute__((noreturn)) static void hold_a_tree(void)
{
    for (uint32_t i = 0; i < TREE_HOLDERS; i++) {
        if (!settles(usertest_spawn_child("vplimits", "mapped-views"), 1))
            exit(2);
    }
    sleep_forever();
}

/* Share HELD_VIEWS views of the first 4 MiB of video memory, then sleep. */
__attribute__((noreturn)) static void hold_many_views(void)
{
    HANDLE dev = video_open("Video0");
    VIDEO_SHARE_MEMORY_INFORMATION info;
    for (uint32_t i = 0; dev && i < HELD_VIEWS; i++) {
        if (usertest_share(dev, NtCurrentProcess(), 0, 4u << 20, &info, NULL) != NO_ERROR)
            exit(2);
    }
    sleep_forever();
}

/* Read a line into a view at READ_VIEW_VA, which the parent unshares while
 * this waits, then into the heap: exit 0 when the first read fails and
 * the second gets the first line typed, whole. */
__attribute__((noreturn)) static void read_into_a_view(void)
{
    static char line[64];
    HANDLE dev = video_open("Video0");
    VIDEO_SHARE_MEMORY in = { NtCurrentProcess(), 0, PAGE, (PVOID)READ_VIEW_VA };
    VIDEO_SHARE_MEMORY_INFORMATION info;
    if (!dev || video_control(dev, IOCTL_VIDEO_SHARE_VIDEO_MEMORY, &in, sizeof(in), &info,
                              sizeof(info), NULL) != NO_ERROR || info.VirtualAddress != in.RequestedVirtualAddress)
        exit(2);
    int first = console_read(info.VirtualAddress, sizeof(line));
    int second = console_read(line, sizeof(line));
    printf("# reads into the lost view: %d, then into the heap: %d\n", first, second);
    exit(first < 0 && second == (int)strlen(FIRST_LINE) && memcmp(line, FIRST_LINE, second) == 0
             ? 0 : 1);
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
    if (strcmp(kind, "take-every-frame") == 0)
        take_every_frame();
    if (strcmp(kind, "mapped-views") == 0)
        hold_mapped_views();
    if (strcmp(kind, "tree") == 0)
        hold_a_tree();
    if (strcmp(kind, "many-views") == 0)
        hold_many_views();
    if (strcmp(kind, "reset-latency") == 0) {
        struct vp_latency l;
        exit(latency_get(&l, true) < 0 && vp_errno == VP_EPERM && latency_get(&l, false) == 0
                 ? 0 : 1);
    }
    if (strcmp(kind, "read-view") == 0)
        read_into_a_view();
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

static bool current_mode_is_banked(void)
{
    VIDEO_MODE_INFORMATION mode;
    HANDLE dev = video_open("Video0");
    return dev && video_control(dev, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, &mode,
                                sizeof(mode), NULL) == NO_ERROR &&
           (mode.AttributeFlags & VIDEO_MODE_BANKED);
}

/* Children each holding views of 4 MiB that use the adapter's shared page
 * tables (a thousand pages apiece for no frame): the list is made with a
 * preemption point after each process, and counts pages without a call
 * per page, so no stretch with interrupts off is long. */
static void test_process_list_of_many_views_is_quick(void)
{
    HANDLE children[VIEW_HOLDERS];
    struct vp_latency l;
    static struct vp_process_info list[PROCESS_LIST_MAX];
    for (uint32_t i = 0; i < VIEW_HOLDERS; i++) {
        children[i] = usertest_spawn_child("vplimits", "many-views");
        CHECK(usertest_wait_sleeping(children[i]));
    }
    CHECK(latency_get(&l, true) == 0);
    int n = process_list(list, PROCESS_LIST_MAX);
    CHECK(latency_get(&l, false) == 0);
    uint32_t pages = 0;
    for (int i = 0; i < n; i++)
        pages += list[i].pages;
    printf("# listing %d processes of %u pages kept interrupts off for %u us\n", n, pages,
           l.cause_max_us[SYS_PROCESSES]);
    CHECK(n > (int)VIEW_HOLDERS);
    if (!current_mode_is_banked()) /* banked views map a bank at a time */
        CHECK(pages > VIEW_HOLDERS * HELD_VIEWS * 1024);
    CHECK(l.cause_max_us[SYS_PROCESSES] < LATENCY_BOUND_US / 10);
    for (uint32_t i = 0; i < VIEW_HOLDERS; i++)
        CHECK(usertest_kill_child(children[i]));
}

/* With no frame free, the process list still comes: that is when it is
 * wanted most, to find what to kill. */
static void test_process_list_with_no_frame_free(void)
{
    static struct vp_process_info list[PROCESS_LIST_MAX];
    memset(list, 0, sizeof(list)); /* its pages present before memory runs out */
    HANDLE child = usertest_spawn_child("vplimits", "take-every-frame");
    CHECK(usertest_wait_sleeping(child));
    uint32_t left = free_frames();
    int n = process_list(list, PROCESS_LIST_MAX);
    printf("# %u frames free: the list gave %d\n", left, n);
    CHECK(left == 0 && n >= 2);
    CHECK(usertest_kill_child(child));
}

/* The longest stretch with interrupts off while child, a process of ours
 * that is ready, is killed and reaped. */
static uint32_t end_stretch_us(HANDLE child)
{
    struct vp_latency l;
    CHECK(latency_get(&l, true) == 0);
    CHECK(usertest_kill_child(child));
    CHECK(latency_get(&l, false) == 0);
    return l.max_us;
}

/* The shortest of three longest stretches while a "vplimits child KIND"
 * of `holders` processes settles and is ended: the emulator's host may
 * stretch any one run, not all three. */
static uint32_t fewest_end_stretch_us(const char *kind, uint32_t holders)
{
    uint32_t fewest = UINT32_MAX;
    for (int round = 0; round < 3; round++) {
        HANDLE child = usertest_spawn_child("vplimits", kind);
        CHECK(settles(child, holders));
        uint32_t us = end_stretch_us(child);
        fewest = us < fewest ? us : fewest;
    }
    return fewest;
}

/* A process whose children hold mapped views ends them with it, at once,
 * with the pending interrupts let in after each: the longest stretch is
 * that of one child, give or take, not the sum of them all (which is
 * TREE_HOLDERS times as long, past the bound). */
static void test_a_tree_ends_a_child_at_a_time(void)
{
    uint32_t single = fewest_end_stretch_us("mapped-views", 1);
    uint32_t whole = fewest_end_stretch_us("tree", TREE_HOLDERS + 1);
    printf("# one child with views ends in %u us, a tree of %u in %u us\n", single,
           TREE_HOLDERS, whole);
    CHECK(whole < TREE_HOLDERS / 2 * single + 200);
}

/* A line typed while its reader's buffer went bad (the parent unshared
 * the view holding it during the wait) stays for the reader's next read:
 * it was once taken, found unwritable and lost. The harness types two
 * lines when it sees the cue. */
static void test_read_keeps_the_line_its_buffer_lost(void)
{
    HANDLE dev = video_open("Video0");
    HANDLE child = usertest_spawn_child("vplimits", "read-view");
    int status = -1;
    CHECK(dev && usertest_wait_sleeping(child));
    CHECK(usertest_unshare(dev, child, (void *)READ_VIEW_VA) == NO_ERROR);
    printf("# type two lines\n");
    CHECK(wait(child, &status) == 0);
    printf("# the reader exited with status %d\n", status);
    CHECK(status == 0);
}

/* A child cannot reset the latency figures (it would hide its own
 * stretches from the program judging it); it may read them. */
static void test_only_a_program_without_a_parent_resets_latency(void)
{
    CHECK(usertest_run_child("vplimits", "reset-latency") == 0);
}

/* Every row of the screen full of text, each unlike the row below it, so
 * that a scroll moves or repaints them all. */
static void fill_the_screen_with_text(void)
{
    static char text[TEXT_LINES][TEXT_LINE];
    for (uint32_t r = 0; r < TEXT_LINES; r++) {
        for (uint32_t c = 0; c + 1 < TEXT_LINE; c++)
            text[r][c] = (char)('!' + (r * 7 + c) % 94);
        text[r][TEXT_LINE - 1] = '\n';
    }
    CHECK(console_write(text[0], sizeof(text)) == (int)sizeof(text));
}

/* The longest stretch with interrupts off of a write of text[0, n), on a
 * screen full of text. */
static uint32_t write_stretch_us(const char *text, uint32_t n)
{
    struct vp_latency l;
    fill_the_screen_with_text();
    CHECK(latency_get(&l, true) == 0);
    CHECK(console_write(text, n) == (int)n);
    CHECK(latency_get(&l, false) == 0);
    return l.cause_max_us[SYS_WRITE];
}

/* A tab moves the cursor up to eight columns, so a write goes at most
 * eight tabs between preemption points: 64 tabs, 512 columns, once went
 * in one piece and scrolled five times with interrupts off (57 ms against
 * 15 ms for one scroll on the banked console). Its longest stretch must be
 * that of a write of one line's scroll, give or take. */
static void test_tabs_scroll_once_a_piece(void)
{
    static char tabs[64];
    memset(tabs, '\t', sizeof(tabs));
    uint32_t one_scroll = 0, tabbed = ~0u;
    for (int i = 0; i < 3; i++) { /* a busy host only adds: the most of one, the least of the other */
        uint32_t scroll = write_stretch_us("\n", 1), tab = write_stretch_us(tabs, sizeof(tabs));
        one_scroll = scroll > one_scroll ? scroll : one_scroll;
        tabbed = tab < tabbed ? tab : tabbed;
    }
    printf("\n# one scroll: %u us; 64 tabs: %u us\n", one_scroll, tabbed);
    CHECK(tabbed < 2 * one_scroll + 500);
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
    fill_the_screen_with_text();
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
    { "process_list_of_many_views_is_quick", test_process_list_of_many_views_is_quick },
    { "process_list_with_no_frame_free", test_process_list_with_no_frame_free },
    { "tabs_scroll_once_a_piece", test_tabs_scroll_once_a_piece },
    { "a_tree_ends_a_child_at_a_time", test_a_tree_ends_a_child_at_a_time },
    { "read_keeps_the_line_its_buffer_lost", test_read_keeps_the_line_its_buffer_lost },
    { "only_a_program_without_a_parent_resets_latency",
      test_only_a_program_without_a_parent_resets_latency },
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
