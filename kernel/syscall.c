/*
 * System call dispatch and the user-memory copy helpers.
 */
#include "syscall.h"

#include "abi/vidport_abi.h"
#include "proc.h"

static const syscall_handler handlers[SYS_COUNT] = {
    [SYS_EXIT] = sys_exit,
    [SYS_SPAWN] = sys_spawn,
    [SYS_WAIT] = sys_wait,
    [SYS_KILL] = sys_kill,
    [SYS_GETPID] = sys_getpid,
    [SYS_SLEEP] = sys_sleep,
    [SYS_YIELD] = sys_yield,
    [SYS_SBRK] = sys_sbrk,
    [SYS_WRITE] = sys_write,
    [SYS_READ] = sys_read,
    [SYS_CLOCK] = sys_clock,
    [SYS_PROGRAMS] = sys_programs,
    [SYS_PROCESSES] = sys_processes,
    [SYS_CPUS] = sys_cpus,
    [SYS_TLB_PROBE] = sys_tlb_probe,
    [SYS_MEMINFO] = sys_meminfo,
    [SYS_VIDEO_OPEN] = sys_video_open,
    [SYS_VIDEO_CONTROL] = sys_video_control,
    [SYS_DD_MAP_MEMORY] = sys_dd_map_memory,
    [SYS_PAGE_QUERY] = sys_page_query,
    [SYS_SCHED_SLICE] = sys_sched_slice,
    [SYS_KCHECK] = sys_kcheck,
    [SYS_FAULT_INJECT] = sys_fault_inject,
    [SYS_LATENCY] = sys_latency,
};

void syscall_dispatch(struct trap_frame *f)
{
    syscall_handler h = f->eax < SYS_COUNT ? handlers[f->eax] : NULL;
    f->eax = h ? (uint32_t)h(f->ebx, f->ecx, f->edx, f->esi, f->edi) : (uint32_t)-VP_ENOSYS;
}

int copy_from_user(void *dst, uint32_t src, uint32_t len)
{
    return vm_copy_in(current->vm, dst, src, len) == 0 ? 0 : -VP_EFAULT;
}

int copy_to_user(uint32_t dst, const void *src, uint32_t len)
{
    return vm_copy_out(current->vm, dst, src, len) == 0 ? 0 : -VP_EFAULT;
}

/* Copied a page at a time: access rights only change at page boundaries,
 * so a string that ends early never makes us touch the page after it. */
int copy_string_from_user(char *dst, uint32_t src, uint32_t max)
{
    for (uint32_t done = 0; done < max;) {
        uint32_t chunk = PAGE_SIZE - ((src + done) & (PAGE_SIZE - 1));
        chunk = chunk < max - done ? chunk : max - done;
        if (copy_from_user(dst + done, src + done, chunk) != 0)
            return -VP_EFAULT;
        for (uint32_t i = done; i < done + chunk; i++) {
            if (dst[i] == '\0')
                return 0;
        }
        done += chunk;
    }
    dst[max - 1] = '\0';
    return -VP_EINVAL;
}
