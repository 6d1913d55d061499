/*
 * The values operations pass to the kernel. Pointers come in kinds the
 * kernel must tell apart (its own memory, unmapped pages, read-only code,
 * buffers that run off the end of what is mapped); none of them ever
 * points at the worker's own data or stack where the kernel might write,
 * so the worker's bookkeeping survives whatever the kernel does with them,
 * and none the kernel may write through reaches memory an oracle owns.
 */
#include "vpfuzz.h"

#define PROGRAM_BASE 0x08048000u
#define STACK_BOTTOM (KERNEL_BASE - 260 * 1024) /* the stack and its guard page */

static uint32_t pick(uint32_t n)
{
    return rng_below(&fz.rng, n);
}

static uint32_t page_up(uint32_t va)
{
    return (va + FUZZ_PAGE - 1) & ~(FUZZ_PAGE - 1);
}

static uint32_t kernel_pointer(void)
{
    static const uint32_t edges[] = { KERNEL_BASE, 0xC0100000u, 0xFFFFF000u, 0xFFFFFFFCu,
                                      0xFFFFFFFFu };
    if (pick(2))
        return edges[pick(sizeof(edges) / sizeof(edges[0]))];
    return KERNEL_BASE + pick(0x40000000u);
}

/* Somewhere in or just past a held view (scratch when none is held). An
 * output pointer is one the kernel may write a whole output through
 * (output_safe): a few tries, then scratch. */
static uint32_t view_pointer(enum pointer_use use)
{
    for (uint32_t tries = 0; fz.view_count && tries < 4; tries++) {
        const struct held_view *v = &fz.views[pick(fz.view_count)];
        uint32_t base = (uint32_t)v->base, va;
        switch (pick(3)) {
        case 0: va = base + pick(v->size); break;
        case 1: va = base + v->size - 1 - pick(64); break; /* straddles the end */
        default: va = base + pick(FUZZ_PAGE);
        }
        if (use == PTR_IN || output_safe(va, OUTPUT_REACH))
            return va;
    }
    return (uint32_t)fz.scratch + pick(FUZZ_SCRATCH);
}

uint32_t pointer_of_kind(enum pointer_kind kind, enum pointer_use use)
{
    uint32_t code_page = (uint32_t)&rng_next & ~(FUZZ_PAGE - 1);
    switch (kind) {
    case PK_NULL: return 0;
    case PK_KERNEL: return kernel_pointer();
    case PK_LOW: return pick(PROGRAM_BASE - FUZZ_PAGE);
    case PK_GAP: return fz.image_end + pick(FUZZ_PAGE);
    case PK_CODE: return code_page + pick(FUZZ_PAGE);
    case PK_SCRATCH: {
        uint32_t off = pick(FUZZ_SCRATCH);
        return (uint32_t)fz.scratch + (pick(2) ? off & ~3u : off);
    }
    case PK_HEAP_END: return page_up((uint32_t)sbrk(0)) - 1 - pick(64);
    case PK_IMAGE_END:
        if (use == PTR_IN)
            return fz.image_end - 1 - pick(64);
        return (uint32_t)fz.scratch + FUZZ_SCRATCH - 1 - pick(64);
    default: return view_pointer(use);
    }
}

uint32_t fuzz_pointer(enum pointer_use use, enum pointer_kind *kind)
{
    /* Good buffers half the time, so that requests get past the copies. */
    enum pointer_kind k = pick(2) ? PK_SCRATCH : (enum pointer_kind)pick(PK_KINDS);
    if (kind)
        *kind = k;
    return pointer_of_kind(k, use);
}

enum pointer_kind refusing_kind(void)
{
    static const enum pointer_kind kinds[] = { PK_NULL, PK_KERNEL, PK_LOW, PK_GAP, PK_CODE };
    return kinds[pick(sizeof(kinds) / sizeof(kinds[0]))];
}

bool refuses_writes(enum pointer_kind kind)
{
    return pointer_is_bad(kind) || kind == PK_CODE;
}

bool pointer_is_bad(enum pointer_kind kind)
{
    return kind == PK_NULL || kind == PK_KERNEL || kind == PK_LOW || kind == PK_GAP;
}

uint32_t fuzz_length(void)
{
    static const uint32_t sizes[] = { 4, 8, 12, 16, 20, 24, 32, 40, 48, 52, 80, 160 };
    static const uint32_t edges[] = { 0, 1, 4095, 4096, 4097, 0x10000, 0x7FFFFFFFu,
                                      0x80000000u, 0xFFFFFFFFu };
    uint32_t size = sizes[pick(sizeof(sizes) / sizeof(sizes[0]))];
    switch (pick(4)) {
    case 0: return size;
    case 1: return size + pick(3) - 1; /* one off either way */
    case 2: return pick(64);
    default: return pick(2) ? edges[pick(sizeof(edges) / sizeof(edges[0]))] : rng_next(&fz.rng);
    }
}

/* Noise that lands on the worker's data or stack is moved off them; in
 * an oracle view (a request could unshare it), into the kernel half,
 * which every request refuses. */
static uint32_t off_own_state(uint32_t w)
{
    bool data = w >= PROGRAM_BASE && w < fz.image_end;
    bool stack = w >= STACK_BOTTOM && w < KERNEL_BASE;
    if (in_oracle_view(w))
        return w | KERNEL_BASE;
    return data || stack ? w ^ 0x80000000u : w;
}

uint32_t fuzz_word(void)
{
    static const uint32_t edges[] = { 0, 1, 0xFFF, 0x1000, 0x10000, 0x7FFFFFFFu, 0x80000000u,
                                      0xFFFFFFFEu, 0xFFFFFFFFu };
    switch (pick(4)) {
    case 0: return pick(17);
    case 1: return edges[pick(sizeof(edges) / sizeof(edges[0]))];
    case 2: return fuzz_pointer(PTR_OUT, NULL);
    default: return off_own_state(rng_next(&fz.rng));
    }
}

uint32_t edge_offset(uint32_t lo, uint32_t hi, uint32_t width, uint32_t one_in)
{
    uint32_t first = lo / FUZZ_BANK + 1, last = (hi - 1) / FUZZ_BANK; /* edges inside */
    if (first <= last && pick(one_in) == 0) {
        uint32_t edge = (first + pick(last - first + 1)) * FUZZ_BANK, back = 1 + pick(width);
        if (back <= edge - lo && edge - back + width <= hi)
            return edge - back;
    }
    return lo + pick(hi - lo - width + 1);
}

uint32_t foreign_handle(void)
{
    switch (pick(3)) {
    case 0: return 0;
    case 1: return (uint32_t)-2 - pick(1000); /* negative, never -1 (the caller) */
    default: return 0x40000000u + pick(0x3FFFFFFFu); /* beyond any pid the kernel hands out */
    }
}

HANDLE share_handle(bool *valid)
{
    *valid = pick(5) != 0;
    if (*valid)
        return NtCurrentProcess();
    switch (pick(4)) {
    case 0: return (HANDLE)(intptr_t)fz.parent; /* the parent is not ours to map into */
    case 1: return (HANDLE)(intptr_t)fz.pid;    /* nor are we our own child */
    case 2: return (HANDLE)(intptr_t)(fz.pid + 1 + pick(8)); /* a sibling's or no one's */
    default: return (HANDLE)foreign_handle();
    }
}

/* A word worth finding in a request: a held address, -1, a mode index. */
static uint32_t interesting_word(void)
{
    switch (pick(5)) {
    case 0: return fz.view_count ? off_own_state((uint32_t)fz.views[pick(fz.view_count)].base +
                                                 pick(8192)) : 0;
    case 1: return fz.kmap_count ? (uint32_t)fz.kmaps[pick(fz.kmap_count)] : 0;
    case 2: return 0xFFFFFFFFu;
    case 3: return pick(fz.mode_count + 2) | (pick(4) ? 0 : VIDEO_MODE_NO_ZERO_MEMORY);
    default: return pick(64) * FUZZ_PAGE;
    }
}

void scribble(uint32_t off, uint32_t len)
{
    uint8_t *p = fz.scratch + off;
    for (uint32_t i = 0; i + 4 <= len; i += 4) {
        uint32_t w = pick(2) ? interesting_word() : fuzz_word();
        memcpy(p + i, &w, 4);
    }
    for (uint32_t i = len & ~3u; i < len; i++)
        p[i] = (uint8_t)rng_next(&fz.rng);
}
