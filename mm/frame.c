/*
 * The kernel's physical frames: a frame pool over the memory the kernel can
 * reach through its direct map.
 */
#include "mm.h"

#include "boot/bootinfo.h"
#include "frame_boot.h"
#include "kernel/cpu.h"
#include "kernel/inject.h"
#include "kernel/kstring.h"

#define MAX_FRAMES (DIRECT_MAP_SIZE / PAGE_SIZE)

extern char __kernel_end[];

static uint32_t bitmap[FRAME_POOL_WORDS(MAX_FRAMES)];
static struct frame_pool pool;

void frame_init(const struct boot_info *boot)
{
    /* The first MiB (BIOS data, the legacy video memory) and the kernel's image. */
    const struct phys_range held[] = { { 0, virt_to_phys(__kernel_end) } };
    frame_pool_init(&pool, bitmap, MAX_FRAMES);
    frame_pool_from_boot(&pool, boot, held, (int)ARRAY_SIZE(held));
}

uint32_t frame_alloc_run(uint32_t count)
{
    if (inject_alloc_fails(VP_INJECT_FRAME))
        return 0;
    uint32_t first;
    uint32_t flags = irq_save();
    bool ok = frame_pool_alloc(&pool, count, &first);
    irq_restore(flags);
    if (!ok)
        return 0;
    memset(phys_to_virt(first * PAGE_SIZE), 0, count * PAGE_SIZE);
    return first * PAGE_SIZE;
}

uint32_t frame_alloc(void)
{
    return frame_alloc_run(1);
}

void frame_free_run(uint32_t phys, uint32_t count)
{
    uint32_t flags = irq_save();
    bool ok = frame_pool_free(&pool, phys / PAGE_SIZE, count);
    irq_restore(flags);
    if (!ok || phys % PAGE_SIZE)
        panic("freeing frame 0x%x (x%u) that is not allocated", phys, count);
}

void frame_free(uint32_t phys)
{
    frame_free_run(phys, 1);
}

uint32_t frame_free_count(void)
{
    return pool.free;
}

bool frame_in_use(uint32_t phys)
{
    return phys < DIRECT_MAP_SIZE && frame_pool_in_use(&pool, phys / PAGE_SIZE);
}
