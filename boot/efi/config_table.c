/*
 * The firmware's configuration table (handoff.h): the tables UEFI lists by
 * GUID, such as the ACPI RSDP the loader hands the kernel.
 */
#include "handoff.h"

#include "kernel/kstring.h"

uint64_t uefi_config_table(const struct uefi_config_entry *entries, size_t count,
                           const uint8_t (*wanted)[16], size_t wanted_count)
{
    for (size_t w = 0; w < wanted_count; w++) {
        for (size_t i = 0; i < count; i++) {
            if (memcmp(entries[i].guid, wanted[w], sizeof(wanted[w])) == 0)
                return entries[i].table;
        }
    }
    return 0;
}
