/*
 * The kernel file, as the UEFI loader sees it: a 32-bit ELF executable with
 * a multiboot header, whose loadable segments go at their physical (load)
 * addresses, exactly where GRUB would put them.
 */
#include "handoff.h"

#include "kernel/elf.h"
#include "kernel/kstring.h"

#define MULTIBOOT_HEADER_MAGIC 0x1BADB002u
#define MULTIBOOT_SEARCH_BYTES 8192u
/* Flag bits 0-15 are requests a loader must honour or refuse: this one
 * aligns modules to pages, gives the memory map and a frame buffer. */
#define MULTIBOOT_HONOURED_REQUESTS 0x7u
#define MULTIBOOT_ADDRESS_FIELDS (1u << 16)

struct multiboot_header {
    uint32_t magic, flags, checksum;
};

/* The multiboot header's flags, or a reason there is no usable header. */
static const char *multiboot_flags(const uint8_t *file, size_t size, uint32_t *flags)
{
    size_t limit = size < MULTIBOOT_SEARCH_BYTES ? size : MULTIBOOT_SEARCH_BYTES;
    for (size_t at = 0; at + sizeof(struct multiboot_header) <= limit; at += 4) {
        const struct multiboot_header *h = (const void *)(file + at);
        if (h->magic == MULTIBOOT_HEADER_MAGIC && h->checksum == 0u - h->magic - h->flags) {
            *flags = h->flags;
            return NULL;
        }
    }
    return "it has no multiboot header in its first 8 KiB: not a vidport kernel";
}

static const char *check_multiboot(const uint8_t *file, size_t size)
{
    uint32_t flags = 0;
    const char *why = multiboot_flags(file, size, &flags);
    if (why)
        return why;
    if (flags & MULTIBOOT_ADDRESS_FIELDS)
        return "its multiboot header gives load addresses; this loader takes them from the ELF";
    if (flags & 0xFFFFu & ~MULTIBOOT_HONOURED_REQUESTS)
        return "its multiboot header asks for a feature this loader does not know";
    return NULL;
}

static const char *check_segment(const struct elf_phdr *ph, uint32_t size)
{
    if (ph->filesz > ph->memsz)
        return "a segment has more bytes in the file than in memory";
    if (!elf_segment_in_file(ph, size))
        return "a segment lies outside the file (is it truncated?)";
    if ((uint64_t)ph->paddr + ph->memsz > 0x100000000ull - PAGE_BYTES)
        return "a segment reaches past 4 GiB";
    return NULL;
}

/* Add a loadable segment to the plan and widen the span to cover it. */
static const char *add_segment(struct kernel_image *image, const struct elf_phdr *ph)
{
    if (image->segment_count == KERNEL_MAX_SEGMENTS)
        return "it has more loadable segments than this loader takes";
    for (int i = 0; i < image->segment_count; i++) {
        const struct kernel_segment *s = &image->segments[i];
        if (ph->paddr < s->phys + s->mem_size && s->phys < ph->paddr + ph->memsz)
            return "two of its segments overlap";
    }
    image->segments[image->segment_count++] =
        (struct kernel_segment){ ph->paddr, ph->offset, ph->filesz, ph->memsz };
    uint32_t low = ph->paddr & ~(PAGE_BYTES - 1);
    uint32_t high = (ph->paddr + ph->memsz + PAGE_BYTES - 1) & ~(PAGE_BYTES - 1);
    if (image->segment_count == 1 || low < image->low)
        image->low = low;
    if (high > image->high)
        image->high = high;
    return NULL;
}

/* The entry point's physical address: e_entry is a link (virtual) address,
 * so it is moved by the difference of the segment that holds it. */
static const char *find_entry(const struct elf_header *h, const uint8_t *file,
                              struct kernel_image *image)
{
    const struct elf_phdr *ph = (const struct elf_phdr *)(file + h->phoff);
    for (uint32_t i = 0; i < h->phnum; i++) {
        if (ph[i].type == PT_LOAD && ph[i].memsz && h->entry - ph[i].vaddr < ph[i].filesz) {
            image->entry = h->entry - ph[i].vaddr + ph[i].paddr;
            return NULL;
        }
    }
    return "its entry point is not in a loadable segment";
}

const char *kernel_image_inspect(const void *file, size_t size, struct kernel_image *image)
{
    const uint8_t *bytes = file;
    const struct elf_header *h = file;
    *image = (struct kernel_image){ 0 };
    if (size != (uint32_t)size || !elf_header_ok(h, (uint32_t)size))
        return "it is not a 32-bit x86 ELF executable";
    const char *why = check_multiboot(bytes, size);
    const struct elf_phdr *ph = (const struct elf_phdr *)(bytes + h->phoff);
    for (uint32_t i = 0; !why && i < h->phnum; i++) {
        if (ph[i].type != PT_LOAD || ph[i].memsz == 0)
            continue;
        why = check_segment(&ph[i], (uint32_t)size);
        if (!why)
            why = add_segment(image, &ph[i]);
    }
    if (!why && image->segment_count == 0)
        why = "it has nothing to load";
    return why ? why : find_entry(h, bytes, image);
}

void kernel_image_place(const struct kernel_image *image, const void *file, void *span)
{
    memset(span, 0, image->high - image->low);
    for (int i = 0; i < image->segment_count; i++) {
        const struct kernel_segment *s = &image->segments[i];
        memcpy((uint8_t *)span + (s->phys - image->low), (const uint8_t *)file + s->file_offset,
               s->file_size);
    }
}
