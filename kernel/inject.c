/*
 * Allocation failure injection. The arming lives in the process, so that
 * allocations made while another process runs (or the kernel alone, with
 * no process) never count, and it ends with the process.
 */
#include "inject.h"

#include "proc.h"

bool inject_alloc_fails(enum vp_inject_kind kind)
{
    struct vp_inject_report *armed = current ? &current->inject : NULL;
    if (!armed || armed->kind != kind || armed->fired)
        return false;
    armed->fired = ++armed->allocations == armed->nth;
    return armed->fired;
}

int inject_arm(uint32_t kind, uint32_t nth, struct vp_inject_report *last)
{
    if (kind > VP_INJECT_HEAP || (kind != VP_INJECT_OFF && nth == 0))
        return -VP_EINVAL;
    *last = current->inject;
    current->inject = (struct vp_inject_report){ .kind = kind, .nth = nth };
    return 0;
}
