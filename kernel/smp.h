/*
 * The other processors: started through INIT and start-up IPIs once the
 * boot CPU is up, each with its own GDT, TSS, stack, PAT and local APIC.
 * For now they wait, halted with interrupts off; processes run on the
 * boot CPU.
 */
#pragma once

#include <stdint.h>

#include "boot/acpi.h"

/* The page the start-up code is copied to (0x8000): below 1 MiB as a
 * start-up IPI needs, and in the first MiB, which the kernel never hands
 * out. Nothing the kernel still reads may lie there (a boot module). */
#define AP_START_PAGE 8u

/* Set up this CPU's local APIC and start the processors `cpus` lists
 * besides this one (none when cpus is NULL), as many as `limit` (the smp=
 * option's text, NULL for all) allows, one at a time, and print
 * `smp: N CPUs online`. Interrupts must be on: the waits between the IPIs
 * are counted in timer ticks. Returns how many CPUs are online. */
uint32_t smp_start(const struct acpi_cpus *cpus, const char *limit);

/* How many processors are online (1 until smp_start). */
uint32_t smp_online(void);
