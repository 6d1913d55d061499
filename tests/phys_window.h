/*
 * Fake physical memory for the boot information readers the host tests
 * and fuzz targets hand the parsers (boot_phys_reader): a buffer seen at a
 * physical address, of which a read gets all it asks for or nothing.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* bytes[0, size) seen at physical base: a pointer to [phys, phys + len)
 * when all of it is inside, else NULL. */
static inline const void *phys_window(const void *bytes, uint32_t base, size_t size,
                                      uint32_t phys, uint32_t len)
{
    if (phys < base || phys - base > size || len > size - (phys - base))
        return NULL;
    return (const uint8_t *)bytes + (phys - base);
}
