/*
 * String functions beyond the memory/string core shared with the kernel
 * (kernel/string.c).
 */
#include <vidport.h>

char *strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (!*s)
            return NULL;
    }
}

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

long strtol(const char *s, char **end, int base)
{
    while (*s == ' ' || *s == '\t')
        s++;
    bool negative = *s == '-';
    if (*s == '-' || *s == '+')
        s++;
    if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
        base = 16;
    }
    base = base ? base : 10;
    unsigned long v = 0;
    for (; digit_value(*s) < base; s++)
        v = v * base + digit_value(*s);
    if (end)
        *end = (char *)s;
    return negative ? -(long)v : (long)v;
}

int atoi(const char *s)
{
    return (int)strtol(s, NULL, 10);
}
