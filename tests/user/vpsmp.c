/*
 * vpsmp: banked views with processes on several CPUs at once (run it with
 * more than one; on one it still passes, the timer taking the turns).
 *
 *   vpsmp               run the tests (KTAP on the console) on Video0, in
 *                       its banked 640x480x8 mode
 *   vpsmp on DEVICE     run them on DEVICE, in the banked mode it is in
 *                       (the kernel's smpbank suite: its RAM-backed fake)
 *   vpsmp child KIND    act as a child process for a test
 *
 * The window shows one bank at a time. When one process's fault switches
 * it, a process on another CPU may be storing through the old bank's
 * translation at that instant: its store must land in the old bank, never
 * in the new one, and must not be lost.
 */
#include <usertest.h>

#define WORD_OFFSET 256u           /* the dword the writer and the puller watch */
#define WRITER_TAG 0x5A000000u     /* the writer's stores: the tag | its count */
#define WRITER_MS 2000u            /* how long the writer stores */
#define WRITER_BURST 256u          /* stores between its looks at the clock */
#define PULLER_SENTINEL 0x0B1B1B1Bu /* what bank 1 holds at WORD_OFFSET */
#define FILL_ROUNDS 4               /* each filler's rounds of a whole bank */
#define SCRIBBLE_BYTES 0x10000u     /* what the scribbler stores over, again and again */
#define SCRIBBLE_TAG 0xA5C3A5C3u
#define MODE_SET_ROUNDS 3
#define PROGRESS_DEADLINE_MS 60000  /* both fillers are done well within this */

static HANDLE dev;
static const char *device_name = "Video0";
static bool own_mode = true; /* false: test in the device's current mode */
static struct usertest_modes list;
static VIDEO_MODE_INFORMATION boot_mode;
static uint32_t bank, frame; /* bank and frame length of the mode tested */

static VIDPORT_BANKING_INFORMATION banking(void)
{
    VIDPORT_BANKING_INFORMATION b = { 0 };
    ULONG n = 0;
    CHECK(video_control(dev, IOCTL_VIDPORT_QUERY_BANKING, NULL, 0, &b, sizeof(b), &n) ==
          NO_ERROR && n == sizeof(b));
    return b;
}

/* A view of the frame of the current mode, or NULL (with a line why);
 * bank and frame are its bank and frame length then (four banks at least:
 * the bank length is known once a banked view exists). */
static volatile uint8_t *share_frame(void)
{
    VIDEO_MODE_INFORMATION mode;
    VIDEO_SHARE_MEMORY_INFORMATION info;
    if (video_control(dev, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, &mode, sizeof(mode),
                      NULL) != NO_ERROR)
        return NULL;
    frame = mode.VisScreenHeight * mode.ScreenStride;
    VP_STATUS status = usertest_share(dev, NtCurrentProcess(), 0, frame, &info, NULL);
    bank = status == NO_ERROR ? banking().BankLength : 0;
    if (bank && frame >= 4 * bank)
        return info.VirtualAddress;
    printf("# %s: SHARE of %u bytes: status %d, banks of %u bytes\n", device_name, frame, status,
           bank);
    return NULL;
}

/* Child KIND, on the device tested. */
static HANDLE spawn_child(const char *kind)
{
    char args[64];
    snprintf(args, sizeof(args), "%s %s", device_name, kind);
    return usertest_spawn_child("vpsmp", args);
}

static bool alive(HANDLE h)
{
    uint32_t state = usertest_process(handle_pid(h)).state;
    return state != 0 && state != VP_PROC_ZOMBIE;
}

/* ---------------------------------------------------------------- children */

static uint32_t uptime_ms(void)
{
    struct vp_clock c;
    clock_get(&c);
    return (uint32_t)c.uptime_ms;
}

/* Store WRITER_TAG | n into bank 0, n = 1, 2 ..., as fast as we can for
 * WRITER_MS: whenever the puller has the window, the store faults it
 * back. Then write the last n into bank 3, for the parent to compare. */
static int write_bank0(volatile uint8_t *view)
{
    volatile uint32_t *word = (volatile uint32_t *)(view + WORD_OFFSET);
    uint32_t n = 0, end = uptime_ms() + WRITER_MS;
    while (uptime_ms() < end) {
        for (uint32_t i = 0; i < WRITER_BURST; i++)
            *word = WRITER_TAG | ++n;
    }
    *(volatile uint32_t *)(view + 3 * bank + WORD_OFFSET) = n;
    return 0;
}

/* Fill bank `bank` with a pattern of its round and read it back, round
 * after round: 0 when every round read back exact. */
static int fill_bank(volatile uint8_t *view, uint32_t which)
{
    volatile uint32_t *words = (volatile uint32_t *)(view + which * bank);
    for (uint32_t round = 0; round < FILL_ROUNDS; round++) {
        uint32_t seed = which << 24 | round << 16;
        for (uint32_t i = 0; i < bank / 4; i++)
            words[i] = seed | i;
        for (uint32_t i = 0; i < bank / 4; i++) {
            if (words[i] != (seed | i))
                return 1;
        }
    }
    return 0;
}

/* Store SCRIBBLE_TAG over the start of the current (linear) mode's frame,
 * forever: after the view is revoked, into its scratch. */
static int scribble(void)
{
    VIDEO_SHARE_MEMORY_INFORMATION info;
    if (usertest_share(dev, NtCurrentProcess(), 0, SCRIBBLE_BYTES, &info, NULL) != NO_ERROR)
        return 2;
    volatile uint32_t *words = info.VirtualAddress;
    for (;;) {
        for (uint32_t i = 0; i < SCRIBBLE_BYTES / 4; i++)
            words[i] = SCRIBBLE_TAG;
    }
}

__attribute__((noreturn)) static void child_kind(const char *kind)
{
    if (strcmp(kind, "scribble") == 0)
        exit(scribble());
    volatile uint8_t *view = share_frame();
    if (!view)
        exit(2);
    if (strcmp(kind, "write-bank0") == 0)
        exit(write_bank0(view));
    if (strncmp(kind, "fill-bank", 9) == 0)
        exit(fill_bank(view, (uint32_t)atoi(kind + 9)));
    exit(77);
}

/* ------------------------------------------------------------------- tests */

/* Our view of the banked frame tested (the mode set first, unless the
 * device's own is tested), or NULL (a failed CHECK). */
static volatile uint8_t *banked_frame(void)
{
    ULONG i = usertest_find_mode(&list, 640, 480, 8, true);
    bool set = !own_mode ||
               (i < list.count && usertest_set_mode(dev, list.modes[i].ModeIndex) == NO_ERROR);
    volatile uint8_t *view = set ? share_frame() : NULL;
    CHECK(view != NULL);
    return view;
}

/* Pull the window to bank 1 (a read there), again and again while the
 * writer stores into bank 0: how many reads found the writer's store. */
static uint32_t pull_while_writing(volatile uint32_t *in_bank1, HANDLE writer, uint32_t *pulls)
{
    uint32_t stale = 0;
    while (alive(writer)) {
        uint32_t seen = *in_bank1;
        (*pulls)++;
        if (seen != PULLER_SENTINEL) {
            if (!stale)
                printf("# bank 1 showed 0x%08x, a store of the writer's\n", seen);
            stale++;
            *in_bank1 = PULLER_SENTINEL;
        }
    }
    return stale;
}

/* The cross-CPU bank test: every switch away from bank 0 takes its pages
 * from the writer's view and waits until the writer's CPU has dropped
 * them, so no store lands in bank 1, and none is lost. */
static void test_bank_switches_never_show_a_stale_store(void)
{
    volatile uint8_t *view = banked_frame();
    if (!view)
        return;
    volatile uint32_t *in_bank0 = (volatile uint32_t *)(view + WORD_OFFSET);
    volatile uint32_t *in_bank1 = (volatile uint32_t *)(view + bank + WORD_OFFSET);
    *in_bank1 = PULLER_SENTINEL;
    *in_bank0 = 0;
    VIDPORT_BANKING_INFORMATION before = banking();
    HANDLE writer = spawn_child("write-bank0");
    CHECK(writer != NULL);
    uint32_t pulls = 0, stale = writer ? pull_while_writing(in_bank1, writer, &pulls) : 0;
    int status = -1;
    CHECK(wait(writer, &status) == 0 && status == 0);
    VIDPORT_BANKING_INFORMATION after = banking();
    uint32_t last = *(volatile uint32_t *)(view + 3 * bank + WORD_OFFSET);
    printf("# %u switches, %u pulls, %u lease waits: %u stale stores seen; the writer's last "
           "store %u, bank 0 ends 0x%08x\n", after.BankSwitches - before.BankSwitches, pulls,
           after.LeaseWaits - before.LeaseWaits, stale, last, *in_bank0);
    CHECK(stale == 0);
    CHECK(last != 0 && *in_bank0 == (WRITER_TAG | last)); /* the last store, not lost */
    CHECK(usertest_unshare(dev, NtCurrentProcess(), view) == NO_ERROR);
}

/* Two processes that each fill their own bank of the one window, round
 * after round, both finish (neither takes the window from the other for
 * good), and every round reads back exact. */
static void test_two_fillers_both_progress(void)
{
    volatile uint8_t *view = banked_frame();
    if (!view)
        return;
    VIDPORT_BANKING_INFORMATION before = banking();
    HANDLE a = spawn_child("fill-bank1");
    HANDLE b = spawn_child("fill-bank2");
    CHECK(a && b);
    for (int ms = 0; ms < PROGRESS_DEADLINE_MS && (alive(a) || alive(b)); ms += 10)
        sleep_ms(10);
    bool finished = !alive(a) && !alive(b);
    CHECK(finished);
    int sa = -1, sb = -1;
    if (!finished)
        CHECK(usertest_kill_child(a) && usertest_kill_child(b));
    else
        CHECK(wait(a, &sa) == 0 && sa == 0 && wait(b, &sb) == 0 && sb == 0);
    VIDPORT_BANKING_INFORMATION after = banking();
    printf("# %u switches, %u lease waits\n", after.BankSwitches - before.BankSwitches,
           after.LeaseWaits - before.LeaseWaits);
    CHECK(usertest_unshare(dev, NtCurrentProcess(), view) == NO_ERROR);
}

/* Words of the tag in the first SCRIBBLE_BYTES of the current frame. */
static uint32_t tagged_words(void)
{
    VIDEO_SHARE_MEMORY_INFORMATION info;
    if (usertest_share(dev, NtCurrentProcess(), 0, SCRIBBLE_BYTES, &info, NULL) != NO_ERROR)
        return SCRIBBLE_BYTES; /* more than any count: a failure */
    const volatile uint32_t *words = info.VirtualAddress;
    uint32_t tagged = 0;
    for (uint32_t i = 0; i < SCRIBBLE_BYTES / 4; i++)
        tagged += words[i] == SCRIBBLE_TAG;
    CHECK(usertest_unshare(dev, NtCurrentProcess(), info.VirtualAddress) == NO_ERROR);
    return tagged;
}

static bool set_linear(ULONG width, ULONG height)
{
    ULONG i = usertest_find_mode(&list, width, height, 32, false);
    return i < list.count && usertest_set_mode(dev, list.modes[i].ModeIndex) == NO_ERROR;
}

/* A mode set while a process on another CPU stores into its view of the
 * old frame: no store lands in the new one (the views lose their pages,
 * on every CPU, before the adapter changes mode). */
static void test_a_mode_set_stops_other_processes_stores(void)
{
    if (!own_mode) {
        usertest_skip("the device's own mode is tested");
        return;
    }
    for (int round = 0; round < MODE_SET_ROUNDS; round++) {
        CHECK(set_linear(640, 480));
        HANDLE child = spawn_child("scribble");
        CHECK(child != NULL);
        for (int tries = 0; tries < 100 && tagged_words() == 0; tries++)
            sleep_ms(10); /* until it stores */
        CHECK(set_linear(800, 600));
        uint32_t tagged = tagged_words();
        if (tagged)
            printf("# round %d: %u words of the new mode's frame hold the old view's stores\n",
                   round, tagged);
        CHECK(tagged == 0);
        CHECK(usertest_kill_child(child));
    }
}

static const struct usertest tests[] = {
    { "bank_switches_never_show_a_stale_store", test_bank_switches_never_show_a_stale_store },
    { "two_fillers_both_progress", test_two_fillers_both_progress },
    { "a_mode_set_stops_other_processes_stores", test_a_mode_set_stops_other_processes_stores },
};

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "child") == 0) {
        dev = video_open(argv[2]);
        child_kind(argv[3]);
    }
    if (argc == 3 && strcmp(argv[1], "on") == 0)
        device_name = argv[2], own_mode = false;
    dev = video_open(device_name);
    if (!dev || video_control(dev, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, &boot_mode,
                              sizeof(boot_mode), NULL) != NO_ERROR ||
        !usertest_read_modes(dev, &list)) {
        printf("vpsmp: no usable Video0 with a mode list\n");
        return 1;
    }
    int status = usertest_main("vpsmp", tests, sizeof(tests) / sizeof(tests[0]));
    usertest_set_mode(dev, boot_mode.ModeIndex);
    return status;
}
