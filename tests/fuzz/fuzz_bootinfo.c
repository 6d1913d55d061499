/*
 * Fuzz target: the multiboot information parser (bootinfo_parse in
 * boot/bootinfo.c) on a loader memory that is nothing but the fuzzer's
 * bytes, so that under ASan a read outside what the loader gave is a crash.
 *
 * What the parser keeps is compared with a reference that walks the same
 * bytes in 64 bits, where no size or count can wrap (a carry bit for sums
 * of 64-bit addresses): the memory map's ranges, the modules and the
 * command line, entry for entry. Whatever the input, what it keeps holds
 * together (ranges neither empty nor past 2^64, modules that do not end
 * before they start, strings that end in their arrays, a frame buffer
 * that does not wrap), and every warning is one "boot: " line.
 *
 * Input: a shape byte (0xFF: the wrong magic; bit 0: memory at a raw
 * address instead of 0x10000), memory's physical address, the
 * structure's offset from it, then the memory's bytes.
 */
#include <string.h>

#include "fuzz.h"

#include "boot/bootinfo.h"
#include "boot/multiboot.h"
#include "tests/phys_window.h"

static const uint8_t *memory;
static uint32_t memory_base, memory_size;

/* The loader's memory: exactly the input's bytes from memory_base on. */
static const void *read_memory(uint32_t phys, uint32_t size)
{
    return phys_window(memory, memory_base, memory_size, phys, size);
}

static void check_warning(const char *line)
{
    PROPERTY(strncmp(line, "boot: ", 6) == 0);
    PROPERTY(strchr(line, '\n') == NULL);
}

static uint32_t le32(const uint8_t *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
    return le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* The structure as far as the flags say it goes; false when out of reach. */
static bool reference_structure(uint32_t phys, struct multiboot_info *mb)
{
    const uint8_t *flags = read_memory(phys, 4);
    memset(mb, 0, sizeof(*mb));
    if (!flags)
        return false;
    uint32_t need = (le32(flags) & MULTIBOOT_INFO_FRAMEBUFFER) ? sizeof(*mb) : 68;
    const void *whole = read_memory(phys, need);
    if (whole)
        memcpy(mb, whole, need);
    return whole != NULL;
}

/* The ranges a careful reader keeps: whole entries of at least 20 bytes
 * inside mmap_length, not empty, not reaching past 2^64, up to the table. */
static int reference_ranges(const struct multiboot_info *mb, struct boot_memory_range *out)
{
    const uint8_t *map = read_memory(mb->mmap_addr, mb->mmap_length);
    int n = 0;
    for (uint64_t off = 0; map && off + 4 <= mb->mmap_length;) {
        uint64_t size = le32(map + off);
        if (off + 4 + size > mb->mmap_length)
            break;
        uint64_t base = size >= 20 ? le64(map + off + 4) : 0;
        uint64_t length = size >= 20 ? le64(map + off + 12) : 0;
        bool carry = base + length < base;
        if (length && !carry && n < BOOT_MAX_MEMORY_RANGES)
            out[n++] = (struct boot_memory_range){ base, length, le32(map + off + 20) };
        off += 4 + size;
    }
    return n;
}

/* The modules a careful reader keeps: entries within reach, in order,
 * but those ending before they start, up to the table. */
static int reference_modules(const struct multiboot_info *mb, struct boot_module *out)
{
    int n = 0;
    for (uint64_t i = 0; i < mb->mods_count && n < BOOT_MAX_MODULES; i++) {
        uint64_t at = mb->mods_addr + 16 * i;
        const uint8_t *m = at <= UINT32_MAX ? read_memory((uint32_t)at, 16) : NULL;
        if (!m)
            break;
        if (le32(m + 4) >= le32(m))
            out[n++] = (struct boot_module){ .start = le32(m), .end = le32(m + 4) };
    }
    return n;
}

static void check_ranges(const struct multiboot_info *mb, const struct boot_info *info)
{
    static struct boot_memory_range want[BOOT_MAX_MEMORY_RANGES];
    int n = (mb->flags & MULTIBOOT_INFO_MEM_MAP) ? reference_ranges(mb, want) : 0;
    PROPERTY(info->memory_count == n);
    for (int i = 0; i < n; i++) {
        const struct boot_memory_range *r = &info->memory[i];
        PROPERTY(r->base == want[i].base && r->length == want[i].length);
        PROPERTY(r->type == want[i].type);
        PROPERTY(r->length != 0 && r->base + r->length > r->base);
    }
}

static void check_modules(const struct multiboot_info *mb, const struct boot_info *info)
{
    struct boot_module want[BOOT_MAX_MODULES];
    int n = (mb->flags & MULTIBOOT_INFO_MODS) ? reference_modules(mb, want) : 0;
    PROPERTY(info->module_count == n);
    for (int i = 0; i < n; i++) {
        const struct boot_module *m = &info->modules[i];
        PROPERTY(m->start == want[i].start && m->end == want[i].end && m->end >= m->start);
        PROPERTY(memchr(m->cmdline, '\0', sizeof(m->cmdline)) != NULL);
    }
}

/* The command line: the string at its address up to its end, what is out
 * of reach or BOOT_CMDLINE_MAX - 1 bytes, and cut exactly when it goes on. */
static void check_cmdline(const struct multiboot_info *mb, const struct boot_info *info)
{
    uint64_t n = 0;
    bool flagged = mb->flags & MULTIBOOT_INFO_CMDLINE && mb->cmdline != 0;
    const char *c = NULL;
    for (; flagged && n < BOOT_CMDLINE_MAX; n++) {
        c = mb->cmdline + n <= UINT32_MAX ? read_memory((uint32_t)(mb->cmdline + n), 1) : NULL;
        if (!c || !*c)
            break;
    }
    bool cut = n == BOOT_CMDLINE_MAX;
    PROPERTY(info->cmdline_cut == cut);
    PROPERTY(strlen(info->cmdline) == (cut ? BOOT_CMDLINE_MAX - 1 : n));
    PROPERTY(n == 0 || memcmp(info->cmdline, memory + (mb->cmdline - memory_base),
                              strlen(info->cmdline)) == 0);
    PROPERTY(memchr(info->cmdline_dropped, '\0', sizeof(info->cmdline_dropped)) != NULL);
    PROPERTY(memchr(info->loader_name, '\0', sizeof(info->loader_name)) != NULL);
}

static void check_framebuffer(const struct boot_info *info)
{
    uint64_t bytes = (uint64_t)info->fb.pitch * info->fb.height;
    PROPERTY(!info->has_framebuffer || info->fb.phys + bytes >= info->fb.phys);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct boot_info info;
    struct fuzz_input in = { data, size };
    uint8_t shape = take_u8(&in);
    uint32_t base = take_u32(&in), offset = take_u32(&in);
    memory = in.data;
    memory_size = (uint32_t)in.size;
    memory_base = shape & 1 ? base : 0x10000;
    if ((uint64_t)memory_base + memory_size > UINT32_MAX)
        memory_base = 0; /* physical memory ends at 4 GiB */
    uint32_t magic = shape == 0xFF ? 0 : MULTIBOOT_BOOTLOADER_MAGIC;
    enum bootinfo_result r = bootinfo_parse(magic, memory_base + offset, read_memory,
                                            check_warning, &info);
    struct multiboot_info mb;
    bool reachable = reference_structure(memory_base + offset, &mb);
    PROPERTY(r == (magic == 0 ? BOOTINFO_BAD_MAGIC : reachable ? BOOTINFO_OK : BOOTINFO_UNREADABLE));
    if (r != BOOTINFO_OK)
        return 0;
    check_ranges(&mb, &info);
    check_modules(&mb, &info);
    check_cmdline(&mb, &info);
    check_framebuffer(&info);
    return 0;
}
