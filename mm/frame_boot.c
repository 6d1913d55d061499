/*
 * The boot memory map into the frame pool. A frame is free only when an
 * available range covers all of it and nothing else claims any byte of it:
 * loaders may report a reserved range inside an available one (firmware
 * tables, MMIO holes), and such a range must win.
 */
#include "frame_boot.h"

#include "mm.h"

/* x limited to the bytes the pool covers, so frame numbers fit 32 bits. */
static uint64_t clip(const struct frame_pool *p, uint64_t x)
{
    uint64_t span = (uint64_t)p->frames * PAGE_SIZE;
    return x < span ? x : span;
}

/* Frames touching [start, end), rounded outwards. */
static void reserve_bytes(struct frame_pool *p, uint64_t start, uint64_t end)
{
    uint64_t first = clip(p, start) / PAGE_SIZE, last = (clip(p, end) + PAGE_SIZE - 1) / PAGE_SIZE;
    if (last > first)
        frame_pool_reserve(p, (uint32_t)first, (uint32_t)(last - first));
}

/* Frames wholly inside [start, end), rounded inwards. */
static void release_bytes(struct frame_pool *p, uint64_t start, uint64_t end)
{
    uint64_t first = (clip(p, start) + PAGE_SIZE - 1) / PAGE_SIZE, last = clip(p, end) / PAGE_SIZE;
    if (last > first)
        frame_pool_release(p, (uint32_t)first, (uint32_t)(last - first));
}

/* base + length, or 2^64 - 1 when that does not fit. */
static uint64_t end_of(uint64_t base, uint64_t length)
{
    return length > UINT64_MAX - base ? UINT64_MAX : base + length;
}

/* Every range of the map whose type is (or, when !available, is not)
 * available: released when available, else reserved. */
static void apply_map(struct frame_pool *p, const struct boot_info *boot, bool available)
{
    for (int i = 0; i < boot->memory_count; i++) {
        const struct boot_memory_range *r = &boot->memory[i];
        if ((r->type == BOOT_MEMORY_AVAILABLE) != available)
            continue;
        if (available)
            release_bytes(p, r->base, end_of(r->base, r->length));
        else
            reserve_bytes(p, r->base, end_of(r->base, r->length));
    }
}

/* Available ranges first, every claim after: the order of the map does not
 * matter, and a claim always wins over an available range it overlaps. */
void frame_pool_from_boot(struct frame_pool *p, const struct boot_info *boot,
                          const struct phys_range *held, int held_count)
{
    apply_map(p, boot, true);
    apply_map(p, boot, false);
    for (int i = 0; i < held_count; i++)
        reserve_bytes(p, held[i].start, held[i].end);
    for (int i = 0; i < boot->module_count; i++)
        reserve_bytes(p, boot->modules[i].start, boot->modules[i].end);
    if (boot->has_framebuffer)
        reserve_bytes(p, boot->fb.phys,
                      end_of(boot->fb.phys, (uint64_t)boot->fb.pitch * boot->fb.height));
}
