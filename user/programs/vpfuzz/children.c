/*
 * Child processes. A probe shares a view of its own (of memory no oracle
 * owns) and touches where no process may: just before the view, at its end, in the rest of the
 * 4 MiB span a table view starts, after unsharing it, in its own code
 * (a write) or in the kernel; the kernel must kill it, and only it. An
 * injecting probe instead touches its view, new heap and new stack while
 * its allocations fail: it may survive or be killed for want of memory,
 * but what it held must all come back. A holder sleeps while the worker
 * shares views into it, unshares some through its handle and kills it
 * with views still mapped. A busy child runs the worker's operations
 * until it is killed at a random moment. A crowd of holders fills the
 * process table. Plain hello children are started with odd arguments and
 * reaped or killed, and with as many arguments as fit, or more.
 */
#include "vpfuzz.h"

#define LARGE_PAGE 0x400000u
#define CHILD_VIEWS 3
#define BUSY_MS_MAX 40
#define CROWD_MAX 64 /* as many as the kernel runs at once */
#define INJECT_TOUCHES 64
#define INJECT_HEAP (256 * 1024)

static uint32_t pick(uint32_t n)
{
    return rng_below(&fz.rng, n);
}

enum probe_kind { BEFORE, AT_END, SPAN, AFTER_UNSHARE, CODE, KERNEL, INJECT, PROBE_KINDS };

static const char *const probe_names[] = { "before", "at-end", "span", "after-unshare", "code",
                                           "kernel", "inject" };

/* Where probe `kind` touches, given its view. */
static uint32_t probe_target(enum probe_kind kind, const VIDEO_SHARE_MEMORY_INFORMATION *info,
                             HANDLE dev)
{
    uint32_t base = (uint32_t)info->VirtualAddress, size = info->SharedViewSize;
    bool table_view = (base & (LARGE_PAGE - 1)) == 0 && size < LARGE_PAGE;
    switch (kind) {
    case BEFORE: return base - 1 - pick(FUZZ_PAGE);
    case SPAN: if (table_view) return base + size + pick(LARGE_PAGE - size);
        return base + size + pick(16);
    case AT_END: return base + size + pick(16);
    case AFTER_UNSHARE: {
        VIDEO_SHARE_MEMORY in = { NtCurrentProcess(), 0, 0, (PVOID)base };
        video_control(dev, IOCTL_VIDEO_UNSHARE_VIDEO_MEMORY, &in, sizeof(in), NULL, 0, NULL);
        return base + pick(size);
    }
    case CODE: return (uint32_t)&probe_target + pick(64);
    default: return KERNEL_BASE + pick(0x40000000u);
    }
}

/* Touch the view, new heap and a new stack page while the nth frame or
 * heap allocation fails (any process may run out of memory); exit 0 if
 * that did not kill us. Without the faultinject option nothing fails. */
__attribute__((noreturn)) static void inject_touches(volatile uint8_t *view, uint32_t size)
{
    volatile uint8_t *heap = sbrk(INJECT_HEAP);
    volatile uint8_t deeper[2 * FUZZ_PAGE];
    fault_inject(pick(4) ? VP_INJECT_FRAME : VP_INJECT_HEAP, 1 + pick(4), NULL);
    for (uint32_t i = 0; i < INJECT_TOUCHES; i++) {
        view[pick(size)] = (uint8_t)i;
        if (heap != (void *)-1)
            heap[pick(INJECT_HEAP)] = (uint8_t)i;
        deeper[pick(sizeof(deeper))] = (uint8_t)i;
    }
    fault_inject(VP_INJECT_OFF, 0, NULL);
    exit(0);
}

/* A range of a frame's size (or less) in memory no oracle owns, for a
 * probe of a run of `procs` workers: false when the mode has none. */
static bool probe_range(const VIDEO_MODE_INFORMATION *m, VIDEO_SHARE_MEMORY *in)
{
    uint32_t frame = m->VisScreenHeight * m->ScreenStride;
    uint32_t shareable = (m->VideoMemoryBitmapHeight * m->ScreenStride) & ~(FUZZ_BANK - 1);
    uint32_t start = no_ones_memory(), size = pick(2) ? frame : 1 + pick(frame);
    if (shareable <= start)
        return false;
    *in = (VIDEO_SHARE_MEMORY){ NtCurrentProcess(), start,
                                size < shareable - start ? size : shareable - start, NULL };
    return true;
}

/* Share part of memory no oracle owns, touch it legally, then where the
 * seed says; survive that and exit PROBE_SURVIVED. */
void probe_main(uint32_t seed, uint32_t procs)
{
    VIDEO_MODE_INFORMATION m;
    VIDEO_SHARE_MEMORY_INFORMATION info;
    VIDEO_SHARE_MEMORY in;
    rng_seed(&fz.rng, seed);
    fz.procs = procs;
    HANDLE dev = video_open("Video0");
    if (!dev || video_control(dev, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, &m, sizeof(m),
                              NULL) != NO_ERROR || !probe_range(&m, &in))
        exit(PROBE_NO_VIEW);
    if (video_control(dev, IOCTL_VIDEO_SHARE_VIDEO_MEMORY, &in, sizeof(in), &info, sizeof(info),
                      NULL) != NO_ERROR)
        exit(PROBE_NO_VIEW); /* a mode change made the size invalid */
    enum probe_kind kind = (enum probe_kind)pick(PROBE_KINDS);
    volatile uint8_t *view = info.VirtualAddress;
    if (kind == INJECT)
        inject_touches(view, info.SharedViewSize);
    view[pick(info.SharedViewSize)] = (uint8_t)seed;
    volatile uint8_t *target = (volatile uint8_t *)probe_target(kind, &info, dev);
    if (pick(2) || kind == CODE)
        *target = (uint8_t)seed;
    else
        (void)*target;
    printf("vpfuzz: probe %d (%s at %p, view %p size 0x%x) was not killed\n", getpid(),
           probe_names[kind], (void *)target, (void *)view, info.SharedViewSize);
    exit(PROBE_SURVIVED);
}

void hold_main(void)
{
    for (;;)
        sleep_ms(1000);
}

/* Run a probe; it must end killed, or say it could not share, or (an
 * injecting probe) exit 0. */
void op_probe(void)
{
    char args[32];
    uint32_t seed = rng_next(&fz.rng);
    int status = -1;
    snprintf(args, sizeof(args), "probe %u %u", seed, fz.procs);
    HANDLE probe = spawn("vpfuzz", args);
    if (!probe)
        return; /* the process table is full for a moment: no finding */
    if (wait(probe, &status) != 0)
        finding("wait for probe %d failed", handle_pid(probe));
    fz.probes++;
    if (status == PROBE_NO_VIEW)
        fz.probes_skipped++;
    else if (status != VP_STATUS_KILLED && status != 0)
        finding("probe %d (seed %u) ended with status 0x%x, not killed", handle_pid(probe), seed,
                (unsigned)status);
}

/* The frame into `child` through DdMapMemory: its address or 0. */
static uint32_t dd_into(HANDLE child)
{
    DD_MAPMEMORYDATA data = { .bMap = TRUE, .hProcess = child };
    return dd_map_memory(&data) == DDHAL_DRIVER_HANDLED && data.ddRVal == DD_OK
               ? (uint32_t)data.fpProcess : 0;
}

/* Share a random part of the frame into `child` (or all of it through
 * DdMapMemory): its address or 0. */
static uint32_t share_into(HANDLE child)
{
    VIDEO_MODE_INFORMATION m;
    VIDEO_SHARE_MEMORY_INFORMATION info;
    if (pick(4) == 0)
        return dd_into(child);
    if (!current_mode(&m))
        return 0;
    VIDEO_SHARE_MEMORY in = { child, 0, 1 + pick(m.VisScreenHeight * m.ScreenStride), NULL };
    VP_STATUS status = video_control(fz.dev, IOCTL_VIDEO_SHARE_VIDEO_MEMORY, &in, sizeof(in),
                                     &info, sizeof(info), NULL);
    bool refused = status == ERROR_INVALID_PARAMETER ||
                   (fz.injecting && status == ERROR_NOT_ENOUGH_MEMORY);
    if (status != NO_ERROR && !refused)
        finding("share into child %d: status %d", handle_pid(child), (int)status);
    return status == NO_ERROR ? (uint32_t)info.VirtualAddress : 0;
}

static VP_STATUS unshare_in(HANDLE process, uint32_t va)
{
    VIDEO_SHARE_MEMORY in = { process, 0, 0, (PVOID)va };
    return video_control(fz.dev, IOCTL_VIDEO_UNSHARE_VIDEO_MEMORY, &in, sizeof(in), NULL, 0,
                         NULL);
}

/* The child's views are its own: ours to unshare only through its handle
 * (unless one of ours has the same address in our space). */
static void unshare_child_view(HANDLE child, uint32_t va)
{
    VP_STATUS mine = in_held_view(va) ? ERROR_INVALID_PARAMETER
                                      : unshare_in(NtCurrentProcess(), va);
    if (mine != ERROR_INVALID_PARAMETER)
        finding("unshare of child %d's view %p as ours: status %d", handle_pid(child),
                (void *)va, (int)mine);
    if (unshare_in(child, va) != NO_ERROR)
        finding("unshare of child %d's view %p through its handle failed", handle_pid(child),
                (void *)va);
}

/* A holder with views shared into it, some unshared, killed with the rest. */
void op_share_child(void)
{
    uint32_t views[CHILD_VIEWS];
    int status = -1;
    HANDLE child = spawn("vpfuzz", "hold");
    if (!child)
        return;
    uint32_t n = 1 + pick(CHILD_VIEWS);
    for (uint32_t i = 0; i < n; i++)
        views[i] = share_into(child);
    for (uint32_t i = 0; i < n; i++) {
        if (views[i] && pick(2))
            unshare_child_view(child, views[i]);
    }
    if (kill(child) != 0)
        finding("kill of holder %d failed", handle_pid(child));
    if (pick(2))
        share_into(child); /* killed, maybe exited: refused, or torn down with it */
    if (wait(child, &status) != 0 || status != VP_STATUS_KILLED)
        finding("holder %d: wait gave status 0x%x", handle_pid(child), (unsigned)status);
    if (share_into(child))
        finding("share into holder %d after it was reaped succeeded", handle_pid(child));
}

/* A busy child, killed after a random moment: wherever it is, its views
 * (live, revoked, banked with a bounce), mappings and heap must go. */
void op_busy(void)
{
    char args[32];
    int status = -1;
    snprintf(args, sizeof(args), "busy %u %u%s", rng_next(&fz.rng), fz.procs,
             fz.strict ? " strict" : "");
    HANDLE child = spawn("vpfuzz", args);
    if (!child)
        return;
    if (pick(4))
        sleep_ms(pick(BUSY_MS_MAX));
    if (kill(child) != 0 || wait(child, &status) != 0 || status != VP_STATUS_KILLED)
        finding("busy child %d (%s): kill and wait gave status 0x%x", handle_pid(child), args,
                (unsigned)status);
}

/* Holders until the process table is full (or CROWD_MAX), then all
 * killed: a full table refuses a spawn with an error, and a mass
 * teardown gives everything back. */
void op_crowd(void)
{
    HANDLE crowd[CROWD_MAX];
    uint32_t n = 0;
    while (n < CROWD_MAX && (crowd[n] = spawn("vpfuzz", "hold")) != NULL)
        n++;
    if (n < CROWD_MAX && vp_errno != VP_EAGAIN && !(fz.injecting && vp_errno == VP_ENOMEM))
        finding("spawn number %u refused with error %d", n + 1, vp_errno);
    for (uint32_t i = 0; i < n; i++)
        kill(crowd[i]);
    for (uint32_t i = 0; i < n; i++) {
        int status = -1;
        if (wait(crowd[i], &status) != 0 || status != VP_STATUS_KILLED)
            finding("crowd member %d: wait gave status 0x%x", handle_pid(crowd[i]),
                    (unsigned)status);
    }
}

/* Arguments of 128 words, as many as fit (VP_ARGS_MAX), or one byte too
 * long; the one too long must be refused. */
static const char *many_arguments(bool too_long)
{
    static char text[VP_ARGS_MAX + 1];
    for (uint32_t i = 0; i < VP_ARGS_MAX; i++)
        text[i] = i % 2 ? ' ' : (char)('a' + i % 26);
    text[too_long ? VP_ARGS_MAX : VP_ARGS_MAX - 1] = '\0';
    return text;
}

/* hello with plain arguments or many, reaped or killed first. */
void op_spawn(void)
{
    static const char *const args[] = { NULL, "", "a", "several words of arguments" };
    int status = -1;
    uint32_t kind = pick(6);
    HANDLE child = spawn("hello", kind < 4 ? args[kind] : many_arguments(kind == 5));
    if (kind == 5 && (child || vp_errno != VP_EINVAL))
        finding("hello with %u bytes of arguments: spawn gave %s, error %d", VP_ARGS_MAX,
                child ? "a child" : "no child", vp_errno);
    if (!child)
        return;
    if (pick(2))
        kill(child);
    if (wait(child, &status) != 0 || (status != 0 && status != VP_STATUS_KILLED))
        finding("hello %d: wait gave status 0x%x", handle_pid(child), (unsigned)status);
}
