/*
 * A bitmap of physical page frames (bit set = in use). Pure bookkeeping
 * with no knowledge of the machine, so it is unit-tested on the host;
 * mm/frame.c puts the kernel's physical memory in one.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct frame_pool {
    uint32_t *bits;  /* one bit per frame */
    uint32_t frames; /* frames the bitmap covers */
    uint32_t free;   /* frames currently free */
    uint32_t hint;   /* where the next search starts */
};

#define FRAME_POOL_WORDS(frames) (((frames) + 31) / 32)

/* Start with every frame in use; bits must hold FRAME_POOL_WORDS(frames) words. */
void frame_pool_init(struct frame_pool *p, uint32_t *bits, uint32_t frames);

/* Mark [first, first + count) free / in use; parts outside the pool are ignored. */
void frame_pool_release(struct frame_pool *p, uint32_t first, uint32_t count);
void frame_pool_reserve(struct frame_pool *p, uint32_t first, uint32_t count);

/* Take `count` consecutive free frames; false when no such run exists. */
bool frame_pool_alloc(struct frame_pool *p, uint32_t count, uint32_t *first);

/* Give back frames from frame_pool_alloc; false (and no change) if any was free. */
bool frame_pool_free(struct frame_pool *p, uint32_t first, uint32_t count);

bool frame_pool_in_use(const struct frame_pool *p, uint32_t frame);
