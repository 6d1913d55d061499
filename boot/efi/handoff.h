/*
 * The UEFI loader's decisions, kept apart from its firmware calls so that
 * host tests can run them: whether a file is a kernel it can place, whether
 * the firmware's memory is free where the kernel wants it, which graphics
 * mode to take, which firmware table to hand over, and the multiboot
 * information the kernel is entered with.
 * efi_loader.c makes the calls and uses only this interface.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot/multiboot.h"

#define PAGE_BYTES 4096u

/* --- kernel_image.c: the kernel ELF file --- */

#define KERNEL_MAX_SEGMENTS 8

struct kernel_segment {
    uint32_t phys;        /* where its first byte goes */
    uint32_t file_offset; /* its bytes in the file */
    uint32_t file_size;
    uint32_t mem_size;    /* the rest, after file_size, is zeroed */
};

struct kernel_image {
    uint32_t entry;     /* physical address of the entry point */
    uint32_t low, high; /* page-aligned physical span of all segments: [low, high) */
    int segment_count;
    struct kernel_segment segments[KERNEL_MAX_SEGMENTS];
};

/*
 * Check that the size bytes at file are a 32-bit x86 ELF executable with a
 * multiboot header this loader honours, and plan where its segments go.
 * Returns NULL when they are (image filled in), else a sentence naming what
 * is wrong, for the person who built the file.
 */
const char *kernel_image_inspect(const void *file, size_t size, struct kernel_image *image);

/* Copy the segments into span, the memory where image->low will be, and
 * zero the rest of it: what each segment has beyond its file bytes, and the
 * gaps between segments. */
void kernel_image_place(const struct kernel_image *image, const void *file, void *span);

/* --- memory_map.c: the firmware's memory map --- */

/* UEFI's memory types (EFI_MEMORY_TYPE), by their numbers in the specification. */
enum uefi_memory_type {
    UEFI_RESERVED, UEFI_LOADER_CODE, UEFI_LOADER_DATA, UEFI_BOOT_CODE, UEFI_BOOT_DATA,
    UEFI_RUNTIME_CODE, UEFI_RUNTIME_DATA, UEFI_CONVENTIONAL, UEFI_UNUSABLE,
    UEFI_ACPI_RECLAIM, UEFI_ACPI_NVS, UEFI_MMIO, UEFI_MMIO_PORT, UEFI_PAL_CODE,
    UEFI_PERSISTENT,
    UEFI_NO_MEMORY = -1, /* an address no descriptor covers */
};

/* GetMemoryMap's answer: size bytes of descriptors, descriptor_size apart
 * (the firmware may make them larger than the specification's structure). */
struct uefi_memory_map {
    const void *descriptors;
    size_t size;
    size_t descriptor_size;
};

/* What the firmware calls memory of that type, for messages. */
const char *uefi_memory_type_name(int type);

/*
 * True when all of [low, high) is conventional (free) memory. When it is
 * not, *where is the first address in it that is not, and *type what the
 * firmware has there (UEFI_NO_MEMORY if nothing).
 */
bool uefi_range_is_free(const struct uefi_memory_map *map, uint64_t low, uint64_t high,
                        uint64_t *where, int *type);

/* --- boot_video.c: the graphics mode --- */

/* GOP's pixel formats (EFI_GRAPHICS_PIXEL_FORMAT). */
enum gop_pixel_format { GOP_RGBX, GOP_BGRX, GOP_BIT_MASK, GOP_BLT_ONLY };

struct gop_mode {
    uint32_t width, height;
    uint32_t pixels_per_line;
    uint32_t format;                          /* enum gop_pixel_format */
    uint32_t red_mask, green_mask, blue_mask, reserved_mask; /* GOP_BIT_MASK only */
};

/*
 * The mode to use among count modes: one of width x height if offered,
 * else the current one, else the first; always one with a frame buffer
 * (not GOP_BLT_ONLY). -1 when no mode has a frame buffer.
 */
int gop_choose_mode(const struct gop_mode *modes, int count, int current, uint32_t width,
                    uint32_t height);

/* The frame buffer size a video=WxHxD option asks for, when it names one
 * this loader can give (GOP modes are 32 bits per pixel); else 800x600. */
void boot_video_wanted(const char *video_option, uint32_t *width, uint32_t *height);

/* --- config_table.c: the firmware's configuration table --- */

/* An entry of the EFI system table's configuration table as x86-64
 * firmware lays it out (EFI_CONFIGURATION_TABLE): a GUID and a table's address. */
struct uefi_config_entry {
    uint8_t guid[16];
    uint64_t table;
};

/* The table of the first GUID of wanted (wanted_count of them, in order of
 * preference) that one of the count entries names; 0 when none is there. */
uint64_t uefi_config_table(const struct uefi_config_entry *entries, size_t count,
                           const uint8_t (*wanted)[16], size_t wanted_count);

/* --- mbi.c: the multiboot information --- */

#define MBI_MAX_RANGES 128
/* More than the kernel keeps (BOOT_CMDLINE_MAX), so that it sees when a
 * line was longer and says so: nothing is cut without a word. */
#define MBI_CMDLINE_MAX 8192

/*
 * Everything the kernel is handed, in one block of memory at physical
 * address phys: the information structure and what its addresses point at.
 */
struct mbi_block {
    struct multiboot_info info;
    struct multiboot_module module;
    struct multiboot_mmap_entry ranges[MBI_MAX_RANGES];
    char module_name[16];
    char loader_name[32];
    char cmdline[MBI_CMDLINE_MAX];
    uint32_t phys;
};

/* Start the block at physical address phys with the loader's name and the
 * kernel command line (cut to fit). */
void mbi_init(struct mbi_block *b, uint32_t phys, const char *loader_name, const char *cmdline);

/* Hand the kernel the firmware's RSDP: "acpi.rsdp=0xHEX" at the start of
 * the command line (run= takes the rest of a line, so not at its end; an
 * acpi.rsdp= of the line's own comes later and wins), the line's end cut
 * where it no longer fits. Nothing when rsdp is 0 (the firmware has none). */
void mbi_set_rsdp(struct mbi_block *b, uint64_t rsdp);

/* The one boot module: physical [start, end), named name (cut to fit). */
void mbi_set_module(struct mbi_block *b, uint32_t start, uint32_t end, const char *name);

/* The frame buffer of mode at physical address base. Pixels are 32 bits
 * but in GOP_BIT_MASK modes, where the masks' highest bit says. */
void mbi_set_framebuffer(struct mbi_block *b, const struct gop_mode *mode, uint64_t base);

/*
 * (memory_map.c) The memory map in multiboot terms, sorted by address, neighbours of one
 * kind merged, and the lower/upper memory sizes. Boot services and loader
 * memory count as available: the firmware is gone when the kernel runs, and
 * the kernel keeps its own image and modules. Only descriptors whose pages
 * end below 2^64 are read; several at one address are all passed on, in
 * map order (the kernel never frees a frame a claim touches). Returns how
 * many descriptors with pages were left out: unreadable, or past the
 * block's ranges (0 normally).
 */
int mbi_set_memory_map(struct mbi_block *b, const struct uefi_memory_map *map);
