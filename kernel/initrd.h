/*
 * The boot archive: every bundled program, packed by tools/mkinitrd.py and
 * loaded by GRUB as a module. Layout: "VPINITRD", u32 count, then count
 * entries {char name[32]; u32 offset; u32 size}, offsets from the start.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define INITRD_MAGIC "VPINITRD"
#define INITRD_NAME_MAX 32

struct initrd {
    const uint8_t *data;
    uint32_t size;
    uint32_t count;
};

struct initrd_file {
    const char *name;
    const uint8_t *data;
    uint32_t size;
};

/* Check the archive at data; false if it is malformed (any entry outside it,
 * or a name without its terminating NUL). */
bool initrd_open(struct initrd *rd, const uint8_t *data, uint32_t size);

/* Entry i (0 <= i < count). */
struct initrd_file initrd_entry(const struct initrd *rd, uint32_t i);

/* The entry called name; false when there is none. */
bool initrd_find(const struct initrd *rd, const char *name, struct initrd_file *out);

/* The kernel's own archive (set once at boot). */
void initrd_set_boot(const struct initrd *rd);
const struct initrd *initrd_boot(void);
