/*
 * Console output for programs, formatted by the same code as the kernel's
 * kprintf (kernel/format.c is linked into the user library too).
 */
#include <vidport.h>

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
