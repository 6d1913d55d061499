/*
 * vpbank's tests of the arbiter, and its main: user-level tests of banked
 * views, following docs/contract.md (e) T26-T30 and (f) F14-F17: no page is
 * present before the first touch, one bank at a time is present through the
 * adapter's one window (a global arbiter), a sequential walk faults once per
 * bank, accesses that need two banks at once complete with exact data, two
 * processes can share the window, and views that go (kill, exit, mode
 * change) leave no bank present and nothing leaked. Every test sets the
 * banked mode it needs; the mode the system had is restored at the end. Run
 * it with the kernel option video=banked. Prints KTAP; exits 0 only if every
 * test passed.
 *
 *   vpbank                 run every test
 *   vpbank child KIND ...  act as a child process for a test
 */
#include <vpdraw.h>
#include <vputil.h>
#include "vpbank.h"

#define ALTERNATIONS 100
#define COPY_BYTES 4096

HANDLE dev;
bool code_in_video = true;
static struct usertest_modes list;
static VIDEO_MODE_INFORMATION boot_mode;
static volatile uint32_t sink;

/* ---------------------------------------------------------------- helpers */

VIDPORT_BANKING_INFORMATION banking(void)
{
    VIDPORT_BANKING_INFORMATION b = { 0 };
    ULONG n = 0;
    CHECK(video_control(dev, IOCTL_VIDPORT_QUERY_BANKING, NULL, 0, &b, sizeof(b), &n) ==
          NO_ERROR && n == sizeof(b));
    return b;
}

/* Make the WxHxD mode current, banked or linear; false (a failed CHECK)
 * when it is not listed or cannot be set. */
bool set_mode(ULONG width, ULONG height, ULONG bpp, bool banked)
{
    ULONG i = usertest_find_mode(&list, width, height, bpp, banked);
    bool ok = i < list.count && usertest_set_mode(dev, list.modes[i].ModeIndex) == NO_ERROR;
    CHECK(ok);
    return ok;
}

VP_STATUS share(ULONG offset, ULONG size, VIDEO_SHARE_MEMORY_INFORMATION *info,
                       ULONG *returned)
{
    return usertest_share(dev, NtCurrentProcess(), offset, size, info, returned);
}

/* Share the first `size` bytes of the frame: the view, or NULL (a failed CHECK). */
volatile uint8_t *share_here(ULONG size)
{
    VIDEO_SHARE_MEMORY_INFORMATION info;
    VP_STATUS status = share(0, size, &info, NULL);
    CHECK(status == NO_ERROR);
    return status == NO_ERROR ? info.VirtualAddress : NULL;
}

void unshare(const volatile uint8_t *view)
{
    CHECK(usertest_unshare(dev, NtCurrentProcess(), view) == NO_ERROR);
}

/* Set the banked WxHxD mode and share its visible frame: the view or NULL. */
volatile uint8_t *banked_view(ULONG width, ULONG height, ULONG bpp)
{
    return set_mode(width, height, bpp, true) ? share_here(width * height * bpp / 8) : NULL;
}

/* How many pages of `bank` are present in a view (from the page tables). */
uint32_t present_pages(const volatile uint8_t *view, uint32_t bank)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < BANK_PAGES; i++)
        n += (page_entry((const void *)(view + bank * BANK + i * 4096)) & VP_PTE_PRESENT) != 0;
    return n;
}

void check_no_bank_present(void)
{
    VIDPORT_BANKING_INFORMATION b = banking();
    if (b.PresentBankPages)
        printf("# %u bank pages still present\n", b.PresentBankPages);
    CHECK(b.PresentBankPages == 0);
}

/* len bytes (or dwords of len / 4) of a pattern named by seed at p. */
void fill_bytes(volatile uint8_t *p, uint32_t len, uint32_t seed)
{
    for (uint32_t i = 0; i < len; i++)
        p[i] = (uint8_t)pattern_value(i, seed);
}

static void fill_dwords(volatile uint8_t *p, uint32_t len, uint32_t seed)
{
    for (uint32_t i = 0; i < len / 4; i++)
        ((volatile uint32_t *)p)[i] = pattern_value(i, seed);
}

/* The bytes (dwords) of the len at p that differ from what fill_bytes
 * (fill_dwords) wrote. */
uint32_t byte_mismatches(const volatile uint8_t *p, uint32_t len, uint32_t seed)
{
    uint32_t bad = 0;
    for (uint32_t i = 0; i < len; i++)
        bad += p[i] != (uint8_t)pattern_value(i, seed);
    return bad;
}

static uint32_t dword_mismatches(const volatile uint8_t *p, uint32_t len, uint32_t seed)
{
    uint32_t bad = 0;
    for (uint32_t i = 0; i < len / 4; i++)
        bad += ((const volatile uint32_t *)p)[i] != pattern_value(i, seed);
    return bad;
}

/* Write a pattern of its own into `bank`, let others run, check it is
 * still there; `rounds` times. Returns the rounds that read back wrong. */
static uint32_t alternate(volatile uint8_t *view, uint32_t bank, uint32_t rounds)
{
    uint32_t bad = 0;
    for (uint32_t r = 0; r < rounds; r++) {
        fill_dwords(view + bank * BANK, BANK, bank << 16 | r);
        yield();
        bad += dword_mismatches(view + bank * BANK, BANK, bank << 16 | r) != 0;
        yield();
    }
    return bad;
}

/* ---------------------------------------------------------------- children */

/* Act as child KIND: share the current mode's frame, then "alternate BANK"
 * (exit 0 when every round read back exact), or touch five banks and
 * "touch-and-exit", "touch-and-hold" (sleep until killed) or
 * "copy-forever" (copy between banks until killed). Exit 2: no view. */
__attribute__((noreturn)) static void child_kind(const char *kind, const char *arg)
{
    VIDEO_MODE_INFORMATION mode;
    if (video_control(dev, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, &mode, sizeof(mode),
                      NULL) != NO_ERROR)
        exit(2);
    volatile uint8_t *view = share_here(mode.VisScreenHeight * mode.ScreenStride);
    if (!view)
        exit(2);
    if (strcmp(kind, "alternate") == 0)
        exit(alternate(view, (uint32_t)atoi(arg), ALTERNATIONS) ? 1 : 0);
    for (uint32_t bank = 0; bank < 5; bank++)
        view[bank * BANK + 1] = (uint8_t)bank; /* five banks */
    view[BANK + 1] = 1; /* a whole bank stays present (bank 4 ends with the frame) */
    if (strcmp(kind, "touch-and-exit") == 0)
        exit(0);
    if (strcmp(kind, "touch-and-hold") == 0)
        for (;;)
            sleep_ms(1000);
    if (strcmp(kind, "copy-forever") == 0) /* until killed, often with a bounce live */
        for (;;)
            rep_movsd(view + BANK, view, COPY_BYTES / 4);
    exit(77);
}

/* -------------------------------------------------------- T26-T28, F14-F16 */

static void test_share_makes_no_page_present(void) /* T26, F14 */
{
    VIDEO_SHARE_MEMORY_INFORMATION info = { 0, 0, NULL };
    ULONG n = 0;
    CHECK(set_mode(640, 480, 8, true));
    VIDPORT_BANKING_INFORMATION b = banking();
    CHECK(b.BankLength == BANK && b.WindowSlots == 1);
    CHECK(share(0, SMALL_FRAME, &info, &n) == NO_ERROR && n == sizeof(info));
    volatile uint8_t *view = info.VirtualAddress;
    CHECK(view && ((uint32_t)view & (BANK - 1)) == 0);
    CHECK(info.SharedViewOffset == 0 && info.SharedViewSize == SMALL_FRAME); /* F6' */
    uint32_t present = 0;
    for (uint32_t bank = 0; view && bank < 5; bank++)
        present += present_pages(view, bank);
    CHECK(present == 0 && banking().PresentBankPages == 0);
    unshare(view);
}

static void test_touch_switches_the_bank(void) /* T27, F15 */
{
    volatile uint8_t *view = banked_view(640, 480, 8);
    if (!view)
        return;
    VIDPORT_BANKING_INFORMATION b0 = banking();
    sink = view[0];
    VIDPORT_BANKING_INFORMATION b1 = banking();
    CHECK(b1.BankFaults == b0.BankFaults + 1 && b1.SlotBank[0] == 0);
    CHECK(present_pages(view, 0) == BANK_PAGES && b1.PresentBankPages == BANK_PAGES);
    view[3 * BANK + 5] = 0xA7;
    VIDPORT_BANKING_INFORMATION b2 = banking();
    CHECK(b2.BankFaults == b1.BankFaults + 1 && b2.BankSwitches == b1.BankSwitches + 1);
    CHECK(b2.SlotBank[0] == 3 && b2.PresentBankPages == BANK_PAGES);
    CHECK(present_pages(view, 0) == 0 && present_pages(view, 3) == BANK_PAGES);
    sink = view[0]; /* no stale TLB entry: faults again and switches back */
    VIDPORT_BANKING_INFORMATION b3 = banking();
    CHECK(b3.BankFaults == b2.BankFaults + 1 && b3.BankSwitches == b2.BankSwitches + 1);
    CHECK(b3.SlotBank[0] == 0 && b3.StraddleResolutions == b2.StraddleResolutions);
    CHECK(present_pages(view, 0) == BANK_PAGES && present_pages(view, 3) == 0);
    CHECK(view[3 * BANK + 5] == 0xA7);
    unshare(view);
    check_no_bank_present();
}

static void test_views_share_the_one_window(void) /* T27, F15 */
{
    volatile uint8_t *a = banked_view(640, 480, 8), *b = share_here(SMALL_FRAME);
    if (!a || !b)
        return;
    a[3 * BANK + 5] = 0x5C;
    VIDPORT_BANKING_INFORMATION b0 = banking();
    CHECK(b[3 * BANK + 5] == 0x5C); /* the bank the window shows: no switch */
    VIDPORT_BANKING_INFORMATION b1 = banking();
    CHECK(b1.BankFaults == b0.BankFaults + 1 && b1.BankSwitches == b0.BankSwitches);
    CHECK(b1.PresentBankPages == 2 * BANK_PAGES);
    sink = b[BANK];
    VIDPORT_BANKING_INFORMATION b2 = banking();
    CHECK(b2.SlotBank[0] == 1 && b2.PresentBankPages == BANK_PAGES);
    CHECK(present_pages(a, 3) == 0 && present_pages(b, 3) == 0);
    CHECK(present_pages(b, 1) == BANK_PAGES);
    CHECK(a[3 * BANK + 5] == 0x5C);
    unshare(a);
    unshare(b);
    check_no_bank_present();
}

/* A refused SHARE leaves no view, record or memory behind. */
static void check_refused(ULONG offset, ULONG size)
{
    struct vp_meminfo before = usertest_memory();
    VIDEO_SHARE_MEMORY_INFORMATION info = { 1, 2, (PVOID)3 };
    ULONG n = 99;
    VP_STATUS status = share(offset, size, &info, &n);
    if (status != ERROR_INVALID_PARAMETER)
        printf("# offset 0x%x size 0x%x: status %d\n", offset, size, (int)status);
    CHECK(status == ERROR_INVALID_PARAMETER && n == 0);
    usertest_check_nothing_leaked(&before);
}

static void test_view_offset_is_a_bank_multiple(void) /* T28, F14 */
{
    static const ULONG bad_offsets[] = { 0x1000, 0x8000, 0xFFFF, BANK + 0x1000 };
    if (!set_mode(640, 480, 8, true))
        return;
    for (size_t i = 0; i < sizeof(bad_offsets) / sizeof(bad_offsets[0]); i++)
        check_refused(bad_offsets[i], 4096);
    check_refused(0, 0x1000000); /* beyond video memory */
    VIDEO_SHARE_MEMORY_INFORMATION info = { 0, 0, NULL };
    CHECK(share(BANK, 100, &info, NULL) == NO_ERROR);
    CHECK(info.SharedViewOffset == BANK && info.SharedViewSize == 4096);
    volatile uint8_t *part = info.VirtualAddress, *whole = share_here(SMALL_FRAME);
    if (part && whole) {
        whole[BANK + 5] = 0x3C;
        CHECK(part[5] == 0x3C); /* the view starts at bank 1 */
    }
    unshare(part);
    unshare(whole);
    check_no_bank_present();
}

static void test_sequential_walk_faults_once_per_bank(void) /* F16 */
{
    VIDEO_SHARE_MEMORY_INFORMATION info = { 0, 0, NULL };
    if (!set_mode(800, 600, 32, true) || share(0, 800 * 600 * 4, &info, NULL) != NO_ERROR)
        return;
    CHECK(info.SharedViewSize == 469 * 4096); /* 800x600x32 in whole pages, thirty banks */
    volatile uint8_t *view = info.VirtualAddress;
    VIDPORT_BANKING_INFORMATION b0 = banking();
    fill_dwords(view, info.SharedViewSize, 0xF111);
    VIDPORT_BANKING_INFORMATION b1 = banking();
    if (b1.BankFaults - b0.BankFaults != 30)
        printf("# %u faults filling 30 banks\n", b1.BankFaults - b0.BankFaults);
    CHECK(b1.BankFaults - b0.BankFaults == 30);
    CHECK(b1.StraddleResolutions == b0.StraddleResolutions);
    CHECK(dword_mismatches(view, info.SharedViewSize, 0xF111) == 0);
    VIDPORT_BANKING_INFORMATION b2 = banking();
    CHECK(b2.BankFaults - b1.BankFaults == 30);
    unshare(view);
    check_no_bank_present();
}

/* ------------------------------------------------------------- T29, F17 */

static void test_store_across_a_bank_edge(void) /* T29 */
{
    volatile uint8_t *view = banked_view(640, 480, 8), *other = share_here(SMALL_FRAME);
    if (!view || !other)
        return;
    VIDPORT_BANKING_INFORMATION b0 = banking();
    *(volatile uint32_t *)(view + BANK - 2) = 0x11223344;
    VIDPORT_BANKING_INFORMATION b1 = banking();
    CHECK(b1.StraddleResolutions > b0.StraddleResolutions);
    CHECK(*(volatile uint32_t *)(view + BANK - 2) == 0x11223344);
    /* written back to video memory: another view sees every byte */
    CHECK(other[BANK - 2] == 0x44 && other[BANK - 1] == 0x33);
    CHECK(other[BANK] == 0x22 && other[BANK + 1] == 0x11);
    unshare(view);
    unshare(other);
    check_no_bank_present();
}

/* Copy COPY_BYTES from src to dst (in banked views) with `copy` and check
 * the copy, the source and that a straddle was settled; twice: with the
 * window on the source's bank (the source gets a RAM copy) and on the
 * destination's (the stores land in a RAM copy, written back later). */
static void check_copy(volatile uint8_t *src, volatile uint8_t *dst, uint32_t seed,
                       void (*copy)(volatile uint8_t *dst, const volatile uint8_t *src))
{
    for (uint32_t pass = 0; pass < 2; pass++) {
        fill_bytes(src, COPY_BYTES, seed + pass);
        if (pass)
            sink = dst[0];
        VIDPORT_BANKING_INFORMATION b0 = banking();
        copy(dst, src);
        VIDPORT_BANKING_INFORMATION b1 = banking();
        if (b1.StraddleResolutions == b0.StraddleResolutions)
            printf("# copy %p -> %p: no straddle settled\n", (void *)src, (void *)dst);
        CHECK(b1.StraddleResolutions > b0.StraddleResolutions);
        CHECK(byte_mismatches(dst, COPY_BYTES, seed + pass) == 0);
        CHECK(byte_mismatches(src, COPY_BYTES, seed + pass) == 0);
    }
}

static void copy_movsb(volatile uint8_t *dst, const volatile uint8_t *src)
{
    rep_movsb(dst, src, COPY_BYTES);
}

static void copy_movsd(volatile uint8_t *dst, const volatile uint8_t *src)
{
    rep_movsd(dst, src, COPY_BYTES / 4);
}

static void copy_memcpy(volatile uint8_t *dst, const volatile uint8_t *src)
{
    memcpy((void *)dst, (const void *)src, COPY_BYTES);
}

static void test_rep_movs_copies_between_banks(void) /* T29, F17 */
{
    volatile uint8_t *view = banked_view(640, 480, 8);
    if (!view)
        return;
    check_copy(view + 0x1000, view + BANK + 0x3000, 0xB01, copy_movsb);
    check_copy(view + 2 * BANK + 0x2000, view + BANK + 0x5000, 0xB21, copy_movsb);
    check_copy(view + 0x4000, view + BANK + 0x8000, 0xD01, copy_movsd);
    check_copy(view + 2 * BANK + 0x6000, view + BANK + 0xA000, 0xD21, copy_movsd);
    unshare(view);
    check_no_bank_present();
}

static void test_memcpy_copies_between_banks(void) /* F17 */
{
    volatile uint8_t *view = banked_view(640, 480, 8);
    if (!view)
        return;
    check_copy(view + 3 * BANK + 0x101, view + 0x2003, 0xC31, copy_memcpy);
    check_copy(view + 0x7002, view + 4 * BANK + 0x10, 0xC04, copy_memcpy);
    unshare(view);
    check_no_bank_present();
}

/* Dwords split by a bank edge copied to or from another bank: movs
 * instructions that need three banks at once, and four when source and
 * destination cross their edges at the same dword. */
static void test_copies_needing_more_banks(void) /* F17 */
{
    volatile uint8_t *view = banked_view(640, 480, 8);
    if (!view)
        return;
    uint32_t across = COPY_BYTES / 2 - 2; /* the copy's dword at this offset is split */
    check_copy(view + 3 * BANK - across, view + BANK + 0x100, 0x3B1, copy_movsd);
    check_copy(view + 0x300, view + 3 * BANK - across - 1, 0x3B2, copy_memcpy);
    check_copy(view + 3 * BANK - across, view + BANK - across, 0x4B1, copy_movsd);
    check_copy(view + 4 * BANK - across, view + 2 * BANK - across, 0x4B2, copy_movsb);
    unshare(view);
    check_no_bank_present();
}

static void test_copy_between_two_views(void) /* F15, F17 */
{
    volatile uint8_t *a = banked_view(640, 480, 8), *b = share_here(SMALL_FRAME);
    if (!a || !b)
        return;
    check_copy(a + 0x500, b + BANK + 0x700, 0x2F1, copy_memcpy);
    check_copy(b + 3 * BANK + 0x900, a + 0x2000, 0x2F3, copy_movsd);
    unshare(a);
    unshare(b);
    check_no_bank_present();
}

/* 3-byte pixels across every bank edge of the view, written a byte at a
 * time, `before` of their bytes below the edge. */
static uint32_t pixels_across_edges(volatile uint8_t *view, uint32_t banks, uint32_t before)
{
    for (uint32_t edge = 1; edge < banks; edge++)
        pixel24_store(view + edge * BANK - before, pattern_value(edge, before) & 0xFFFFFF);
    uint32_t bad = 0;
    for (uint32_t edge = 1; edge < banks; edge++)
        bad += pixel24_load(view + edge * BANK - before) != (pattern_value(edge, before) & 0xFFFFFF);
    return bad;
}

static void test_24bpp_pixels_across_bank_edges(void) /* F17 */
{
    VIDEO_SHARE_MEMORY_INFORMATION info = { 0, 0, NULL };
    if (!set_mode(1024, 768, 32, true) || share(0, 1024 * 768 * 4, &info, NULL) != NO_ERROR)
        return;
    volatile uint8_t *view = info.VirtualAddress;
    uint32_t banks = info.SharedViewSize / BANK;
    CHECK(banks == 48);
    CHECK(pixels_across_edges(view, banks, 1) == 0);
    CHECK(pixels_across_edges(view, banks, 2) == 0);
    unshare(view);
    check_no_bank_present();
}

/* ------------------------------------------------------------ T30, F20, F21 */

static void test_two_processes_alternate_banks(void) /* T30, F15 */
{
    volatile uint8_t *view = banked_view(640, 480, 8);
    HANDLE child = usertest_spawn_child("vpbank", "alternate 3");
    CHECK(view && child);
    if (!view || !child)
        return;
    for (int tries = 0; tries < 100 && banking().SlotBank[0] != 3; tries++)
        sleep_ms(5); /* until the child has started on its bank */
    VIDPORT_BANKING_INFORMATION b0 = banking();
    uint32_t bad = alternate(view, 2, ALTERNATIONS);
    int status = -1;
    CHECK(wait(child, &status) == 0 && status == 0);
    VIDPORT_BANKING_INFORMATION b1 = banking();
    if (bad || b1.BankFaults - b0.BankFaults < ALTERNATIONS)
        printf("# %u bad rounds, %u faults\n", bad, b1.BankFaults - b0.BankFaults);
    CHECK(bad == 0);
    /* They took turns: at every yield on one CPU; with more, where they
     * met, but each at least once. */
    struct vp_cpu_info cpus[VP_CPU_MAX];
    uint32_t turns = cpu_list(cpus, VP_CPU_MAX) > 1 ? 2 : ALTERNATIONS;
    CHECK(b1.BankFaults - b0.BankFaults >= turns);
    unshare(view);
    check_no_bank_present();
}

/* Kill a child holding a banked view once it sleeps (or, busy, after a
 * while); afterwards no bank page is present and nothing leaked. */
static void check_killed_child(const char *kind, bool sleeps)
{
    struct vp_meminfo before = usertest_memory();
    HANDLE child = usertest_spawn_child("vpbank", kind);
    CHECK(child != NULL);
    if (sleeps)
        CHECK(usertest_wait_sleeping(child) && banking().PresentBankPages == BANK_PAGES);
    else
        sleep_ms(100);
    int status = -1;
    CHECK(kill(child) == 0 && wait(child, &status) == 0 && status == VP_STATUS_KILLED);
    check_no_bank_present();
    usertest_check_nothing_leaked(&before);
}

static void test_exit_and_kill_leave_no_bank(void) /* F20 */
{
    if (!set_mode(640, 480, 8, true))
        return;
    struct vp_meminfo before = usertest_memory();
    CHECK(usertest_run_child("vpbank", "touch-and-exit") == 0);
    check_no_bank_present();
    usertest_check_nothing_leaked(&before);
    check_killed_child("touch-and-hold", true);
    check_killed_child("copy-forever", false);
}

static void test_mode_change_revokes_banked_views(void) /* T24, F21 */
{
    volatile uint8_t *view = banked_view(640, 480, 8);
    HANDLE child = usertest_spawn_child("vpbank", "touch-and-hold");
    CHECK(view && usertest_wait_sleeping(child));
    if (!view)
        return;
    view[0] = 1;
    ULONG generation = usertest_view_state(dev, view).Generation;
    VIDPORT_BANKING_INFORMATION b0 = banking();
    CHECK(b0.PresentBankPages == BANK_PAGES);
    CHECK(set_mode(800, 600, 16, true));
    VIDPORT_VIEW_INFORMATION state = usertest_view_state(dev, view);
    CHECK(state.State == VIDPORT_VIEW_REVOKED && state.Generation == generation + 1);
    VIDPORT_BANKING_INFORMATION b1 = banking();
    CHECK(b1.PresentBankPages == 0 && b1.SlotBank[0] == VIDPORT_NO_BANK);
    CHECK(b1.BankFaults >= b0.BankFaults && b1.BankSwitches >= b0.BankSwitches);
    CHECK(b1.StraddleResolutions >= b0.StraddleResolutions);
    view[2 * BANK] = 2; /* a stale store lands on the scratch page, not a bank */
    VIDPORT_BANKING_INFORMATION b2 = banking();
    CHECK(b2.BankFaults == b1.BankFaults && b2.PresentBankPages == 0);
    unshare(view);
    VIDEO_SHARE_MEMORY_INFORMATION info = { 0, 0, NULL };
    CHECK(share(0, 800 * 600 * 2, &info, NULL) == NO_ERROR && info.SharedViewSize == 235 * 4096);
    unshare(info.VirtualAddress);
    int status = -1;
    CHECK(kill(child) == 0 && wait(child, &status) == 0 && status == VP_STATUS_KILLED);
    check_no_bank_present();
}

static void test_linear_mode_reports_no_banking(void)
{
    if (!set_mode(640, 480, 8, false))
        return;
    VIDPORT_BANKING_INFORMATION b = banking();
    CHECK(b.BankLength == 0 && b.WindowSlots == 0);
    CHECK(b.SlotBank[0] == VIDPORT_NO_BANK && b.SlotBank[1] == VIDPORT_NO_BANK);
    CHECK(b.PresentBankPages == 0);
}

static const struct usertest tests[] = {
    { "share_makes_no_page_present", test_share_makes_no_page_present },
    { "touch_switches_the_bank", test_touch_switches_the_bank },
    { "views_share_the_one_window", test_views_share_the_one_window },
    { "view_offset_is_a_bank_multiple", test_view_offset_is_a_bank_multiple },
    { "sequential_walk_faults_once_per_bank", test_sequential_walk_faults_once_per_bank },
    { "store_across_a_bank_edge", test_store_across_a_bank_edge },
    { "rep_movs_copies_between_banks", test_rep_movs_copies_between_banks },
    { "memcpy_copies_between_banks", test_memcpy_copies_between_banks },
    { "copies_needing_more_banks", test_copies_needing_more_banks },
    { "copy_between_two_views", test_copy_between_two_views },
    { "24bpp_pixels_across_bank_edges", test_24bpp_pixels_across_bank_edges },
    { "two_processes_alternate_banks", test_two_processes_alternate_banks },
    { "exit_and_kill_leave_no_bank", test_exit_and_kill_leave_no_bank },
    { "mode_change_revokes_banked_views", test_mode_change_revokes_banked_views },
    { "linear_mode_reports_no_banking", test_linear_mode_reports_no_banking },
};

int main(int argc, char **argv)
{
    dev = video_open("Video0");
    code_in_video = !(argc >= 2 && strcmp(argv[1], "no-code-in-video") == 0);
    if (argc >= 3 && strcmp(argv[1], "child") == 0) {
        data_child(argv[2]);
        child_kind(argv[2], argc > 3 ? argv[3] : "");
    }
    if (!dev || video_control(dev, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, &boot_mode,
                              sizeof(boot_mode), NULL) != NO_ERROR ||
        !usertest_read_modes(dev, &list)) {
        printf("vpbank: no usable Video0 with a mode list\n");
        return 1;
    }
    static struct usertest all[ARRAY_LEN(tests) + DATA_TESTS];
    memcpy(all, tests, sizeof(tests));
    memcpy(all + ARRAY_LEN(tests), data_tests, sizeof(data_tests));
    int status = usertest_main("vpbank", all, ARRAY_LEN(all));
    usertest_set_mode(dev, boot_mode.ModeIndex);
    return status;
}
