/*
 * Operations on views and modes, each with what the port must answer:
 * SHARE with valid, invalid and random ranges, addresses and process
 * handles; UNSHARE of held views and of addresses that are none; the
 * view and banking queries; kernel MAPs; DdMapMemory; mode sets and
 * resets (after which every view the worker holds must be revoked); and
 * reads, writes and copies inside held views, which must always work,
 * live or revoked, across bank edges and between views. Reads go anywhere
 * in a view, writes only to memory no oracle owns (vpfuzz.h).
 */
#include <vputil.h>
#include "vpfuzz.h"

#define TOUCHES_MAX 16
#define BLOCK_MAX 4096
#define COPY_MAX 8192

static uint32_t pick(uint32_t n)
{
    return rng_below(&fz.rng, n);
}

bool current_mode(VIDEO_MODE_INFORMATION *mode)
{
    return video_control(fz.dev, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, mode, sizeof(*mode),
                         NULL) == NO_ERROR;
}

VP_STATUS query_view(uint32_t va, VIDPORT_VIEW_INFORMATION *info)
{
    VIDEO_MEMORY in = { (PVOID)va };
    return video_control(fz.dev, IOCTL_VIDPORT_QUERY_VIEW, &in, sizeof(in), info, sizeof(*info),
                         NULL);
}

VP_STATUS unshare(HANDLE process, uint32_t va, ULONG in_len)
{
    VIDEO_SHARE_MEMORY in = { process, 0, 0, (PVOID)va };
    return video_control(fz.dev, IOCTL_VIDEO_UNSHARE_VIDEO_MEMORY, &in, in_len, NULL, 0, NULL);
}

static void forget_view(uint32_t i)
{
    fz.views[i] = fz.views[--fz.view_count];
}

/* UNSHARE held view i at any address inside it: it must go (UNSHARE
 * allocates nothing, so not even injection may make it fail). */
static void release_view(uint32_t i)
{
    struct held_view v = fz.views[i];
    forget_view(i);
    VP_STATUS status = unshare(NtCurrentProcess(), (uint32_t)v.base + pick(v.size), sizeof(
                               VIDEO_SHARE_MEMORY));
    if (status != NO_ERROR)
        finding("unshare of the view at %p: status %d", (void *)v.base, (int)status);
}

void hold_view(uint8_t *base, uint32_t size, uint32_t offset, bool dd)
{
    VIDPORT_VIEW_INFORMATION info;
    if (!size && query_view((uint32_t)base, &info) != NO_ERROR) {
        finding("a new view at %p is unknown to the port", (void *)base);
        return;
    }
    if (fz.view_count == FUZZ_VIEWS)
        release_view(pick(FUZZ_VIEWS));
    fz.views[fz.view_count++] = (struct held_view){ base, size ? size : info.ViewSize, offset,
                                                    dd };
}

void views_reconcile(void)
{
    VIDPORT_VIEW_INFORMATION info;
    for (uint32_t i = fz.view_count; i-- > 0;) {
        if (query_view((uint32_t)fz.views[i].base, &info) != NO_ERROR)
            forget_view(i);
    }
}

bool in_held_view(uint32_t va)
{
    if (in_oracle_view(va))
        return true;
    for (uint32_t i = 0; i < fz.view_count; i++) {
        if (va - (uint32_t)fz.views[i].base < fz.views[i].size)
            return true;
    }
    return false;
}

/* ------------------------------------------------------------------ SHARE */

struct share_case {
    VIDEO_SHARE_MEMORY in;
    bool invalid; /* refused in every mode */
    bool placed;  /* valid now, the port chooses the address */
};

/* A range of the current mode's memory: valid, invalid in any mode, or noise. */
static void choose_range(const VIDEO_MODE_INFORMATION *m, struct share_case *c)
{
    uint32_t unit = (m->AttributeFlags & VIDEO_MODE_BANKED) ? FUZZ_BANK : FUZZ_PAGE;
    uint32_t frame = m->VisScreenHeight * m->ScreenStride;
    uint32_t shareable = (m->VideoMemoryBitmapHeight * m->ScreenStride) & ~(unit - 1);
    uint32_t offset = shareable >= unit ? pick(shareable / unit) * unit : 0;
    switch (pick(6)) {
    case 0: c->in.ViewSize = frame; c->placed = true; break;
    case 1: c->in.ViewOffset = offset; c->in.ViewSize = 1 + pick(shareable - offset);
        c->placed = true; break;
    case 2: c->in.ViewOffset = offset + 1 + pick(FUZZ_PAGE - 1); c->in.ViewSize = 1 + pick(4096);
        c->invalid = true; break;
    case 3: c->in.ViewSize = pick(2) ? 0 : 0x10000000u + pick(0x70000000u);
        c->invalid = true; break;
    case 4: c->in.ViewOffset = 0xFFFFF000u; c->in.ViewSize = 0x2000; c->invalid = true; break;
    default: c->in.ViewOffset = fuzz_word(); c->in.ViewSize = fuzz_word(); break;
    }
}

/* Sometimes an address to map at: free maybe, or one that must be refused. */
static void choose_address(struct share_case *c)
{
    uint32_t code = (uint32_t)&pick & ~(FUZZ_PAGE - 1);
    uint32_t held = fz.view_count ? (uint32_t)fz.views[pick(fz.view_count)].base : code;
    uint32_t va = 0;
    bool refused = true;
    switch (pick(12)) {
    case 0: va = 0x80000000u + pick(0x2000) * FUZZ_PAGE; refused = false; break;
    case 1: va = 0x80000000u + pick(0x2000) * FUZZ_PAGE + 1 + pick(FUZZ_PAGE - 1); break;
    case 2: va = KERNEL_BASE + pick(0x3FFFF) * FUZZ_PAGE; break;
    case 3: va = pick(2) ? code : (uint32_t)fz.scratch; break;
    case 4: va = held; break;
    default: return;
    }
    c->in.RequestedVirtualAddress = (PVOID)va;
    c->placed = false;
    c->invalid |= refused;
}

/* A valid SHARE the port refused: fine if the mode changed meanwhile;
 * otherwise it must work when asked again in the same mode. */
static void check_refusal(const VIDEO_MODE_INFORMATION *m, struct share_case *c)
{
    VIDEO_MODE_INFORMATION now;
    VIDEO_SHARE_MEMORY_INFORMATION info;
    if (!current_mode(&now) || now.ModeIndex != m->ModeIndex)
        return;
    VP_STATUS status = video_control(fz.dev, IOCTL_VIDEO_SHARE_VIDEO_MEMORY, &c->in,
                                     sizeof(c->in), &info, sizeof(info), NULL);
    if (status == NO_ERROR)
        hold_view(info.VirtualAddress, info.SharedViewSize, info.SharedViewOffset, false);
    else if (current_mode(&now) && now.ModeIndex == m->ModeIndex)
        finding("valid share offset 0x%x size 0x%x in mode %u refused twice: %d",
                c->in.ViewOffset, c->in.ViewSize, m->ModeIndex, (int)status);
}

/* What a successful SHARE must report about the view it made. */
static void check_shared(const struct share_case *c, const VIDEO_SHARE_MEMORY_INFORMATION *info)
{
    uint32_t va = (uint32_t)info->VirtualAddress;
    bool placed_right = !c->in.RequestedVirtualAddress ||
                        info->VirtualAddress == c->in.RequestedVirtualAddress;
    uint32_t whole_pages = (c->in.ViewSize + FUZZ_PAGE - 1) & ~(FUZZ_PAGE - 1); /* F6' */
    if ((va & (FUZZ_PAGE - 1)) || !placed_right || info->SharedViewSize != whole_pages ||
        info->SharedViewOffset != c->in.ViewOffset)
        finding("share offset 0x%x size 0x%x at %p: got offset 0x%x size 0x%x at %p",
                c->in.ViewOffset, c->in.ViewSize, c->in.RequestedVirtualAddress,
                info->SharedViewOffset, info->SharedViewSize, info->VirtualAddress);
}

void op_share(void)
{
    VIDEO_MODE_INFORMATION m;
    struct share_case c = { .in = { .ProcessHandle = NULL } };
    bool own;
    if (!current_mode(&m)) {
        finding("cannot read the current mode");
        return;
    }
    c.in.ProcessHandle = share_handle(&own);
    c.invalid = !own;
    choose_range(&m, &c);
    choose_address(&c);
    c.placed &= own;
    VIDEO_SHARE_MEMORY_INFORMATION info;
    VP_STATUS status = video_control(fz.dev, IOCTL_VIDEO_SHARE_VIDEO_MEMORY, &c.in, sizeof(c.in),
                                     &info, sizeof(info), NULL);
    if (status == NO_ERROR) {
        check_shared(&c, &info);
        if (own)
            hold_view(info.VirtualAddress, info.SharedViewSize, info.SharedViewOffset, false);
    }
    if (c.invalid && status != ERROR_INVALID_PARAMETER)
        finding("share offset 0x%x size 0x%x at %p for 0x%x must be refused: status %d",
                c.in.ViewOffset, c.in.ViewSize, c.in.RequestedVirtualAddress,
                (uint32_t)c.in.ProcessHandle, (int)status);
    else if (status == ERROR_INVALID_PARAMETER && c.placed)
        check_refusal(&m, &c);
    else if (status != NO_ERROR && status != ERROR_INVALID_PARAMETER &&
             status != ERROR_NOT_ENOUGH_MEMORY) /* F25: a bound or no memory */
        finding("share: status %d", (int)status);
}

/* ---------------------------------------------------------------- UNSHARE */

/* An address in no held view: the pages just past one, or elsewhere. */
static uint32_t not_a_view(void)
{
    uint32_t va = pointer_of_kind((enum pointer_kind)pick(PK_VIEW + 1), PTR_IN);
    if (fz.view_count && pick(2)) {
        const struct held_view *v = &fz.views[pick(fz.view_count)];
        va = (uint32_t)v->base + v->size + pick(2 * FUZZ_PAGE);
    }
    return in_held_view(va) ? 0 : va;
}

void op_unshare(void)
{
    bool own;
    HANDLE other = share_handle(&own);
    switch (fz.view_count ? pick(4) : 2) {
    case 0:
    case 1: release_view(pick(fz.view_count)); return;
    case 2: {
        uint32_t va = not_a_view();
        VP_STATUS status = unshare(NtCurrentProcess(), va, sizeof(VIDEO_SHARE_MEMORY));
        if (status != ERROR_INVALID_PARAMETER)
            finding("unshare at 0x%x, in no view: status %d", va, (int)status);
        return;
    }
    default: {
        uint32_t va = (uint32_t)fz.views[pick(fz.view_count)].base;
        VP_STATUS status = own ? unshare(NtCurrentProcess(), va, pick(sizeof(VIDEO_SHARE_MEMORY)))
                               : unshare(other, va, sizeof(VIDEO_SHARE_MEMORY));
        VP_STATUS expected = own ? ERROR_INSUFFICIENT_BUFFER : ERROR_INVALID_PARAMETER;
        if (status != expected)
            finding("unshare of %p (handle 0x%x): status %d, expected %d", (void *)va,
                    (uint32_t)other, (int)status, (int)expected);
    }
    }
}

/* ----------------------------------------------------------------- queries */

static void query_held(void)
{
    const struct held_view *v = &fz.views[pick(fz.view_count)];
    VIDPORT_VIEW_INFORMATION info;
    VP_STATUS status = query_view((uint32_t)v->base + pick(v->size), &info);
    bool state_ok = info.State == VIDPORT_VIEW_LIVE || info.State == VIDPORT_VIEW_REVOKED;
    if (status != NO_ERROR || info.VirtualAddress != v->base || info.ViewSize != v->size ||
        !state_ok)
        finding("query of the view at %p size 0x%x: status %d, %p size 0x%x state %u",
                (void *)v->base, v->size, (int)status, info.VirtualAddress, info.ViewSize,
                info.State);
}

static void query_adapter(void)
{
    VIDPORT_BANKING_INFORMATION b;
    VIDEO_NUM_MODES num;
    ULONG n = 0;
    VP_STATUS status = video_control(fz.dev, IOCTL_VIDPORT_QUERY_BANKING, NULL, 0, &b, sizeof(b),
                                     &n);
    if (status != NO_ERROR || n != sizeof(b) || (b.BankLength && b.WindowSlots - 1 > 1))
        finding("banking query: status %d, %u bytes, %u slots", (int)status, n, b.WindowSlots);
    status = video_control(fz.dev, IOCTL_VIDEO_QUERY_NUM_AVAIL_MODES, NULL, 0, &num,
                           sizeof(num), NULL);
    if (status != NO_ERROR || num.NumModes != fz.mode_count)
        finding("mode count query: status %d, %u modes", (int)status, num.NumModes);
}

void op_query(void)
{
    VIDPORT_VIEW_INFORMATION info;
    switch (fz.view_count ? pick(3) : 1 + pick(2)) {
    case 0: query_held(); return;
    case 1: {
        uint32_t va = not_a_view();
        VP_STATUS status = query_view(va, &info);
        if (status != ERROR_INVALID_PARAMETER)
            finding("query at 0x%x, in no view: status %d", va, (int)status);
        return;
    }
    default: query_adapter();
    }
}

/* ------------------------------------------------------------- kernel MAPs */

static VP_STATUS map(PVOID requested, VIDEO_MEMORY_INFORMATION *out)
{
    VIDEO_MEMORY in = { requested };
    return video_control(fz.dev, IOCTL_VIDEO_MAP_VIDEO_MEMORY, &in, sizeof(in), out,
                         sizeof(*out), NULL);
}

static VP_STATUS unmap(PVOID base)
{
    VIDEO_MEMORY in = { base };
    return video_control(fz.dev, IOCTL_VIDEO_UNMAP_VIDEO_MEMORY, &in, sizeof(in), NULL, 0, NULL);
}

static bool held_kmap(const void *base)
{
    for (uint32_t i = 0; i < fz.kmap_count; i++) {
        if (fz.kmaps[i] == base)
            return true;
    }
    return false;
}

void hold_kmap(PVOID base)
{
    if (fz.kmap_count < FUZZ_KMAPS) {
        fz.kmaps[fz.kmap_count++] = base;
        return;
    }
    VP_STATUS status = unmap(base);
    if (status != NO_ERROR)
        finding("unmap of the kernel mapping %p just made: status %d", base, (int)status);
}

void op_map(void)
{
    VIDEO_MEMORY_INFORMATION info;
    VP_STATUS status;
    uint32_t i = fz.kmap_count ? pick(fz.kmap_count) : 0;
    switch (pick(4)) {
    case 0:
        status = map(NULL, &info);
        if (status == NO_ERROR && (uint32_t)info.VideoRamBase < KERNEL_BASE)
            finding("MAP returned the user address %p", info.VideoRamBase);
        if (status == NO_ERROR)
            hold_kmap(info.VideoRamBase);
        else if (status != ERROR_INVALID_PARAMETER && status != ERROR_NOT_ENOUGH_MEMORY)
            finding("MAP: status %d", (int)status); /* F25: a bound or no memory */
        return;
    case 1:
        if (!fz.kmap_count)
            return;
        if ((status = unmap(fz.kmaps[i])) != NO_ERROR)
            finding("unmap of the held kernel mapping %p: status %d", fz.kmaps[i], (int)status);
        fz.kmaps[i] = fz.kmaps[--fz.kmap_count];
        return;
    case 2: {
        PVOID base = (PVOID)(pick(2) ? fuzz_word() : KERNEL_BASE + pick(0x40000000u));
        if (!held_kmap(base) && (status = unmap(base)) != ERROR_INVALID_PARAMETER)
            finding("unmap of %p, not held: status %d", base, (int)status);
        return;
    }
    default:
        status = map((PVOID)(1 + pick(0xFFFFFFFEu)), &info);
        if (status != ERROR_INVALID_PARAMETER)
            finding("MAP at a requested address: status %d", (int)status);
    }
}

/* ------------------------------------------------------------ DdMapMemory */

static bool dd_call(BOOL map_it, HANDLE process, FLATPTR fp, DD_MAPMEMORYDATA *data)
{
    *data = (DD_MAPMEMORYDATA){ .bMap = map_it, .hProcess = process, .fpProcess = fp };
    return dd_map_memory(data) == DDHAL_DRIVER_HANDLED && data->ddRVal == DD_OK;
}

/* A held view made by DdMapMemory (count if none). */
static uint32_t dd_view(void)
{
    for (uint32_t i = 0; i < fz.view_count; i++) {
        if (fz.views[i].dd)
            return i;
    }
    return fz.view_count;
}

void op_dd(void)
{
    DD_MAPMEMORYDATA data;
    bool own;
    HANDLE process = share_handle(&own);
    uint32_t i = dd_view();
    switch (pick(3)) {
    case 0:
        if (dd_call(TRUE, process, 0, &data) && own)
            hold_view((uint8_t *)data.fpProcess, 0, 0, true); /* the frame, from its start */
        else if (own != (data.ddRVal == DD_OK) && !(own && fz.injecting))
            finding("DdMapMemory map for 0x%x: %s", (uint32_t)process,
                    own ? "failed" : "succeeded");
        return;
    case 1:
        if (i == fz.view_count)
            return;
        if (dd_call(FALSE, NtCurrentProcess(), (FLATPTR)fz.views[i].base, &data))
            forget_view(i);
        else if (!fz.injecting)
            finding("DdMapMemory unmap of %p failed", (void *)fz.views[i].base);
        return;
    default: {
        uint32_t va = not_a_view();
        if (dd_call(FALSE, NtCurrentProcess(), va, &data))
            finding("DdMapMemory unmap of 0x%x, in no view, succeeded", va);
    }
    }
}

/* ------------------------------------------------------------------ modes */

/* After a mode change of ours every view we hold shows scratch. */
static void check_revoked(void)
{
    if (!fz.view_count)
        return;
    const struct held_view *v = &fz.views[pick(fz.view_count)];
    VIDPORT_VIEW_INFORMATION info;
    VP_STATUS status = query_view((uint32_t)v->base, &info);
    if (status != NO_ERROR || info.State != VIDPORT_VIEW_REVOKED)
        finding("view at %p after a mode change: status %d state %u", (void *)v->base,
                (int)status, info.State);
}

static VP_STATUS set_mode(ULONG requested, ULONG in_len)
{
    VIDEO_MODE in = { requested };
    return video_control(fz.dev, IOCTL_VIDEO_SET_CURRENT_MODE, &in, in_len, NULL, 0, NULL);
}

/* A mode set (memory kept most of the time: clearing it costs), a reset,
 * or one that must be refused. */
void op_mode(void)
{
    ULONG flags = (pick(4) ? VIDEO_MODE_NO_ZERO_MEMORY : 0) |
                  (pick(4) ? 0 : VIDEO_MODE_MAP_MEM_LINEAR);
    VP_STATUS status, expected = NO_ERROR;
    switch (pick(8)) {
    case 0: status = video_control(fz.dev, IOCTL_VIDEO_RESET_DEVICE, NULL, 0, NULL, 0, NULL);
        break;
    case 1: status = set_mode((fz.mode_count + pick(1000)) | flags, sizeof(VIDEO_MODE));
        expected = ERROR_INVALID_PARAMETER; break;
    case 2: status = set_mode(0, pick(sizeof(VIDEO_MODE)));
        expected = ERROR_INSUFFICIENT_BUFFER; break;
    default: status = set_mode(fz.modes[pick(fz.mode_count)].ModeIndex | flags,
                               sizeof(VIDEO_MODE));
    }
    if (status != expected)
        finding("mode request: status %d, expected %d", (int)status, (int)expected);
    if (status == NO_ERROR) {
        fz.mode_sets++;
        check_revoked();
    }
}

/* ---------------------------------------------------------------- touches */

/* Stores and string writes go only where no oracle owns the memory (from
 * writable_from on); reads go anywhere. */

static void touch_once(const struct held_view *v)
{
    static const uint32_t widths[] = { 1, 2, 4 };
    uint32_t width = widths[pick(3)];
    bool write = pick(2);
    uint32_t lo = write ? writable_from(v) : 0;
    if (lo + width > v->size)
        return;
    volatile uint8_t *p = v->base + edge_offset(lo, v->size, width, 4);
    uint32_t value = rng_next(&fz.rng);
    if (width == 1 && write)
        *p = (uint8_t)value;
    else if (width == 1)
        (void)*p;
    else if (width == 2 && write)
        *(volatile uint16_t *)p = (uint16_t)value;
    else if (width == 2)
        (void)*(volatile uint16_t *)p;
    else if (write)
        *(volatile uint32_t *)p = value;
    else
        (void)*(volatile uint32_t *)p;
}

/* A block write inside v: memset or one rep movsd from the scratch. */
static void touch_block(const struct held_view *v)
{
    uint32_t len = 4 + pick(BLOCK_MAX - 4), lo = writable_from(v);
    if (lo + len > v->size)
        return;
    uint8_t *p = v->base + edge_offset(lo, v->size, len, 4);
    if (pick(2))
        memset(p, (int)pick(256), len);
    else
        rep_movsd(p, fz.scratch, len / 4);
}

void op_touch(void)
{
    if (!fz.view_count)
        return;
    const struct held_view *v = &fz.views[pick(fz.view_count)];
    if (pick(8) == 0) {
        touch_block(v);
        return;
    }
    for (uint32_t n = 1 + pick(TOUCHES_MAX); n > 0; n--)
        touch_once(v);
}

/* A copy between two held views (or within one), as memmove, rep movsb
 * or rep movsd: on banked modes that needs two or three banks at once.
 * It reads anywhere in a and writes where no oracle owns b's memory. */
void op_copy(void)
{
    if (!fz.view_count)
        return;
    const struct held_view *a = &fz.views[pick(fz.view_count)];
    const struct held_view *b = &fz.views[pick(fz.view_count)];
    uint32_t lo = writable_from(b), len = 1 + pick(COPY_MAX);
    if (lo >= b->size)
        return;
    len = len < a->size ? len : a->size;
    len = len < b->size - lo ? len : b->size - lo;
    uint8_t *src = a->base + pick(a->size - len + 1);
    uint8_t *dst = b->base + lo + pick(b->size - lo - len + 1);
    switch (pick(3)) {
    case 0: memmove(dst, src, len); break;
    case 1: rep_movsb(dst, src, len); break;
    default: rep_movsd(dst, src, len / 4);
    }
}
