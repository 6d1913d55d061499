/*
 * The oracle's system calls and requests whose outputs the kernel writes
 * into the stripe (F23), often across a bank edge: the clock, meminfo,
 * the program and process lists, wait's status, kcheck's report, a page
 * query, SHARE's and MAP's outputs, a request whose block and output both
 * lie in the stripe, and DdMapMemory's data for an unmap. The spot is
 * poisoned first, so an output the kernel did not write shows. Right
 * after the call the oracle reads it back through its writing view and
 * judges it:
 * against the same call into RAM where the answer is fixed (program
 * list, page entry, mode), against what it must be (wait's status, a
 * SHARE that made the view it says) or for sense (clock between two
 * readings, meminfo, process states). The model then takes those bytes:
 * the kernel losing them later, when a bounce is written back or another
 * bank shown, is what the verification catches.
 */
#include "oracle.h"

#define LIST_MAX 4096 /* room for every name in the archive (some 1.3 KiB) */
#define PROCESSES_MAX 8
#define SHARE_MAX (4u * 1024 * 1024) /* the largest view out_share makes, and its slot */
/* out_share's views go to slots of this zone: above the port's own view
 * area and below the stack, where nothing else of the worker goes. */
#define ZONE_BASE 0xB0000000u
#define ZONE_SLOTS 56
#define PTE_KEPT (VP_PTE_FRAME | VP_PTE_PRESENT | VP_PTE_WRITABLE | VP_PTE_USER)

static uint32_t pick(uint32_t n)
{
    return rng_below(&fz.rng, n);
}

/* A spot for an output of len bytes, poisoned through the writing view
 * and in the model. */
static uint32_t output_spot(uint32_t len)
{
    uint32_t at = stripe_spot(len);
    for (uint32_t i = 0; i < len; i++)
        orc.w[at + i] = POISON;
    memset(orc.model + at, POISON, len);
    return at;
}

/* After a call wrote len bytes at `at`: read them back into out and let
 * the model take them. False when a mode change took the views meanwhile:
 * then nothing may be judged. */
static bool take_output(uint32_t at, void *out, uint32_t len)
{
    stripe_read(at, out, len);
    if (!oracle_current())
        return false;
    memcpy(orc.model + at, out, len);
    orc.outputs++;
    return true;
}

/* SYS_CLOCK: its ticks lie between two readings into RAM around it. */
static void out_clock(void)
{
    struct vp_clock before, got, after;
    uint32_t at = output_spot(sizeof(got));
    clock_get(&before);
    int32_t r = vp_syscall(SYS_CLOCK, stripe_va(at), 0, 0, 0, 0);
    clock_get(&after);
    if (take_output(at, &got, sizeof(got)) &&
        (r != 0 || got.tick_hz != before.tick_hz || got.ticks < before.ticks ||
         got.ticks > after.ticks))
        finding("clock at stripe +0x%x: returned %d, ticks %u not in %u..%u, %u Hz", at, (int)r,
                (uint32_t)got.ticks, (uint32_t)before.ticks, (uint32_t)after.ticks, got.tick_hz);
}

static void out_meminfo(void)
{
    struct vp_meminfo got;
    uint32_t at = output_spot(sizeof(got));
    int32_t r = vp_syscall(SYS_MEMINFO, stripe_va(at), 0, 0, 0, 0);
    if (take_output(at, &got, sizeof(got)) &&
        (r != 0 || got.page_size != FUZZ_PAGE || got.processes == 0))
        finding("meminfo at stripe +0x%x: returned %d, page size %u, %u processes", at, (int)r,
                got.page_size, got.processes);
}

/* SYS_PROGRAMS: the same bytes as into RAM. */
static void out_programs(void)
{
    static char expect[LIST_MAX], got[LIST_MAX];
    int32_t n = vp_syscall(SYS_PROGRAMS, (uint32_t)expect, LIST_MAX, 0, 0, 0);
    if (n <= 0 || n > (int32_t)LIST_MAX) {
        finding("programs into RAM returned %d", (int)n);
        return;
    }
    uint32_t at = output_spot((uint32_t)n);
    int32_t r = vp_syscall(SYS_PROGRAMS, stripe_va(at), (uint32_t)n, 0, 0, 0);
    if (take_output(at, got, (uint32_t)n) && (r != n || memcmp(got, expect, (size_t)n) != 0))
        finding("programs at stripe +0x%x: returned %d of %d, the bytes %s", at, (int)r, (int)n,
                memcmp(got, expect, (size_t)n) ? "differ" : "agree");
}

/* SYS_PROCESSES: every entry it says it wrote names a process. */
static void out_processes(void)
{
    static struct vp_process_info got[PROCESSES_MAX];
    uint32_t max = 1 + pick(PROCESSES_MAX), len = max * sizeof(got[0]);
    uint32_t at = output_spot(len);
    int32_t r = vp_syscall(SYS_PROCESSES, stripe_va(at), max, 0, 0, 0);
    if (!take_output(at, got, len))
        return;
    bool sane = r >= 1 && (uint32_t)r <= max;
    for (int32_t i = 0; sane && i < r; i++)
        sane = got[i].pid > 0 && got[i].state >= VP_PROC_RUNNABLE &&
               got[i].state <= VP_PROC_ZOMBIE;
    if (!sane)
        finding("processes at stripe +0x%x: returned %d of %u, the first pid %d state %u", at,
                (int)r, max, (int)got[0].pid, got[0].state);
}

/* SYS_WAIT for a killed holder: its status is VP_STATUS_KILLED. */
static void out_wait(void)
{
    int status = 0;
    HANDLE child = spawn("vpfuzz", "hold");
    if (!child)
        return; /* the process table is full for a moment */
    kill(child);
    uint32_t at = output_spot(sizeof(status));
    int32_t r = vp_syscall(SYS_WAIT, (uint32_t)child, stripe_va(at), 0, 0, 0);
    if (r != 0) {
        finding("wait for holder %d into the stripe at +0x%x: returned %d", handle_pid(child),
                at, (int)r);
        wait(child, &status);
    }
    if (take_output(at, &status, sizeof(status)) && r == 0 && status != VP_STATUS_KILLED)
        finding("wait status at stripe +0x%x: 0x%x, the holder was killed", at,
                (unsigned)status);
}

/* SYS_KCHECK: its report agrees with what it returned, and finds nothing. */
static void out_kcheck(void)
{
    struct vp_kcheck got;
    uint32_t at = output_spot(sizeof(got));
    int32_t r = vp_syscall(SYS_KCHECK, stripe_va(at), 0, 0, 0, 0);
    if (!take_output(at, &got, sizeof(got)))
        return;
    got.first[VP_KCHECK_TEXT - 1] = '\0';
    if (r != 0 || got.findings != 0 || got.processes == 0)
        finding("kcheck at stripe +0x%x: returned %d, report %u findings in %u processes: %s",
                at, (int)r, got.findings, got.processes, got.first);
}

/* SYS_PAGE_QUERY of a scratch page: the entry it gives into RAM (the
 * accessed and dirty bits may differ). */
static void out_page_query(void)
{
    uint32_t va = (uint32_t)fz.scratch + pick(FUZZ_SCRATCH), got;
    uint32_t expect = page_entry((const void *)va), at = output_spot(sizeof(got));
    int32_t r = vp_syscall(SYS_PAGE_QUERY, va, stripe_va(at), 0, 0, 0);
    if (take_output(at, &got, sizeof(got)) && (r != 0 || (got & PTE_KEPT) != (expect & PTE_KEPT)))
        finding("page query at stripe +0x%x: returned %d, entry 0x%x, into RAM 0x%x", at,
                (int)r, got, expect);
}

/* A slot of the zone no held view overlaps, drawn at random: its address, or 0. */
static uint32_t free_slot(void)
{
    uint32_t first = pick(ZONE_SLOTS);
    for (uint32_t i = 0; i < ZONE_SLOTS; i++) {
        uint32_t va = ZONE_BASE + (first + i) % ZONE_SLOTS * SHARE_MAX;
        bool used = false;
        for (uint32_t v = 0; v < fz.view_count; v++)
            used |= va < (uint32_t)fz.views[v].base + fz.views[v].size &&
                    (uint32_t)fz.views[v].base < va + SHARE_MAX;
        if (!used)
            return va;
    }
    return 0;
}

/* SHARE of a range of the current mode at a free slot, its output in the
 * stripe: it says what was asked and names the view made, which the
 * worker keeps. Asked where to go, the view is known even when a mode
 * change leaves its output unreadable. */
static void out_share(void)
{
    VIDEO_MODE_INFORMATION m;
    VIDEO_SHARE_MEMORY_INFORMATION got;
    VIDPORT_VIEW_INFORMATION info;
    uint32_t unit = FUZZ_PAGE, slot = free_slot();
    if (!slot || !current_mode(&m))
        return;
    unit = (m.AttributeFlags & VIDEO_MODE_BANKED) ? FUZZ_BANK : unit;
    uint32_t shareable = (m.VideoMemoryBitmapHeight * m.ScreenStride) & ~(unit - 1);
    uint32_t offset = pick(shareable / unit) * unit, room = shareable - offset;
    VIDEO_SHARE_MEMORY in = { NtCurrentProcess(), offset,
                              1 + pick(room < SHARE_MAX ? room : SHARE_MAX), (PVOID)slot };
    uint32_t at = output_spot(sizeof(got));
    uint32_t pages = (in.ViewSize + FUZZ_PAGE - 1) & ~(FUZZ_PAGE - 1);
    VP_STATUS status = video_control(fz.dev, IOCTL_VIDEO_SHARE_VIDEO_MEMORY, &in, sizeof(in),
                                     (void *)stripe_va(at), sizeof(got), NULL);
    bool made = query_view(slot, &info) == NO_ERROR;
    if (made)
        hold_view((uint8_t *)slot, info.ViewSize, offset, false);
    if (!take_output(at, &got, sizeof(got)) || status == ERROR_NOT_ENOUGH_MEMORY)
        return; /* a mode change, or a bound (F25) */
    if (status != NO_ERROR || !made || got.VirtualAddress != (PVOID)slot ||
        got.SharedViewOffset != offset || got.SharedViewSize != pages || info.ViewSize != pages)
        finding("share of 0x%x+0x%x at %p, output at stripe +0x%x: status %d, offset 0x%x "
                "size 0x%x at %p", offset, in.ViewSize, (void *)slot, at, (int)status,
                got.SharedViewOffset, got.SharedViewSize, got.VirtualAddress);
}

/* MAP with its output in the stripe: a kernel address, which the worker keeps. */
static void out_map(void)
{
    VIDEO_MEMORY in = { NULL };
    VIDEO_MEMORY_INFORMATION got;
    uint32_t at = output_spot(sizeof(got));
    VP_STATUS status = video_control(fz.dev, IOCTL_VIDEO_MAP_VIDEO_MEMORY, &in, sizeof(in),
                                     (void *)stripe_va(at), sizeof(got), NULL);
    if (!take_output(at, &got, sizeof(got)) || status == ERROR_NOT_ENOUGH_MEMORY ||
        status == ERROR_INVALID_PARAMETER)
        return; /* a mode change (the mapping, if made, stays until exit), or a bound (F25) */
    if (status == NO_ERROR && (uint32_t)got.VideoRamBase >= KERNEL_BASE && got.VideoRamLength)
        hold_kmap(got.VideoRamBase);
    else
        finding("MAP, output at stripe +0x%x: status %d, base %p length 0x%x", at, (int)status,
                got.VideoRamBase, got.VideoRamLength);
}

/* SYS_VIDEO_CONTROL with its request block and its output both in the
 * stripe: QUERY_CURRENT_MODE, which must say what it says into RAM. */
static void out_request_block(void)
{
    VIDEO_MODE_INFORMATION got, now;
    struct vp_video_control rq;
    uint32_t out = output_spot(sizeof(got)), at = stripe_spot(sizeof(rq));
    if (at < out + sizeof(got) && out < at + sizeof(rq)) /* apart: just before or after */
        at = out >= sizeof(rq) ? out - sizeof(rq) : out + sizeof(got);
    rq = (struct vp_video_control){ .device = fz.dev, .code = IOCTL_VIDEO_QUERY_CURRENT_MODE,
                                    .out = (PVOID)stripe_va(out), .out_len = sizeof(got) };
    stripe_write(at, &rq, sizeof(rq));
    VP_STATUS status = (VP_STATUS)vp_syscall(SYS_VIDEO_CONTROL, stripe_va(at), 0, 0, 0, 0);
    bool known = current_mode(&now);
    if (take_output(at, &rq, sizeof(rq)) && take_output(out, &got, sizeof(got)) &&
        (status != NO_ERROR || rq.returned != sizeof(got) || rq.nt_status != STATUS_SUCCESS ||
         !known || memcmp(&got, &now, sizeof(got)) != 0))
        finding("request block at stripe +0x%x, output +0x%x: status %d, %u bytes, mode %u "
                "(into RAM %u)", at, out, (int)status, rq.returned, got.ModeIndex, now.ModeIndex);
}

/* DdMapMemory's unmap of a view it made, with its data in the stripe (the
 * map first, its data in RAM, when the worker holds none): it unmaps. */
static void out_dd(void)
{
    DD_MAPMEMORYDATA data = { .bMap = TRUE, .hProcess = NtCurrentProcess() };
    uint32_t i = 0;
    while (i < fz.view_count && !fz.views[i].dd)
        i++;
    if (i == fz.view_count) {
        if (dd_map_memory(&data) == DDHAL_DRIVER_HANDLED && data.ddRVal == DD_OK)
            hold_view((uint8_t *)data.fpProcess, 0, 0, true); /* the frame, from its start */
        return;
    }
    data = (DD_MAPMEMORYDATA){ .bMap = FALSE, .hProcess = NtCurrentProcess(),
                               .fpProcess = (FLATPTR)fz.views[i].base };
    uint32_t at = stripe_spot(sizeof(data));
    stripe_write(at, &data, sizeof(data));
    int32_t r = vp_syscall(SYS_DD_MAP_MEMORY, stripe_va(at), 0, 0, 0, 0);
    views_reconcile();
    if (take_output(at, &data, sizeof(data)) && (r != DDHAL_DRIVER_HANDLED || data.ddRVal != DD_OK))
        finding("DdMapMemory unmap, data at stripe +0x%x: returned %d, ddRVal 0x%x", at, (int)r,
                (unsigned)data.ddRVal);
}

static const struct op outputs[] = {
    { "oracle-clock", 4, out_clock },
    { "oracle-meminfo", 4, out_meminfo },
    { "oracle-programs", 4, out_programs },
    { "oracle-processes", 4, out_processes },
    { "oracle-wait", 1, out_wait },
    { "oracle-kcheck", 1, out_kcheck },
    { "oracle-page-query", 3, out_page_query },
    { "oracle-share", 3, out_share },
    { "oracle-map", 2, out_map },
    { "oracle-request-block", 4, out_request_block },
    { "oracle-dd", 2, out_dd },
};
#define OUTPUTS (sizeof(outputs) / sizeof(outputs[0]))

void oracle_syscall(void)
{
    run_one_of(outputs, OUTPUTS);
}
