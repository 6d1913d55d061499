/*
 * Symbol lookup by binary search over the generated, sorted table.
 */
#include "ksyms.h"

#include "kstring.h"

const char *ksym_lookup(uint32_t addr, uint32_t *offset)
{
    if (ksym_count == 0 || addr < ksym_table[0].addr)
        return NULL;
    uint32_t lo = 0, hi = ksym_count; /* invariant: table[lo].addr <= addr */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ksym_table[mid].addr <= addr)
            lo = mid;
        else
            hi = mid;
    }
    if (!ksym_table[lo].name)
        return NULL;
    *offset = addr - ksym_table[lo].addr;
    return ksym_table[lo].name;
}

uint32_t ksym_address(const char *name)
{
    for (uint32_t i = 0; i < ksym_count; i++) {
        if (ksym_table[i].name && strcmp(ksym_table[i].name, name) == 0)
            return ksym_table[i].addr;
    }
    return 0;
}
