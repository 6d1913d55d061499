/*
 * <vidport.h>: the public interface of vidport for programs: the NT video
 * ABI (kernel/abi/video.h), vidport's system calls and the small C library.
 * The numbers and structures shared with the kernel come from kernel/abi/.
 * It declares nothing else, so a program written against the NT
 * definitions keeps every other name for itself; the helpers vidport's own
 * programs and tests share live in <vpdraw.h> and <vputil.h>.
 */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/abi/vidport_abi.h"
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
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* --- time and system information --- */
int clock_get(struct vp_clock *out);
/* Names of the bundled programs, NUL-separated; returns the bytes used. */
int programs_list(char *buf, uint32_t len);
int process_list(struct vp_process_info *out, uint32_t max);
/* The online processors, as many as max of them in out: how many are online. */
int cpu_list(struct vp_cpu_info *out, uint32_t max);

/* TSC cycles per round of `rounds` one-page TLB shootdowns that every
 * other CPU answers (for benchmarks; 1 to VP_TLB_PROBE_MAX), or -1. */
int tlb_probe(uint32_t rounds);
int meminfo(struct vp_meminfo *out);

/* Run the kernel's consistency check: the number of findings (each printed
 * on the console by the kernel), or -1; *out (if not NULL) gets the
 * figures and the first finding. */
int kcheck(struct vp_kcheck *out);

/* Arm the kernel's allocation failure injection for this process (see
 * SYS_FAULT_INJECT); *last (if not NULL) gets the report of the previous
 * arming. 0, or -1 (vp_errno VP_ENOSYS without the `faultinject` option). */
int fault_inject(uint32_t kind, uint32_t nth, struct vp_inject_report *last);

/* The kernel's longest stretches with interrupts off (see SYS_LATENCY), and
 * with reset true, start counting again (only a program without a parent
 * may: VP_EPERM otherwise). 0, or -1. */
int latency_get(struct vp_latency *out, bool reset);

/* A raw system call, for tests that pass arguments the wrappers would not. */
int32_t vp_syscall(uint32_t number, uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e);

/* --- memory and strings --- */
void *malloc(size_t size);
void *calloc(size_t count, size_t size);
void free(void *p);
char *strchr(const char *s, int c);
/* Numbers too large for the type give its limit and vp_errno VP_ERANGE
 * (vp_errno is untouched otherwise). */
long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
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

