/*
 * vpstorm: kill storms. PROCS processes share the screen and draw on it at
 * once while the parent kills one after another, each at a moment of its
 * own choosing, and starts a replacement every time, until CYCLES have
 * been killed. Then no child is left, every memory counter is back at its
 * baseline and the kernel's consistency check finds nothing.
 *
 *   vpstorm CYCLES PROCS [strict]   the storm (CYCLES 1..100000, PROCS 1..8)
 *   vpstorm child SEED [strict]     one drawing process (the storm starts these)
 *
 * strict: the kernel's consistency check runs after every cycle (in the
 * parent) and after every drawing (in each child); a finding fails the
 * storm (a child that finds one exits 5).
 *
 * A child yields a few times, shares the visible frame (screen_open) and
 * draws forever: rectangles, scattered pixels, whole rows and unaligned
 * dwords across 64 KiB edges, in colours of its own; in a banked mode
 * every one of those takes bank faults, and the children take the window
 * from each other. After its first drawing it touches MARK_PAGES fresh
 * heap pages, so the parent can see in the process list that it has
 * drawn. Now and then it unshares and shares again, yields or sleeps; one
 * child in sixteen ends by itself (status 0) after a few drawings.
 *
 * The parent sets the current mode again (see set_mode_again) before it
 * takes the baseline; the kernel frames of the storm's own peak must be
 * back by the end. Before each kill it lets the victim run: not at all,
 * one to three yields, 0-20 ms of sleep, or until it has drawn (plus up to
 * 5 ms), and the time slice changes between 1 and 3 ticks, so kills land
 * before the share, between share and drawing, in the middle of a drawing
 * and between bank faults. The victim's status must be VP_STATUS_KILLED,
 * or 0 when it ended by itself; `kill` may then say it is gone
 * (VP_ESRCH), and no other answer is allowed.
 *
 * Output, one line each (the harness parses them):
 *   vpstorm: cycles C procs P mode WxHxD banked|linear[ strict]
 *   vpstorm: kills landed fresh A starting B drawing D
 *   vpstorm: bank faults F switches S straddles T present N   (banked modes)
 *   vpstorm: strict kchecks K findings F                      (strict runs)
 *   vpstorm: cycles C killed K leaks L kcheck F
 *   vpstorm: end ok|failed
 * "fresh" victims had not run yet, "starting" ones had not drawn (the
 * children ended after the storm count too). At the end C counts the
 * children that ended during the storm (killed or by themselves), K the
 * killed ones (CYCLES), L the memory counters not back at the baseline, F
 * the kcheck findings. Exits 0 only when all is clean.
 */
#include <vidport.h>
#include <vpdraw.h>
#include <vputil.h>

#define PROGRAM "vpstorm"
#define MAX_CYCLES 100000u
#define MAX_PROCS 8u
#define MARK_PAGES 32u   /* more page faults than a child takes to start */
#define PAGE 4096u
#define SCATTER 64u      /* pixels of one scattered drawing */
#define BANK_EDGE 0x10000u
#define DRAW_WAIT_MS 2000u
#define SEED_MASK 0x1FFFFFFFu /* nine decimal digits at most, as parse_uint takes */
#define KCHECK_FAILED 5       /* a strict child's exit status when kcheck found something */

enum stage { STAGE_FRESH, STAGE_STARTING, STAGE_DRAWING, STAGES };

struct storm {
    uint32_t rng;
    bool strict;
    uint32_t procs, cycles, killed, failures;
    uint32_t kchecks, kcheck_findings; /* the parent's strict checks */
    uint32_t landed[STAGES];
    HANDLE children[MAX_PROCS];
};

/* xorshift32: every choice of the storm, reproducible from a seed (not 0). */
static uint32_t next_random(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

static uint32_t random_below(uint32_t *state, uint32_t n)
{
    return next_random(state) % n;
}

/* ----------------------------------------------------------------- child */

/* Touch MARK_PAGES fresh heap pages: as many page faults, which the parent
 * reads in the process list. Exit 4 if the heap cannot grow. */
static void mark_drawn(void)
{
    uint8_t *old = sbrk((MARK_PAGES + 1) * PAGE);
    if (old == (void *)-1)
        exit(4);
    volatile uint8_t *fresh = (uint8_t *)(((uintptr_t)old + PAGE - 1) & ~(uintptr_t)(PAGE - 1));
    for (uint32_t i = 0; i < MARK_PAGES; i++)
        fresh[i * PAGE] = 1;
}

/* A 32-bit store at any address (i686 allows unaligned ones). */
typedef uint32_t __attribute__((aligned(1), may_alias)) unaligned_u32;

/* Unaligned dwords across a few 64 KiB edges of the view: in a banked
 * mode each needs two banks at once (the arbiter's bounce). */
static void straddle_edges(const struct screen *s, uint32_t *rng)
{
    uint32_t edges = s->size / BANK_EDGE;
    for (uint32_t i = 0; edges && i < 4; i++) {
        uint32_t edge = (1 + random_below(rng, edges)) * BANK_EDGE;
        if (edge + 2 <= s->size)
            *(volatile unaligned_u32 *)(s->base + edge - 2) = next_random(rng);
    }
}

/* One drawing in a colour of its own: a rectangle, scattered pixels,
 * whole rows or stores across bank edges. */
static void draw_once(const struct screen *s, uint32_t *rng)
{
    uint32_t w = s->mode.VisScreenWidth, h = s->mode.VisScreenHeight;
    uint32_t pixel = screen_pack(s, next_random(rng) & 0xFFFFFF);
    switch (random_below(rng, 4)) {
    case 0:
        screen_fill(s, random_below(rng, w), random_below(rng, h), 1 + random_below(rng, w / 4),
                    1 + random_below(rng, h / 4), pixel);
        break;
    case 1:
        for (uint32_t i = 0; i < SCATTER; i++)
            screen_put(s, random_below(rng, w), random_below(rng, h), pixel);
        break;
    case 2:
        screen_fill(s, 0, random_below(rng, h), w, 1 + random_below(rng, 8), pixel);
        break;
    default:
        straddle_edges(s, rng);
    }
}

/* Between drawings: mostly go straight on; sometimes unshare and share
 * again (exit 3 if that fails), yield or sleep. */
static void between_drawings(struct screen *s, uint32_t *rng)
{
    switch (random_below(rng, 16)) {
    case 0:
        if (screen_close(s, PROGRAM) != NO_ERROR || screen_share(s, PROGRAM) != NO_ERROR)
            exit(3);
        break;
    case 1:
        yield();
        break;
    case 2:
        sleep_ms(random_below(rng, 3));
        break;
    default:
        break;
    }
}

/* The kernel's consistency check; its findings (the kernel prints each)
 * and the first, said as `who` and `when`. */
static int strict_kcheck(const char *who, uint32_t when)
{
    struct vp_kcheck k;
    int findings = kcheck(&k);
    if (findings != 0)
        printf("%s: %s: kcheck after %u: %d findings, the first: %s\n", PROGRAM, who, when,
               findings, findings > 0 ? k.first : "(no report)");
    return findings;
}

/* Draw until killed; one child in sixteen ends by itself after a few
 * drawings. Exit 2: no view; 3: unsharing or sharing again failed;
 * KCHECK_FAILED: strict, and a check after a drawing found something. */
static int child(uint32_t seed, bool strict)
{
    uint32_t rng = seed | 1;
    for (uint32_t n = random_below(&rng, 4); n; n--)
        yield(); /* so that kills land before the share too */
    struct screen s;
    if (screen_open(&s, PROGRAM) != NO_ERROR)
        return 2;
    uint32_t last = random_below(&rng, 16) == 0 ? 1 + random_below(&rng, 8) : 0;
    for (uint32_t n = 1;; n++) {
        draw_once(&s, &rng);
        if (strict && strict_kcheck("child drawing", n) != 0)
            return KCHECK_FAILED;
        if (n == 1)
            mark_drawn();
        if (n == last)
            return screen_close(&s, PROGRAM) == NO_ERROR ? 0 : 3;
        between_drawings(&s, &rng);
    }
}

/* ---------------------------------------------------------------- parent */

/* How far child h had got: not run at all, not drawn yet, or drawn (a
 * child is listed until it is collected). */
static enum stage stage_of(HANDLE h)
{
    struct vp_process_info info;
    if (!process_info(handle_pid(h), &info) || info.page_faults >= MARK_PAGES)
        return STAGE_DRAWING;
    return info.page_faults ? STAGE_STARTING : STAGE_FRESH;
}

/* Yield until child h has drawn (or DRAW_WAIT_MS have passed). */
static void wait_until_drawn(HANDLE h)
{
    struct vp_clock start, now;
    clock_get(&start);
    do {
        yield();
        clock_get(&now);
    } while (stage_of(h) != STAGE_DRAWING && now.uptime_ms - start.uptime_ms < DRAW_WAIT_MS);
}

/* Let the victim run for a while of the storm's choosing, with a time
 * slice of 1 to 3 ticks for everyone. */
static void let_run(struct storm *st, HANDLE h)
{
    sched_slice(1 + random_below(&st->rng, 3));
    switch (random_below(&st->rng, 4)) {
    case 0:
        break;
    case 1:
        for (uint32_t n = 1 + random_below(&st->rng, 3); n; n--)
            yield();
        break;
    case 2:
        sleep_ms(random_below(&st->rng, 21));
        break;
    default:
        wait_until_drawn(h);
        sleep_ms(random_below(&st->rng, 6));
    }
}

/* Start child i with a seed of its own; a failure to start is counted. */
static void start_child(struct storm *st, uint32_t i)
{
    char args[40];
    snprintf(args, sizeof(args), "child %u%s", next_random(&st->rng) & SEED_MASK,
             st->strict ? " strict" : "");
    st->children[i] = spawn(PROGRAM, args);
    if (!st->children[i]) {
        printf("%s: cannot start a child: error %d\n", PROGRAM, vp_errno);
        st->failures++;
    }
}

/* Kill child i and collect it. Its status must be VP_STATUS_KILLED, or 0
 * when it ended by itself; kill may fail only because it already has
 * (VP_ESRCH), and then a killed status means a fault killed it. */
static void end_child(struct storm *st, uint32_t i)
{
    HANDLE h = st->children[i];
    st->children[i] = NULL;
    if (!h)
        return;
    st->landed[stage_of(h)]++;
    bool gone = kill(h) != 0;
    int status = -1;
    bool collected = wait(h, &status) == 0;
    bool fine = collected && (status == 0 || (status == VP_STATUS_KILLED && !gone)) &&
                (!gone || vp_errno == VP_ESRCH);
    if (!fine) {
        printf("%s: child %d: kill %s, wait %s, status %d\n", PROGRAM, handle_pid(h),
               gone ? "refused" : "ok", collected ? "ok" : "failed", status);
        st->failures++;
    }
    st->killed += status == VP_STATUS_KILLED;
}

/* The storm: replace a child until CYCLES were killed. Half the time the
 * victim is the youngest (started last cycle), so that short waits catch
 * children before they share; otherwise any. */
static void storm(struct storm *st, uint32_t cycles)
{
    for (uint32_t i = 0; i < st->procs; i++)
        start_child(st, i);
    for (uint32_t i = 0; st->killed < cycles && st->failures == 0;) {
        if (random_below(&st->rng, 2))
            i = random_below(&st->rng, st->procs);
        if (st->children[i])
            let_run(st, st->children[i]);
        end_child(st, i);
        st->cycles++;
        start_child(st, i);
        if (st->strict) {
            st->kchecks++;
            st->kcheck_findings += strict_kcheck("parent cycle", st->cycles) != 0;
        }
    }
}

/* Kill and collect every child still running. */
static void end_all(struct storm *st)
{
    for (uint32_t i = 0; i < st->procs; i++)
        end_child(st, i);
}

/* The memory counters that are not back at `before` (free frames: within
 * the leak slack), each printed. */
static uint32_t count_leaks(const struct vp_meminfo *before)
{
    struct vp_meminfo now;
    meminfo(&now);
    uint32_t leaks = !vp_free_frames_back(before->free_frames, now.free_frames);
    if (leaks)
        printf("%s: free frames %u, baseline %u (heap frames %u, baseline %u)\n", PROGRAM,
               now.free_frames, before->free_frames, now.heap_frames, before->heap_frames);
    const uint32_t was[] = { before->page_tables, before->regions, before->heap_objects,
                             before->processes, before->video_records };
    const uint32_t is[] = { now.page_tables, now.regions, now.heap_objects, now.processes,
                            now.video_records };
    static const char *const names[] = { "page tables", "regions", "heap objects",
                                         "processes", "video records" };
    for (uint32_t i = 0; i < sizeof(is) / sizeof(is[0]); i++) {
        if (was[i] != is[i])
            printf("%s: %s %u, baseline %u\n", PROGRAM, names[i], is[i], was[i]);
        leaks += was[i] != is[i];
    }
    return leaks;
}

static VIDPORT_BANKING_INFORMATION banking(HANDLE dev)
{
    VIDPORT_BANKING_INFORMATION b = { 0 };
    video_control(dev, IOCTL_VIDPORT_QUERY_BANKING, NULL, 0, &b, sizeof(b), NULL);
    return b;
}

/* Print the bank arbiter's work during the storm and the bank pages left
 * present; true when there are none. */
static bool report_banking(HANDLE dev, const VIDPORT_BANKING_INFORMATION *before)
{
    VIDPORT_BANKING_INFORMATION now = banking(dev);
    printf("%s: bank faults %u switches %u straddles %u present %u\n", PROGRAM,
           now.BankFaults - before->BankFaults, now.BankSwitches - before->BankSwitches,
           now.StraddleResolutions - before->StraddleResolutions, now.PresentBankPages);
    return now.PresentBankPages == 0;
}

/* Print the end line; true when every counter is back at `before` and
 * kcheck finds nothing. */
static bool report_end(const struct vp_meminfo *before, uint32_t cycles, uint32_t killed)
{
    uint32_t leaks = count_leaks(before);
    struct vp_kcheck k;
    int findings = kcheck(&k);
    if (findings != 0)
        printf("%s: kcheck: %s\n", PROGRAM, k.first);
    printf("%s: cycles %u killed %u leaks %u kcheck %d\n", PROGRAM, cycles, killed, leaks,
           findings);
    return leaks == 0 && findings == 0;
}

/* Set the current mode again. The kernel's first mode set since boot
 * takes a frame for good (its heap's first block of the smallest size);
 * paid now, before the baseline, it is no leak should another process set
 * a mode during the storm. */
static bool set_mode_again(HANDLE dev, const VIDEO_MODE_INFORMATION *mode)
{
    VIDEO_MODE m = { mode->ModeIndex };
    if (video_control(dev, IOCTL_VIDEO_SET_CURRENT_MODE, &m, sizeof(m), NULL, 0, NULL) ==
        NO_ERROR)
        return true;
    printf("%s: cannot set the current mode again\n", PROGRAM);
    return false;
}

/* Storm, tear down, check; true when everything was clean. */
static bool run_storm(HANDLE dev, bool banked, uint32_t cycles, uint32_t procs, bool strict)
{
    struct storm st = { .rng = 0x5EED0001u ^ (cycles << 8) ^ procs, .procs = procs,
                        .strict = strict };
    int slice = sched_slice(SCHED_SLICE_DEFAULT);
    struct vp_meminfo before;
    meminfo(&before);
    VIDPORT_BANKING_INFORMATION bank_before = banking(dev);
    storm(&st, cycles);
    uint32_t done = st.cycles, killed = st.killed;
    end_all(&st);
    sched_slice((uint32_t)slice);
    printf("%s: kills landed fresh %u starting %u drawing %u\n", PROGRAM,
           st.landed[STAGE_FRESH], st.landed[STAGE_STARTING], st.landed[STAGE_DRAWING]);
    bool banks_gone = !banked || report_banking(dev, &bank_before);
    if (strict)
        printf("%s: strict kchecks %u findings %u\n", PROGRAM, st.kchecks, st.kcheck_findings);
    bool clean = report_end(&before, done, killed);
    return clean && banks_gone && st.failures == 0 && killed == cycles &&
           st.kcheck_findings == 0;
}

static int parent(uint32_t cycles, uint32_t procs, bool strict)
{
    HANDLE dev = video_open("Video0");
    VIDEO_MODE_INFORMATION mode;
    if (!dev || video_control(dev, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, &mode, sizeof(mode),
                              NULL) != NO_ERROR) {
        printf("%s: no usable Video0\n", PROGRAM);
        return 1;
    }
    bool banked = (mode.AttributeFlags & VIDEO_MODE_BANKED) != 0;
    printf("%s: cycles %u procs %u mode %ux%ux%u %s%s\n", PROGRAM, cycles, procs,
           mode.VisScreenWidth, mode.VisScreenHeight, mode.BitsPerPlane,
           banked ? "banked" : "linear", strict ? " strict" : "");
    bool ok = set_mode_again(dev, &mode) && run_storm(dev, banked, cycles, procs, strict);
    printf("%s: end %s\n", PROGRAM, ok ? "ok" : "failed");
    return ok ? 0 : 1;
}

/* A whole number in 1..max. */
static bool parse_count(const char *s, uint32_t max, uint32_t *out)
{
    return parse_uint(s, out) && *out >= 1 && *out <= max;
}

int main(int argc, char **argv)
{
    uint32_t a, b;
    bool strict = argc == 4 && strcmp(argv[3], "strict") == 0;
    if ((argc == 3 || strict) && strcmp(argv[1], "child") == 0 && parse_uint(argv[2], &a))
        return child(a, strict);
    if ((argc != 3 && !strict) || !parse_count(argv[1], MAX_CYCLES, &a) ||
        !parse_count(argv[2], MAX_PROCS, &b)) {
        printf("usage: %s CYCLES PROCS [strict]   (CYCLES 1..%u, PROCS 1..%u)\n", PROGRAM,
               MAX_CYCLES, MAX_PROCS);
        return 2;
    }
    return parent(a, b, strict);
}
