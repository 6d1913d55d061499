/*
 * System call wrappers: int 0x80 with the number in eax and arguments in
 * ebx, ecx, edx, esi, edi (kernel/abi/vidport_abi.h).
 */
#include <vidport.h>

int vp_errno;

int32_t vp_syscall(uint32_t number, uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e)
{
    int32_t result;
    __asm__ volatile("int $0x80"
                     : "=a"(result)
                     : "a"(number), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
                     : "memory");
    return result;
}

/* Errors come back as -1..-4095; anything else is a value (even an address). */
static bool failed(int32_t r)
{
    return (uint32_t)r >= (uint32_t)-4095;
}

/* Return r, or record its error in vp_errno and return -1. */
static int check(int32_t r)
{
    if (failed(r)) {
        vp_errno = -r;
        return -1;
    }
    return r;
}

HANDLE spawn(const char *name, const char *args)
{
    int32_t r = vp_syscall(SYS_SPAWN, (uint32_t)name, (uint32_t)args, 0, 0, 0);
    return check(r) < 0 ? NULL : (HANDLE)(intptr_t)r;
}

int wait(HANDLE process, int *status)
{
    return check(vp_syscall(SYS_WAIT, (uint32_t)process, (uint32_t)status, 0, 0, 0));
}

int kill(HANDLE process)
{
    return check(vp_syscall(SYS_KILL, (uint32_t)process, 0, 0, 0, 0));
}

void exit(int status)
{
    vp_syscall(SYS_EXIT, (uint32_t)status, 0, 0, 0, 0);
    for (;;)
        ;
}

int getpid(void)
{
    return vp_syscall(SYS_GETPID, 0, 0, 0, 0, 0);
}

int sleep_ms(uint32_t ms)
{
    return check(vp_syscall(SYS_SLEEP, ms, 0, 0, 0, 0));
}

void yield(void)
{
    vp_syscall(SYS_YIELD, 0, 0, 0, 0, 0);
}

int sched_slice(uint32_t ticks)
{
    return check(vp_syscall(SYS_SCHED_SLICE, ticks, 0, 0, 0, 0));
}

void *sbrk(intptr_t delta)
{
    int32_t r = vp_syscall(SYS_SBRK, (uint32_t)delta, 0, 0, 0, 0);
    if (failed(r)) {
        vp_errno = -r;
        return (void *)-1;
    }
    return (void *)(uintptr_t)(uint32_t)r;
}

int console_write(const char *buf, uint32_t len)
{
    return check(vp_syscall(SYS_WRITE, (uint32_t)buf, len, 0, 0, 0));
}

int console_read(char *buf, uint32_t len)
{
    return check(vp_syscall(SYS_READ, (uint32_t)buf, len, 0, 0, 0));
}

int clock_get(struct vp_clock *out)
{
    return check(vp_syscall(SYS_CLOCK, (uint32_t)out, 0, 0, 0, 0));
}

int programs_list(char *buf, uint32_t len)
{
    return check(vp_syscall(SYS_PROGRAMS, (uint32_t)buf, len, 0, 0, 0));
}

int process_list(struct vp_process_info *out, uint32_t max)
{
    return check(vp_syscall(SYS_PROCESSES, (uint32_t)out, max, 0, 0, 0));
}

int tlb_probe(uint32_t rounds)
{
    return check(vp_syscall(SYS_TLB_PROBE, rounds, 0, 0, 0, 0));
}

int cpu_list(struct vp_cpu_info *out, uint32_t max)
{
    return check(vp_syscall(SYS_CPUS, (uint32_t)out, max, 0, 0, 0));
}

int meminfo(struct vp_meminfo *out)
{
    return check(vp_syscall(SYS_MEMINFO, (uint32_t)out, 0, 0, 0, 0));
}

int kcheck(struct vp_kcheck *out)
{
    struct vp_kcheck report;
    int r = check(vp_syscall(SYS_KCHECK, (uint32_t)&report, 0, 0, 0, 0));
    if (r >= 0 && out)
        *out = report;
    return r;
}

int fault_inject(uint32_t kind, uint32_t nth, struct vp_inject_report *last)
{
    return check(vp_syscall(SYS_FAULT_INJECT, kind, nth, (uint32_t)last, 0, 0));
}

int latency_get(struct vp_latency *out, bool reset)
{
    return check(vp_syscall(SYS_LATENCY, (uint32_t)out, reset, 0, 0, 0));
}
