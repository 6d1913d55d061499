/*
 * What banking costs: one bank switch, and a copy from one bank to the
 * next, which on one-window hardware needs both banks at once (a
 * straddle) and on two-window hardware does not.
 */
#include <vputil.h>
#include "vpbench.h"

#define COPY_BYTES 4096u

/* Figure 4's switch cost: touches of the banks in order, so every touch
 * needs a bank the window does not show; and, touch by touch, the part of
 * it spent in the miniport's bank routine. */
void bench_banks(HANDLE dev, const struct geometry *g)
{
    static uint64_t touch[BENCH_MAX_RUNS], routine[BENCH_MAX_RUNS];
    uint32_t bytes = frame_bytes(dev);
    uint8_t *view = view_share(dev, bytes);
    uint32_t bank_length = bank_counters(dev).BankLength;
    uint32_t banks = bank_count(bytes, bank_length);
    if (!view || banks < 2) {
        bench_fail("a banked view of more than one bank");
        return;
    }
    for (int r = 0; r < bench_runs; r++) {
        volatile uint8_t *p = view + ((uint32_t)r % banks) * bank_length;
        VIDPORT_BANKING_INFORMATION before = bank_counters(dev);
        uint64_t start = rdtsc();
        *p = (uint8_t)r;
        touch[r] = rdtsc() - start;
        routine[r] = bank_counters(dev).RoutineCycles - before.RoutineCycles;
    }
    view_unshare(dev, view);
    report_cycles(figure_key("bankswitch", g, "banked"), stats_of(touch, bench_runs));
    report_cycles(figure_key("routine", g, "banked"), stats_of(routine, bench_runs));
}

struct bank_copy {
    uint8_t *view;
    uint32_t bank_length, pairs, next;
};

/* Copy COPY_BYTES from the start of one bank to the start of the next,
 * a different pair each time. */
static void copy_to_next_bank(void *ctx)
{
    struct bank_copy *c = ctx;
    uint8_t *from = c->view + (c->next++ % c->pairs) * c->bank_length;
    memcpy(from + c->bank_length, from, COPY_BYTES);
}

/* Figure 5 in the current mode (linear or banked): copies between
 * neighbouring banks of bank_length bytes (the banked twin's, so that both
 * kinds copy the same bytes). */
void bench_straddle(HANDLE dev, const struct geometry *g, enum view_kind kind,
                    uint32_t bank_length)
{
    uint32_t bytes = frame_bytes(dev);
    VIDPORT_BANKING_INFORMATION before = bank_counters(dev);
    struct bank_copy c = { .view = view_share(dev, bytes), .bank_length = bank_length,
                           .pairs = bank_length ? bytes / bank_length - 1 : 0 };
    if (!c.view || c.pairs == 0) {
        bench_fail("a view of at least two banks");
        return;
    }
    struct stats s = time_runs(copy_to_next_bank, &c);
    VIDPORT_BANKING_INFORMATION after = bank_counters(dev);
    view_unshare(dev, c.view);
    report_cycles(figure_key("straddle", g, kind_name(kind)), s);
    if (kind == VIEW_BANKED) {
        report_count(figure_key("straddles", g, "banked"),
                     after.StraddleResolutions - before.StraddleResolutions);
        report_count(figure_key("straddle_copies", g, "banked"), (uint32_t)s.runs + 1);
        report_count(figure_key("window_slots", g, "banked"), before.WindowSlots);
    }
}
