/*
 * Kernel consoles. kprintf (kernel.h) writes to every registered console;
 * the serial console is registered first so early messages are never lost.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fbcon.h"

struct console {
    const char *name;
    void (*write)(struct console *con, const char *text, size_t len);
};

#define CONSOLE_MAX 4

/* Add a console; returns 0, or -1 when the table is full. */
int console_register(struct console *con);

/* Write raw text to every console. */
void console_write(const char *text, size_t len);

/*
 * Start the screen console on a linear frame buffer already mapped at
 * fb->base and register it. Returns 0, or -1 if the surface is unusable.
 */
int screen_console_start(const struct fb_surface *fb);

/* Stop drawing the screen console (text is kept), or resume: the next output
 * repaints the whole screen first. No-op before the console starts. */
void screen_console_set_drawing(bool on);

/* Move the screen console to fb keeping its text, or start it there; 0, or -1 if fb is unusable. */
int screen_console_set_surface(const struct fb_surface *fb);

/* Take the screen console off its surface before that memory goes away:
 * text is kept but not drawn until screen_console_set_surface gives it a
 * surface again, and drawing then resumes as screen_console_set_drawing
 * last asked. No-op before the console starts. */
void screen_console_detach(void);

/* The screen console, or NULL before screen_console_start succeeded. */
struct fbcon *screen_console(void);
