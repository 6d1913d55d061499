/*
 * sysbench: the cost of a null system call and of a context switch, in TSC
 * cycles (median over many batches; under QEMU's TCG these are emulated
 * cycles, useful for ratios within one run).
 *
 *   sysbench            measure and print
 *   sysbench yielder    (child) call yield() forever
 */
#include <vidport.h>

#define BATCHES 101
#define PER_BATCH 1000

struct stats {
    uint64_t median, low, high;
};

static void sort(uint64_t *v, int n)
{
    for (int i = 1; i < n; i++) {
        uint64_t x = v[i];
        int j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

/* Per-operation cycles of op, over BATCHES batches of PER_BATCH calls. */
static struct stats measure(void (*op)(void))
{
    static uint64_t per_op[BATCHES];
    for (int b = 0; b < BATCHES; b++) {
        uint64_t start = rdtsc();
        for (int i = 0; i < PER_BATCH; i++)
            op();
        per_op[b] = (uint32_t)(rdtsc() - start) / PER_BATCH; /* a batch fits 32 bits */
    }
    sort(per_op, BATCHES);
    return (struct stats){ per_op[BATCHES / 2], per_op[0], per_op[BATCHES - 1] };
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
    return 0;
}
