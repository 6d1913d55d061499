/*
 * Kernel command line options: "flag key=value key=\"quoted value\"".
 * The boot loader passes the image path first; a leading token that starts
 * with '/' is taken to be that path and skipped. The option `run` takes the
 * rest of the line as its value, so "run=gradient 3,bounce" needs no quotes.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#define CMDLINE_MAX_TEXT 512
#define CMDLINE_MAX_OPTIONS 32

struct cmdline {
    char text[CMDLINE_MAX_TEXT]; /* keys and values, NUL-separated */
    const char *key[CMDLINE_MAX_OPTIONS];
    const char *value[CMDLINE_MAX_OPTIONS]; /* "" for a bare flag */
    int count;
    bool truncated; /* options or text beyond the limits were dropped */
};

/* Split text (may be NULL) into options; a later key overrides an earlier one. */
void cmdline_parse(struct cmdline *cl, const char *text);

/* The option's value ("" for a flag), or NULL when it was not given. */
const char *cmdline_get(const struct cmdline *cl, const char *key);

/* True when the option was given, with or without a value. */
bool cmdline_has(const struct cmdline *cl, const char *key);

/* The options the kernel booted with (set once by kmain). */
void kernel_options_set(const char *text);
const char *kernel_option(const char *key);
bool kernel_flag(const char *key);
