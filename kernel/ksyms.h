/*
 * Kernel symbol table for backtraces. tools/gensyms.py generates the table
 * from a first link of the kernel; the final link includes it.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct ksym {
    uint32_t addr;
    const char *name; /* NULL marks the end of the text section */
};

/* Sorted by address; the last entry is the end-of-text marker. */
extern const struct ksym ksym_table[];
extern const uint32_t ksym_count;

/*
 * The function containing addr, with *offset set to addr's distance from
 * its start; NULL when addr lies outside the kernel's code.
 */
const char *ksym_lookup(uint32_t addr, uint32_t *offset);

/* The address of the named function, or 0 when there is none. */
uint32_t ksym_address(const char *name);
