/*
 * The multiboot information block: the structure GRUB would build, with
 * every string and table it points at inside the same block.
 */
#include "handoff.h"

#include "boot/bootinfo.h"
#include "kernel/format.h"
#include "kernel/kstring.h"

_Static_assert(MBI_CMDLINE_MAX > BOOT_CMDLINE_MAX, "the kernel could not see a cut line");

/* The physical address of one of the block's members, as the kernel sees it. */
#define PHYS_OF(b, member) ((b)->phys + (uint32_t)offsetof(struct mbi_block, member))

void mbi_init(struct mbi_block *b, uint32_t phys, const char *loader_name, const char *cmdline)
{
    memset(b, 0, sizeof(*b));
    b->phys = phys;
    ksnprintf(b->loader_name, sizeof(b->loader_name), "%s", loader_name);
    ksnprintf(b->cmdline, sizeof(b->cmdline), "%s", cmdline);
    b->info.flags = MULTIBOOT_INFO_CMDLINE | MULTIBOOT_INFO_LOADER_NAME;
    b->info.boot_loader_name = PHYS_OF(b, loader_name);
    b->info.cmdline = PHYS_OF(b, cmdline);
}

void mbi_set_rsdp(struct mbi_block *b, uint64_t rsdp)
{
    char option[40];
    if (!rsdp)
        return;
    size_t n = (size_t)ksnprintf(option, sizeof(option), "acpi.rsdp=0x%llx%s",
                                 (unsigned long long)rsdp, b->cmdline[0] ? " " : "");
    size_t keep = strlen(b->cmdline);
    if (keep > sizeof(b->cmdline) - 1 - n)
        keep = sizeof(b->cmdline) - 1 - n;
    memmove(b->cmdline + n, b->cmdline, keep);
    memcpy(b->cmdline, option, n);
    b->cmdline[n + keep] = '\0';
}

void mbi_set_module(struct mbi_block *b, uint32_t start, uint32_t end, const char *name)
{
    ksnprintf(b->module_name, sizeof(b->module_name), "%s", name);
    b->module = (struct multiboot_module){ start, end, PHYS_OF(b, module_name), 0 };
    b->info.flags |= MULTIBOOT_INFO_MODS;
    b->info.mods_count = 1;
    b->info.mods_addr = PHYS_OF(b, module);
}

/* The lowest set bit of mask and how many bits it has. */
static void mask_field(uint32_t mask, uint8_t *position, uint8_t *size)
{
    uint8_t pos = 0, n = 0;
    while (mask && !(mask & 1u)) {
        mask >>= 1;
        pos++;
    }
    for (; mask & 1u; mask >>= 1)
        n++;
    *position = pos;
    *size = n;
}

/* Bits per pixel of a bit-mask mode: up to its masks' highest bit, in whole bytes. */
static uint8_t mask_bpp(const struct gop_mode *mode)
{
    uint32_t all = mode->red_mask | mode->green_mask | mode->blue_mask | mode->reserved_mask;
    uint8_t bits = 0;
    for (; all; all >>= 1)
        bits++;
    return (uint8_t)((bits + 7) / 8 * 8);
}

void mbi_set_framebuffer(struct mbi_block *b, const struct gop_mode *mode, uint64_t base)
{
    struct multiboot_info *mi = &b->info;
    uint32_t masks[3] = { 0xFFu, 0xFF00u, 0xFF0000u }; /* red, green, blue: GOP_RGBX */
    uint8_t bpp = mode->format == GOP_BIT_MASK ? mask_bpp(mode) : 32;
    if (mode->format == GOP_BGRX) {
        masks[0] = 0xFF0000u;
        masks[2] = 0xFFu;
    } else if (mode->format == GOP_BIT_MASK) {
        masks[0] = mode->red_mask;
        masks[1] = mode->green_mask;
        masks[2] = mode->blue_mask;
    }
    mi->flags |= MULTIBOOT_INFO_FRAMEBUFFER;
    mi->framebuffer_addr_lo = (uint32_t)base;
    mi->framebuffer_addr_hi = (uint32_t)(base >> 32);
    mi->framebuffer_pitch = mode->pixels_per_line * bpp / 8;
    mi->framebuffer_width = mode->width;
    mi->framebuffer_height = mode->height;
    mi->framebuffer_bpp = bpp;
    mi->framebuffer_type = MULTIBOOT_FB_TYPE_RGB;
    mask_field(masks[0], &mi->color.rgb.red_position, &mi->color.rgb.red_size);
    mask_field(masks[1], &mi->color.rgb.green_position, &mi->color.rgb.green_size);
    mask_field(masks[2], &mi->color.rgb.blue_position, &mi->color.rgb.blue_size);
}
