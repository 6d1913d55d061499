/*
 * Core definitions every kernel file may use: fixed-width types, the
 * higher-half layout constants, kprintf and panic.
 */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The kernel is linked at KERNEL_VMA + its physical load address. */
#define KERNEL_VMA 0xC0000000u

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((a) - 1))
#define container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - offsetof(type, member)))

#define NORETURN __attribute__((noreturn))
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

/* Print to every console (serial and screen). */
void kprintf(const char *fmt, ...) PRINTF_LIKE(1, 2);
void kvprintf(const char *fmt, va_list ap);

/* Report a kernel bug: message, register dump, backtrace, then halt. */
NORETURN void panic(const char *fmt, ...) PRINTF_LIKE(1, 2);

#define KASSERT(cond)                                                      \
    do {                                                                   \
        if (!(cond))                                                       \
            panic("assertion failed: %s at %s:%d", #cond, __FILE__, __LINE__); \
    } while (0)
