/*
 * Page tables. This is the only file that writes page-table entries.
 * The kernel half is mapped with 4 MiB pages, so it needs no page tables
 * of its own: the page directory alone describes it.
 */
#include "mm.h"

#include "kernel/cpu.h"

#define PDE_PRESENT (1u << 0)
#define PDE_WRITABLE (1u << 1)
#define PDE_WRITE_THROUGH (1u << 3)
#define PDE_CACHE_DISABLE (1u << 4)
#define PDE_LARGE (1u << 7)
#define PDE_INDEX(va) ((va) >> 22)

static uint32_t kernel_page_directory[1024] __attribute__((aligned(4096)));
static uint32_t device_window_next = DEVICE_WINDOW_BASE;

static uint32_t cache_bits(enum page_cache cache)
{
    return cache == PAGE_CACHE_UNCACHED ? PDE_CACHE_DISABLE | PDE_WRITE_THROUGH : 0;
}

static void map_large(uint32_t va, uint32_t pa, uint32_t flags)
{
    kernel_page_directory[PDE_INDEX(va)] = pa | flags | PDE_LARGE | PDE_PRESENT;
}

static void require_large_pages(void)
{
    uint32_t a, b, c, d;
    cpuid(1, &a, &b, &c, &d);
    if (!(d & CPUID_EDX_PSE))
        panic("this CPU has no 4 MiB pages (CPUID PSE); vidport needs them");
}

void paging_init(void)
{
    require_large_pages();
    for (uint32_t off = 0; off < DIRECT_MAP_SIZE; off += LARGE_PAGE_SIZE)
        map_large(KERNEL_VMA + off, off, PDE_WRITABLE);
    write_cr4(read_cr4() | CR4_PSE);
    write_cr3(virt_to_phys(kernel_page_directory));
}

void *paging_map_device(uint64_t phys, uint32_t size, enum page_cache cache)
{
    if (size == 0 || phys + size > (1ull << 32))
        return NULL;
    uint32_t first = ALIGN_DOWN((uint32_t)phys, LARGE_PAGE_SIZE);
    uint64_t span = ALIGN_UP(phys - first + size, (uint64_t)LARGE_PAGE_SIZE);
    if (span > DEVICE_WINDOW_END - device_window_next)
        return NULL;
    uint32_t va = device_window_next;
    for (uint32_t off = 0; off < span; off += LARGE_PAGE_SIZE)
        map_large(va + off, first + off, PDE_WRITABLE | cache_bits(cache));
    device_window_next += span;
    return (void *)(uintptr_t)(va + (uint32_t)(phys - first));
}
