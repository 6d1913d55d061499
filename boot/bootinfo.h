/*
 * What the boot loader told us, in the kernel's own terms. Filled once from
 * the multiboot information before anything else runs.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define BOOT_MAX_MEMORY_RANGES 32
#define BOOT_MAX_MODULES 16
#define BOOT_STRING_MAX 512 /* longer loader strings are cut */

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
    char cmdline[BOOT_STRING_MAX]; /* "" when none was given */
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

/* Translates a physical address the loader gave us into a pointer (NULL if unreachable). */
typedef const void *(*boot_phys_reader)(uint32_t phys);

enum bootinfo_result {
    BOOTINFO_OK = 0,
    BOOTINFO_BAD_MAGIC = -1,
};

/*
 * Fill info from the multiboot information at mbi. Every pointer in it is
 * translated with phys. Entries beyond the table sizes above are dropped.
 */
enum bootinfo_result bootinfo_parse(uint32_t magic, const void *mbi,
                                    boot_phys_reader phys, struct boot_info *info);

/* What the running kernel was booted with (filled by kmain). */
const struct boot_info *kernel_boot_info(void);
