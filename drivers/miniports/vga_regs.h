/*
 * Standard VGA registers, shared by the miniports that drive VGA-compatible
 * hardware: the DAC palette and mode 13h programmed without the BIOS.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* Load the fixed 8-bit palette every 8 bpp mode uses: index bits RRRGGGBB,
 * each field scaled to the DAC's 6 bits (see rgb332_dac_level). */
void vga_load_rgb332_palette(void);

/* The 6-bit DAC level for a field value v of `bits` bits (3 or 2). */
uint8_t vga_rgb332_dac_level(uint32_t v, uint32_t bits);

/* Program mode 13h: 320x200, 256 colours, chain-4, one byte per pixel at
 * 0xA0000 + y * 320 + x. */
void vga_set_mode_13h(void);

/* True when a VGA's registers answer (the attribute index round-trips). */
bool vga_present(void);
