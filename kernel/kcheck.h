/*
 * The kernel's consistency check (SYS_KCHECK, the shell's `kcheck`, the
 * tests): every present user page of every process must be explained by
 * one of its regions, every region must belong to its space, and the
 * counts the leak checks read must match what the walk finds. Subsystems
 * with records of their own (the video port) check them through it too.
 * Every finding is printed on the console as one "kcheck: ..." line.
 */
#pragma once

#include "abi/vidport_abi.h"
#include "kernel.h"

struct proc;
struct vmspace;

struct kcheck {
    struct vp_kcheck report;
    struct proc *const *procs; /* the processes checked */
    uint32_t proc_count;
};

/* Check the processes of the process table (those with an address space)
 * and every subsystem's records; the findings count, and *out the report. */
uint32_t kcheck_run(struct vp_kcheck *out);

/* The same over an explicit set of processes (the in-kernel tests' own,
 * which are not in the process table). */
uint32_t kcheck_processes(struct proc *const *procs, uint32_t count, struct vp_kcheck *out);

/* Record one finding and print it. */
void kcheck_finding(struct kcheck *k, const char *fmt, ...) PRINTF_LIKE(2, 3);

/* The checked process whose address space is vm, or NULL (a space no
 * checked process owns). */
struct proc *kcheck_owner(const struct kcheck *k, const struct vmspace *vm);
