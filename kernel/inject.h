/*
 * Allocation failure injection, for tests (the `faultinject` kernel
 * option and SYS_FAULT_INJECT): a process arms it, and the nth frame or
 * heap allocation made while it runs fails, so that every failure path of
 * what it asks the kernel to do can be driven one allocation at a time.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "abi/vidport_abi.h"

/* Asked by the allocators before each allocation of `kind`: true when this
 * one must fail. */
bool inject_alloc_fails(enum vp_inject_kind kind);

/* SYS_FAULT_INJECT's work for the current process: disarm, report the
 * previous arming into *last, arm `kind` for the nth allocation. 0, or
 * -VP_EINVAL for a kind it does not know or nth 0. */
int inject_arm(uint32_t kind, uint32_t nth, struct vp_inject_report *last);
