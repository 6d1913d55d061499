/*
 * Page-fault dispatch: the trap layer decodes the fault, this decides. The
 * generic checks (is there a region, do its rights allow the access) run
 * before any region code, so no region type can forget them.
 */
#include "mm.h"

/* Why the access is refused, or NULL when r allows it. */
static const char *refusal(const struct region *r, const struct fault_info *fi)
{
    if ((fi->access & FAULT_USER) && fi->va >= USER_END)
        return "access to kernel memory";
    if (!r)
        return "no mapping at this address";
    if ((fi->access & FAULT_WRITE) && !(r->rights & PAGE_WRITE))
        return "write to read-only memory";
    if ((fi->access & FAULT_USER) && !(r->rights & PAGE_USER))
        return "user access to kernel-only memory";
    return NULL;
}

struct region *mm_region_for(struct vmspace *vm, struct fault_info *fi)
{
    bool user_half = fi->va < USER_END;
    struct region *r = vm && user_half ? region_set_find(&vm->regions, fi->va) : NULL;
    fi->reason = refusal(r, fi);
    return fi->reason ? NULL : r;
}

enum fault_result mm_handle_fault(struct vmspace *vm, struct fault_info *fi)
{
    struct region *r = mm_region_for(vm, fi);
    return r ? r->ops->fault(r, fi) : FAULT_SEGV;
}
