/*
 * TLB shootdowns: when a translation that other CPUs may have cached goes
 * away or changes, every CPU that may hold it drops it before the change
 * is taken as done. The initiator holds the big kernel lock, so there is
 * one request at a time, in one mailbox; the others answer it from an
 * interrupt (TRAP_TLB_SHOOTDOWN) or, waiting for the lock with interrupts
 * off, from their spin loop (smp_spin_service), so nobody deadlocks.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* The address space with root (CR3 value) `root` changed [va, va + pages
 * pages): drop that range from every CPU whose loaded space it is, this
 * one's included, and return when all have. root 0: the kernel half,
 * which every space shares (every CPU). pages 0: the whole space. Call
 * with the big kernel lock held. */
void tlb_shootdown(uint32_t root, uint32_t va, uint32_t pages);

/* The other CPUs whose loaded space is root's (all of them for root 0),
 * as a bit per CPU index. */
uint32_t tlb_cpus_holding(uint32_t root);

/* This CPU's part of a pending request, if there is one for it. */
void tlb_service(void);

/* What shootdowns have cost since boot (for tests and benchmarks). */
struct tlb_counts {
    uint32_t requests;  /* that interrupted at least one other CPU */
    uint32_t ipis;      /* interrupts sent */
    uint32_t resends;   /* sent again to a CPU slow to answer (one may be lost) */
    uint32_t local;     /* that no other CPU needed */
};
struct tlb_counts tlb_counts(void);

/* A test hook: while set, requests skip the other CPUs (they keep stale
 * entries), so that a test can show it sees the difference. */
void tlb_set_skip_others(bool skip);
