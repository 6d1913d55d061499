/*
 * The C library's strtol and strtoul: a number too large for the type
 * gives the type's limit and VP_ERANGE, as the C standard has it, instead
 * of wrapping (`kill 4294967299` killed job 3).
 */
#include <limits.h>

#include "vpexec.h"

/* Whether strtol (is_signed) or strtoul gives value for s in base, sets
 * VP_ERANGE exactly when range says, and stops after `used` characters.
 * strtol's value is compared as the bits of an unsigned long. */
static bool parses(bool is_signed, const char *s, int base, unsigned long value, bool range,
                   size_t used)
{
    char *end = NULL;
    vp_errno = 0;
    unsigned long got = is_signed ? (unsigned long)strtol(s, &end, base) : strtoul(s, &end, base);
    bool ok = got == value && (vp_errno == VP_ERANGE) == range && end == s + used;
    if (!ok)
        printf("# %s(\"%s\", %d) = 0x%lx, vp_errno %d, %d used\n", is_signed ? "strtol" : "strtoul",
               s, base, got, vp_errno, (int)(end - s));
    return ok;
}

#define strtol_gives(...) parses(true, __VA_ARGS__)
#define strtoul_gives(...) parses(false, __VA_ARGS__)

void test_strtol_refuses_overflow(void)
{
    CHECK(strtol_gives("4294967299", 10, LONG_MAX, true, 10));
    CHECK(strtol_gives("2147483648", 10, LONG_MAX, true, 10));
    CHECK(strtol_gives("99999999999999999999x", 10, LONG_MAX, true, 20));
    CHECK(strtol_gives("-2147483649", 10, (unsigned long)LONG_MIN, true, 11));
    CHECK(strtol_gives("0x80000000", 16, LONG_MAX, true, 10));
    CHECK(strtol_gives("2147483647", 10, LONG_MAX, false, 10));
    CHECK(strtol_gives("-2147483648", 10, (unsigned long)LONG_MIN, false, 11));
    CHECK(strtol_gives(" +42 ", 10, 42, false, 4));
    CHECK(strtol_gives("0x1f", 0, 31, false, 4));
    CHECK(strtol_gives("0x", 16, 0, false, 1)); /* the 0 alone: no hex digit follows */
    CHECK(strtol_gives("kill", 10, 0, false, 0)); /* no number: end is the start */
    CHECK(strtol_gives("-", 10, 0, false, 0));
}

void test_strtoul_takes_the_whole_range(void)
{
    CHECK(strtoul_gives("4294967295", 10, ULONG_MAX, false, 10));
    CHECK(strtoul_gives("c0000000", 16, 0xC0000000ul, false, 8));
    CHECK(strtoul_gives("4294967296", 10, ULONG_MAX, true, 10));
    CHECK(strtoul_gives("0x100000000", 0, ULONG_MAX, true, 11));
    CHECK(strtoul_gives("-1", 10, ULONG_MAX, false, 2)); /* negated as unsigned, as in C */
    CHECK(strtoul_gives("", 10, 0, false, 0));
}
