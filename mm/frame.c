/*
 * The kernel's physical frames: a frame pool over the memory the kernel can
 * reach through its direct map.
 */
#include "mm.h"

#include "boot/bootinfo.h"
#include "frame_pool.h"
#include "kernel/cpu.h"
#include "kernel/inject.h"
#include "kernel/kstring.h"

#define MAX_FRAMES (DIRECT_MAP_SIZE / PAGE_SIZE)
#define LOW_MEMORY_END (1u << 20)

extern char __kernel_end[];

static uint32_t bitmap[FRAME_POOL_WORDS(MAX_FRAMES)];
static struct frame_pool pool;

static uint32_t frame_of(uint64_t phys) { return (uint32_t)(phys / PAGE_SIZE); }

/* Frames touching [start, end), rounded outwards (for reserving). */
static void reserve_bytes(uint64_t start, uint64_t end)
{
    uint32_t first = frame_of(start);
    frame_pool_reserve(&pool, first, frame_of(end + PAGE_SIZE - 1) - first);
}

/* Frames wholly inside [start, end), rounded inwards (for releasing). */
static void release_bytes(uint64_t start, uint64_t end)
{
    uint32_t first = frame_of(start + PAGE_SIZE - 1), last = frame_of(end);
    if (last > first)
        frame_pool_release(&pool, first, last - first);
}

void frame_init(const struct boot_info *boot)
{
    frame_pool_init(&pool, bitmap, MAX_FRAMES);
    for (int i = 0; i < boot->memory_count; i++) {
        const struct boot_memory_range *r = &boot->memory[i];
        if (r->type == BOOT_MEMORY_AVAILABLE)
            release_bytes(r->base, r->base + r->length);
    }
    reserve_bytes(0, LOW_MEMORY_END);
    reserve_bytes(LOW_MEMORY_END, virt_to_phys(__kernel_end));
    for (int i = 0; i < boot->module_count; i++)
        reserve_bytes(boot->modules[i].start, boot->modules[i].end);
    if (boot->has_framebuffer)
        reserve_bytes(boot->fb.phys, boot->fb.phys + (uint64_t)boot->fb.pitch * boot->fb.height);
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
