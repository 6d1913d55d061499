/*
 * The UEFI loader's choice of a graphics mode (boot/efi/boot_video.c,
 * handoff.h), without firmware: the GOP mode it picks among those the
 * firmware lists, and the size it wants from the video= option.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "boot/efi/handoff.h"

static const struct gop_mode modes[] = {
    { 640, 480, 640, GOP_BGRX, 0, 0, 0, 0 },
    { 800, 600, 800, GOP_BLT_ONLY, 0, 0, 0, 0 },
    { 1024, 768, 1024, GOP_BGRX, 0, 0, 0, 0 },
    { 800, 600, 800, GOP_RGBX, 0, 0, 0, 0 },
    { 1280, 1024, 1280, GOP_BLT_ONLY, 0, 0, 0, 0 },
};
#define MODE_COUNT ((int)(sizeof(modes) / sizeof(modes[0])))

static void chooses_wanted_size(void **state)
{
    (void)state;
    assert_int_equal(gop_choose_mode(modes, MODE_COUNT, 0, 1024, 768), 2);
    assert_int_equal(gop_choose_mode(modes, MODE_COUNT, 2, 640, 480), 0);
}

static void skips_blt_only_of_wanted_size(void **state)
{
    (void)state;
    assert_int_equal(gop_choose_mode(modes, MODE_COUNT, 0, 800, 600), 3);
    assert_int_equal(gop_choose_mode(modes, MODE_COUNT, 2, 1280, 1024), 2); /* current */
}

static void falls_back_to_current_mode(void **state)
{
    (void)state;
    assert_int_equal(gop_choose_mode(modes, MODE_COUNT, 2, 1920, 1080), 2);
    assert_int_equal(gop_choose_mode(modes, MODE_COUNT, 3, 1920, 1080), 3);
}

static void falls_back_to_first_drawable_mode(void **state)
{
    (void)state;
    assert_int_equal(gop_choose_mode(modes + 1, MODE_COUNT - 1, 0, 1920, 1080), 1);
    assert_int_equal(gop_choose_mode(modes, MODE_COUNT, 4, 1920, 1080), 0);
    assert_int_equal(gop_choose_mode(modes + 1, MODE_COUNT - 1, MODE_COUNT - 1, 1920, 1080), 1);
    assert_int_equal(gop_choose_mode(modes + 1, MODE_COUNT - 1, -1, 1920, 1080), 1);
}

static void no_drawable_mode(void **state)
{
    (void)state;
    const struct gop_mode none[] = {
        { 800, 600, 800, GOP_BLT_ONLY, 0, 0, 0, 0 },
        { 1024, 768, 1000, GOP_BGRX, 0, 0, 0, 0 }, /* lines shorter than the width */
    };
    assert_int_equal(gop_choose_mode(none, 2, 0, 800, 600), -1);
    assert_int_equal(gop_choose_mode(modes, 0, 0, 800, 600), -1);
}

static void assert_wanted(const char *option, uint32_t width, uint32_t height)
{
    uint32_t w = 1, h = 1;
    boot_video_wanted(option, &w, &h);
    assert_int_equal(w, width);
    assert_int_equal(h, height);
}

static void video_option_sizes(void **state)
{
    (void)state;
    assert_wanted("1024x768x32", 1024, 768);
    assert_wanted("12345x768x32", 12345, 768);
    assert_wanted("1024x768x16", 800, 600);
    assert_wanted("banked", 800, 600);
    assert_wanted(NULL, 800, 600);
    assert_wanted("800x600x32junk", 800, 600);
    assert_wanted("1024x768x32junk", 800, 600);
    assert_wanted("123456x768x32", 800, 600);
    assert_wanted("1024x123456x32", 800, 600);
    assert_wanted("0x600x32", 800, 600);
    assert_wanted("1024x0x32", 800, 600);
    assert_wanted("1024x768", 800, 600);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chooses_wanted_size),
        cmocka_unit_test(skips_blt_only_of_wanted_size),
        cmocka_unit_test(falls_back_to_current_mode),
        cmocka_unit_test(falls_back_to_first_drawable_mode),
        cmocka_unit_test(no_drawable_mode),
        cmocka_unit_test(video_option_sizes),
    };
    return cmocka_run_group_tests_name("efi_video", tests, NULL, NULL);
}
