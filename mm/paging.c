/*
 * Page tables. This is the only file that writes page-table entries.
 *
 * The kernel half is described once, in kernel_directory: the direct map in
 * 4 MiB pages (the first through a table of its own, which leaves out the
 * legacy video memory at 0xA0000-0xBFFFF: the kernel reaches it only
 * through mappings whose memory type agrees with every other one, F8) and
 * the device window through page tables allocated here at boot. Those entries never change afterwards, so every address space gets
 * them by copying the top quarter of the directory.
 *
 * A shared page table (pg_table_fill) is one that its owner fills once and
 * that address spaces then hold through a directory entry each, marked
 * PDE_SHARED: no map ever writes through such an entry, a range unmap that
 * reaches it takes the entry out whole, and pg_destroy never frees it.
 *
 * Memory types: the PAT's entry 1 is reprogrammed from write-through to
 * write-combining, so PWT alone selects WC and PCD|PWT selects UC.
 */
#include "mm.h"

#include "kernel/cpu.h"
#include "kernel/kstring.h"
#include "kernel/tlb.h"

#define PTE_PRESENT (1u << 0)
#define PTE_WRITABLE (1u << 1)
#define PTE_USER (1u << 2)
#define PTE_WRITE_THROUGH (1u << 3)
#define PTE_CACHE_DISABLE (1u << 4)
#define PTE_ACCESSED (1u << 5)
#define PTE_DIRTY (1u << 6)
#define PDE_LARGE (1u << 7)
#define PDE_SHARED (1u << 9) /* available to software: the table is not this space's */
#define PTE_ADDRESS 0xFFFFF000u
#define DIR_INDEX(va) ((va) >> 22)
#define TABLE_INDEX(va) (((va) >> 12) & 0x3FF)
#define KERNEL_FIRST_DIR_ENTRY DIR_INDEX(KERNEL_VMA)
#define DEVICE_TABLES ((DEVICE_WINDOW_END - DEVICE_WINDOW_BASE) / LARGE_PAGE_SIZE)

#define MSR_PAT 0x277
/* PA0 WB, PA1 WC (was WT), PA2 UC-, PA3 UC, PA4..7 as at power-up. */
#define PAT_WITH_WRITE_COMBINING 0x0007040600070106ull

static uint32_t kernel_directory[1024] __attribute__((aligned(PAGE_SIZE)));
static uint32_t device_tables[DEVICE_TABLES][1024] __attribute__((aligned(PAGE_SIZE)));
static uint32_t low_table[1024] __attribute__((aligned(PAGE_SIZE))); /* the first 4 MiB */
static bool have_pat;
static uint32_t user_tables;

static uint32_t cache_bits(enum page_cache cache)
{
    if (cache == PAGE_CACHE_WRITE_BACK)
        return 0;
    if (cache == PAGE_CACHE_WRITE_COMBINING && have_pat)
        return PTE_WRITE_THROUGH;
    return PTE_CACHE_DISABLE | PTE_WRITE_THROUGH;
}

static void require_large_pages_and_find_pat(void)
{
    uint32_t a, b, c, d;
    cpuid(1, &a, &b, &c, &d);
    if (!(d & CPUID_EDX_PSE))
        panic("this CPU has no 4 MiB pages (CPUID PSE); vidport needs them");
    have_pat = d & CPUID_EDX_PAT;
}

/* Program the PAT before any write-combined mapping exists (SDM 11.12.4). */
static void program_pat(void)
{
    if (have_pat)
        wrmsr(MSR_PAT, PAT_WITH_WRITE_COMBINING);
}

/* The direct map's first 4 MiB, page by page, without the legacy video
 * memory: no write-back alias of it exists for the CPU to use. */
static uint32_t direct_map_low(void)
{
    for (uint32_t i = 0; i < 1024; i++) {
        uint32_t phys = i * PAGE_SIZE;
        bool video = phys >= LEGACY_VIDEO_BASE && phys < LEGACY_VIDEO_END;
        low_table[i] = video ? 0 : phys | PTE_WRITABLE | PTE_PRESENT;
    }
    return virt_to_phys(low_table) | PTE_WRITABLE | PTE_PRESENT;
}

void paging_init(void)
{
    require_large_pages_and_find_pat();
    program_pat();
    for (uint32_t off = 0; off < DIRECT_MAP_SIZE; off += LARGE_PAGE_SIZE)
        kernel_directory[DIR_INDEX(KERNEL_VMA + off)] = off | PDE_LARGE | PTE_WRITABLE | PTE_PRESENT;
    kernel_directory[DIR_INDEX(KERNEL_VMA)] = direct_map_low();
    for (uint32_t i = 0; i < DEVICE_TABLES; i++) {
        uint32_t va = DEVICE_WINDOW_BASE + i * LARGE_PAGE_SIZE;
        kernel_directory[DIR_INDEX(va)] = virt_to_phys(device_tables[i]) | PTE_WRITABLE | PTE_PRESENT;
    }
    write_cr4(read_cr4() | CR4_PSE);
    pg_activate_kernel();
}

uint64_t paging_init_cpu(void)
{
    pg_activate_kernel(); /* loaded by the start-up code: recorded */
    program_pat();
    return have_pat ? rdmsr(MSR_PAT) : 0;
}

uint32_t paging_kernel_root(void)
{
    return virt_to_phys(kernel_directory);
}

/*
 * Virtual-8086 BIOS calls see linear memory as the 8086 did: the first MiB
 * as it is, user-accessible and writable, and the 64 KiB above it wrapping
 * onto the first (segment FFFF). The legacy video memory is uncached, as
 * every other mapping of it is at most (F8). Installed as directory entry
 * 0 of the current space for the length of a call, then the entry it
 * replaced comes back.
 */
static uint32_t bios_table[1024] __attribute__((aligned(PAGE_SIZE)));
static uint32_t replaced_low_entry;

static void fill_bios_table(void)
{
    for (uint32_t i = 0; i < BIOS_LINEAR_END / PAGE_SIZE; i++) {
        uint32_t phys = (i * PAGE_SIZE) & (BIOS_MEMORY_END - 1);
        bool video = phys >= LEGACY_VIDEO_BASE && phys < LEGACY_VIDEO_END;
        bios_table[i] = phys | PTE_USER | PTE_WRITABLE | PTE_PRESENT |
                        (video ? cache_bits(PAGE_CACHE_UNCACHED) : 0);
    }
}

void paging_bios_memory(bool mapped)
{
    uint32_t *directory = phys_to_virt(read_cr3() & PTE_ADDRESS);
    if (mapped) {
        if (!bios_table[0])
            fill_bios_table();
        replaced_low_entry = directory[0];
        directory[0] = virt_to_phys(bios_table) | PTE_USER | PTE_WRITABLE | PTE_PRESENT;
    } else {
        directory[0] = replaced_low_entry;
    }
    write_cr3(read_cr3());
}

bool paging_kernel_present(uint32_t va)
{
    uint32_t pde = kernel_directory[DIR_INDEX(va)];
    if (!(pde & PTE_PRESENT) || (pde & PDE_LARGE))
        return pde & PTE_PRESENT;
    const uint32_t *table = phys_to_virt(pde & PTE_ADDRESS);
    return table[TABLE_INDEX(va)] & PTE_PRESENT;
}

static uint32_t *device_slot(uint32_t va)
{
    uint32_t slot = (va - DEVICE_WINDOW_BASE) / PAGE_SIZE;
    return &device_tables[slot / 1024][slot % 1024];
}

/* The window's last pages are the CPUs' own (paging_map_cpu_page). */
#define SHARED_DEVICE_END (DEVICE_WINDOW_END - CPU_MAX * PAGE_SIZE)

/* The lowest run of `pages` unused shared device-window pages, or 0. */
static uint32_t find_device_range(uint32_t pages)
{
    uint32_t run = 0;
    for (uint32_t va = DEVICE_WINDOW_BASE; va < SHARED_DEVICE_END; va += PAGE_SIZE) {
        run = *device_slot(va) ? 0 : run + 1;
        if (run == pages)
            return va - (pages - 1) * PAGE_SIZE;
    }
    return 0;
}

void *paging_map_device(uint64_t phys, uint32_t size, enum page_cache cache)
{
    if (size == 0 || phys + size > (1ull << 32))
        return NULL;
    uint32_t first = (uint32_t)phys & PTE_ADDRESS;
    uint64_t span = ALIGN_UP(phys - first + size, (uint64_t)PAGE_SIZE);
    uint32_t va = span <= SHARED_DEVICE_END - DEVICE_WINDOW_BASE
                      ? find_device_range((uint32_t)(span / PAGE_SIZE)) : 0;
    if (!va)
        return NULL;
    for (uint32_t off = 0; off < span; off += PAGE_SIZE)
        *device_slot(va + off) = (first + off) | cache_bits(cache) | PTE_WRITABLE | PTE_PRESENT;
    return (void *)(uintptr_t)(va + (uint32_t)(phys - first));
}

void paging_unmap_device(void *base, uint32_t size)
{
    uint32_t va = (uint32_t)(uintptr_t)base;
    KASSERT(va >= DEVICE_WINDOW_BASE && va < SHARED_DEVICE_END && size <= SHARED_DEVICE_END - va);
    uint32_t first = va & PTE_ADDRESS;
    for (uint32_t page = first; page < va + size; page += PAGE_SIZE) {
        KASSERT(*device_slot(page) & PTE_PRESENT);
        *device_slot(page) = 0;
    }
    tlb_shootdown(0, first, (va + size - first + PAGE_SIZE - 1) / PAGE_SIZE);
}

static uint32_t cpu_page(void)
{
    return SHARED_DEVICE_END + cpu_this()->index * PAGE_SIZE;
}

void *paging_map_cpu_page(uint32_t phys, enum page_cache cache)
{
    uint32_t *slot = device_slot(cpu_page());
    KASSERT(!*slot);
    *slot = (phys & PTE_ADDRESS) | cache_bits(cache) | PTE_WRITABLE | PTE_PRESENT;
    return (void *)(uintptr_t)cpu_page();
}

void paging_unmap_cpu_page(void)
{
    *device_slot(cpu_page()) = 0;
    invlpg(cpu_page());
}

int pg_create(struct pagedir *pd)
{
    uint32_t phys = frame_alloc();
    if (!phys)
        return -1;
    pd->phys = phys;
    pd->entries = phys_to_virt(phys);
    memcpy(&pd->entries[KERNEL_FIRST_DIR_ENTRY], &kernel_directory[KERNEL_FIRST_DIR_ENTRY],
           (1024 - KERNEL_FIRST_DIR_ENTRY) * sizeof(uint32_t));
    return 0;
}

/* Load root into CR3 unless it is there, and say so where shootdowns look. */
static void load_root(uint32_t root)
{
    if (read_cr3() != root)
        write_cr3(root);
    cpu_this()->root = root;
}

void pg_activate_kernel(void)
{
    load_root(virt_to_phys(kernel_directory));
}

/* No other CPU holds pd: each holds only the space of the process it runs,
 * or, idle, the kernel's, and a space goes only when its process has gone. */
void pg_destroy(struct pagedir *pd)
{
    KASSERT(!tlb_cpus_holding(pd->phys));
    if (read_cr3() == pd->phys)
        pg_activate_kernel();
    for (uint32_t i = 0; i < KERNEL_FIRST_DIR_ENTRY; i++) {
        if ((pd->entries[i] & (PTE_PRESENT | PDE_SHARED)) == PTE_PRESENT) {
            frame_free(pd->entries[i] & PTE_ADDRESS);
            user_tables--;
        }
    }
    frame_free(pd->phys);
    pd->entries = NULL;
}

void pg_activate(const struct pagedir *pd)
{
    load_root(pd->phys);
}

/* The page table covering user address va, allocated if `create`; NULL if
 * none. One to write into (`create`) is never a shared table. */
static uint32_t *table_for(const struct pagedir *pd, uint32_t va, bool create)
{
    KASSERT(va < USER_END);
    uint32_t *pde = &pd->entries[DIR_INDEX(va)];
    KASSERT(!(create && (*pde & PDE_SHARED)));
    if (!(*pde & PTE_PRESENT)) {
        uint32_t phys = create ? frame_alloc() : 0;
        if (!phys)
            return NULL;
        *pde = phys | PTE_USER | PTE_WRITABLE | PTE_PRESENT;
        user_tables++;
    }
    return phys_to_virt(*pde & PTE_ADDRESS);
}

/* Drop [va, va + pages) from the TLB of every CPU whose loaded space is
 * pd, this one's included; a space loaded nowhere has nothing in any TLB
 * (no global user pages, no PCIDs). */
static void flush_range(const struct pagedir *pd, uint32_t va, uint32_t pages)
{
    tlb_shootdown(pd->phys, va, pages);
}

/* Replace a present entry, returning the old one: in one exchange, so that
 * an accessed flag the CPU sets meanwhile is not lost. */
static uint32_t exchange_entry(uint32_t *entry, uint32_t value)
{
    return __atomic_exchange_n(entry, value, __ATOMIC_SEQ_CST);
}

/*
 * What a span operation does to `count` consecutive entries of one page
 * table, the first of which is page `index` of the range. It answers
 * whether the TLB may hold any of the old entries: only a present one with
 * the accessed flag set, as the CPU sets that flag before it caches a
 * translation (Intel SDM 4.10.2.2), so pages never touched need no flush.
 */
typedef bool (*span_op)(uint32_t *entries, uint32_t count, uint32_t index, void *ctx);

/*
 * Run op over the entries of the user range [va, va + pages pages), one
 * page table at a time. Missing tables are allocated when `create`, else
 * their pages are skipped; a shared table is taken out whole instead (only
 * an unmap gets there: the region holding it covers all its 4 MiB).
 * *cached: whether the TLB may hold anything taken out. False when a table
 * could not be allocated: op has run on the pages before it.
 */
static bool for_each_span(const struct pagedir *pd, uint32_t va, uint32_t pages, bool create,
                          span_op op, void *ctx, bool *cached)
{
    KASSERT(va >= USER_BASE && pages <= (USER_END - va) / PAGE_SIZE);
    *cached = false;
    for (uint32_t done = 0; done < pages;) {
        uint32_t page = va + done * PAGE_SIZE;
        uint32_t count = 1024 - TABLE_INDEX(page);
        count = count < pages - done ? count : pages - done;
        uint32_t *pde = &pd->entries[DIR_INDEX(page)];
        uint32_t index = done;
        done += count;
        if (*pde & PDE_SHARED) {
            *cached |= exchange_entry(pde, 0) & PTE_ACCESSED;
            continue;
        }
        uint32_t *table = table_for(pd, page, create);
        if (!table && create)
            return false;
        if (table)
            *cached |= op(&table[TABLE_INDEX(page)], count, index, ctx);
    }
    return true;
}

struct fill {
    uint32_t pa;   /* the frame page 0 of the range maps */
    uint32_t bits; /* flags of every entry */
};

static bool fill_span(uint32_t *entries, uint32_t count, uint32_t index, void *ctx)
{
    const struct fill *f = ctx;
    uint32_t replaced = 0, entry = (f->pa + index * PAGE_SIZE) | f->bits;
    for (uint32_t i = 0; i < count; i++, entry += PAGE_SIZE) {
        if (entries[i] & PTE_PRESENT)
            replaced |= exchange_entry(&entries[i], entry);
        else
            entries[i] = entry;
    }
    return replaced & PTE_ACCESSED;
}

/* The flag bits of an entry with these rights and this memory type. */
static uint32_t entry_bits(uint32_t rights, enum page_cache cache)
{
    uint32_t bits = PTE_PRESENT | cache_bits(cache);
    bits |= (rights & PAGE_WRITE) ? PTE_WRITABLE : 0;
    bits |= (rights & PAGE_USER) ? PTE_USER : 0;
    return bits;
}

int pg_map_range(struct pagedir *pd, uint32_t va, uint32_t pa, uint32_t pages, uint32_t rights,
                 enum page_cache cache)
{
    struct fill f = { .pa = pa & PTE_ADDRESS, .bits = entry_bits(rights, cache) };
    bool cached;
    bool ok = for_each_span(pd, va, pages, true, fill_span, &f, &cached);
    if (cached)
        flush_range(pd, va, pages);
    return ok ? 0 : -1;
}

int pg_map(struct pagedir *pd, uint32_t va, uint32_t pa, uint32_t rights, enum page_cache cache)
{
    return pg_map_range(pd, va, pa, 1, rights, cache);
}

/* Clear the present entries, handing their frames to release (if any). */
static bool clear_span(uint32_t *entries, uint32_t count, uint32_t index, void *ctx)
{
    (void)index;
    frame_release release = *(const frame_release *)ctx;
    uint32_t cleared = 0;
    for (uint32_t i = 0; i < count; i++) {
        if (!(entries[i] & PTE_PRESENT))
            continue;
        uint32_t old = exchange_entry(&entries[i], 0);
        cleared |= old;
        if (release)
            release(old & PTE_ADDRESS);
    }
    return cleared & PTE_ACCESSED;
}

/* The frames go back before the flush: a store another CPU makes through
 * a stale entry meanwhile lands in a free frame, which nobody can take
 * before the flush ends (that needs the big kernel lock) and which is
 * cleared when it is taken; the kernel never reads through user addresses. */
void pg_unmap_range(struct pagedir *pd, uint32_t va, uint32_t pages, frame_release release)
{
    bool cached;
    for_each_span(pd, va, pages, false, clear_span, &release, &cached);
    if (cached)
        flush_range(pd, va, pages);
}

/* A private entry goes in one exchange, so the old one says whether the
 * page was written, however late: a store after it, through a clean TLB
 * entry, must set the dirty flag in the cleared entry, and faults instead.
 * A shared table's page takes the table's directory entry with it. */
uint32_t pg_unmap(struct pagedir *pd, uint32_t va, bool *dirty)
{
    uint32_t *table = table_for(pd, va, false), old = table ? table[TABLE_INDEX(va)] : 0;
    if (pd->entries[DIR_INDEX(va)] & PDE_SHARED) {
        pg_unmap_range(pd, va, 1, NULL);
    } else if (old & PTE_PRESENT) {
        old = exchange_entry(&table[TABLE_INDEX(va)], 0);
        if (old & PTE_ACCESSED)
            flush_range(pd, va, 1);
    }
    if (dirty)
        *dirty = (old & (PTE_PRESENT | PTE_DIRTY)) == (PTE_PRESENT | PTE_DIRTY);
    return (old & PTE_PRESENT) ? old & PTE_ADDRESS : 0;
}

void pg_table_clear(uint32_t table, uint32_t pages)
{
    KASSERT(pages <= 1024);
    memset(phys_to_virt(table), 0, pages * sizeof(uint32_t));
}

void pg_table_fill(uint32_t table, uint32_t pa, uint32_t pages, uint32_t rights,
                   enum page_cache cache)
{
    KASSERT(pages <= 1024);
    struct fill f = { .pa = pa & PTE_ADDRESS, .bits = entry_bits(rights, cache) };
    fill_span(phys_to_virt(table), pages, 0, &f);
}

static bool table_is_empty(const uint32_t *table)
{
    for (uint32_t i = 0; i < 1024; i++) {
        if (table[i] & PTE_PRESENT)
            return false;
    }
    return true;
}

/* Free the private table of va's directory entry, which maps nothing: no
 * region covers its span any more. The CPU may cache the directory entry
 * itself, so it goes from the TLB too. */
static void free_empty_table(struct pagedir *pd, uint32_t va)
{
    uint32_t *pde = &pd->entries[DIR_INDEX(va)];
    KASSERT(table_is_empty(phys_to_virt(*pde & PTE_ADDRESS)));
    uint32_t old = exchange_entry(pde, 0);
    if (old & PTE_ACCESSED)
        flush_range(pd, va, 1);
    frame_free(old & PTE_ADDRESS);
    user_tables--;
}

void pg_install_table(struct pagedir *pd, uint32_t va, uint32_t table)
{
    KASSERT(va >= USER_BASE && va < USER_END && va % LARGE_PAGE_SIZE == 0);
    uint32_t *pde = &pd->entries[DIR_INDEX(va)];
    KASSERT(!(*pde & PDE_SHARED));
    if (*pde & PTE_PRESENT)
        free_empty_table(pd, va);
    *pde = table | PDE_SHARED | PTE_USER | PTE_WRITABLE | PTE_PRESENT;
}

uint32_t pg_entry(const struct pagedir *pd, uint32_t va)
{
    const uint32_t *table = table_for(pd, va, false);
    return table ? table[TABLE_INDEX(va)] : 0;
}

bool pg_accessed(const struct pagedir *pd, uint32_t va)
{
    uint32_t pte = pg_entry(pd, va);
    return (pte & PTE_PRESENT) && (pte & PTE_ACCESSED);
}

bool pg_dirty(const struct pagedir *pd, uint32_t va)
{
    uint32_t pte = pg_entry(pd, va);
    return (pte & PTE_PRESENT) && (pte & PTE_DIRTY);
}

bool pg_lookup(const struct pagedir *pd, uint32_t va, uint32_t *pa, uint32_t *rights)
{
    const uint32_t *table = table_for(pd, va, false);
    if (!table || !(table[TABLE_INDEX(va)] & PTE_PRESENT))
        return false;
    uint32_t pte = table[TABLE_INDEX(va)];
    *pa = (pte & PTE_ADDRESS) | (va & ~PTE_ADDRESS);
    *rights = ((pte & PTE_WRITABLE) ? PAGE_WRITE : 0) | ((pte & PTE_USER) ? PAGE_USER : 0);
    return true;
}

uint32_t pg_table_count(void)
{
    return user_tables;
}

/* Visit the present entries of one page table, which maps the 4 MiB at base. */
static void walk_table(const uint32_t *table, uint32_t base, uint32_t shared, page_visitor visit,
                       void *ctx)
{
    for (uint32_t i = 0; i < 1024; i++) {
        uint32_t entry = table[i];
        if (!(entry & PTE_PRESENT))
            continue;
        struct mapped_page page = {
            .va = base + i * PAGE_SIZE, .pa = entry & PTE_ADDRESS, .entry = entry, .table = shared,
            .rights = ((entry & PTE_WRITABLE) ? PAGE_WRITE : 0) | ((entry & PTE_USER) ? PAGE_USER : 0),
        };
        visit(&page, ctx);
    }
}

uint32_t pg_walk(const struct pagedir *pd, page_visitor visit, void *ctx)
{
    uint32_t owned = 0;
    for (uint32_t i = 0; i < KERNEL_FIRST_DIR_ENTRY; i++) {
        uint32_t pde = pd->entries[i];
        if (!(pde & PTE_PRESENT))
            continue;
        bool shared = pde & PDE_SHARED;
        owned += !shared;
        walk_table(phys_to_virt(pde & PTE_ADDRESS), i * LARGE_PAGE_SIZE,
                   shared ? pde & PTE_ADDRESS : 0, visit, ctx);
    }
    return owned;
}

uint32_t pg_present_pages(const struct pagedir *pd)
{
    uint32_t pages = 0;
    for (uint32_t i = 0; i < KERNEL_FIRST_DIR_ENTRY; i++) {
        uint32_t pde = pd->entries[i];
        if (!(pde & PTE_PRESENT))
            continue;
        const uint32_t *table = phys_to_virt(pde & PTE_ADDRESS);
        for (uint32_t j = 0; j < 1024; j++)
            pages += table[j] & PTE_PRESENT;
    }
    return pages;
}

uint32_t pg_shared_table(const struct pagedir *pd, uint32_t va)
{
    uint32_t pde = pd->entries[DIR_INDEX(va)];
    return (pde & (PDE_SHARED | PTE_PRESENT)) == (PDE_SHARED | PTE_PRESENT) ? pde & PTE_ADDRESS : 0;
}

bool pg_entry_has_cache(uint32_t entry, enum page_cache cache)
{
    return (entry & (PTE_WRITE_THROUGH | PTE_CACHE_DISABLE)) == cache_bits(cache);
}
