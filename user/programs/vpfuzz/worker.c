/*
 * A worker: OPS operations drawn from a weighted table, cheap ones often
 * and expensive ones (mode sets, child processes) rarely, the data
 * oracle's among them. Every operation must end in a result the kernel
 * documents; anything else is a finding, printed and counted, and the
 * worker then exits 1. In a strict run the kernel's consistency check
 * follows every operation, and a finding of it is one of the run. A busy
 * child draws from the same table without the operations that start
 * children (a child of its would outlive it when it is killed) and
 * without the oracle's (it owns no stripe).
 *
 * Before the first operation the worker makes every page it will touch
 * present (its image, its stack, the scratch buffer): with allocation
 * failure injection armed, a page fault of its own would otherwise be
 * refused its frame and kill it.
 */
#include <vputil.h>
#include "vpfuzz.h"

#define PROGRAM_BASE 0x08048000u
#define STACK_PREFAULT (32 * 1024)
#define FINDINGS_PRINTED 20
#define INJECT_NTH_MAX 8

#define ORACLE_WEIGHT 110  /* about a tenth of all operations */
#define ORACLE_HEAVY 1000  /* about half */

struct fuzz fz;

static void op_inject(void);

/* Not const: the oracle's weight is the run's choice (see set_up_oracle). */
static struct op ops[] = {
    { "syscall", 160, op_syscall },
    { "ioctl", 160, op_ioctl },
    { "raw-control", 40, op_raw_control },
    { "raw-dd", 20, op_raw_dd },
    { "touch", 200, op_touch },
    { "copy", 30, op_copy },
    { "share", 60, op_share },
    { "unshare", 50, op_unshare },
    { "query", 40, op_query },
    { "map", 25, op_map },
    { "dd", 25, op_dd },
    { "inject", 40, op_inject },
    { "mode", 8, op_mode },
    { "oracle", 0, op_oracle },
    { "probe", 6, op_probe },
    { "share-child", 3, op_share_child },
    { "spawn", 3, op_spawn },
    { "busy", 3, op_busy },
    { "crowd", 1, op_crowd },
    { "orphans", 1, op_orphans },
    { "hoard", 1, op_hoard },
};
#define OPS (sizeof(ops) / sizeof(ops[0]))
#define CHILDLESS_OPS (OPS - 7) /* the table without the last seven */

/* Operations that only call the kernel: safe while injection is armed
 * (children's allocations are theirs, not counted). Those that allocate
 * (views, kernel mappings, mode changes, processes) weigh most; the last
 * three start children, which a busy child must not. */
static const struct op kernel_ops[] = {
    { "inject-share", 8, op_share },
    { "inject-dd", 4, op_dd },
    { "inject-map", 4, op_map },
    { "inject-mode", 2, op_mode },
    { "inject-syscall", 2, op_syscall },
    { "inject-ioctl", 2, op_ioctl },
    { "inject-raw-control", 1, op_raw_control },
    { "inject-unshare", 1, op_unshare },
    { "inject-spawn", 2, op_spawn },
    { "inject-share-child", 2, op_share_child },
    { "inject-crowd", 1, op_crowd },
};
#define KERNEL_OPS (sizeof(kernel_ops) / sizeof(kernel_ops[0]))
#define CHILDLESS_KERNEL_OPS (KERNEL_OPS - 3)

void finding(const char *fmt, ...)
{
    if (fz.findings++ >= FINDINGS_PRINTED)
        return;
    char text[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    printf("vpfuzz: finding: pid %d op %s%s: %s\n", fz.pid, fz.op,
           fz.injecting ? " (injecting)" : "", text);
}

void expect_status(const char *what, VP_STATUS status, const VP_STATUS *allowed, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (status == allowed[i])
            return;
    }
    finding("%s: %s (%d)", what, vp_status_name(status), (int)status);
}

/* An operation drawn by weight. */
static const struct op *draw(const struct op *table, uint32_t count)
{
    uint32_t total = 0;
    for (uint32_t i = 0; i < count; i++)
        total += table[i].weight;
    uint32_t x = rng_below(&fz.rng, total);
    for (uint32_t i = 0;; i++) {
        if (x < table[i].weight)
            return &table[i];
        x -= table[i].weight;
    }
}

void run_one_of(const struct op *table, uint32_t count)
{
    const struct op *op = draw(table, count);
    fz.op = op->name;
    op->run();
}

/* Arm the nth frame or heap allocation to fail, run one operation that
 * only calls the kernel, disarm. Without the `faultinject` option the
 * arming is refused and the operation runs plain. */
static void op_inject(void)
{
    uint32_t kind = rng_one_in(&fz.rng, 4) ? VP_INJECT_FRAME : VP_INJECT_HEAP;
    /* Most operations make only a few allocations: aim there mostly. */
    uint32_t nth = 1 + rng_below(&fz.rng, rng_one_in(&fz.rng, 4) ? INJECT_NTH_MAX : 3);
    const struct op *op = draw(kernel_ops, fz.busy ? CHILDLESS_KERNEL_OPS : KERNEL_OPS);
    fz.injecting = fault_inject(kind, nth, NULL) == 0;
    fz.op = op->name;
    op->run();
    struct vp_inject_report report = { 0 };
    if (fz.injecting && fault_inject(VP_INJECT_OFF, 0, &report) == 0 && report.fired)
        fz.injections++;
    fz.injecting = false;
}

/* A stack deep enough for any operation, present from the start; the
 * sum keeps the compiler from dropping the stores. */
static uint32_t prefault_stack(void)
{
    volatile uint8_t pad[STACK_PREFAULT];
    uint32_t sum = 0;
    for (uint32_t i = 0; i < STACK_PREFAULT; i += FUZZ_PAGE) {
        pad[i] = (uint8_t)i;
        sum += pad[i];
    }
    return sum;
}

static void prefault(const volatile uint8_t *from, uint32_t to)
{
    for (uint32_t va = (uint32_t)from; va < to; va += FUZZ_PAGE)
        (void)*(const volatile uint8_t *)va;
}

void prefault_self(uint32_t image_end)
{
    prefault((const uint8_t *)PROGRAM_BASE, image_end);
    (void)prefault_stack();
}

/* A worker's oracle: its model's memory and its share of the operations. */
static bool set_up_oracle(const struct worker_args *a)
{
    uint32_t weight = a->stripe < 0 ? 0 : a->oracle_heavy ? ORACLE_HEAVY : ORACLE_WEIGHT;
    fz.stripe = a->stripe;
    for (uint32_t i = 0; i < OPS; i++) {
        if (ops[i].run == op_oracle)
            ops[i].weight = weight;
    }
    return a->stripe < 0 || oracle_setup();
}

/* Lay out memory (see vpfuzz.h: the oracle's model, then the scratch) and
 * learn the adapter's modes. */
static bool setup(const struct worker_args *a)
{
    struct vp_process_info me;
    rng_seed(&fz.rng, a->seed);
    fz.pid = getpid();
    fz.parent = process_info(fz.pid, &me) ? me.parent : 0;
    fz.procs = a->procs;
    fz.strict = a->strict;
    fz.image_end = (uint32_t)sbrk(0) - FUZZ_PAGE; /* one page is left free below the heap */
    if (!set_up_oracle(a))
        return false;
    fz.scratch = sbrk(FUZZ_SCRATCH);
    fz.heap_floor = (uint32_t)sbrk(0);
    if (fz.scratch == (void *)-1)
        return false;
    memset(fz.scratch, 0, FUZZ_SCRATCH);
    prefault_self(fz.image_end);
    ULONG bytes = 0;
    fz.dev = video_open("Video0");
    if (!fz.dev || video_control(fz.dev, IOCTL_VIDEO_QUERY_AVAIL_MODES, NULL, 0, fz.modes,
                                 sizeof(fz.modes), &bytes) != NO_ERROR)
        return false;
    fz.mode_count = bytes / sizeof(fz.modes[0]);
    return true;
}

/* A strict run's check after an operation: the kernel's consistency
 * check must find nothing (it prints what it finds on the console). */
static void strict_check(void)
{
    struct vp_kcheck k;
    int findings = kcheck(&k);
    if (findings != 0)
        finding("kcheck after the operation: %d findings, the first: %s", findings,
                findings > 0 ? k.first : "(no report)");
}

/* Draw and run `count` operations from the first `table_size` of ops. */
static void run_ops(uint32_t table_size, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++) {
        run_one_of(ops, table_size);
        if (fz.strict)
            strict_check();
    }
}

int worker_main(const struct worker_args *a)
{
    if (!setup(a)) {
        printf("vpfuzz: worker %d cannot set up (no Video0 or no memory)\n", getpid());
        return 2;
    }
    run_ops(OPS, a->ops);
    char oracle[96];
    oracle_figures(oracle, sizeof(oracle));
    printf("vpfuzz: worker %d seed %u ops %u findings %u probes %u skipped %u mode-sets %u "
           "injected %u fills %u hoards %u %s\n", fz.pid, a->seed, a->ops, fz.findings, fz.probes,
           fz.probes_skipped, fz.mode_sets, fz.injections, fz.fills, fz.hoards, oracle);
    return fz.findings ? 1 : 0;
}

int busy_main(const struct worker_args *a)
{
    fz.busy = true;
    if (!setup(a))
        return 2;
    run_ops(CHILDLESS_OPS, a->ops);
    return fz.findings ? 1 : 0;
}
