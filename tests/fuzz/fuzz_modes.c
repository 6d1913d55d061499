/*
 * Fuzz target: the mode tables the miniports build (their NAME_modes.c in
 * drivers/miniports/) from what their hardware and the boot loader report, the frame buffer
 * each mode gives the requests, and SET_CURRENT_MODE's argument
 * (vpv_set_mode) against the table built.
 *
 * Every mode offered must be one the port can serve: a known depth, at
 * least one pixel, rows at least as long as their pixels, a frame inside
 * its bitmap, a bitmap inside the video memory the miniport may use, and
 * a frame a program can share whole in either twin (the SHARE limit is a
 * whole number of units and covers the frame). Products are compared in
 * 64 bits, so a table that only fits because a 32-bit product wrapped
 * fails.
 *
 * Input: the miniport's name and a colon ("bga:", "cirrus:", "bootfb:",
 * "vbe:"; an input naming none means nothing), a byte saying how the
 * values are shaped, then what that miniport reads from its hardware and
 * the boot loader, then a RequestedMode. A seed names its miniport, so a
 * new miniport adds a line below and seeds of its own, and changes none.
 */
#include "fuzz.h"

#include <string.h>

#include "drivers/miniports/bga_modes.h"
#include "drivers/miniports/bootfb_modes.h"
#include "drivers/miniports/cirrus_modes.h"
#include "drivers/miniports/vbe_modes.h"
#include "drivers/videoport/vp_validate.h"

#define PAGE 4096u
#define BGA_BANK 0x10000u
#define CIRRUS_BANK 0x8000u
#define MODE_FLAGS (VIDEO_MODE_NO_ZERO_MEMORY | VIDEO_MODE_MAP_MEM_LINEAR)

static bool is_banked(const VIDEO_MODE_INFORMATION *m)
{
    return m->AttributeFlags & VIDEO_MODE_BANKED;
}

static uint64_t round_up(uint64_t x, uint64_t unit)
{
    return (x + unit - 1) / unit * unit;
}

/* What every mode offered must be; usable: the bytes of video memory its
 * bitmap may take. */
static void check_mode(const VIDEO_MODE_INFORMATION *m, ULONG index, uint64_t usable)
{
    ULONG bpp = m->BitsPerPlane;
    PROPERTY(m->Length == sizeof(*m) && m->ModeIndex == index);
    PROPERTY(bpp == 8 || bpp == 15 || bpp == 16 || bpp == 24 || bpp == 32);
    PROPERTY(m->VisScreenWidth >= 1 && m->VisScreenHeight >= 1);
    PROPERTY((uint64_t)m->ScreenStride >= (uint64_t)m->VisScreenWidth * ((bpp + 7) / 8));
    PROPERTY(m->VideoMemoryBitmapHeight >= m->VisScreenHeight);
    PROPERTY((uint64_t)m->VideoMemoryBitmapHeight * m->ScreenStride <= usable);
    PROPERTY(is_banked(m) != !!(m->AttributeFlags & VIDEO_MODE_LINEAR));
}

/* The frame buffer a mode gives the requests: SHARE's limit is whole
 * units inside the bitmap and covers the frame. */
static void check_frame_buffer(const struct vp_frame_buffer *fb, const VIDEO_MODE_INFORMATION *m,
                               ULONG unit)
{
    PROPERTY(fb->frame_length == (uint64_t)m->VisScreenHeight * m->ScreenStride);
    PROPERTY(fb->bitmap_length == (uint64_t)m->VideoMemoryBitmapHeight * m->ScreenStride);
    PROPERTY(fb->shareable_length % unit == 0 && fb->shareable_length <= fb->bitmap_length);
    PROPERTY(fb->frame_length <= fb->shareable_length);
}

/* A whole table: each mode as above, in both twins' frame buffers, and no
 * geometry listed twice. */
static void check_table(const VIDEO_MODE_INFORMATION *modes, ULONG count, uint64_t usable,
                        ULONG bank)
{
    for (ULONG i = 0; i < count; i++) {
        const VIDEO_MODE_INFORMATION *m = &modes[i];
        check_mode(m, i, usable);
        struct vp_frame_buffer fb = vp_mode_frame_buffer(m, 0, 0, is_banked(m) ? bank : PAGE);
        check_frame_buffer(&fb, m, is_banked(m) ? bank : PAGE);
        for (ULONG j = 0; j < i; j++) {
            const VIDEO_MODE_INFORMATION *o = &modes[j];
            PROPERTY(o->VisScreenWidth != m->VisScreenWidth ||
                     o->VisScreenHeight != m->VisScreenHeight ||
                     o->BitsPerPlane != m->BitsPerPlane || is_banked(o) != is_banked(m));
        }
    }
}

/* SET_CURRENT_MODE with any RequestedMode: an index accepted names a mode
 * of the table, and the flags are exactly the two the port knows. */
static void check_set_mode(const VIDEO_MODE_INFORMATION *modes, ULONG count, ULONG requested)
{
    ULONG index = 0xDEADBEEF, flags = 0xDEADBEEF;
    bool accepted = vpv_set_mode(requested, count, &index, &flags);
    PROPERTY(accepted == ((requested & ~MODE_FLAGS) < count));
    if (!accepted)
        return;
    PROPERTY(index < count && modes[index].ModeIndex == index);
    PROPERTY((flags & ~MODE_FLAGS) == 0 && (index | flags) == requested && !(index & flags));
}

/* A frame fits with room to spare: rounded up to a bank, plus one row,
 * within usable bytes. Such a mode must be offered; the table check above
 * refuses any that does not fit at all. */
static bool fits_with_room(uint64_t width, uint64_t height, uint64_t bpp, uint64_t usable,
                           uint64_t bank)
{
    uint64_t stride = width * (bpp / 8);
    return width && height && round_up(height * stride, bank) + stride <= usable;
}

static uint32_t take_vram(struct fuzz_input *in, uint8_t shape)
{
    uint32_t raw = take_u32(in);
    return shape & 0x10 ? raw : 1u << (raw % 32);
}

static void fuzz_bga(struct fuzz_input *in, uint8_t shape)
{
    static const ULONG depths[] = { 0, 4, 8, 15, 16, 24, 32 };
    static const ULONG sizes[][2] = { { 640, 480 }, { 800, 600 }, { 1024, 768 } };
    uint32_t vram = take_vram(in, shape);
    ULONG w = take_u16(in), h = take_u16(in), bpp = take_u16(in);
    uint8_t bits = take_u8(in);
    bool enabled = bits & 1, banked = bits & 2;
    if (!(shape & 0x20))
        bpp = depths[bpp % (sizeof(depths) / sizeof(depths[0]))];
    struct bga_modes t;
    if (!bga_list_modes(&t, vram)) {
        PROPERTY(!fits_with_room(640, 480, 8, vram > BGA_PRIVATE_SIZE ? vram - BGA_PRIVATE_SIZE : 0,
                                 BGA_BANK));
        return;
    }
    uint64_t usable = vram - BGA_PRIVATE_SIZE;
    PROPERTY(vram > BGA_PRIVATE_SIZE && t.count <= BGA_MAX_MODES);
    for (size_t s = 0; s < 3; s++) {
        for (ULONG d = 8; d <= 32; d *= 2) {
            ULONG listed = 0;
            for (ULONG i = 0; i < t.count; i++)
                listed += t.modes[i].VisScreenWidth == sizes[s][0] &&
                          t.modes[i].VisScreenHeight == sizes[s][1] && t.modes[i].BitsPerPlane == d;
            PROPERTY(listed == 2 || !fits_with_room(sizes[s][0], sizes[s][1], d, usable, BGA_BANK));
        }
    }
    ULONG before = t.count;
    ULONG boot = bga_boot_mode(&t, vram, w, h, bpp, enabled, banked);
    PROPERTY(boot < t.count && t.count <= before + 1 && t.count <= BGA_MAX_MODES);
    check_table(t.modes, t.count, usable, BGA_BANK);
    const VIDEO_MODE_INFORMATION *m = &t.modes[boot];
    PROPERTY(is_banked(m) == banked);
    bool depth = bpp == 8 || bpp == 16 || bpp == 32;
    if (enabled && depth && fits_with_room(w, h, bpp, usable, BGA_BANK))
        PROPERTY(m->VisScreenWidth == w && m->VisScreenHeight == h && m->BitsPerPlane == bpp);
    check_set_mode(t.modes, t.count, take_u32(in));
}

static struct boot_framebuffer take_boot_fb(struct fuzz_input *in)
{
    struct boot_framebuffer fb = {
        .phys = take_u64(in), .pitch = take_u32(in), .width = take_u32(in),
        .height = take_u32(in), .bpp = take_u8(in), .type = (enum boot_fb_type)take_choice(in, 3),
    };
    fb.red = (struct color_field){ take_u8(in), take_u8(in) };
    fb.green = (struct color_field){ take_u8(in), take_u8(in) };
    fb.blue = (struct color_field){ take_u8(in), take_u8(in) };
    return fb;
}

/* A colour field's mask, bit by bit: bits past 31 do not exist. */
static ULONG field_reference(struct color_field f)
{
    ULONG mask = 0;
    for (unsigned bit = f.position; bit < (unsigned)f.position + f.size && bit < 32; bit++)
        mask |= 1u << bit;
    return mask;
}

static void fuzz_cirrus(struct fuzz_input *in, uint8_t shape)
{
    struct boot_framebuffer fb = take_boot_fb(in);
    uint32_t lfb = take_u32(in), vram = take_vram(in, shape);
    struct vp_mode_desc hw = { .bpp = take_u8(in), .width = take_u32(in),
                               .height = take_u32(in), .stride = take_u32(in) };
    if (!(shape & 0x20)) { /* registers that agree with the loader, as on real hardware */
        fb.phys = lfb;
        hw = (struct vp_mode_desc){ .bpp = fb.bpp, .width = fb.width,
                                    .height = fb.height - (shape >> 6 & 1), .stride = fb.pitch };
    }
    VIDEO_MODE_INFORMATION modes[CIRRUS_MODES];
    if (!cirrus_describe_modes(modes, &fb, lfb, &hw, vram))
        return;
    PROPERTY(vram > CIRRUS_PRIVATE);
    PROPERTY(fb.phys == lfb && fb.width == hw.width && fb.pitch == hw.stride &&
             fb.bpp == hw.bpp && (fb.height == hw.height || fb.height == hw.height + 1));
    check_table(modes, CIRRUS_MODES, vram - CIRRUS_PRIVATE, CIRRUS_BANK);
    PROPERTY(is_banked(&modes[CIRRUS_BANKED]) && !is_banked(&modes[CIRRUS_LINEAR]));
    for (ULONG i = 0; i < CIRRUS_MODES; i++) {
        PROPERTY(modes[i].VisScreenWidth == fb.width && modes[i].VisScreenHeight == fb.height);
        PROPERTY(fb.type == BOOT_FB_INDEXED || modes[i].RedMask == field_reference(fb.red));
    }
    check_set_mode(modes, CIRRUS_MODES, take_u32(in));
}

/* The boot frame buffer's one mode: the loader's geometry and masks, a
 * frame below 4 GiB, and a SHARE limit that is the frame's whole pages. */
static void fuzz_bootfb(struct fuzz_input *in, uint8_t shape)
{
    struct boot_framebuffer fb = take_boot_fb(in);
    if (!(shape & 0x20))
        fb.phys &= 0xFFFFF000u; /* a page below 4 GiB, as loaders report */
    if (!bootfb_usable(shape & 0x40, &fb))
        return;
    VIDEO_MODE_INFORMATION mode;
    bootfb_describe_mode(&mode, &fb);
    struct vp_frame_buffer frame = bootfb_frame_buffer(&fb);
    uint64_t end = fb.phys + frame.frame_length;
    PROPERTY(shape & 0x40 && fb.type == BOOT_FB_RGB);
    PROPERTY(end >= fb.phys && end <= (1ull << 32)); /* no carry, below 4 GiB */
    check_mode(&mode, 0, (1ull << 32) - fb.phys);
    PROPERTY(mode.VisScreenWidth == fb.width && mode.VisScreenHeight == fb.height &&
             mode.ScreenStride == fb.pitch && mode.BitsPerPlane == fb.bpp);
    PROPERTY(mode.RedMask == field_reference(fb.red) &&
             mode.GreenMask == field_reference(fb.green) &&
             mode.BlueMask == field_reference(fb.blue));
    PROPERTY(frame.frame_length == (uint64_t)fb.pitch * fb.height &&
             frame.bitmap_length == frame.frame_length);
    PROPERTY(frame.shareable_length == round_up(frame.frame_length, PAGE));
    PROPERTY(fb.phys % PAGE || fb.phys + frame.shareable_length <= (1ull << 32));
    check_set_mode(&mode, 1, take_u32(in));
}

/* What 4F01 might say of a mode. Unless shape bit 0x20 asks for raw
 * bytes, it is shaped as BIOSes report: a supported graphics mode of a
 * depth and size vidport knows, whole rows, window A at A000. */
static struct vbe_mode_info take_vbe_info(struct fuzz_input *in, uint8_t shape)
{
    static const uint8_t depths[] = { 8, 15, 16, 24, 32 };
    static const uint16_t sizes[][2] = { { 640, 480 }, { 800, 600 }, { 1024, 768 }, { 320, 200 } };
    struct vbe_mode_info info;
    uint8_t *bytes = (uint8_t *)&info;
    for (size_t i = 0; i < sizeof(info); i++)
        bytes[i] = i < 44 ? take_u8(in) : 0; /* past PhysBasePtr nothing is read */
    if (shape & 0x20)
        return info;
    const uint16_t *size = sizes[info.width % 4];
    info.bpp = depths[info.bpp % 5];
    info.memory_model = info.bpp == 8 ? 4 : 6;
    info.attributes |= 0x19;
    info.width = size[0];
    info.height = size[1];
    info.bytes_per_line = (uint16_t)(info.width * ((info.bpp + 7) / 8) + (info.pages & 3) * 64);
    info.segment_a = VBE_WINDOW_SEGMENT;
    info.window_kib = 64;
    info.granularity_kib = (uint16_t)(info.char_width & 1 ? 64 : 4);
    info.window_a |= 0x07;
    return info;
}

/* Whether the table already lists a mode of m's geometry and kind. */
static bool listed_before(const VIDEO_MODE_INFORMATION *modes, ULONG count,
                          const VIDEO_MODE_INFORMATION *m)
{
    for (ULONG j = 0; j < count; j++) {
        if (modes[j].VisScreenWidth == m->VisScreenWidth &&
            modes[j].VisScreenHeight == m->VisScreenHeight &&
            modes[j].BitsPerPlane == m->BitsPerPlane && is_banked(&modes[j]) == is_banked(m))
            return true;
    }
    return false;
}

/* vbe's table, mode by mode: linear twins only at one page-aligned
 * address inside the display BAR, banked twins only with 64 KiB banks
 * and rows that hold whole pixels, never two entries of one geometry and kind, and
 * never more than the table holds. */
static void fuzz_vbe(struct fuzz_input *in, uint8_t shape)
{
    struct vbe_modes t = { .count = 0 };
    uint32_t vram = take_vram(in, shape);
    t.lfb_base = take_u32(in);
    t.lfb_limit = t.lfb_base + take_u32(in);
    for (uint32_t n = take_u8(in) % 48; n; n--) {
        USHORT number = take_u16(in);
        struct vbe_mode_info info = take_vbe_info(in, shape);
        ULONG before = t.count, added = vbe_add_mode(&t, number, &info, vram);
        PROPERTY(added <= 2 && t.count == before + added && t.count <= VBE_MAX_MODES);
        for (ULONG i = before; i < t.count; i++) {
            const VIDEO_MODE_INFORMATION *m = &t.modes[i];
            PROPERTY(t.number[i] == number && !listed_before(t.modes, i, m));
            PROPERTY(m->VisScreenWidth == info.width && m->BitsPerPlane == info.bpp);
            PROPERTY(is_banked(m) ? t.bank_length == 0x10000 && m->BitsPerPlane != 24 &&
                                        m->ScreenStride % ((m->BitsPerPlane + 7) / 8) == 0
                                  : t.lfb_phys == info.lfb_phys && t.lfb_phys % PAGE == 0 &&
                                        t.lfb_phys >= t.lfb_base &&
                                        (uint64_t)t.lfb_phys + vram <= t.lfb_limit);
        }
    }
    check_table(t.modes, t.count, vram, 0x10000);
    check_set_mode(t.modes, t.count, take_u32(in));
}

static const struct {
    const char *name;
    void (*fuzz)(struct fuzz_input *in, uint8_t shape);
} miniports[] = {
    { "bga", fuzz_bga },
    { "cirrus", fuzz_cirrus },
    { "bootfb", fuzz_bootfb },
    { "vbe", fuzz_vbe },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *colon = memchr(data, ':', size < 16 ? size : 16);
    if (!colon)
        return 0;
    size_t length = (size_t)(colon - data);
    for (size_t i = 0; i < sizeof(miniports) / sizeof(miniports[0]); i++) {
        if (strlen(miniports[i].name) == length && memcmp(data, miniports[i].name, length) == 0) {
            struct fuzz_input in = { colon + 1, size - length - 1 };
            miniports[i].fuzz(&in, take_u8(&in));
        }
    }
    return 0;
}
