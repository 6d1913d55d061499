/*
 * PS/2 keyboard: translate make codes of scancode set 1 (the controller's
 * default translation) into ASCII, tracking shift.
 */
#include "keyboard.h"

#include <stdbool.h>
#include <stdint.h>

#include "kernel/cpu.h"
#include "kernel/irq.h"

#define KBD_DATA 0x60
#define KBD_STATUS 0x64
#define STATUS_OUTPUT_FULL 0x01
#define IRQ_KEYBOARD 1
#define RELEASE 0x80
#define LEFT_SHIFT 0x2A
#define RIGHT_SHIFT 0x36

static const char plain[0x3A] =
    "\0\0331234567890-=\b\tqwertyuiop[]\n\0asdfghjkl;'`\0\\zxcvbnm,./\0*\0 ";
static const char shifted[0x3A] =
    "\0\033!@#$%^&*()_+\b\tQWERTYUIOP{}\n\0ASDFGHJKL:\"~\0|ZXCVBNM<>?\0*\0 ";

static void (*deliver)(char c);
static bool shift;

static void on_key(void)
{
    uint8_t code = inb(KBD_DATA);
    uint8_t key = code & ~RELEASE;
    if (key == LEFT_SHIFT || key == RIGHT_SHIFT) {
        shift = !(code & RELEASE);
        return;
    }
    if ((code & RELEASE) || key >= sizeof(plain))
        return;
    char c = shift ? shifted[key] : plain[key];
    if (c && deliver)
        deliver(c);
}

void keyboard_init(void (*sink)(char c))
{
    deliver = sink;
    while (inb(KBD_STATUS) & STATUS_OUTPUT_FULL) /* drop whatever the firmware left queued */
        inb(KBD_DATA);
    irq_register(IRQ_KEYBOARD, on_key);
}
