/*
 * The miniports built into the kernel, for the port's probe table. Each
 * probe only looks (no side effects); DriverEntry registers the miniport
 * with VideoPortInitialize.
 */
#pragma once

#include <stdbool.h>

#include "kernel/abi/video.h"

bool bga_probe(void);                /* QEMU/Bochs std VGA: PCI 1234:1111, DISPI */
VP_STATUS bga_driver_entry(void);
bool cirrus_probe(void);             /* QEMU's Cirrus GD5446: PCI 1013:00B8 */
VP_STATUS cirrus_driver_entry(void);
bool vga_probe(void);                /* standard VGA: mode 13h, no BIOS */
VP_STATUS vga_driver_entry(void);
bool vbe_probe(void);                /* any VBE 2.0+ adapter, through its video BIOS */
VP_STATUS vbe_driver_entry(void);
bool bootfb_probe(void);             /* the frame buffer the boot loader set up */
VP_STATUS bootfb_driver_entry(void);
