/*
 * PS/2 keyboard on IRQ 1: scancode set 1, US layout, to characters.
 */
#pragma once

/* Start delivering typed characters to sink. */
void keyboard_init(void (*sink)(char c));
