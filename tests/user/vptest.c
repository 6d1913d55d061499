/*
 * vptest: user-level tests of the video port's linear views, following the
 * test list of docs/contract.md (e): each case asserts the exact
 * VP_STATUS, the Information count and the address-space state after it.
 * Prints KTAP on the console; exits 0 only if every test passed.
 *
 *   vptest                 run every test
 *   vptest child KIND ...  act as a child process for a test
 */
#include <stddef.h>
#include <usertest.h>

#define SHARE_CYCLES 1000
#define KILL_CYCLES 200
#define SIXTY_FOUR_K 0x10000u
#define PTE_CACHE_BITS (VP_PTE_PWT | VP_PTE_PCD | VP_PTE_PAT)

static HANDLE dev;
static VIDEO_MODE_INFORMATION mode;
static volatile uint32_t sink;

/* ---------------------------------------------------------------- helpers */

static ULONG frame_size(void)
{
    return mode.VisScreenHeight * mode.ScreenStride;
}

/* SHARE with explicit lengths; *info gets the output, *returned Information. */
static VP_STATUS share(HANDLE process, ULONG offset, ULONG size, VIDEO_SHARE_MEMORY_INFORMATION *info,
                       ULONG *returned)
{
    return usertest_share(dev, process, offset, size, info, returned);
}

/* Share [offset, offset + size) with this process; the base, or NULL. */
static uint8_t *share_here(ULONG offset, ULONG size)
{
    VIDEO_SHARE_MEMORY_INFORMATION info;
    ULONG n;
    return share(NtCurrentProcess(), offset, size, &info, &n) == NO_ERROR ? info.VirtualAddress
                                                                           : NULL;
}

static VP_STATUS unshare(HANDLE process, const void *va)
{
    return usertest_unshare(dev, process, va);
}

static bool mapped(const void *va)
{
    return page_entry(va) & VP_PTE_PRESENT;
}

static uint32_t records(void)
{
    struct vp_meminfo m;
    meminfo(&m);
    return m.video_records;
}

static uint32_t regions(void)
{
    struct vp_meminfo m;
    meminfo(&m);
    return m.regions;
}

/* The user pages a process has mapped. */
static uint32_t pages_of(int pid)
{
    return usertest_process(pid).pages;
}

/* Start "vptest child hold" and wait until it sleeps, so that its own
 * page count stays still while a test watches it. */
static HANDLE spawn_sleeping_child(void)
{
    HANDLE child = usertest_spawn_child("vptest", "hold");
    usertest_wait_sleeping(child);
    return child;
}

static int run_child(const char *args)
{
    return usertest_run_child("vptest", args);
}

/* ---------------------------------------------------------------- children */

static void child_kind(int argc, char **argv)
{
    const char *kind = argv[2];
    uint32_t va = argc > 3 ? (uint32_t)strtoul(argv[3], NULL, 16) : 0;
    if (strcmp(kind, "hold") == 0) /* wait to be killed */
        for (;;)
            sleep_ms(1000);
    if (strcmp(kind, "unmapped-at") == 0) /* a view of the parent is not ours */
        exit(page_entry((void *)va) == 0 ? 0 : 1);
    if (strcmp(kind, "touch") == 0) /* must be killed */
        sink = *(volatile uint32_t *)va;
    dev = video_open("Video0");
    video_control(dev, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, &mode, sizeof(mode), NULL);
    uint8_t *view = share_here(0, frame_size());
    if (!view)
        exit(2);
    memset(view, 0x5A, mode.ScreenStride);
    if (strcmp(kind, "share-and-exit") == 0)
        exit(0);
    if (strcmp(kind, "share-and-hold") == 0)
        for (;;)
            sleep_ms(1000);
    if (strcmp(kind, "touch-after-unshare") == 0 && unshare(NtCurrentProcess(), view) == NO_ERROR)
        sink = *(volatile uint32_t *)view;
    exit(77); /* the expected crash did not happen */
}

/* ------------------------------------------------------------------ tests */

/* Each code as CTL_CODE makes it against the value NT publishes, and the
 * list counted, so that a code dropped from it shows too. */
static void test_ioctl_codes_have_nt_values(void) /* T1 */
{
    unsigned listed = 0;
#define HAS_VALUE(code, value) CHECK((code) == (value)); listed++;
    VIDPORT_REQUEST_CODES(HAS_VALUE)
#undef HAS_VALUE
    CHECK(listed == 15); /* NT's 13 (T1) and vidport's two */
}

static void test_structures_have_i386_layouts(void) /* T2 */
{
    CHECK(sizeof(VIDEO_SHARE_MEMORY) == 16 && sizeof(VIDEO_SHARE_MEMORY_INFORMATION) == 12);
    CHECK(sizeof(VIDEO_MEMORY) == 4 && sizeof(VIDEO_MEMORY_INFORMATION) == 16);
    CHECK(sizeof(VIDEO_PUBLIC_ACCESS_RANGES) == 12 && sizeof(STATUS_BLOCK) == 8);
    CHECK(sizeof(VIDEO_REQUEST_PACKET) == 24 && sizeof(VIDEO_MODE_INFORMATION) == 80);
    CHECK(sizeof(DD_MAPMEMORYDATA) == 20);
    CHECK(offsetof(VIDEO_SHARE_MEMORY, ViewOffset) == 4);
    CHECK(offsetof(VIDEO_SHARE_MEMORY, RequestedVirtualAddress) == 12);
    CHECK(offsetof(VIDEO_SHARE_MEMORY_INFORMATION, VirtualAddress) == 8);
    CHECK(offsetof(VIDEO_MEMORY_INFORMATION, FrameBufferLength) == 12);
    CHECK(offsetof(STATUS_BLOCK, Information) == 4);
    CHECK(offsetof(VIDEO_REQUEST_PACKET, OutputBufferLength) == 20);
    CHECK(offsetof(DD_MAPMEMORYDATA, ddRVal) == 16);
    CHECK(offsetof(VIDEO_MODE_INFORMATION, AttributeFlags) == 64);
    CHECK(offsetof(VIDEO_MODE_INFORMATION, DriverSpecificAttributeFlags) == 76);
}

static void test_share_maps_the_frame_buffer(void) /* T3, F8 */
{
    ULONG size = (frame_size() + SIXTY_FOUR_K - 1) & ~(SIXTY_FOUR_K - 1), n = 0;
    VIDEO_SHARE_MEMORY_INFORMATION info;
    CHECK(share(NtCurrentProcess(), 0, size, &info, &n) == NO_ERROR);
    CHECK(n == sizeof(info) && info.VirtualAddress && info.SharedViewSize == size);
    CHECK(info.SharedViewOffset == 0);
    uint8_t *a = info.VirtualAddress;
    CHECK(mapped(a + size - 1) && !mapped(a + size)); /* exactly the pages asked for */
    uint8_t *b = share_here(0, 4096);
    CHECK(b && b != a);
    uint32_t pte = page_entry(a);
    CHECK((pte & (VP_PTE_PRESENT | VP_PTE_WRITABLE | VP_PTE_USER)) == 0x7);
    CHECK((pte & PTE_CACHE_BITS) == VP_PTE_PWT); /* write-combining through the PAT */
    CHECK(b && (page_entry(b) & VP_PTE_FRAME) == (pte & VP_PTE_FRAME));
    *(volatile uint32_t *)(a + 4) = 0xC0FFEE11;
    CHECK(b && *(volatile uint32_t *)(b + 4) == 0xC0FFEE11);
    CHECK(unshare(NtCurrentProcess(), a) == NO_ERROR && unshare(NtCurrentProcess(), b) == NO_ERROR);
}

/* A refused SHARE maps nothing and reports no output. */
static void check_refused(VP_STATUS expected, HANDLE process, ULONG offset, ULONG size)
{
    uint32_t before = regions(), video = records();
    VIDEO_SHARE_MEMORY_INFORMATION info = { 1, 2, (PVOID)3 };
    ULONG n = 99;
    VP_STATUS status = share(process, offset, size, &info, &n);
    if (status != expected)
        printf("# offset 0x%x size 0x%x: status %d, expected %d\n", offset, size, (int)status,
               (int)expected);
    CHECK(status == expected && n == 0);
    CHECK(regions() == before && records() == video);
}

static void test_share_refuses_bad_requests(void) /* T4-T9, F4, F5 */
{
    VIDEO_SHARE_MEMORY in = { NtCurrentProcess(), 0, 4096, NULL };
    VIDEO_SHARE_MEMORY_INFORMATION out;
    ULONG n = 99;
    CHECK(video_control(dev, IOCTL_VIDEO_SHARE_VIDEO_MEMORY, &in, 15, &out, 12, &n) ==
          ERROR_INSUFFICIENT_BUFFER && n == 0);
    CHECK(video_control(dev, IOCTL_VIDEO_SHARE_VIDEO_MEMORY, &in, 16, &out, 11, &n) ==
          ERROR_INSUFFICIENT_BUFFER && n == 0);
    check_refused(ERROR_INVALID_PARAMETER, NtCurrentProcess(), 0, 0);
    check_refused(ERROR_INVALID_PARAMETER, NtCurrentProcess(), 0x7FFFF000, 4096);
    check_refused(ERROR_INVALID_PARAMETER, NtCurrentProcess(), 0, 0x10000000);
    check_refused(ERROR_INVALID_PARAMETER, NtCurrentProcess(), 0x100, 0xFFFFFF80);
    check_refused(ERROR_INVALID_PARAMETER, NtCurrentProcess(), 0x1000, 0xFFFFF800);
    check_refused(ERROR_INVALID_PARAMETER, NtCurrentProcess(), 0x100, 4096);
    check_refused(ERROR_INVALID_PARAMETER, (HANDLE)12345, 0, 4096);
    check_refused(ERROR_INVALID_PARAMETER, (HANDLE)1, 0, 4096);
}

static void test_share_honours_view_offset(void) /* T10, F4, F6 */
{
    VIDEO_SHARE_MEMORY_INFORMATION info;
    ULONG n;
    uint8_t *whole = share_here(0, 2 * SIXTY_FOUR_K);
    CHECK(share(NtCurrentProcess(), SIXTY_FOUR_K, 100, &info, &n) == NO_ERROR);
    CHECK(info.SharedViewOffset == SIXTY_FOUR_K && info.SharedViewSize == 4096);
    uint8_t *part = info.VirtualAddress;
    CHECK(whole && part);
    if (whole && part) {
        whole[SIXTY_FOUR_K + 8] = 0xA5;
        CHECK(part[8] == 0xA5);
        CHECK(!mapped(part + 4096)); /* no rounding beyond the request's pages */
    }
    CHECK(unshare(NtCurrentProcess(), whole) == NO_ERROR);
    CHECK(unshare(NtCurrentProcess(), part) == NO_ERROR);
}

static void test_share_reads_input_before_output(void) /* T11 */
{
    union {
        VIDEO_SHARE_MEMORY in;
        VIDEO_SHARE_MEMORY_INFORMATION out;
    } same = { .in = { NtCurrentProcess(), 0x2000, 0x3000, NULL } };
    ULONG n;
    CHECK(video_control(dev, IOCTL_VIDEO_SHARE_VIDEO_MEMORY, &same, sizeof(same.in), &same,
                        sizeof(same.out), &n) == NO_ERROR);
    CHECK(n == 12 && same.out.SharedViewOffset == 0x2000 && same.out.SharedViewSize == 0x3000);
    CHECK(unshare(NtCurrentProcess(), same.out.VirtualAddress) == NO_ERROR);
}

static void test_share_into_a_child_and_unshare_it(void) /* T12, T19, F3, F12 */
{
    HANDLE child = spawn_sleeping_child();
    uint32_t before = pages_of(handle_pid(child)), mine = regions();
    VIDEO_SHARE_MEMORY_INFORMATION info;
    ULONG n;
    CHECK(child && share(child, 0, 8 * 4096, &info, &n) == NO_ERROR);
    CHECK(pages_of(handle_pid(child)) == before + 8);
    CHECK(regions() == mine + 1 && !mapped(info.VirtualAddress)); /* in the child only */
    CHECK(unshare(NtCurrentProcess(), info.VirtualAddress) == ERROR_INVALID_PARAMETER);
    CHECK(unshare(child, info.VirtualAddress) == NO_ERROR);
    CHECK(pages_of(handle_pid(child)) == before);
    int status;
    CHECK(kill(child) == 0 && wait(child, &status) == 0 && status == VP_STATUS_KILLED);
}

static void test_views_are_independent(void) /* T13, F10 */
{
    uint8_t *a = share_here(0, 4096), *b = share_here(0, 4096);
    CHECK(a && b && a != b);
    CHECK(unshare(NtCurrentProcess(), a) == NO_ERROR);
    CHECK(!mapped(a) && mapped(b));
    if (b)
        b[0] = 1;
    CHECK(unshare(NtCurrentProcess(), b) == NO_ERROR);
}

static void test_unshare_removes_the_whole_view(void) /* T14-T18, F11 */
{
    uint8_t *view = share_here(0, 16 * 4096);
    uint8_t *heap = malloc(64);
    CHECK(view && heap);
    if (!view || !heap)
        return;
    uint32_t video = records();
    CHECK(unshare(NtCurrentProcess(), view + 0x1234) == NO_ERROR);
    CHECK(!mapped(view) && !mapped(view + 15 * 4096) && records() == video - 1);
    CHECK(unshare(NtCurrentProcess(), view) == ERROR_INVALID_PARAMETER);
    CHECK(unshare(NtCurrentProcess(), heap) == ERROR_INVALID_PARAMETER);
    CHECK(unshare(NtCurrentProcess(), &video) == ERROR_INVALID_PARAMETER);
    heap[0] = 7;
    CHECK(heap[0] == 7);
    free(heap);
    VIDEO_SHARE_MEMORY in = { NtCurrentProcess(), 0, 0, view };
    CHECK(video_control(dev, IOCTL_VIDEO_UNSHARE_VIDEO_MEMORY, &in, 4, NULL, 0, NULL) ==
          ERROR_INSUFFICIENT_BUFFER);
}

static void test_map_is_reference_counted(void) /* T20, T21 */
{
    VIDEO_MEMORY in = { NULL };
    VIDEO_MEMORY_INFORMATION first, second;
    ULONG n = 0;
    uint32_t video = records();
    CHECK(video_control(dev, IOCTL_VIDEO_MAP_VIDEO_MEMORY, &in, 4, &first, 16, &n) == NO_ERROR);
    CHECK(n == 16 && video_control(dev, IOCTL_VIDEO_MAP_VIDEO_MEMORY, &in, 4, &second, 16, &n) ==
                         NO_ERROR);
    CHECK(first.VideoRamBase == second.VideoRamBase && records() == video + 2);
    CHECK(first.FrameBufferBase == first.VideoRamBase);
    CHECK(first.VideoRamLength == mode.VideoMemoryBitmapHeight * mode.ScreenStride);
    CHECK(first.FrameBufferLength == mode.VisScreenHeight * mode.ScreenStride);
    in.RequestedVirtualAddress = first.VideoRamBase;
    CHECK(video_control(dev, IOCTL_VIDEO_UNMAP_VIDEO_MEMORY, &in, 4, NULL, 0, &n) == NO_ERROR);
    CHECK(video_control(dev, IOCTL_VIDEO_UNMAP_VIDEO_MEMORY, &in, 4, NULL, 0, &n) == NO_ERROR);
    CHECK(video_control(dev, IOCTL_VIDEO_UNMAP_VIDEO_MEMORY, &in, 4, NULL, 0, &n) ==
          ERROR_INVALID_PARAMETER);
    CHECK(records() == video);
    in.RequestedVirtualAddress = (PVOID)0x12345000;
    CHECK(video_control(dev, IOCTL_VIDEO_UNMAP_VIDEO_MEMORY, &in, 4, NULL, 0, &n) ==
          ERROR_INVALID_PARAMETER);
    CHECK(video_control(dev, IOCTL_VIDEO_UNMAP_VIDEO_MEMORY, &in, 3, NULL, 0, &n) ==
          ERROR_INSUFFICIENT_BUFFER);
    CHECK(video_control(dev, IOCTL_VIDEO_MAP_VIDEO_MEMORY, &in, 4, &first, 15, &n) ==
          ERROR_INSUFFICIENT_BUFFER && n == 0);
}

static void test_exit_and_kill_remove_views(void) /* T22, F20 */
{
    struct vp_meminfo before;
    meminfo(&before);
    CHECK(run_child("share-and-exit") == 0);
    usertest_check_nothing_leaked(&before);
    for (int i = 0; i < KILL_CYCLES; i++) {
        HANDLE h = usertest_spawn_child("vptest", "share-and-hold");
        int status = -1;
        CHECK(h != NULL);
        for (int tries = 0; tries < 50 && pages_of(handle_pid(h)) < 400; tries++)
            sleep_ms(1 + i % 3); /* let it share and draw (most of the time) */
        CHECK(kill(h) == 0 && wait(h, &status) == 0 && status == VP_STATUS_KILLED);
    }
    usertest_check_nothing_leaked(&before);
}

static void test_bad_accesses_kill_only_the_offender(void) /* T14, T23, F13 */
{
    uint8_t *view = share_here(0, 4096);
    char args[48];
    CHECK(view != NULL);
    snprintf(args, sizeof(args), "unmapped-at %x", (uint32_t)view);
    CHECK(run_child(args) == 0);
    snprintf(args, sizeof(args), "touch %x", (uint32_t)view);
    CHECK(run_child(args) == VP_STATUS_KILLED);
    CHECK(run_child("touch-after-unshare") == VP_STATUS_KILLED);
    if (view)
        view[0] = 3; /* ours still works */
    CHECK(unshare(NtCurrentProcess(), view) == NO_ERROR);
}

static void test_share_unshare_cycles_leak_nothing(void)
{
    struct vp_meminfo before;
    meminfo(&before);
    for (int i = 0; i < SHARE_CYCLES; i++) {
        uint8_t *view = share_here(0, frame_size());
        CHECK(view != NULL);
        if (view)
            view[i] = (uint8_t)i;
        CHECK(unshare(NtCurrentProcess(), view) == NO_ERROR);
    }
    usertest_check_nothing_leaked(&before);
}

static void test_requests_refuse_bad_pointers_and_handles(void) /* F9, T33 */
{
    ULONG n = 99;
    uint32_t video = records();
    VIDEO_SHARE_MEMORY in = { NtCurrentProcess(), 0, 4096, NULL };
    CHECK(video_control(dev, IOCTL_VIDEO_SHARE_VIDEO_MEMORY, (void *)0xC0100000, 16, &in, 12,
                        &n) == ERROR_NOACCESS);
    CHECK(video_control(dev, IOCTL_VIDEO_SHARE_VIDEO_MEMORY, &in, 16, (void *)0x1000, 12, &n) ==
          ERROR_NOACCESS);
    CHECK(records() == video); /* the request did not run */
    CHECK(video_control((HANDLE)0x56500007, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, &mode,
                        sizeof(mode), &n) == ERROR_INVALID_HANDLE);
    CHECK(video_open("Video9") == NULL && video_open("Video0") == dev);
    CHECK(video_control(dev, 0x230800, NULL, 0, NULL, 0, &n) == ERROR_INVALID_FUNCTION && n == 0);
    CHECK(video_last_ntstatus() == STATUS_NOT_IMPLEMENTED);
    CHECK(vp_syscall(SYS_VIDEO_CONTROL, 0xC0000000u, 0, 0, 0, 0) == ERROR_NOACCESS);
}

static const struct usertest tests[] = {
    { "ioctl_codes_have_nt_values", test_ioctl_codes_have_nt_values },
    { "structures_have_i386_layouts", test_structures_have_i386_layouts },
    { "share_maps_the_frame_buffer", test_share_maps_the_frame_buffer },
    { "share_refuses_bad_requests", test_share_refuses_bad_requests },
    { "share_honours_view_offset", test_share_honours_view_offset },
    { "share_reads_input_before_output", test_share_reads_input_before_output },
    { "share_into_a_child_and_unshare_it", test_share_into_a_child_and_unshare_it },
    { "views_are_independent", test_views_are_independent },
    { "unshare_removes_the_whole_view", test_unshare_removes_the_whole_view },
    { "map_is_reference_counted", test_map_is_reference_counted },
    { "exit_and_kill_remove_views", test_exit_and_kill_remove_views },
    { "bad_accesses_kill_only_the_offender", test_bad_accesses_kill_only_the_offender },
    { "share_unshare_cycles_leak_nothing", test_share_unshare_cycles_leak_nothing },
    { "requests_refuse_bad_pointers_and_handles", test_requests_refuse_bad_pointers_and_handles },
};

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "child") == 0)
        child_kind(argc, argv);
    dev = video_open("Video0");
    if (!dev || video_control(dev, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, &mode, sizeof(mode),
                              NULL) != NO_ERROR) {
        printf("vptest: no usable Video0\n");
        return 1;
    }
    return usertest_main("vptest", tests, sizeof(tests) / sizeof(tests[0]));
}
