/*
 * The kernel's fixed costs: a null system call and a context switch.
 * Both are too short to time one at a time, so each run times a batch.
 */
#include <vputil.h>
#include "vpbench.h"

#define PER_BATCH 200

/* Cycles per call of op, PER_BATCH calls per run. */
static struct stats per_call(void (*op)(void))
{
    static uint64_t runs[BENCH_MAX_RUNS];
    for (int r = 0; r < bench_runs; r++) {
        uint64_t start = rdtsc();
        for (int i = 0; i < PER_BATCH; i++)
            op();
        runs[r] = (uint32_t)(rdtsc() - start) / PER_BATCH;
    }
    return stats_of(runs, bench_runs);
}

static void null_call(void)
{
    getpid();
}

static void yield_call(void)
{
    yield();
}

/* A yield with one other runnable process is two system calls and two
 * switches; what is not system call is the switch. */
static struct stats switch_from(struct stats pair, struct stats null)
{
    struct stats s = pair;
    uint64_t *fields[3] = { &s.median, &s.low, &s.high };
    for (int i = 0; i < 3; i++)
        *fields[i] = *fields[i] > 2 * null.median ? (*fields[i] - 2 * null.median) / 2 : 0;
    return s;
}

void bench_system(void)
{
    struct stats null = per_call(null_call);
    report_cycles("syscall.null", null);
    HANDLE child = spawn("vpbench", "yielder");
    if (!child) {
        bench_fail("starting the yielding child");
        return;
    }
    yield(); /* let the child reach its loop */
    struct stats pair = per_call(yield_call);
    kill(child);
    wait(child, NULL);
    report_cycles("switch.context", switch_from(pair, null));
}
