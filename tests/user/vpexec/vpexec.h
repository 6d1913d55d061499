/*
 * vpexec: what a program image, its arguments and its stack may ask of
 * the kernel, and the C library's number parsing. Each file holds the
 * tests of one part and the children they run.
 */
#pragma once

#include <usertest.h>

#define PAGE 4096u
#define USER_TOP 0xC0000000u
#define STACK_BOTTOM (USER_TOP - 256u * 1024) /* USER_STACK_SIZE below the top */
#define STACK_GAP (1u << 20)                  /* the guard region README promises */

/* images.c */
void test_image_with_65535_segments_is_refused_quickly(void);
void test_segment_and_header_counts_are_bounded(void);
void test_images_at_the_limit_leave_nothing_behind(void);
void test_segment_over_the_stack_is_einval(void);
void test_segment_in_the_stack_gap_is_einval(void);
void test_malformed_images_are_refused(void);
void test_unaligned_headers_are_read(void);

/* stack.c */
void test_heap_stops_a_gap_below_the_stack(void);
void test_stack_frame_past_the_guard_is_killed(void);
void stack_child(const char *kind, const char *arg); /* never returns */

/* args.c */
void test_forty_arguments_all_arrive(void);
void test_arguments_up_to_the_limit_all_arrive(void);
void test_arguments_past_the_limit_are_refused(void);
void args_child(int argc, char **argv); /* never returns */

/* numbers.c */
void test_strtol_refuses_overflow(void);
void test_strtoul_takes_the_whole_range(void);
