/*
 * vpmodes: user-level tests of modes and of what a mode change does to
 * live views: the mode list, revocation by SET_CURRENT_MODE and
 * RESET_DEVICE (F21, T24, T25), the screen console pausing while a view is
 * live (F22) and the public access ranges. Prints KTAP; exits 0 only if
 * every test passed. The mode the system had is restored at the end.
 *
 *   vpmodes                 run every test
 *   vpmodes child io-port   act as a child that must be killed
 */
#include <usertest.h>

#define DISPI_INDEX 0x1CE
#define DISPI_DATA 0x1CF

static HANDLE dev;
static struct usertest_modes list;
static VIDEO_MODE_INFORMATION boot_mode;

static VP_STATUS query_current(VIDEO_MODE_INFORMATION *m)
{
    return video_control(dev, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, m, sizeof(*m), NULL);
}

static VP_STATUS set_mode(ULONG index)
{
    return usertest_set_mode(dev, index);
}

/* The ModeIndex of a linear geometry, or the mode count if it is not listed. */
static ULONG find_mode(ULONG w, ULONG h, ULONG bpp)
{
    ULONG i = usertest_find_mode(&list, w, h, bpp, false);
    return i < list.count ? list.modes[i].ModeIndex : list.count;
}

static VP_STATUS share(ULONG size, VIDEO_SHARE_MEMORY_INFORMATION *info)
{
    return usertest_share(dev, NtCurrentProcess(), 0, size, info, NULL);
}

static VP_STATUS unshare(const volatile void *va)
{
    return usertest_unshare(dev, NtCurrentProcess(), va);
}

static VIDPORT_VIEW_INFORMATION view_state(const volatile void *va)
{
    return usertest_view_state(dev, va);
}

static ULONG frame_bytes(const VIDEO_MODE_INFORMATION *m)
{
    return m->VisScreenHeight * m->ScreenStride;
}

/* ------------------------------------------------------------------ tests */

static void check_mode_fields(const VIDEO_MODE_INFORMATION *m, ULONG index)
{
    static const ULONG masks[3][3] = { { 0xE0, 0x1C, 0x03 }, { 0xF800, 0x07E0, 0x001F },
                                       { 0xFF0000, 0x00FF00, 0x0000FF } };
    ULONG depth = m->BitsPerPlane == 8 ? 0 : m->BitsPerPlane == 16 ? 1 : 2;
    ULONG access = m->AttributeFlags & VIDEO_MODE_BANKED ? VIDEO_MODE_BANKED : VIDEO_MODE_LINEAR;
    ULONG flags = VIDEO_MODE_COLOR | VIDEO_MODE_GRAPHICS | access |
                  (depth == 0 ? VIDEO_MODE_PALETTE_DRIVEN : 0);
    CHECK(m->Length == sizeof(*m) && m->ModeIndex == index && m->NumberOfPlanes == 1);
    CHECK(m->ScreenStride == m->VisScreenWidth * m->BitsPerPlane / 8);
    CHECK(m->RedMask == masks[depth][0] && m->GreenMask == masks[depth][1] &&
          m->BlueMask == masks[depth][2]);
    CHECK(m->AttributeFlags == flags);
    CHECK(m->VisScreenWidth <= m->VideoMemoryBitmapWidth &&
          m->VideoMemoryBitmapWidth <= m->ScreenStride);
    CHECK(m->VisScreenHeight <= m->VideoMemoryBitmapHeight);
}

static void test_modes_are_listed_with_nt_fields(void)
{
    VIDEO_NUM_MODES num;
    ULONG n = 0;
    VIDEO_MODE_INFORMATION one;
    CHECK(video_control(dev, IOCTL_VIDEO_QUERY_NUM_AVAIL_MODES, NULL, 0, &num, 8, &n) ==
          NO_ERROR && n == 8 && num.ModeInformationLength == 80 && num.NumModes == list.count);
    CHECK(video_control(dev, IOCTL_VIDEO_QUERY_AVAIL_MODES, NULL, 0, &one, 80, &n) ==
          ERROR_INSUFFICIENT_BUFFER && n == 0);
    static const ULONG sizes[3][2] = { { 640, 480 }, { 800, 600 }, { 1024, 768 } };
    for (int s = 0; s < 3; s++) {
        for (ULONG bpp = 8; bpp <= 32; bpp *= 2) {
            CHECK(usertest_find_mode(&list, sizes[s][0], sizes[s][1], bpp, false) < list.count);
            CHECK(usertest_find_mode(&list, sizes[s][0], sizes[s][1], bpp, true) < list.count);
        }
    }
    for (ULONG i = 0; i < list.count; i++)
        check_mode_fields(&list.modes[i], i);
    VIDEO_MODE_INFORMATION current;
    CHECK(video_control(dev, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, &current, 80, &n) ==
          NO_ERROR && n == 80);
    VIDEO_MODE bad = { list.count };
    CHECK(video_control(dev, IOCTL_VIDEO_SET_CURRENT_MODE, &bad, 4, NULL, 0, &n) ==
          ERROR_INVALID_PARAMETER);
    CHECK(video_control(dev, IOCTL_VIDEO_SET_CURRENT_MODE, &bad, 3, NULL, 0, &n) ==
          ERROR_INSUFFICIENT_BUFFER);
}

static void test_mode_change_revokes_views(void) /* T24, F21 */
{
    ULONG other = find_mode(640, 480, 16), same = boot_mode.ModeIndex;
    VIDEO_SHARE_MEMORY_INFORMATION info;
    CHECK(other < list.count && share(frame_bytes(&boot_mode), &info) == NO_ERROR);
    volatile uint32_t *view = info.VirtualAddress;
    uint32_t frame = page_entry((void *)view) & VP_PTE_FRAME;
    ULONG generation = view_state((void *)view).Generation;
    CHECK(set_mode(other) == NO_ERROR);
    VIDPORT_VIEW_INFORMATION state = view_state((void *)view);
    CHECK(state.State == VIDPORT_VIEW_REVOKED && state.Generation == generation + 1);
    view[1] = 0x1234; /* stale stores are harmless: they land on a scratch page */
    CHECK((page_entry((void *)view) & VP_PTE_FRAME) != frame);
    CHECK(unshare((void *)view) == NO_ERROR);
    CHECK(share(0x1000000, &info) == ERROR_INVALID_PARAMETER);
    CHECK(share(640 * 480 * 2, &info) == NO_ERROR && info.SharedViewSize == 640 * 480 * 2);
    CHECK(view_state(info.VirtualAddress).State == VIDPORT_VIEW_LIVE);
    CHECK(unshare(info.VirtualAddress) == NO_ERROR);
    CHECK(set_mode(same) == NO_ERROR && set_mode(same) == NO_ERROR); /* same mode twice */
    CHECK(share(frame_bytes(&boot_mode), &info) == NO_ERROR);
    CHECK((page_entry(info.VirtualAddress) & VP_PTE_FRAME) == frame);
    CHECK(unshare(info.VirtualAddress) == NO_ERROR);
}

static void test_reset_revokes_views(void) /* T25 */
{
    VIDEO_SHARE_MEMORY_INFORMATION info;
    ULONG n = 99;
    CHECK(share(4096, &info) == NO_ERROR);
    CHECK(video_control(dev, IOCTL_VIDEO_RESET_DEVICE, NULL, 0, NULL, 0, &n) == NO_ERROR && n == 0);
    CHECK(view_state(info.VirtualAddress).State == VIDPORT_VIEW_REVOKED);
    CHECK(unshare(info.VirtualAddress) == NO_ERROR);
    CHECK(set_mode(find_mode(800, 600, 16)) == NO_ERROR);
    CHECK(share(4096, &info) == NO_ERROR && view_state(info.VirtualAddress).State ==
                                                 VIDPORT_VIEW_LIVE);
    CHECK(unshare(info.VirtualAddress) == NO_ERROR);
    CHECK(set_mode(boot_mode.ModeIndex) == NO_ERROR);
}

/* F22: while a view is live the console leaves the frame alone; once the
 * last view goes, its next output repaints the whole screen. */
static void test_console_pauses_while_a_view_is_live(void)
{
    VIDEO_SHARE_MEMORY_INFORMATION info;
    ULONG bytes = frame_bytes(&boot_mode);
    CHECK(share(bytes, &info) == NO_ERROR);
    uint8_t *view = info.VirtualAddress;
    memset(view, 0x5A, bytes);
    for (int i = 0; i < 40; i++)
        printf("# console text written while a view is live (%d)\n", i);
    bool untouched = true;
    for (ULONG i = 0; i < bytes; i++)
        untouched &= view[i] == 0x5A;
    CHECK(untouched);
    CHECK(unshare(view) == NO_ERROR);
    printf("# the console's next output repaints the screen\n");
    CHECK(share(bytes, &info) == NO_ERROR);
    view = info.VirtualAddress;
    ULONG repainted = 0;
    for (ULONG i = 0; i < bytes; i++)
        repainted += view[i] != 0x5A;
    CHECK(repainted > bytes / 2); /* the console redrew when the view went */
    CHECK(unshare(view) == NO_ERROR);
}

/* From the boot mode to `target` while the nth allocation of `kind` fails. */
static void set_mode_failing(ULONG target, uint32_t kind, uint32_t nth)
{
    struct vp_inject_report report;
    CHECK(set_mode(boot_mode.ModeIndex) == NO_ERROR);
    fault_inject(kind, nth, NULL);
    CHECK(set_mode(target) == NO_ERROR);
    fault_inject(VP_INJECT_OFF, 0, &report);
    printf("# to mode %u, allocation %u of kind %u %s\n", target, nth, kind,
           report.fired ? "failed" : "was not made");
}

/* A mode set during which the nth frame or heap allocation fails (the
 * display driver's own requests among them) completes; the console then
 * stays off a frame it has no mapping of and prints again once the
 * display has one, and nothing leaks: the counters are compared in the
 * banked mode, where a kernel mapping of the linear frame left behind
 * would show. Needs the faultinject option (vpfuzz found the console
 * drawing on an unmapped frame); checks nothing without it. */
static void test_mode_set_survives_failed_allocations(void)
{
    ULONG banked = usertest_find_mode(&list, boot_mode.VisScreenWidth,
                                      boot_mode.VisScreenHeight, boot_mode.BitsPerPlane, true);
    ULONG targets[2] = { find_mode(640, 480, 16), list.modes[banked % list.count].ModeIndex };
    if (fault_inject(VP_INJECT_OFF, 0, NULL) != 0) {
        printf("# no faultinject option: nothing to check\n");
        return;
    }
    CHECK(set_mode(targets[1]) == NO_ERROR);
    struct vp_meminfo before = usertest_memory();
    for (uint32_t kind = VP_INJECT_FRAME; kind <= VP_INJECT_HEAP; kind++) {
        for (uint32_t nth = 1; nth <= 8; nth++) {
            set_mode_failing(targets[0], kind, nth);
            set_mode_failing(targets[1], kind, nth);
        }
    }
    CHECK(set_mode(targets[1]) == NO_ERROR);
    printf("# the console has its frame back\n");
    usertest_check_nothing_leaked(&before);
    CHECK(set_mode(boot_mode.ModeIndex) == NO_ERROR);
}

static void test_public_access_ranges_are_ports(void)
{
    VIDEO_PUBLIC_ACCESS_RANGES ranges[4];
    ULONG n = 0;
    CHECK(video_control(dev, IOCTL_VIDEO_QUERY_PUBLIC_ACCESS_RANGES, NULL, 0, ranges,
                        sizeof(ranges), &n) == NO_ERROR);
    CHECK(n == 2 * sizeof(ranges[0]));
    CHECK(ranges[0].InIoSpace == 1 && (uint32_t)ranges[0].VirtualAddress == DISPI_INDEX);
    CHECK(ranges[1].InIoSpace == 1 && (uint32_t)ranges[1].VirtualAddress == DISPI_DATA);
    VIDEO_MEMORY ports[2] = { { (PVOID)DISPI_INDEX }, { (PVOID)DISPI_DATA } };
    CHECK(video_control(dev, IOCTL_VIDEO_FREE_PUBLIC_ACCESS_RANGES, ports, sizeof(ports), NULL, 0,
                        &n) == NO_ERROR);
    ports[1].RequestedVirtualAddress = (PVOID)0x3C0;
    CHECK(video_control(dev, IOCTL_VIDEO_FREE_PUBLIC_ACCESS_RANGES, ports, sizeof(ports), NULL, 0,
                        &n) == ERROR_INVALID_PARAMETER);
    CHECK(usertest_run_child("vpmodes", "io-port") == VP_STATUS_KILLED);
}

static const struct usertest tests[] = {
    { "modes_are_listed_with_nt_fields", test_modes_are_listed_with_nt_fields },
    { "mode_change_revokes_views", test_mode_change_revokes_views },
    { "reset_revokes_views", test_reset_revokes_views },
    { "console_pauses_while_a_view_is_live", test_console_pauses_while_a_view_is_live },
    { "public_access_ranges_are_ports", test_public_access_ranges_are_ports },
    { "mode_set_survives_failed_allocations", test_mode_set_survives_failed_allocations },
};

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "child") == 0) {
        __asm__ volatile("outw %%ax, %%dx" : : "a"(4), "d"(DISPI_INDEX)); /* must be killed */
        return 77;
    }
    dev = video_open("Video0");
    if (!dev || query_current(&boot_mode) != NO_ERROR || !usertest_read_modes(dev, &list)) {
        printf("vpmodes: no usable Video0 with a mode list\n");
        return 1;
    }
    int status = usertest_main("vpmodes", tests, sizeof(tests) / sizeof(tests[0]));
    set_mode(boot_mode.ModeIndex);
    return status;
}
