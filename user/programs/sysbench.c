/*
 * sysbench: the cost of a null system call, of a context switch and of
 * sharing and unsharing the whole visible frame (800x600x32 at boot), in TSC
 * cycles (median over many batches; under QEMU's TCG these are emulated
 * cycles, useful for ratios within one run).
 *
 *   sysbench            measure and print
 *   sysbench yielder    (child) call yield() forever
 */
#include <vidport.h>

#define BATCHES 101
#define PER_BATCH 1000
#define SHARE_BATCHES 21
#define SHARE_PER_BATCH 10

struct stats {
    uint64_t median, low, high;
};

/* Per-operation cycles of op, over `batches` batches of `per_batch` calls
 * (batches <= BATCHES; a batch must take under 2^32 cycles). */
static struct stats measure_batches(void (*op)(void), int batches, uint32_t per_batch)
{
    static uint64_t per_op[BATCHES];
    for (int b = 0; b < batches; b++) {
        uint64_t start = rdtsc();
        for (uint32_t i = 0; i < per_batch; i++)
            op();
        per_op[b] = (uint32_t)(rdtsc() - start) / per_batch;
    }
    sort_u64(per_op, batches);
    return (struct stats){ per_op[batches / 2], per_op[0], per_op[batches - 1] };
}

static struct stats measure(void (*op)(void))
{
    return measure_batches(op, BATCHES, PER_BATCH);
}

static struct screen bench_screen;
static bool share_failed;

/* Share the visible frame and give it back. */
static void share_unshare(void)
{
    share_failed |= screen_share(&bench_screen, "sysbench") != NO_ERROR ||
                    screen_close(&bench_screen, "sysbench") != NO_ERROR;
}

/* The share + unshare figure, or false if there is no adapter. */
static bool report_share(void)
{
    if (screen_open(&bench_screen, "sysbench") != NO_ERROR ||
        screen_close(&bench_screen, "sysbench") != NO_ERROR)
        return false;
    struct stats s = measure_batches(share_unshare, SHARE_BATCHES, SHARE_PER_BATCH);
    char what[48];
    snprintf(what, sizeof(what), "share + unshare %ux%ux%u view",
             bench_screen.mode.VisScreenWidth, bench_screen.mode.VisScreenHeight,
             bench_screen.mode.BitsPerPlane);
    printf("%-44s median %7llu cycles (range %llu..%llu)\n", what, s.median, s.low, s.high);
    return !share_failed;
}

static void null_syscall(void)
{
    getpid();
}

static void report(const char *what, struct stats s)
{
    printf("%-44s median %7llu cycles (range %llu..%llu)\n", what, s.median, s.low, s.high);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "yielder") == 0)
        for (;;)
            yield();
    struct stats null = measure(null_syscall);
    struct stats alone = measure(yield);
    HANDLE child = spawn("sysbench", "yielder");
    if (!child) {
        printf("sysbench: cannot start the yielding child\n");
        return 1;
    }
    struct stats pair = measure(yield);
    kill(child);
    wait(child, NULL);
    report("null system call (getpid)", null);
    report("yield, nothing else runnable", alone);
    report("yield round trip with a second process", pair);
    uint64_t one = pair.median > 2 * null.median ? (pair.median - 2 * null.median) / 2 : 0;
    printf("%-44s about   %7llu cycles\n", "context switch (process to process)", one);
    return report_share() ? 0 : 1;
}
