/*
 * Non-local return inside the kernel (kernel/ksetjmp.asm). Used by the test
 * runner to get back from a test that crashed.
 */
#pragma once

#include <stdint.h>

struct kjmp {
    uint32_t ebx, esi, edi, ebp, esp, eip;
};

/* Save the caller's context; returns 0 now and `value` when jumped to. */
int ksetjmp(struct kjmp *ctx) __attribute__((returns_twice));

/* Resume at the ksetjmp that filled ctx, making it return value (0 → 1). */
__attribute__((noreturn)) void klongjmp(const struct kjmp *ctx, int value);
