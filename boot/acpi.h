/*
 * The processors the firmware's ACPI tables list: the RSDP found by the
 * legacy scan (the EBDA's first KiB, then 0xE0000-0xFFFFF), its RSDT or
 * XSDT, and the MADT's local APIC entries. Pure: physical memory is read
 * through a boot_phys_reader, so the host tests and a fuzz target feed it
 * crafted tables. Every length and checksum is checked before a byte
 * behind it is read.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "bootinfo.h"

#define ACPI_MAX_CPUS 16

struct acpi_cpus {
    uint32_t listed;                /* local APIC entries usable now (enabled) */
    uint32_t count;                 /* of them, the ones recorded below */
    uint8_t apic_id[ACPI_MAX_CPUS]; /* in the MADT's order: the boot CPU is usually first */
    uint32_t lapic_phys;            /* the local APICs' registers */
};

enum acpi_result {
    ACPI_OK,
    ACPI_NO_RSDP,    /* no signed, summed RSDP where the scan looks */
    ACPI_BAD_TABLE,  /* the RSDT/XSDT out of reach, or its length or checksum wrong */
    ACPI_NO_MADT,    /* no valid "APIC" table among the RSDT's entries */
};

/* The RSDP's physical address by the legacy scan, or 0 when there is none. */
uint32_t acpi_find_rsdp(boot_phys_reader phys);

/* The processors the MADT names, from the RSDP at rsdp_phys. */
enum acpi_result acpi_read_cpus(uint32_t rsdp_phys, boot_phys_reader phys, struct acpi_cpus *out);

const char *acpi_result_name(enum acpi_result result);
