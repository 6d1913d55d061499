/*
 * Process system calls. Handles are process ids; NtCurrentProcess() (-1)
 * names the caller.
 */
#include "abi/vidport_abi.h"
#include "drivers/timer.h"
#include "drivers/videoport/videoport.h"
#include "initrd.h"
#include "kstring.h"
#include "proc.h"
#include "smp.h"
#include "tlb.h"
#include "syscall.h"

#define CURRENT_PROCESS_HANDLE 0xFFFFFFFFu

int32_t sys_exit(uint32_t status, uint32_t b, uint32_t c, uint32_t d, uint32_t e)
{
    (void)b, (void)c, (void)d, (void)e;
    proc_exit((int)(status & 0xFF));
}

int32_t sys_spawn(uint32_t name_ptr, uint32_t args_ptr, uint32_t c, uint32_t d, uint32_t e)
{
    (void)c, (void)d, (void)e;
    char name[VP_NAME_MAX], args[VP_ARGS_MAX] = "";
    int err = copy_string_from_user(name, name_ptr, sizeof(name));
    if (!err && args_ptr)
        err = copy_string_from_user(args, args_ptr, sizeof(args));
    if (err)
        return err;
    struct proc *p = proc_spawn(name, args, current, &err);
    return p ? p->pid : -err;
}

int32_t sys_wait(uint32_t handle, uint32_t status_ptr, uint32_t c, uint32_t d, uint32_t e)
{
    (void)c, (void)d, (void)e;
    int status = 0;
    if (status_ptr && copy_to_user(status_ptr, &status, sizeof(status)) != 0)
        return -VP_EFAULT; /* checked first: the status must not be lost */
    int err = proc_wait((int)handle, &status);
    if (err)
        return err;
    return status_ptr ? copy_to_user(status_ptr, &status, sizeof(status)) : 0;
}

/* A process may end itself and the children it started, and no one else:
 * any other pid is -VP_ESRCH, as if there were no such process. */
int32_t sys_kill(uint32_t handle, uint32_t b, uint32_t c, uint32_t d, uint32_t e)
{
    (void)b, (void)c, (void)d, (void)e;
    struct proc *p = handle == CURRENT_PROCESS_HANDLE ? current : proc_by_pid((int)handle);
    bool ours = p && (p == current || p->parent == current);
    if (!ours || p->state == PROC_ZOMBIE)
        return -VP_ESRCH;
    proc_kill(p);
    return 0;
}

int32_t sys_getpid(uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e)
{
    (void)a, (void)b, (void)c, (void)d, (void)e;
    return current->pid;
}

int32_t sys_sleep(uint32_t ms, uint32_t b, uint32_t c, uint32_t d, uint32_t e)
{
    (void)b, (void)c, (void)d, (void)e;
    uint32_t tick_ms = 1000 / TIMER_HZ;
    uint32_t ticks = ms / tick_ms + (ms % tick_ms != 0); /* rounded up, without wrapping */
    sched_sleep(&current->wake_tick, timer_ticks() + (ticks ? ticks : 1));
    return current->killed ? -VP_EINTR : 0;
}

int32_t sys_yield(uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e)
{
    (void)a, (void)b, (void)c, (void)d, (void)e;
    sched_yield();
    return 0;
}

int32_t sys_sched_slice(uint32_t ticks, uint32_t b, uint32_t c, uint32_t d, uint32_t e)
{
    (void)b, (void)c, (void)d, (void)e;
    return sched_set_slice(ticks);
}

/* Move the heap's end to new_end (page aligned), creating the region on
 * first growth; -VP_ENOMEM if it would run into another region. */
static int set_heap_end(struct proc *p, uint32_t new_end)
{
    if (!p->heap) {
        if (new_end == p->heap_start)
            return 0;
        struct region *r = vm_region_new(p->heap_start, new_end, PAGE_USER | PAGE_WRITE,
                                         "heap", &anon_region_ops, NULL);
        if (!r || vm_insert(p->vm, r) != 0) {
            vm_discard(r);
            return -VP_ENOMEM;
        }
        p->heap = r;
        return 0;
    }
    if (new_end == p->heap_start) {
        vm_remove(p->heap);
        p->heap = NULL;
        return 0;
    }
    return anon_resize(p->heap, new_end) == 0 ? 0 : -VP_ENOMEM;
}

int32_t sys_sbrk(uint32_t delta, uint32_t b, uint32_t c, uint32_t d, uint32_t e)
{
    (void)b, (void)c, (void)d, (void)e;
    struct proc *p = current;
    uint32_t old = p->brk, new_brk = old + delta;
    bool grows = (int32_t)delta > 0;
    if ((grows && new_brk < old) || (!grows && (new_brk > old || new_brk < p->heap_start)) ||
        new_brk > USER_END)
        return -VP_ENOMEM;
    int err = set_heap_end(p, ALIGN_UP(new_brk, PAGE_SIZE));
    if (err)
        return err;
    p->brk = new_brk;
    return (int32_t)old;
}

int32_t sys_clock(uint32_t out, uint32_t b, uint32_t c, uint32_t d, uint32_t e)
{
    (void)b, (void)c, (void)d, (void)e;
    struct vp_clock clock = { .ticks = timer_ticks(), .tick_hz = TIMER_HZ, .uptime_ms = timer_ms() };
    return copy_to_user(out, &clock, sizeof(clock));
}

int32_t sys_programs(uint32_t buf, uint32_t len, uint32_t c, uint32_t d, uint32_t e)
{
    (void)c, (void)d, (void)e;
    const struct initrd *rd = initrd_boot();
    uint32_t used = 0;
    for (uint32_t i = 0; i < rd->count; i++) {
        struct initrd_file f = initrd_entry(rd, i);
        uint32_t n = strlen(f.name) + 1;
        if (used + n > len)
            return -VP_EINVAL;
        if (copy_to_user(buf + used, f.name, n) != 0)
            return -VP_EFAULT;
        used += n;
    }
    return (int32_t)used;
}

/* The user pages vm maps, from its page tables: a walk of its regions
 * page by page would take a heap of gigabytes one page at a time. */
static uint32_t present_pages(const struct vmspace *vm)
{
    return vm ? pg_present_pages(&vm->pd) : 0;
}

static struct vp_process_info describe(const struct proc *p)
{
    struct vp_process_info info = {
        .pid = p->pid, .parent = p->parent ? p->parent->pid : 0,
        .state = p->state == PROC_ZOMBIE ? VP_PROC_ZOMBIE
               : p->state == PROC_SLEEPING ? VP_PROC_SLEEPING : VP_PROC_RUNNABLE,
        .pages = present_pages(p->vm),
        .page_faults = p->page_faults,
        .cpu = p->cpu,
    };
    memcpy(info.name, p->name, sizeof(info.name));
    return info;
}

_Static_assert(PROC_MAX * sizeof(struct vp_process_info) <= PAGE_SIZE,
               "the process list fits in one frame");

/* Where the process list is made: a frame, or when none is free the page
 * kept for it (a machine out of memory is when the list is wanted most, to
 * find what to kill); NULL when that is in use too. *frame is 0 for it. */
static struct vp_process_info spare_list[PAGE_SIZE / sizeof(struct vp_process_info)];
static bool spare_list_taken;

static struct vp_process_info *take_list_page(uint32_t *frame)
{
    *frame = frame_alloc();
    if (*frame)
        return phys_to_virt(*frame);
    if (spare_list_taken)
        return NULL;
    spare_list_taken = true;
    return spare_list;
}

static void give_list_page(uint32_t frame)
{
    if (frame)
        frame_free(frame);
    else
        spare_list_taken = false;
}

/*
 * The list is made in a page of the kernel's and copied out in one piece,
 * so that a buffer too short for it gets nothing written and -VP_EFAULT.
 * Counting a process's pages reads each of its page tables, up to 786,432
 * entries, so a preemption point follows each process: nine processes
 * holding views of 4 MiB kept interrupts off for 12 ms in one stretch.
 */
int32_t sys_processes(uint32_t out, uint32_t max, uint32_t c, uint32_t d, uint32_t e)
{
    (void)c, (void)d, (void)e;
    uint32_t frame;
    struct vp_process_info *list = take_list_page(&frame);
    if (!list)
        return -VP_ENOMEM;
    uint32_t n = 0;
    bool alive = true;
    const struct proc *table = proc_table();
    for (int i = 0; i < PROC_MAX && n < max && alive; i++) {
        if (table[i].state == PROC_UNUSED)
            continue;
        list[n++] = describe(&table[i]);
        alive = sched_preempt_point();
    }
    int err = alive ? copy_to_user(out, list, n * sizeof(*list)) : -VP_EINTR;
    give_list_page(frame);
    return err ? err : (int32_t)n;
}

int32_t sys_meminfo(uint32_t out, uint32_t b, uint32_t c, uint32_t d, uint32_t e)
{
    (void)b, (void)c, (void)d, (void)e;
    uint32_t processes = 0;
    for (int i = 0; i < PROC_MAX; i++)
        processes += proc_table()[i].state != PROC_UNUSED;
    struct vp_meminfo info = {
        .free_frames = frame_free_count(), .page_size = PAGE_SIZE,
        .page_tables = pg_table_count(), .regions = vm_region_count(),
        .heap_objects = kheap_objects(), .processes = processes,
        .video_records = vp_record_count(), .heap_frames = kheap_frames(),
    };
    return copy_to_user(out, &info, sizeof(info));
}

int32_t sys_tlb_probe(uint32_t rounds, uint32_t b, uint32_t c, uint32_t d, uint32_t e)
{
    (void)b, (void)c, (void)d, (void)e;
    if (rounds < 1 || rounds > VP_TLB_PROBE_MAX)
        return -VP_EINVAL;
    uint64_t start = rdtsc();
    for (uint32_t i = 0; i < rounds; i++)
        tlb_shootdown(0, DEVICE_WINDOW_BASE, 1);
    uint64_t took = rdtsc() - start;
    uint32_t per_round = took > UINT32_MAX ? UINT32_MAX / rounds : (uint32_t)took / rounds;
    return per_round > INT32_MAX ? INT32_MAX : (int32_t)per_round;
}

int32_t sys_cpus(uint32_t out, uint32_t max, uint32_t c, uint32_t d, uint32_t e)
{
    (void)c, (void)d, (void)e;
    _Static_assert(CPU_MAX == VP_CPU_MAX, "the ABI's CPU count is the kernel's");
    struct vp_cpu_info list[CPU_MAX];
    uint32_t n = smp_online();
    for (uint32_t i = 0; i < n; i++) {
        const struct cpu *cpu = cpu_at(i);
        list[i] = (struct vp_cpu_info){ .index = i, .apic_id = cpu->apic_id,
                                        .busy_ticks = cpu->busy_ticks,
                                        .idle_ticks = cpu->idle_ticks };
    }
    int err = copy_to_user(out, list, (max < n ? max : n) * sizeof(*list));
    return err ? err : (int32_t)n;
}
