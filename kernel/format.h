/*
 * printf-style formatting without a C library, shared by kprintf and by
 * anything that formats into a buffer. Supports %d %i %u %x %X %o %c %s %p
 * %%, the flags '-', '0', '+', ' ', field width and precision (also '*'),
 * and the length modifiers hh, h, l, ll, z.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Receives each formatted character in order. */
typedef void (*format_sink)(char c, void *ctx);

/* Format into a sink; returns the number of characters produced. */
int kvformat(format_sink sink, void *ctx, const char *fmt, va_list ap);

/*
 * Format into buf (always NUL-terminated when size > 0); returns the length
 * the full result would have, like C99 vsnprintf.
 */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* n / d with the remainder in *rem, using only 32-bit arithmetic (the
 * kernel has no 64-bit division routine). */
uint64_t divmod_u64(uint64_t n, uint32_t d, uint32_t *rem);
