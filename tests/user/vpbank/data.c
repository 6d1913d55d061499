/*
 * vpbank's data tests (F6', F21', F23-F26): what the kernel writes into a
 * banked view on a process's behalf arrives whole and stays where it was
 * put, a present page never shows RAM the arbiter gave up, every
 * instruction completes however many banks it needs, a process cannot
 * hoard kernel records, revoked views are private, and a request that
 * removes its own request block still reports its status. Each test is
 * named after the defect it guards against and checks bytes, not only
 * statuses: what arrived is compared with what should have, read back
 * through another view after a system call.
 */
#include "vpbank.h"

#define LIST_MAX 4096 /* room for every name in the archive (some 1.3 KiB) */
#define RECORD_ATTEMPTS 4096 /* far past any per-process bound */
#define CHILD_DEADLINE_MS 5000
#define SECRET 0x5A

static volatile uint8_t sink;

/* ---------------------------------------------------------------- helpers */

/* Whether len bytes at p equal those at q (volatile on both sides). */
static bool same_bytes(const volatile uint8_t *p, const volatile uint8_t *q, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        if (p[i] != q[i])
            return false;
    }
    return true;
}

static void fill_with(volatile uint8_t *p, uint32_t len, uint8_t value)
{
    for (uint32_t i = 0; i < len; i++)
        p[i] = value;
}

/* Start "vpbank child KIND" and give it `ms` to end: its status, or -2
 * when it was still running (it is killed then: it faulted forever). */
static int run_child_within(const char *kind, uint32_t ms)
{
    HANDLE child = usertest_spawn_child("vpbank", kind);
    if (!child)
        return -1;
    for (uint32_t waited = 0; waited < ms; waited += 20) {
        if (usertest_process(handle_pid(child)).state == VP_PROC_ZOMBIE)
            break;
        sleep_ms(20);
    }
    bool ended = usertest_process(handle_pid(child)).state == VP_PROC_ZOMBIE;
    if (!ended)
        kill(child);
    int status = -1;
    CHECK(wait(child, &status) == 0);
    return ended ? status : -2;
}

/* SHARE the whole small frame with its output at `out` (any memory). */
static VP_STATUS share_into(VIDEO_SHARE_MEMORY_INFORMATION *out)
{
    VIDEO_SHARE_MEMORY in = { NtCurrentProcess(), 0, SMALL_FRAME, NULL };
    return video_control(dev, IOCTL_VIDEO_SHARE_VIDEO_MEMORY, &in, sizeof(in), out,
                         sizeof(*out), NULL);
}

/* Whether a SHARE's output at `got` says what the reference SHARE said
 * (another view, so only the address may differ) and names a view. */
static bool share_output_matches(const volatile VIDEO_SHARE_MEMORY_INFORMATION *got,
                                 const VIDEO_SHARE_MEMORY_INFORMATION *reference)
{
    bool same = got->SharedViewOffset == reference->SharedViewOffset &&
                got->SharedViewSize == reference->SharedViewSize;
    if (!same)
        printf("# SHARE output: offset 0x%x size 0x%x, expected 0x%x 0x%x\n",
               got->SharedViewOffset, got->SharedViewSize, reference->SharedViewOffset,
               reference->SharedViewSize);
    return same && usertest_view_state(dev, got->VirtualAddress).State == VIDPORT_VIEW_LIVE;
}

/* ------------------------------------------- defects 1 and 12: F23 outputs */

/* A program list written by the kernel at `at` (in a view) arrives whole:
 * checked after another system call, and through `other` (another view
 * of the same bytes, or NULL). */
static void check_list_output(volatile uint8_t *at, const volatile uint8_t *other)
{
    static char expect[LIST_MAX];
    int n = programs_list(expect, sizeof(expect));
    fill_with(at, (uint32_t)n, 0xEE);
    CHECK(programs_list((char *)at, LIST_MAX) == n);
    (void)getpid();
    if (!same_bytes(at, (const volatile uint8_t *)expect, (uint32_t)n))
        printf("# the program list at %p lost bytes\n", (void *)at);
    CHECK(same_bytes(at, (const volatile uint8_t *)expect, (uint32_t)n));
    if (other)
        CHECK(same_bytes(other, (const volatile uint8_t *)expect, (uint32_t)n));
}

/* A SHARE whose output block lies at `out` in a view: its output arrives
 * whole (the new view is unshared again). */
static void check_share_output(volatile uint8_t *out)
{
    VIDEO_SHARE_MEMORY_INFORMATION reference;
    CHECK(share_into(&reference) == NO_ERROR);
    unshare(reference.VirtualAddress);
    volatile VIDEO_SHARE_MEMORY_INFORMATION *info = (volatile void *)out;
    fill_with(out, sizeof(*info), 0xEE);
    CHECK(share_into((VIDEO_SHARE_MEMORY_INFORMATION *)info) == NO_ERROR);
    (void)getpid();
    CHECK(share_output_matches(info, &reference));
    if (usertest_view_state(dev, info->VirtualAddress).State == VIDPORT_VIEW_LIVE)
        unshare(info->VirtualAddress);
}

static void test_syscall_output_across_a_bank_edge(void) /* defect 1, F23 */
{
    volatile uint8_t *view = banked_view(640, 480, 8), *other = share_here(SMALL_FRAME);
    if (!view || !other)
        return;
    check_list_output(view + BANK - 16, other + BANK - 16);
    check_list_output(view + 3 * BANK - 100, other + 3 * BANK - 100);
    check_share_output(view + 2 * BANK - 8);
    check_share_output(view + 4 * BANK - 4);
    CHECK(kcheck(NULL) == 0);
    unshare(view);
    unshare(other);
    check_no_bank_present();
}

static void test_syscall_output_into_a_linear_view(void) /* defect 12, F23 */
{
    if (!set_mode(640, 480, 8, false))
        return;
    volatile uint8_t *view = share_here(SMALL_FRAME), *other = share_here(SMALL_FRAME);
    if (!view || !other)
        return;
    check_list_output(view + 4096 - 16, other + 4096 - 16);
    check_share_output(view + 2 * BANK - 8);
    unshare(view);
    unshare(other);
}

/* ------------------------------------------------------- defect 2: F15 */

static void test_bounce_freed_under_a_view(void) /* defect 2, F15 */
{
    volatile uint8_t *first = banked_view(640, 480, 8);
    if (!first)
        return;
    VIDEO_SHARE_MEMORY_INFORMATION *out = (void *)(first + BANK - 8);
    CHECK(share_into(out) == NO_ERROR); /* its output straddles banks 0 and 1 */
    volatile uint8_t *second = out->VirtualAddress;
    if (!second)
        return;
    second[16] = 0x77; /* bank 0 through the new view, before any system call */
    second[17] = 0x78;
    int findings = kcheck(NULL);
    if (findings)
        printf("# kcheck: %d findings after the touch\n", findings);
    CHECK(findings == 0);
    CHECK(first[16] == 0x77 && first[17] == 0x78);
    fill_bytes(second + 0x20, 64, 0x2B);
    (void)getpid();
    CHECK(byte_mismatches(first + 0x20, 64, 0x2B) == 0);
    unshare(second);
    unshare(first);
    check_no_bank_present();
}

/* ----------------------------------------------------- defect 3: F17, F24 */

/* Call machine code at `code` with eax = a, ebx = *b, esi = src, edi = dst
 * (what the blobs below use); *b gets ebx back. */
static void call_blob(volatile uint8_t *code, uint32_t a, uint32_t *b, const volatile void *src,
                      volatile void *dst)
{
    __asm__ volatile("call *%%ecx"
                     : "+a"(a), "+b"(*b), "+S"(src), "+D"(dst)
                     : "c"(code)
                     : "memory", "cc");
}

/* Copy `len` bytes of code to `at` (in a view). */
static void put_code(volatile uint8_t *at, const uint8_t *code, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++)
        at[i] = code[i];
}

/* A movsd fetched from `code` in the view, from a dword across the edge
 * of banks 0/1 to one across banks 2/3: exit 0 when the dword arrived. */
static int movsd_from_view(volatile uint8_t *view, volatile uint8_t *code)
{
    static const uint8_t movsd_ret[] = { 0x3E, 0xA5, 0xC3 }; /* ds: movsd; ret */
    volatile uint8_t *src = view + BANK - 2, *dst = view + 3 * BANK - 2;
    fill_bytes(src, 4, 0x600D);
    fill_with(dst, 4, 0);
    put_code(code, movsd_ret, sizeof(movsd_ret));
    uint32_t unused = 0;
    call_blob(code, 0, &unused, src, dst);
    return byte_mismatches(dst, 4, 0x600D) == 0 ? 0 : 1;
}

/* A push of a dword across banks 0/1 onto a stack across banks 2/3, the
 * push fetched across the edge of banks 4/5: exit 0 when it arrived. */
static int push_from_view(volatile uint8_t *view)
{
    /* xchg esp, ebx; push dword [eax]; xchg esp, ebx; ret */
    static const uint8_t push_ret[] = { 0x87, 0xDC, 0xFF, 0x30, 0x87, 0xDC, 0xC3 };
    volatile uint8_t *src = view + BANK - 2, *stack = view + 3 * BANK + 2;
    fill_bytes(src, 4, 0xFACE);
    put_code(view + 5 * BANK - 3, push_ret, sizeof(push_ret)); /* 0xFF ends bank 4 */
    uint32_t sp = (uint32_t)stack;
    call_blob(view + 5 * BANK - 3, (uint32_t)src, &sp, NULL, NULL);
    return sp == (uint32_t)stack - 4 && byte_mismatches(stack - 4, 4, 0xFACE) == 0 ? 0 : 1;
}

/* Child "movsd-5", "movsd-6" or "push-6": in 800x600x16 (fifteen banks),
 * run an instruction that needs five banks at once (a movsd fetched from
 * bank 4) or six (the same with its fetch across banks 5/6, or the
 * straddling push). */
static int many_banks(const char *kind)
{
    volatile uint8_t *view = share_here(800 * 600 * 2);
    if (!view)
        return 2;
    if (strcmp(kind, "movsd-5") == 0)
        return movsd_from_view(view, view + 4 * BANK + 0x100);
    if (strcmp(kind, "movsd-6") == 0)
        return movsd_from_view(view, view + 6 * BANK - 1); /* the prefix ends bank 5 */
    return push_from_view(view);
}

static void check_instruction_completes(const char *kind)
{
    int status = run_child_within(kind, CHILD_DEADLINE_MS);
    if (status != 0)
        printf("# %s: status %d (-2: still faulting after %d ms)\n", kind, status,
               CHILD_DEADLINE_MS);
    CHECK(status == 0);
}

/* True, or the test skips itself: it runs code fetched from a view. */
static bool may_run_code_in_video(void)
{
    if (!code_in_video)
        usertest_skip("asked to run no code from video memory");
    return code_in_video;
}

static void test_instruction_needing_six_banks(void) /* defect 3, F24 */
{
    if (!may_run_code_in_video() || !set_mode(800, 600, 16, true))
        return;
    struct vp_meminfo before = usertest_memory();
    check_instruction_completes("movsd-5");
    check_instruction_completes("movsd-6");
    check_instruction_completes("push-6");
    check_no_bank_present();
    usertest_check_nothing_leaked(&before);
}

/* The bank faults of each of `rounds` six-bank movsd instructions, each
 * started afresh (a system call in between ends the access). */
static void six_bank_faults(volatile uint8_t *view, uint32_t *faults, uint32_t rounds)
{
    for (uint32_t i = 0; i < rounds; i++) {
        ULONG before = banking().BankFaults;
        CHECK(movsd_from_view(view, view + 6 * BANK - 1) == 0);
        faults[i] = banking().BankFaults - before;
    }
}

/* F24: a timer interrupt in the middle of a six-bank instruction does not
 * throw its banks away, so it need not finish within one tick. With the
 * longest time slice only a slice's end (or a switch) may make it start
 * over: nearly every instruction takes the fewest faults. Were every tick
 * to end the access, about every other one would start over at least once. */
static void test_six_banks_outlast_the_timer(void)
{
    enum { ROUNDS = 120 };
    static uint32_t faults[ROUNDS];
    if (!may_run_code_in_video() || !set_mode(800, 600, 16, true))
        return;
    volatile uint8_t *view = share_here(800 * 600 * 2);
    int old_slice = sched_slice(SCHED_SLICE_MAX);
    if (!view || old_slice < 0)
        return;
    six_bank_faults(view, faults, ROUNDS);
    sched_slice((uint32_t)old_slice);
    uint32_t fewest = faults[0], restarted = 0;
    for (uint32_t i = 1; i < ROUNDS; i++)
        fewest = faults[i] < fewest ? faults[i] : fewest;
    for (uint32_t i = 0; i < ROUNDS; i++)
        restarted += faults[i] > fewest;
    printf("# %u of %u six-bank instructions started over (fewest faults %u)\n", restarted,
           (uint32_t)ROUNDS, fewest);
    CHECK(restarted * 4 < ROUNDS);
    unshare(view);
    check_no_bank_present();
}

/* ----------------------------------------------------------- defect 4: F25 */

/* Child "map-until-refused" / "share-until-refused": make kernel records
 * until a request is refused; exit 0 when that came early and said
 * ERROR_NOT_ENOUGH_MEMORY. */
static int until_refused(bool maps)
{
    VP_STATUS status = NO_ERROR;
    uint32_t made = 0;
    for (; made < RECORD_ATTEMPTS && status == NO_ERROR; made++) {
        VIDEO_MEMORY in = { NULL };
        VIDEO_MEMORY_INFORMATION map;
        VIDEO_SHARE_MEMORY_INFORMATION view;
        status = maps ? video_control(dev, IOCTL_VIDEO_MAP_VIDEO_MEMORY, &in, sizeof(in), &map,
                                      sizeof(map), NULL)
                      : share(0, 4096, &view, NULL);
    }
    if (status != ERROR_NOT_ENOUGH_MEMORY)
        printf("# %u %s: %s\n", made, maps ? "maps" : "shares", vp_status_name(status));
    return status == ERROR_NOT_ENOUGH_MEMORY ? 0 : 1;
}

static void test_records_are_bounded_per_process(void) /* defect 4, F25 */
{
    if (!set_mode(640, 480, 8, true))
        return;
    struct vp_meminfo before = usertest_memory();
    for (int round = 0; round < 2; round++) {
        CHECK(usertest_run_child("vpbank", "map-until-refused") == 0);
        CHECK(usertest_run_child("vpbank", "share-until-refused") == 0);
    }
    usertest_check_nothing_leaked(&before);
}

/* ----------------------------------------------------------- defect 5: F21' */

/* Child "revoked-reads-zero": share, wait for a mode change to revoke the
 * view, give the parent time to write into its own, then read: exit 0
 * when the revoked view shows only zeros. */
static int revoked_reads_zero(void)
{
    volatile uint8_t *view = share_here(SMALL_FRAME);
    if (!view)
        return 2;
    sink = view[0];
    uint32_t waited = 0;
    for (; usertest_view_state(dev, view).State != VIDPORT_VIEW_REVOKED; waited += 20) {
        if (waited > CHILD_DEADLINE_MS)
            return 2;
        sleep_ms(20);
    }
    sleep_ms(200);
    uint32_t seen = 0;
    for (uint32_t i = 0; i < 64; i++)
        seen += view[i * 61] != 0;
    return seen ? 1 : 0;
}

static void test_revoked_views_do_not_share_scratch(void) /* defect 5, F21' */
{
    volatile uint8_t *view = banked_view(640, 480, 8);
    HANDLE child = usertest_spawn_child("vpbank", "revoked-reads-zero");
    CHECK(view && child && usertest_wait_sleeping(child));
    if (!view || !child)
        return;
    CHECK(set_mode(800, 600, 16, true));
    fill_with(view, 64 * 61, SECRET); /* into the parent's own revoked view */
    int status = -1;
    CHECK(wait(child, &status) == 0);
    if (status != 0)
        printf("# the child's revoked view: status %d (1: it saw the parent's bytes)\n",
               status);
    CHECK(status == 0);
    unshare(view);
}

/* ----------------------------------------------------------- defect 6: F26 */

static void test_unshare_of_the_view_holding_the_request(void) /* defect 6, F26 */
{
    volatile uint8_t *view = banked_view(640, 480, 8);
    if (!view)
        return;
    struct vp_video_control *rq = (void *)(view + BANK - 8); /* across banks 0/1 */
    VIDEO_SHARE_MEMORY *in = (void *)(view + 0x200);
    *in = (VIDEO_SHARE_MEMORY){ NtCurrentProcess(), 0, 0, (PVOID)view };
    *rq = (struct vp_video_control){ .device = dev, .code = IOCTL_VIDEO_UNSHARE_VIDEO_MEMORY,
                                     .in = in, .in_len = sizeof(*in),
                                     .out = (void *)(view + 0x300), .out_len = 16 };
    int32_t status = vp_syscall(SYS_VIDEO_CONTROL, (uint32_t)rq, 0, 0, 0, 0);
    if (status != NO_ERROR)
        printf("# UNSHARE from inside its view: %s\n", vp_status_name((VP_STATUS)status));
    CHECK(status == NO_ERROR);
    VIDEO_MEMORY query = { (PVOID)view };
    VIDPORT_VIEW_INFORMATION state;
    CHECK(video_control(dev, IOCTL_VIDPORT_QUERY_VIEW, &query, sizeof(query), &state,
                        sizeof(state), NULL) == ERROR_INVALID_PARAMETER);
    check_no_bank_present();
}

static void test_dd_unmap_of_the_view_holding_its_data(void) /* defect 6, F26 */
{
    if (!set_mode(640, 480, 8, true))
        return;
    DD_MAPMEMORYDATA data = { .bMap = TRUE, .hProcess = NtCurrentProcess() };
    CHECK(dd_map_memory(&data) == DDHAL_DRIVER_HANDLED && data.ddRVal == DD_OK);
    volatile uint8_t *view = (volatile uint8_t *)data.fpProcess;
    if (!view)
        return;
    DD_MAPMEMORYDATA *inside = (void *)(view + 3 * BANK - 6);
    *inside = (DD_MAPMEMORYDATA){ .bMap = FALSE, .hProcess = NtCurrentProcess(),
                                  .fpProcess = data.fpProcess };
    int32_t handled = vp_syscall(SYS_DD_MAP_MEMORY, (uint32_t)inside, 0, 0, 0, 0);
    if (handled != DDHAL_DRIVER_HANDLED)
        printf("# DdMapMemory unmap from inside its view: %d\n", (int)handled);
    CHECK(handled == DDHAL_DRIVER_HANDLED);
    data.bMap = FALSE;
    CHECK(dd_map_memory(&data) == DDHAL_DRIVER_HANDLED && data.ddRVal != DD_OK);
    check_no_bank_present();
}

/* ---------------------------------------------------------------- F6' */

/* Child "touch-past-size": share 100 bytes of a banked mode and touch the
 * page after them; the kernel must kill it (exit 0 would be a defect). */
static int touch_past_size(void)
{
    volatile uint8_t *view = share_here(100);
    if (!view)
        return 2;
    view[4096] = 1;
    return 0;
}

static void test_banked_share_size_is_whole_pages(void) /* item 9, F6' */
{
    VIDEO_SHARE_MEMORY_INFORMATION info = { 0, 0, NULL };
    if (!set_mode(640, 480, 8, true))
        return;
    CHECK(share(0, 100, &info, NULL) == NO_ERROR && info.SharedViewSize == 4096);
    volatile uint8_t *small = info.VirtualAddress;
    if (small) {
        small[5] = 1;
        CHECK(present_pages(small, 0) == 1 && banking().PresentBankPages == 1);
        unshare(small);
    }
    CHECK(share(BANK, SMALL_FRAME - BANK, &info, NULL) == NO_ERROR);
    CHECK(info.SharedViewSize == SMALL_FRAME - BANK);
    unshare(info.VirtualAddress);
    CHECK(usertest_run_child("vpbank", "touch-past-size") == VP_STATUS_KILLED);
    check_no_bank_present();
}

const struct usertest data_tests[DATA_TESTS] = {
    { "syscall_output_across_a_bank_edge", test_syscall_output_across_a_bank_edge },
    { "bounce_freed_under_a_view", test_bounce_freed_under_a_view },
    { "instruction_needing_six_banks", test_instruction_needing_six_banks },
    { "six_banks_outlast_the_timer", test_six_banks_outlast_the_timer },
    { "records_are_bounded_per_process", test_records_are_bounded_per_process },
    { "revoked_views_do_not_share_scratch", test_revoked_views_do_not_share_scratch },
    { "unshare_of_the_view_holding_the_request", test_unshare_of_the_view_holding_the_request },
    { "dd_unmap_of_the_view_holding_its_data", test_dd_unmap_of_the_view_holding_its_data },
    { "banked_share_size_is_whole_pages", test_banked_share_size_is_whole_pages },
    { "syscall_output_into_a_linear_view", test_syscall_output_into_a_linear_view },
};
_Static_assert(ARRAY_LEN(data_tests) == DATA_TESTS, "vpbank.h counts the data tests");

void data_child(const char *kind)
{
    if (strncmp(kind, "movsd-", 6) == 0 || strcmp(kind, "push-6") == 0)
        exit(many_banks(kind));
    if (strcmp(kind, "map-until-refused") == 0 || strcmp(kind, "share-until-refused") == 0)
        exit(until_refused(kind[0] == 'm'));
    if (strcmp(kind, "revoked-reads-zero") == 0)
        exit(revoked_reads_zero());
    if (strcmp(kind, "touch-past-size") == 0)
        exit(touch_past_size());
}
