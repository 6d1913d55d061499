/*
 * Multiboot v1 information → struct boot_info.
 */
#include "bootinfo.h"

#include "multiboot.h"

/* Copy a loader string into out (cut to fit); "" when it is missing or out
 * of reach. */
static void copy_string(char *out, size_t size, boot_phys_reader phys, uint32_t addr)
{
    const char *s = addr ? phys(addr) : NULL;
    size_t n = 0;
    while (s && s[n] && n + 1 < size) {
        out[n] = s[n];
        n++;
    }
    out[n] = '\0';
}

static void read_memory_map(const struct multiboot_info *mb, boot_phys_reader phys,
                            struct boot_info *info)
{
    const uint8_t *entry = phys(mb->mmap_addr);
    if (!entry)
        return;
    const uint8_t *end = entry + mb->mmap_length;
    while (entry < end && info->memory_count < BOOT_MAX_MEMORY_RANGES) {
        const struct multiboot_mmap_entry *e = (const void *)entry;
        struct boot_memory_range *r = &info->memory[info->memory_count++];
        r->base = e->addr;
        r->length = e->len;
        r->type = e->type;
        entry += e->size + sizeof(e->size);
    }
}

static void read_modules(const struct multiboot_info *mb, boot_phys_reader phys,
                         struct boot_info *info)
{
    const struct multiboot_module *m = phys(mb->mods_addr);
    if (!m)
        return;
    for (uint32_t i = 0; i < mb->mods_count && i < BOOT_MAX_MODULES; i++) {
        struct boot_module *out = &info->modules[info->module_count++];
        out->start = m[i].mod_start;
        out->end = m[i].mod_end;
        copy_string(out->cmdline, sizeof(out->cmdline), phys, m[i].cmdline);
    }
}

static void read_framebuffer(const struct multiboot_info *mb, struct boot_info *info)
{
    struct boot_framebuffer *fb = &info->fb;
    fb->phys = (uint64_t)mb->framebuffer_addr_hi << 32 | mb->framebuffer_addr_lo;
    fb->pitch = mb->framebuffer_pitch;
    fb->width = mb->framebuffer_width;
    fb->height = mb->framebuffer_height;
    fb->bpp = mb->framebuffer_bpp;
    fb->type = mb->framebuffer_type == MULTIBOOT_FB_TYPE_RGB ? BOOT_FB_RGB
             : mb->framebuffer_type == MULTIBOOT_FB_TYPE_INDEXED ? BOOT_FB_INDEXED
             : BOOT_FB_EGA_TEXT;
    if (fb->type == BOOT_FB_RGB) {
        fb->red = (struct color_field){ mb->color.rgb.red_position, mb->color.rgb.red_size };
        fb->green = (struct color_field){ mb->color.rgb.green_position, mb->color.rgb.green_size };
        fb->blue = (struct color_field){ mb->color.rgb.blue_position, mb->color.rgb.blue_size };
    }
    info->has_framebuffer = true;
}

enum bootinfo_result bootinfo_parse(uint32_t magic, const void *mbi,
                                    boot_phys_reader phys, struct boot_info *info)
{
    *info = (struct boot_info){ .memory_count = 0 };
    if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
        return BOOTINFO_BAD_MAGIC;
    const struct multiboot_info *mb = mbi;
    if (mb->flags & MULTIBOOT_INFO_MEMORY) {
        info->mem_lower_kb = mb->mem_lower_kb;
        info->mem_upper_kb = mb->mem_upper_kb;
    }
    if (mb->flags & MULTIBOOT_INFO_CMDLINE)
        copy_string(info->cmdline, sizeof(info->cmdline), phys, mb->cmdline);
    if (mb->flags & MULTIBOOT_INFO_LOADER_NAME)
        copy_string(info->loader_name, sizeof(info->loader_name), phys, mb->boot_loader_name);
    if (mb->flags & MULTIBOOT_INFO_MEM_MAP)
        read_memory_map(mb, phys, info);
    if (mb->flags & MULTIBOOT_INFO_MODS)
        read_modules(mb, phys, info);
    if (mb->flags & MULTIBOOT_INFO_FRAMEBUFFER)
        read_framebuffer(mb, info);
    return BOOTINFO_OK;
}
