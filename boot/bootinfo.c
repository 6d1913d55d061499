/*
 * Multiboot v1 information → struct boot_info.
 *
 * The information is the loader's word, read before anything else runs, so
 * each size and count in it is checked against the bytes it describes:
 * every read goes through the reader with its length, and entries that do
 * not hold together are left out and counted, never used.
 */
#include "bootinfo.h"

#include "kernel/format.h"
#include "kernel/kstring.h"
#include "multiboot.h"

/* The least a memory map entry's size field may say: addr, len and type. */
#define MMAP_ENTRY_MIN (sizeof(struct multiboot_mmap_entry) - sizeof(uint32_t))

struct source {
    boot_phys_reader phys;
    boot_warn warn;
};

/* The entries of one table left out, and why the first of them was. */
struct skips {
    const char *table; /* "memory map", "modules" */
    const char *where; /* how an entry is named: "at byte", "number" */
    uint32_t count, first_at;
    const char *first_why;
};

static void skip(struct skips *s, uint32_t at, uint32_t how_many, const char *why)
{
    if (s->count == 0) {
        s->first_at = at;
        s->first_why = why;
    }
    s->count += how_many;
}

/* One line for the table when anything of it was left out. */
static void report_skips(const struct source *src, const struct skips *s, uint32_t entries)
{
    char line[160];
    if (s->count == 0)
        return;
    ksnprintf(line, sizeof(line), "boot: %s: %u of %u entries skipped; the first, %s %u: %s",
              s->table, s->count, entries, s->where, s->first_at, s->first_why);
    src->warn(line);
}

enum string_end { STRING_ENDS, STRING_GOES_ON, STRING_OUT_OF_REACH };

/*
 * Copy the loader's string at addr into out (size bytes, NUL included),
 * one readable byte at a time. Says whether the string ended in out,
 * went on past it, or ran out of reach first (out then holds what was read).
 */
static enum string_end read_string(const struct source *src, uint32_t addr, char *out,
                                   size_t size)
{
    size_t n = 0;
    enum string_end end;
    for (;; n++) {
        const char *c = n <= UINT32_MAX - addr ? src->phys(addr + (uint32_t)n, 1) : NULL;
        end = !c ? STRING_OUT_OF_REACH : !*c ? STRING_ENDS : STRING_GOES_ON;
        if (end != STRING_GOES_ON || n + 1 == size)
            break;
        out[n] = *c;
    }
    out[n] = '\0';
    return end;
}

/* A string of the information ("" when addr is 0); one line when it runs out of reach. */
static enum string_end copy_string(const struct source *src, const char *what, uint32_t addr,
                                   char *out, size_t size)
{
    out[0] = '\0';
    enum string_end end = addr ? read_string(src, addr, out, size) : STRING_ENDS;
    if (end == STRING_OUT_OF_REACH) {
        char line[96];
        ksnprintf(line, sizeof(line), "boot: %s at 0x%x runs out of reach; %u bytes of it kept",
                  what, addr, (unsigned)strlen(out));
        src->warn(line);
    }
    return end;
}

/* The command line, and when it is longer than the kernel keeps, the start
 * of what was left out, for the console line that says so. */
static void read_cmdline(const struct source *src, uint32_t addr, struct boot_info *info)
{
    if (copy_string(src, "the command line", addr, info->cmdline, sizeof(info->cmdline)) !=
        STRING_GOES_ON)
        return;
    info->cmdline_cut = true;
    read_string(src, addr + (uint32_t)(sizeof(info->cmdline) - 1), info->cmdline_dropped,
                sizeof(info->cmdline_dropped));
}

/* Why the memory map entry e cannot be used, or NULL when it can. */
static const char *bad_range(const struct multiboot_mmap_entry *e, const struct boot_info *info)
{
    if (e->size < MMAP_ENTRY_MIN)
        return "its size field says less than 20 bytes";
    if (e->len == 0)
        return "its length is 0";
    if (e->len > UINT64_MAX - e->addr)
        return "it ends past 2^64";
    if (info->memory_count == BOOT_MAX_MEMORY_RANGES)
        return "the kernel keeps no more ranges";
    return NULL;
}

/*
 * Walk the map's entries, each `size` bytes after its size field, inside
 * [map, map + length). An entry that does not fit there ends the walk
 * (nothing after it can be found); one that fits but is bad is skipped.
 * Returns the entries seen.
 */
static uint32_t walk_memory_map(const uint8_t *map, uint32_t length, struct skips *skipped,
                                struct boot_info *info)
{
    uint32_t entries = 0;
    for (uint32_t off = 0; off < length; entries++) {
        struct multiboot_mmap_entry e = { .size = 0 };
        uint32_t left = length - off;
        if (left >= sizeof(e.size))
            memcpy(&e.size, map + off, sizeof(e.size));
        if (left < sizeof(e.size) || e.size > left - sizeof(e.size)) {
            skip(skipped, off, 1, "it runs past the end of the map");
            return entries + 1;
        }
        memcpy(&e, map + off, e.size < MMAP_ENTRY_MIN ? sizeof(e.size) : sizeof(e));
        const char *why = bad_range(&e, info);
        if (why)
            skip(skipped, off, 1, why);
        else
            info->memory[info->memory_count++] = (struct boot_memory_range){ e.addr, e.len, e.type };
        off += (uint32_t)sizeof(e.size) + e.size;
    }
    return entries;
}

static void read_memory_map(const struct source *src, const struct multiboot_info *mb,
                            struct boot_info *info)
{
    const uint8_t *map = src->phys(mb->mmap_addr, mb->mmap_length);
    if (!map) {
        char line[96];
        ksnprintf(line, sizeof(line), "boot: memory map: its %u bytes at 0x%x are out of reach",
                  mb->mmap_length, mb->mmap_addr);
        src->warn(line);
        return;
    }
    struct skips skipped = { .table = "memory map", .where = "at byte" };
    uint32_t entries = walk_memory_map(map, mb->mmap_length, &skipped, info);
    report_skips(src, &skipped, entries);
}

/* Module i of the list, copied out; false when it lies out of reach. */
static bool module_at(const struct source *src, const struct multiboot_info *mb, uint32_t i,
                      struct multiboot_module *m)
{
    uint64_t at = (uint64_t)mb->mods_addr + (uint64_t)i * sizeof(*m);
    const void *p = at <= UINT32_MAX ? src->phys((uint32_t)at, sizeof(*m)) : NULL;
    if (p)
        memcpy(m, p, sizeof(*m));
    return p != NULL;
}

static void read_modules(const struct source *src, const struct multiboot_info *mb,
                         struct boot_info *info)
{
    struct skips skipped = { .table = "modules", .where = "number" };
    for (uint32_t i = 0; i < mb->mods_count; i++) {
        struct multiboot_module m;
        const char *why = info->module_count == BOOT_MAX_MODULES ? "the kernel keeps no more"
                        : !module_at(src, mb, i, &m) ? "the list runs out of reach" : NULL;
        if (why) {
            skip(&skipped, i, mb->mods_count - i, why); /* and every one after it */
            break;
        }
        if (m.mod_end < m.mod_start) {
            skip(&skipped, i, 1, "it ends before it starts");
            continue;
        }
        struct boot_module *out = &info->modules[info->module_count++];
        out->start = m.mod_start;
        out->end = m.mod_end;
        copy_string(src, "a module's name", m.cmdline, out->cmdline, sizeof(out->cmdline));
    }
    report_skips(src, &skipped, mb->mods_count);
}

static enum boot_fb_type fb_type(uint8_t multiboot_type)
{
    return multiboot_type == MULTIBOOT_FB_TYPE_RGB ? BOOT_FB_RGB
         : multiboot_type == MULTIBOOT_FB_TYPE_INDEXED ? BOOT_FB_INDEXED
         : BOOT_FB_EGA_TEXT;
}

/* The frame buffer, unless its bytes would wrap past 2^64 (one line then). */
static void read_framebuffer(const struct source *src, const struct multiboot_info *mb,
                             struct boot_info *info)
{
    struct boot_framebuffer *fb = &info->fb;
    fb->phys = (uint64_t)mb->framebuffer_addr_hi << 32 | mb->framebuffer_addr_lo;
    if ((uint64_t)mb->framebuffer_pitch * mb->framebuffer_height > UINT64_MAX - fb->phys) {
        src->warn("boot: frame buffer: its lines reach past 2^64; not used");
        return;
    }
    fb->pitch = mb->framebuffer_pitch;
    fb->width = mb->framebuffer_width;
    fb->height = mb->framebuffer_height;
    fb->bpp = mb->framebuffer_bpp;
    fb->type = fb_type(mb->framebuffer_type);
    if (fb->type == BOOT_FB_RGB) {
        fb->red = (struct color_field){ mb->color.rgb.red_position, mb->color.rgb.red_size };
        fb->green = (struct color_field){ mb->color.rgb.green_position, mb->color.rgb.green_size };
        fb->blue = (struct color_field){ mb->color.rgb.blue_position, mb->color.rgb.blue_size };
    }
    info->has_framebuffer = true;
}

/*
 * The information structure copied out of the loader's memory: only as
 * much of it as the flags say is there (the frame buffer fields are last),
 * the rest zero. False when that much is out of reach.
 */
static bool read_structure(const struct source *src, uint32_t mbi_phys,
                           struct multiboot_info *mb)
{
    const void *start = src->phys(mbi_phys, sizeof(mb->flags));
    if (!start)
        return false;
    memcpy(&mb->flags, start, sizeof(mb->flags)); /* the loader need not align it */
    size_t size = (mb->flags & MULTIBOOT_INFO_FRAMEBUFFER) ? sizeof(*mb)
                                                           : offsetof(struct multiboot_info, apm_table);
    const void *whole = src->phys(mbi_phys, (uint32_t)size);
    *mb = (struct multiboot_info){ .flags = 0 };
    if (whole)
        memcpy(mb, whole, size);
    return whole != NULL;
}

enum bootinfo_result bootinfo_parse(uint32_t magic, uint32_t mbi_phys, boot_phys_reader phys,
                                    boot_warn warn, struct boot_info *info)
{
    const struct source src = { phys, warn };
    struct multiboot_info mb;
    *info = (struct boot_info){ .memory_count = 0 };
    if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
        return BOOTINFO_BAD_MAGIC;
    if (!read_structure(&src, mbi_phys, &mb))
        return BOOTINFO_UNREADABLE;
    if (mb.flags & MULTIBOOT_INFO_MEMORY) {
        info->mem_lower_kb = mb.mem_lower_kb;
        info->mem_upper_kb = mb.mem_upper_kb;
    }
    if (mb.flags & MULTIBOOT_INFO_CMDLINE)
        read_cmdline(&src, mb.cmdline, info);
    if (mb.flags & MULTIBOOT_INFO_LOADER_NAME)
        copy_string(&src, "the loader's name", mb.boot_loader_name, info->loader_name,
                    sizeof(info->loader_name));
    if (mb.flags & MULTIBOOT_INFO_MEM_MAP)
        read_memory_map(&src, &mb, info);
    if (mb.flags & MULTIBOOT_INFO_MODS)
        read_modules(&src, &mb, info);
    if (mb.flags & MULTIBOOT_INFO_FRAMEBUFFER)
        read_framebuffer(&src, &mb, info);
    return BOOTINFO_OK;
}

bool bootinfo_module_overlaps(const struct boot_info *info, uint32_t start, uint32_t end)
{
    for (int i = 0; i < info->module_count; i++) {
        if (info->modules[i].start < end && info->modules[i].end > start)
            return true;
    }
    return false;
}
