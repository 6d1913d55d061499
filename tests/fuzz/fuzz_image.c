/*
 * Fuzz target: the program image checks (elf_check_image in
 * kernel/elf_check.c) against a reference that reads the file's bytes one
 * by one and sums in 64 bits, where nothing wraps: accepted exactly when
 * the reference says, and an accepted image's layout is its loadable
 * segments, in order, each inside the file and inside user memory below
 * the limit, no two on one page, their end the highest page end.
 * AddressSanitizer sees every read, so a check that reads past the file
 * (a header table that runs off its end) is a crash; UBSan sees a header
 * read at an unaligned offset.
 *
 * Input: the image file itself, checked twice: against the loader's
 * limit (EXEC_IMAGE_LIMIT, below the stack's guard region) and against
 * the end of user space. The seeds are tools/mkimages.py's images.
 */
#include "fuzz.h"

#include "kernel/elf_check.h"
#include "kernel/exec.h"

#define PAGE 4096u
#define HEADER_BYTES 52u
#define PHDR_BYTES 32u

static uint32_t le(const uint8_t *p, int bytes)
{
    uint32_t v = 0;
    for (int i = bytes - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* One program header as the reference reads it, in 64 bits. */
struct ref_segment {
    uint64_t type, offset, vaddr, filesz, memsz, start, end; /* start, end: whole pages */
};

static struct ref_segment ref_segment(const uint8_t *p)
{
    struct ref_segment s = { le(p, 4), le(p + 4, 4), le(p + 8, 4), le(p + 16, 4), le(p + 20, 4),
                             0, 0 };
    s.start = s.vaddr / PAGE * PAGE;
    s.end = (s.vaddr + s.memsz + PAGE - 1) / PAGE * PAGE;
    return s;
}

static bool ref_header(const uint8_t *d, size_t size)
{
    if (size < HEADER_BYTES)
        return false;
    uint64_t phoff = le(d + 28, 4), phnum = le(d + 44, 2);
    return le(d, 4) == 0x464C457Fu && d[4] == 1 && d[5] == 1 && le(d + 16, 2) == 2 &&
           le(d + 18, 2) == 3 && le(d + 42, 2) == PHDR_BYTES && phnum <= ELF_MAX_PHDRS &&
           phoff + phnum * PHDR_BYTES <= size;
}

/* A loadable segment the loader may map, given those taken before it. */
static bool ref_segment_ok(const struct ref_segment *s, const struct ref_segment *taken,
                           uint32_t count, size_t size, uint32_t limit)
{
    if (s->filesz > s->memsz || s->offset + s->filesz > size || s->vaddr < USER_BASE ||
        s->vaddr + s->memsz > limit || count == ELF_MAX_LOADS)
        return false;
    for (uint32_t i = 0; i < count; i++) {
        if (s->start < taken[i].end && taken[i].start < s->end)
            return false;
    }
    return true;
}

/* The reference: whether the image is acceptable; its loads in taken[]. */
static bool reference(const uint8_t *d, size_t size, uint32_t limit,
                      struct ref_segment taken[ELF_MAX_LOADS], uint32_t *count)
{
    *count = 0;
    if (!ref_header(d, size))
        return false;
    uint64_t phoff = le(d + 28, 4), phnum = le(d + 44, 2);
    for (uint64_t i = 0; i < phnum; i++) {
        struct ref_segment s = ref_segment(d + phoff + i * PHDR_BYTES);
        if (s.type != PT_LOAD || s.memsz == 0)
            continue;
        if (!ref_segment_ok(&s, taken, *count, size, limit))
            return false;
        taken[(*count)++] = s;
    }
    return *count > 0;
}

static void check(const uint8_t *data, size_t size, uint32_t limit)
{
    struct ref_segment taken[ELF_MAX_LOADS];
    uint32_t count;
    struct elf_layout out;
    bool expect = reference(data, size, limit, taken, &count);
    PROPERTY(elf_check_image(data, (uint32_t)size, limit, &out) == expect);
    if (!expect)
        return;
    PROPERTY(out.count == count && out.entry == le(data + 24, 4));
    uint64_t end = 0;
    for (uint32_t i = 0; i < count; i++) {
        const struct elf_phdr *ph = &out.loads[i];
        PROPERTY(ph->offset == taken[i].offset && ph->vaddr == taken[i].vaddr &&
                 ph->filesz == taken[i].filesz && ph->memsz == taken[i].memsz);
        PROPERTY(taken[i].start >= USER_BASE && taken[i].end <= limit);
        end = taken[i].end > end ? taken[i].end : end;
    }
    PROPERTY(out.end == end);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check(data, size, EXEC_IMAGE_LIMIT);
    check(data, size, USER_END);
    return 0;
}
