/*
 * Console output and formatting for programs, by the same code as the
 * kernel's kprintf (kernel/format.c is linked into the user library too).
 * Its header is included here, not through <vidport.h>, so that its names
 * (kvformat, format_sink, ...) stay free for programs; they get the C
 * library's snprintf and vsnprintf instead.
 */
#include <vidport.h>

#include "kernel/format.h"

struct out_buffer {
    char text[256];
    uint32_t used;
};

static void flush(struct out_buffer *b)
{
    if (b->used)
        console_write(b->text, b->used);
    b->used = 0;
}

static void sink(char c, void *ctx)
{
    struct out_buffer *b = ctx;
    b->text[b->used++] = c;
    if (b->used == sizeof(b->text))
        flush(b);
}

int vprintf(const char *fmt, va_list ap)
{
    struct out_buffer b = { .used = 0 };
    int n = kvformat(sink, &b, fmt, ap);
    flush(&b);
    return n;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

int puts(const char *s)
{
    return printf("%s\n", s);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    return kvsnprintf(buf, size, fmt, ap);
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
