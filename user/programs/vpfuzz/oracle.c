/*
 * The data oracle. Worker k of a run of N owns stripe k of video memory
 * (FUZZ_STRIPE bytes at k * FUZZ_STRIPE, the same in every mode) and keeps
 * a model: a RAM copy of what the stripe must hold. It holds two views of
 * the stripe: one it writes through (which may start below the stripe and
 * reach past it, so that its banks are numbered differently) and one it
 * reads through. Its operations write the stripe by every path it has
 * (here: plain, unaligned and read-modify-write stores, string stores and
 * copies between the two views, across bank edges; oracle_sys.c: outputs
 * of system calls and requests; blob.c: code run from a view, in a child)
 * and update the model to match; it also reads across bank edges
 * anywhere (other workers' stripes too), so that the banks others write
 * are bounced and switched under them. It verifies after a system call
 * (so bounces are written back) that let others run: the whole stripe
 * read through another view than it writes through, compared byte for
 * byte.
 *
 * No other write of any worker or child goes into a stripe (see
 * writable_from and output_safe), so only the kernel can make the stripe
 * differ from the model, by losing or misplacing bytes: each difference
 * is a finding, and the oracle then starts afresh. A mode change (by any
 * worker) revokes every view and may clear memory: the oracle sees its
 * views revoked, drops its model and, once the mode holds the run's
 * stripes, shares again and writes a fresh pattern, then fills the stripe
 * through its revoked writing view, which must reach only that view's
 * scratch frame (F21'). A mode change is never a finding itself: whatever
 * happened since the last look is then not judged.
 */
#include "oracle.h"

#define ABOVE_MAX (1024u * 1024) /* how far past the stripe the writing view may reach */
#define CHUNK 4096u              /* the verification reads this much at a time */
#define RAM_MAX 16384u           /* string stores from RAM copy at most this much */
#define STRING_MAX (3 * FUZZ_BANK)
#define STORES_MAX 16
#define VERIFY_ONE_IN 3

typedef uint16_t __attribute__((aligned(1), may_alias)) unaligned_u16;

struct oracle orc;
static uint8_t chunk[CHUNK];
static uint8_t ram[RAM_MAX];

static uint32_t pick(uint32_t n)
{
    return rng_below(&fz.rng, n);
}

/* The same address without volatile, for the library's memset and memmove. */
static void *plain(volatile uint8_t *p)
{
    return (void *)(uintptr_t)p;
}

/* ------------------------------------------------------------------ layout */

uint32_t no_ones_memory(void)
{
    return fz.procs * FUZZ_STRIPE;
}

uint32_t stripe_offset(void)
{
    return (uint32_t)fz.stripe * FUZZ_STRIPE;
}

uint32_t writable_from(const struct held_view *v)
{
    uint32_t start = no_ones_memory();
    if (v->offset >= start)
        return 0;
    return start - v->offset < v->size ? start - v->offset : v->size;
}

static bool overlaps(uint32_t a, uint32_t a_len, uint32_t b, uint32_t b_len)
{
    return a < b + b_len && b < a + a_len;
}

/* Whether [va, va + len) meets one of the oracle's views. */
static bool meets_oracle_view(uint32_t va, uint32_t len)
{
    return (orc.w_view && overlaps(va, len, (uint32_t)orc.w_view, orc.w_size)) ||
           (orc.r && overlaps(va, len, (uint32_t)orc.r, FUZZ_STRIPE)) ||
           (orc.stale_view && overlaps(va, len, (uint32_t)orc.stale_view, orc.stale_size));
}

bool in_oracle_view(uint32_t va)
{
    return meets_oracle_view(va, 1);
}

bool output_safe(uint32_t va, uint32_t len)
{
    if (meets_oracle_view(va, len))
        return false;
    for (uint32_t i = 0; i < fz.view_count; i++) {
        uint32_t base = (uint32_t)fz.views[i].base;
        uint32_t first = va > base ? va : base; /* the first byte written in this view */
        if (overlaps(va, len, base, fz.views[i].size) &&
            first < base + writable_from(&fz.views[i]))
            return false;
    }
    return true;
}

uint32_t stripe_spot(uint32_t len)
{
    return edge_offset(0, FUZZ_STRIPE, len, 2);
}

uint32_t stripe_va(uint32_t at)
{
    return (uint32_t)(orc.w + at);
}

void stripe_write(uint32_t at, const void *bytes, uint32_t len)
{
    rep_movsb(orc.w + at, bytes, len);
    memcpy(orc.model + at, bytes, len);
}

void stripe_read(uint32_t at, void *out, uint32_t len)
{
    rep_movsb(out, orc.w + at, len);
}

bool oracle_setup(void)
{
    orc.model = sbrk(FUZZ_STRIPE);
    if (orc.model == (void *)-1)
        return false;
    memset(orc.model, 0, FUZZ_STRIPE); /* present from the start, like the scratch */
    return true;
}

void oracle_figures(char *buf, size_t len)
{
    snprintf(buf, len, "oracle verified %u resets %u skipped %u outputs %u blobs %u",
             orc.verified, orc.resets, orc.skipped, orc.outputs, orc.blobs);
}

/* ------------------------------------------------------------------- views */

static VP_STATUS share(uint32_t offset, uint32_t size, VIDEO_SHARE_MEMORY_INFORMATION *info)
{
    VIDEO_SHARE_MEMORY in = { NtCurrentProcess(), offset, size, NULL };
    return video_control(fz.dev, IOCTL_VIDEO_SHARE_VIDEO_MEMORY, &in, sizeof(in), info,
                         sizeof(*info), NULL);
}

/* Unshare one of the oracle's views; one the port knows must go (F21:
 * revoked ones too). */
static void release(const volatile uint8_t *view, bool known)
{
    VP_STATUS status = unshare(NtCurrentProcess(), (uint32_t)view, sizeof(VIDEO_SHARE_MEMORY));
    if (known && status != NO_ERROR)
        finding("unshare of the oracle's view at %p: status %d", (const void *)view,
                (int)status);
}

static void drop_views(bool w_known, bool r_known)
{
    if (orc.w_view)
        release(orc.w_view, w_known);
    if (orc.r)
        release(orc.r, r_known);
    orc.w_view = orc.w = orc.r = NULL;
    orc.w_size = 0;
    orc.live = false;
}

void oracle_drop(void)
{
    drop_views(true, true);
}

static void release_stale(void)
{
    if (orc.stale_view)
        release(orc.stale_view, true);
    orc.stale = orc.stale_view = NULL;
    orc.stale_size = 0;
}

enum view_state { VIEW_CURRENT, VIEW_REVOKED, VIEW_GONE };

/* One view's state. Unknown to the port (nothing else of ours unshares
 * it), or live though the generation moved on, is a finding. */
static enum view_state view_state(const volatile uint8_t *view)
{
    VIDPORT_VIEW_INFORMATION info;
    VP_STATUS status = query_view((uint32_t)view, &info);
    if (status != NO_ERROR) {
        finding("the oracle's view at %p: query status %d", (const void *)view, (int)status);
        return VIEW_GONE;
    }
    if (info.State == VIDPORT_VIEW_LIVE && info.Generation != orc.generation)
        finding("the oracle's view at %p is live in generation %u, made in %u",
                (const void *)view, info.Generation, orc.generation);
    return info.State == VIDPORT_VIEW_LIVE && info.Generation == orc.generation ? VIEW_CURRENT
                                                                               : VIEW_REVOKED;
}

bool oracle_current(void)
{
    if (!orc.live)
        return false;
    enum view_state w = view_state(orc.w_view), r = view_state(orc.r);
    if (w == VIEW_CURRENT && r == VIEW_CURRENT)
        return true;
    if (w == VIEW_REVOKED && !orc.stale_view) { /* kept for check_stale_stores */
        orc.stale = orc.w;
        orc.stale_view = orc.w_view;
        orc.stale_size = orc.w_size;
        orc.w_view = NULL;
    }
    drop_views(w != VIEW_GONE, r != VIEW_GONE);
    return false;
}

/* SHARE of a range the current mode `m` holds was refused: a finding
 * unless the mode changed meanwhile or a bound was reached (F25). */
static void check_refused(const VIDEO_MODE_INFORMATION *m, VP_STATUS status, uint32_t offset)
{
    VIDEO_MODE_INFORMATION now;
    bool same_mode = current_mode(&now) && now.ModeIndex == m->ModeIndex;
    if (status != ERROR_NOT_ENOUGH_MEMORY && (status != ERROR_INVALID_PARAMETER || same_mode))
        finding("the oracle's share at 0x%x in mode %u: status %d", offset, m->ModeIndex,
                (int)status);
}

/* Share the stripe twice in the current mode: the writing view, from up
 * to the memory's start below the stripe to up to ABOVE_MAX past it, and
 * the reading view of the stripe alone. False, with nothing held, when
 * the mode's memory does not hold the run's stripes or a share failed. */
static bool share_views(void)
{
    VIDEO_MODE_INFORMATION m;
    VIDEO_SHARE_MEMORY_INFORMATION w, r;
    if (!current_mode(&m))
        return false;
    uint32_t unit = (m.AttributeFlags & VIDEO_MODE_BANKED) ? FUZZ_BANK : FUZZ_PAGE;
    uint32_t shareable = (m.VideoMemoryBitmapHeight * m.ScreenStride) & ~(unit - 1);
    if (shareable < no_ones_memory()) {
        orc.skipped++;
        return false;
    }
    uint32_t base = stripe_offset(), room = shareable - base - FUZZ_STRIPE;
    uint32_t below = pick(4) ? 0 : pick(base / FUZZ_BANK + 1) * FUZZ_BANK;
    uint32_t above = pick(4) ? 0 : pick((room < ABOVE_MAX ? room : ABOVE_MAX) + 1);
    VP_STATUS status = share(base - below, below + FUZZ_STRIPE + above, &w);
    if (status == NO_ERROR) {
        orc.w_view = w.VirtualAddress;
        orc.w_size = w.SharedViewSize;
        orc.w = orc.w_view + below;
        status = share(base, FUZZ_STRIPE, &r);
    }
    if (status == NO_ERROR) {
        orc.r = r.VirtualAddress;
        return true;
    }
    check_refused(&m, status, base);
    drop_views(true, true);
    return false;
}

/* Views, then a fresh pattern through the writing view and in the model. */
static bool oracle_start(void)
{
    VIDPORT_VIEW_INFORMATION info;
    if (!share_views())
        return false;
    if (query_view((uint32_t)orc.w_view, &info) != NO_ERROR) {
        finding("the oracle's new view at %p is unknown to the port", (void *)orc.w_view);
        drop_views(false, true);
        return false;
    }
    orc.generation = info.Generation;
    orc.live = true;
    if (!oracle_current())
        return false; /* a mode change between the shares */
    uint32_t seed = rng_next(&fz.rng);
    for (uint32_t i = 0; i < FUZZ_STRIPE / 4; i++) {
        uint32_t v = pattern_value(i, seed);
        memcpy(orc.model + 4 * i, &v, 4);
    }
    rep_movsd(orc.w, orc.model, FUZZ_STRIPE / 4);
    orc.resets++;
    return true;
}

/* ------------------------------------------------------------ verification */

/* A system call, and usually other workers running meanwhile. */
static void settle(void)
{
    switch (pick(4)) {
    case 0: (void)getpid(); break;
    case 1: yield(); break;
    default: sleep_ms(1 + pick(2));
    }
}

/* The first offset where the stripe read through `view` differs from the
 * model (FUZZ_STRIPE if none); *count gets how many bytes differ. Each
 * chunk is read with one rep movsd. */
static uint32_t compare(const volatile uint8_t *view, uint32_t *count)
{
    uint32_t first = FUZZ_STRIPE;
    *count = 0;
    for (uint32_t at = 0; at < FUZZ_STRIPE; at += CHUNK) {
        rep_movsd(chunk, view + at, CHUNK / 4);
        if (memcmp(chunk, orc.model + at, CHUNK) == 0)
            continue;
        for (uint32_t i = 0; i < CHUNK; i++) {
            if (chunk[i] != orc.model[at + i] && (*count)++ == 0)
                first = at + i;
        }
    }
    return first;
}

/* The four bytes at `at` (fewer at the stripe's end, padded with 0) as
 * hex, in memory order. */
static void hex4(const volatile uint8_t *p, uint32_t at, char out[9])
{
    uint8_t b[4] = { 0 };
    for (uint32_t i = 0; i < 4 && at + i < FUZZ_STRIPE; i++)
        b[i] = p[at + i];
    snprintf(out, 9, "%02x%02x%02x%02x", b[0], b[1], b[2], b[3]);
}

/* Verify the whole stripe after settle(): through the reading view
 * mostly, sometimes one shared for the purpose or the writing view. A
 * difference is a finding unless a mode change explains it; after a
 * finding the oracle starts afresh. */
static void oracle_verify(void)
{
    VIDEO_SHARE_MEMORY_INFORMATION fresh = { 0, 0, NULL };
    const volatile uint8_t *view = orc.r;
    const char *which = "reading";
    settle();
    uint32_t how = pick(8);
    if (how == 0 && share(stripe_offset(), FUZZ_STRIPE, &fresh) == NO_ERROR) {
        view = fresh.VirtualAddress;
        which = "fresh";
    } else if (how == 1) {
        view = orc.w;
        which = "writing";
    }
    uint32_t differ, at = compare(view, &differ);
    char expected[9], got[9];
    if (at < FUZZ_STRIPE) {
        hex4(orc.model, at, expected);
        hex4(view, at, got);
    }
    if (fresh.VirtualAddress)
        release(fresh.VirtualAddress, true);
    if (at == FUZZ_STRIPE) {
        orc.verified++;
        return;
    }
    if (!oracle_current())
        return; /* a mode change: not a finding */
    finding("stripe %d +0x%x: expected %s got %s, %u bytes differ (%s view %p)", fz.stripe, at,
            expected, got, differ, which, (const void *)view);
    oracle_drop();
}

/* Stores through a writing view a mode change revoked must land in its
 * scratch frame, never in video memory (F21, F21'): fill the stripe's
 * part of it, give it up, and verify the fresh stripe. */
static void check_stale_stores(void)
{
    fz.op = "oracle-revoked";
    memset(plain(orc.stale), (int)pick(256), FUZZ_STRIPE);
    release_stale();
    oracle_verify();
}

/* ----------------------------------------------------------------- stores */

/* Plain stores of 1, 2 or 4 bytes through the writing view, half of them
 * across a bank edge. */
static void act_stores(void)
{
    for (uint32_t n = 1 + pick(STORES_MAX); n > 0; n--) {
        uint32_t width = 1u << pick(3), at = stripe_spot(width), v = rng_next(&fz.rng);
        volatile uint8_t *p = orc.w + at;
        if (width == 1)
            *p = (uint8_t)v;
        else if (width == 2)
            *(volatile unaligned_u16 *)p = (uint16_t)v;
        else
            *(volatile unaligned_u32 *)p = v;
        memcpy(orc.model + at, &v, width);
    }
}

/* A read-modify-write of a dword, often across a bank edge: an add, or an
 * xchg, whose read must show what the model holds. */
static void act_rmw(void)
{
    uint32_t at = stripe_spot(4), v = rng_next(&fz.rng), old, now = v;
    volatile unaligned_u32 *p = (volatile unaligned_u32 *)(orc.w + at);
    memcpy(&old, orc.model + at, 4);
    if (pick(2)) {
        __asm__ volatile("addl %1, %0" : "+m"(*p) : "r"(v) : "cc");
        now = old + v;
    } else {
        uint32_t seen = v;
        __asm__ volatile("xchgl %0, %1" : "+r"(seen), "+m"(*p));
        if (seen != old) {
            if (oracle_current()) {
                finding("xchg at stripe +0x%x read %08x, expected %08x", at, seen, old);
                oracle_drop();
            }
            return;
        }
    }
    memcpy(orc.model + at, &now, 4);
}

static void fill_ram(uint32_t len)
{
    for (uint32_t i = 0; i < len; i += 4) {
        uint32_t v = rng_next(&fz.rng);
        memcpy(ram + i, &v, 4);
    }
}

/* A string write of up to three banks, often across bank edges: rep movsb
 * or rep movsd from RAM, memset, a forward copy into the writing view from
 * the reading one (the same memory through other page tables), or a
 * memmove within the writing view. The model does the same. */
static void act_string(void)
{
    uint32_t len = 1 + pick(pick(4) ? 2048 : STRING_MAX), dst = stripe_spot(len);
    uint32_t src = stripe_spot(len), from_ram = len < RAM_MAX ? len : RAM_MAX;
    uint8_t *model = orc.model;
    int c = (int)pick(256);
    switch (pick(6)) {
    case 0: fill_ram(from_ram); rep_movsb(orc.w + dst, ram, from_ram);
        memcpy(model + dst, ram, from_ram); break;
    case 1: fill_ram(from_ram); rep_movsd(orc.w + dst, ram, from_ram / 4);
        memcpy(model + dst, ram, from_ram / 4 * 4); break;
    case 2: memset(plain(orc.w + dst), c, len); memset(model + dst, c, len); break;
    case 3: rep_movsb(orc.w + dst, orc.r + src, len); rep_movsb(model + dst, model + src, len);
        break;
    case 4: rep_movsd(orc.w + dst, orc.r + src, len / 4);
        rep_movsd(model + dst, model + src, len / 4); break;
    default: memmove(plain(orc.w + dst), plain(orc.w + src), len);
        memmove(model + dst, model + src, len);
    }
}

/* A string read of up to RAM_MAX bytes across bank edges from a view of
 * the worker's (other workers' stripes included: reads go anywhere). The
 * banks it holds in bounces while it runs are where another worker's
 * stores and kernel outputs must not get lost. */
static void act_peek(void)
{
    if (!fz.view_count)
        return;
    const struct held_view *v = &fz.views[pick(fz.view_count)];
    uint32_t len = 1 + pick(v->size < RAM_MAX ? v->size : RAM_MAX);
    const volatile uint8_t *from = v->base + edge_offset(0, v->size, len, 1);
    if (pick(2))
        rep_movsb(ram, from, len);
    else
        rep_movsd(ram, from, len / 4);
}

/* ---------------------------------------------------------------- the op */

static const struct op actions[] = {
    { "oracle-stores", 30, act_stores },
    { "oracle-rmw", 8, act_rmw },
    { "oracle-string", 25, act_string },
    { "oracle-peek", 10, act_peek },
    { "oracle-syscall", 35, oracle_syscall },
    { "oracle-blob", 2, oracle_blob },
};
#define ACTIONS (sizeof(actions) / sizeof(actions[0]))

void op_oracle(void)
{
    if (fz.stripe < 0)
        return;
    if (!oracle_current() && !oracle_start()) {
        release_stale(); /* no fresh stripe to check its stores against */
        return;
    }
    if (orc.stale_view) {
        check_stale_stores();
        return;
    }
    run_one_of(actions, ACTIONS);
    if (orc.live && pick(VERIFY_ONE_IN) == 0) {
        fz.op = "oracle-verify";
        oracle_verify();
    }
}
