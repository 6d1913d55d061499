/*
 * Random device requests: valid and invalid codes, odd lengths, input and
 * output buffers of every pointer kind (overlapping, misaligned, running
 * off the end of what is mapped), through the library and as raw system
 * calls whose request block itself is fuzzed; and raw DdMapMemory calls.
 *
 * Requests that can make something the worker must know about (SHARE and
 * MAP, which return an address) get their output in the scratch buffer or
 * in memory that refuses it, so that a success is always read back and
 * recorded; UNMAP gets its input there too, so that the mapping it drops
 * is known (video memory and the worker's own data hold addresses of
 * mappings it holds). Mode sets and resets, which clear video memory, are
 * left to op_mode: here SET_CURRENT_MODE always gets an input it must
 * refuse.
 */
#include "vpfuzz.h"

static const ULONG codes[] = { VIDPORT_REQUEST_CODES(VIDPORT_REQUEST_CODE) };
#define CODES (sizeof(codes) / sizeof(codes[0]))

/* Statuses a request may complete with; anything else is a finding. */
static const VP_STATUS documented[] = {
    NO_ERROR, ERROR_INVALID_FUNCTION, ERROR_INVALID_PARAMETER, ERROR_INSUFFICIENT_BUFFER,
    ERROR_NOT_ENOUGH_MEMORY, ERROR_NOACCESS, ERROR_MORE_DATA,
};
#define DOCUMENTED (sizeof(documented) / sizeof(documented[0]))

struct request {
    HANDLE dev;
    ULONG code;
    uint32_t in, in_len, out, out_len;
    enum pointer_kind in_kind, out_kind;
};

static uint32_t pick(uint32_t n)
{
    return rng_below(&fz.rng, n);
}

/* A code: a video code, one with a bit flipped, any function, noise. */
static ULONG random_code(void)
{
    ULONG code = codes[pick(CODES)];
    if (code == IOCTL_VIDEO_RESET_DEVICE)
        code = IOCTL_VIDEO_QUERY_CURRENT_MODE; /* resets clear video memory: op_mode's */
    switch (pick(6)) {
    case 0: code ^= 1u << pick(32); break;
    case 1: code = VIDEO_CTL_CODE(pick(0x1000)); break;
    case 2: code = rng_next(&fz.rng); break;
    default: break;
    }
    return code == IOCTL_VIDEO_RESET_DEVICE ? IOCTL_VIDEO_QUERY_CURRENT_MODE : code;
}

static bool creates(ULONG code)
{
    return code == IOCTL_VIDEO_SHARE_VIDEO_MEMORY || code == IOCTL_VIDEO_MAP_VIDEO_MEMORY;
}

static bool in_scratch(uint32_t p, uint32_t len)
{
    uint32_t start = (uint32_t)fz.scratch;
    return p >= start && p <= start + FUZZ_SCRATCH && len <= start + FUZZ_SCRATCH - p;
}

/* An output pointer for rq: anything, but for the creating codes only
 * scratch or memory that refuses it. */
static void choose_output(struct request *rq)
{
    rq->out_len = pick(3) ? fuzz_length() : pick(200);
    rq->out = fuzz_pointer(PTR_OUT, &rq->out_kind);
    if (creates(rq->code) && rq->out_kind != PK_SCRATCH) {
        rq->out_kind = refusing_kind();
        rq->out = pointer_of_kind(rq->out_kind, PTR_OUT);
    }
}

/* The input: scribbled when it lies in scratch; an UNMAP's only there or
 * where it cannot be read; a mode set's always names a mode that does not
 * exist, or is too short. */
static void choose_input(struct request *rq)
{
    rq->in_len = pick(3) ? fuzz_length() : pick(200);
    rq->in = fuzz_pointer(PTR_IN, &rq->in_kind);
    if (rq->code == IOCTL_VIDEO_UNMAP_VIDEO_MEMORY) {
        rq->in_kind = rq->in_kind == PK_SCRATCH ? PK_SCRATCH : refusing_kind();
        rq->in = rq->in_kind == PK_SCRATCH
                     ? (uint32_t)fz.scratch + pick(FUZZ_SCRATCH - sizeof(VIDEO_MEMORY) + 1)
                     : pointer_of_kind(rq->in_kind, PTR_IN);
    }
    if (rq->code == IOCTL_VIDEO_SET_CURRENT_MODE) {
        rq->in_kind = PK_SCRATCH;
        rq->in = (uint32_t)fz.scratch + pick(FUZZ_SCRATCH / 4) * 4;
        ULONG bad_mode = fz.mode_count + pick(1000);
        memcpy((void *)rq->in, &bad_mode, sizeof(bad_mode));
        rq->in_len = pick(2) ? pick(4) : sizeof(VIDEO_MODE);
        return;
    }
    uint32_t room = (uint32_t)fz.scratch + FUZZ_SCRATCH - rq->in;
    if (rq->in_kind == PK_SCRATCH)
        scribble(rq->in - (uint32_t)fz.scratch, rq->in_len < room ? rq->in_len : room);
}

static void make_request(struct request *rq)
{
    rq->dev = pick(16) ? fz.dev : (HANDLE)(pick(2) ? fuzz_word() : (uint32_t)fz.dev + 1);
    rq->code = random_code();
    choose_input(rq);
    choose_output(rq);
}

static uint32_t capped(uint32_t len)
{
    return len < VP_VIDEO_BUFFER_MAX ? len : VP_VIDEO_BUFFER_MAX;
}

/* What the status must be, whatever the request did. */
static void check_status(const struct request *rq, VP_STATUS status)
{
    if (rq->dev != fz.dev) {
        if (status != ERROR_INVALID_HANDLE)
            finding("code 0x%x on handle 0x%x: status %d", rq->code, (uint32_t)rq->dev,
                    (int)status);
        return;
    }
    bool bad_out = capped(rq->out_len) && refuses_writes(rq->out_kind);
    bool bad_in = capped(rq->in_len) && pointer_is_bad(rq->in_kind);
    if ((bad_out || bad_in) && status != ERROR_NOACCESS)
        finding("code 0x%x with a bad %s buffer: status %d", rq->code, bad_out ? "output" : "input",
                (int)status);
    expect_status("request", status, documented, DOCUMENTED);
}

/* Keep the books after a request that succeeded: what SHARE and MAP made
 * must be a user view the port knows and a kernel address. */
static void record(const struct request *rq)
{
    if (rq->code == IOCTL_VIDEO_SHARE_VIDEO_MEMORY) {
        const VIDEO_SHARE_MEMORY_INFORMATION *info = (const void *)rq->out;
        hold_view(info->VirtualAddress, 0, info->SharedViewOffset, false);
    } else if (rq->code == IOCTL_VIDEO_MAP_VIDEO_MEMORY) {
        PVOID base = ((const VIDEO_MEMORY_INFORMATION *)rq->out)->VideoRamBase;
        if ((uint32_t)base >= KERNEL_BASE)
            hold_kmap(base);
        else
            finding("MAP returned %p, not a kernel address", base);
    } else if (rq->code == IOCTL_VIDEO_UNMAP_VIDEO_MEMORY && in_scratch(rq->in, 4)) {
        PVOID base = *(const PVOID *)rq->in;
        for (uint32_t i = 0; i < fz.kmap_count; i++) {
            if (fz.kmaps[i] == base) {
                fz.kmaps[i] = fz.kmaps[--fz.kmap_count];
                break;
            }
        }
    } else if (rq->code == IOCTL_VIDEO_UNSHARE_VIDEO_MEMORY) {
        views_reconcile();
    }
}

static void after(const struct request *rq, VP_STATUS status)
{
    check_status(rq, status);
    if (status == NO_ERROR)
        record(rq);
}

void op_ioctl(void)
{
    struct request rq;
    make_request(&rq);
    VP_STATUS status = video_control(rq.dev, rq.code, (void *)rq.in, rq.in_len, (void *)rq.out,
                                     rq.out_len, NULL);
    after(&rq, status);
}

/* Where in scratch a request block of `size` bytes goes: anywhere, but
 * never over the output of a request that makes something, which the
 * kernel writes before it writes the block back. */
static uint32_t block_place(const struct request *rq, uint32_t size)
{
    uint32_t start = (uint32_t)fz.scratch, end = start + FUZZ_SCRATCH;
    uint32_t at = start + pick(FUZZ_SCRATCH - size + 1);
    bool overlaps = at < rq->out + sizeof(VIDEO_MEMORY_INFORMATION) && rq->out < at + size;
    if (!creates(rq->code) || !overlaps)
        return at;
    return rq->out >= start + size ? start : end - size;
}

/* SYS_VIDEO_CONTROL with the request block in scratch (anywhere, even
 * running off its end), or where it cannot be read or written back. */
void op_raw_control(void)
{
    struct request rq;
    make_request(&rq);
    struct vp_video_control block = { .device = rq.dev, .code = rq.code, .in = (PVOID)rq.in,
                                      .in_len = rq.in_len, .out = (PVOID)rq.out,
                                      .out_len = rq.out_len };
    if (pick(4) == 0) {
        uint32_t at = pointer_of_kind(refusing_kind(), PTR_OUT);
        VP_STATUS status = vp_syscall(SYS_VIDEO_CONTROL, at, 0, 0, 0, 0);
        if (status != ERROR_NOACCESS)
            finding("request block at 0x%x: status %d", at, (int)status);
        return;
    }
    uint32_t at = block_place(&rq, sizeof(block));
    memcpy((void *)at, &block, sizeof(block));
    after(&rq, vp_syscall(SYS_VIDEO_CONTROL, at, 0, 0, 0, 0));
}

/* A DD_MAPMEMORYDATA to map or unmap with, noise sometimes; *valid when
 * its process handle names the caller. */
static void make_dd(DD_MAPMEMORYDATA *data, bool *valid)
{
    *data = (DD_MAPMEMORYDATA){ .bMap = pick(3) ? (BOOL)pick(2) : (BOOL)fuzz_word(),
                                .hProcess = share_handle(valid), .fpProcess = fuzz_word() };
    if (fz.view_count && pick(2))
        data->fpProcess = (FLATPTR)fz.views[pick(fz.view_count)].base;
}

/* SYS_DD_MAP_MEMORY with its block in scratch or where it cannot be. */
void op_raw_dd(void)
{
    if (pick(3) == 0) {
        uint32_t at = pointer_of_kind(refusing_kind(), PTR_OUT);
        int32_t r = vp_syscall(SYS_DD_MAP_MEMORY, at, 0, 0, 0, 0);
        if (r != -VP_EFAULT)
            finding("DdMapMemory with its block at 0x%x: returned %d", at, (int)r);
        return;
    }
    bool valid;
    DD_MAPMEMORYDATA *data = (DD_MAPMEMORYDATA *)(fz.scratch + pick(FUZZ_SCRATCH - 20));
    make_dd(data, &valid);
    BOOL map = data->bMap;
    int32_t r = vp_syscall(SYS_DD_MAP_MEMORY, (uint32_t)data, 0, 0, 0, 0);
    if (r != DDHAL_DRIVER_HANDLED || data->ddRVal != DD_OK)
        return;
    if (!valid)
        finding("DdMapMemory for process handle 0x%x succeeded", (uint32_t)data->hProcess);
    else if (map)
        hold_view((uint8_t *)data->fpProcess, 0, 0, true);
    else
        views_reconcile();
}
