/*
 * Multiboot information parsing, on hand-built boot information placed in
 * a fake physical memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boot/bootinfo.h"
#include "boot/multiboot.h"

#define FAKE_BASE 0x10000u
static uint8_t fake_memory[4096];

static const void *fake_phys(uint32_t phys)
{
    if (phys < FAKE_BASE || phys >= FAKE_BASE + sizeof(fake_memory))
        return NULL;
    return fake_memory + (phys - FAKE_BASE);
}

/* Copy bytes into fake memory at offset; returns their physical address. */
static uint32_t place(uint32_t offset, const void *data, size_t len)
{
    memcpy(fake_memory + offset, data, len);
    return FAKE_BASE + offset;
}

static struct multiboot_info mbi;
static struct boot_info info;

static int reset(void **state)
{
    (void)state;
    memset(fake_memory, 0, sizeof(fake_memory));
    memset(&mbi, 0, sizeof(mbi));
    return 0;
}

static void rejects_wrong_magic(void **state)
{
    (void)state;
    assert_int_equal(bootinfo_parse(0x36D76289, &mbi, fake_phys, &info), BOOTINFO_BAD_MAGIC);
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
    assert_int_equal(bootinfo_parse(MULTIBOOT_BOOTLOADER_MAGIC, &mbi, fake_phys, &info), BOOTINFO_OK);
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
    assert_int_equal(bootinfo_parse(MULTIBOOT_BOOTLOADER_MAGIC, &mbi, fake_phys, &info), BOOTINFO_OK);
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
    bootinfo_parse(MULTIBOOT_BOOTLOADER_MAGIC, &mbi, fake_phys, &info);
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
    bootinfo_parse(MULTIBOOT_BOOTLOADER_MAGIC, &mbi, fake_phys, &info);
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
    bootinfo_parse(MULTIBOOT_BOOTLOADER_MAGIC, raw, fake_phys, &info);
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
    assert_int_equal(bootinfo_parse(MULTIBOOT_BOOTLOADER_MAGIC, &mbi, fake_phys, &info), BOOTINFO_OK);
    assert_string_equal(info.cmdline, "");
    assert_int_equal(info.memory_count, 0);
    assert_int_equal(info.module_count, 0);
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
    };
    return cmocka_run_group_tests_name("bootinfo", tests, NULL, NULL);
}
