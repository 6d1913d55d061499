/*
 * Region bookkeeping: sorted insert, lookup, overlap refusal, removal and
 * gap search.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mm/region.h"

#define K4 0x1000u

static struct region_set set;
static struct region a, b, c;

static int setup(void **state)
{
    (void)state;
    set = (struct region_set){ NULL, 0 };
    a = (struct region){ .start = 0x10 * K4, .end = 0x20 * K4 };
    b = (struct region){ .start = 0x30 * K4, .end = 0x31 * K4 };
    c = (struct region){ .start = 0x20 * K4, .end = 0x28 * K4 };
    return 0;
}

static void inserts_sorted_and_finds(void **state)
{
    (void)state;
    assert_int_equal(region_set_insert(&set, &b), 0);
    assert_int_equal(region_set_insert(&set, &a), 0);
    assert_int_equal(region_set_insert(&set, &c), 0); /* touching a is fine */
    assert_int_equal(set.count, 3);
    assert_ptr_equal(set.head, &a);
    assert_ptr_equal(a.next, &c);
    assert_ptr_equal(c.next, &b);
    assert_ptr_equal(region_set_find(&set, 0x10 * K4), &a);
    assert_ptr_equal(region_set_find(&set, 0x20 * K4 - 1), &a);
    assert_ptr_equal(region_set_find(&set, 0x20 * K4), &c);
    assert_null(region_set_find(&set, 0x28 * K4));
    assert_null(region_set_find(&set, 0x31 * K4));
    assert_null(region_set_find(&set, 0));
}

static void refuses_overlap_and_bad_ranges(void **state)
{
    (void)state;
    assert_int_equal(region_set_insert(&set, &a), 0);
    struct region inside = { .start = 0x12 * K4, .end = 0x13 * K4 };
    struct region across = { .start = 0xF * K4, .end = 0x11 * K4 };
    struct region around = { .start = 0x8 * K4, .end = 0x40 * K4 };
    struct region empty = { .start = 0x50 * K4, .end = 0x50 * K4 };
    struct region unaligned = { .start = 0x50 * K4 + 4, .end = 0x51 * K4 };
    assert_int_equal(region_set_insert(&set, &inside), -1);
    assert_int_equal(region_set_insert(&set, &across), -1);
    assert_int_equal(region_set_insert(&set, &around), -1);
    assert_int_equal(region_set_insert(&set, &empty), -1);
    assert_int_equal(region_set_insert(&set, &unaligned), -1);
    assert_int_equal(set.count, 1);
}

static void removes(void **state)
{
    (void)state;
    region_set_insert(&set, &a);
    region_set_insert(&set, &b);
    region_set_insert(&set, &c);
    region_set_remove(&set, &c);
    assert_int_equal(set.count, 2);
    assert_null(region_set_find(&set, 0x21 * K4));
    assert_ptr_equal(a.next, &b);
    assert_true(region_set_is_free(&set, 0x20 * K4, 0x30 * K4));
    assert_false(region_set_is_free(&set, 0x20 * K4, 0x30 * K4 + 1));
    region_set_remove(&set, &a);
    region_set_remove(&set, &b);
    assert_null(set.head);
}

static void finds_gaps(void **state)
{
    (void)state;
    region_set_insert(&set, &a); /* 0x10..0x20 */
    region_set_insert(&set, &b); /* 0x30..0x31 */
    assert_int_equal(region_set_find_gap(&set, 0xF * K4, 0x1 * K4, 0x100 * K4), 0x1 * K4);
    assert_int_equal(region_set_find_gap(&set, 0x10 * K4, 0x1 * K4, 0x100 * K4), 0x20 * K4);
    assert_int_equal(region_set_find_gap(&set, 0x10 * K4, 0x8 * K4, 0x100 * K4), 0x20 * K4);
    assert_int_equal(region_set_find_gap(&set, 0x11 * K4, 0x8 * K4, 0x100 * K4), 0x31 * K4);
    assert_int_equal(region_set_find_gap(&set, 0x11 * K4, 0x8 * K4, 0x40 * K4), 0);
    assert_int_equal(region_set_find_gap(&set, 123, 0x8 * K4, 0x100 * K4), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(inserts_sorted_and_finds, setup),
        cmocka_unit_test_setup(refuses_overlap_and_bad_ranges, setup),
        cmocka_unit_test_setup(removes, setup),
        cmocka_unit_test_setup(finds_gaps, setup),
    };
    return cmocka_run_group_tests_name("region_set", tests, NULL, NULL);
}
