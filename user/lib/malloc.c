/*
 * malloc on top of sbrk: a first-fit free list of blocks with a size
 * header; neighbouring free blocks are merged when freed.
 */
#include <vidport.h>

#define ALIGNMENT 16
#define GROW_MIN (64 * 1024)

struct block {
    size_t size; /* bytes after this header */
    bool free;
    struct block *next;
    uint32_t pad;
};

static struct block *first, *last;

static struct block *grow(size_t size)
{
    size_t want = size + sizeof(struct block);
    want = want < GROW_MIN ? GROW_MIN : want;
    struct block *b = sbrk((intptr_t)want);
    if (b == (void *)-1)
        return NULL;
    *b = (struct block){ .size = want - sizeof(struct block), .free = true };
    if (last)
        last->next = b;
    else
        first = b;
    last = b;
    return b;
}

/* Cut b down to size, making the rest a free block, when that is worth it. */
static void split(struct block *b, size_t size)
{
    if (b->size < size + sizeof(struct block) + ALIGNMENT)
        return;
    struct block *rest = (struct block *)((char *)(b + 1) + size);
    *rest = (struct block){ .size = b->size - size - sizeof(struct block), .free = true,
                            .next = b->next };
    b->size = size;
    b->next = rest;
    if (last == b)
        last = rest;
}

void *malloc(size_t size)
{
    if (size == 0 || size > 0x40000000u)
        return NULL;
    size = (size + ALIGNMENT - 1) & ~(size_t)(ALIGNMENT - 1);
    struct block *b = first;
    while (b && !(b->free && b->size >= size))
        b = b->next;
    if (!b && !(b = grow(size)))
        return NULL;
    split(b, size);
    b->free = false;
    return b + 1;
}

void *calloc(size_t count, size_t size)
{
    if (size && count > (size_t)-1 / size)
        return NULL;
    void *p = malloc(count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

void free(void *p)
{
    if (!p)
        return;
    struct block *b = (struct block *)p - 1;
    b->free = true;
    /* Merge with following free blocks that are adjacent in memory. */
    while (b->next && b->next->free && (char *)(b + 1) + b->size == (char *)b->next) {
        if (last == b->next)
            last = b;
        b->size += sizeof(struct block) + b->next->size;
        b->next = b->next->next;
    }
}
