/*
 * Symbol lookup over a small hand-made table (the kernel's is generated).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernel/ksyms.h"

const struct ksym ksym_table[] = {
    { 0xC0100000u, "_start_high" },
    { 0xC0100010u, "kmain" },
    { 0xC0100200u, "panic" },
    { 0xC0100200u, "panic_alias" },
    { 0xC0100300u, NULL }, /* end of text */
};
const uint32_t ksym_count = 5;

static void finds_containing_function(void **state)
{
    (void)state;
    uint32_t offset = 99;
    assert_string_equal(ksym_lookup(0xC0100010u, &offset), "kmain");
    assert_int_equal(offset, 0);
    assert_string_equal(ksym_lookup(0xC01001FFu, &offset), "kmain");
    assert_int_equal(offset, 0x1EF);
    assert_string_equal(ksym_lookup(0xC0100005u, &offset), "_start_high");
    assert_int_equal(offset, 5);
}

static void equal_addresses_resolve_to_one_name(void **state)
{
    (void)state;
    uint32_t offset;
    const char *name = ksym_lookup(0xC0100204u, &offset);
    assert_non_null(name);
    assert_int_equal(offset, 4);
}

static void outside_text_is_unknown(void **state)
{
    (void)state;
    uint32_t offset;
    assert_null(ksym_lookup(0xC00FFFFFu, &offset));
    assert_null(ksym_lookup(0xC0100300u, &offset));
    assert_null(ksym_lookup(0xFFFFFFFFu, &offset));
    assert_null(ksym_lookup(0, &offset));
}

static void address_by_name(void **state)
{
    (void)state;
    assert_int_equal(ksym_address("panic"), 0xC0100200u);
    assert_int_equal(ksym_address("kmai"), 0);
    assert_int_equal(ksym_address("kmainx"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(finds_containing_function),
        cmocka_unit_test(equal_addresses_resolve_to_one_name),
        cmocka_unit_test(outside_text_is_unknown),
        cmocka_unit_test(address_by_name),
    };
    return cmocka_run_group_tests_name("ksyms", tests, NULL, NULL);
}
