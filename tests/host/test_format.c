/*
 * kvformat/ksnprintf against the host C library's snprintf, which defines
 * the expected output for every conversion the kernel supports.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/format.h"

/* Format with both implementations and require identical text and length. */
static void same_as_libc(const char *fmt, ...)
{
    char ours[256], theirs[256];
    va_list a, b;
    va_start(a, fmt);
    va_copy(b, a);
    int n_ours = kvsnprintf(ours, sizeof(ours), fmt, a);
    int n_theirs = vsnprintf(theirs, sizeof(theirs), fmt, b);
    va_end(b);
    va_end(a);
    if (strcmp(ours, theirs) != 0 || n_ours != n_theirs)
        fail_msg("format \"%s\": got \"%s\" (%d), expected \"%s\" (%d)", fmt, ours, n_ours,
                 theirs, n_theirs);
}

static void integers(void **state)
{
    (void)state;
    same_as_libc("%d %i %u", 0, -1, 4000000000u);
    same_as_libc("%d", INT32_MIN);
    same_as_libc("%x %X %o", 0xdeadbeefu, 0xabcdefu, 0777u);
    same_as_libc("%lld %llu", (long long)INT64_MIN, (unsigned long long)UINT64_MAX);
    same_as_libc("%llx", 0x0123456789abcdefull);
    same_as_libc("%hhd %hd %hhu", 300, 70000, 511);
    same_as_libc("%zu %ld", (size_t)12345, -123456789L);
}

static void widths_flags_precision(void **state)
{
    (void)state;
    same_as_libc("[%5d] [%-5d] [%05d] [%+d] [% d]", 42, 42, -42, 7, 7);
    same_as_libc("[%08x] [%-8x] [%.4x] [%8.3d]", 0xbeefu, 0xbeefu, 0xau, 5);
    same_as_libc("[%*d] [%-*d] [%.*d]", 6, 1, 6, 2, 3, 4);
    same_as_libc("[%.0d] [%.0x] [%5.0d]", 0, 0u, 0);
    same_as_libc("[%s] [%10s] [%-10s] [%.3s] [%*.*s]", "abc", "abc", "abc", "abcdef", 6, 2, "xyz");
    same_as_libc("[%c%c] [%%] [%3c]", 'o', 'k', 'z');
}

static void pointers_print_as_hex(void **state)
{
    (void)state;
    char buf[64];
    ksnprintf(buf, sizeof(buf), "%p", (void *)(uintptr_t)0xc0101234u);
    assert_string_equal(buf, "0xc0101234");
}

static void truncation_like_c99(void **state)
{
    (void)state;
    char buf[8];
    memset(buf, 'X', sizeof(buf));
    assert_int_equal(ksnprintf(buf, sizeof(buf), "%s", "0123456789"), 10);
    assert_string_equal(buf, "0123456");
    assert_int_equal(ksnprintf(buf, 0, "abc"), 3);
    assert_int_equal(buf[0], '0'); /* size 0 writes nothing */
    assert_int_equal(ksnprintf(buf, 1, "abc"), 3);
    assert_string_equal(buf, "");
}

static void odd_input_is_copied_through(void **state)
{
    (void)state;
    /* Called through a pointer so the compiler's format checks stay quiet. */
    int (*format)(char *, size_t, const char *, ...) = ksnprintf;
    char buf[32];
    format(buf, sizeof(buf), "100%");
    assert_string_equal(buf, "100%");
    format(buf, sizeof(buf), "%q%d", 5);
    assert_string_equal(buf, "%q5");
    const char *volatile missing = NULL;
    format(buf, sizeof(buf), "%s", missing);
    assert_string_equal(buf, "(null)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(integers),
        cmocka_unit_test(widths_flags_precision),
        cmocka_unit_test(pointers_print_as_hex),
        cmocka_unit_test(truncation_like_c99),
        cmocka_unit_test(odd_input_is_copied_through),
    };
    return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
