/*
 * The processors the firmware's ACPI tables list: the RSDP (where the
 * acpi.rsdp= option says, by the legacy scan of the EBDA's first KiB and
 * 0xE0000-0xFFFFF, or in the memory map's ACPI-reclaimable ranges), its
 * RSDT or XSDT, and the MADT's local APIC entries. Pure: physical memory is read
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

/* Where an RSDP was found. */
enum acpi_rsdp_source {
    ACPI_RSDP_NONE,
    ACPI_RSDP_OPTION,      /* where acpi.rsdp= said (a UEFI loader's hand-over) */
    ACPI_RSDP_LEGACY,      /* by the legacy scan (BIOS) */
    ACPI_RSDP_RECLAIMABLE, /* in an ACPI-reclaimable range of the memory map (OVMF under GRUB) */
};

/* What became of the acpi.rsdp= option. */
enum acpi_option {
    ACPI_OPTION_UNSET,
    ACPI_OPTION_USED,
    ACPI_OPTION_MALFORMED, /* not "0x" and 1 to 16 hex digits, or zero */
    ACPI_OPTION_ABOVE_4G,  /* an address the kernel's reader cannot reach */
    ACPI_OPTION_NO_RSDP,   /* no signed, summed RSDP there */
};

struct acpi_rsdp_search {
    uint32_t phys; /* the RSDP, 0 when none was found */
    enum acpi_rsdp_source source;
    enum acpi_option option;
};

/*
 * The RSDP: at the address option (acpi.rsdp='s text, NULL when not given)
 * names if a valid one is there; else by the legacy scan; else the first
 * on a 16-byte boundary in the ACPI-reclaimable ranges of info's memory
 * map, in map order, as far as the reader reaches them. An option that is
 * not believed is only reported (in .option), never trusted.
 */
struct acpi_rsdp_search acpi_locate_rsdp(const char *option, const struct boot_info *info,
                                         boot_phys_reader phys);

/* Why acpi.rsdp= was not used, and where an RSDP was found, for the console. */
const char *acpi_option_name(enum acpi_option option);
const char *acpi_rsdp_source_name(enum acpi_rsdp_source source);

/* The processors the MADT names, from the RSDP at rsdp_phys. */
enum acpi_result acpi_read_cpus(uint32_t rsdp_phys, boot_phys_reader phys, struct acpi_cpus *out);

const char *acpi_result_name(enum acpi_result result);
