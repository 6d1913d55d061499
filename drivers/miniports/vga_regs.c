/*
 * VGA register programming. Register values for mode 13h are the standard
 * ones (the same the VGA BIOS loads); order matters: sequencer reset first,
 * CRTC unlocked before its registers are written, palette address source
 * switched back on last or the screen stays blank.
 */
#include "vga_regs.h"

#include "kernel/cpu.h"
#include "kernel/kernel.h"

#define VGA_MISC_WRITE 0x3C2
#define VGA_SEQ_INDEX 0x3C4
#define VGA_DAC_WRITE_INDEX 0x3C8
#define VGA_DAC_DATA 0x3C9
#define VGA_GC_INDEX 0x3CE
#define VGA_CRTC_INDEX 0x3D4
#define VGA_ATTR 0x3C0
#define VGA_INPUT_STATUS 0x3DA
#define VGA_ATTR_PALETTE_SOURCE 0x20
#define CRTC_PROTECT 0x11

static const uint8_t mode13_seq[] = { 0x01, 0x0F, 0x00, 0x0E }; /* SR1..SR4 */
static const uint8_t seq_reset = 0x01, seq_run = 0x03;
static const uint8_t mode13_crtc[] = { 0x5F, 0x4F, 0x50, 0x82, 0x54, 0x80, 0xBF, 0x1F, 0x00,
                                       0x41, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x9C, 0x8E,
                                       0x8F, 0x28, 0x40, 0x96, 0xB9, 0xA3, 0xFF };
static const uint8_t mode13_gc[] = { 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x05, 0x0F, 0xFF };
static const uint8_t mode13_attr[] = { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                                       0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F,
                                       0x41, 0x00, 0x0F, 0x00, 0x00 };

/* Write values to the indexed registers first, first + 1, ... of port. */
static void write_indexed(uint16_t port, uint8_t first, const uint8_t *values, uint8_t count)
{
    for (uint8_t i = 0; i < count; i++) {
        outb(port, (uint8_t)(first + i));
        outb(port + 1, values[i]);
    }
}

uint8_t vga_rgb332_dac_level(uint32_t v, uint32_t bits)
{
    uint32_t max = (1u << bits) - 1;
    return (uint8_t)((v * 63 + max / 2) / max);
}

void vga_load_rgb332_palette(void)
{
    outb(VGA_DAC_WRITE_INDEX, 0);
    for (uint32_t i = 0; i < 256; i++) {
        outb(VGA_DAC_DATA, vga_rgb332_dac_level(i >> 5, 3));
        outb(VGA_DAC_DATA, vga_rgb332_dac_level((i >> 2) & 7, 3));
        outb(VGA_DAC_DATA, vga_rgb332_dac_level(i & 3, 2));
    }
}

void vga_set_mode_13h(void)
{
    outb(VGA_MISC_WRITE, 0x63);
    write_indexed(VGA_SEQ_INDEX, 0, &seq_reset, 1); /* held in reset while reprogrammed */
    write_indexed(VGA_SEQ_INDEX, 1, mode13_seq, sizeof(mode13_seq));
    write_indexed(VGA_SEQ_INDEX, 0, &seq_run, 1);
    outb(VGA_CRTC_INDEX, CRTC_PROTECT);
    outb(VGA_CRTC_INDEX + 1, mode13_crtc[CRTC_PROTECT] & 0x7F);
    write_indexed(VGA_CRTC_INDEX, 0, mode13_crtc, sizeof(mode13_crtc));
    write_indexed(VGA_GC_INDEX, 0, mode13_gc, sizeof(mode13_gc));
    inb(VGA_INPUT_STATUS); /* attribute flip-flop to "index" */
    for (uint8_t i = 0; i < sizeof(mode13_attr); i++) {
        outb(VGA_ATTR, i);
        outb(VGA_ATTR, mode13_attr[i]);
    }
    inb(VGA_INPUT_STATUS);
    outb(VGA_ATTR, VGA_ATTR_PALETTE_SOURCE);
}

bool vga_present(void)
{
    outb(VGA_GC_INDEX, 0x08);
    bool answers = inb(VGA_GC_INDEX) == 0x08;
    outb(VGA_GC_INDEX, 0x00);
    return answers && inb(VGA_GC_INDEX) == 0x00;
}
