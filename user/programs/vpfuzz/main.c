/*
 * vpfuzz: the video port and system call fuzzer. The parent takes a
 * baseline of the kernel's memory counters, starts PROCS workers that
 * together perform N random operations (worker.c), waits for them, puts
 * the mode back and checks that every worker exited 0, that the counters
 * are back at the baseline and that the kernel's consistency check finds
 * nothing.
 *
 *   vpfuzz SEED N [PROCS] [linear|banked] [strict] [oracle]
 *                        a run: PROCS 4 by default; the mode kind of the
 *                        current mode unless given; strict: kcheck after
 *                        every operation; oracle: the data oracle's
 *                        operations make about half of all, not a tenth
 *   vpfuzz worker SEED OPS INDEX PROCS [strict] [oracle]
 *                        worker INDEX of PROCS (started by a run)
 *   vpfuzz probe SEED PROCS       a child that must be killed
 *   vpfuzz hold                   a child that sleeps until killed
 *   vpfuzz busy SEED PROCS [strict]  a child that fuzzes until killed
 *   vpfuzz blob SEED STRIPE       a child that runs code from a view of a stripe
 *
 * Every worker runs the data oracle (oracle.c) on a stripe of video memory
 * of its own. Lines a harness reads:
 *   vpfuzz: seed S ops N procs P mode WxHxD banked|linear
 *   vpfuzz: oracle stripes P of K KiB, no one's memory from 0xX, strict yes|no
 *   vpfuzz: worker ... oracle verified V resets R skipped S outputs O blobs B
 *   vpfuzz: finding: ...            (from workers; each makes its worker fail)
 *   vpfuzz: leak COUNTER before B after A
 *   vpfuzz: ops N panics K leaks L kcheck F workers-failed W
 *   vpfuzz: end ok|failed
 * panics counts workers the kernel killed (a fault where an error code was
 * due); workers-failed counts every worker that did not exit 0. A kernel
 * panic stops the machine before the last lines, which a harness notices.
 * Exit status 0 only when everything is clean; 2 for bad arguments.
 */
#include <vputil.h>
#include "vpfuzz.h"

#define DEFAULT_PROCS 4
#define MAX_PROCS 16

struct run {
    uint32_t seed, ops, procs;
    int kind; /* -1: the current mode's; else 0 linear, 1 banked */
    bool strict, oracle_heavy;
    HANDLE dev;
    VIDEO_MODE_INFORMATION modes[FUZZ_MAX_MODES];
    uint32_t mode_count;
    ULONG start_mode, fuzz_mode; /* ModeIndex at start and while fuzzing */
};

struct outcome {
    uint32_t killed, failed, leaks, kcheck;
};

static bool is_banked(const VIDEO_MODE_INFORMATION *m)
{
    return (m->AttributeFlags & VIDEO_MODE_BANKED) != 0;
}

static bool set_mode(HANDLE dev, ULONG index)
{
    VIDEO_MODE request = { index };
    return video_control(dev, IOCTL_VIDEO_SET_CURRENT_MODE, &request, sizeof(request), NULL, 0,
                         NULL) == NO_ERROR;
}

/* The mode of m's geometry that is banked (or linear); m itself if none. */
static ULONG twin_of(const struct run *r, const VIDEO_MODE_INFORMATION *m, bool banked)
{
    for (uint32_t i = 0; i < r->mode_count; i++) {
        const VIDEO_MODE_INFORMATION *t = &r->modes[i];
        if (t->VisScreenWidth == m->VisScreenWidth && t->VisScreenHeight == m->VisScreenHeight &&
            t->BitsPerPlane == m->BitsPerPlane && is_banked(t) == banked)
            return t->ModeIndex;
    }
    return m->ModeIndex;
}

/* Read the modes and make the fuzzing mode current: the twin of the kind
 * asked for, or the current mode set again. Visiting the other kind first
 * lets the kernel make what it allocates once per kind before the
 * baseline is taken. */
static bool prepare_modes(struct run *r)
{
    VIDEO_MODE_INFORMATION now;
    ULONG bytes = 0;
    r->dev = video_open("Video0");
    if (!r->dev || video_control(r->dev, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, &now,
                                 sizeof(now), NULL) != NO_ERROR ||
        video_control(r->dev, IOCTL_VIDEO_QUERY_AVAIL_MODES, NULL, 0, r->modes,
                      sizeof(r->modes), &bytes) != NO_ERROR)
        return false;
    r->mode_count = bytes / sizeof(r->modes[0]);
    r->start_mode = now.ModeIndex;
    bool banked = r->kind < 0 ? is_banked(&now) : r->kind == 1;
    r->fuzz_mode = twin_of(r, &now, banked);
    return set_mode(r->dev, twin_of(r, &now, !banked)) && set_mode(r->dev, r->fuzz_mode);
}

/* One share, unshare, kernel map and unmap, so that their first-time
 * costs fall before the baseline too. */
static void warm_up(const struct run *r)
{
    VIDEO_SHARE_MEMORY in = { NtCurrentProcess(), 0, FUZZ_PAGE, NULL };
    VIDEO_SHARE_MEMORY_INFORMATION info;
    if (video_control(r->dev, IOCTL_VIDEO_SHARE_VIDEO_MEMORY, &in, sizeof(in), &info,
                      sizeof(info), NULL) == NO_ERROR) {
        ((volatile uint8_t *)info.VirtualAddress)[0] = 0;
        in.RequestedVirtualAddress = info.VirtualAddress;
        video_control(r->dev, IOCTL_VIDEO_UNSHARE_VIDEO_MEMORY, &in, sizeof(in), NULL, 0, NULL);
    }
    VIDEO_MEMORY map = { NULL };
    VIDEO_MEMORY_INFORMATION mapped;
    if (video_control(r->dev, IOCTL_VIDEO_MAP_VIDEO_MEMORY, &map, sizeof(map), &mapped,
                      sizeof(mapped), NULL) == NO_ERROR) {
        map.RequestedVirtualAddress = mapped.VideoRamBase;
        video_control(r->dev, IOCTL_VIDEO_UNMAP_VIDEO_MEMORY, &map, sizeof(map), NULL, 0, NULL);
    }
}

/* Start the workers, wait for all, and count those that did not exit 0. */
static void run_workers(const struct run *r, struct outcome *o)
{
    HANDLE workers[MAX_PROCS];
    for (uint32_t i = 0; i < r->procs; i++) {
        char args[64];
        uint32_t share = r->ops / r->procs + (i < r->ops % r->procs ? 1 : 0);
        snprintf(args, sizeof(args), "worker %u %u %u %u%s%s", derive_seed(r->seed, i), share, i,
                 r->procs, r->strict ? " strict" : "", r->oracle_heavy ? " oracle" : "");
        workers[i] = spawn("vpfuzz", args);
        if (!workers[i])
            printf("vpfuzz: cannot start worker %u (error %d)\n", i, vp_errno);
    }
    for (uint32_t i = 0; i < r->procs; i++) {
        int status = -1;
        if (workers[i] && wait(workers[i], &status) != 0)
            status = -1;
        if (status != 0)
            printf("vpfuzz: worker %u (pid %d) ended with status 0x%x\n", i,
                   handle_pid(workers[i]), (unsigned)status);
        o->killed += status == VP_STATUS_KILLED;
        o->failed += status != 0;
    }
}

static uint32_t compare(const char *name, uint32_t before, uint32_t after)
{
    if (before == after)
        return 0;
    printf("vpfuzz: leak %s before %u after %u\n", name, before, after);
    return 1;
}

/* free_frames away from the baseline by more than the leak slack: 1 (and
 * printed, with the heap's frames), or 0. */
static uint32_t compare_free_frames(const struct vp_meminfo *a, const struct vp_meminfo *b)
{
    if (vp_free_frames_back(a->free_frames, b->free_frames))
        return 0;
    printf("vpfuzz: leak free_frames before %u after %u (heap_frames before %u after %u)\n",
           a->free_frames, b->free_frames, a->heap_frames, b->heap_frames);
    return 1;
}

/* The counters that differ from the baseline (each printed). */
static uint32_t leaks(const struct vp_meminfo *a, const struct vp_meminfo *b)
{
    return compare_free_frames(a, b) +
           compare("page_tables", a->page_tables, b->page_tables) +
           compare("regions", a->regions, b->regions) +
           compare("heap_objects", a->heap_objects, b->heap_objects) +
           compare("processes", a->processes, b->processes) +
           compare("video_records", a->video_records, b->video_records);
}

static uint32_t check_kernel(const char *when)
{
    struct vp_kcheck k;
    int findings = kcheck(&k);
    if (findings != 0)
        printf("vpfuzz: kcheck %s: %d findings, the first: %s\n", when, findings,
               findings > 0 ? k.first : "(no report)");
    return findings < 0 ? 1 : (uint32_t)findings;
}

static int fuzz(struct run *r)
{
    struct outcome o = { 0 };
    if (!prepare_modes(r)) {
        printf("vpfuzz: no usable Video0\n");
        return 1;
    }
    /* Our own first touches of code or stack after the baseline would
     * count as frames gone. The page below the break ends the image. */
    prefault_self((uint32_t)sbrk(0) - FUZZ_PAGE);
    warm_up(r);
    const VIDEO_MODE_INFORMATION *m = &r->modes[0];
    for (uint32_t i = 0; i < r->mode_count; i++)
        m = r->modes[i].ModeIndex == r->fuzz_mode ? &r->modes[i] : m;
    printf("vpfuzz: seed %u ops %u procs %u mode %ux%ux%u %s\n", r->seed, r->ops, r->procs,
           m->VisScreenWidth, m->VisScreenHeight, m->BitsPerPlane,
           is_banked(m) ? "banked" : "linear");
    printf("vpfuzz: oracle stripes %u of %u KiB, no one's memory from 0x%x, strict %s\n",
           r->procs, FUZZ_STRIPE / 1024, r->procs * FUZZ_STRIPE, r->strict ? "yes" : "no");
    struct vp_meminfo before, after;
    meminfo(&before);
    o.kcheck = check_kernel("before");
    struct vp_latency ignored;
    latency_get(&ignored, true); /* the figures of this run alone */
    int slice = sched_slice(SCHED_SLICE_DEFAULT);
    run_workers(r, &o);
    sched_slice(slice > 0 ? (uint32_t)slice : SCHED_SLICE_DEFAULT);
    if (!set_mode(r->dev, r->fuzz_mode))
        printf("vpfuzz: cannot set the mode back\n");
    meminfo(&after);
    o.leaks = leaks(&before, &after);
    o.kcheck += check_kernel("after");
    set_mode(r->dev, r->start_mode);
    bool prompt = latency_check("vpfuzz");
    bool clean = !o.killed && !o.failed && !o.leaks && !o.kcheck && prompt;
    printf("vpfuzz: ops %u panics %u leaks %u kcheck %u workers-failed %u\n", r->ops, o.killed,
           o.leaks, o.kcheck, o.failed);
    printf("vpfuzz: end %s\n", clean ? "ok" : "failed");
    return clean ? 0 : 1;
}

/* A whole decimal number up to 4294967295 (seeds use all 32 bits). */
static bool parse_u32(const char *s, uint32_t *out)
{
    uint32_t v = 0;
    if (!*s)
        return false;
    for (; *s; s++) {
        uint32_t digit = (uint32_t)(*s - '0');
        if (digit > 9 || v > (0xFFFFFFFFu - digit) / 10)
            return false;
        v = v * 10 + digit;
    }
    *out = v;
    return true;
}

static int usage(void)
{
    printf("usage: vpfuzz SEED N [PROCS] [linear|banked] [strict] [oracle]\n");
    return 2;
}

/* The words from argv[next] on: each of "strict" and "oracle" at most
 * once, in that order; false for anything else. */
static bool parse_flags(int argc, char **argv, int next, bool *strict, bool *oracle_heavy)
{
    *strict = next < argc && strcmp(argv[next], "strict") == 0;
    next += *strict;
    *oracle_heavy = next < argc && strcmp(argv[next], "oracle") == 0;
    return next + *oracle_heavy == argc;
}

/* Parse the run's arguments into r; false when they make no sense. */
static bool parse_run(int argc, char **argv, struct run *r)
{
    *r = (struct run){ .procs = DEFAULT_PROCS, .kind = -1 };
    int next = 3;
    if (argc < 3 || !parse_u32(argv[1], &r->seed) || !parse_u32(argv[2], &r->ops))
        return false;
    if (next < argc && parse_uint(argv[next], &r->procs))
        next++;
    if (next < argc && (strcmp(argv[next], "linear") == 0 || strcmp(argv[next], "banked") == 0))
        r->kind = strcmp(argv[next++], "banked") == 0;
    return parse_flags(argc, argv, next, &r->strict, &r->oracle_heavy) && r->procs >= 1 &&
           r->procs <= MAX_PROCS;
}

/* "worker SEED OPS INDEX PROCS [strict] [oracle]" or, for a busy child,
 * "busy SEED PROCS [strict]". */
static bool parse_worker(int argc, char **argv, bool busy, struct worker_args *a)
{
    uint32_t index = 0;
    int next = busy ? 4 : 6;
    *a = (struct worker_args){ .ops = 0xFFFFFFFFu, .stripe = -1 };
    bool numbers = argc >= next && parse_u32(argv[2], &a->seed) &&
                   (busy || (parse_u32(argv[3], &a->ops) && parse_u32(argv[4], &index))) &&
                   parse_u32(argv[next - 1], &a->procs);
    if (!numbers || !parse_flags(argc, argv, next, &a->strict, &a->oracle_heavy) ||
        a->procs < 1 || a->procs > MAX_PROCS || index >= a->procs || (busy && a->oracle_heavy))
        return false;
    a->stripe = busy ? -1 : (int32_t)index;
    return true;
}

int main(int argc, char **argv)
{
    uint32_t seed, number;
    struct worker_args w;
    const char *role = argc > 1 ? argv[1] : "";
    if (strcmp(role, "worker") == 0 && parse_worker(argc, argv, false, &w))
        return worker_main(&w);
    if (strcmp(role, "busy") == 0 && parse_worker(argc, argv, true, &w))
        return busy_main(&w);
    if (argc == 4 && strcmp(role, "probe") == 0 && parse_u32(argv[2], &seed) &&
        parse_u32(argv[3], &number))
        probe_main(seed, number); /* number: the run's workers */
    if (argc == 4 && strcmp(role, "blob") == 0 && parse_u32(argv[2], &seed) &&
        parse_u32(argv[3], &number))
        blob_main(seed, number); /* number: the stripe */
    if (argc == 2 && strcmp(role, "hold") == 0)
        hold_main();
    if (argc == 2 && strcmp(role, "fill") == 0)
        fill_main();
    if (argc == 2 && strcmp(role, "hoard") == 0)
        hoard_main();
    struct run r;
    return parse_run(argc, argv, &r) ? fuzz(&r) : usage();
}
