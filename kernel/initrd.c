/*
 * Boot archive lookup. The archive is validated once when opened, so the
 * lookups after it can trust offsets and names.
 */
#include "initrd.h"

#include <stddef.h>

#include "kstring.h"

#define HEADER_SIZE 12
#define ENTRY_SIZE (INITRD_NAME_MAX + 8)

static uint32_t read_u32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static const uint8_t *entry_at(const struct initrd *rd, uint32_t i)
{
    return rd->data + HEADER_SIZE + i * ENTRY_SIZE;
}

static bool entry_valid(const struct initrd *rd, uint32_t i)
{
    const uint8_t *e = entry_at(rd, i);
    uint32_t offset = read_u32(e + INITRD_NAME_MAX), size = read_u32(e + INITRD_NAME_MAX + 4);
    bool terminated = false;
    for (int c = 0; c < INITRD_NAME_MAX; c++)
        terminated |= e[c] == '\0';
    return terminated && e[0] && offset <= rd->size && size <= rd->size - offset;
}

bool initrd_open(struct initrd *rd, const uint8_t *data, uint32_t size)
{
    *rd = (struct initrd){ .data = data, .size = size, .count = 0 };
    if (!data || size < HEADER_SIZE)
        return false;
    if (memcmp(data, INITRD_MAGIC, 8) != 0)
        return false;
    uint32_t count = read_u32(data + 8);
    if (count > (size - HEADER_SIZE) / ENTRY_SIZE)
        return false;
    rd->count = count;
    for (uint32_t i = 0; i < count; i++) {
        if (!entry_valid(rd, i)) {
            rd->count = 0;
            return false;
        }
    }
    return true;
}

struct initrd_file initrd_entry(const struct initrd *rd, uint32_t i)
{
    const uint8_t *e = entry_at(rd, i);
    return (struct initrd_file){
        .name = (const char *)e,
        .data = rd->data + read_u32(e + INITRD_NAME_MAX),
        .size = read_u32(e + INITRD_NAME_MAX + 4),
    };
}

bool initrd_find(const struct initrd *rd, const char *name, struct initrd_file *out)
{
    for (uint32_t i = 0; i < rd->count; i++) {
        struct initrd_file f = initrd_entry(rd, i);
        if (strcmp(f.name, name) == 0) {
            *out = f;
            return true;
        }
    }
    return false;
}

static struct initrd boot_archive;

void initrd_set_boot(const struct initrd *rd)
{
    boot_archive = *rd;
}

const struct initrd *initrd_boot(void)
{
    return &boot_archive;
}
