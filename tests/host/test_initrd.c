/*
 * Boot archive validation and lookup on archives built in memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/initrd.h"

static uint8_t archive[256];

static void put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Two files: "sh" = "SHELL", "hello" = "HI". Returns the archive size. */
static uint32_t build(void)
{
    memset(archive, 0, sizeof(archive));
    memcpy(archive, INITRD_MAGIC, 8);
    put_u32(archive + 8, 2);
    memcpy(archive + 12, "sh", 3);
    put_u32(archive + 12 + 32, 92);
    put_u32(archive + 12 + 36, 5);
    memcpy(archive + 52, "hello", 6);
    put_u32(archive + 52 + 32, 97);
    put_u32(archive + 52 + 36, 2);
    memcpy(archive + 92, "SHELLHI", 7);
    return 99;
}

static void opens_and_finds(void **state)
{
    (void)state;
    struct initrd rd;
    struct initrd_file f;
    assert_true(initrd_open(&rd, archive, build()));
    assert_int_equal(rd.count, 2);
    assert_true(initrd_find(&rd, "hello", &f));
    assert_int_equal(f.size, 2);
    assert_memory_equal(f.data, "HI", 2);
    assert_true(initrd_find(&rd, "sh", &f));
    assert_memory_equal(f.data, "SHELL", 5);
    assert_false(initrd_find(&rd, "hell", &f));
    assert_false(initrd_find(&rd, "shell", &f));
    assert_string_equal(initrd_entry(&rd, 1).name, "hello");
}

static void rejects_malformed(void **state)
{
    (void)state;
    struct initrd rd;
    uint32_t size = build();
    assert_false(initrd_open(&rd, archive, 11));
    assert_false(initrd_open(&rd, NULL, size));
    put_u32(archive + 52 + 36, 3); /* runs past the end */
    assert_false(initrd_open(&rd, archive, size));
    assert_int_equal(rd.count, 0);
    size = build();
    memset(archive + 12, 'x', 32); /* name without its NUL */
    assert_false(initrd_open(&rd, archive, size));
    size = build();
    put_u32(archive + 8, 1000); /* more entries than fit */
    assert_false(initrd_open(&rd, archive, size));
    size = build();
    archive[0] = 'X';
    assert_false(initrd_open(&rd, archive, size));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(opens_and_finds),
        cmocka_unit_test(rejects_malformed),
    };
    return cmocka_run_group_tests_name("initrd", tests, NULL, NULL);
}
