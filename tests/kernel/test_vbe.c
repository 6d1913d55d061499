/*
 * The vbe miniport against the video BIOS it drives: the modes Video0
 * offers must be exactly those the BIOS reports that vidport can use,
 * read again here through the INT 10 interface (4F00's list, 4F01 for each
 * mode) and judged by the rule the miniport promises, written out on its
 * own: a supported graphics mode, packed 8 bpp or direct 15, 16, 24 or 32
 * bpp, 640x480 to 1024x768; a linear twin where the mode has a linear frame
 * buffer, a banked one where window A is a readable, writable 64 KiB at
 * A000 (not at 24 bpp); each geometry and kind once, with the BIOS's row
 * length, inside video memory. Runs only when Video0 is the vbe miniport,
 * which it must be on a BIOS boot that asked for it (video.miniport=vbe).
 */
#include "drivers/videoport/miniport_api.h"
#include "drivers/videoport/videoport.h"
#include "kernel/cmdline.h"
#include "kernel/kstring.h"
#include "kernel/ktest.h"
#include "kernel/v86.h"

#define MAX_ENTRIES 32
#define MAX_BIOS_MODES 128

struct expected {
    ULONG width, height, bpp, stride;
    bool banked;
};

/* What the BIOS says of its modes, as the rule above takes them. */
struct bios_modes {
    struct expected entries[2 * MAX_BIOS_MODES];
    ULONG count;
    uint32_t vram;
};

static bool same_geometry(const struct expected *a, const struct expected *b)
{
    return a->width == b->width && a->height == b->height && a->bpp == b->bpp &&
           a->banked == b->banked;
}

static bool listed(const struct bios_modes *b, const struct expected *e)
{
    for (ULONG i = 0; i < b->count; i++) {
        if (same_geometry(&b->entries[i], e))
            return true;
    }
    return false;
}

/* unit: a power of two (a page, a bank). */
static void expect(struct bios_modes *b, struct expected e, uint64_t unit)
{
    uint64_t frame = (uint64_t)e.stride * e.height;
    if (((frame + unit - 1) & ~(unit - 1)) <= b->vram && !listed(b, &e))
        b->entries[b->count++] = e;
}

/* One 4F01 answer (the first 44 bytes of it) judged by the rule. */
static void judge(struct bios_modes *b, const uint8_t *m)
{
    USHORT attributes = (USHORT)(m[0] | m[1] << 8), stride = (USHORT)(m[16] | m[17] << 8);
    USHORT width = (USHORT)(m[18] | m[19] << 8), height = (USHORT)(m[20] | m[21] << 8);
    USHORT segment_a = (USHORT)(m[8] | m[9] << 8), window_kib = (USHORT)(m[6] | m[7] << 8);
    uint8_t bpp = m[25], model = m[27];
    uint32_t lfb = m[40] | m[41] << 8 | m[42] << 16 | (uint32_t)m[43] << 24;
    bool depth = (model == 4 && bpp == 8) ||
                 (model == 6 && (bpp == 15 || bpp == 16 || bpp == 24 || bpp == 32));
    if ((attributes & 0x11) != 0x11 || !depth || width < 640 || width > 1024 || height < 480 ||
        height > 768)
        return;
    struct expected e = { width, height, bpp, stride, false };
    if ((attributes & 0x80) && lfb)
        expect(b, e, 4096);
    e.banked = true;
    if ((m[2] & 7) == 7 && segment_a == 0xA000 && window_kib == 64 && bpp != 24)
        expect(b, e, 0x10000);
}

/* The BIOS's modes through a buffer of the INT 10 interface; false when
 * there is none to be had or the BIOS does not answer. */
static bool read_bios_modes(struct ktest *t, struct bios_modes *b)
{
    VIDEO_PORT_INT10_INTERFACE i = { .Size = sizeof(i),
                                     .Version = VIDEO_PORT_INT10_INTERFACE_VERSION_1 };
    USHORT seg = 0, off = 0;
    ULONG length = 512;
    if (VideoPortQueryServices(NULL, VideoPortServicesInt10, (PINTERFACE)&i) != NO_ERROR ||
        i.Int10AllocateBuffer(i.Context, &seg, &off, &length) != NO_ERROR)
        return false;
    static uint8_t block[512];
    static USHORT numbers[MAX_BIOS_MODES];
    memset(block, 0, sizeof(block));
    memcpy(block, "VBE2", 4);
    INT10_BIOS_ARGUMENTS a = { .Eax = 0x4F00, .Edi = off, .SegEs = seg };
    bool ok = i.Int10WriteMemory(i.Context, seg, off, block, sizeof(block)) == NO_ERROR &&
              i.Int10CallBios(i.Context, &a) == NO_ERROR && (a.Eax & 0xFFFF) == 0x004F &&
              i.Int10ReadMemory(i.Context, seg, off, block, sizeof(block)) == NO_ERROR &&
              i.Int10ReadMemory(i.Context, (USHORT)(block[0x10] | block[0x11] << 8),
                                (USHORT)(block[0x0E] | block[0x0F] << 8), numbers,
                                sizeof(numbers)) == NO_ERROR;
    b->vram = (uint32_t)(block[0x12] | block[0x13] << 8) << 16;
    for (ULONG n = 0; ok && n < MAX_BIOS_MODES && numbers[n] != 0xFFFF; n++) {
        uint8_t info[256];
        a = (INT10_BIOS_ARGUMENTS){ .Eax = 0x4F01, .Ecx = numbers[n], .Edi = off, .SegEs = seg };
        if (i.Int10CallBios(i.Context, &a) == NO_ERROR && (a.Eax & 0xFFFF) == 0x004F &&
            i.Int10ReadMemory(i.Context, seg, off, info, sizeof(info)) == NO_ERROR)
            judge(b, info);
    }
    KT_EXPECT_EQ(t, i.Int10FreeBuffer(i.Context, seg, off), NO_ERROR);
    return ok;
}

/* Whether the table holds e, row length and all. */
static bool offered(const VIDEO_MODE_INFORMATION *modes, ULONG count, const struct expected *e)
{
    for (ULONG k = 0; k < count; k++) {
        const VIDEO_MODE_INFORMATION *m = &modes[k];
        struct expected o = { m->VisScreenWidth, m->VisScreenHeight, m->BitsPerPlane,
                              m->ScreenStride, (m->AttributeFlags & VIDEO_MODE_BANKED) != 0 };
        if (same_geometry(&o, e) && o.stride == e->stride)
            return true;
    }
    return false;
}

/* Every entry of Video0's table is one the BIOS's answers call for, with
 * the BIOS's row length, and none they call for is missing. */
static void modes_are_what_the_bios_reports(struct ktest *t)
{
    struct vp_device *dev = vp_device_find("Video0");
    const char *asked = kernel_option("video.miniport");
    bool vbe = dev && strcmp(vp_device_miniport(dev), "vbe") == 0;
    if (asked && strcmp(asked, "vbe") == 0)
        KT_EXPECT(t, vbe || !v86_video_bios_present()); /* it declines only under UEFI */
    if (!vbe)
        KT_SKIP(t, "Video0 is not the vbe miniport");
    static struct bios_modes bios;
    bios = (struct bios_modes){ .count = 0 };
    /* vbe answered 4F00 to start and gave its buffer back once the modes
     * were read: both must hold now. */
    bool read = read_bios_modes(t, &bios);
    KT_EXPECT(t, read);
    if (!read)
        return;
    static VIDEO_MODE_INFORMATION modes[MAX_ENTRIES];
    ULONG got = 0;
    KT_EXPECT_EQ(t, vp_device_control(dev, NULL, IOCTL_VIDEO_QUERY_AVAIL_MODES, modes, 0,
                                      sizeof(modes), &got), STATUS_SUCCESS);
    ULONG count = got / sizeof(modes[0]);
    ktest_log("the BIOS calls for %u entries; Video0 offers %u", bios.count, count);
    KT_EXPECT_EQ(t, count, bios.count < MAX_ENTRIES ? bios.count : MAX_ENTRIES);
    for (ULONG j = 0; j < bios.count && j < MAX_ENTRIES; j++) {
        const struct expected *e = &bios.entries[j];
        bool found = offered(modes, count, e);
        if (!found)
            ktest_log("missing: %ux%ux%u stride %u %s", e->width, e->height, e->bpp, e->stride,
                      e->banked ? "banked" : "linear");
        KT_EXPECT(t, found);
    }
}

KTEST_SUITE(vbe_suite, "vbe", false,
            KTEST_CASE(modes_are_what_the_bios_reports));
