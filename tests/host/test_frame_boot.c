/*
 * The boot memory map into the frame pool (mm/frame_boot.c): which frames
 * are free when the kernel starts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "mm/frame_boot.h"

#define FRAMES 256 /* 1 MiB of frames */
#define KIB 1024u
static uint32_t bits[FRAME_POOL_WORDS(FRAMES)];
static struct frame_pool pool;
static struct boot_info boot;

static int setup(void **state)
{
    (void)state;
    memset(&boot, 0, sizeof(boot));
    frame_pool_init(&pool, bits, FRAMES);
    return 0;
}

static void add_range(uint64_t base, uint64_t length, uint32_t type)
{
    boot.memory[boot.memory_count++] = (struct boot_memory_range){ base, length, type };
}

/* How many of the frames [first, first + count) are free. */
static uint32_t free_among(uint32_t first, uint32_t count)
{
    uint32_t n = 0;
    for (uint32_t f = first; f < first + count; f++)
        n += !frame_pool_in_use(&pool, f);
    return n;
}

static void available_frames_wholly_inside_are_free(void **state)
{
    (void)state;
    add_range(0x10800, 0x20000, BOOT_MEMORY_AVAILABLE); /* frames 0x11..0x2F whole */
    frame_pool_from_boot(&pool, &boot, NULL, 0);
    assert_int_equal(pool.free, 0x30 - 0x11);
    assert_int_equal(free_among(0x11, 0x30 - 0x11), 0x30 - 0x11);
}

/* Issue 17, by reading: a reserved range inside an available one was
 * handed out, since only available ranges were applied. Either order. */
static void reserved_range_inside_available_is_never_free(void **state)
{
    (void)state;
    add_range(0, 256 * 4 * KIB, BOOT_MEMORY_AVAILABLE);
    add_range(0x40000, 0x2000, BOOT_MEMORY_RESERVED);
    add_range(0x80800, 0x100, BOOT_MEMORY_ACPI_NVS); /* a part of one frame */
    add_range(0x90000, 0x1000, 77);                  /* a type nobody knows */
    add_range(0x20000, 0x1000, BOOT_MEMORY_BAD);
    add_range(0, 256 * 4 * KIB, BOOT_MEMORY_AVAILABLE); /* said again after them */
    frame_pool_from_boot(&pool, &boot, NULL, 0);
    assert_int_equal(free_among(0x40, 2), 0);
    assert_true(frame_pool_in_use(&pool, 0x80));
    assert_true(frame_pool_in_use(&pool, 0x90));
    assert_true(frame_pool_in_use(&pool, 0x20));
    assert_int_equal(pool.free, FRAMES - 5);
}

static void modules_framebuffer_and_held_ranges_are_in_use(void **state)
{
    (void)state;
    add_range(0, 256 * 4 * KIB, BOOT_MEMORY_AVAILABLE);
    boot.modules[boot.module_count++] = (struct boot_module){ 0x30000, 0x30001, "" };
    boot.has_framebuffer = true;
    boot.fb = (struct boot_framebuffer){ .phys = 0xE0000, .pitch = 0x1000, .height = 3 };
    const struct phys_range held[] = { { 0, 0x3000 } };
    frame_pool_from_boot(&pool, &boot, held, 1);
    assert_int_equal(free_among(0, 3), 0);
    assert_true(frame_pool_in_use(&pool, 0x30));
    assert_int_equal(free_among(0xE0, 3), 0);
    assert_int_equal(pool.free, FRAMES - 3 - 1 - 3);
}

/* Ranges that reach past the pool or past 2^64 touch only the pool's
 * frames; an inverted module reserves nothing (the parser never passes one). */
static void ranges_past_the_pool_or_wrapping_are_clipped(void **state)
{
    (void)state;
    add_range(0xF0000, UINT64_MAX, BOOT_MEMORY_AVAILABLE);
    add_range(0x100000000000ull + 0x10000, 0x1000, BOOT_MEMORY_AVAILABLE); /* 2^44 up */
    add_range(UINT64_MAX - 0xFFF, 0x2000, BOOT_MEMORY_RESERVED);
    boot.modules[boot.module_count++] = (struct boot_module){ 0xF8000, 0xF0000, "" };
    frame_pool_from_boot(&pool, &boot, NULL, 0);
    assert_int_equal(pool.free, 16);
    assert_int_equal(free_among(0xF0, 16), 16);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(available_frames_wholly_inside_are_free, setup),
        cmocka_unit_test_setup(reserved_range_inside_available_is_never_free, setup),
        cmocka_unit_test_setup(modules_framebuffer_and_held_ranges_are_in_use, setup),
        cmocka_unit_test_setup(ranges_past_the_pool_or_wrapping_are_clipped, setup),
    };
    return cmocka_run_group_tests_name("frame_boot", tests, NULL, NULL);
}
