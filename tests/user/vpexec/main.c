/*
 * vpexec: user-level tests of the program loader's limits (segments,
 * headers, arguments), the gap between heap and stack, and the C
 * library's number parsing. Prints KTAP on the console and exits 0 only
 * if every test passed. The crafted images it spawns come from
 * tools/mkimages.py; the 65535-segment one is only in the large archive
 * (the Makefile's INITRD_LARGE), which its boot uses.
 *
 *   vpexec                    run every test
 *   vpexec child KIND ARGS    act as a child of the tests
 */
#include "vpexec.h"

static const struct usertest tests[] = {
    { "image_with_65535_segments_is_refused_quickly",
      test_image_with_65535_segments_is_refused_quickly },
    { "segment_and_header_counts_are_bounded", test_segment_and_header_counts_are_bounded },
    { "images_at_the_limit_leave_nothing_behind", test_images_at_the_limit_leave_nothing_behind },
    { "segment_over_the_stack_is_einval", test_segment_over_the_stack_is_einval },
    { "segment_in_the_stack_gap_is_einval", test_segment_in_the_stack_gap_is_einval },
    { "malformed_images_are_refused", test_malformed_images_are_refused },
    { "unaligned_headers_are_read", test_unaligned_headers_are_read },
    { "heap_stops_a_gap_below_the_stack", test_heap_stops_a_gap_below_the_stack },
    { "stack_frame_past_the_guard_is_killed", test_stack_frame_past_the_guard_is_killed },
    { "forty_arguments_all_arrive", test_forty_arguments_all_arrive },
    { "arguments_up_to_the_limit_all_arrive", test_arguments_up_to_the_limit_all_arrive },
    { "arguments_past_the_limit_are_refused", test_arguments_past_the_limit_are_refused },
    { "strtol_refuses_overflow", test_strtol_refuses_overflow },
    { "strtoul_takes_the_whole_range", test_strtoul_takes_the_whole_range },
};

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "child") == 0) {
        if (strcmp(argv[2], "args") == 0)
            args_child(argc, argv);
        stack_child(argv[2], argc > 3 ? argv[3] : "");
    }
    return usertest_main("vpexec", tests, sizeof(tests) / sizeof(tests[0]));
}
