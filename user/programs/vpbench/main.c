/*
 * vpbench: the figures `make bench` publishes, taken in one run so that
 * they can be compared with each other (TSC cycles; under QEMU's TCG the
 * TSC follows the host's, so ratios within a run are what counts).
 *
 *   vpbench full|smoke [GROUP ...]   take the figures of these groups (all
 *                                    by default): system share frame banks
 *                                    straddle smp; smoke takes each only 3
 *                                    times
 *   vpbench pixel                    draw one pixel, say so and exit (the
 *                                    host times boots to this line)
 *
 * Each figure is taken in 800x600x32 and 1024x768x32, in the linear and the
 * banked mode of each (a geometry without both is reported missing). A
 * CPU-only calibration loop is timed at the start and at the end, so the
 * host can tell a run disturbed by a slow phase of the machine. The line
 * formats are in vpbench.h; the last line is "vpbench: end ok" or
 * "vpbench: end failed" (exit status 1). Exit status 2: bad arguments.
 */
#include <vpdraw.h>
#include <vputil.h>
#include "vpbench.h"

#define FULL_RUNS 15
#define CALIBRATION_ROUNDS 5
#define TSC_TICKS 10

static const struct geometry geometries[] = {
    { 800, 600, 32, "800x600x32" },
    { 1024, 768, 32, "1024x768x32" },
};

static const char *const group_names[] = { "system", "share", "frame", "banks", "straddle",
                                           "smp" };
#define GROUP_SMP 5
#define GROUPS (sizeof(group_names) / sizeof(group_names[0]))

/* A fixed amount of pure CPU work (an xorshift walk). */
static void calibration_work(void *ctx)
{
    uint32_t x = 2463534242u;
    for (int i = 0; i < 200000; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
    }
    *(volatile uint32_t *)ctx = x;
}

static void report_calibration(const char *when)
{
    int saved = bench_runs;
    uint32_t sink;
    bench_runs = CALIBRATION_ROUNDS;
    struct stats s = time_runs(calibration_work, &sink);
    bench_runs = saved;
    printf("vpbench: calibration %s %llu\n", when, s.median);
}

/* TSC cycles per second, against the timer (for MB/s on the host). */
static void report_tsc_hz(void)
{
    struct vp_clock c;
    clock_get(&c);
    uint64_t tick = c.ticks;
    while (clock_get(&c) == 0 && c.ticks == tick)
        ;
    uint64_t start = rdtsc(), first = c.ticks;
    while (clock_get(&c) == 0 && c.ticks < first + TSC_TICKS)
        ;
    uint32_t per_tick = (uint32_t)(rdtsc() - start) / TSC_TICKS;
    printf("vpbench: tsc_hz %llu\n", (uint64_t)per_tick * c.tick_hz);
}

static uint32_t largest_frame(void)
{
    uint32_t most = 0;
    for (size_t i = 0; i < sizeof(geometries) / sizeof(geometries[0]); i++) {
        const struct geometry *g = &geometries[i];
        uint32_t bytes = g->width * g->height * (g->bpp / 8);
        most = bytes > most ? bytes : most;
    }
    return most;
}

/* Run one group in geometry g: each figure in both kinds of mode. */
static void run_group(HANDLE dev, const char *group, const struct geometry *g)
{
    if (strcmp(group, "straddle") == 0) {
        if (!bench_set_mode(dev, g, VIEW_BANKED))
            return;
        uint32_t bank_length = bank_counters(dev).BankLength;
        bench_straddle(dev, g, VIEW_BANKED, bank_length);
        if (bench_set_mode(dev, g, VIEW_LINEAR))
            bench_straddle(dev, g, VIEW_LINEAR, bank_length);
        return;
    }
    for (enum view_kind kind = VIEW_LINEAR; kind <= VIEW_BANKED; kind++) {
        if (!bench_set_mode(dev, g, kind))
            continue;
        if (strcmp(group, "share") == 0)
            bench_share(dev, g, kind);
        else if (strcmp(group, "frame") == 0)
            bench_frame(dev, g, kind);
        else if (kind == VIEW_BANKED)
            bench_banks(dev, g);
    }
}

static void run_groups(HANDLE dev, bool chosen[GROUPS])
{
    if (chosen[0])
        bench_system();
    for (size_t i = 0; i < sizeof(geometries) / sizeof(geometries[0]); i++) {
        const struct geometry *g = &geometries[i];
        if (!bench_has_twins(g)) {
            printf("vpbench: missing %s\n", g->name);
            continue;
        }
        for (size_t k = 1; k < GROUP_SMP; k++) {
            if (chosen[k])
                run_group(dev, group_names[k], g);
        }
    }
    if (chosen[GROUP_SMP])
        bench_smp(dev);
    bench_restore_mode(dev);
}

/* Which groups the arguments after the first name; false on an unknown one. */
static bool choose_groups(int argc, char **argv, bool chosen[GROUPS])
{
    for (size_t k = 0; k < GROUPS; k++)
        chosen[k] = argc == 2;
    for (int a = 2; a < argc; a++) {
        size_t k = 0;
        while (k < GROUPS && strcmp(argv[a], group_names[k]) != 0)
            k++;
        if (k == GROUPS)
            return false;
        chosen[k] = true;
    }
    return true;
}

/* The boot-time probe: one pixel in the top left corner, then the line. */
static int draw_first_pixel(void)
{
    struct screen s;
    if (screen_open(&s, "vpbench") != NO_ERROR)
        return 1;
    screen_put(&s, 0, 0, screen_pack(&s, 0xFF8000));
    printf("vpbench: first pixel drawn\n");
    return screen_close(&s, "vpbench") == NO_ERROR ? 0 : 1;
}

int main(int argc, char **argv)
{
    bool chosen[GROUPS];
    if (argc == 2 && strcmp(argv[1], "yielder") == 0)
        for (;;)
            yield();
    if (argc == 2 && strcmp(argv[1], "pixel") == 0)
        return draw_first_pixel();
    int child = bench_smp_child(argc, argv);
    if (child >= 0)
        return child;
    if (argc < 2 || (strcmp(argv[1], "full") != 0 && strcmp(argv[1], "smoke") != 0) ||
        !choose_groups(argc, argv, chosen)) {
        printf("usage: vpbench full|smoke [system|share|frame|banks|straddle|smp ...] | pixel\n");
        return 2;
    }
    bench_runs = strcmp(argv[1], "full") == 0 ? FULL_RUNS : 3;
    printf("vpbench: begin %s\n", argv[1]);
    report_calibration("start");
    report_tsc_hz();
    HANDLE dev = bench_device();
    if (dev && bench_alloc_ram(largest_frame()))
        run_groups(dev, chosen);
    report_calibration("end");
    printf("vpbench: end %s\n", bench_failed() ? "failed" : "ok");
    return bench_failed() ? 1 : 0;
}
