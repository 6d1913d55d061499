/*
 * Reading UEFI's memory map: descriptors of firmware-chosen size, in no
 * promised order.
 */
#include "handoff.h"

/* EFI_MEMORY_DESCRIPTOR's fields at their offsets in the specification. */
struct uefi_descriptor {
    uint32_t type;
    uint32_t pad;
    uint64_t phys;
    uint64_t virt;
    uint64_t pages;
    uint64_t attributes;
};

static const struct uefi_descriptor *descriptor(const struct uefi_memory_map *map, size_t i)
{
    return (const void *)((const uint8_t *)map->descriptors + i * map->descriptor_size);
}

/* Whether descriptors of the map's size can be read: no smaller than the
 * specification's structure (else their fields overlap) and a multiple of
 * 8 bytes, as the specification's array of them is (else their 64-bit
 * fields are misaligned). */
static bool readable_size(const struct uefi_memory_map *map)
{
    return map->descriptor_size >= sizeof(struct uefi_descriptor) &&
           map->descriptor_size % sizeof(uint64_t) == 0;
}

/* Whole descriptors in the map; none when they cannot be read. */
static size_t descriptor_count(const struct uefi_memory_map *map)
{
    return readable_size(map) ? map->size / map->descriptor_size : 0;
}

/* A descriptor with pages whose end is an address: neither empty nor
 * reaching past 2^64. Only these are read; the others describe nothing. */
static bool usable(const struct uefi_descriptor *d)
{
    return d->pages != 0 && d->pages <= (UINT64_MAX - d->phys) / PAGE_BYTES;
}

static uint64_t end_of(const struct uefi_descriptor *d)
{
    return d->phys + d->pages * PAGE_BYTES;
}

const char *uefi_memory_type_name(int type)
{
    static const char *const names[] = {
        "reserved memory", "loader code", "loader data", "boot services code",
        "boot services data", "runtime services code", "runtime services data",
        "free memory", "unusable memory", "ACPI tables", "ACPI NVS memory",
        "memory-mapped I/O", "memory-mapped I/O ports", "PAL code", "persistent memory",
    };
    if (type >= 0 && type < (int)(sizeof(names) / sizeof(names[0])))
        return names[type];
    return type == UEFI_NO_MEMORY ? "no memory at all" : "memory of an unknown type";
}

/* A usable descriptor covering addr, or NULL: one that claims it, if any
 * does, before one that calls it free, whatever the map's order. */
static const struct uefi_descriptor *covering(const struct uefi_memory_map *map, uint64_t addr)
{
    const struct uefi_descriptor *found = NULL;
    for (size_t i = 0; i < descriptor_count(map); i++) {
        const struct uefi_descriptor *d = descriptor(map, i);
        if (!usable(d) || addr < d->phys || addr >= end_of(d))
            continue;
        if (d->type != UEFI_CONVENTIONAL)
            return d;
        found = found ? found : d;
    }
    return found;
}

/* The lowest start in (after, limit) of a usable descriptor that claims
 * memory (any type but conventional), or limit. */
static uint64_t next_claim(const struct uefi_memory_map *map, uint64_t after, uint64_t limit)
{
    for (size_t i = 0; i < descriptor_count(map); i++) {
        const struct uefi_descriptor *d = descriptor(map, i);
        if (usable(d) && d->type != UEFI_CONVENTIONAL && d->phys > after && d->phys < limit)
            limit = d->phys;
    }
    return limit;
}

bool uefi_range_is_free(const struct uefi_memory_map *map, uint64_t low, uint64_t high,
                        uint64_t *where, int *type)
{
    uint64_t at = low;
    while (at < high) {
        const struct uefi_descriptor *d = covering(map, at);
        if (!d || d->type != UEFI_CONVENTIONAL) {
            *where = at;
            *type = d ? (int)d->type : UEFI_NO_MEMORY;
            return false;
        }
        at = next_claim(map, at, end_of(d)); /* past at, since d covers at: the walk ends */
    }
    return true;
}

/* Multiboot's kind for memory of a UEFI type, as the kernel will see it. */
static uint32_t multiboot_kind(uint32_t type)
{
    switch (type) {
    case UEFI_LOADER_CODE:
    case UEFI_LOADER_DATA:
    case UEFI_BOOT_CODE:
    case UEFI_BOOT_DATA:
    case UEFI_CONVENTIONAL:
        return 1; /* available */
    case UEFI_ACPI_RECLAIM:
        return 3;
    case UEFI_ACPI_NVS:
        return 4;
    case UEFI_UNUSABLE:
        return 5;
    default:
        return 2; /* reserved: runtime services, I/O, firmware */
    }
}

/* The usable descriptor after `prev` (NULL: the first) in address order,
 * those at one address in map order, or NULL: walking the map in order
 * without sorting it, and without skipping a descriptor that shares its
 * address with another (the kernel must see a claim on memory that another
 * descriptor calls free). */
static const struct uefi_descriptor *next_in_order(const struct uefi_memory_map *map,
                                                   const struct uefi_descriptor *prev)
{
    const struct uefi_descriptor *best = NULL;
    for (size_t i = 0; i < descriptor_count(map); i++) {
        const struct uefi_descriptor *d = descriptor(map, i);
        bool later = !prev || d->phys > prev->phys || (d->phys == prev->phys && d > prev);
        if (usable(d) && later && (!best || d->phys < best->phys))
            best = d;
    }
    return best;
}

/* Add [base, base + length) of kind to the block's ranges, merged with the
 * last one when they touch. Returns false when there is no room. */
static bool add_range(struct mbi_block *b, int *count, uint64_t base, uint64_t length,
                      uint32_t kind)
{
    struct multiboot_mmap_entry *last = *count ? &b->ranges[*count - 1] : NULL;
    if (last && last->type == kind && last->addr + last->len == base) {
        last->len += length;
        return true;
    }
    if (*count == MBI_MAX_RANGES)
        return false;
    b->ranges[(*count)++] = (struct multiboot_mmap_entry){
        .size = sizeof(struct multiboot_mmap_entry) - sizeof(uint32_t),
        .addr = base, .len = length, .type = kind,
    };
    return true;
}

/* Kilobytes of available memory from start up to the first hole or limit. */
static uint32_t contiguous_kb(const struct mbi_block *b, int count, uint64_t start, uint64_t limit)
{
    for (int i = 0; i < count; i++) {
        const struct multiboot_mmap_entry *r = &b->ranges[i];
        if (r->type == 1 && start >= r->addr && start < r->addr + r->len) {
            uint64_t end = r->addr + r->len < limit ? r->addr + r->len : limit;
            return (uint32_t)((end - start) / 1024);
        }
    }
    return 0;
}

/* Descriptors that describe memory: those with pages, or all of them when
 * their size cannot be read (then none was). */
static int describing_memory(const struct uefi_memory_map *map)
{
    if (!readable_size(map))
        return map->descriptor_size ? (int)(map->size / map->descriptor_size) : 0;
    int n = 0;
    for (size_t i = 0; i < descriptor_count(map); i++)
        n += descriptor(map, i)->pages != 0;
    return n;
}

int mbi_set_memory_map(struct mbi_block *b, const struct uefi_memory_map *map)
{
    int count = 0, placed = 0;
    for (const struct uefi_descriptor *d = next_in_order(map, NULL); d; d = next_in_order(map, d)) {
        placed += add_range(b, &count, d->phys, d->pages * PAGE_BYTES, multiboot_kind(d->type));
    }
    b->info.flags |= MULTIBOOT_INFO_MEM_MAP | MULTIBOOT_INFO_MEMORY;
    b->info.mmap_addr = b->phys + (uint32_t)offsetof(struct mbi_block, ranges);
    b->info.mmap_length = (uint32_t)(count * sizeof(struct multiboot_mmap_entry));
    b->info.mem_lower_kb = contiguous_kb(b, count, 0, 640 * 1024);
    b->info.mem_upper_kb = contiguous_kb(b, count, 1 << 20, 1ull << 32);
    return describing_memory(map) - placed; /* unreadable, or no room */
}
