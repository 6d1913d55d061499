/*
 * What the boot loader told us, in the kernel's own terms. Filled once from
 * the multiboot information before anything else runs.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define BOOT_MAX_MEMORY_RANGES 128 /* as many as vidport's UEFI loader hands over */
#define BOOT_MAX_MODULES 16
#define BOOT_CMDLINE_MAX 4096      /* a longer command line is cut, and says so */
#define BOOT_DROPPED_PREVIEW 32    /* how much of a cut line's dropped part is kept */

enum boot_memory_type {
    BOOT_MEMORY_AVAILABLE = 1,
    BOOT_MEMORY_RESERVED = 2,
    BOOT_MEMORY_ACPI_RECLAIMABLE = 3,
    BOOT_MEMORY_ACPI_NVS = 4,
    BOOT_MEMORY_BAD = 5,
};

struct boot_memory_range {
    uint64_t base;
    uint64_t length;
    uint32_t type; /* enum boot_memory_type, or another loader value */
};

struct boot_module {
    uint32_t start; /* physical, inclusive */
    uint32_t end;   /* physical, exclusive */
    char cmdline[64];
};

struct color_field {
    uint8_t position;
    uint8_t size;
};

enum boot_fb_type { BOOT_FB_INDEXED, BOOT_FB_RGB, BOOT_FB_EGA_TEXT };

struct boot_framebuffer {
    uint64_t phys;
    uint32_t pitch; /* bytes per line */
    uint32_t width;
    uint32_t height;
    uint8_t bpp;
    enum boot_fb_type type;
    struct color_field red, green, blue;
};

struct boot_info {
    /* Strings are copied: the loader's memory is reused once frames are handed out. */
    char cmdline[BOOT_CMDLINE_MAX]; /* "" when none was given */
    bool cmdline_cut;               /* the loader's line was longer than cmdline holds */
    char cmdline_dropped[BOOT_DROPPED_PREVIEW]; /* then: how the part left out begins */
    char loader_name[64];          /* "" when unknown */
    uint32_t mem_lower_kb;
    uint32_t mem_upper_kb;
    struct boot_memory_range memory[BOOT_MAX_MEMORY_RANGES];
    int memory_count;
    struct boot_module modules[BOOT_MAX_MODULES];
    int module_count;
    bool has_framebuffer;
    struct boot_framebuffer fb;
};

/* A pointer to [phys, phys + size) of the loader's memory, or NULL unless
 * all of it can be read (a range that wraps past 4 GiB never can). */
typedef const void *(*boot_phys_reader)(uint32_t phys, uint32_t size);

/* Takes one line (without its newline) about boot information that was skipped. */
typedef void (*boot_warn)(const char *line);

enum bootinfo_result {
    BOOTINFO_OK = 0,
    BOOTINFO_BAD_MAGIC = -1,
    BOOTINFO_UNREADABLE = -2, /* the information structure itself is out of reach */
};

/*
 * Fill info from the multiboot information at physical address mbi_phys.
 * Every byte is read through phys and nothing the loader says is trusted:
 * a memory map entry whose size is short or runs past mmap_length, an
 * empty range or one that wraps past 2^64, a module list that runs out of
 * reach or a module that ends before it starts, a frame buffer that wraps,
 * and entries beyond the table sizes above are left out, with one line to
 * warn per table saying how many and why the first was. A command line
 * longer than BOOT_CMDLINE_MAX - 1 bytes sets cmdline_cut.
 */
enum bootinfo_result bootinfo_parse(uint32_t magic, uint32_t mbi_phys, boot_phys_reader phys,
                                    boot_warn warn, struct boot_info *info);

/* Whether a boot module reaches into [start, end) (an empty one by its
 * address): memory that must stay as the loader left it while the kernel
 * still reads the module. */
bool bootinfo_module_overlaps(const struct boot_info *info, uint32_t start, uint32_t end);

/* What the running kernel was booted with (filled by kmain). */
const struct boot_info *kernel_boot_info(void);
