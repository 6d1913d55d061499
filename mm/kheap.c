/*
 * Kernel heap for small objects: power-of-two size classes from 16 to 2048
 * bytes, each a free list refilled one frame at a time. Every block starts
 * with a header naming its class, so kfree needs no size and catches
 * pointers that never came from kzalloc.
 */
#include "mm.h"

#include "kernel/cpu.h"
#include "kernel/inject.h"
#include "kernel/kstring.h"

#define MIN_SHIFT 4
#define CLASSES 8 /* 16, 32, ..., 2048 */
#define HEADER_MAGIC 0x4B48u

struct block_header {
    uint16_t magic;
    uint16_t size_class;
    uint32_t in_use;
};

struct free_block {
    struct block_header header;
    struct free_block *next;
};

static struct free_block *free_lists[CLASSES];
static uint32_t live_objects;
static uint32_t heap_frames; /* never given back: free blocks stay on their lists */

static int class_for(size_t size)
{
    size_t need = size + sizeof(struct block_header);
    for (int c = 0; c < CLASSES; c++) {
        if (need <= (1u << (c + MIN_SHIFT)))
            return c;
    }
    return -1;
}

/* Carve a fresh frame into blocks of class c; false when out of frames. */
static bool refill(int c)
{
    uint32_t phys = frame_alloc();
    if (!phys)
        return false;
    heap_frames++;
    uint8_t *page = phys_to_virt(phys);
    uint32_t block = 1u << (c + MIN_SHIFT);
    for (uint32_t off = 0; off + block <= PAGE_SIZE; off += block) {
        struct free_block *b = (struct free_block *)(page + off);
        b->header = (struct block_header){ HEADER_MAGIC, (uint16_t)c, 0 };
        b->next = free_lists[c];
        free_lists[c] = b;
    }
    return true;
}

void *kzalloc(size_t size)
{
    int c = class_for(size);
    if (c < 0 || inject_alloc_fails(VP_INJECT_HEAP))
        return NULL;
    uint32_t flags = irq_save();
    if (!free_lists[c] && !refill(c)) {
        irq_restore(flags);
        return NULL;
    }
    struct free_block *b = free_lists[c];
    free_lists[c] = b->next;
    b->header.in_use = 1;
    live_objects++;
    irq_restore(flags);
    void *p = &b->header + 1;
    memset(p, 0, (1u << (c + MIN_SHIFT)) - sizeof(struct block_header));
    return p;
}

void kfree(void *p)
{
    if (!p)
        return;
    struct free_block *b = (struct free_block *)((struct block_header *)p - 1);
    if (b->header.magic != HEADER_MAGIC || b->header.size_class >= CLASSES || !b->header.in_use)
        panic("kfree(%p): not a live heap object", p);
    uint32_t flags = irq_save();
    b->header.in_use = 0;
    b->next = free_lists[b->header.size_class];
    free_lists[b->header.size_class] = b;
    live_objects--;
    irq_restore(flags);
}

uint32_t kheap_objects(void)
{
    return live_objects;
}

uint32_t kheap_frames(void)
{
    return heap_frames;
}
