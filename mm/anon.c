/*
 * Anonymous memory (heap, stack): a zeroed frame on first touch, freed when
 * the region closes. Guard regions sit below stacks (USER_STACK_GAP of
 * them, kernel/exec.h) and turn an overflow into a clear kill instead of a
 * silent write into other memory.
 */
#include "mm.h"

static enum fault_result anon_fault(struct region *r, struct fault_info *fi)
{
    if (fi->access & FAULT_PRESENT) {
        fi->reason = "access not allowed by the page";
        return FAULT_SEGV;
    }
    return vm_fault_in_new_frame(r, fi, NULL, NULL);
}

static void anon_close(struct region *r)
{
    vm_unmap_region(r, true);
}

const struct region_ops anon_region_ops = {
    .name = "anonymous", .fault = anon_fault, .close = anon_close,
};

int anon_resize(struct region *r, uint32_t new_end)
{
    if (new_end <= r->start || (new_end & (PAGE_SIZE - 1)) || new_end > USER_END)
        return -1;
    if (new_end > r->end && !region_set_is_free(&r->space->regions, r->end, new_end))
        return -1;
    if (new_end < r->end)
        pg_unmap_range(&r->space->pd, new_end, (r->end - new_end) / PAGE_SIZE, frame_free);
    r->end = new_end;
    return 0;
}

static enum fault_result guard_fault(struct region *r, struct fault_info *fi)
{
    (void)r;
    fi->reason = "stack overflow into the guard region";
    return FAULT_SEGV;
}

static void guard_close(struct region *r)
{
    (void)r;
}

/* A guard region's pages are never present: nothing may be mapped there. */
static const char *guard_check(const struct region *r, const struct mapped_page *page)
{
    (void)r, (void)page;
    return "a guard region page is present";
}

const struct region_ops guard_region_ops = {
    .name = "guard", .fault = guard_fault, .close = guard_close, .check = guard_check,
};
