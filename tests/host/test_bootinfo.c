/*
 * Multiboot information parsing, on hand-built boot information placed in
 * a fake physical memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "boot/bootinfo.h"
#include "boot/multiboot.h"
#include "tests/phys_window.h"

#define FAKE_BASE 0x10000u
#define MBI_OFFSET 2048u /* where parse() puts the information structure */
static uint8_t fake_memory[4096];

/* fake_memory is all the loader's memory there is. */
static const void *fake_phys(uint32_t phys, uint32_t size)
{
    return phys_window(fake_memory, FAKE_BASE, sizeof(fake_memory), phys, size);
}

/* Copy bytes into fake memory at offset; returns their physical address. */
static uint32_t place(uint32_t offset, const void *data, size_t len)
{
    memcpy(fake_memory + offset, data, len);
    return FAKE_BASE + offset;
}

static struct multiboot_info mbi;
static struct boot_info info;
static char warnings[8][160];
static int warning_count;

static void record_warning(const char *line)
{
    assert_true(warning_count < 8);
    snprintf(warnings[warning_count++], sizeof(warnings[0]), "%s", line);
}

/* For a line longer than fake_memory: memory at physical address 0 on. */
static const uint8_t *big_memory;
static size_t big_size;

static const void *big_phys(uint32_t phys, uint32_t size)
{
    return phys_window(big_memory, 0, big_size, phys, size);
}

/* Parse the structure at the start of memory, which holds size bytes. */
static enum bootinfo_result parse_big(uint8_t *memory, size_t size)
{
    big_memory = memory;
    big_size = size;
    return bootinfo_parse(MULTIBOOT_BOOTLOADER_MAGIC, 0, big_phys, record_warning, &info);
}

/* Parse mbi, placed in fake memory like the rest. */
static enum bootinfo_result parse(void)
{
    uint32_t at = place(MBI_OFFSET, &mbi, sizeof(mbi));
    return bootinfo_parse(MULTIBOOT_BOOTLOADER_MAGIC, at, fake_phys, record_warning, &info);
}

static int reset(void **state)
{
    (void)state;
    memset(fake_memory, 0, sizeof(fake_memory));
    memset(&mbi, 0, sizeof(mbi));
    warning_count = 0;
    return 0;
}

static void rejects_wrong_magic(void **state)
{
    (void)state;
    uint32_t at = place(MBI_OFFSET, &mbi, sizeof(mbi));
    assert_int_equal(bootinfo_parse(0x36D76289, at, fake_phys, record_warning, &info),
                     BOOTINFO_BAD_MAGIC);
    assert_string_equal(info.cmdline, "");
}

static void reads_cmdline_and_loader(void **state)
{
    (void)state;
    mbi.flags = MULTIBOOT_INFO_CMDLINE | MULTIBOOT_INFO_LOADER_NAME | MULTIBOOT_INFO_MEMORY;
    mbi.cmdline = place(0, "selftest video=banked", 22);
    mbi.boot_loader_name = place(64, "GRUB 2.06", 10);
    mbi.mem_lower_kb = 639;
    mbi.mem_upper_kb = 130048;
    assert_int_equal(parse(), BOOTINFO_OK);
    assert_string_equal(info.cmdline, "selftest video=banked");
    assert_string_equal(info.loader_name, "GRUB 2.06");
    assert_int_equal(info.mem_upper_kb, 130048);
    assert_false(info.has_framebuffer);
}

static void ignores_fields_without_their_flag(void **state)
{
    (void)state;
    mbi.cmdline = place(0, "not flagged", 12);
    mbi.mmap_length = 24;
    assert_int_equal(parse(), BOOTINFO_OK);
    assert_string_equal(info.cmdline, "");
    assert_int_equal(info.memory_count, 0);
}

static void walks_memory_map_by_entry_size(void **state)
{
    (void)state;
    /* The second entry is 4 bytes longer than usual: `size` must be honoured. */
    uint8_t map[24 + 28 + 24] = { 0 };
    struct multiboot_mmap_entry e1 = { 20, 0x0, 0x9FC00, 1 };
    struct multiboot_mmap_entry e2 = { 24, 0x100000, 0x7EE0000, 1 };
    struct multiboot_mmap_entry e3 = { 20, 0xFFFC0000, 0x40000, 2 };
    memcpy(map, &e1, 24);
    memcpy(map + 24, &e2, 24);
    memcpy(map + 52, &e3, 24);
    mbi.flags = MULTIBOOT_INFO_MEM_MAP;
    mbi.mmap_addr = place(256, map, sizeof(map));
    mbi.mmap_length = sizeof(map);
    parse();
    assert_int_equal(info.memory_count, 3);
    assert_int_equal(info.memory[1].base, 0x100000);
    assert_int_equal(info.memory[1].length, 0x7EE0000);
    assert_int_equal(info.memory[2].base, 0xFFFC0000u);
    assert_int_equal(info.memory[2].type, BOOT_MEMORY_RESERVED);
}

static void reads_modules(void **state)
{
    (void)state;
    struct multiboot_module mods[2] = {
        { 0x200000, 0x201000, place(512, "gradient", 9), 0 },
        { 0x202000, 0x203800, 0, 0 },
    };
    mbi.flags = MULTIBOOT_INFO_MODS;
    mbi.mods_count = 2;
    mbi.mods_addr = place(600, mods, sizeof(mods));
    parse();
    assert_int_equal(info.module_count, 2);
    assert_string_equal(info.modules[0].cmdline, "gradient");
    assert_string_equal(info.modules[1].cmdline, "");
    assert_int_equal(info.modules[1].end, 0x203800);
}

/* GRUB 2.06 writes the colour fields at offset 112 of the raw structure. */
static void reads_framebuffer_at_grub_offsets(void **state)
{
    (void)state;
    uint8_t raw[sizeof(struct multiboot_info)] = { 0 };
    uint32_t flags = MULTIBOOT_INFO_FRAMEBUFFER;
    uint32_t addr_lo = 0xFD000000u, pitch = 3200, width = 800, height = 600;
    memcpy(raw + 0, &flags, 4);
    memcpy(raw + 88, &addr_lo, 4);
    memcpy(raw + 96, &pitch, 4);
    memcpy(raw + 100, &width, 4);
    memcpy(raw + 104, &height, 4);
    raw[108] = 32;
    raw[109] = MULTIBOOT_FB_TYPE_RGB;
    const uint8_t colours[6] = { 16, 8, 8, 8, 0, 8 };
    memcpy(raw + 112, colours, sizeof(colours));
    uint32_t at = place(MBI_OFFSET, raw, sizeof(raw));
    bootinfo_parse(MULTIBOOT_BOOTLOADER_MAGIC, at, fake_phys, record_warning, &info);
    assert_true(info.has_framebuffer);
    assert_int_equal(info.fb.phys, 0xFD000000u);
    assert_int_equal(info.fb.pitch, 3200);
    assert_int_equal(info.fb.width, 800);
    assert_int_equal(info.fb.height, 600);
    assert_int_equal(info.fb.bpp, 32);
    assert_int_equal(info.fb.type, BOOT_FB_RGB);
    assert_int_equal(info.fb.red.position, 16);
    assert_int_equal(info.fb.green.position, 8);
    assert_int_equal(info.fb.blue.position, 0);
    assert_int_equal(info.fb.blue.size, 8);
}

static void unreadable_pointers_are_absent(void **state)
{
    (void)state;
    mbi.flags = MULTIBOOT_INFO_CMDLINE | MULTIBOOT_INFO_MEM_MAP | MULTIBOOT_INFO_MODS;
    mbi.cmdline = 0x7FFFFFF0u; /* outside what fake_phys can reach */
    mbi.mmap_addr = 0x7FFFFFF0u;
    mbi.mmap_length = 48;
    mbi.mods_addr = 0x7FFFFFF0u;
    mbi.mods_count = 3;
    assert_int_equal(parse(), BOOTINFO_OK);
    assert_string_equal(info.cmdline, "");
    assert_int_equal(info.memory_count, 0);
    assert_int_equal(info.module_count, 0);
    assert_int_equal(warning_count, 3);
    assert_string_equal(warnings[0], "boot: the command line at 0x7ffffff0 runs out of reach; "
                                     "0 bytes of it kept");
    assert_string_equal(warnings[1], "boot: memory map: its 48 bytes at 0x7ffffff0 are out of reach");
    assert_string_equal(warnings[2], "boot: modules: 3 of 3 entries skipped; the first, number 0: "
                                     "the list runs out of reach");
}

/* ---- issue 17 item 11: sizes and counts the loader gets wrong ---- */

/* A map of `count` entries (each 24 bytes, size field 20) at offset `at`. */
static void place_map(uint32_t at, const struct multiboot_mmap_entry *entries, uint32_t count,
                      uint32_t length)
{
    memcpy(fake_memory + at, entries, count * sizeof(*entries));
    mbi.flags |= MULTIBOOT_INFO_MEM_MAP;
    mbi.mmap_addr = FAKE_BASE + at;
    mbi.mmap_length = length;
}

static void partial_last_map_entry_is_skipped(void **state)
{
    (void)state;
    const struct multiboot_mmap_entry map[2] = { { 20, 0x100000, 0x100000, 1 },
                                                 { 20, 0x200000, 0x100000, 1 } };
    place_map(4096 - 36, map, 1, 36); /* the second's first 12 bytes end the memory */
    memcpy(fake_memory + 4096 - 12, &map[1], 12);
    assert_int_equal(parse(), BOOTINFO_OK);
    assert_int_equal(info.memory_count, 1);
    assert_int_equal(info.memory[0].base, 0x100000);
    assert_int_equal(warning_count, 1);
    assert_string_equal(warnings[0], "boot: memory map: 1 of 2 entries skipped; the first, at "
                                     "byte 24: it runs past the end of the map");
}

static void map_entry_of_size_zero_is_skipped(void **state)
{
    (void)state;
    uint8_t map[4 + 24 + 24] = { 0 }; /* a bare size field of 0, then two entries */
    const struct multiboot_mmap_entry e = { 20, 0x100000, 0x100000, 1 };
    const struct multiboot_mmap_entry empty = { 20, 0x300000, 0, 1 };
    memcpy(map + 4, &e, 24);
    memcpy(map + 28, &empty, 24);
    mbi.flags = MULTIBOOT_INFO_MEM_MAP;
    mbi.mmap_addr = place(256, map, sizeof(map));
    mbi.mmap_length = sizeof(map);
    parse();
    assert_int_equal(info.memory_count, 1);
    assert_int_equal(info.memory[0].base, 0x100000);
    assert_string_equal(warnings[0], "boot: memory map: 2 of 3 entries skipped; the first, at "
                                     "byte 0: its size field says less than 20 bytes");
}

static void map_entry_size_that_wraps_is_skipped(void **state)
{
    (void)state;
    const struct multiboot_mmap_entry e[2] = { { 0xFFFFFFFCu, 0x100000, 0x100000, 1 },
                                               { 20, 0xFFFFFFFFFFFFF000ull, 0x1000, 2 } };
    place_map(256, e, 1, 24);
    parse();
    assert_int_equal(info.memory_count, 0);
    place_map(256, e + 1, 1, 24); /* a range whose end is 2^64 */
    warning_count = 0;
    parse();
    assert_int_equal(info.memory_count, 0);
    assert_string_equal(warnings[0], "boot: memory map: 1 of 1 entries skipped; the first, at "
                                     "byte 0: it ends past 2^64");
}

static void map_longer_than_memory_is_not_read(void **state)
{
    (void)state;
    const struct multiboot_mmap_entry e[2] = { { 20, 0x100000, 0x100000, 1 },
                                               { 20, 0x200000, 0x100000, 1 } };
    place_map(4096 - 48, e, 2, 0x10000);
    parse();
    assert_int_equal(info.memory_count, 0);
    assert_string_equal(warnings[0], "boot: memory map: its 65536 bytes at 0x10fd0 are out of reach");
}

static void map_beyond_the_table_is_counted(void **state)
{
    (void)state;
    static uint8_t memory[256 + 24 * (BOOT_MAX_MEMORY_RANGES + 2)];
    struct multiboot_info *m = (struct multiboot_info *)memory;
    for (uint32_t i = 0; i < BOOT_MAX_MEMORY_RANGES + 2; i++) {
        const struct multiboot_mmap_entry e = { 20, 0x100000 + i * 0x1000ull, 0x1000, 1 };
        memcpy(memory + 256 + 24 * i, &e, 24);
    }
    *m = (struct multiboot_info){ .flags = MULTIBOOT_INFO_MEM_MAP, .mmap_addr = 256,
                                  .mmap_length = sizeof(memory) - 256 };
    parse_big(memory, sizeof(memory));
    assert_int_equal(info.memory_count, BOOT_MAX_MEMORY_RANGES);
    assert_string_equal(warnings[0], "boot: memory map: 2 of 130 entries skipped; the first, at "
                                     "byte 3072: the kernel keeps no more ranges");
}

/* Parse a list of two modules, the first from start to end, placed at
 * offset in fake memory, that the structure says has `listed` entries. */
static void parse_two_modules(uint32_t start, uint32_t end, uint32_t listed, uint32_t offset)
{
    const struct multiboot_module mods[2] = { { start, end, 0, 0 },
                                              { 0x202000, 0x203000, 0, 0 } };
    mbi.flags = MULTIBOOT_INFO_MODS;
    mbi.mods_count = listed;
    mbi.mods_addr = place(offset, mods, sizeof(mods));
    parse();
}

static void module_count_beyond_the_list_is_not_read(void **state)
{
    (void)state;
    parse_two_modules(0x200000, 0x201000, 1000, 4096 - 2 * sizeof(struct multiboot_module));
    assert_int_equal(info.module_count, 2);
    assert_int_equal(info.modules[1].end, 0x203000);
    assert_string_equal(warnings[0], "boot: modules: 998 of 1000 entries skipped; the first, "
                                     "number 2: the list runs out of reach");
}

/* Its bytes would underflow into "every frame" when reserved. */
static void module_ending_before_its_start_is_skipped(void **state)
{
    (void)state;
    parse_two_modules(0x201000, 0x200000, 2, 600);
    assert_int_equal(info.module_count, 1);
    assert_int_equal(info.modules[0].start, 0x202000);
    assert_string_equal(warnings[0], "boot: modules: 1 of 2 entries skipped; the first, "
                                     "number 0: it ends before it starts");
}

static void modules_beyond_the_table_are_counted(void **state)
{
    (void)state;
    struct multiboot_module mods[BOOT_MAX_MODULES + 1];
    for (uint32_t i = 0; i < BOOT_MAX_MODULES + 1; i++)
        mods[i] = (struct multiboot_module){ 0x200000 + i * 0x1000, 0x201000 + i * 0x1000, 0, 0 };
    mbi.flags = MULTIBOOT_INFO_MODS;
    mbi.mods_count = 0xFFFFFFFFu;
    mbi.mods_addr = place(0, mods, sizeof(mods));
    parse();
    assert_int_equal(info.module_count, BOOT_MAX_MODULES);
    assert_string_equal(warnings[0], "boot: modules: 4294967279 of 4294967295 entries skipped; "
                                     "the first, number 16: the kernel keeps no more");
}

static void framebuffer_that_wraps_is_not_used(void **state)
{
    (void)state;
    mbi.flags = MULTIBOOT_INFO_FRAMEBUFFER;
    mbi.framebuffer_addr_lo = 0xFFFFF000u;
    mbi.framebuffer_addr_hi = 0xFFFFFFFFu;
    mbi.framebuffer_pitch = 0x1000;
    mbi.framebuffer_height = 2;
    parse();
    assert_false(info.has_framebuffer);
    assert_string_equal(warnings[0], "boot: frame buffer: its lines reach past 2^64; not used");
    mbi.framebuffer_height = 1; /* ends at 2^64 - 1 + 1: the last byte is still an address */
    mbi.framebuffer_pitch = 0xFFF;
    parse();
    assert_true(info.has_framebuffer);
}

static void structure_out_of_reach_is_refused(void **state)
{
    (void)state;
    mbi.flags = MULTIBOOT_INFO_FRAMEBUFFER;
    place(4096 - 64, &mbi, 64); /* the frame buffer fields would lie past the memory */
    assert_int_equal(bootinfo_parse(MULTIBOOT_BOOTLOADER_MAGIC, FAKE_BASE + 4096 - 64, fake_phys,
                                    record_warning, &info), BOOTINFO_UNREADABLE);
    mbi.flags = MULTIBOOT_INFO_MEMORY; /* without them, 64 bytes are plenty */
    mbi.mem_upper_kb = 1234;
    place(4096 - 68, &mbi, 68);
    assert_int_equal(bootinfo_parse(MULTIBOOT_BOOTLOADER_MAGIC, FAKE_BASE + 4096 - 68, fake_phys,
                                    record_warning, &info), BOOTINFO_OK);
    assert_int_equal(info.mem_upper_kb, 1234);
    assert_int_equal(bootinfo_parse(MULTIBOOT_BOOTLOADER_MAGIC, 0xFFFFFFFEu, fake_phys,
                                    record_warning, &info), BOOTINFO_UNREADABLE);
}

/* Issue 17 item 9: the line is cut where the kernel's copy ends, and says so. */
static void long_cmdline_is_cut_and_says_where(void **state)
{
    (void)state;
    static uint8_t memory[256 + BOOT_CMDLINE_MAX + 100];
    char *line = (char *)memory + 256;
    memset(line, 'a', BOOT_CMDLINE_MAX + 99);
    memcpy(line + BOOT_CMDLINE_MAX - 1, "dropped from here", 17);
    *(struct multiboot_info *)memory =
        (struct multiboot_info){ .flags = MULTIBOOT_INFO_CMDLINE, .cmdline = 256 };
    assert_int_equal(parse_big(memory, sizeof(memory)), BOOTINFO_OK);
    assert_true(info.cmdline_cut);
    assert_int_equal(strlen(info.cmdline), BOOT_CMDLINE_MAX - 1);
    assert_string_equal(info.cmdline_dropped, "dropped from hereaaaaaaaaaaaaaa");
    assert_int_equal(warning_count, 0);
    line[BOOT_CMDLINE_MAX - 1] = '\0'; /* exactly as long as the kernel keeps: whole */
    parse_big(memory, sizeof(memory));
    assert_false(info.cmdline_cut);
    assert_int_equal(strlen(info.cmdline), BOOT_CMDLINE_MAX - 1);
    assert_string_equal(info.cmdline_dropped, "");
}

/* The v86 monitor's 64 KiB at 0x20000 (kernel/v86.h): a module that reaches
 * into it, even by one byte or empty at an address inside, keeps BIOS calls
 * off; one that ends where it starts or starts where it ends does not. */
#define LOW_START 0x20000u
#define LOW_END 0x30000u

static bool overlaps(const struct boot_module *modules, int count)
{
    info.module_count = count;
    memcpy(info.modules, modules, (size_t)count * sizeof(*modules));
    return bootinfo_module_overlaps(&info, LOW_START, LOW_END);
}

static void module_overlap_counts_every_byte(void **state)
{
    (void)state;
    const struct boot_module around[] = {
        { 0x10000, LOW_START, "" },       /* ends where the range starts */
        { LOW_END, 0x40000, "" },         /* starts where it ends */
        { 0x100000, 0x200000, "" },       /* far above */
    };
    assert_false(overlaps(around, 0));
    assert_false(overlaps(around, 3));
    const struct boot_module last_byte[] = { { 0x10000, LOW_START + 1, "" } };
    const struct boot_module first_byte[] = { { LOW_END - 1, 0x40000, "" } };
    const struct boot_module across[] = { { 0x10000, 0x100000, "" } };
    const struct boot_module inside[] = { { 0x24000, 0x25000, "" } };
    const struct boot_module empty[] = { { 0x28000, 0x28000, "" } };
    assert_true(overlaps(last_byte, 1));
    assert_true(overlaps(first_byte, 1));
    assert_true(overlaps(across, 1));
    assert_true(overlaps(inside, 1));
    assert_true(overlaps(empty, 1));
}

static void module_overlap_looks_past_the_first(void **state)
{
    (void)state;
    const struct boot_module modules[] = {
        { 0x100000, 0x180000, "initrd" },
        { 0x200000, 0x201000, "" },
        { 0x2F000, 0x31000, "low" },
    };
    assert_false(overlaps(modules, 2));
    assert_true(overlaps(modules, 3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(rejects_wrong_magic, reset),
        cmocka_unit_test_setup(reads_cmdline_and_loader, reset),
        cmocka_unit_test_setup(ignores_fields_without_their_flag, reset),
        cmocka_unit_test_setup(walks_memory_map_by_entry_size, reset),
        cmocka_unit_test_setup(reads_modules, reset),
        cmocka_unit_test_setup(reads_framebuffer_at_grub_offsets, reset),
        cmocka_unit_test_setup(unreadable_pointers_are_absent, reset),
        cmocka_unit_test_setup(partial_last_map_entry_is_skipped, reset),
        cmocka_unit_test_setup(map_entry_of_size_zero_is_skipped, reset),
        cmocka_unit_test_setup(map_entry_size_that_wraps_is_skipped, reset),
        cmocka_unit_test_setup(map_longer_than_memory_is_not_read, reset),
        cmocka_unit_test_setup(map_beyond_the_table_is_counted, reset),
        cmocka_unit_test_setup(module_count_beyond_the_list_is_not_read, reset),
        cmocka_unit_test_setup(module_ending_before_its_start_is_skipped, reset),
        cmocka_unit_test_setup(modules_beyond_the_table_are_counted, reset),
        cmocka_unit_test_setup(framebuffer_that_wraps_is_not_used, reset),
        cmocka_unit_test_setup(structure_out_of_reach_is_refused, reset),
        cmocka_unit_test_setup(long_cmdline_is_cut_and_says_where, reset),
        cmocka_unit_test_setup(module_overlap_counts_every_byte, reset),
        cmocka_unit_test_setup(module_overlap_looks_past_the_first, reset),
    };
    return cmocka_run_group_tests_name("bootinfo", tests, NULL, NULL);
}
