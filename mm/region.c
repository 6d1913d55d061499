/*
 * Region set: a singly linked list kept sorted by start address. Processes
 * have a handful of regions, so a list is both small and fast enough.
 */
#include "region.h"

#include <stddef.h>

#define PAGE_MASK 0xFFFu

int region_set_insert(struct region_set *s, struct region *r)
{
    if (r->start >= r->end || (r->start & PAGE_MASK) || (r->end & PAGE_MASK))
        return -1;
    if (!region_set_is_free(s, r->start, r->end))
        return -1;
    struct region **link = &s->head;
    while (*link && (*link)->start < r->start)
        link = &(*link)->next;
    r->next = *link;
    *link = r;
    s->count++;
    return 0;
}

struct region *region_set_find(const struct region_set *s, uint32_t va)
{
    for (struct region *r = s->head; r && r->start <= va; r = r->next) {
        if (va < r->end)
            return r;
    }
    return NULL;
}

void region_set_remove(struct region_set *s, struct region *r)
{
    for (struct region **link = &s->head; *link; link = &(*link)->next) {
        if (*link == r) {
            *link = r->next;
            r->next = NULL;
            s->count--;
            return;
        }
    }
}

bool region_set_is_free(const struct region_set *s, uint32_t start, uint32_t end)
{
    for (const struct region *r = s->head; r && r->start < end; r = r->next) {
        if (r->end > start)
            return false;
    }
    return true;
}

uint32_t region_set_find_gap(const struct region_set *s, uint32_t size, uint32_t lo, uint32_t hi)
{
    if (size == 0 || (size & PAGE_MASK) || (lo & PAGE_MASK) || lo >= hi)
        return 0;
    uint32_t candidate = lo;
    for (const struct region *r = s->head; r; r = r->next) {
        if (r->end <= candidate)
            continue;
        if (r->start >= candidate && r->start - candidate >= size)
            break;
        candidate = r->end;
    }
    return hi - candidate >= size && candidate < hi ? candidate : 0;
}
