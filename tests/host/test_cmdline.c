/*
 * Kernel command line parsing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/cmdline.h"

static struct cmdline cl;

static void flags_and_values(void **state)
{
    (void)state;
    cmdline_parse(&cl, "selftest video=1024x768x32  prog=gradient\tquiet");
    assert_int_equal(cl.count, 4);
    assert_true(cmdline_has(&cl, "selftest"));
    assert_string_equal(cmdline_get(&cl, "selftest"), "");
    assert_string_equal(cmdline_get(&cl, "video"), "1024x768x32");
    assert_string_equal(cmdline_get(&cl, "prog"), "gradient");
    assert_true(cmdline_has(&cl, "quiet"));
    assert_null(cmdline_get(&cl, "vid"));
    assert_false(cmdline_has(&cl, "videox"));
    assert_null(cl.dropped);
}

static void image_path_is_skipped(void **state)
{
    (void)state;
    cmdline_parse(&cl, "/boot/vidport.elf selftest");
    assert_int_equal(cl.count, 1);
    assert_string_equal(cl.key[0], "selftest");
    cmdline_parse(&cl, "selftest /not/a/path");
    assert_int_equal(cl.count, 2); /* only a leading path is the image */
}

static void quotes_keep_spaces(void **state)
{
    (void)state;
    cmdline_parse(&cl, "prog=\"gradient 3 4\" x=\"\" \"a b\"=c");
    assert_string_equal(cmdline_get(&cl, "prog"), "gradient 3 4");
    assert_string_equal(cmdline_get(&cl, "x"), "");
    assert_string_equal(cmdline_get(&cl, "a b"), "c");
}

static void run_takes_the_rest_of_the_line(void **state)
{
    (void)state;
    cmdline_parse(&cl, "selftest run=gradient 3 4,bounce x=y  ");
    assert_string_equal(cmdline_get(&cl, "run"), "gradient 3 4,bounce x=y");
    assert_false(cmdline_has(&cl, "x"));
    cmdline_parse(&cl, "runner=a b");
    assert_string_equal(cmdline_get(&cl, "runner"), "a");
}

static void later_option_wins(void **state)
{
    (void)state;
    cmdline_parse(&cl, "video=800x600x32 video=banked");
    assert_string_equal(cmdline_get(&cl, "video"), "banked");
}

static void empty_and_null(void **state)
{
    (void)state;
    cmdline_parse(&cl, NULL);
    assert_int_equal(cl.count, 0);
    cmdline_parse(&cl, "   \t ");
    assert_int_equal(cl.count, 0);
    assert_null(cmdline_get(&cl, "anything"));
}

static void too_many_options_truncate(void **state)
{
    (void)state;
    char text[CMDLINE_MAX_OPTIONS * 4 + 16] = "";
    for (int i = 0; i < CMDLINE_MAX_OPTIONS + 3; i++) {
        char opt[16];
        snprintf(opt, sizeof(opt), "o%d ", i);
        strcat(text, opt);
    }
    cmdline_parse(&cl, text);
    assert_int_equal(cl.count, CMDLINE_MAX_OPTIONS);
    assert_ptr_equal(cl.dropped, strstr(text, "o32 ")); /* it and all after it */
    assert_true(cmdline_has(&cl, "o0"));
    assert_false(cmdline_has(&cl, "o32"));
}

static void too_long_text_truncates(void **state)
{
    (void)state;
    char text[CMDLINE_MAX_TEXT + 64];
    memset(text, 'v', sizeof(text) - 1);
    text[sizeof(text) - 1] = '\0';
    memcpy(text, "first key=", 10);
    cmdline_parse(&cl, text);
    assert_ptr_equal(cl.dropped, text + 6);
    assert_true(cmdline_has(&cl, "first"));
    assert_false(cmdline_has(&cl, "key")); /* its value did not fit */
}

/* Issue 17 item 9: a line as long as the boot information keeps (one byte
 * less than the text) fits whole, the run list that takes its rest too,
 * so only the option count can make the kernel leave options out. */
static void line_the_kernel_keeps_always_fits(void **state)
{
    (void)state;
    static char text[CMDLINE_MAX_TEXT];
    text[0] = '\0';
    for (int i = 0; i < CMDLINE_MAX_OPTIONS - 1; i++)
        strcat(text, "a= ");
    strcat(text, "run=");
    size_t used = strlen(text);
    memset(text + used, 'x', sizeof(text) - 1 - used);
    cmdline_parse(&cl, text);
    assert_null(cl.dropped);
    assert_int_equal(cl.count, CMDLINE_MAX_OPTIONS);
    assert_int_equal(strlen(cmdline_get(&cl, "run")), sizeof(text) - 1 - used);
}

/* The kernel's own options say where they were cut; without a cut, NULL. */
static void kernel_options_say_where_they_were_cut(void **state)
{
    (void)state;
    static const char line[] = "a b c d e f g h i j k l m n o p q r s t u v w x y z A B C D E F "
                               "G run=hello";
    assert_ptr_equal(kernel_options_set(line), strstr(line, "G run"));
    assert_true(kernel_flag("F"));
    assert_null(kernel_option("run"));
    assert_null(kernel_options_set("selftest run=hello"));
    assert_string_equal(kernel_option("run"), "hello");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(flags_and_values),
        cmocka_unit_test(image_path_is_skipped),
        cmocka_unit_test(quotes_keep_spaces),
        cmocka_unit_test(run_takes_the_rest_of_the_line),
        cmocka_unit_test(later_option_wins),
        cmocka_unit_test(empty_and_null),
        cmocka_unit_test(too_many_options_truncate),
        cmocka_unit_test(too_long_text_truncates),
        cmocka_unit_test(line_the_kernel_keeps_always_fits),
        cmocka_unit_test(kernel_options_say_where_they_were_cut),
    };
    return cmocka_run_group_tests_name("cmdline", tests, NULL, NULL);
}
