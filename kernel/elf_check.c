/*
 * Program image checks (see elf_check.h).
 */
#include "elf_check.h"

#include "kernel.h"
#include "kstring.h"
#include "mm/mm.h"

/* A segment's memory lies in [USER_BASE, limit); its end is then at most
 * limit, so rounding it up to a page cannot wrap. */
static bool segment_ok(const struct elf_phdr *ph, uint32_t size, uint32_t limit)
{
    return elf_segment_in_file(ph, size) && ph->vaddr >= USER_BASE && ph->vaddr < limit &&
           ph->memsz <= limit - ph->vaddr;
}

/* Whether ph shares a page with one of the first n segments of loads. */
static bool shares_a_page(const struct elf_phdr *ph, const struct elf_phdr *loads, uint32_t n)
{
    uint32_t start = ALIGN_DOWN(ph->vaddr, PAGE_SIZE);
    uint32_t end = ALIGN_UP(ph->vaddr + ph->memsz, PAGE_SIZE);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t o_start = ALIGN_DOWN(loads[i].vaddr, PAGE_SIZE);
        uint32_t o_end = ALIGN_UP(loads[i].vaddr + loads[i].memsz, PAGE_SIZE);
        if (start < o_end && o_start < end)
            return true;
    }
    return false;
}

/* Take one program header into out if it is a segment to load; false if
 * it is one that makes the image unacceptable. */
static bool take_segment(const struct elf_phdr *ph, uint32_t size, uint32_t limit,
                         struct elf_layout *out)
{
    if (ph->type != PT_LOAD || ph->memsz == 0)
        return true;
    if (out->count == ELF_MAX_LOADS || !segment_ok(ph, size, limit) ||
        shares_a_page(ph, out->loads, out->count))
        return false;
    out->loads[out->count++] = *ph;
    uint32_t end = ALIGN_UP(ph->vaddr + ph->memsz, PAGE_SIZE);
    out->end = end > out->end ? end : out->end;
    return true;
}

bool elf_check_image(const uint8_t *elf, uint32_t size, uint32_t limit, struct elf_layout *out)
{
    struct elf_header h;
    *out = (struct elf_layout){ 0 };
    if (size < sizeof(h))
        return false;
    memcpy(&h, elf, sizeof(h));
    if (!elf_header_ok(&h, size) || h.phnum > ELF_MAX_PHDRS)
        return false;
    out->entry = h.entry;
    for (uint32_t i = 0; i < h.phnum; i++) {
        struct elf_phdr ph;
        memcpy(&ph, elf + h.phoff + i * sizeof(ph), sizeof(ph));
        if (!take_segment(&ph, size, limit, out))
            return false;
    }
    return out->count > 0;
}
