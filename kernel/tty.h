/*
 * The console's input side: characters from the serial port and the
 * keyboard are echoed to every console and collected into lines; readers
 * block until a whole line is there.
 */
#pragma once

#include <stdint.h>

/* One typed character (from an interrupt handler). */
void tty_input(char c);

/* Block the current process until a whole line is there: 0, or -VP_EINTR
 * if it was killed while waiting. */
int tty_wait_line(void);

/* Take up to len bytes of the next line (ending at its '\n') into buf,
 * without waiting: the count, 0 when no line is there. */
uint32_t tty_take_line(char *buf, uint32_t len);
