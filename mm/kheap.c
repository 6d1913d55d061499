/*
 * Kernel heap for small objects, in eight size classes of 16 to 2016 bytes.
 * A heap page holds blocks of one class behind a header: its class, how
 * many blocks are handed out and which, and its own free blocks. Each
 * class lists its pages that have a free block (doubly linked, so a page
 * leaves the list in O(1)); kzalloc takes a block from the first of them.
 *
 * kfree finds a block's page from its address, so it needs no size and
 * catches pointers that never came from kzalloc, and a page whose last
 * block is freed goes back to the frame allocator at once (F25: nothing a
 * process did keeps kernel memory after it ends). One empty page, of any
 * class, is kept in reserve instead, so that an object allocated and freed
 * over and over at a page boundary does not take and return a frame each
 * time; kheap_frames counts it.
 */
#include "mm.h"

#include "kernel/cpu.h"
#include "kernel/inject.h"
#include "kernel/kstring.h"

#define CLASSES 8
#define PAGE_MAGIC 0x4B484550u
#define HEADER_BYTES 64u /* a page's header, rounded up to keep blocks 16-byte aligned */
#define BLOCK_SPACE (PAGE_SIZE - HEADER_BYTES)
#define MAX_BLOCKS (BLOCK_SPACE / 16) /* of the smallest class */

/* Powers of two, except that the two largest classes take a quarter and a
 * half of what the header leaves, so that a page holds 4 and 2 of them
 * (not 3 and 1). */
static const uint16_t block_size[CLASSES] = { 16, 32, 64, 128, 256, 512, BLOCK_SPACE / 4,
                                              BLOCK_SPACE / 2 };

_Static_assert(KMALLOC_MAX == BLOCK_SPACE / 2, "the largest class holds KMALLOC_MAX bytes");

struct free_block {
    struct free_block *next;
};

struct heap_page {
    uint32_t magic;
    uint16_t size_class;
    uint16_t in_use;               /* blocks handed out */
    struct free_block *free;       /* the page's free blocks */
    struct heap_page *prev, *next; /* in its class's list of pages with a free block */
    uint32_t live[(MAX_BLOCKS + 31) / 32]; /* bit i: block i is handed out */
};

_Static_assert(sizeof(struct heap_page) <= HEADER_BYTES, "the header fits before the blocks");

static struct heap_page *partial[CLASSES]; /* each class's pages with a free block */
static struct heap_page *spare;            /* an empty page kept for the next refill */
_Static_assert(KHEAP_SPARE_FRAMES == 1, "kheap keeps one spare page");
static uint32_t live_objects;
static uint32_t heap_frames; /* pages with blocks handed out, plus the spare */

static int class_for(size_t size)
{
    for (int c = 0; c < CLASSES; c++) {
        if (size <= block_size[c])
            return c;
    }
    return -1;
}

static uint32_t blocks_per_page(const struct heap_page *page)
{
    return BLOCK_SPACE / block_size[page->size_class];
}

static uint8_t *block_at(struct heap_page *page, uint32_t i)
{
    return (uint8_t *)page + HEADER_BYTES + i * block_size[page->size_class];
}

static uint32_t block_index(const struct heap_page *page, const void *block)
{
    uint32_t offset = (uint32_t)((uintptr_t)block % PAGE_SIZE) - HEADER_BYTES;
    return offset / block_size[page->size_class];
}

static bool block_live(const struct heap_page *page, uint32_t i)
{
    return (page->live[i / 32] >> (i % 32)) & 1;
}

/* Put page first in its class's list of pages with a free block. */
static void list_insert(struct heap_page *page)
{
    struct heap_page **head = &partial[page->size_class];
    page->prev = NULL;
    page->next = *head;
    if (*head)
        (*head)->prev = page;
    *head = page;
}

/* Take page out of its class's list (it is in it). */
static void list_remove(struct heap_page *page)
{
    if (page->prev)
        page->prev->next = page->next;
    else
        partial[page->size_class] = page->next;
    if (page->next)
        page->next->prev = page->prev;
}

/* A page of class c with every block free, first in its class's list: the
 * spare if there is one, else a fresh frame. NULL when out of frames. */
static struct heap_page *new_page(int c)
{
    struct heap_page *page = spare;
    spare = NULL;
    if (!page) {
        uint32_t phys = frame_alloc();
        if (!phys)
            return NULL;
        page = phys_to_virt(phys);
        heap_frames++;
    }
    *page = (struct heap_page){ .magic = PAGE_MAGIC, .size_class = (uint16_t)c };
    for (uint32_t i = blocks_per_page(page); i-- > 0;) {
        struct free_block *b = (struct free_block *)block_at(page, i);
        b->next = page->free;
        page->free = b;
    }
    list_insert(page);
    return page;
}

/* Take an empty page out of its list: it becomes the spare, or its frame
 * goes back when there is one already. */
static void release_page(struct heap_page *page)
{
    list_remove(page);
    if (!spare) {
        spare = page;
        return;
    }
    page->magic = 0; /* a stale pointer into the frame no longer finds a heap page */
    frame_free(virt_to_phys(page));
    heap_frames--;
}

/* Hand out a free block of page (it has one); a page left with none
 * leaves its class's list. */
static void *take_block(struct heap_page *page)
{
    struct free_block *b = page->free;
    page->free = b->next;
    uint32_t i = block_index(page, b);
    page->live[i / 32] |= 1u << (i % 32);
    live_objects++;
    if (++page->in_use == blocks_per_page(page))
        list_remove(page);
    return b;
}

/* The heap page of the live block p is the start of, or NULL when p is no
 * such block: outside the direct map, in a page without the heap's
 * header, not at a block's start, or a block that is free. */
static struct heap_page *page_of_live_block(const void *p)
{
    uintptr_t a = (uintptr_t)p;
    if (a < KERNEL_VMA || a >= DIRECT_MAP_END || a % PAGE_SIZE < HEADER_BYTES)
        return NULL;
    struct heap_page *page = (struct heap_page *)(a - a % PAGE_SIZE);
    if (page->magic != PAGE_MAGIC || page->size_class >= CLASSES)
        return NULL;
    uint32_t i = block_index(page, p);
    bool live = i < blocks_per_page(page) && (const uint8_t *)p == block_at(page, i) &&
                block_live(page, i);
    return live ? page : NULL;
}

void *kzalloc(size_t size)
{
    int c = class_for(size);
    if (c < 0 || inject_alloc_fails(VP_INJECT_HEAP))
        return NULL;
    uint32_t flags = irq_save();
    struct heap_page *page = partial[c] ? partial[c] : new_page(c);
    void *p = page ? take_block(page) : NULL;
    irq_restore(flags);
    if (p)
        memset(p, 0, block_size[c]);
    return p;
}

void kfree(void *p)
{
    if (!p)
        return;
    struct heap_page *page = page_of_live_block(p);
    if (!page)
        panic("kfree(%p): not a live heap object", p);
    uint32_t flags = irq_save();
    uint32_t i = block_index(page, p);
    page->live[i / 32] &= ~(1u << (i % 32));
    struct free_block *b = p;
    b->next = page->free;
    page->free = b;
    live_objects--;
    if (page->in_use-- == blocks_per_page(page))
        list_insert(page);
    if (page->in_use == 0)
        release_page(page);
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
