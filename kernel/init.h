/*
 * What the kernel runs once it is up: the shell, or the programs named by
 * the `run=` option one after another.
 */
#pragma once

/* Start the shell, or run the comma-separated list "prog args,prog args"
 * (then end QEMU: pass only if every program exited 0). Never returns. */
__attribute__((noreturn)) void init_start(const char *run_list);
