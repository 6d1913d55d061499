/*
 * The figures that need more than one CPU: a TLB shootdown round (an IPI's
 * round trip with one other CPU), a bank switch when two processes on two
 * CPUs take the one window in turn (each switch shoots the other's pages
 * down), and how filling scales: N processes each filling a band of their
 * own, of a linear view and of RAM, against one alone, in the same run.
 * With one CPU the group reports only that.
 */
#include <vputil.h>
#include "vpbench.h"

#define PROBE_ROUNDS 16
#define SWITCHES_PER_RUN 20 /* switches a run waits for, the puller pulling meanwhile */
#define STORES_PER_LOOK 64  /* stores between two looks at the switch count */
#define MOST_LOOKS 2000     /* a run without a puller ends after these */
#define FILL_MS 200        /* how long each filler fills */
#define PULL_WORD 256      /* the offset the puller reads in bank 1 and we write in bank 0 */
#define RESULTS_BYTES 4096 /* the frame's last page: the fillers' counts */

static const struct geometry smp_geometry = { 800, 600, 32, "800x600x32" };

static int online_cpus(void)
{
    struct vp_cpu_info cpus[VP_CPU_MAX];
    int n = cpu_list(cpus, VP_CPU_MAX);
    return n > 0 ? n : 1;
}

static struct stats shootdown_rounds(void)
{
    static uint64_t runs[BENCH_MAX_RUNS];
    for (int r = 0; r < bench_runs; r++) {
        int cycles = tlb_probe(PROBE_ROUNDS);
        if (cycles < 0)
            bench_fail("the shootdown probe");
        runs[r] = cycles < 0 ? 0 : (uint64_t)cycles;
    }
    return stats_of(runs, bench_runs);
}

/* Cycles per bank switch while a puller on another CPU reads bank 1 and
 * we store into bank 0, run by run: each run stores until the window has
 * changed hands SWITCHES_PER_RUN times (0 for a run in which it never did). */
static struct stats switch_with_shootdown(HANDLE dev, uint8_t *view)
{
    static uint64_t runs[BENCH_MAX_RUNS];
    volatile uint32_t *word = (volatile uint32_t *)(view + PULL_WORD);
    for (int r = 0; r < bench_runs; r++) {
        uint32_t first = bank_counters(dev).BankSwitches, switches = 0;
        uint64_t start = rdtsc();
        for (int look = 0; look < MOST_LOOKS && switches < SWITCHES_PER_RUN; look++) {
            for (uint32_t i = 0; i < STORES_PER_LOOK; i++)
                *word = i;
            switches = bank_counters(dev).BankSwitches - first;
        }
        uint64_t took = rdtsc() - start;
        uint32_t cycles = took > UINT32_MAX ? UINT32_MAX : (uint32_t)took; /* no 64-bit division */
        runs[r] = switches ? cycles / switches : 0;
    }
    return stats_of(runs, bench_runs);
}

static void bench_bank_switches(HANDLE dev)
{
    if (!bench_set_mode(dev, &smp_geometry, VIEW_BANKED))
        return;
    uint8_t *view = view_share(dev, frame_bytes(dev));
    HANDLE puller = view ? spawn("vpbench", "puller") : NULL;
    if (!puller) {
        bench_fail("starting the puller");
    } else {
        sleep_ms(50); /* until it pulls */
        report_cycles("smp.bank_switch.800x600x32", switch_with_shootdown(dev, view));
        kill(puller);
        wait(puller, NULL);
    }
    if (view)
        view_unshare(dev, view);
}

/* The band of `bands` a filler fills: bytes and offset, 4-byte aligned,
 * below the results page. */
static uint32_t band_bytes(uint32_t frame, uint32_t bands)
{
    return ((frame - RESULTS_BYTES) / bands) & ~3u;
}

/* How many times `fillers` processes together filled their bands (of
 * `bands` in the frame, or as much RAM) in FILL_MS. */
static uint32_t fills_by(HANDLE dev, uint8_t *view, uint32_t fillers, uint32_t bands, bool ram)
{
    static HANDLE children[VP_CPU_MAX];
    volatile uint32_t *results = (volatile uint32_t *)(view + frame_bytes(dev) - RESULTS_BYTES);
    uint32_t total = 0;
    for (uint32_t i = 0; i < fillers; i++) {
        char args[48];
        results[i] = 0;
        snprintf(args, sizeof(args), "filler %u %u %s", i, bands, ram ? "ram" : "linear");
        children[i] = spawn("vpbench", args);
    }
    for (uint32_t i = 0; i < fillers; i++) {
        int status = -1;
        if (!children[i] || wait(children[i], &status) != 0 || status != 0)
            bench_fail("a filler");
        total += results[i];
    }
    return total;
}

/* N fillers against one, of the same band size, as a ratio in thousandths. */
static void report_scaling(HANDLE dev, uint8_t *view, uint32_t n, bool ram)
{
    uint32_t one = fills_by(dev, view, 1, n, ram), all = fills_by(dev, view, n, n, ram);
    char key[48];
    snprintf(key, sizeof(key), "smp.scaling.%s.fills_1", ram ? "ram" : "linear");
    report_count(key, one);
    snprintf(key, sizeof(key), "smp.scaling.%s.fills_%u", ram ? "ram" : "linear", n);
    report_count(key, all);
}

void bench_smp(HANDLE dev)
{
    int n = online_cpus();
    report_count("smp.cpus", (uint32_t)n);
    if (n == 1)
        return;
    report_cycles("smp.shootdown", shootdown_rounds());
    bench_bank_switches(dev);
    if (!bench_set_mode(dev, &smp_geometry, VIEW_LINEAR))
        return;
    uint8_t *view = view_share(dev, frame_bytes(dev));
    if (!view)
        return;
    report_scaling(dev, view, (uint32_t)n, false);
    report_scaling(dev, view, (uint32_t)n, true);
    view_unshare(dev, view);
}

/* --------------------------------------------------------------- children */

/* Read bank 1 of the current (banked) frame, for ever: each read after the
 * parent's store took the window back pulls it to bank 1 again. */
static int pull(HANDLE dev)
{
    uint8_t *view = view_share(dev, frame_bytes(dev));
    VIDPORT_BANKING_INFORMATION b = bank_counters(dev);
    if (!view || !b.BankLength)
        return 2;
    const volatile uint32_t *word = (const volatile uint32_t *)(view + b.BankLength + PULL_WORD);
    for (volatile uint32_t sink = 0;; sink += *word)
        ;
}

/* Fill band `index` of `bands` (of the linear frame, or of RAM) with a
 * pattern for FILL_MS, then store how many times in the results page. */
static int fill(HANDLE dev, uint32_t index, uint32_t bands, bool ram)
{
    uint32_t frame = frame_bytes(dev);
    uint8_t *view = view_share(dev, frame);
    uint32_t bytes = band_bytes(frame, bands);
    if (!view)
        return 2;
    uint8_t *band = ram ? sbrk(bytes) : view + index * bytes;
    if (band == (void *)-1)
        return 2;
    struct vp_clock c;
    clock_get(&c);
    uint64_t end = c.uptime_ms + FILL_MS;
    uint32_t fills = 0;
    for (; clock_get(&c) == 0 && c.uptime_ms < end; fills++) {
        for (uint32_t i = 0; i < bytes / 4; i++)
            ((volatile uint32_t *)band)[i] = fills;
    }
    ((volatile uint32_t *)(view + frame - RESULTS_BYTES))[index] = fills;
    return 0;
}

int bench_smp_child(int argc, char **argv)
{
    bool puller = argc == 2 && strcmp(argv[1], "puller") == 0;
    bool filler = argc == 5 && strcmp(argv[1], "filler") == 0;
    HANDLE dev = puller || filler ? video_open("Video0") : NULL;
    if (!dev)
        return puller || filler ? 2 : -1;
    if (puller)
        return pull(dev);
    return fill(dev, (uint32_t)atoi(argv[2]), (uint32_t)atoi(argv[3]), strcmp(argv[4], "ram") == 0);
}
