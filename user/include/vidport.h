/*
 * <vidport.h>: everything a vidport program may use. Programs include only
 * this header; the numbers and structures shared with the kernel come from
 * kernel/abi/.
 */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/abi/vidport_abi.h"
#include "kernel/format.h"  /* snprintf and vsnprintf, shared with the kernel */
#include "kernel/kstring.h" /* memcpy, memset, strlen, strcmp, ... */

/* --- processes --- */

/* Start bundled program `name` with an argument string (may be NULL).
 * Returns its handle, or NULL (vp_errno says why). */
HANDLE spawn(const char *name, const char *args);

/* Wait for a child; *status gets its exit status, or VP_STATUS_KILLED.
 * Returns 0 or a negative VP_E* error. */
int wait(HANDLE process, int *status);

/* End this process (NtCurrentProcess() or its own pid) or a child it
 * started; its wait status becomes VP_STATUS_KILLED. -1 (vp_errno
 * VP_ESRCH) for any other process. */
int kill(HANDLE process);

__attribute__((noreturn)) void exit(int status);
int getpid(void);
int sleep_ms(uint32_t ms);
void yield(void);

/* Set the scheduler's time slice, for every process, to `ticks` timer ticks
 * (SCHED_SLICE_MIN..SCHED_SLICE_MAX). Returns the previous length, or -1
 * (vp_errno VP_EINVAL) when out of range. */
int sched_slice(uint32_t ticks);

/* Grow the heap by delta bytes; the old break, or (void *)-1. */
void *sbrk(intptr_t delta);

/* The pid behind a handle from spawn(). */
static inline int handle_pid(HANDLE h) { return (int)(intptr_t)h; }

/* The last error of a call that returns NULL or -1 (a VP_E* code). */
extern int vp_errno;

/* --- console --- */
int console_write(const char *buf, uint32_t len);
/* Read one line (including its '\n'), at most len bytes; blocks. */
int console_read(char *buf, uint32_t len);

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int puts(const char *s);
#define snprintf ksnprintf
#define vsnprintf kvsnprintf

/* --- time and system information --- */
int clock_get(struct vp_clock *out);
static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}
/* Names of the bundled programs, NUL-separated; returns the bytes used. */
int programs_list(char *buf, uint32_t len);
int process_list(struct vp_process_info *out, uint32_t max);
/* The entry of process pid in the process list; false if it has none. */
bool process_info(int pid, struct vp_process_info *out);
int meminfo(struct vp_meminfo *out);

/* Run the kernel's consistency check: the number of findings (each printed
 * on the console by the kernel), or -1; *out (if not NULL) gets the
 * figures and the first finding. */
int kcheck(struct vp_kcheck *out);

/* Arm the kernel's allocation failure injection for this process (see
 * SYS_FAULT_INJECT); *last (if not NULL) gets the report of the previous
 * arming. 0, or -1 (vp_errno VP_ENOSYS without the `faultinject` option). */
int fault_inject(uint32_t kind, uint32_t nth, struct vp_inject_report *last);

/* A raw system call, for tests that pass arguments the wrappers would not. */
int32_t vp_syscall(uint32_t number, uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e);

/* --- memory and strings --- */
void *malloc(size_t size);
void *calloc(size_t count, size_t size);
void free(void *p);
char *strchr(const char *s, int c);

/* Copy with one `rep movsb` (bytes) or one `rep movsd` (dwords): a single
 * instruction for the whole copy, where memcpy uses two. */
void rep_movsb(volatile void *dst, const volatile void *src, size_t bytes);
void rep_movsd(volatile void *dst, const volatile void *src, size_t dwords);
long strtol(const char *s, char **end, int base);
int atoi(const char *s);

/* --- video (the NT structures and codes come from kernel/abi/video.h) --- */

/* Open an adapter by name ("Video0"); NULL if there is none. */
HANDLE video_open(const char *name);

/* DeviceIoControl with METHOD_BUFFERED semantics: in and out may be the same
 * buffer. Returns the VP_STATUS; *returned (if not NULL) gets the bytes of
 * output (STATUS_BLOCK.Information). */
VP_STATUS video_control(HANDLE dev, ULONG code, void *in, ULONG in_len, void *out,
                        ULONG out_len, ULONG *returned);

/* The NTSTATUS the last video_control request completed with. */
NTSTATUS video_last_ntstatus(void);

/* Run the display driver's DdMapMemory for this process: returns
 * DDHAL_DRIVER_HANDLED or DDHAL_DRIVER_NOTHANDLED; fills ddRVal and
 * (when mapping) fpProcess. */
ULONG dd_map_memory(DD_MAPMEMORYDATA *data);

/* The raw page-table entry behind a user address (VP_PTE_* bits), 0 if none. */
uint32_t page_entry(const void *va);

/* A readable name for a VP_STATUS ("ERROR_INVALID_PARAMETER"). */
const char *vp_status_name(VP_STATUS status);

/* The screen as drawing programs use it: Video0's current mode and a
 * shared view of its visible frame. */
struct screen {
    HANDLE dev;
    VIDEO_MODE_INFORMATION mode;
    uint8_t *base; /* the view: pixel (x, y) at base + y * stride + x * bytes */
    ULONG size;
};

/* Open Video0, read its mode and share the visible frame. On failure prints
 * "<program>: <what failed>: <status>" and returns the status. */
VP_STATUS screen_open(struct screen *s, const char *program);

/* Share the visible frame again (after a mode change revoked the view). */
VP_STATUS screen_share(struct screen *s, const char *program);

/* Unshare the view; prints an error on failure. */
VP_STATUS screen_close(struct screen *s, const char *program);

/* True while the view is live (not revoked by a mode change). */
bool screen_view_live(const struct screen *s);

/* The pixel value that shows colour 0xRRGGBB in the current mode: each
 * 8-bit channel keeps its top bits, as many as the mode's mask has. */
uint32_t screen_pack(const struct screen *s, uint32_t rgb);

/* A 24-bit value stored or loaded a byte at a time, low byte first (how a
 * 24 bpp pixel is written). */
void pixel24_store(volatile uint8_t *p, uint32_t value);
uint32_t pixel24_load(const volatile uint8_t *p);

/* A reproducible 32-bit value for position i of a pattern named by seed,
 * for programs that write video memory and read it back. */
uint32_t pattern_value(uint32_t i, uint32_t seed);

/* Store one pixel value at (x, y) (1, 2, 3 or 4 bytes). */
void screen_put(const struct screen *s, uint32_t x, uint32_t y, uint32_t pixel);

/* Load the pixel value at (x, y), as screen_put stores it. */
uint32_t screen_get(const struct screen *s, uint32_t x, uint32_t y);

/* Fill a rectangle with one pixel value (clipped to the screen). */
void screen_fill(const struct screen *s, uint32_t x, uint32_t y, uint32_t w, uint32_t h,
                 uint32_t pixel);

/* The documented test picture gradient and ddraw draw: on a W x H screen
 * pixel (x, y) is red = x * 255 / (W - 1), green = y * 255 / (H - 1),
 * blue = (x XOR y) AND 255 (integer division), as 0xRRGGBB. */
uint32_t screen_gradient_rgb(uint32_t x, uint32_t y, uint32_t w, uint32_t h);

/* Keep a picture on screen: `how` is a time in milliseconds, "wait" (until
 * a line is typed) or NULL (2000 ms). screen_hold_valid says whether `how`
 * is one of those. */
bool screen_hold_valid(const char *how);
void screen_hold(const char *how);

/* Parse a whole non-negative decimal number of at most 9 digits. */
bool parse_uint(const char *s, uint32_t *out);

/* Sort v[0..n) ascending (for medians of measurements). */
void sort_u64(uint64_t *v, int n);
