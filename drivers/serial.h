/*
 * COM1, a 16550 UART at 115200 8N1, polled. The first console.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Program the UART and register it as a console. */
void serial_init(void);

/* Write bytes straight to the port (no other console sees them). */
void serial_write(const char *text, size_t len);

/* Deliver received bytes to sink from the receive interrupt (IRQ 4). After
 * this, serial_poll_byte no longer sees input. */
void serial_enable_input(void (*sink)(char c));

/* Take one received byte if one is waiting; false otherwise. */
bool serial_poll_byte(uint8_t *byte);
