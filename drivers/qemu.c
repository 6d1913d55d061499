/*
 * QEMU debug console and exit device.
 */
#include "qemu.h"

#include "kernel/cpu.h"

#define DEBUGCON_PORT 0xE9
#define DEBUG_EXIT_PORT 0xF4

void qemu_debugcon_write(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++)
        outb(DEBUGCON_PORT, (uint8_t)text[i]);
}

void qemu_exit(bool success)
{
    outl(DEBUG_EXIT_PORT, success ? QEMU_EXIT_PASS : QEMU_EXIT_FAIL);
    cpu_stop();
}
