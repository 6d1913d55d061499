/*
 * The miniports built into the kernel, one line each, in the order the
 * port tries them: specific hardware first, then the fallbacks (vga when
 * there is no usable RGB boot frame buffer, else any VBE adapter through
 * its video BIOS on a BIOS boot, else bootfb, which drives the boot frame
 * buffer). A miniport NAME provides NAME_probe, which only looks (no side
 * effects), and NAME_driver_entry, which registers it with
 * VideoPortInitialize; its own files are drivers/miniports/NAME*.c.
 */
#pragma once

#include <stdbool.h>

#include "kernel/abi/video.h"

#define BUILTIN_MINIPORTS(X)                                                     \
    X(bga)    /* QEMU/Bochs std VGA: PCI 1234:1111, DISPI */                     \
    X(cirrus) /* the Cirrus GD5446: PCI 1013:00B8 */                             \
    X(vga)    /* standard VGA: mode 13h, no BIOS */                              \
    X(vbe)    /* any VBE 2.0+ adapter, through its video BIOS */                 \
    X(bootfb) /* the frame buffer the boot loader set up */

#define DECLARE_MINIPORT(name)  \
    bool name##_probe(void);    \
    VP_STATUS name##_driver_entry(void);
BUILTIN_MINIPORTS(DECLARE_MINIPORT)
#undef DECLARE_MINIPORT
