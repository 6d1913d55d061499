/*
 * Page-fault dispatch: the trap layer decodes the fault, this decides. The
 * generic checks (is there a region, do its rights allow the access) run
 * before any region code, so no region type can forget them.
 */
#include "mm.h"

enum fault_result mm_handle_fault(struct vmspace *vm, struct fault_info *fi)
{
    if ((fi->access & FAULT_USER) && fi->va >= USER_END) {
        fi->reason = "access to kernel memory";
        return FAULT_SEGV;
    }
    struct region *r = vm ? region_set_find(&vm->regions, fi->va) : NULL;
    if (!r) {
        fi->reason = "no mapping at this address";
        return FAULT_SEGV;
    }
    if ((fi->access & FAULT_WRITE) && !(r->rights & PAGE_WRITE)) {
        fi->reason = "write to read-only memory";
        return FAULT_SEGV;
    }
    if ((fi->access & FAULT_USER) && !(r->rights & PAGE_USER)) {
        fi->reason = "user access to kernel-only memory";
        return FAULT_SEGV;
    }
    return r->ops->fault(r, fi);
}
