/*
 * Which physical frames are free when the kernel starts, from the boot
 * loader's memory map and what is already in memory. Pure bookkeeping on a
 * frame pool, so it is unit-tested on the host; mm/frame.c calls it once.
 */
#pragma once

#include <stdint.h>

#include "boot/bootinfo.h"
#include "frame_pool.h"

/* Physical bytes [start, end). */
struct phys_range {
    uint64_t start, end;
};

/*
 * Fill p, every frame in use as frame_pool_init leaves it: the frames
 * wholly inside the map's available ranges become free, then every frame
 * that a range of any other type, a boot module, the boot frame buffer or
 * one of the `held` ranges touches is in use again, whatever the map's
 * order and overlaps. Parts beyond the pool are ignored; so are empty and
 * inverted ranges.
 */
void frame_pool_from_boot(struct frame_pool *p, const struct boot_info *boot,
                          const struct phys_range *held, int held_count);
