/*
 * Measuring and reporting: every figure is a set of timed runs summarised
 * as median, lowest and highest, printed in one line the host parses.
 */
#include "vpbench.h"

int bench_runs = 3;
static bool failed;

struct stats stats_of(uint64_t *v, int n)
{
    sort_u64(v, n);
    return (struct stats){ .median = v[n / 2], .low = v[0], .high = v[n - 1], .runs = n };
}

struct stats time_runs(void (*op)(void *ctx), void *ctx)
{
    static uint64_t runs[BENCH_MAX_RUNS];
    op(ctx); /* warm-up: first touches and caches are not what is measured */
    for (int r = 0; r < bench_runs; r++) {
        uint64_t start = rdtsc();
        op(ctx);
        runs[r] = rdtsc() - start;
    }
    return stats_of(runs, bench_runs);
}

void time_pairs(void (*op)(void *ctx), void *first, void *second, struct stats out[2])
{
    static uint64_t runs[2][BENCH_MAX_RUNS];
    void *ctx[2] = { first, second };
    for (int i = 0; i < 2; i++)
        op(ctx[i]);
    for (int r = 0; r < bench_runs; r++) {
        for (int i = 0; i < 2; i++) {
            uint64_t start = rdtsc();
            op(ctx[i]);
            runs[i][r] = rdtsc() - start;
        }
    }
    for (int i = 0; i < 2; i++)
        out[i] = stats_of(runs[i], bench_runs);
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
