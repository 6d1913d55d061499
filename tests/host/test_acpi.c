/*
 * ACPI processor discovery (boot/acpi.c) on tables built by hand in a fake
 * first MiB: an RSDP found by the legacy scan, its RSDT or XSDT, and a
 * MADT, with every way a length or checksum can be wrong.
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
