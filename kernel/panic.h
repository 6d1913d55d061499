/*
 * Reporting kernel bugs. panic() itself is declared in kernel.h.
 */
#pragma once

#include <stdint.h>

#include "kernel.h"
#include "trap.h"

/* A CPU exception in kernel mode: dump the frame, then stop like panic(). */
NORETURN void panic_trap(const struct trap_frame *frame);

/* Print the call chain starting at (eip, ebp), one symbolised line per frame. */
void backtrace_print(uint32_t eip, uint32_t ebp);
