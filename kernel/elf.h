/*
 * The 32-bit x86 ELF executable layout, as far as vidport reads it: the
 * kernel's program loader (exec.c) and the UEFI loader, which places the
 * kernel itself, both check files with it.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define ELF_MAGIC 0x464C457Fu /* "\x7fELF" read as a little-endian word */
#define ELF_CLASS_32 1
#define ELF_LITTLE_ENDIAN 1
#define ELF_TYPE_EXEC 2
#define ELF_MACHINE_386 3
#define PT_LOAD 1
#define PF_W 2

struct elf_header {
    uint32_t magic;
    uint8_t class, data, version, pad[9];
    uint16_t type, machine;
    uint32_t version2, entry, phoff, shoff, flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf_phdr {
    uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

/* True when the first size bytes hold a 32-bit little-endian i386
 * executable's header whose program headers lie inside those bytes. */
static inline bool elf_header_ok(const struct elf_header *h, uint32_t size)
{
    return size >= sizeof(*h) && h->magic == ELF_MAGIC && h->class == ELF_CLASS_32 &&
           h->data == ELF_LITTLE_ENDIAN && h->type == ELF_TYPE_EXEC &&
           h->machine == ELF_MACHINE_386 && h->phentsize == sizeof(struct elf_phdr) &&
           h->phoff <= size && h->phnum <= (size - h->phoff) / sizeof(struct elf_phdr);
}

/* True when a segment's file bytes lie inside a file of size bytes and
 * fit in its memory size. */
static inline bool elf_segment_in_file(const struct elf_phdr *ph, uint32_t size)
{
    return ph->filesz <= ph->memsz && ph->offset <= size && ph->filesz <= size - ph->offset;
}
