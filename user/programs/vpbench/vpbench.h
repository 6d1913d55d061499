/*
 * vpbench's parts: measurement and reporting (report.c), the figure groups
 * (system.c, views.c, banks.c) and the mode and view plumbing (modes.c).
 */
#pragma once

#include <vidport.h>

#define BENCH_MAX_RUNS 64

/* How many timed runs a figure takes (after one untimed warm-up run). */
extern int bench_runs;

/* Median, lowest and highest of a figure's runs, in TSC cycles. */
struct stats {
    uint64_t median, low, high;
    int runs;
};

/* Sort v[0..n) and summarise it. */
struct stats stats_of(uint64_t *v, int n);

/* Time op(ctx) bench_runs times after one warm-up run. */
struct stats time_runs(void (*op)(void *ctx), void *ctx);

/* Time op on two contexts in alternation (after a warm-up run of each),
 * so that a slow phase of the machine falls on both alike: out[0] for
 * first, out[1] for second. */
void time_pairs(void (*op)(void *ctx), void *first, void *second, struct stats out[2]);

/* The output lines make bench parses (tests/harness/bench.py):
 *   vpbench: cycles KEY median M low L high H runs N
 *   vpbench: count KEY VALUE                                      */
void report_cycles(const char *key, struct stats s);
void report_count(const char *key, uint32_t value);

/* Note a failed request: vpbench then ends with "vpbench: end failed". */
void bench_fail(const char *what);
bool bench_failed(void);

/* --- smp.c: the figures that need several CPUs --- */
void bench_smp(HANDLE dev);

/* Act as one of its child processes ("puller", "filler I N linear|ram"):
 * the exit status, or -1 when argv names none. */
int bench_smp_child(int argc, char **argv);

/* --- modes.c --- */

enum view_kind { VIEW_LINEAR, VIEW_BANKED };

/* A geometry the figures are taken in, and its two modes. */
struct geometry {
    uint32_t width, height, bpp;
    char name[16]; /* "800x600x32" */
};

/* Video0, or NULL (the reason printed). */
HANDLE bench_device(void);

/* Make the linear or banked mode of g current; false (reported) if the
 * adapter has no such mode or refuses it. */
bool bench_set_mode(HANDLE dev, const struct geometry *g, enum view_kind kind);

/* Whether the adapter offers both kinds of g. */
bool bench_has_twins(const struct geometry *g);

/* Set the mode current when vpbench started again. */
void bench_restore_mode(HANDLE dev);

/* Share `size` bytes of the current frame into this process; NULL (and a
 * noted failure) when refused. */
uint8_t *view_share(HANDLE dev, ULONG size);
void view_unshare(HANDLE dev, void *view);

/* The visible frame's size in bytes in the current mode. */
ULONG frame_bytes(HANDLE dev);

/* The adapter's banking counters now. */
VIDPORT_BANKING_INFORMATION bank_counters(HANDLE dev);

/* Page faults this process has taken so far. */
uint32_t own_page_faults(void);

/* Banks of bank_length bytes a view of `bytes` spans (0 when linear). */
uint32_t bank_count(uint32_t bytes, uint32_t bank_length);

/* "share.800x600x32.linear" and the like. */
const char *figure_key(const char *what, const struct geometry *g, const char *kind);
const char *kind_name(enum view_kind kind);

/* --- the groups --- */
void bench_system(void);
void bench_share(HANDLE dev, const struct geometry *g, enum view_kind kind);
/* Figure 3 in the current mode, each operation alternating with the same
 * on RAM (reported as KIND-ram). */
void bench_frame(HANDLE dev, const struct geometry *g, enum view_kind kind);
/* The RAM copy source and target of every frame figure, `bytes` each
 * (the largest frame), every page touched; false (noted) without memory. */
bool bench_alloc_ram(uint32_t bytes);
void bench_banks(HANDLE dev, const struct geometry *g);
void bench_straddle(HANDLE dev, const struct geometry *g, enum view_kind kind,
                    uint32_t bank_length);
