/*
 * ACPI processor discovery (boot/acpi.c) on tables built by hand in a fake
 * first MiB: an RSDP found by the legacy scan, named by acpi.rsdp= or
 * found in the memory map's ACPI-reclaimable ranges, its RSDT or XSDT,
 * and a MADT, with every way a length or checksum can be wrong.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "boot/acpi.h"
#include "tests/phys_window.h"

#define RSDP_AT 0xF5A00u
#define ROOT_AT 0x7000u
#define MADT_AT 0x8000u
#define EBDA_AT 0x9FC00u

static uint8_t memory[0x100000];

static const void *fake_phys(uint32_t phys, uint32_t size)
{
    return phys_window(memory, 0, sizeof(memory), phys, size);
}

static void put32(uint32_t at, uint32_t value)
{
    for (int i = 0; i < 4; i++)
        memory[at + i] = (uint8_t)(value >> (8 * i));
}

/* Make the bytes [at, at + len) sum to zero through the one at `fix`. */
static void checksum(uint32_t at, uint32_t len, uint32_t fix)
{
    uint8_t sum = 0;
    memory[fix] = 0;
    for (uint32_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + memory[at + i]);
    memory[fix] = (uint8_t)-sum;
}

/* A table header of `len` bytes with signature `sig`, summed. */
static void header(uint32_t at, const char *sig, uint32_t len)
{
    memcpy(memory + at, sig, 4);
    put32(at + 4, len);
    checksum(at, len, at + 9);
}

static void rsdp(uint32_t at, uint32_t root, int revision)
{
    memcpy(memory + at, "RSD PTR ", 8);
    memory[at + 15] = (uint8_t)revision;
    put32(at + 16, revision >= 2 ? 0 : root);
    checksum(at, 20, at + 8);
    if (revision >= 2) {
        put32(at + 20, 36);
        put32(at + 24, root); /* the XSDT's address, high half 0 */
        put32(at + 28, 0);
        checksum(at, 36, at + 32); /* over the first 20 bytes too, so last */
    }
}

/* A MADT at MADT_AT of `cpus` local APICs (ids 0, 2, 4...; the one at
 * `disabled` not enabled) and an IOAPIC entry; returns its length. */
static uint32_t madt(uint32_t cpus, int disabled)
{
    uint32_t off = 44;
    put32(MADT_AT + 36, 0xFEE00000u);
    for (uint32_t i = 0; i < cpus; i++, off += 8) {
        uint8_t entry[8] = { 0, 8, (uint8_t)i, (uint8_t)(2 * i), (int)i == disabled ? 0 : 1 };
        memcpy(memory + MADT_AT + off, entry, 8);
    }
    uint8_t ioapic[12] = { 1, 12, 0, 0, 0, 0, 0xC0, 0xFE };
    memcpy(memory + MADT_AT + off, ioapic, 12);
    off += 12;
    header(MADT_AT, "APIC", off);
    return off;
}

/* The tables SeaBIOS gives QEMU's -smp 4: RSDP rev 0, an RSDT naming a
 * FACP-like table and the MADT. */
static int build(void **state)
{
    (void)state;
    memset(memory, 0, sizeof(memory));
    header(0x6000, "FACP", 36);
    madt(4, 2);
    put32(ROOT_AT + 36, 0x6000);
    put32(ROOT_AT + 40, MADT_AT);
    header(ROOT_AT, "RSDT", 44);
    rsdp(RSDP_AT, ROOT_AT, 0);
    return 0;
}

static void finds_every_enabled_processor(void **state)
{
    (void)state;
    struct acpi_cpus cpus;
    uint32_t found = acpi_find_rsdp(fake_phys);
    assert_int_equal(found, RSDP_AT);
    assert_int_equal(acpi_read_cpus(found, fake_phys, &cpus), ACPI_OK);
    assert_int_equal(cpus.listed, 3);
    assert_int_equal(cpus.count, 3);
    assert_int_equal(cpus.apic_id[0], 0);
    assert_int_equal(cpus.apic_id[1], 2);
    assert_int_equal(cpus.apic_id[2], 6); /* the third (id 4) is disabled */
    assert_int_equal(cpus.lapic_phys, 0xFEE00000u);
}

/* The EBDA's first KiB is scanned before the BIOS area. */
static void the_ebda_comes_first(void **state)
{
    (void)state;
    memory[0x40E] = (uint8_t)(EBDA_AT >> 4);
    memory[0x40F] = (uint8_t)(EBDA_AT >> 12);
    rsdp(EBDA_AT + 0x30, ROOT_AT, 0);
    assert_int_equal(acpi_find_rsdp(fake_phys), EBDA_AT + 0x30);
}

/* A signature whose checksum is wrong, or off a 16-byte boundary, is not
 * an RSDP; neither is a version 2 one whose extended checksum is wrong. */
static void only_a_summed_rsdp_counts(void **state)
{
    (void)state;
    memory[RSDP_AT + 16] ^= 1;
    assert_int_equal(acpi_find_rsdp(fake_phys), 0);
    memset(memory + RSDP_AT, 0, 36);
    rsdp(RSDP_AT + 8, ROOT_AT, 0);
    assert_int_equal(acpi_find_rsdp(fake_phys), 0);
    rsdp(RSDP_AT, ROOT_AT, 2);
    memory[RSDP_AT + 33] ^= 1;
    assert_int_equal(acpi_find_rsdp(fake_phys), 0);
    struct acpi_cpus cpus;
    assert_int_equal(acpi_read_cpus(RSDP_AT, fake_phys, &cpus), ACPI_NO_RSDP);
    assert_int_equal(acpi_read_cpus(0, fake_phys, &cpus), ACPI_NO_RSDP);
}

/* Version 2: the XSDT's 64-bit entries. */
static void an_xsdt_is_followed(void **state)
{
    (void)state;
    memset(memory + ROOT_AT, 0, 64);
    put32(ROOT_AT + 36, MADT_AT);
    header(ROOT_AT, "XSDT", 44);
    rsdp(RSDP_AT, ROOT_AT, 2);
    struct acpi_cpus cpus;
    assert_int_equal(acpi_read_cpus(RSDP_AT, fake_phys, &cpus), ACPI_OK);
    assert_int_equal(cpus.listed, 3);
}

/* A root table longer than any PC's, out of memory, or badly summed; a
 * MADT badly summed or missing. */
static void bad_tables_are_refused(void **state)
{
    (void)state;
    struct acpi_cpus cpus;
    header(ROOT_AT, "RSDT", 0x20000);
    assert_int_equal(acpi_read_cpus(RSDP_AT, fake_phys, &cpus), ACPI_BAD_TABLE);
    rsdp(RSDP_AT, 0x200000, 0);
    assert_int_equal(acpi_read_cpus(RSDP_AT, fake_phys, &cpus), ACPI_BAD_TABLE);
    header(ROOT_AT, "RSDT", 44);
    rsdp(RSDP_AT, ROOT_AT, 0);
    memory[MADT_AT + 50] ^= 1;
    assert_int_equal(acpi_read_cpus(RSDP_AT, fake_phys, &cpus), ACPI_NO_MADT);
    assert_int_equal(cpus.listed, 0);
}

/* An entry of length 0 or 1 would never end the walk, one running past the
 * table reads past it: both end it, with what came before. */
static void entries_that_do_not_fit_end_the_walk(void **state)
{
    (void)state;
    struct acpi_cpus cpus;
    uint32_t len = madt(4, -1);
    memory[MADT_AT + 44 + 8 + 1] = 0; /* the second entry's length */
    checksum(MADT_AT, len, MADT_AT + 9);
    assert_int_equal(acpi_read_cpus(RSDP_AT, fake_phys, &cpus), ACPI_OK);
    assert_int_equal(cpus.listed, 1);
    len = madt(4, -1);
    memory[MADT_AT + 44 + 3 * 8 + 1] = 200; /* the fourth runs past the end */
    checksum(MADT_AT, len, MADT_AT + 9);
    assert_int_equal(acpi_read_cpus(RSDP_AT, fake_phys, &cpus), ACPI_OK);
    assert_int_equal(cpus.listed, 3);
}

/* More processors than the list holds: all are counted, the first kept. */
static void many_processors_are_counted(void **state)
{
    (void)state;
    struct acpi_cpus cpus;
    madt(ACPI_MAX_CPUS + 4, -1);
    assert_int_equal(acpi_read_cpus(RSDP_AT, fake_phys, &cpus), ACPI_OK);
    assert_int_equal(cpus.listed, ACPI_MAX_CPUS + 4);
    assert_int_equal(cpus.count, ACPI_MAX_CPUS);
    assert_int_equal(cpus.apic_id[ACPI_MAX_CPUS - 1], 2 * (ACPI_MAX_CPUS - 1));
}

/* ---- where the RSDP is found: acpi.rsdp=, the legacy scan, the memory map ---- */

#define RECLAIM_AT 0x20000u

static struct boot_info info;

static void range(uint64_t base, uint64_t length, uint32_t type)
{
    info.memory[info.memory_count++] = (struct boot_memory_range){ base, length, type };
}

/* The tables of build() with the RSDP moved out of the legacy areas to
 * `at`, in a map with no ACPI-reclaimable range yet. */
static void move_rsdp(uint32_t at, int revision)
{
    memset(memory + RSDP_AT, 0, 36);
    memset(&info, 0, sizeof(info));
    range(0, 0x9F000, BOOT_MEMORY_AVAILABLE);
    rsdp(at, ROOT_AT, revision);
}

static struct acpi_rsdp_search locate(const char *option)
{
    return acpi_locate_rsdp(option, &info, fake_phys);
}

static void assert_found(struct acpi_rsdp_search s, uint32_t phys, enum acpi_rsdp_source source,
                         enum acpi_option option)
{
    assert_int_equal(s.phys, phys);
    assert_int_equal(s.source, source);
    assert_int_equal(s.option, option);
}

/* The address a loader hands over is taken as it is, on no boundary, in
 * either case of hex digit; the RSDP there then leads to the processors. */
static void the_option_names_the_rsdp(void **state)
{
    (void)state;
    struct acpi_cpus cpus;
    move_rsdp(0x30004, 0);
    assert_found(locate("0x30004"), 0x30004, ACPI_RSDP_OPTION, ACPI_OPTION_USED);
    assert_found(locate("0X0000000000030004"), 0x30004, ACPI_RSDP_OPTION, ACPI_OPTION_USED);
    rsdp(0xABCD0, ROOT_AT, 2);
    assert_found(locate("0xaBcD0"), 0xABCD0, ACPI_RSDP_OPTION, ACPI_OPTION_USED);
    assert_int_equal(acpi_read_cpus(locate("0x30004").phys, fake_phys, &cpus), ACPI_OK);
    assert_int_equal(cpus.listed, 3);
    /* The option comes before the legacy scan, which would find another. */
    rsdp(RSDP_AT, ROOT_AT, 0);
    assert_found(locate("0x30004"), 0x30004, ACPI_RSDP_OPTION, ACPI_OPTION_USED);
    assert_found(locate(NULL), RSDP_AT, ACPI_RSDP_LEGACY, ACPI_OPTION_UNSET);
}

/* A value that is no hex address, one above 4 GiB, or one with no valid
 * RSDP is said so and the scans go on as without it. */
static void an_option_not_believed_leaves_the_scans(void **state)
{
    (void)state;
    static const char *const malformed[] = {
        "", "0x", "0x0", "1234", "x1234", "0x12g4", "0x 1234", "-0x1234", "0x1234 ",
        "0x00000000000000001", /* 17 digits */
    };
    for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++)
        assert_found(locate(malformed[i]), RSDP_AT, ACPI_RSDP_LEGACY, ACPI_OPTION_MALFORMED);
    assert_found(locate("0x100000000"), RSDP_AT, ACPI_RSDP_LEGACY, ACPI_OPTION_ABOVE_4G);
    assert_found(locate("0xFFFFFFFFFFFFFFFF"), RSDP_AT, ACPI_RSDP_LEGACY, ACPI_OPTION_ABOVE_4G);
    assert_found(locate("0x1234"), RSDP_AT, ACPI_RSDP_LEGACY, ACPI_OPTION_NO_RSDP);
    assert_found(locate("0x200000"), RSDP_AT, ACPI_RSDP_LEGACY, ACPI_OPTION_NO_RSDP); /* unmapped */
    rsdp(0x30000, ROOT_AT, 0);
    memory[0x30000 + 16] ^= 1; /* the checksum */
    assert_found(locate("0x30000"), RSDP_AT, ACPI_RSDP_LEGACY, ACPI_OPTION_NO_RSDP);
    rsdp(0x30000, ROOT_AT, 2);
    memory[0x30000 + 33] ^= 1; /* the extended checksum alone */
    assert_found(locate("0x30000"), RSDP_AT, ACPI_RSDP_LEGACY, ACPI_OPTION_NO_RSDP);
    /* A version 1 RSDP in the last 20 bytes the reader reaches is read whole. */
    rsdp(sizeof(memory) - 20, ROOT_AT, 0);
    assert_found(locate("0xFFFEC"), 0xFFFEC, ACPI_RSDP_OPTION, ACPI_OPTION_USED);
}

/* With nothing where the legacy scan looks (OVMF), the RSDP is the first
 * on a 16-byte boundary in an ACPI-reclaimable range; other ranges are
 * not scanned, however good an RSDP they hold. */
static void acpi_reclaimable_ranges_are_scanned(void **state)
{
    (void)state;
    move_rsdp(0x50000, 0);
    range(0x50000, 0x1000, BOOT_MEMORY_ACPI_NVS);
    assert_found(locate(NULL), 0, ACPI_RSDP_NONE, ACPI_OPTION_UNSET);
    rsdp(RECLAIM_AT + 0x1230, ROOT_AT, 2);
    rsdp(RECLAIM_AT + 0x1288, ROOT_AT, 0); /* off the boundary */
    range(RECLAIM_AT + 0x1280, 0x100, BOOT_MEMORY_ACPI_RECLAIMABLE);
    assert_found(locate(NULL), 0, ACPI_RSDP_NONE, ACPI_OPTION_UNSET);
    range(RECLAIM_AT, 0x4000, BOOT_MEMORY_ACPI_RECLAIMABLE);
    assert_found(locate(NULL), RECLAIM_AT + 0x1230, ACPI_RSDP_RECLAIMABLE, ACPI_OPTION_UNSET);
    assert_found(locate("0x1234"), RECLAIM_AT + 0x1230, ACPI_RSDP_RECLAIMABLE, ACPI_OPTION_NO_RSDP);
    /* The first range in the map's order, not in address order. */
    rsdp(RECLAIM_AT + 0x5000, ROOT_AT, 0);
    info.memory[1] = (struct boot_memory_range){ RECLAIM_AT + 0x5000, 0x1000,
                                                 BOOT_MEMORY_ACPI_RECLAIMABLE };
    assert_found(locate(NULL), RECLAIM_AT + 0x5000, ACPI_RSDP_RECLAIMABLE, ACPI_OPTION_UNSET);
}

/* A version 2 RSDP whose 36 bytes cross from one block the scan reads
 * into the next is found, and so is one at a range's unaligned start. */
static void the_scan_reads_across_its_blocks(void **state)
{
    (void)state;
    move_rsdp(RECLAIM_AT + 0xFF0, 2);
    range(RECLAIM_AT, 0x3000, BOOT_MEMORY_ACPI_RECLAIMABLE);
    assert_found(locate(NULL), RECLAIM_AT + 0xFF0, ACPI_RSDP_RECLAIMABLE, ACPI_OPTION_UNSET);
    move_rsdp(RECLAIM_AT + 0x10, 2);
    range(RECLAIM_AT + 8, 0x100, BOOT_MEMORY_ACPI_RECLAIMABLE);
    assert_found(locate(NULL), RECLAIM_AT + 0x10, ACPI_RSDP_RECLAIMABLE, ACPI_OPTION_UNSET);
    /* An RSDP must lie inside its range: one whose last bytes are past it is not taken. */
    info.memory[1].length = 0x10 + 20 - 8 - 1;
    assert_found(locate(NULL), 0, ACPI_RSDP_NONE, ACPI_OPTION_UNSET);
}

#define REACH 0x80000u

/* The first 512 KiB of the fake memory: a direct map that ends there. */
static const void *short_phys(uint32_t phys, uint32_t size)
{
    return phys_window(memory, 0, REACH, phys, size);
}

/* What of a range the reader does not reach is passed over, the rest
 * still scanned; ranges above 4 GiB or ending at 2^64 are not read at all. */
static void a_range_out_of_reach_is_passed_over(void **state)
{
    (void)state;
    move_rsdp(REACH - 0x40, 2);
    range(0xFFFFFFFF00000000ull, 0x100000000ull, BOOT_MEMORY_ACPI_RECLAIMABLE);
    range(0x100000000ull, 0x100000, BOOT_MEMORY_ACPI_RECLAIMABLE);
    range(REACH, 0x100000, BOOT_MEMORY_ACPI_RECLAIMABLE);
    assert_found(acpi_locate_rsdp(NULL, &info, short_phys), 0, ACPI_RSDP_NONE, ACPI_OPTION_UNSET);
    range(REACH - 0x2000, 0x4000, BOOT_MEMORY_ACPI_RECLAIMABLE);
    assert_found(acpi_locate_rsdp(NULL, &info, short_phys), REACH - 0x40, ACPI_RSDP_RECLAIMABLE,
                 ACPI_OPTION_UNSET);
}

static void names_say_what_happened(void **state)
{
    (void)state;
    assert_string_equal(acpi_option_name(ACPI_OPTION_NO_RSDP), "no valid RSDP there");
    assert_string_equal(acpi_option_name(ACPI_OPTION_MALFORMED), "not 0x and a hex address");
    assert_string_equal(acpi_option_name((enum acpi_option)99), "unknown");
    assert_string_equal(acpi_rsdp_source_name(ACPI_RSDP_RECLAIMABLE),
                        "found in ACPI-reclaimable memory");
    assert_string_equal(acpi_rsdp_source_name(ACPI_RSDP_OPTION), "given by acpi.rsdp=");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(finds_every_enabled_processor, build),
        cmocka_unit_test_setup(the_ebda_comes_first, build),
        cmocka_unit_test_setup(only_a_summed_rsdp_counts, build),
        cmocka_unit_test_setup(an_xsdt_is_followed, build),
        cmocka_unit_test_setup(bad_tables_are_refused, build),
        cmocka_unit_test_setup(entries_that_do_not_fit_end_the_walk, build),
        cmocka_unit_test_setup(many_processors_are_counted, build),
        cmocka_unit_test_setup(the_option_names_the_rsdp, build),
        cmocka_unit_test_setup(an_option_not_believed_leaves_the_scans, build),
        cmocka_unit_test_setup(acpi_reclaimable_ranges_are_scanned, build),
        cmocka_unit_test_setup(the_scan_reads_across_its_blocks, build),
        cmocka_unit_test_setup(a_range_out_of_reach_is_passed_over, build),
        cmocka_unit_test(names_say_what_happened),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
