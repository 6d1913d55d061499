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

/* --- NT-style basic types --- */
typedef void *HANDLE;
typedef uint32_t ULONG;
typedef int32_t LONG;
typedef uint16_t USHORT;
typedef uint8_t UCHAR;
typedef void *PVOID;

/* The calling process, as a handle. */
#define NtCurrentProcess() ((HANDLE)(intptr_t)-1)

/* --- processes --- */

/* Start bundled program `name` with an argument string (may be NULL).
 * Returns its handle, or NULL (vp_errno says why). */
HANDLE spawn(const char *name, const char *args);

/* Wait for a child; *status gets its exit status, or VP_STATUS_KILLED.
 * Returns 0 or a negative VP_E* error. */
int wait(HANDLE process, int *status);

/* End a process (its wait status becomes VP_STATUS_KILLED). */
int kill(HANDLE process);

__attribute__((noreturn)) void exit(int status);
int getpid(void);
int sleep_ms(uint32_t ms);
void yield(void);

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
int meminfo(struct vp_meminfo *out);

/* A raw system call, for tests that pass arguments the wrappers would not. */
int32_t vp_syscall(uint32_t number, uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e);

/* --- memory and strings --- */
void *malloc(size_t size);
void *calloc(size_t count, size_t size);
void free(void *p);
char *strchr(const char *s, int c);
long strtol(const char *s, char **end, int base);
int atoi(const char *s);
