/*
 * The UEFI loader's decisions (boot/efi/handoff.h), without firmware:
 * which kernel ELF files it accepts and how it places their segments
 * (kernel_image.c, on files built here in memory), whether a range of a
 * hand-built UEFI memory map is free (memory_map.c), the multiboot block
 * it hands over (mbi.c, read back with the kernel's own bootinfo_parse),
 * and which GOP mode it picks (boot_video.c).
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
#include "kernel/elf.h"

/* ---- kernel ELF files built in memory ---- */

#define ELF_BYTES 0x3200u /* the vidport-shaped file's size */
#define PT_NOTE 4
#define MB_MAGIC 0x1BADB002u

static _Alignas(16) uint8_t elf_file[0x4000];
static size_t file_size;
static struct elf_header hdr;
static struct elf_phdr ph[16];
static uint32_t mb_at, mb_flags, mb_sum_error; /* the multiboot header to write */
static struct kernel_image image;

static uint8_t pattern(uint32_t offset)
{
    return (uint8_t)(offset * 7 + 3);
}

static void elf_add(uint32_t type, uint32_t offset, uint32_t vaddr, uint32_t paddr,
                    uint32_t filesz, uint32_t memsz)
{
    ph[hdr.phnum++] = (struct elf_phdr){ type, offset, vaddr, paddr, filesz, memsz, 5, 0x1000 };
}

/* Lay out hdr, ph and the multiboot header in elf_file over patterned bytes. */
static void write_elf(void)
{
    for (uint32_t i = 0; i < sizeof(elf_file); i++)
        elf_file[i] = pattern(i);
    memcpy(elf_file, &hdr, sizeof(hdr));
    memcpy(elf_file + sizeof(hdr), ph, sizeof(ph));
    const uint32_t mb[3] = { MB_MAGIC, mb_flags, 0u - MB_MAGIC - mb_flags + mb_sum_error };
    memcpy(elf_file + mb_at, mb, sizeof(mb));
}

static const char *inspect(void)
{
    write_elf();
    return kernel_image_inspect(elf_file, file_size, &image);
}

/* Like vidport: a low segment with the multiboot header and the entry, two
 * higher-half ones (the second with bss), and two that must be ignored. */
static int vidport_kernel(void **state)
{
    (void)state;
    hdr = (struct elf_header){
        .magic = ELF_MAGIC, .class = ELF_CLASS_32, .data = ELF_LITTLE_ENDIAN, .version = 1,
        .type = ELF_TYPE_EXEC, .machine = ELF_MACHINE_386, .version2 = 1, .entry = 0x10000C,
        .phoff = sizeof(struct elf_header), .ehsize = sizeof(struct elf_header),
        .phentsize = sizeof(struct elf_phdr),
    };
    elf_add(PT_LOAD, 0x1000, 0x100000, 0x100000, 0x100, 0x100);
    elf_add(PT_LOAD, 0x2000, 0xC0102000, 0x102000, 0x800, 0x800);
    elf_add(PT_LOAD, 0x3000, 0xC0104000, 0x104000, 0x200, 0x1800);
    elf_add(PT_LOAD, 0, 0x100080, 0x100080, 0, 0);            /* empty: would overlap */
    elf_add(PT_NOTE, 0x1000, 0, 0xFFFFF000, 0x10, 0x10000);   /* not loadable */
    mb_at = 0x1000;
    mb_flags = 0x7;
    mb_sum_error = 0;
    file_size = ELF_BYTES;
    memset(&image, 0x5A, sizeof(image));
    return 0;
}

static void assert_segment(int i, uint32_t phys, uint32_t offset, uint32_t filesz,
                           uint32_t memsz)
{
    assert_int_equal(image.segments[i].phys, phys);
    assert_int_equal(image.segments[i].file_offset, offset);
    assert_int_equal(image.segments[i].file_size, filesz);
    assert_int_equal(image.segments[i].mem_size, memsz);
}

static void refused_with(const char *word)
{
    const char *why = inspect();
    assert_non_null(why);
    assert_non_null(strstr(why, word));
}

static void accepts_vidport_shaped_kernel(void **state)
{
    (void)state;
    assert_null(inspect());
    assert_int_equal(image.entry, 0x10000C);
    assert_int_equal(image.low, 0x100000);
    assert_int_equal(image.high, 0x106000);
    assert_int_equal(image.segment_count, 3);
    assert_segment(0, 0x100000, 0x1000, 0x100, 0x100);
    assert_segment(1, 0x102000, 0x2000, 0x800, 0x800);
    assert_segment(2, 0x104000, 0x3000, 0x200, 0x1800);
}

static void higher_half_entry_is_translated(void **state)
{
    (void)state;
    hdr.entry = 0xC0102010;
    assert_null(inspect());
    assert_int_equal(image.entry, 0x102010);
}

static bool all_bytes(const uint8_t *p, size_t n, uint8_t value)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != value)
            return false;
    return true;
}

static void place_copies_segments_and_zeroes_the_rest(void **state)
{
    (void)state;
    static uint8_t span[0x7000];
    assert_null(inspect());
    memset(span, 0xAA, sizeof(span));
    kernel_image_place(&image, elf_file, span);
    assert_memory_equal(span, elf_file + 0x1000, 0x100);
    assert_true(all_bytes(span + 0x100, 0x2000 - 0x100, 0));   /* gap */
    assert_memory_equal(span + 0x2000, elf_file + 0x2000, 0x800);
    assert_true(all_bytes(span + 0x2800, 0x4000 - 0x2800, 0)); /* gap */
    assert_memory_equal(span + 0x4000, elf_file + 0x3000, 0x200);
    assert_true(all_bytes(span + 0x4200, 0x6000 - 0x4200, 0)); /* bss and page tail */
    assert_true(all_bytes(span + 0x6000, 0x1000, 0xAA));       /* past high: untouched */
}

/* A test that spoils the vidport-shaped file with the statements given and
 * expects a refusal whose sentence holds word. */
#define REFUSAL(name, word, ...)  \
    static void name(void **state) \
    {                              \
        (void)state;               \
        __VA_ARGS__;               \
        refused_with(word);        \
    }

REFUSAL(refuses_short_file, "ELF", file_size = sizeof(struct elf_header) - 1)
REFUSAL(refuses_wrong_magic, "ELF", hdr.magic = 0x464C457Eu)
REFUSAL(refuses_64_bit_class, "32-bit", hdr.class = 2)
REFUSAL(refuses_wrong_machine, "x86", hdr.machine = 62 /* x86-64 */)
REFUSAL(refuses_missing_multiboot_header, "no multiboot header", mb_at = 0x2000 /* past 8 KiB */)
REFUSAL(refuses_bad_multiboot_checksum, "no multiboot header", mb_sum_error = 1)
REFUSAL(refuses_address_fields_flag, "load addresses", mb_flags = 0x7 | 1u << 16)
REFUSAL(refuses_unknown_request_flag, "feature", mb_flags = 0x7 | 1u << 3)
/* the last segment's bytes run past the end */
REFUSAL(refuses_truncated_file, "truncated", file_size = ELF_BYTES - 0x100)
REFUSAL(refuses_filesz_above_memsz, "more bytes in the file", ph[1].memsz = ph[1].filesz - 1)
REFUSAL(refuses_segment_past_4g, "4 GiB", ph[2].paddr = 0xFFFFE000u, ph[2].memsz = 0x3000)
/* its end, rounded up to a page, would wrap to 0 */
REFUSAL(refuses_segment_in_the_last_page, "4 GiB", ph[2].paddr = 0xFFFFF800u,
        ph[2].memsz = 0x1000)
/* the empty segment is not placed, so the entry in it would be nowhere */
REFUSAL(refuses_entry_in_empty_segment, "entry point", hdr.entry = 0x400010,
        ph[3].vaddr = ph[3].paddr = 0x400000, ph[3].filesz = 0x100)
REFUSAL(refuses_overlapping_segments, "overlap", ph[2].paddr = 0x102400 /* inside ph[1] */)
REFUSAL(refuses_nothing_to_load, "nothing to load",
        ph[0].type = PT_NOTE, ph[1].memsz = ph[1].filesz = 0, ph[2].type = 0 /* PT_NULL */)
REFUSAL(refuses_entry_outside_segments, "entry point", hdr.entry = 0x200000)

static void finds_multiboot_header_at_end_of_8k(void **state)
{
    (void)state;
    mb_at = 0x2000 - 12;
    assert_null(inspect());
}

static void takes_at_most_max_segments(void **state)
{
    (void)state;
    hdr.phnum = 1;
    for (uint32_t i = 1; i < KERNEL_MAX_SEGMENTS; i++)
        elf_add(PT_LOAD, 0, 0x200000 + i * 0x1000, 0x200000 + i * 0x1000, 0, 0x100);
    assert_null(inspect());
    assert_int_equal(image.segment_count, KERNEL_MAX_SEGMENTS);
    assert_int_equal(image.high, 0x208000);
    elf_add(PT_LOAD, 0, 0x300000, 0x300000, 0, 0x100);
    refused_with("more loadable segments");
}

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

static void range_into_acpi_nvs_is_busy(void **state)
{
    (void)state;
    struct uefi_memory_map map = the_map();
    uint64_t where = 0;
    int type = 0;
    assert_false(uefi_range_is_free(&map, 0x700000, 0x900000, &where, &type));
    assert_int_equal(where, 0x800000);
    assert_int_equal(type, UEFI_ACPI_NVS);
    assert_false(uefi_range_is_free(&map, 0x7FF000, 0x800001, &where, &type));
    assert_int_equal(where, 0x800000);
}

static void range_over_hole_is_busy(void **state)
{
    (void)state;
    struct uefi_memory_map map = the_map();
    uint64_t where = 0;
    int type = 0;
    assert_false(uefi_range_is_free(&map, 0x980000, 0xA80000, &where, &type));
    assert_int_equal(where, 0xA00000);
    assert_int_equal(type, UEFI_NO_MEMORY);
    assert_false(uefi_range_is_free(&map, 0x810000, 0x820000, &where, &type));
    assert_int_equal(where, 0x810000); /* loader code is not free yet */
    assert_int_equal(type, UEFI_LOADER_CODE);
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

/* ---- the multiboot block, read back by the kernel's parser ---- */

#define BLOCK_PHYS 0x70000u

static struct mbi_block block;
static struct boot_info info;

static const void *block_phys(uint32_t phys)
{
    if (phys < BLOCK_PHYS || phys - BLOCK_PHYS >= sizeof(block))
        return NULL;
    return (const uint8_t *)&block + (phys - BLOCK_PHYS);
}

static void parse(void)
{
    assert_int_equal(bootinfo_parse(MULTIBOOT_BOOTLOADER_MAGIC, &block.info, block_phys, &info),
                     BOOTINFO_OK);
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
    assert_int_equal(strlen(info.cmdline), BOOT_STRING_MAX - 1);
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

static const struct gop_mode modes[] = {
    { 640, 480, 640, GOP_BGRX, 0, 0, 0, 0 },
    { 800, 600, 800, GOP_BLT_ONLY, 0, 0, 0, 0 },
    { 1024, 768, 1024, GOP_BGRX, 0, 0, 0, 0 },
    { 800, 600, 800, GOP_RGBX, 0, 0, 0, 0 },
    { 1280, 1024, 1280, GOP_BLT_ONLY, 0, 0, 0, 0 },
};
#define MODE_COUNT ((int)(sizeof(modes) / sizeof(modes[0])))

static void chooses_wanted_size(void **state)
{
    (void)state;
    assert_int_equal(gop_choose_mode(modes, MODE_COUNT, 0, 1024, 768), 2);
    assert_int_equal(gop_choose_mode(modes, MODE_COUNT, 2, 640, 480), 0);
}

static void skips_blt_only_of_wanted_size(void **state)
{
    (void)state;
    assert_int_equal(gop_choose_mode(modes, MODE_COUNT, 0, 800, 600), 3);
    assert_int_equal(gop_choose_mode(modes, MODE_COUNT, 2, 1280, 1024), 2); /* current */
}

static void falls_back_to_current_mode(void **state)
{
    (void)state;
    assert_int_equal(gop_choose_mode(modes, MODE_COUNT, 2, 1920, 1080), 2);
    assert_int_equal(gop_choose_mode(modes, MODE_COUNT, 3, 1920, 1080), 3);
}

static void falls_back_to_first_drawable_mode(void **state)
{
    (void)state;
    assert_int_equal(gop_choose_mode(modes + 1, MODE_COUNT - 1, 0, 1920, 1080), 1);
    assert_int_equal(gop_choose_mode(modes, MODE_COUNT, 4, 1920, 1080), 0);
    assert_int_equal(gop_choose_mode(modes + 1, MODE_COUNT - 1, MODE_COUNT - 1, 1920, 1080), 1);
    assert_int_equal(gop_choose_mode(modes + 1, MODE_COUNT - 1, -1, 1920, 1080), 1);
}

static void no_drawable_mode(void **state)
{
    (void)state;
    const struct gop_mode none[] = {
        { 800, 600, 800, GOP_BLT_ONLY, 0, 0, 0, 0 },
        { 1024, 768, 1000, GOP_BGRX, 0, 0, 0, 0 }, /* lines shorter than the width */
    };
    assert_int_equal(gop_choose_mode(none, 2, 0, 800, 600), -1);
    assert_int_equal(gop_choose_mode(modes, 0, 0, 800, 600), -1);
}

static void assert_wanted(const char *option, uint32_t width, uint32_t height)
{
    uint32_t w = 1, h = 1;
    boot_video_wanted(option, &w, &h);
    assert_int_equal(w, width);
    assert_int_equal(h, height);
}

static void video_option_sizes(void **state)
{
    (void)state;
    assert_wanted("1024x768x32", 1024, 768);
    assert_wanted("12345x768x32", 12345, 768);
    assert_wanted("1024x768x16", 800, 600);
    assert_wanted("banked", 800, 600);
    assert_wanted(NULL, 800, 600);
    assert_wanted("800x600x32junk", 800, 600);
    assert_wanted("1024x768x32junk", 800, 600);
    assert_wanted("123456x768x32", 800, 600);
    assert_wanted("1024x123456x32", 800, 600);
    assert_wanted("0x600x32", 800, 600);
    assert_wanted("1024x0x32", 800, 600);
    assert_wanted("1024x768", 800, 600);
}

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

#define KERNEL_TEST(f) cmocka_unit_test_setup(f, vidport_kernel)
#define MAP_TEST(f) cmocka_unit_test_setup(f, pc_map)
#define BLOCK_TEST(f) cmocka_unit_test_setup(f, new_block)

int main(void)
{
    const struct CMUnitTest tests[] = {
        KERNEL_TEST(accepts_vidport_shaped_kernel),
        KERNEL_TEST(higher_half_entry_is_translated),
        KERNEL_TEST(place_copies_segments_and_zeroes_the_rest),
        KERNEL_TEST(refuses_short_file),
        KERNEL_TEST(refuses_wrong_magic),
        KERNEL_TEST(refuses_64_bit_class),
        KERNEL_TEST(refuses_wrong_machine),
        KERNEL_TEST(refuses_missing_multiboot_header),
        KERNEL_TEST(finds_multiboot_header_at_end_of_8k),
        KERNEL_TEST(refuses_bad_multiboot_checksum),
        KERNEL_TEST(refuses_address_fields_flag),
        KERNEL_TEST(refuses_unknown_request_flag),
        KERNEL_TEST(refuses_truncated_file),
        KERNEL_TEST(refuses_filesz_above_memsz),
        KERNEL_TEST(refuses_segment_past_4g),
        KERNEL_TEST(refuses_segment_in_the_last_page),
        KERNEL_TEST(refuses_entry_in_empty_segment),
        KERNEL_TEST(refuses_overlapping_segments),
        KERNEL_TEST(takes_at_most_max_segments),
        KERNEL_TEST(refuses_nothing_to_load),
        KERNEL_TEST(refuses_entry_outside_segments),
        MAP_TEST(range_inside_one_descriptor_is_free),
        MAP_TEST(range_over_adjacent_descriptors_is_free),
        MAP_TEST(range_into_acpi_nvs_is_busy),
        MAP_TEST(range_over_hole_is_busy),
        cmocka_unit_test(names_memory_types),
        BLOCK_TEST(block_has_cmdline_and_loader),
        BLOCK_TEST(block_has_module),
        BLOCK_TEST(block_memory_map_is_sorted_and_merged),
        BLOCK_TEST(block_memory_map_drops_what_does_not_fit),
        BLOCK_TEST(block_memory_map_second_call_replaces_first),
        BLOCK_TEST(block_memory_map_skips_empty_descriptors),
        BLOCK_TEST(block_cuts_long_cmdline),
        BLOCK_TEST(block_framebuffer_bgrx),
        BLOCK_TEST(block_framebuffer_rgbx),
        BLOCK_TEST(block_framebuffer_bit_mask),
        BLOCK_TEST(block_framebuffer_above_4g),
        cmocka_unit_test(chooses_wanted_size),
        cmocka_unit_test(skips_blt_only_of_wanted_size),
        cmocka_unit_test(falls_back_to_current_mode),
        cmocka_unit_test(falls_back_to_first_drawable_mode),
        cmocka_unit_test(no_drawable_mode),
        cmocka_unit_test(video_option_sizes),
    };
    return cmocka_run_group_tests_name("efi_handoff", tests, NULL, NULL);
}
