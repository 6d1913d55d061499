/*
 * Multiboot (version 1) boot information, laid out as GRUB 2.06 writes it.
 * This is the only file that knows the boot loader's layout; everything
 * else reads struct boot_info (bootinfo.h).
 *
 * Note the colour fields: the specification's table puts them at offset 110,
 * but GRUB's structure holds them in a union with a 32-bit member, so they
 * start at 112 (the two bytes at 110 are padding).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002u

#define MULTIBOOT_INFO_MEMORY (1u << 0)
#define MULTIBOOT_INFO_CMDLINE (1u << 2)
#define MULTIBOOT_INFO_MODS (1u << 3)
#define MULTIBOOT_INFO_MEM_MAP (1u << 6)
#define MULTIBOOT_INFO_LOADER_NAME (1u << 9)
#define MULTIBOOT_INFO_FRAMEBUFFER (1u << 12)

#define MULTIBOOT_FB_TYPE_INDEXED 0
#define MULTIBOOT_FB_TYPE_RGB 1
#define MULTIBOOT_FB_TYPE_EGA_TEXT 2

struct multiboot_info {
    uint32_t flags;
    uint32_t mem_lower_kb;
    uint32_t mem_upper_kb;
    uint32_t boot_device;
    uint32_t cmdline;
    uint32_t mods_count;
    uint32_t mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length;
    uint32_t mmap_addr;
    uint32_t drives_length;
    uint32_t drives_addr;
    uint32_t config_table;
    uint32_t boot_loader_name;
    uint32_t apm_table;
    uint32_t vbe_control_info;
    uint32_t vbe_mode_info;
    uint16_t vbe_mode;
    uint16_t vbe_interface_seg;
    uint16_t vbe_interface_off;
    uint16_t vbe_interface_len;
    uint32_t framebuffer_addr_lo; /* a u64 in GRUB; split to keep i386 */
    uint32_t framebuffer_addr_hi; /* and host layouts identical */
    uint32_t framebuffer_pitch;
    uint32_t framebuffer_width;
    uint32_t framebuffer_height;
    uint8_t framebuffer_bpp;
    uint8_t framebuffer_type;
    uint8_t padding[2];
    union {
        struct {
            uint32_t palette_addr;
            uint16_t palette_num_colors;
        } indexed;
        struct {
            uint8_t red_position, red_size;
            uint8_t green_position, green_size;
            uint8_t blue_position, blue_size;
        } rgb;
    } color;
};

_Static_assert(offsetof(struct multiboot_info, framebuffer_addr_lo) == 88, "fb addr");
_Static_assert(offsetof(struct multiboot_info, framebuffer_bpp) == 108, "fb bpp");
_Static_assert(offsetof(struct multiboot_info, color) == 112, "GRUB colour info");

/* One memory map entry; `size` counts the bytes after itself. */
struct __attribute__((packed)) multiboot_mmap_entry {
    uint32_t size;
    uint64_t addr;
    uint64_t len;
    uint32_t type;
};

struct multiboot_module {
    uint32_t mod_start;
    uint32_t mod_end;
    uint32_t cmdline;
    uint32_t reserved;
};
