/*
 * The vbe miniport's mode table (drivers/miniports/vbe_modes.c): which twins
 * each 4F01 answer gives, and what it refuses from a BIOS that reports
 * modes no frame could honour.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/miniports/vbe_modes.h"

#define VRAM (16u << 20)
#define LFB 0xFD000000u

/* A 4F01 answer as SeaVGABIOS gives it on QEMU's std VGA. */
static struct vbe_mode_info seavga_mode(uint16_t width, uint16_t height, uint8_t bpp)
{
    struct vbe_mode_info m = {
        .attributes = 0x01 | 0x02 | 0x08 | 0x10 | 0x20 | 0x80, .window_a = 0x07,
        .granularity_kib = 64, .window_kib = 64, .segment_a = 0xA000,
        .bytes_per_line = (uint16_t)(width * ((bpp + 7) / 8)), .width = width, .height = height,
        .planes = 1, .bpp = bpp, .memory_model = bpp == 8 ? 4 : 6, .lfb_phys = LFB,
        .red_size = 8, .red_position = 16, .green_size = 8, .green_position = 8,
        .blue_size = 8, .blue_position = 0,
    };
    return m;
}

static struct vbe_modes empty_table(void)
{
    return (struct vbe_modes){ .lfb_base = LFB, .lfb_limit = (uint64_t)LFB + VRAM };
}

static void a_mode_gives_a_linear_and_a_banked_twin(void **state)
{
    (void)state;
    struct vbe_modes t = empty_table();
    struct vbe_mode_info m = seavga_mode(800, 600, 32);
    assert_int_equal(vbe_add_mode(&t, 0x115, &m, VRAM), 2);
    assert_int_equal(t.modes[0].AttributeFlags & VIDEO_MODE_LINEAR, VIDEO_MODE_LINEAR);
    assert_int_equal(t.modes[1].AttributeFlags & VIDEO_MODE_BANKED, VIDEO_MODE_BANKED);
    assert_int_equal(t.number[0], 0x115);
    assert_int_equal(t.modes[1].ScreenStride, 3200);
    assert_int_equal(t.bank_length, 0x10000);
    assert_int_equal(t.granules_per_bank, 1);
    assert_int_equal(vbe_find_mode(&t, 800, 600, 32, true), 1);
    m = seavga_mode(640, 480, 24);
    assert_int_equal(vbe_add_mode(&t, 0x112, &m, VRAM), 1); /* 24 bpp: linear only */
}

/* 15 bpp: 5-5-5 in two bytes a pixel, masks as the BIOS gives them. */
static void fifteen_bpp_gives_two_byte_twins(void **state)
{
    (void)state;
    struct vbe_modes t = empty_table();
    struct vbe_mode_info m = seavga_mode(800, 600, 15);
    m.red_size = m.green_size = m.blue_size = 5;
    m.red_position = 10, m.green_position = 5, m.blue_position = 0;
    assert_int_equal(vbe_add_mode(&t, 0x113, &m, VRAM), 2);
    assert_int_equal(t.modes[0].ScreenStride, 1600);
    assert_int_equal(t.modes[0].BitsPerPlane, 15);
    assert_int_equal(t.modes[1].RedMask, 0x7C00);
    assert_int_equal(t.modes[1].GreenMask, 0x03E0);
    assert_int_equal(t.modes[1].BlueMask, 0x001F);
    m.width = 640;
    m.bytes_per_line = 1601; /* half a pixel at each row's end: no bank may hold it */
    assert_int_equal(vbe_add_mode(&t, 0x114, &m, VRAM), 1);
    assert_int_equal(t.modes[2].AttributeFlags & VIDEO_MODE_LINEAR, VIDEO_MODE_LINEAR);
}

/* The banked twins' window function is kept while they all name the same
 * one; two different ones leave none (4F05 serves all modes alike). */
static void one_window_function_for_all_banked_twins(void **state)
{
    (void)state;
    struct vbe_modes t = empty_table();
    struct vbe_mode_info m = seavga_mode(1280, 1024, 8); /* no twin: it does not count */
    m.window_function = 0xC0001111;
    assert_int_equal(vbe_add_mode(&t, 0x107, &m, VRAM), 0);
    m = seavga_mode(640, 480, 8);
    m.window_function = 0xC00056E3;
    assert_int_equal(vbe_add_mode(&t, 0x101, &m, VRAM), 2);
    m = seavga_mode(800, 600, 8);
    m.window_function = 0xC00056E3;
    assert_int_equal(vbe_add_mode(&t, 0x103, &m, VRAM), 2);
    assert_int_equal(t.window_function, 0xC00056E3);
    m = seavga_mode(1024, 768, 8);
    m.window_function = 0xC0005218;
    assert_int_equal(vbe_add_mode(&t, 0x105, &m, VRAM), 2);
    assert_int_equal(t.window_function, 0);
    m = seavga_mode(1024, 768, 16);
    m.window_function = 0xC00056E3;
    assert_int_equal(vbe_add_mode(&t, 0x117, &m, VRAM), 2);
    assert_int_equal(t.window_function, 0);
}

/* A BIOS that lists one geometry under two numbers (as 0x115 and
 * 0x144 here, both 800x600x32) gets one pair of twins: the first. */
static void a_geometry_listed_twice_is_taken_once(void **state)
{
    (void)state;
    struct vbe_modes t = empty_table();
    struct vbe_mode_info m = seavga_mode(800, 600, 32);
    assert_int_equal(vbe_add_mode(&t, 0x115, &m, VRAM), 2);
    assert_int_equal(vbe_add_mode(&t, 0x144, &m, VRAM), 0);
    assert_int_equal(t.count, 2);
    assert_int_equal(t.number[0], 0x115);
    assert_int_equal(t.number[1], 0x115);
}

/* What the table refuses: text and planar modes, sizes out of range, rows
 * shorter than their pixels, banked twins of rows of part pixels (a pixel
 * would span two banks), a linear
 * frame buffer outside the display device's memory (RAM, say), a window
 * step unlike the banked modes' before. */
static void modes_no_frame_could_honour_are_refused(void **state)
{
    (void)state;
    struct vbe_modes t = empty_table();
    struct vbe_mode_info m = seavga_mode(800, 600, 32);
    m.attributes &= (uint16_t)~0x10;
    assert_int_equal(vbe_add_mode(&t, 1, &m, VRAM), 0);
    m = seavga_mode(800, 600, 15);
    m.memory_model = 5; /* planar */
    assert_int_equal(vbe_add_mode(&t, 2, &m, VRAM), 0);
    m = seavga_mode(1280, 1024, 32);
    assert_int_equal(vbe_add_mode(&t, 3, &m, VRAM), 0);
    m = seavga_mode(800, 600, 32);
    m.bytes_per_line = 2562; /* shorter than its pixels */
    assert_int_equal(vbe_add_mode(&t, 4, &m, VRAM), 0);
    m = seavga_mode(800, 600, 32);
    m.lfb_phys = 0x100000;
    assert_int_equal(vbe_add_mode(&t, 5, &m, VRAM), 1); /* the banked twin only */
    assert_int_equal(t.modes[0].AttributeFlags & VIDEO_MODE_BANKED, VIDEO_MODE_BANKED);
    m = seavga_mode(640, 480, 8);
    m.granularity_kib = 16; /* unlike the 64 KiB of the banked mode before */
    m.lfb_phys = 0;
    assert_int_equal(vbe_add_mode(&t, 6, &m, VRAM), 0);
    assert_int_equal(t.count, 1);
    t = empty_table();
    m = seavga_mode(800, 600, 32);
    m.bytes_per_line = 3202; /* part pixels: a linear twin, but no banked one */
    assert_int_equal(vbe_add_mode(&t, 7, &m, VRAM), 1);
    assert_int_equal(t.modes[0].AttributeFlags & VIDEO_MODE_LINEAR, VIDEO_MODE_LINEAR);
}

/* The table holds VBE_MAX_MODES, then takes no more. */
static void the_table_stops_when_full(void **state)
{
    (void)state;
    struct vbe_modes t = empty_table();
    struct vbe_mode_info m;
    for (uint16_t i = 0; i < VBE_MAX_MODES; i++) {
        m = seavga_mode(640, (uint16_t)(480 + i), 16); /* geometries of their own */
        vbe_add_mode(&t, i, &m, VRAM);
    }
    assert_int_equal(t.count, VBE_MAX_MODES);
    m = seavga_mode(1024, 768, 16);
    assert_int_equal(vbe_add_mode(&t, 99, &m, VRAM), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_mode_gives_a_linear_and_a_banked_twin),
        cmocka_unit_test(fifteen_bpp_gives_two_byte_twins),
        cmocka_unit_test(a_geometry_listed_twice_is_taken_once),
        cmocka_unit_test(one_window_function_for_all_banked_twins),
        cmocka_unit_test(modes_no_frame_could_honour_are_refused),
        cmocka_unit_test(the_table_stops_when_full),
    };
    return cmocka_run_group_tests_name("vbe_modes", tests, NULL, NULL);
}
