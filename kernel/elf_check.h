/*
 * The checks a program image passes before the loader (exec.c) allocates
 * anything for it. Pure functions of the file's bytes, built for the host
 * too (the fuzz target tests/fuzz/fuzz_image.c), so that a malformed image
 * costs one pass over at most ELF_MAX_PHDRS headers and leaves no trace.
 */
#pragma once

#include <stdint.h>

#include "elf.h"

/* Bounds on what one image may ask of the kernel: each loadable segment
 * becomes a region and its records, and a spawn walks the headers with
 * interrupts off. vidport's programs have 3 headers (user/user.ld). */
#define ELF_MAX_PHDRS 64
#define ELF_MAX_LOADS 16

/* The loadable segments of an image that passed the checks. */
struct elf_layout {
    uint32_t entry;
    uint32_t end;   /* the first page after the highest segment */
    uint32_t count; /* segments in loads[] */
    struct elf_phdr loads[ELF_MAX_LOADS];
};

/*
 * Check the image elf[0..size) and fill *out with its PT_LOAD segments of
 * non-zero memory size. True when it is an i386 executable (elf_header_ok)
 * with at most ELF_MAX_PHDRS headers, 1 to ELF_MAX_LOADS such segments,
 * each with its file bytes inside the file, its memory inside
 * [USER_BASE, limit) and no page shared with another. limit must be page
 * aligned. The bytes may sit at any alignment: headers are copied out.
 */
bool elf_check_image(const uint8_t *elf, uint32_t size, uint32_t limit, struct elf_layout *out);
