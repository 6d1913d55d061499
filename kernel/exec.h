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
 * Returns 0, -VP_ENOENT-style errors: -VP_EINVAL for a bad image,
 * -VP_ENOMEM when memory runs out.
 */
int exec_load(struct vmspace *vm, const uint8_t *elf, uint32_t size, const char *name,
              const char *args, struct exec_image *out);

/* Extra: image regions' ops (for the consistency checks and tests). */
extern const struct region_ops image_region_ops;
