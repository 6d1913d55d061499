/*
 * Measuring and reporting: every figure is a set of timed runs summarised
 * as median, lowest and highest, printed in one line the host parses.
 */
#include <vputil.h>
#include "vpbench.h"

int bench_runs = 3;
static bool failed;

struct stats stats_of(uint64_t *v, int n)
{
    sort_u64(v, n);
    return (struct stats){ .median = v[n / 2], .low = v[0], .high = v[n - 1], .runs = n };
}

/* Time op on each of the n (at most 2) contexts in turn, bench_runs
 * rounds, after one untimed warm-up run of each: first touches and caches
 * are not what is measured. */
static void time_alternating(void (*op)(void *ctx), void *const ctx[], int n, struct stats out[])
{
    static uint64_t runs[2][BENCH_MAX_RUNS];
    for (int i = 0; i < n; i++)
        op(ctx[i]);
    for (int r = 0; r < bench_runs; r++) {
        for (int i = 0; i < n; i++) {
            uint64_t start = rdtsc();
            op(ctx[i]);
            runs[i][r] = rdtsc() - start;
        }
    }
    for (int i = 0; i < n; i++)
        out[i] = stats_of(runs[i], bench_runs);
}

struct stats time_runs(void (*op)(void *ctx), void *ctx)
{
    struct stats s;
    time_alternating(op, &ctx, 1, &s);
    return s;
}

void time_pairs(void (*op)(void *ctx), void *first, void *second, struct stats out[2])
{
    void *const ctx[2] = { first, second };
    time_alternating(op, ctx, 2, out);
}

void report_cycles(const char *key, struct stats s)
{
    printf("vpbench: cycles %s median %llu low %llu high %llu runs %d\n", key, s.median, s.low,
           s.high, s.runs);
}

void report_count(const char *key, uint32_t value)
{
    printf("vpbench: count %s %u\n", key, value);
}

void bench_fail(const char *what)
{
    printf("vpbench: failed: %s\n", what);
    failed = true;
}

bool bench_failed(void)
{
    return failed;
}
