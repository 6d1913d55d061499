/*
 * printf-style formatting. The kernel has no libgcc, so 64-bit numbers are
 * divided with a shift-and-subtract loop instead of the compiler's helpers.
 */
#include "format.h"

#include <stdbool.h>
#include <stdint.h>

struct spec {
    bool left, zero, plus, space;
    int width;
    int precision; /* -1 when absent */
    int length;    /* -2 hh, -1 h, 0 int, 1 l, 2 ll, 3 size_t */
    char conv;
};

struct out {
    format_sink sink;
    void *ctx;
    int count;
};

static void put(struct out *o, char c)
{
    o->sink(c, o->ctx);
    o->count++;
}

static void put_repeat(struct out *o, char c, int n)
{
    while (n-- > 0)
        put(o, c);
}

uint64_t divmod_u64(uint64_t n, uint32_t d, uint32_t *rem)
{
    uint64_t quotient = 0;
    uint64_t r = 0;
    for (int bit = 63; bit >= 0; bit--) {
        r = (r << 1) | ((n >> bit) & 1);
        if (r >= d) {
            r -= d;
            quotient |= (uint64_t)1 << bit;
        }
    }
    *rem = (uint32_t)r;
    return quotient;
}

/* Digits of v in base, least significant first; returns the digit count. */
static int to_digits(uint64_t v, uint32_t base, bool upper, char *digits)
{
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    int n = 0;
    do {
        uint32_t rem;
        v = divmod_u64(v, base, &rem);
        digits[n++] = set[rem];
    } while (v);
    return n;
}

/* Emit a number with sign, precision (minimum digits) and field width. */
static void put_number(struct out *o, const struct spec *s, uint64_t v,
                       bool negative, uint32_t base)
{
    char digits[24];
    int n = to_digits(v, base, s->conv == 'X', digits);
    if (s->precision == 0 && v == 0)
        n = 0;
    int zeros = s->precision > n ? s->precision - n : 0;
    char sign = negative ? '-' : s->plus ? '+' : s->space ? ' ' : 0;
    bool hex_prefix = s->conv == 'p';
    int body = n + zeros + (sign != 0) + (hex_prefix ? 2 : 0);
    int pad = s->width > body ? s->width - body : 0;
    if (s->zero && !s->left && s->precision < 0) {
        zeros += pad;
        pad = 0;
    }
    if (!s->left)
        put_repeat(o, ' ', pad);
    if (sign)
        put(o, sign);
    if (hex_prefix) {
        put(o, '0');
        put(o, 'x');
    }
    put_repeat(o, '0', zeros);
    while (n > 0)
        put(o, digits[--n]);
    if (s->left)
        put_repeat(o, ' ', pad);
}

static void put_string(struct out *o, const struct spec *s, const char *str)
{
    if (!str)
        str = "(null)";
    int len = 0;
    while (str[len] && (s->precision < 0 || len < s->precision))
        len++;
    int pad = s->width > len ? s->width - len : 0;
    if (!s->left)
        put_repeat(o, ' ', pad);
    for (int i = 0; i < len; i++)
        put(o, str[i]);
    if (s->left)
        put_repeat(o, ' ', pad);
}

/* Parse flags, width, precision and length; returns the conversion's end. */
static const char *parse_spec(const char *f, struct spec *s, va_list *ap)
{
    *s = (struct spec){ .precision = -1 };
    for (;; f++) {
        if (*f == '-') s->left = true;
        else if (*f == '0') s->zero = true;
        else if (*f == '+') s->plus = true;
        else if (*f == ' ') s->space = true;
        else break;
    }
    if (*f == '*') {
        s->width = va_arg(*ap, int);
        if (s->width < 0) {
            s->left = true;
            s->width = -s->width;
        }
        f++;
    }
    while (*f >= '0' && *f <= '9')
        s->width = s->width * 10 + (*f++ - '0');
    if (*f == '.') {
        f++;
        s->precision = 0;
        if (*f == '*') {
            s->precision = va_arg(*ap, int);
            f++;
        }
        while (*f >= '0' && *f <= '9')
            s->precision = s->precision * 10 + (*f++ - '0');
    }
    for (;; f++) {
        if (*f == 'h') s->length--;
        else if (*f == 'l') s->length++;
        else if (*f == 'z') s->length = 3;
        else break;
    }
    s->conv = *f;
    return f;
}

static int64_t fetch_signed(const struct spec *s, va_list *ap)
{
    switch (s->length) {
    case -2: return (signed char)va_arg(*ap, int);
    case -1: return (short)va_arg(*ap, int);
    case 1: return va_arg(*ap, long);
    case 2: return va_arg(*ap, long long);
    case 3: return (int64_t)va_arg(*ap, size_t);
    default: return va_arg(*ap, int);
    }
}

static uint64_t fetch_unsigned(const struct spec *s, va_list *ap)
{
    switch (s->length) {
    case -2: return (unsigned char)va_arg(*ap, unsigned);
    case -1: return (unsigned short)va_arg(*ap, unsigned);
    case 1: return va_arg(*ap, unsigned long);
    case 2: return va_arg(*ap, unsigned long long);
    case 3: return va_arg(*ap, size_t);
    default: return va_arg(*ap, unsigned);
    }
}

/* Emit one conversion; an unknown one is copied through literally. */
static void put_conversion(struct out *o, const struct spec *s, va_list *ap)
{
    switch (s->conv) {
    case 'd':
    case 'i': {
        int64_t v = fetch_signed(s, ap);
        put_number(o, s, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10);
        break;
    }
    case 'u': put_number(o, s, fetch_unsigned(s, ap), false, 10); break;
    case 'x':
    case 'X': put_number(o, s, fetch_unsigned(s, ap), false, 16); break;
    case 'o': put_number(o, s, fetch_unsigned(s, ap), false, 8); break;
    case 'p': put_number(o, s, (uintptr_t)va_arg(*ap, void *), false, 16); break;
    case 'c': {
        char one[2] = { (char)va_arg(*ap, int), '\0' };
        struct spec padded = *s;
        padded.precision = -1;
        put_string(o, &padded, one);
        break;
    }
    case 's': put_string(o, s, va_arg(*ap, const char *)); break;
    case '%': put(o, '%'); break;
    default:
        put(o, '%');
        if (s->conv)
            put(o, s->conv);
    }
}

int kvformat(format_sink sink, void *ctx, const char *fmt, va_list ap)
{
    struct out o = { sink, ctx, 0 };
    va_list args;
    va_copy(args, ap);
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            put(&o, *f);
            continue;
        }
        struct spec s;
        f = parse_spec(f + 1, &s, &args);
        put_conversion(&o, &s, &args);
        if (!*f)
            break;
    }
    va_end(args);
    return o.count;
}

struct buffer {
    char *buf;
    size_t size;
    size_t used;
};

static void buffer_sink(char c, void *ctx)
{
    struct buffer *b = ctx;
    if (b->used + 1 < b->size)
        b->buf[b->used] = c;
    b->used++;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct buffer b = { buf, size, 0 };
    int n = kvformat(buffer_sink, &b, fmt, ap);
    if (size)
        buf[b.used < size ? b.used : size - 1] = '\0';
    return n;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
