/*
 * String functions beyond the memory/string core shared with the kernel
 * (kernel/string.c).
 */
#include <limits.h>
#include <vidport.h>

static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

/* A number as strtol and strtoul read it: optional blanks and sign, a 0x
 * prefix in base 16 (or base 0, which is 10 otherwise), then digits. */
struct number {
    const char *end;         /* after the last digit; the start if there is none */
    unsigned long magnitude; /* saturated at the limit it was read against */
    bool negative, overflow;
};

/* Read against `limit`, or `negative_limit` after a minus sign. */
static struct number read_number(const char *s, int base, unsigned long limit,
                                 unsigned long negative_limit)
{
    struct number n = { s, 0, false, false };
    while (*s == ' ' || *s == '\t')
        s++;
    n.negative = *s == '-';
    limit = n.negative ? negative_limit : limit;
    if (*s == '-' || *s == '+')
        s++;
    if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
        digit_value(s[2]) < 16) {
        s += 2;
        base = 16;
    }
    base = base ? base : 10;
    for (; digit_value(*s) < base; n.end = ++s) {
        unsigned long d = (unsigned long)digit_value(*s);
        n.overflow = n.overflow || n.magnitude > (limit - d) / (unsigned long)base;
        n.magnitude = n.overflow ? limit : n.magnitude * (unsigned long)base + d;
    }
    return n;
}

/* Beyond LONG_MAX (below LONG_MIN) the result is that limit and vp_errno
 * VP_ERANGE, as in C; the digits are all read either way. vp_errno is
 * left alone otherwise: clear it first to tell. */
long strtol(const char *s, char **end, int base)
{
    struct number n = read_number(s, base, LONG_MAX, (unsigned long)LONG_MAX + 1);
    if (end)
        *end = (char *)n.end;
    if (n.overflow)
        vp_errno = VP_ERANGE;
    if (!n.negative || n.magnitude == 0)
        return (long)n.magnitude;
    return -(long)(n.magnitude - 1) - 1; /* LONG_MIN's magnitude has no long */
}

/* Likewise beyond ULONG_MAX; a minus sign negates as unsigned, as in C. */
unsigned long strtoul(const char *s, char **end, int base)
{
    struct number n = read_number(s, base, ULONG_MAX, ULONG_MAX);
    if (end)
        *end = (char *)n.end;
    if (n.overflow)
        vp_errno = VP_ERANGE;
    return n.negative && !n.overflow ? 0 - n.magnitude : n.magnitude; /* "-1" is ULONG_MAX */
}

int atoi(const char *s)
{
    return (int)strtol(s, NULL, 10);
}
