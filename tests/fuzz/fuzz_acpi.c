/*
 * Fuzz target: ACPI processor discovery (boot/acpi.c) on a BIOS area that
 * holds the fuzzer's bytes. Nothing outside the area can be read (the
 * reader refuses it), so a length or an entry that is believed too far
 * is an ASan report or a broken property here.
 *
 * Whatever the tables say: the walk ends, the processors recorded are at
 * most ACPI_MAX_CPUS and are the first of those counted, and the RSDP the
 * scan finds is one acpi_read_cpus accepts.
 *
 * Input: a 16-bit offset of an RSDP to read directly, then the area's
 * bytes from 0xE0000 on (the rest is zeros).
 */
#include <string.h>

#include "fuzz.h"

#include "boot/acpi.h"
#include "tests/phys_window.h"

#define AREA_BASE 0xE0000u
#define AREA_SIZE 0x20000u

static uint8_t area[AREA_SIZE];

static const void *read_area(uint32_t phys, uint32_t size)
{
    return phys_window(area, AREA_BASE, sizeof(area), phys, size);
}

static void check(const struct acpi_cpus *cpus, enum acpi_result result)
{
    PROPERTY(cpus->count <= ACPI_MAX_CPUS && cpus->count <= cpus->listed);
    PROPERTY(cpus->count == (cpus->listed < ACPI_MAX_CPUS ? cpus->listed : ACPI_MAX_CPUS));
    PROPERTY(result == ACPI_OK || cpus->listed == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_input in = { data, size };
    uint32_t direct = AREA_BASE + take_u16(&in);
    memset(area, 0, sizeof(area));
    memcpy(area, in.data, in.size < sizeof(area) ? in.size : sizeof(area));
    struct acpi_cpus cpus;
    enum acpi_result result = acpi_read_cpus(direct, read_area, &cpus);
    check(&cpus, result);
    uint32_t found = acpi_find_rsdp(read_area);
    PROPERTY(found == 0 || (found >= AREA_BASE && found % 16 == 0));
    result = acpi_read_cpus(found, read_area, &cpus);
    PROPERTY(found == 0 || result != ACPI_NO_RSDP);
    check(&cpus, result);
    return 0;
}
