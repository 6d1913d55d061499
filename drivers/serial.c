/*
 * 16550 UART on COM1. Transmission busy-waits on the holding register so
 * output survives a panic with interrupts off.
 */
#include "serial.h"

#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/irq.h"

#define COM1 0x3F8
#define REG_DATA 0
#define REG_INTERRUPT_ENABLE 1
#define REG_FIFO_CONTROL 2
#define REG_LINE_CONTROL 3
#define REG_MODEM_CONTROL 4
#define REG_LINE_STATUS 5
#define LCR_DIVISOR_LATCH 0x80
#define LCR_8N1 0x03
#define FIFO_ENABLE_CLEAR_14 0xC7
#define MCR_DTR_RTS_OUT2 0x0B
#define LSR_DATA_READY 0x01
#define LSR_TX_EMPTY 0x20
#define DIVISOR_115200 1
#define IER_DATA_AVAILABLE 0x01
#define IRQ_COM1 4

static void put_byte(char c)
{
    while (!(inb(COM1 + REG_LINE_STATUS) & LSR_TX_EMPTY))
        ;
    outb(COM1 + REG_DATA, (uint8_t)c);
}

void serial_write(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n')
            put_byte('\r');
        put_byte(text[i]);
    }
}

bool serial_poll_byte(uint8_t *byte)
{
    if (!(inb(COM1 + REG_LINE_STATUS) & LSR_DATA_READY))
        return false;
    *byte = inb(COM1 + REG_DATA);
    return true;
}

static void (*input_sink)(char c);

static void on_receive(void)
{
    uint8_t byte;
    while (serial_poll_byte(&byte))
        input_sink((char)byte);
}

void serial_enable_input(void (*sink)(char c))
{
    input_sink = sink;
    irq_register(IRQ_COM1, on_receive);
    outb(COM1 + REG_INTERRUPT_ENABLE, IER_DATA_AVAILABLE);
}

static void serial_console_write(struct console *con, const char *text, size_t len)
{
    (void)con;
    serial_write(text, len);
}

static struct console serial_console = { .name = "serial", .write = serial_console_write };

void serial_init(void)
{
    outb(COM1 + REG_INTERRUPT_ENABLE, 0);
    outb(COM1 + REG_LINE_CONTROL, LCR_DIVISOR_LATCH);
    outb(COM1 + REG_DATA, DIVISOR_115200);
    outb(COM1 + REG_INTERRUPT_ENABLE, 0);
    outb(COM1 + REG_LINE_CONTROL, LCR_8N1);
    outb(COM1 + REG_FIFO_CONTROL, FIFO_ENABLE_CLEAR_14);
    outb(COM1 + REG_MODEM_CONTROL, MCR_DTR_RTS_OUT2);
    console_register(&serial_console);
}
