/*
 * The emulators' debug console and exit devices (emulator.h).
 */
#include "emulator.h"

#include "kernel/cpu.h"
#include "kernel/kernel.h"

#define DEBUGCON_PORT 0xE9
#define DEBUG_EXIT_PORT 0xF4
#define BOCHS_SHUTDOWN_PORT 0x8900

void emulator_debugcon_write(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++)
        outb(DEBUGCON_PORT, (uint8_t)text[i]);
}

void emulator_exit(bool success)
{
    kprintf("vidport: stopping, %s\n", success ? "passed" : "failed");
    outl(DEBUG_EXIT_PORT, success ? EMULATOR_EXIT_PASS : EMULATOR_EXIT_FAIL);
    for (const char *word = "Shutdown"; *word; word++)
        outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*word);
    cpu_stop();
}
