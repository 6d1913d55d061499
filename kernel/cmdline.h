/*
 * Kernel command line options: "flag key=value key=\"quoted value\"".
 * The boot loader passes the image path first; a leading token that starts
 * with '/' is taken to be that path and skipped. The option `run` takes the
 * rest of the line as its value, so "run=gradient 3,bounce" needs no quotes.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Keys and values take at most one byte more than the line they come from,
 * so a line shorter than this never runs out of text. */
#define CMDLINE_MAX_TEXT 4096
#define CMDLINE_MAX_OPTIONS 32

struct cmdline {
    char text[CMDLINE_MAX_TEXT]; /* keys and values, NUL-separated */
    const char *key[CMDLINE_MAX_OPTIONS];
    const char *value[CMDLINE_MAX_OPTIONS]; /* "" for a bare flag */
    int count;
    /* Where in the parsed line the first option left out begins (it and
     * all after it did not fit the limits above); NULL when none was. */
    const char *dropped;
};

/* Split text (may be NULL) into options; a later key overrides an earlier
 * one. Options past the limits are left out, and dropped says from where. */
void cmdline_parse(struct cmdline *cl, const char *text);

/* The option's value ("" for a flag), or NULL when it was not given. */
const char *cmdline_get(const struct cmdline *cl, const char *key);

/* True when the option was given, with or without a value. */
bool cmdline_has(const struct cmdline *cl, const char *key);

/* The options the kernel booted with (set once by kmain, from text that
 * stays). Returns where in text the options left out begin, or NULL. */
const char *kernel_options_set(const char *text);
const char *kernel_option(const char *key);
bool kernel_flag(const char *key);
