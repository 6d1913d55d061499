/*
 * The ABI between the kernel and user programs: system call numbers, error
 * codes and the structures calls exchange. Included by the kernel and by
 * user/include/vidport.h; nothing else defines these.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "video.h"

/* System calls: int 0x80, number in eax, arguments in ebx, ecx, edx, esi,
 * edi; the result comes back in eax (negative values are VP_E* errors). */
#define SYSCALL_VECTOR 0x80

enum vp_syscall {
    SYS_EXIT = 1,     /* (int status) */
    SYS_SPAWN,        /* (const char *name, const char *args) -> handle */
    SYS_WAIT,         /* (handle, int *status) -> 0 */
    SYS_KILL,         /* (handle: the caller or a child of it) -> 0 */
    SYS_GETPID,       /* () -> pid */
    SYS_SLEEP,        /* (uint32_t ms) -> 0 */
    SYS_YIELD,        /* () -> 0 */
    SYS_SBRK,         /* (int32_t delta) -> old break */
    SYS_WRITE,        /* (const char *buf, uint32_t len) -> len */
    SYS_READ,         /* (char *buf, uint32_t len) -> bytes of one line */
    SYS_CLOCK,        /* (struct vp_clock *out) -> 0 */
    SYS_PROGRAMS,     /* (char *buf, uint32_t len) -> bytes: NUL-separated names */
    SYS_PROCESSES,    /* (struct vp_process_info *out, uint32_t max) -> count */
    SYS_MEMINFO,      /* (struct vp_meminfo *out) -> 0 */
    SYS_VIDEO_OPEN,   /* (const char *name) -> device handle */
    SYS_VIDEO_CONTROL, /* (struct vp_video_control *request) -> VP_STATUS */
    SYS_DD_MAP_MEMORY, /* (DD_MAPMEMORYDATA *data) -> DDHAL_DRIVER_* */
    SYS_PAGE_QUERY,   /* (uint32_t va, uint32_t *entry) -> 0: the raw page-table entry */
    SYS_SCHED_SLICE,  /* (uint32_t ticks) -> the previous slice length in ticks */
    SYS_KCHECK,       /* (struct vp_kcheck *out) -> findings, each also printed on the console */
    SYS_FAULT_INJECT, /* (uint32_t kind, uint32_t nth, struct vp_inject_report *last) -> 0 */
    SYS_LATENCY,      /* (struct vp_latency *out, uint32_t reset) -> 0; reset: no parent */
    SYS_CPUS,         /* (struct vp_cpu_info *out, uint32_t max) -> how many CPUs are online */
    SYS_TLB_PROBE,    /* (uint32_t rounds) -> TSC cycles per one-page shootdown round (benchmarks) */
    SYS_COUNT
};

/* Errors (returned negated). */
#define VP_EFAULT 14 /* a pointer or length does not lie in your memory */
#define VP_EINVAL 22 /* an argument is out of range */
#define VP_ENOENT 2  /* no such program */
#define VP_ESRCH 3   /* no such process, or not yours to wait for or kill */
#define VP_ENOMEM 12 /* out of memory */
#define VP_EAGAIN 11 /* too many processes */
#define VP_ENOSYS 38 /* no such system call */
#define VP_EINTR 4   /* interrupted: the caller is being killed */
#define VP_ERANGE 34 /* a number does not fit its type (the C library's strtol) */
#define VP_EPERM 1    /* not for this process to do */

/* SYS_SCHED_SLICE: the time slice in timer ticks, for every process. */
#define SCHED_SLICE_MIN 1
#define SCHED_SLICE_MAX 10
#define SCHED_SLICE_DEFAULT 2 /* 20 ms at 100 Hz */

/* wait()'s status for a process that was killed rather than exiting. */
#define VP_STATUS_KILLED 0x100

#define VP_NAME_MAX 32
#define VP_ARGS_MAX 256

struct vp_clock {
    uint64_t ticks;      /* timer ticks since boot */
    uint32_t tick_hz;    /* ticks per second */
    uint64_t uptime_ms;
};

enum vp_process_state { VP_PROC_RUNNABLE = 1, VP_PROC_SLEEPING, VP_PROC_ZOMBIE };

struct vp_process_info {
    int32_t pid;
    int32_t parent;
    uint32_t state;     /* enum vp_process_state */
    uint32_t pages;     /* user pages mapped */
    uint32_t page_faults; /* page faults it has taken */
    uint32_t cpu;       /* the CPU it last ran on (0, the boot CPU, if it has not run) */
    char name[VP_NAME_MAX];
};

#define VP_CPU_MAX 8 /* the most processors the kernel runs on */

/* SYS_TLB_PROBE: rounds of a one-page TLB shootdown of the kernel half, to
 * which every other CPU answers (an IPI's round trip with one other CPU),
 * run with the kernel's lock held; from 1 to this many at a time. */
#define VP_TLB_PROBE_MAX 64

/* One processor, as SYS_CPUS reports it: its clock's ticks counted by
 * whether they found a process running there. */
struct vp_cpu_info {
    uint32_t index;      /* 0 for the boot CPU */
    uint32_t apic_id;
    uint32_t busy_ticks; /* ticks that found a process running on it */
    uint32_t idle_ticks; /* ticks that found none (idle, or between processes) */
};

struct vp_meminfo {
    uint32_t free_frames;
    uint32_t page_size;
    uint32_t page_tables;  /* user page tables in all spaces */
    uint32_t regions;      /* regions in all spaces */
    uint32_t heap_objects; /* kernel heap objects */
    uint32_t processes;
    uint32_t video_records; /* video port mappings: views and kernel mappings */
    uint32_t heap_frames;   /* frames the kernel heap holds (used, not free) */
};

/* Leak checks compare free_frames before and after directly, the kernel
 * heap's frames counting as used, and allow VP_LEAK_SLACK_FRAMES either
 * way: the heap gives a page back once its last object is freed, but it
 * keeps one empty page in reserve or not, and an object freed and replaced
 * by one of its size while the check ran may sit in another page than the
 * old one, which that keeps. A heap that kept the pages of a peak would be
 * off by far more. */
#define VP_LEAK_SLACK_FRAMES 4

/* Whether free_frames read `after` is back at `before`, within the slack. */
static inline bool vp_free_frames_back(uint32_t before, uint32_t after)
{
    uint32_t apart = before > after ? before - after : after - before;
    return apart <= VP_LEAK_SLACK_FRAMES;
}

/* SYS_KCHECK: the kernel's consistency check walks every process's page
 * tables against its regions and the video port's view records. A finding
 * is a present page no region explains, a bank page present that the
 * window does not show, or a count or reference that does not match. */
#define VP_KCHECK_TEXT 128

struct vp_kcheck {
    uint32_t processes; /* address spaces walked */
    uint32_t pages;     /* present user pages checked */
    uint32_t views;     /* video port view records checked */
    uint32_t findings;
    char first[VP_KCHECK_TEXT]; /* the first finding, "" when there is none */
};

/* SYS_LATENCY: the longest stretches the kernel spent with interrupts
 * off (no clock tick, no other process) since boot or the last reset,
 * overall and by what started them: a system call (by number), a fault,
 * an interrupt, or the scheduler. With reset nonzero the figures start
 * again after they are reported. Times are in microseconds, measured by
 * the time stamp counter (tsc_per_ms of its cycles to the millisecond). */
enum vp_latency_cause {
    VP_LATENCY_EXCEPTION = SYS_COUNT, /* a fault or other exception */
    VP_LATENCY_INTERRUPT,             /* an interrupt */
    VP_LATENCY_SCHEDULER,             /* the scheduler, between processes */
    VP_LATENCY_CAUSES
};

struct vp_latency {
    uint32_t tsc_per_ms;
    uint32_t max_us;      /* the longest stretch */
    uint32_t max_cause;   /* what started it: a system call or VP_LATENCY_* */
    uint32_t stretches;   /* stretches measured */
    uint32_t cause_max_us[VP_LATENCY_CAUSES]; /* the longest, by cause */
};

/* SYS_FAULT_INJECT (only when the kernel was booted with `faultinject`,
 * -VP_ENOSYS otherwise): while the calling process runs (its system calls
 * and page faults), count its allocations of `kind` and make the nth fail.
 * It stays armed until it fires or the process calls SYS_FAULT_INJECT
 * again, which first reports the previous arming into *last (if not NULL).
 * VP_INJECT_OFF disarms. */
enum vp_inject_kind { VP_INJECT_OFF, VP_INJECT_FRAME, VP_INJECT_HEAP };

struct vp_inject_report {
    uint32_t kind;        /* what was armed (VP_INJECT_OFF: nothing) */
    uint32_t nth;
    uint32_t allocations; /* allocations of that kind counted while armed */
    uint32_t fired;       /* 1 when the nth failed */
};

/* Device handles from SYS_VIDEO_OPEN: this base plus the adapter number. */
#define VP_VIDEO_HANDLE_BASE 0x56500000u

/* SYS_VIDEO_CONTROL's request: DeviceIoControl's arguments; the kernel
 * fills in `returned` (STATUS_BLOCK.Information) and the NTSTATUS the
 * request completed with. Buffers beyond VP_VIDEO_BUFFER_MAX bytes are
 * used only up to that size. */
#define VP_VIDEO_BUFFER_MAX 4096u

struct vp_video_control {
    HANDLE device;
    ULONG code;
    PVOID in;
    ULONG in_len;
    PVOID out;
    ULONG out_len;
    ULONG returned;
    NTSTATUS nt_status;
};

/* x86 page-table entry bits, as SYS_PAGE_QUERY reports them. */
#define VP_PTE_PRESENT 0x001u
#define VP_PTE_WRITABLE 0x002u
#define VP_PTE_USER 0x004u
#define VP_PTE_PWT 0x008u /* with the PAT as vidport programs it: PWT alone = WC */
#define VP_PTE_PCD 0x010u /* PCD | PWT = UC */
#define VP_PTE_PAT 0x080u
#define VP_PTE_FRAME 0xFFFFF000u
