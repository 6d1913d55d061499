/*
 * <vputil.h>: the measuring, copying and parsing helpers vidport's own
 * programs and tests share (TSC reads, single-instruction copies, test
 * patterns, argument parsing, sorting, one process's entry). Not part of
 * the public interface (<vidport.h>), so their names stay free for
 * programs that do not include this header.
 */
#pragma once

#include <vidport.h>

/* The time stamp counter, in CPU cycles. */
static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

/* Copy with one `rep movsb` (bytes) or one `rep movsd` (dwords): a single
 * instruction for the whole copy, where memcpy uses two. */
void rep_movsb(volatile void *dst, const volatile void *src, size_t bytes);
void rep_movsd(volatile void *dst, const volatile void *src, size_t dwords);

/* A reproducible 32-bit value for position i of a pattern named by seed,
 * for programs that write video memory and read it back. */
uint32_t pattern_value(uint32_t i, uint32_t seed);

/* Parse a whole non-negative decimal number of at most 9 digits. */
bool parse_uint(const char *s, uint32_t *out);

/* Sort v[0..n) ascending (for medians of measurements). */
void sort_u64(uint64_t *v, int n);

/* Room for the whole process list: as many as the kernel runs at once. */
#define PROCESS_LIST_MAX 64

/* The entry of process pid in the process list; false if it has none. */
bool process_info(int pid, struct vp_process_info *out);

/* The longest the kernel may keep interrupts off in one stretch, under
 * QEMU's TCG, past which a test has found a freeze: in a call that does a
 * bounded piece of work (a write, the process list), in one that repaints
 * a whole frame (a mode set: up to 3 MiB of pixels, perhaps through a bank
 * window), and anywhere in a fuzz run, where every kind of call mixes with
 * every other and the machine may be loaded. */
#define LATENCY_BOUND_US 50000u
#define LATENCY_FRAME_BOUND_US 100000u
#define LATENCY_FUZZ_BOUND_US 250000u

/* Print the kernel's longest stretch with interrupts off since the last
 * reset of the figures, as "WHO: interrupts off at most N us (CAUSE),
 * bound B us" (B: the fuzz bound), and, for each cause past the bound, a
 * "WHO: finding: ..." line too. True when every cause is within it. */
bool latency_check(const char *who);
