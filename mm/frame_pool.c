/*
 * Frame bitmap. Allocation searches from a moving hint, so repeated
 * single-frame allocations do not rescan the low, full part of memory.
 */
#include "frame_pool.h"

static bool used(const struct frame_pool *p, uint32_t f)
{
    return p->bits[f / 32] & (1u << (f % 32));
}

static void set_used(struct frame_pool *p, uint32_t f, bool in_use)
{
    if (used(p, f) == in_use)
        return;
    if (in_use) {
        p->bits[f / 32] |= 1u << (f % 32);
        p->free--;
    } else {
        p->bits[f / 32] &= ~(1u << (f % 32));
        p->free++;
    }
}

void frame_pool_init(struct frame_pool *p, uint32_t *bits, uint32_t frames)
{
    *p = (struct frame_pool){ .bits = bits, .frames = frames, .free = 0, .hint = 0 };
    for (uint32_t i = 0; i < FRAME_POOL_WORDS(frames); i++)
        bits[i] = 0xFFFFFFFFu;
}

static void mark_range(struct frame_pool *p, uint32_t first, uint32_t count, bool in_use)
{
    if (first >= p->frames)
        return;
    uint32_t end = count > p->frames - first ? p->frames : first + count;
    for (uint32_t f = first; f < end; f++)
        set_used(p, f, in_use);
}

void frame_pool_release(struct frame_pool *p, uint32_t first, uint32_t count)
{
    mark_range(p, first, count, false);
}

void frame_pool_reserve(struct frame_pool *p, uint32_t first, uint32_t count)
{
    mark_range(p, first, count, true);
}

/* Length of the free run starting at f, capped at want. */
static uint32_t free_run(const struct frame_pool *p, uint32_t f, uint32_t want)
{
    uint32_t n = 0;
    while (n < want && f + n < p->frames && !used(p, f + n))
        n++;
    return n;
}

/*
 * Take the first run of count free frames from the hint on, wrapping once
 * round the pool. Every start position is tried once: a run shorter than
 * count that ends at a used frame lets the search skip past that frame
 * (no start up to it can succeed); one that ends at the pool's end has no
 * frame to skip, so only the frames it looked at count as scanned.
 */
bool frame_pool_alloc(struct frame_pool *p, uint32_t count, uint32_t *first)
{
    if (count == 0 || count > p->free)
        return false;
    for (uint32_t scanned = 0, f = p->hint; scanned < p->frames;) {
        if (f >= p->frames)
            f = 0;
        uint32_t run = free_run(p, f, count);
        if (run == count) {
            mark_range(p, f, count, true);
            p->hint = f + count;
            *first = f;
            return true;
        }
        uint32_t step = f + run < p->frames ? run + 1 : run;
        scanned += step;
        f += step;
    }
    return false;
}

bool frame_pool_free(struct frame_pool *p, uint32_t first, uint32_t count)
{
    if (first >= p->frames || count > p->frames - first)
        return false;
    for (uint32_t f = first; f < first + count; f++) {
        if (!used(p, f))
            return false;
    }
    mark_range(p, first, count, false);
    return true;
}

bool frame_pool_in_use(const struct frame_pool *p, uint32_t frame)
{
    return frame >= p->frames || used(p, frame);
}
