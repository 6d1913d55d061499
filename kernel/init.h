/*
 * What the kernel runs once it is up: the shell, or the programs named by
 * the `run=` option one after another.
 */
#pragma once

#include <stdbool.h>

/* Start the shell, or run the comma-separated list "prog args,prog args"
 * (then end QEMU: pass only if every program exited 0). When options_cut
 * (the command line lost options), a run list fails without running.
 * Never returns. */
__attribute__((noreturn)) void init_start(const char *run_list, bool options_cut);
