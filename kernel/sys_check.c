/*
 * System calls for checking the kernel itself: the consistency check and
 * allocation failure injection (only with the `faultinject` option).
 */
#include "abi/vidport_abi.h"
#include "cmdline.h"
#include "inject.h"
#include "kcheck.h"
#include "latency.h"
#include "proc.h"
#include "syscall.h"

int32_t sys_kcheck(uint32_t out, uint32_t b, uint32_t c, uint32_t d, uint32_t e)
{
    (void)b, (void)c, (void)d, (void)e;
    struct vp_kcheck report;
    uint32_t findings = kcheck_run(&report);
    if (out && copy_to_user(out, &report, sizeof(report)) != 0)
        return -VP_EFAULT;
    return (int32_t)findings;
}

/* The report is copied out after disarming, so that the copy's own
 * allocations (a page fault in the buffer) are not counted. */
int32_t sys_fault_inject(uint32_t kind, uint32_t nth, uint32_t last, uint32_t d, uint32_t e)
{
    (void)d, (void)e;
    if (!kernel_flag("faultinject"))
        return -VP_ENOSYS;
    struct vp_inject_report previous;
    int err = inject_arm(VP_INJECT_OFF, 0, &previous);
    if (!err && last)
        err = copy_to_user(last, &previous, sizeof(previous));
    return err ? err : inject_arm(kind, nth, &previous);
}

/* The figures, and with reset, counting again: only for a program the
 * kernel started (no parent), so that no process under test can wipe out
 * what its test is to judge. */
int32_t sys_latency(uint32_t out, uint32_t reset, uint32_t c, uint32_t d, uint32_t e)
{
    (void)c, (void)d, (void)e;
    if (reset && current->parent)
        return -VP_EPERM;
    struct vp_latency figures;
    latency_report(&figures, false);
    int err = copy_to_user(out, &figures, sizeof(figures));
    if (!err && reset)
        latency_report(&figures, true);
    return err;
}
