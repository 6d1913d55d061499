/*
 * bankcopy: copy between the banks of the current mode through a shared
 * view of the frame and check every result by reading it back. Made for
 * banked modes (video=banked), where each copy needs two banks at once;
 * on a linear mode the same work runs with 64 KiB "banks".
 *
 * usage: bankcopy [rounds]      rounds 1..100, default 1
 *
 * Each round fills the frame with a known pattern, copies a rectangle from
 * the top to the bottom with memcpy and one from the bottom to the top
 * with rep movsd, stores unaligned dwords and 24-bpp pixels (a byte at a
 * time) across every bank edge, and verifies all of it. Ends with
 *   bankcopy: N checks, M mismatches, S straddles
 * (S: the accesses the adapter settled with a RAM copy of a bank) and
 * exits 0 when M is 0, 1 on a mismatch or a failed request, 2 on bad
 * arguments.
 */
#include <vidport.h>
#include <vpdraw.h>
#include <vputil.h>

#define DEFAULT_BANK 0x10000u
#define MAX_ROUNDS 100u
#define REPORTED_MISMATCHES 5

struct run {
    struct screen s;
    uint32_t bank;  /* bank length */
    uint32_t bytes; /* per pixel */
    uint32_t checks, mismatches;
};

struct rect {
    uint32_t x, y, w, h;
};

static VIDPORT_BANKING_INFORMATION banking(const struct run *r)
{
    VIDPORT_BANKING_INFORMATION b = { 0 };
    video_control(r->s.dev, IOCTL_VIDPORT_QUERY_BANKING, NULL, 0, &b, sizeof(b), NULL);
    return b;
}

/* Count one check; report the first few that fail. */
static void check(struct run *r, bool ok, const char *what, uint32_t offset)
{
    r->checks++;
    if (ok)
        return;
    if (r->mismatches++ < REPORTED_MISMATCHES)
        printf("bankcopy: %s at offset 0x%x reads back wrong\n", what, offset);
}

/* The byte at `offset` of the frame after fill(seed). */
static uint8_t filled_byte(uint32_t offset, uint32_t seed)
{
    return (uint8_t)(pattern_value(offset / 4, seed) >> (offset % 4 * 8));
}

static void fill(const struct run *r, uint32_t seed)
{
    volatile uint32_t *p = (volatile uint32_t *)r->s.base;
    for (uint32_t i = 0; i < r->s.size / 4; i++)
        p[i] = pattern_value(i, seed);
}

/* Whether len bytes at frame offset `at` hold what fill(seed) put at `from`. */
static bool holds_filled(const struct run *r, uint32_t at, uint32_t len, uint32_t from,
                         uint32_t seed)
{
    const volatile uint8_t *p = r->s.base + at;
    for (uint32_t i = 0; i < len; i++) {
        if (p[i] != filled_byte(from + i, seed))
            return false;
    }
    return true;
}

static void verify_fill(struct run *r, uint32_t seed)
{
    uint32_t stride = r->s.mode.ScreenStride;
    for (uint32_t y = 0; y < r->s.mode.VisScreenHeight; y++)
        check(r, holds_filled(r, y * stride, stride, y * stride, seed), "filled row", y * stride);
}

static uint32_t pixel_offset(const struct run *r, uint32_t x, uint32_t y)
{
    return y * r->s.mode.ScreenStride + x * r->bytes;
}

/* Copy rectangle `from` to (to_x, to_y) a row at a time, with memcpy or
 * one rep movsd per row, on a frame filled with `seed`; then check every
 * copied row and every source row. The rectangles must not overlap. */
static void copy_rect(struct run *r, const struct rect *from, uint32_t to_x, uint32_t to_y,
                      bool movsd, uint32_t seed)
{
    uint32_t len = from->w * r->bytes;
    for (uint32_t row = 0; row < from->h; row++) {
        uint8_t *dst = r->s.base + pixel_offset(r, to_x, to_y + row);
        const uint8_t *src = r->s.base + pixel_offset(r, from->x, from->y + row);
        if (movsd)
            rep_movsd(dst, src, len / 4);
        else
            memcpy(dst, src, len);
    }
    for (uint32_t row = 0; row < from->h; row++) {
        uint32_t dst = pixel_offset(r, to_x, to_y + row);
        uint32_t src = pixel_offset(r, from->x, from->y + row);
        check(r, holds_filled(r, dst, len, src, seed), "copied row", dst);
        check(r, holds_filled(r, src, len, src, seed), "source row", src);
    }
}

/* Store a dword `below` bytes under every bank edge, then (after the
 * system call that writes RAM copies of banks back) read each back. */
static void edge_dwords(struct run *r, uint32_t below, uint32_t seed)
{
    for (uint32_t edge = r->bank; edge < r->s.size; edge += r->bank)
        *(volatile uint32_t *)(r->s.base + edge - below) = pattern_value(edge, seed);
    banking(r);
    for (uint32_t edge = r->bank; edge < r->s.size; edge += r->bank) {
        uint32_t got = *(volatile uint32_t *)(r->s.base + edge - below);
        check(r, got == pattern_value(edge, seed), "dword across a bank edge", edge - below);
    }
}

/* The same with 3-byte pixels written and read a byte at a time. */
static void edge_pixels(struct run *r, uint32_t below, uint32_t seed)
{
    for (uint32_t edge = r->bank; edge < r->s.size; edge += r->bank)
        pixel24_store(r->s.base + edge - below, pattern_value(edge, seed) & 0xFFFFFF);
    banking(r);
    for (uint32_t edge = r->bank; edge < r->s.size; edge += r->bank) {
        uint32_t got = pixel24_load(r->s.base + edge - below);
        check(r, got == (pattern_value(edge, seed) & 0xFFFFFF), "pixel across a bank edge",
              edge - below);
    }
}

/* One round: every kind of copy and store, each on a freshly filled frame. */
static void round_of_copies(struct run *r, uint32_t round)
{
    uint32_t w = r->s.mode.VisScreenWidth, h = r->s.mode.VisScreenHeight;
    struct rect top = { w / 8 & ~3u, h / 16, w / 2 & ~3u, h / 4 };
    struct rect bottom = { w / 4 & ~3u, h / 2 + 1, w / 2 & ~3u, h / 4 };
    uint32_t seed = round * 16;
    fill(r, seed);
    verify_fill(r, seed);
    copy_rect(r, &top, w / 4 + 3, h / 2 + 1, false, seed);
    fill(r, seed + 1);
    copy_rect(r, &bottom, top.x, top.y, true, seed + 1);
    for (uint32_t below = 1; below <= 3; below++)
        edge_dwords(r, below, seed + 1 + below);
    for (uint32_t below = 1; below <= 2; below++)
        edge_pixels(r, below, seed + 4 + below);
}

int main(int argc, char **argv)
{
    uint32_t rounds = 1;
    if (argc > 2 || (argc == 2 && (!parse_uint(argv[1], &rounds) || rounds < 1 ||
                                   rounds > MAX_ROUNDS))) {
        printf("usage: bankcopy [rounds]   (rounds 1..%u, default 1)\n", MAX_ROUNDS);
        return 2;
    }
    struct run r = { .checks = 0 };
    if (screen_open(&r.s, "bankcopy") != NO_ERROR)
        return 1;
    VIDPORT_BANKING_INFORMATION before = banking(&r);
    r.bank = before.BankLength ? before.BankLength : DEFAULT_BANK;
    r.bytes = screen_pixel_bytes(&r.s);
    for (uint32_t i = 0; i < rounds; i++)
        round_of_copies(&r, i);
    uint32_t straddles = banking(&r).StraddleResolutions - before.StraddleResolutions;
    if (screen_close(&r.s, "bankcopy") != NO_ERROR)
        return 1;
    printf("bankcopy: %u checks, %u mismatches, %u straddles\n", r.checks, r.mismatches,
           straddles);
    return r.mismatches ? 1 : 0;
}
