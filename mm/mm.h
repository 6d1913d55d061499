/*
 * Memory management interface, grouped by the file that implements it.
 *
 * Every address space:
 *   0x00000000 .. 0x00000FFF  never mapped (NULL)
 *   0x00001000 .. 0xBFFFFFFF  user space: a process's regions
 *   0xC0000000 .. 0xEFFFFFFF  kernel: direct map of physical 0 .. 768 MiB
 *                             (but for the legacy video memory at 0xA0000)
 *   0xF0000000 .. 0xF7FFFFFF  kernel: device window (frame buffers, MMIO)
 * The kernel half is shared: its page directory entries never change after
 * paging_init, so copying them into a new address space is enough.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/kernel.h"

#define PAGE_SIZE 4096u
#define PAGE_SHIFT 12
#define LARGE_PAGE_SIZE (4u << 20)
#define USER_BASE 0x00001000u
#define USER_END KERNEL_VMA
#define DIRECT_MAP_SIZE (768u << 20)
#define DIRECT_MAP_END (KERNEL_VMA + DIRECT_MAP_SIZE)
#define DEVICE_WINDOW_BASE 0xF0000000u
#define DEVICE_WINDOW_END 0xF8000000u
#define LEGACY_VIDEO_BASE 0xA0000u /* left out of the direct map (F8) */
#define LEGACY_VIDEO_END 0xC0000u

/* Real-mode memory: the first MiB, and linear addresses up to segment FFFF's end. */
#define BIOS_MEMORY_END 0x100000u
#define BIOS_LINEAR_END 0x110000u

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

/* --- frame.c: physical page frames --- */

struct boot_info;

/* Hand every usable frame of the boot memory map to the allocator, minus the
 * first MiB, the kernel image, boot modules, the boot frame buffer and any
 * frame a range of the map that is not available touches. */
void frame_init(const struct boot_info *boot);

/* One zeroed frame (physical address), or 0 when memory is exhausted. */
uint32_t frame_alloc(void);

/* `count` physically consecutive zeroed frames, or 0. */
uint32_t frame_alloc_run(uint32_t count);

/* Return frames; freeing a frame that is not allocated panics. */
void frame_free(uint32_t phys);
void frame_free_run(uint32_t phys, uint32_t count);

uint32_t frame_free_count(void);

/* Whether phys is a frame the allocator has handed out (and not got back). */
bool frame_in_use(uint32_t phys);

/* --- kheap.c: small kernel objects --- */

#define KMALLOC_MAX 2016     /* half of what a heap page's header leaves (the largest
                              * object today, bga's extension, is 1,624 bytes) */
#define KHEAP_SPARE_FRAMES 1 /* empty pages the heap may keep for its next objects */

/* Zeroed memory for an object of up to KMALLOC_MAX bytes, or NULL. */
void *kzalloc(size_t size);

/* Free an object kzalloc returned (NULL is ignored); any other pointer, or
 * one already freed, panics. */
void kfree(void *p);

/* Objects currently allocated (for leak checks). */
uint32_t kheap_objects(void);

/* Frames the heap holds: its pages with an object in them, plus at most
 * KHEAP_SPARE_FRAMES empty ones. A page goes back to the frame allocator
 * when its last object is freed, so after a peak of objects the frames
 * come back; leak checks count these as used. */
uint32_t kheap_frames(void);

/* --- paging.c: the only writer of page-table entries --- */

enum page_cache {
    PAGE_CACHE_WRITE_BACK,
    PAGE_CACHE_WRITE_COMBINING, /* uncached if the CPU has no PAT */
    PAGE_CACHE_UNCACHED,
};

/* Access rights of a mapping. */
#define PAGE_WRITE (1u << 0)
#define PAGE_USER (1u << 1)

struct pagedir {
    uint32_t *entries; /* the page directory, through the direct map */
    uint32_t phys;
};

/* Build the kernel page directory (direct map, device window tables), program
 * the PAT for write-combining and switch to it. Panics without 4 MiB pages. */
void paging_init(void);

/* Set up paging on a processor started after the first, which runs on
 * the kernel's directory already: the same PAT as the boot CPU's (the
 * memory types of every mapping depend on it). Returns the PAT MSR as it
 * reads back, 0 without a PAT. */
uint64_t paging_init_cpu(void);

/* The physical address of the kernel's page directory, for a processor to
 * load before it runs any C code. */
uint32_t paging_kernel_root(void);

/* Map [phys, phys + size) into the device window; NULL when it is full or phys
 * lies above 4 GiB. The pointer keeps phys's offset within its page. */
void *paging_map_device(uint64_t phys, uint32_t size, enum page_cache cache);

/* Whether kernel address va is mapped in the kernel half (for tests). */
bool paging_kernel_present(uint32_t va);

/* Remove a device-window mapping made by paging_map_device (same base, size). */
void paging_unmap_device(void *base, uint32_t size);

/* Map the frame at phys, of memory type `cache`, at this CPU's own page of
 * the device window, for a copy it makes at once (interrupts off, one at a
 * time). No other CPU ever touches that page, so taking it out flushes
 * this CPU's TLB alone: a copy interrupts no other CPU, and never fails. */
void *paging_map_cpu_page(uint32_t phys, enum page_cache cache);
void paging_unmap_cpu_page(void);

/* Map linear memory below BIOS_LINEAR_END as a virtual-8086 BIOS call
 * sees it (the first MiB, user-accessible, and the 64 KiB above it onto its
 * start) into the current address space, or take that out again and put
 * back what was there. Only for the length of one call, with no user code
 * running in between. */
void paging_bios_memory(bool mapped);

/* A new address space sharing the kernel half; -1 when out of memory. */
int pg_create(struct pagedir *pd);

/* Free the page tables and directory (not the frames they mapped). */
void pg_destroy(struct pagedir *pd);

/* Load pd into CR3. */
void pg_activate(const struct pagedir *pd);

/* Load the kernel's own directory into CR3: a CPU with nothing to run
 * holds no process's address space. */
void pg_activate_kernel(void);

/* Map one user page; -1 when a page table cannot be allocated. */
int pg_map(struct pagedir *pd, uint32_t va, uint32_t pa, uint32_t rights, enum page_cache cache);

/* Map `pages` consecutive user pages from va to the frames from pa on,
 * table by table, replacing what was there, with at most one TLB flush.
 * -1 when a page table cannot be allocated; the pages before it stay
 * mapped (unmapping the range undoes it). */
int pg_map_range(struct pagedir *pd, uint32_t va, uint32_t pa, uint32_t pages, uint32_t rights,
                 enum page_cache cache);

/* Unmap one user page; returns the physical address it mapped, or 0, and
 * (if dirty is not NULL) whether it had been written to. */
uint32_t pg_unmap(struct pagedir *pd, uint32_t va, bool *dirty);

/* What happens to each frame a range unmap takes out (frame_free, or NULL
 * to keep them). */
typedef void (*frame_release)(uint32_t phys);

/* Unmap the present pages of `pages` consecutive user pages from va,
 * passing each frame to release (if not NULL), with at most one TLB flush
 * (none when no page was touched since it was mapped): invlpg per page for
 * short ranges of the current space, a CR3 reload for long ones. */
void pg_unmap_range(struct pagedir *pd, uint32_t va, uint32_t pages, frame_release release);

/* Shared page tables: a table (a frame its owner allocated) that address
 * spaces hold through one directory entry each, so that mapping a range it
 * covers costs one entry, not one per page. Entries of the table show what
 * pg_table_fill put there; the owner refills it only while no space holds
 * it, and frees it itself. */

/* Clear entries [0, pages) of a shared table that no space holds. */
void pg_table_clear(uint32_t table, uint32_t pages);

/* Make entries [0, pages) of a shared table that no space holds (and whose
 * other entries are clear) map the frames from pa on with these rights and
 * this memory type. */
void pg_table_fill(uint32_t table, uint32_t pa, uint32_t pages, uint32_t rights,
                   enum page_cache cache);

/* Hold `table` as the page table of the 4 MiB at va (4 MiB aligned, user
 * space, no shared table there yet). A private table left there, which
 * must map nothing, is freed. The table leaves pd with any range unmap
 * that reaches its span, whole, with one TLB flush if it was used. */
void pg_install_table(struct pagedir *pd, uint32_t va, uint32_t table);

/* The physical address va maps to (and its rights), or false when absent. */
bool pg_lookup(const struct pagedir *pd, uint32_t va, uint32_t *pa, uint32_t *rights);

/* The raw page-table entry for user address va (0 when there is none):
 * frame address plus the x86 flag bits, for tests that check memory types. */
uint32_t pg_entry(const struct pagedir *pd, uint32_t va);

/* Whether the page at user address va is present and dirty (written to). */
bool pg_dirty(const struct pagedir *pd, uint32_t va);

/* Whether the entry for va is present with its accessed flag set. */
bool pg_accessed(const struct pagedir *pd, uint32_t va);

/* Page tables currently allocated for user halves (for leak checks). */
uint32_t pg_table_count(void);

/* A present user page as the page tables show it. */
struct mapped_page {
    uint32_t va;
    uint32_t pa;
    uint32_t rights; /* PAGE_WRITE | PAGE_USER, as the entry grants them */
    uint32_t entry;  /* the raw page-table entry */
    uint32_t table;  /* the shared page table holding it (pg_install_table), 0: pd's own */
};

/* Call visit for every present user page of pd, in address order. Returns
 * the number of page tables pd owns (shared ones are not pd's). */
typedef void (*page_visitor)(const struct mapped_page *page, void *ctx);
uint32_t pg_walk(const struct pagedir *pd, page_visitor visit, void *ctx);

/* The present user pages of pd (its own tables' and the shared ones'):
 * pg_walk's count, without a call per page. */
uint32_t pg_present_pages(const struct pagedir *pd);

/* The shared page table pd holds for the 4 MiB around va, or 0. */
uint32_t pg_shared_table(const struct pagedir *pd, uint32_t va);

/* Whether a page-table entry has the memory type pg_map gives `cache`. */
bool pg_entry_has_cache(uint32_t entry, enum page_cache cache);

/* --- vmspace.c: a process's address space --- */

#include "region.h"

struct vmspace {
    struct pagedir pd;
    struct region_set regions;
    struct region *sync_pending; /* regions whose sync op runs at the next kernel entry */
};

/* An empty address space (kernel half only); NULL when out of memory. */
struct vmspace *vm_create(void);

/* Close every region and free the page tables and the space itself. */
void vm_destroy(struct vmspace *vm);

/* A new region (not yet in any space); NULL when out of memory. */
struct region *vm_region_new(uint32_t start, uint32_t end, uint32_t rights,
                             const char *label, const struct region_ops *ops, void *private);

/* Insert r into vm; -1 (r untouched) if it overlaps or is malformed. */
int vm_insert(struct vmspace *vm, struct region *r);

/* Remove r from its space, close it and free it. */
void vm_remove(struct region *r);

/* Free a region that was never inserted (NULL is ignored). */
void vm_discard(struct region *r);

/* Map one page of region r with the region's rights. -1 when out of memory. */
int vm_map_page(struct region *r, uint32_t va, uint32_t pa, enum page_cache cache);

/* Map the pages [va, va + len) of region r (va and len page-aligned, inside
 * r) to the frames from pa on, with the region's rights, in one pass with
 * at most one TLB flush. -1 when out of memory for a page table; what was
 * mapped goes when the region is unmapped. */
int vm_map_range(struct region *r, uint32_t va, uint32_t pa, uint32_t len, enum page_cache cache);

/* Map the 4 MiB of region r at va (4 MiB aligned, all of it inside r) by
 * the shared page table `table` (see pg_install_table); it goes when the
 * region is unmapped. */
void vm_install_table(struct region *r, uint32_t va, uint32_t table);

/* Serve a fault with a fresh zeroed frame: fill(page, va, ctx) may write
 * its contents first (fill may be NULL). FAULT_RESUME, or FAULT_OOM with
 * fi->reason set. */
typedef void (*page_filler)(uint8_t *page, uint32_t va, const void *ctx);
enum fault_result vm_fault_in_new_frame(struct region *r, struct fault_info *fi,
                                        page_filler fill, const void *ctx);

/* Unmap one page of region r (nothing if it is not present). */
void vm_unmap_page(struct region *r, uint32_t va);

/* The same, saying whether the page had been written to: true to the
 * last store, on any CPU (unlike vm_page_dirty before an unmap). */
bool vm_unmap_page_dirty(struct region *r, uint32_t va);

/* Unmap [va, va + pages pages) of region r, with one TLB shootdown. */
void vm_unmap_pages(struct region *r, uint32_t va, uint32_t pages);


/* Whether the page at va of region r is present and has been used since
 * it was mapped (the CPU sets the accessed flag before it caches it). */
bool vm_page_accessed(const struct region *r, uint32_t va);

/* Whether the page at va of region r is present. */
bool vm_page_present(const struct region *r, uint32_t va);

/* Whether the page at va of region r is present and has been written to
 * since it was mapped. */
bool vm_page_dirty(const struct region *r, uint32_t va);

/* Ask for r->ops->sync at the process's next kernel entry that is not a page
 * fault. Any number of regions of a space may be pending; a request never
 * runs another region's sync (that would end an access still under way). */
void vm_request_sync(struct region *r);

/* Run the pending sync ops of vm, if any (the trap layer calls this). */
void vm_sync(struct vmspace *vm);

/* Unmap every present page of r with one TLB flush; frees the frames too
 * when free_frames. */
void vm_unmap_region(struct region *r, bool free_frames);

/* Make the user range [va, va + len) present for `access` (FAULT_WRITE or
 * 0), as the page-fault path would; pages of regions with a copy op are
 * only checked, never faulted in. 0, or -1 if any page may not be. */
int vm_prefault(struct vmspace *vm, uint32_t va, uint32_t len, uint32_t access);

/* Copy between kernel memory and the user range [va, va + len) of vm, which
 * need not be the current space: RAM pages are faulted in as the process
 * would, regions with a copy op copy themselves. All or nothing: 0, or -1
 * (nothing copied) when part of the range is not accessible that way. */
int vm_copy_out(struct vmspace *vm, uint32_t va, const void *src, uint32_t len);
int vm_copy_in(struct vmspace *vm, void *dst, uint32_t va, uint32_t len);

/* Regions alive in all spaces (for leak checks). */
uint32_t vm_region_count(void);

/* --- fault.c: page-fault dispatch --- */

/* Find the region for fi->va, check the access, call its fault op. */
enum fault_result mm_handle_fault(struct vmspace *vm, struct fault_info *fi);

/* The region for fi->va if it allows fi->access; NULL with fi->reason set
 * otherwise (the checks mm_handle_fault makes before any region code). */
struct region *mm_region_for(struct vmspace *vm, struct fault_info *fi);

/* --- anon.c: zero-filled memory and guard regions --- */

extern const struct region_ops anon_region_ops;  /* frame on first touch */
extern const struct region_ops guard_region_ops; /* any touch is a stack overflow */

/* Grow (or shrink) an anonymous region's end; -1 if it would overlap. */
int anon_resize(struct region *r, uint32_t new_end);
