/*
 * Fuzz target: the UEFI loader's reading of the firmware's memory map
 * (uefi_range_is_free and mbi_set_memory_map in boot/efi/memory_map.c),
 * the part of the handoff that trusts what the firmware says: descriptor
 * sizes, counts, pages and addresses.
 *
 * Properties, each against a reference that walks the descriptors in its
 * own way: a range found free is covered by conventional descriptors (the
 * union of them, computed without the code under test) and overlaps no
 * descriptor of another type (a claim wins over free memory), and one
 * found busy is so up to the address named, where the first claim covering
 * it, else the first descriptor, has the type named (or none covers it,
 * for UEFI_NO_MEMORY). The block the loader builds is read back by the
 * kernel's own parser, which must find nothing to skip in it; its ranges
 * do not descend; every descriptor with
 * pages is placed or counted as left out, and when none is left out each
 * one's first byte lies in a range of its multiboot kind. A walk that does
 * not end is a libFuzzer timeout.
 *
 * Input: a shape byte (bits 0-1: descriptors of 40, 48, 24 bytes or a size
 * from the input, readable only when at least 40 and a multiple of 8; bits 2-3: the range asked about is raw, near a
 * descriptor's start, near its end, or the whole descriptor), the range's
 * two addresses, then the descriptors' bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#include "boot/bootinfo.h"
#include "boot/efi/handoff.h"
#include "tests/phys_window.h"

#define DESCRIPTOR_MIN 40 /* EFI_MEMORY_DESCRIPTOR's size in the specification */
#define BLOCK_PHYS 0x70000u

struct descriptor {
    uint32_t type;
    uint64_t phys, pages;
    uint64_t end; /* phys + pages * 4096, when usable */
    bool usable;  /* has pages, and they end below 2^64 */
};

static const uint8_t *bytes;
static size_t descriptor_size, count;

/* Descriptors of this size can be read: whole and aligned as in an array
 * of the specification's structures. */
static bool readable(size_t size)
{
    return size >= DESCRIPTOR_MIN && size % 8 == 0;
}

static uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* Descriptor i as the specification lays it out, read byte by byte;
 * usable when its end, computed with a carry, is below 2^64. */
static struct descriptor descriptor_at(size_t i)
{
    const uint8_t *p = bytes + i * descriptor_size;
    struct descriptor d = { (uint32_t)le64(p), le64(p + 8), le64(p + 24), 0, false };
    uint64_t length = d.pages * PAGE_BYTES;
    d.end = d.phys + length;
    d.usable = d.pages != 0 && d.pages < (1ull << 52) && d.end > d.phys;
    return d;
}

/* The usable descriptor covering addr (its index), or -1: the first that
 * claims it (any type but conventional), else the first at all. */
static long covering_index(uint64_t addr)
{
    long found = -1;
    for (size_t i = 0; i < count; i++) {
        struct descriptor d = descriptor_at(i);
        if (!d.usable || addr < d.phys || addr >= d.end)
            continue;
        if (d.type != UEFI_CONVENTIONAL)
            return (long)i;
        found = found < 0 ? (long)i : found;
    }
    return found;
}

/* Whether a usable descriptor that claims memory overlaps [low, high). */
static bool claim_within(uint64_t low, uint64_t high)
{
    for (size_t i = 0; low < high && i < count; i++) {
        struct descriptor d = descriptor_at(i);
        if (d.usable && d.type != UEFI_CONVENTIONAL && d.phys < high && d.end > low)
            return true;
    }
    return false;
}

/* Whether conventional descriptors together cover [low, high): from low,
 * repeatedly take the furthest end of those covering the point. */
static bool conventional_cover(uint64_t low, uint64_t high)
{
    uint64_t at = low;
    while (at < high) {
        uint64_t furthest = at;
        for (size_t i = 0; i < count; i++) {
            struct descriptor d = descriptor_at(i);
            if (d.usable && d.type == UEFI_CONVENTIONAL && at >= d.phys && d.end > furthest)
                furthest = d.end;
        }
        if (furthest == at)
            return false;
        at = furthest;
    }
    return true;
}

static void check_range(const struct uefi_memory_map *map, uint64_t low, uint64_t high)
{
    uint64_t where = 0;
    int type = -2;
    if (uefi_range_is_free(map, low, high, &where, &type)) {
        PROPERTY(conventional_cover(low, high) && !claim_within(low, high));
        return;
    }
    PROPERTY(low < high && where >= low && where < high);
    PROPERTY(conventional_cover(low, where) && !claim_within(low, where));
    long d = covering_index(where);
    PROPERTY(type == (d < 0 ? UEFI_NO_MEMORY : (int)descriptor_at((size_t)d).type));
    PROPERTY(type != UEFI_CONVENTIONAL);
}

static void no_warning(const char *line)
{
    (void)line;
    PROPERTY(!"the kernel skips part of the loader's block");
}

static struct mbi_block block;

static const void *block_phys(uint32_t phys, uint32_t size)
{
    return phys_window(&block, BLOCK_PHYS, sizeof(block), phys, size);
}

/* Multiboot's kind for each UEFI type, by the loader's documented rule:
 * boot services, loader and conventional memory are available (1), ACPI
 * tables 3, ACPI NVS 4, unusable 5, anything else reserved (2). */
static uint32_t kind_of(uint32_t type)
{
    static const uint8_t kinds[] = { 2, 1, 1, 1, 1, 2, 2, 1, 5, 3, 4 };
    return type < sizeof(kinds) ? kinds[type] : 2;
}

/* Whether a range of the kernel's reading of the block holds addr, of kind. */
static bool block_holds(const struct boot_info *info, uint64_t addr, uint32_t kind)
{
    for (int i = 0; i < info->memory_count; i++) {
        const struct boot_memory_range *r = &info->memory[i];
        if (r->type == kind && addr >= r->base && addr - r->base < r->length)
            return true;
    }
    return false;
}

static void check_block(const struct uefi_memory_map *map, size_t bytes_given)
{
    static struct boot_info info;
    mbi_init(&block, BLOCK_PHYS, "fuzz", "");
    int left_out = mbi_set_memory_map(&block, map);
    PROPERTY(bootinfo_parse(MULTIBOOT_BOOTLOADER_MAGIC, BLOCK_PHYS, block_phys, no_warning,
                            &info) == BOOTINFO_OK);
    for (int i = 1; i < info.memory_count; i++)
        PROPERTY(info.memory[i].base >= info.memory[i - 1].base);
    size_t with_pages = 0;
    for (size_t i = 0; i < count; i++)
        with_pages += descriptor_at(i).pages != 0;
    if (descriptor_size && !readable(descriptor_size))
        with_pages = bytes_given / descriptor_size; /* none can be read */
    PROPERTY(left_out >= 0 && (size_t)left_out <= with_pages);
    for (size_t i = 0; left_out == 0 && i < count; i++) {
        struct descriptor d = descriptor_at(i);
        PROPERTY(!d.pages || (d.usable && block_holds(&info, d.phys, kind_of(d.type))));
    }
}

/* The range to ask about, from two input values: raw, or placed on
 * descriptor a % count (when there is one) across its start, across its
 * end, or exactly it. */
static void place_range(uint8_t shape, uint64_t a, uint64_t b, uint64_t *low, uint64_t *high)
{
    unsigned how = shape >> 2 & 3;
    *low = a;
    *high = b;
    if (count == 0 || how == 0)
        return;
    struct descriptor d = descriptor_at(a % count);
    uint64_t at = how == 2 ? d.end : d.phys;
    *low = at - (b & 0x3FFF);
    *high = how == 3 ? d.end : at + (b >> 16 & 0xFFFFF);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t sizes[] = { DESCRIPTOR_MIN, 48, 24 };
    struct fuzz_input in = { data, size };
    uint8_t shape = take_u8(&in);
    descriptor_size = (shape & 3) < 3 ? sizes[shape & 3] : take_u8(&in);
    uint64_t a = take_u64(&in), b = take_u64(&in), low, high;
    /* The firmware's buffer is 8-byte aligned (AllocatePool), and exactly
     * as long as it says, so that ASan sees a read past it. */
    uint8_t *aligned = malloc(in.size ? in.size : 1);
    memcpy(aligned, in.data, in.size);
    bytes = aligned;
    count = readable(descriptor_size) ? in.size / descriptor_size : 0;
    const struct uefi_memory_map map = { aligned, in.size, descriptor_size };
    place_range(shape, a, b, &low, &high);
    check_range(&map, low, high);
    check_block(&map, in.size);
    free(aligned);
    return 0;
}
