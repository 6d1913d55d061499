/*
 * The console's input side: characters from the serial port and the
 * keyboard are echoed to every console and collected into lines; readers
 * block until a whole line is there.
 */
#pragma once

#include <stdint.h>

/* One typed character (from an interrupt handler). */
void tty_input(char c);

/* Read up to len bytes of the next line (ending at its '\n') into buf.
 * Blocks the current process; returns the count, or -VP_EINTR if it was
 * killed while waiting. */
int tty_read_line(char *buf, uint32_t len);
