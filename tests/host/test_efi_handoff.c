/*
 * The UEFI loader's other decisions (boot/efi/handoff.h), without firmware:
 * whether a range of a hand-built UEFI memory map is free (memory_map.c),
 * the multiboot block it hands over (mbi.c, read back with the kernel's own
 * bootinfo_parse and its options parser), which firmware table it takes
 * for the RSDP (config_table.c). Its checks on the kernel file are in
 * test_efi_kernel_image.c, its choice of a GOP mode in test_efi_video.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boot/bootinfo.h"
#include "boot/efi/handoff.h"
#include "boot/multiboot.h"
#include "kernel/cmdline.h"
#include "tests/phys_window.h"

/* ---- UEFI memory maps built by hand ---- */

#define DESC_SIZE 48u /* larger than the specification's 40 bytes */

static _Alignas(8) uint8_t descs[160 * DESC_SIZE];
static size_t desc_count;

static void desc(uint32_t type, uint64_t phys, uint64_t pages)
{
    uint8_t *d = descs + desc_count++ * DESC_SIZE;
    const uint64_t virt = 0xDEAD000000000000ull | phys, attributes = 0xF;
    memset(d, 0xEE, DESC_SIZE);
    memcpy(d, &type, sizeof(type));
    memcpy(d + 8, &phys, sizeof(phys));
    memcpy(d + 16, &virt, sizeof(virt));
    memcpy(d + 24, &pages, sizeof(pages));
    memcpy(d + 32, &attributes, sizeof(attributes));
}

static struct uefi_memory_map the_map(void)
{
    return (struct uefi_memory_map){ descs, desc_count * DESC_SIZE, DESC_SIZE };
}

/* A PC-like map, out of address order, with a hole at 0xA00000-0xB00000. */
static int pc_map(void **state)
{
    (void)state;
    desc_count = 0;
    desc(UEFI_CONVENTIONAL, 0x100000000ull, 0x40000);
    desc(UEFI_CONVENTIONAL, 0x200000, 0x600);
    desc(UEFI_MMIO, 0xFEC00000, 1);
    desc(UEFI_BOOT_DATA, 0, 0x9F);
    desc(UEFI_CONVENTIONAL, 0x900000, 0x100);
    desc(UEFI_ACPI_NVS, 0x800000, 0x10);
    desc(UEFI_CONVENTIONAL, 0x100000, 0x100);
    desc(UEFI_UNUSABLE, 0xB40000, 0x10);
    desc(UEFI_RESERVED, 0x9F000, 0x61);
    desc(UEFI_RUNTIME_CODE, 0xB30000, 0x10);
    desc(UEFI_LOADER_CODE, 0x810000, 0xF0);
    desc(UEFI_ACPI_RECLAIM, 0xB10000, 0x10);
    desc(UEFI_BOOT_CODE, 0xB00000, 0x10);
    desc(UEFI_LOADER_DATA, 0xB50000, 0x10);
    desc(UEFI_RUNTIME_DATA, 0xB20000, 0x10);
    return 0;
}

static void range_inside_one_descriptor_is_free(void **state)
{
    (void)state;
    struct uefi_memory_map map = the_map();
    uint64_t where = 1;
    int type = 99;
    assert_true(uefi_range_is_free(&map, 0x101000, 0x1FF000, &where, &type));
    assert_int_equal(where, 1); /* untouched */
    assert_int_equal(type, 99);
}

static void range_over_adjacent_descriptors_is_free(void **state)
{
    (void)state;
    struct uefi_memory_map map = the_map();
    uint64_t where = 0;
    int type = 0;
    assert_true(uefi_range_is_free(&map, 0x180000, 0x300000, &where, &type));
    assert_true(uefi_range_is_free(&map, 0x100000, 0x800000, &where, &type));
}

/* [low, high) of the map is not free: the first address that is not is
 * busy_at, and the firmware has memory of busy_type there. */
static void assert_busy_in(const struct uefi_memory_map *map, uint64_t low, uint64_t high,
                           uint64_t busy_at, int busy_type)
{
    uint64_t where = 0;
    int type = 0;
    assert_false(uefi_range_is_free(map, low, high, &where, &type));
    assert_int_equal(where, busy_at);
    assert_int_equal(type, busy_type);
}

static void assert_busy(uint64_t low, uint64_t high, uint64_t busy_at, int busy_type)
{
    struct uefi_memory_map map = the_map();
    assert_busy_in(&map, low, high, busy_at, busy_type);
}

static void range_into_acpi_nvs_is_busy(void **state)
{
    (void)state;
    assert_busy(0x700000, 0x900000, 0x800000, UEFI_ACPI_NVS);
    assert_busy(0x7FF000, 0x800001, 0x800000, UEFI_ACPI_NVS);
}

static void range_over_hole_is_busy(void **state)
{
    (void)state;
    assert_busy(0x980000, 0xA80000, 0xA00000, UEFI_NO_MEMORY);
    assert_busy(0x810000, 0x820000, 0x810000, UEFI_LOADER_CODE); /* not free yet */
}

static void names_memory_types(void **state)
{
    (void)state;
    assert_string_equal(uefi_memory_type_name(UEFI_CONVENTIONAL), "free memory");
    assert_string_equal(uefi_memory_type_name(UEFI_ACPI_NVS), "ACPI NVS memory");
    assert_string_equal(uefi_memory_type_name(UEFI_RESERVED), "reserved memory");
    assert_string_equal(uefi_memory_type_name(UEFI_PERSISTENT), "persistent memory");
    assert_string_equal(uefi_memory_type_name(UEFI_NO_MEMORY), "no memory at all");
    assert_string_equal(uefi_memory_type_name(15), "memory of an unknown type");
    assert_string_equal(uefi_memory_type_name(-2), "memory of an unknown type");
}

/* ---- issue 17 item 11: descriptors the firmware gets wrong ---- */

/* Pages from phys to 2^64 exactly: one more than an end below 2^64 allows. */
#define PAGES_TO_2_64(phys) ((0ull - (phys)) / PAGE_BYTES)

/* A descriptor whose end wraps to 0 and one below it made the walk go
 * round between them for ever; now the wrapping one describes nothing. */
static void wrapping_descriptor_does_not_make_the_walk_loop(void **state)
{
    (void)state;
    desc_count = 0;
    desc(UEFI_CONVENTIONAL, 0x1000, PAGES_TO_2_64(0x1000));
    desc(UEFI_CONVENTIONAL, 0, 2);
    assert_busy(0, 0x10000, 0x2000, UEFI_NO_MEMORY);
    desc_count = 0;
    desc(UEFI_CONVENTIONAL, 0x1000, PAGES_TO_2_64(0x1000) - 1); /* ends at 2^64 - 4096 */
    struct uefi_memory_map map = the_map();
    uint64_t where = 0;
    int type = 0;
    assert_true(uefi_range_is_free(&map, 0xFFFFFFFFFFFFE000ull, 0xFFFFFFFFFFFFF000ull, &where,
                                   &type));
}

static void descriptors_of_an_unreadable_size_are_not_read(void **state)
{
    (void)state;
    struct uefi_memory_map map = the_map();
    map.descriptor_size = 32; /* the fields would overlap the next descriptor */
    map.size = desc_count * 32;
    assert_busy_in(&map, 0x101000, 0x102000, 0x101000, UEFI_NO_MEMORY);
    map.descriptor_size = 44; /* every other one's 64-bit fields would be misaligned */
    map.size = desc_count * 44;
    assert_busy_in(&map, 0x101000, 0x102000, 0x101000, UEFI_NO_MEMORY);
}

/* ---- the multiboot block, read back by the kernel's parser ---- */

#define BLOCK_PHYS 0x70000u

static struct mbi_block block;
static struct boot_info info;

static const void *block_phys(uint32_t phys, uint32_t size)
{
    return phys_window(&block, BLOCK_PHYS, sizeof(block), phys, size);
}

/* The loader's block always holds together: the kernel skips nothing of it. */
static void no_warning(const char *line)
{
    fail_msg("the kernel warns about the loader's block: %s", line);
}

static void parse(void)
{
    assert_int_equal(bootinfo_parse(MULTIBOOT_BOOTLOADER_MAGIC, BLOCK_PHYS, block_phys, no_warning,
                                    &info), BOOTINFO_OK);
}

static int new_block(void **state)
{
    pc_map(state);
    memset(&block, 0x77, sizeof(block));
    mbi_init(&block, BLOCK_PHYS, "vidport-efi", "selftest video=1024x768x32");
    return 0;
}

static void block_has_cmdline_and_loader(void **state)
{
    (void)state;
    parse();
    assert_string_equal(info.cmdline, "selftest video=1024x768x32");
    assert_string_equal(info.loader_name, "vidport-efi");
    assert_int_equal(info.module_count, 0);
    assert_int_equal(info.memory_count, 0);
    assert_false(info.has_framebuffer);
}

static void block_has_module(void **state)
{
    (void)state;
    mbi_set_module(&block, 0x400000, 0x412345, "initrd");
    parse();
    assert_int_equal(info.module_count, 1);
    assert_int_equal(info.modules[0].start, 0x400000);
    assert_int_equal(info.modules[0].end, 0x412345);
    assert_string_equal(info.modules[0].cmdline, "initrd");
    mbi_set_module(&block, 0x500000, 0x501000, "a-very-long-module-name");
    parse();
    assert_int_equal(info.module_count, 1);
    assert_string_equal(info.modules[0].cmdline, "a-very-long-mod");
}

struct range {
    uint64_t base, length;
    uint32_t type;
};

static void assert_ranges(const struct range *want, int count)
{
    assert_int_equal(info.memory_count, count);
    for (int i = 0; i < count; i++) {
        assert_int_equal(info.memory[i].base, want[i].base);
        assert_int_equal(info.memory[i].length, want[i].length);
        assert_int_equal(info.memory[i].type, want[i].type);
    }
}

static void block_memory_map_is_sorted_and_merged(void **state)
{
    (void)state;
    static const struct range want[] = {
        { 0, 0x9F000, 1 },           { 0x9F000, 0x61000, 2 },  { 0x100000, 0x700000, 1 },
        { 0x800000, 0x10000, 4 },    { 0x810000, 0x1F0000, 1 }, { 0xB00000, 0x10000, 1 },
        { 0xB10000, 0x10000, 3 },    { 0xB20000, 0x20000, 2 }, { 0xB40000, 0x10000, 5 },
        { 0xB50000, 0x10000, 1 },    { 0xFEC00000, 0x1000, 2 }, { 0x100000000ull, 0x40000000, 1 },
    };
    struct uefi_memory_map map = the_map();
    assert_int_equal(mbi_set_memory_map(&block, &map), 0);
    parse();
    assert_ranges(want, 12);
    assert_int_equal(info.mem_lower_kb, 0x9F000 / 1024);
    assert_int_equal(info.mem_upper_kb, 0x700000 / 1024);
    assert_string_equal(info.cmdline, "selftest video=1024x768x32");
}

static void block_memory_map_leaves_out_unreadable_descriptors(void **state)
{
    (void)state;
    static const struct range want[] = { { 0x100000, 0x100000, 1 } };
    desc_count = 0;
    desc(UEFI_CONVENTIONAL, 0x100000, 0x100);
    desc(UEFI_RESERVED, 0x1000, PAGES_TO_2_64(0x1000));
    desc(UEFI_CONVENTIONAL, 0x300000, UINT64_MAX);
    struct uefi_memory_map map = the_map();
    assert_int_equal(mbi_set_memory_map(&block, &map), 2);
    parse();
    assert_ranges(want, 1);
    map.descriptor_size = 24;
    map.size = 3 * 24;
    assert_int_equal(mbi_set_memory_map(&block, &map), 3);
    parse();
    assert_ranges(want, 0);
}

static void block_memory_map_drops_what_does_not_fit(void **state)
{
    (void)state;
    mbi_set_module(&block, 0x400000, 0x401000, "initrd");
    desc_count = 0;
    for (uint32_t i = 0; i < MBI_MAX_RANGES + 5; i++) /* alternating: nothing merges */
        desc(i % 2 ? UEFI_RESERVED : UEFI_CONVENTIONAL, 0x100000 + i * 0x1000ull, 1);
    struct uefi_memory_map map = the_map();
    assert_int_equal(mbi_set_memory_map(&block, &map), 5);
    assert_int_equal(block.info.mmap_length, MBI_MAX_RANGES * sizeof(struct multiboot_mmap_entry));
    const struct multiboot_mmap_entry *last = &block.ranges[MBI_MAX_RANGES - 1];
    assert_int_equal(last->addr, 0x100000 + (MBI_MAX_RANGES - 1) * 0x1000);
    assert_int_equal(last->type, 2);
    assert_string_equal(block.module_name, "initrd"); /* nothing written past the table */
}

static void block_memory_map_second_call_replaces_first(void **state)
{
    (void)state;
    struct uefi_memory_map map = the_map();
    mbi_set_memory_map(&block, &map);
    desc_count = 0;
    desc(UEFI_BOOT_CODE, 0x100000, 0x200);
    desc(UEFI_CONVENTIONAL, 0, 0x80);
    map = the_map();
    assert_int_equal(mbi_set_memory_map(&block, &map), 0);
    parse();
    static const struct range want[] = { { 0, 0x80000, 1 }, { 0x100000, 0x200000, 1 } };
    assert_ranges(want, 2);
    assert_int_equal(info.mem_lower_kb, 512);
    assert_int_equal(info.mem_upper_kb, 2048);
}

static void block_cuts_long_cmdline(void **state)
{
    (void)state;
    static char line[MBI_CMDLINE_MAX + 100];
    memset(line, 'a', sizeof(line) - 1);
    line[MBI_CMDLINE_MAX - 2] = 'z';
    line[sizeof(line) - 1] = '\0';
    mbi_init(&block, BLOCK_PHYS, "a loader name longer than thirty-one chars", line);
    assert_int_equal(strlen(block.cmdline), MBI_CMDLINE_MAX - 1);
    assert_int_equal(block.cmdline[MBI_CMDLINE_MAX - 2], 'z');
    assert_string_equal(block.loader_name, "a loader name longer than thirt");
    parse();
    assert_int_equal(strlen(info.cmdline), BOOT_CMDLINE_MAX - 1);
    assert_true(info.cmdline_cut); /* the kernel sees the line was longer */
}

/* The RSDP goes first, so that run=, which takes the rest of the line,
 * still has its own; the kernel reads both back. */
static void block_hands_over_the_rsdp(void **state)
{
    (void)state;
    static struct cmdline options;
    mbi_init(&block, BLOCK_PHYS, "vidport-efi", "video=banked run=hello 1,hello 2");
    mbi_set_rsdp(&block, 0x7FB7E014u);
    parse();
    assert_string_equal(info.cmdline, "acpi.rsdp=0x7fb7e014 video=banked run=hello 1,hello 2");
    cmdline_parse(&options, info.cmdline);
    assert_string_equal(cmdline_get(&options, "acpi.rsdp"), "0x7fb7e014");
    assert_string_equal(cmdline_get(&options, "run"), "hello 1,hello 2");
    /* An acpi.rsdp= the line brings of its own comes later and wins. */
    mbi_init(&block, BLOCK_PHYS, "vidport-efi", "acpi.rsdp=0x1234");
    mbi_set_rsdp(&block, 0x7FB7E014u);
    cmdline_parse(&options, block.cmdline);
    assert_string_equal(cmdline_get(&options, "acpi.rsdp"), "0x1234");
    mbi_init(&block, BLOCK_PHYS, "vidport-efi", "");
    mbi_set_rsdp(&block, 0x12345678ABCull); /* above 4 GiB: the kernel says it cannot reach it */
    assert_string_equal(block.cmdline, "acpi.rsdp=0x12345678abc");
    mbi_set_rsdp(&block, 0);
    assert_string_equal(block.cmdline, "acpi.rsdp=0x12345678abc");
}

/* A line as long as the block holds loses its end, not the RSDP. */
static void block_rsdp_cuts_a_full_line(void **state)
{
    (void)state;
    static char line[MBI_CMDLINE_MAX];
    memset(line, 'a', sizeof(line) - 1);
    line[sizeof(line) - 1] = '\0';
    mbi_init(&block, BLOCK_PHYS, "vidport-efi", line);
    mbi_set_rsdp(&block, 0x777E014u);
    assert_int_equal(strlen(block.cmdline), MBI_CMDLINE_MAX - 1);
    assert_memory_equal(block.cmdline, "acpi.rsdp=0x777e014 aaa", 23);
    assert_int_equal(block.cmdline[MBI_CMDLINE_MAX - 2], 'a');
}

/* ---- the configuration table ---- */

/* Three GUIDs: b and c differ in a last byte only. */
static const uint8_t guids[3][16] = {
    { 0x71, 0xE8, 0x68, 0x88, 0xF1, 0xE4, 0xD3, 0x11 },
    { 0x30, 0x2D, 0x9D, 0xEB, 0x88, 0x2D, 0xD3, 0x11 },
    { 0x30, 0x2D, 0x9D, 0xEB, 0x88, 0x2D, 0xD3, 0x11, [15] = 1 },
};

/* The first GUID wanted that an entry names wins, wherever the entry is;
 * a GUID that differs in its last byte only is another. */
static void config_table_takes_the_first_wanted(void **state)
{
    (void)state;
    struct uefi_config_entry entries[3] = { { .table = 0x1000 }, { .table = 0x2000 },
                                            { .table = 0x3000 } };
    memcpy(entries[0].guid, guids[2], 16);
    memcpy(entries[1].guid, guids[1], 16);
    memcpy(entries[2].guid, guids[0], 16);
    assert_int_equal(uefi_config_table(entries, 3, guids, 2), 0x3000);
    assert_int_equal(uefi_config_table(entries, 2, guids, 2), 0x2000);
    assert_int_equal(uefi_config_table(entries, 1, guids, 2), 0);
    assert_int_equal(uefi_config_table(entries, 3, guids + 2, 1), 0x1000);
    assert_int_equal(uefi_config_table(entries, 0, guids, 3), 0);
}

static void assert_colours(uint8_t rp, uint8_t rs, uint8_t gp, uint8_t gs, uint8_t bp,
                           uint8_t bs)
{
    assert_int_equal(info.fb.red.position, rp);
    assert_int_equal(info.fb.red.size, rs);
    assert_int_equal(info.fb.green.position, gp);
    assert_int_equal(info.fb.green.size, gs);
    assert_int_equal(info.fb.blue.position, bp);
    assert_int_equal(info.fb.blue.size, bs);
}

static void block_framebuffer_bgrx(void **state)
{
    (void)state;
    const struct gop_mode mode = { 1024, 768, 1056, GOP_BGRX, 0, 0, 0, 0 };
    mbi_set_framebuffer(&block, &mode, 0x80000000u);
    parse();
    assert_true(info.has_framebuffer);
    assert_int_equal(info.fb.phys, 0x80000000u);
    assert_int_equal(info.fb.pitch, 1056 * 4);
    assert_int_equal(info.fb.width, 1024);
    assert_int_equal(info.fb.height, 768);
    assert_int_equal(info.fb.bpp, 32);
    assert_int_equal(info.fb.type, BOOT_FB_RGB);
    assert_colours(16, 8, 8, 8, 0, 8);
    assert_string_equal(info.cmdline, "selftest video=1024x768x32");
}

static void block_framebuffer_rgbx(void **state)
{
    (void)state;
    const struct gop_mode mode = { 800, 600, 800, GOP_RGBX, 0, 0, 0, 0 };
    mbi_set_framebuffer(&block, &mode, 0xC0000000u);
    parse();
    assert_int_equal(info.fb.pitch, 3200);
    assert_int_equal(info.fb.bpp, 32);
    assert_colours(0, 8, 8, 8, 16, 8);
}

static void block_framebuffer_bit_mask(void **state)
{
    (void)state;
    const struct gop_mode mode = { 640, 480, 640, GOP_BIT_MASK, 0xF800, 0x07E0, 0x001F, 0 };
    mbi_set_framebuffer(&block, &mode, 0xC0000000u);
    parse();
    assert_int_equal(info.fb.type, BOOT_FB_RGB);
    assert_int_equal(info.fb.bpp, 16);
    assert_int_equal(info.fb.pitch, 640 * 2);
    assert_colours(11, 5, 5, 6, 0, 5);
    const struct gop_mode wide = { 640, 480, 640, GOP_BIT_MASK, 0x3FF00000, 0xFFC00, 0x3FF,
                                   0xC0000000 };
    mbi_set_framebuffer(&block, &wide, 0xC0000000u);
    parse();
    assert_int_equal(info.fb.bpp, 32);
    assert_int_equal(info.fb.pitch, 640 * 4);
    assert_colours(20, 10, 10, 10, 0, 10);
}

static void block_framebuffer_above_4g(void **state)
{
    (void)state;
    const struct gop_mode mode = { 800, 600, 832, GOP_BGRX, 0, 0, 0, 0 };
    mbi_set_framebuffer(&block, &mode, 0x4000001000ull);
    assert_int_equal(block.info.framebuffer_addr_lo, 0x1000);
    assert_int_equal(block.info.framebuffer_addr_hi, 0x40);
    parse();
    assert_int_equal(info.fb.phys, 0x4000001000ull);
    assert_int_equal(info.fb.pitch, 832 * 4);
}

/* ---- the graphics mode ---- */


static void block_memory_map_skips_empty_descriptors(void **state)
{
    (void)state;
    static const struct range want[] = { { 0x100000, 0x100000, 1 } };
    desc_count = 0;
    desc(UEFI_CONVENTIONAL, 0x100000, 0); /* empty, at the same address as the next */
    desc(UEFI_CONVENTIONAL, 0x100000, 0x100);
    desc(UEFI_RESERVED, 0x300000, 0);
    struct uefi_memory_map map = the_map();
    assert_int_equal(mbi_set_memory_map(&block, &map), 0);
    parse();
    assert_ranges(want, 1);
    assert_int_equal(info.mem_upper_kb, 1024);
}
/* A claim at the address of free memory, later in the map: the loader
 * must not place anything there, and the kernel must get both ranges (it
 * never frees a frame a claim touches). */
static void claim_at_the_address_of_free_memory_wins(void **state)
{
    (void)state;
    static const struct range want[] = { { 0x100000, 0x100000, 1 }, { 0x100000, 0x10000, 2 },
                                         { 0x150000, 0x10000, 4 } };
    desc_count = 0;
    desc(UEFI_CONVENTIONAL, 0x100000, 0x100);
    desc(UEFI_RUNTIME_DATA, 0x100000, 0x10);
    struct uefi_memory_map map = the_map();
    assert_busy_in(&map, 0x100000, 0x101000, 0x100000, UEFI_RUNTIME_DATA);
    assert_busy_in(&map, 0x108000, 0x120000, 0x108000, UEFI_RUNTIME_DATA);
    desc(UEFI_ACPI_NVS, 0x150000, 0x10); /* inside the free one: reached from below */
    map = the_map();
    assert_busy_in(&map, 0x110000, 0x200000, 0x150000, UEFI_ACPI_NVS);
    assert_int_equal(mbi_set_memory_map(&block, &map), 0);
    parse();
    assert_ranges(want, 3);
}

#define MAP_TEST(f) cmocka_unit_test_setup(f, pc_map)
#define BLOCK_TEST(f) cmocka_unit_test_setup(f, new_block)

int main(void)
{
    const struct CMUnitTest tests[] = {
        MAP_TEST(range_inside_one_descriptor_is_free),
        MAP_TEST(range_over_adjacent_descriptors_is_free),
        MAP_TEST(range_into_acpi_nvs_is_busy),
        MAP_TEST(range_over_hole_is_busy),
        MAP_TEST(wrapping_descriptor_does_not_make_the_walk_loop),
        MAP_TEST(descriptors_of_an_unreadable_size_are_not_read),
        cmocka_unit_test(names_memory_types),
        BLOCK_TEST(block_has_cmdline_and_loader),
        BLOCK_TEST(block_has_module),
        BLOCK_TEST(block_memory_map_is_sorted_and_merged),
        BLOCK_TEST(block_memory_map_drops_what_does_not_fit),
        BLOCK_TEST(block_memory_map_leaves_out_unreadable_descriptors),
        BLOCK_TEST(block_memory_map_second_call_replaces_first),
        BLOCK_TEST(block_memory_map_skips_empty_descriptors),
        BLOCK_TEST(claim_at_the_address_of_free_memory_wins),
        BLOCK_TEST(block_cuts_long_cmdline),
        BLOCK_TEST(block_hands_over_the_rsdp),
        BLOCK_TEST(block_rsdp_cuts_a_full_line),
        cmocka_unit_test(config_table_takes_the_first_wanted),
        BLOCK_TEST(block_framebuffer_bgrx),
        BLOCK_TEST(block_framebuffer_rgbx),
        BLOCK_TEST(block_framebuffer_bit_mask),
        BLOCK_TEST(block_framebuffer_above_4g),
    };
    return cmocka_run_group_tests_name("efi_handoff", tests, NULL, NULL);
}
