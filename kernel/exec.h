/*
 * Loading a program image into an address space.
 */
#pragma once

#include <stdint.h>

#include "abi/vidport_abi.h"
#include "mm/mm.h"

#define USER_STACK_TOP USER_END
#define USER_STACK_SIZE (256u * 1024)

/* Below the stack, a guard region this large that nothing is ever mapped
 * into: a stack frame reaching up to 1 MiB below the stack (four times the
 * whole stack; Linux's stack_guard_gap is the same 256 pages) faults there
 * and kills the process, where a single guard page let a frame of more
 * than 4 KiB step over it into the heap. It costs address space only. */
#define USER_STACK_GAP (1u << 20)

/* Program segments end at or below this; the heap grows from the image's
 * end up to it at most. */
#define EXEC_IMAGE_LIMIT (USER_STACK_TOP - USER_STACK_SIZE - USER_STACK_GAP)

/* Arguments a process can start with: its name and every word of the
 * args (at most VP_ARGS_MAX - 1 bytes, so at most half as many words). */
#define EXEC_MAX_ARGS (VP_ARGS_MAX / 2 + 1)

/* What exec_load set up. */
struct exec_image {
    uint32_t entry;
    uint32_t image_end; /* first page after the highest segment */
    uint32_t stack_pointer;
};

/*
 * Map the ELF executable elf[0..size) into vm as image regions (filled on
 * demand from elf, which must stay in memory), add a stack with its guard
 * region, and lay out argc/argv for argv[0] = name and every
 * space-separated word of args. Returns 0, -VP_EINVAL for a malformed
 * image (elf_check_image) or -VP_ENOMEM when memory runs out; on error the
 * caller destroys vm, which frees what was added.
 */
int exec_load(struct vmspace *vm, const uint8_t *elf, uint32_t size, const char *name,
              const char *args, struct exec_image *out);
