/*
 * What banking costs: one bank switch, and a copy from one bank to the
 * next, which on one-window hardware needs both banks at once (a
 * straddle) and on two-window hardware does not.
 */
#include <vputil.h>
#include "vpbench.h"

#define COPY_BYTES 4096u

/* The lowest bank that no window slot shows now, of a view starting at
 * bank 0 with more than two banks (there are at most two slots). */
static uint32_t unshown_bank(HANDLE dev, uint32_t banks)
{
    VIDPORT_BANKING_INFORMATION info = bank_counters(dev);
    uint32_t bank = 0;
    while (bank < banks && (bank == info.SlotBank[0] || bank == info.SlotBank[1]))
        bank++;
    return bank;
}

/* The bank routine's cycles per switch outside a fault, run by run: a
 * system call whose output lands in a bank no slot shows makes the port
 * borrow slot 0 for the copy and give it back, two routine calls with no
 * fault around them (what the emulator charges for a switch alone). */
static struct stats bare_routine(HANDLE dev, uint8_t *view, uint32_t bank_length, uint32_t banks)
{
    static uint64_t per_switch[BENCH_MAX_RUNS];
    struct vp_clock *out = (struct vp_clock *)(view + unshown_bank(dev, banks) * bank_length);
    for (int r = 0; r < bench_runs; r++) {
        VIDPORT_BANKING_INFORMATION before = bank_counters(dev);
        if (clock_get(out) != 0)
            bench_fail("a system call's output in a banked view");
        VIDPORT_BANKING_INFORMATION after = bank_counters(dev);
        uint32_t switches = after.BankSwitches - before.BankSwitches;
        uint32_t cycles = (uint32_t)(after.RoutineCycles - before.RoutineCycles);
        per_switch[r] = switches ? cycles / switches : 0;
    }
    return stats_of(per_switch, bench_runs);
}

/* Figure 4's switch cost: touches of the banks in order, so every touch
 * needs a bank the window does not show; touch by touch, the part of it
 * spent in the miniport's bank routine; and that routine outside a fault. */
void bench_banks(HANDLE dev, const struct geometry *g)
{
    static uint64_t touch[BENCH_MAX_RUNS], routine[BENCH_MAX_RUNS];
    uint32_t bytes = frame_bytes(dev);
    uint8_t *view = view_share(dev, bytes);
    uint32_t bank_length = bank_counters(dev).BankLength;
    uint32_t banks = bank_count(bytes, bank_length);
    if (!view || banks < 3) {
        bench_fail("a banked view of more than two banks");
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
    struct stats bare = bare_routine(dev, view, bank_length, banks);
    view_unshare(dev, view);
    report_cycles(figure_key("bankswitch", g, "banked"), stats_of(touch, bench_runs));
    report_cycles(figure_key("routine", g, "banked"), stats_of(routine, bench_runs));
    report_cycles(figure_key("routine_bare", g, "banked"), bare);
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
