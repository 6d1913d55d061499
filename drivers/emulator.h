/*
 * The emulators' debug devices: the 0xE9 debug console (a channel no
 * firmware or boot loader writes to, used for machine-read test output;
 * QEMU's -debugcon, Bochs's port_e9_hack) and the exits: QEMU's
 * isa-debug-exit at port 0xF4 ends it with a status, Bochs's shutdown port
 * 0x8900 ends it (always with status 1, so the line before says which).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* QEMU exit statuses are (value << 1) | 1: 33 for pass, 35 for fail. */
#define EMULATOR_EXIT_PASS 0x10
#define EMULATOR_EXIT_FAIL 0x11

void emulator_debugcon_write(const char *text, size_t len);

/* Write "vidport: stopping, passed" (or failed) on the serial console and
 * end the machine;
 * halts instead when neither exit device is there. */
__attribute__((noreturn)) void emulator_exit(bool success);
