/*
 * vpcirrus: user-level tests of two-window banking on the Cirrus miniport
 * (F16-F18). With ReadWriteBank FALSE the window shows two banks at once,
 * so a copy from one bank to the next takes one fault per bank touched and
 * never needs the arbiter's RAM bounce. The linear twin then reads through
 * BAR0 what the banked view wrote, which shows that each half of the window
 * reached the bank it claimed. Prints KTAP; exits 0 only if every test
 * passed. The mode the system had is restored at the end.
 *
 * The tests use the banks just past the visible frame: the screen console
 * may repaint the visible part whenever no view is live, never those.
 */
#include <usertest.h>

#define BANK 0x8000u
#define BANKS 4 /* a view of this many banks */
#define WORDS (BANK / 4)
#define MODES 2

static HANDLE dev;
static VIDEO_MODE_INFORMATION boot_mode, modes[MODES];
static ULONG mode_count;

/* ---------------------------------------------------------------- helpers */

/* The first whole bank after the visible frame. */
static ULONG first_bank(void)
{
    ULONG frame = boot_mode.VisScreenHeight * boot_mode.ScreenStride;
    return (frame + BANK - 1) / BANK;
}

static VIDPORT_BANKING_INFORMATION banking(void)
{
    VIDPORT_BANKING_INFORMATION info = { 0 };
    CHECK(video_control(dev, IOCTL_VIDPORT_QUERY_BANKING, NULL, 0, &info, sizeof(info), NULL) ==
          NO_ERROR);
    return info;
}

/* Share BANKS banks from first_bank() in the current mode; NULL on failure. */
static uint32_t *share_banks(void)
{
    VIDEO_SHARE_MEMORY in = { NtCurrentProcess(), first_bank() * BANK, BANKS * BANK, NULL };
    VIDEO_SHARE_MEMORY_INFORMATION info;
    VP_STATUS status = video_control(dev, IOCTL_VIDEO_SHARE_VIDEO_MEMORY, &in, sizeof(in), &info,
                                     sizeof(info), NULL);
    CHECK(status == NO_ERROR);
    return status == NO_ERROR ? info.VirtualAddress : NULL;
}

static void unshare(void *va)
{
    VIDEO_SHARE_MEMORY in = { NtCurrentProcess(), 0, 0, va };
    CHECK(video_control(dev, IOCTL_VIDEO_UNSHARE_VIDEO_MEMORY, &in, sizeof(in), NULL, 0, NULL) ==
          NO_ERROR);
}

static VP_STATUS set_mode(ULONG requested)
{
    VIDEO_MODE m = { requested };
    return video_control(dev, IOCTL_VIDEO_SET_CURRENT_MODE, &m, sizeof(m), NULL, 0, NULL);
}

static VIDEO_MODE_INFORMATION current_mode(void)
{
    VIDEO_MODE_INFORMATION m = { 0 };
    CHECK(video_control(dev, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, &m, sizeof(m), NULL) ==
          NO_ERROR);
    return m;
}

static bool is_banked(const VIDEO_MODE_INFORMATION *m)
{
    return m->AttributeFlags & VIDEO_MODE_BANKED;
}

/* Word i of a bank filled with `tag`: the tag in the top byte keeps banks
 * apart, the rest changes with every word. */
static uint32_t pattern(uint32_t tag, uint32_t i)
{
    return tag << 24 ^ (i * 2654435761u & 0x00FFFFFFu);
}

static void fill(volatile uint32_t *bank, uint32_t tag)
{
    for (uint32_t i = 0; i < WORDS; i++)
        bank[i] = pattern(tag, i);
}

/* Words of the bank that differ from its tag's pattern. */
static uint32_t mismatches(const volatile uint32_t *bank, uint32_t tag)
{
    uint32_t bad = 0;
    for (uint32_t i = 0; i < WORDS; i++)
        bad += bank[i] != pattern(tag, i);
    return bad;
}

static volatile uint32_t *bank_of(uint32_t *view, uint32_t bank)
{
    return view + bank * WORDS;
}

/* Fill every bank of a banked view with its own tag (1, 2, ...). */
static void fill_tagged(uint32_t *view)
{
    for (uint32_t b = 0; b < BANKS; b++)
        fill(bank_of(view, b), b + 1);
}

/* ------------------------------------------------------------------ tests */

static void test_banked_twin_is_current_at_start(void)
{
    CHECK(is_banked(&boot_mode));
    CHECK(boot_mode.BitsPerPlane == 32);
    CHECK(boot_mode.RedMask == 0xFF0000 && boot_mode.GreenMask == 0x00FF00 &&
          boot_mode.BlueMask == 0x0000FF);
    CHECK(mode_count == MODES);
    const VIDEO_MODE_INFORMATION *linear = &modes[1 - boot_mode.ModeIndex];
    CHECK(!is_banked(linear) && (linear->AttributeFlags & VIDEO_MODE_LINEAR));
    CHECK(linear->VisScreenWidth == boot_mode.VisScreenWidth &&
          linear->VisScreenHeight == boot_mode.VisScreenHeight &&
          linear->ScreenStride == boot_mode.ScreenStride);
}

static void test_window_has_two_slots(void)
{
    VIDPORT_BANKING_INFORMATION info = banking();
    CHECK(info.BankLength == BANK);
    CHECK(info.WindowSlots == 2);
}

/* F16-F18: with the copy's two banks out of the window, copying one into
 * the other faults once for each and needs no bounce; the data arrives. */
static void test_bank_to_bank_copy_faults_once_per_bank(void)
{
    uint32_t *view = share_banks();
    if (!view)
        return;
    fill(bank_of(view, 0), 0xA1);
    fill(bank_of(view, 1), 0xB2);
    fill(bank_of(view, 2), 0xC3); /* these two take both slots ... */
    fill(bank_of(view, 3), 0xD4); /* ... so the copy starts with neither of its banks */
    VIDPORT_BANKING_INFORMATION before = banking();
    ULONG first = first_bank();
    for (int s = 0; s < 2; s++)
        CHECK(before.SlotBank[s] != first && before.SlotBank[s] != first + 1);
    memcpy((void *)bank_of(view, 1), (const void *)bank_of(view, 0), BANK);
    VIDPORT_BANKING_INFORMATION after = banking();
    if (after.BankFaults - before.BankFaults > 2 ||
        after.StraddleResolutions != before.StraddleResolutions)
        printf("# faults %u -> %u, straddles %u -> %u\n", before.BankFaults, after.BankFaults,
               before.StraddleResolutions, after.StraddleResolutions);
    CHECK(after.BankFaults - before.BankFaults <= 2);
    CHECK(after.StraddleResolutions == before.StraddleResolutions);
    CHECK(mismatches(bank_of(view, 1), 0xA1) == 0);
    CHECK(mismatches(bank_of(view, 0), 0xA1) == 0);
    unshare(view);
}

/* What the banked view wrote through either half of the window is where
 * BAR0 says each bank is; NO_ZERO_MEMORY kept it across the mode set. */
static void test_linear_twin_reads_what_banks_wrote(void)
{
    uint32_t *view = share_banks();
    if (!view)
        return;
    fill_tagged(view);
    unshare(view);
    ULONG linear = 1 - boot_mode.ModeIndex;
    CHECK(set_mode(linear | VIDEO_MODE_NO_ZERO_MEMORY) == NO_ERROR);
    VIDEO_MODE_INFORMATION m = current_mode();
    CHECK(m.ModeIndex == linear && !is_banked(&m));
    CHECK(banking().WindowSlots == 0);
    view = share_banks();
    for (uint32_t b = 0; view && b < BANKS; b++) {
        uint32_t bad = mismatches(bank_of(view, b), b + 1);
        if (bad)
            printf("# bank %u: %u words differ\n", first_bank() + b, bad);
        CHECK(bad == 0);
    }
    if (view)
        unshare(view);
    CHECK(set_mode(boot_mode.ModeIndex | VIDEO_MODE_NO_ZERO_MEMORY) == NO_ERROR);
}

/* RESET_DEVICE goes back to the banked twin and clears video memory. */
static void test_reset_returns_to_banked_and_clears(void)
{
    CHECK(set_mode((1 - boot_mode.ModeIndex) | VIDEO_MODE_NO_ZERO_MEMORY) == NO_ERROR);
    uint32_t *view = share_banks();
    if (view) {
        fill_tagged(view);
        unshare(view);
    }
    CHECK(video_control(dev, IOCTL_VIDEO_RESET_DEVICE, NULL, 0, NULL, 0, NULL) == NO_ERROR);
    VIDEO_MODE_INFORMATION m = current_mode();
    CHECK(m.ModeIndex == boot_mode.ModeIndex && is_banked(&m));
    view = share_banks();
    for (uint32_t b = 0; view && b < BANKS; b++) {
        uint32_t nonzero = 0;
        for (uint32_t i = 0; i < WORDS; i++)
            nonzero += bank_of(view, b)[i] != 0;
        CHECK(nonzero == 0);
    }
    if (view)
        unshare(view);
}

static const struct usertest tests[] = {
    { "banked_twin_is_current_at_start", test_banked_twin_is_current_at_start },
    { "window_has_two_slots", test_window_has_two_slots },
    { "bank_to_bank_copy_faults_once_per_bank", test_bank_to_bank_copy_faults_once_per_bank },
    { "linear_twin_reads_what_banks_wrote", test_linear_twin_reads_what_banks_wrote },
    { "reset_returns_to_banked_and_clears", test_reset_returns_to_banked_and_clears },
};

int main(void)
{
    dev = video_open("Video0");
    VIDEO_NUM_MODES num;
    if (!dev ||
        video_control(dev, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, &boot_mode,
                      sizeof(boot_mode), NULL) != NO_ERROR ||
        video_control(dev, IOCTL_VIDEO_QUERY_NUM_AVAIL_MODES, NULL, 0, &num, sizeof(num),
                      NULL) != NO_ERROR ||
        num.NumModes > MODES ||
        video_control(dev, IOCTL_VIDEO_QUERY_AVAIL_MODES, NULL, 0, modes, sizeof(modes),
                      NULL) != NO_ERROR) {
        printf("vpcirrus: no Video0 with the two modes of the cirrus miniport\n");
        return 1;
    }
    mode_count = num.NumModes;
    int status = usertest_main("vpcirrus", tests, sizeof(tests) / sizeof(tests[0]));
    set_mode(boot_mode.ModeIndex);
    return status;
}
