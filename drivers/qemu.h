/*
 * QEMU's debug devices: the 0xE9 debug console (a channel no firmware or
 * boot loader writes to, used for machine-read test output) and
 * isa-debug-exit at port 0xF4 (ends QEMU with a status).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* QEMU exit statuses are (value << 1) | 1: 33 for pass, 35 for fail. */
#define QEMU_EXIT_PASS 0x10
#define QEMU_EXIT_FAIL 0x11

void qemu_debugcon_write(const char *text, size_t len);

/* End the machine; halts instead when the exit device is absent. */
__attribute__((noreturn)) void qemu_exit(bool success);
