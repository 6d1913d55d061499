/*
 * Memory management interface.
 *
 * Kernel address space (the top 1 GiB of every address space):
 *   0xC0000000 .. 0xEFFFFFFF  direct map of physical 0 .. 768 MiB
 *   0xF0000000 .. 0xFFBFFFFF  device window: frame buffers and other MMIO
 * The kernel image itself sits in the direct map at KERNEL_VMA + 1 MiB.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/kernel.h"

#define DIRECT_MAP_SIZE (768u << 20)
#define DIRECT_MAP_END (KERNEL_VMA + DIRECT_MAP_SIZE)
#define DEVICE_WINDOW_BASE 0xF0000000u
#define DEVICE_WINDOW_END 0xFFC00000u
#define LARGE_PAGE_SIZE (4u << 20)

/* The kernel virtual address of a physical address in the direct map, or NULL. */
static inline void *phys_to_virt(uint32_t phys)
{
    return phys < DIRECT_MAP_SIZE ? (void *)(uintptr_t)(phys + KERNEL_VMA) : NULL;
}

/* The physical address behind a direct-map pointer. */
static inline uint32_t virt_to_phys(const void *virt)
{
    return (uint32_t)(uintptr_t)virt - KERNEL_VMA;
}

enum page_cache {
    PAGE_CACHE_WRITE_BACK,
    PAGE_CACHE_UNCACHED,
};

/* --- paging.c --- */

/*
 * Replace the boot page directory with the kernel's: the direct map in
 * 4 MiB pages and no identity map. Panics if the CPU lacks 4 MiB pages.
 */
void paging_init(void);

/*
 * Map [phys, phys + size) into the device window and return the address of
 * phys there; NULL when the window is full or phys lies above 4 GiB.
 * Mappings are permanent.
 */
void *paging_map_device(uint64_t phys, uint32_t size, enum page_cache cache);
