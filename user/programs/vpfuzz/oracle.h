/*
 * The data oracle's own parts, shared by oracle.c (its views, its model,
 * its stores and the verification), oracle_sys.c (system calls and
 * requests whose outputs land in the stripe) and blob.c (code run from a
 * view of the stripe, in a child).
 */
#pragma once

#include "vpfuzz.h"

#include <vputil.h>

#define POISON 0xEE /* what an output's bytes hold before the kernel writes them */

/* A dword at any address (i686 allows unaligned ones, across bank edges too). */
typedef uint32_t __attribute__((aligned(1), may_alias)) unaligned_u32;

struct oracle {
    uint8_t *model;          /* FUZZ_STRIPE bytes: what the stripe must hold */
    volatile uint8_t *w;     /* the stripe through the view the oracle writes through */
    volatile uint8_t *r;     /* the stripe through its second view, the one it reads */
    volatile uint8_t *w_view; /* the writing view: it may start below the stripe */
    uint32_t w_size;
    /* A writing view a mode change revoked, kept until the oracle has a
     * fresh stripe to check stores through it against (F21'). */
    volatile uint8_t *stale, *stale_view;
    uint32_t stale_size;
    uint32_t generation;     /* the display generation both views were made in */
    bool live;               /* both views are live in it and the model stands */
    uint32_t verified, resets, skipped, outputs, blobs; /* the worker's last line says these */
};

extern struct oracle orc;

/* The stripe's offset in video memory. */
uint32_t stripe_offset(void);

/* An offset in the stripe for len bytes (at most FUZZ_STRIPE), half the
 * time across a bank edge. */
uint32_t stripe_spot(uint32_t len);

/* The user address of stripe offset `at` through the writing view. */
uint32_t stripe_va(uint32_t at);

/* Whether both views are still live in the model's generation. When not
 * (a mode change revoked them), the model and the views are dropped and
 * nothing that happened since may be judged. */
bool oracle_current(void);

/* Give up the model and unshare the views (each must go). */
void oracle_drop(void);

/* Write len bytes at stripe offset `at` through the writing view, and
 * into the model. */
void stripe_write(uint32_t at, const void *bytes, uint32_t len);

/* Read len bytes at stripe offset `at` through the writing view. */
void stripe_read(uint32_t at, void *out, uint32_t len);

/* An operation that makes the kernel write into the stripe (oracle_sys.c). */
void oracle_syscall(void);

/* An operation that runs code from a view of the stripe (blob.c). */
void oracle_blob(void);
