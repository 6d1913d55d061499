/*
 * What a drawing program pays for its frame: sharing it, touching it, and
 * filling, copying into and reading back the whole of it through a view —
 * each next to the same operation on a plain RAM buffer of the same size.
 * The view and RAM runs use the very same functions.
 */
#include "vpbench.h"

#define PAGE 4096u

static uint8_t *ram_block, *ram_from, *ram_target; /* see bench_alloc_ram */

struct frame_op {
    HANDLE dev;
    uint8_t *target;     /* the view, or the RAM buffer */
    const uint8_t *from; /* RAM the copy reads */
    uint32_t bytes;
    uint32_t sum;        /* what read-back saw (kept so it is not optimised away) */
};

static void share_unshare(void *ctx)
{
    struct frame_op *op = ctx;
    uint8_t *view = view_share(op->dev, op->bytes);
    if (view)
        view_unshare(op->dev, view);
}

static void share_touch_unshare(void *ctx)
{
    struct frame_op *op = ctx;
    volatile uint8_t *view = view_share(op->dev, op->bytes);
    if (!view)
        return;
    for (uint32_t off = 0; off < op->bytes; off += PAGE)
        *(volatile uint32_t *)(view + off) = off;
    view_unshare(op->dev, (void *)view);
}

/* Figures 1 and 2: share + unshare, and share + a write to every page +
 * unshare with the page faults that takes. */
void bench_share(HANDLE dev, const struct geometry *g, enum view_kind kind)
{
    struct frame_op op = { .dev = dev, .bytes = frame_bytes(dev) };
    report_cycles(figure_key("share", g, kind_name(kind)), time_runs(share_unshare, &op));
    uint32_t faults = own_page_faults();
    struct stats touch = time_runs(share_touch_unshare, &op);
    report_cycles(figure_key("touch", g, kind_name(kind)), touch);
    report_count(figure_key("touch_faults", g, kind_name(kind)),
                 (own_page_faults() - faults) / (uint32_t)(touch.runs + 1));
    if (kind == VIEW_LINEAR)
        report_count(figure_key("pages", g, "frame"), (op.bytes + PAGE - 1) / PAGE);
}

static void fill(void *ctx)
{
    struct frame_op *op = ctx;
    volatile uint32_t *p = (volatile uint32_t *)op->target;
    for (uint32_t i = 0; i < op->bytes / 4; i++)
        p[i] = 0x00C0FFEEu;
}

static void copy(void *ctx)
{
    struct frame_op *op = ctx;
    memcpy(op->target, op->from, op->bytes);
}

static void read_back(void *ctx)
{
    struct frame_op *op = ctx;
    const volatile uint32_t *p = (const volatile uint32_t *)op->target;
    uint32_t sum = 0;
    for (uint32_t i = 0; i < op->bytes / 4; i++)
        sum += p[i];
    op->sum = sum;
}

/* Time one operation on the view and on RAM in alternation: WHAT.G.KIND
 * and WHAT.G.KIND-ram. */
static void time_against_ram(void (*fn)(void *), const char *what, struct frame_op *view,
                             const struct geometry *g, const char *kind)
{
    struct frame_op ram = *view;
    ram.target = ram_target;
    struct stats s[2];
    time_pairs(fn, view, &ram, s);
    char ram_kind[16];
    snprintf(ram_kind, sizeof(ram_kind), "%s-ram", kind);
    report_cycles(figure_key(what, g, kind), s[0]);
    report_cycles(figure_key(what, g, ram_kind), s[1]);
}

#define MIB (1u << 20)
#define MIB_UP(x) (((x) + MIB - 1) & ~(MIB - 1))

/* QEMU's software TLB is direct mapped: two buffers an even number of
 * pages apart (a view starts on a MiB boundary) can evict each other at
 * every access of a copy and make it ten times slower. So the copy source
 * sits an odd number of pages past a MiB boundary, and the RAM target an
 * odd number of pages past the source. */
bool bench_alloc_ram(uint32_t bytes)
{
    uint32_t span = MIB_UP(bytes);
    ram_block = malloc(2 * span + 3 * MIB);
    if (!ram_block) {
        bench_fail("allocating two RAM frames");
        return false;
    }
    ram_from = (uint8_t *)MIB_UP((uintptr_t)ram_block) + 129 * PAGE;
    ram_target = ram_from + span + 3 * PAGE;
    memset(ram_from, 0x5A, bytes);
    memset(ram_target, 0xA5, bytes);
    return true;
}

/* Figure 3 on a view of the current mode: fill, copy, read-back, each
 * against RAM; on a banked view also the bank faults one more fill takes,
 * against the number of banks. */
void bench_frame(HANDLE dev, const struct geometry *g, enum view_kind kind)
{
    uint32_t bytes = frame_bytes(dev);
    struct frame_op op = { .dev = dev, .bytes = bytes, .from = ram_from };
    op.target = view_share(dev, bytes);
    if (!op.target)
        return;
    time_against_ram(fill, "fill", &op, g, kind_name(kind));
    time_against_ram(copy, "copy", &op, g, kind_name(kind));
    time_against_ram(read_back, "read", &op, g, kind_name(kind));
    if (kind == VIEW_BANKED) {
        VIDPORT_BANKING_INFORMATION before = bank_counters(dev);
        fill(&op);
        VIDPORT_BANKING_INFORMATION after = bank_counters(dev);
        report_count(figure_key("fill_faults", g, "banked"), after.BankFaults - before.BankFaults);
        report_count(figure_key("banks", g, "banked"), bank_count(bytes, before.BankLength));
    }
    view_unshare(dev, op.target);
}
