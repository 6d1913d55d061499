/*
 * System calls: one table indexed by the numbers in abi/vidport_abi.h.
 * Handlers take up to five raw register arguments and validate every user
 * pointer through the copy helpers below; a bad pointer is an error code,
 * never a kernel fault.
 */
#pragma once

#include <stdint.h>

#include "trap.h"

typedef int32_t (*syscall_handler)(uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e);

/* Run the call in frame->eax with ebx..edi as arguments; result in eax. */
void syscall_dispatch(struct trap_frame *frame);

/* Copy from / to the current process; 0 or -VP_EFAULT. */
int copy_from_user(void *dst, uint32_t src, uint32_t len);
int copy_to_user(uint32_t dst, const void *src, uint32_t len);

/* Copy a NUL-terminated string of at most max - 1 characters; 0,
 * -VP_EFAULT for a bad pointer, -VP_EINVAL when it is too long. */
int copy_string_from_user(char *dst, uint32_t src, uint32_t max);

/* Handlers, by family (sys_proc.c, sys_console.c, sys_video.c, sys_check.c). */
int32_t sys_exit(uint32_t status, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_spawn(uint32_t name, uint32_t args, uint32_t, uint32_t, uint32_t);
int32_t sys_wait(uint32_t handle, uint32_t status, uint32_t, uint32_t, uint32_t);
int32_t sys_kill(uint32_t handle, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_getpid(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_sleep(uint32_t ms, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_yield(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_sched_slice(uint32_t ticks, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_sbrk(uint32_t delta, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_clock(uint32_t out, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_programs(uint32_t buf, uint32_t len, uint32_t, uint32_t, uint32_t);
int32_t sys_processes(uint32_t out, uint32_t max, uint32_t, uint32_t, uint32_t);
int32_t sys_cpus(uint32_t out, uint32_t max, uint32_t, uint32_t, uint32_t);
int32_t sys_tlb_probe(uint32_t rounds, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_meminfo(uint32_t out, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_write(uint32_t buf, uint32_t len, uint32_t, uint32_t, uint32_t);
int32_t sys_read(uint32_t buf, uint32_t len, uint32_t, uint32_t, uint32_t);
int32_t sys_video_open(uint32_t name, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_video_control(uint32_t request, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_dd_map_memory(uint32_t data, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_page_query(uint32_t va, uint32_t entry, uint32_t, uint32_t, uint32_t);
int32_t sys_kcheck(uint32_t out, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t sys_fault_inject(uint32_t kind, uint32_t nth, uint32_t last, uint32_t, uint32_t);
int32_t sys_latency(uint32_t out, uint32_t reset, uint32_t, uint32_t, uint32_t);
