/*
 * Loading a program image into an address space.
 */
#pragma once

#include <stdint.h>

#include "mm/mm.h"

#define USER_STACK_TOP USER_END
#define USER_STACK_SIZE (256u * 1024)

/* What exec_load set up. */
struct exec_image {
    uint32_t entry;
    uint32_t image_end; /* first page after the highest segment */
    uint32_t stack_pointer;
};

/*
 * Map the ELF executable elf[0..size) into vm as image regions (filled on
 * demand from elf, which must stay in memory), add a stack with a guard page,
 * and lay out argc/argv for argv[0] = name and the space-separated args.
 * Returns 0, -VP_EINVAL for a malformed image or -VP_ENOMEM when memory runs
 * out; on error the caller destroys vm, which frees what was added.
 */
int exec_load(struct vmspace *vm, const uint8_t *elf, uint32_t size, const char *name,
              const char *args, struct exec_image *out);
