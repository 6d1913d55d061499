/*
 * The UEFI loader's checks on the kernel file (boot/efi/kernel_image.c), on
 * ELF files built here in memory: which files it accepts, how it plans and
 * places their segments, and the sentence it refuses each broken one with.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boot/efi/handoff.h"
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

#define KERNEL_TEST(f) cmocka_unit_test_setup(f, vidport_kernel)

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
    };
    return cmocka_run_group_tests_name("efi_kernel_image", tests, NULL, NULL);
}
