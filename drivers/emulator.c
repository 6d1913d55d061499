/*
 * The emulators' debug console and exit devices (emulator.h).
 */
#include "emulator.h"

#include "drivers/serial.h"
#include "kernel/cpu.h"
#include "kernel/kstring.h"

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
    /* Serial only: the screen may be banked, and its bank switch a BIOS
     * call, which this may be the end of. */
    const char *line = success ? "vidport: stopping, passed\n" : "vidport: stopping, failed\n";
    (void)irq_save(); /* no interrupt's line inside this one: nothing runs after it */
    serial_write(line, strlen(line));
    outl(DEBUG_EXIT_PORT, success ? EMULATOR_EXIT_PASS : EMULATOR_EXIT_FAIL);
    for (const char *word = "Shutdown"; *word; word++)
        outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*word);
    cpu_stop();
}
