/*
 * vpfuzz's parts: the parent that runs and judges a fuzz run (main.c), the
 * deterministic random source and the values it draws (rng.c, values.c),
 * the worker and its operation table (worker.c), the operations on system
 * calls (sys.c), device requests (ioctl.c), views (views.c) and child
 * processes (children.c).
 */
#pragma once

#include <vidport.h>

#define FUZZ_PAGE 4096u
#define FUZZ_MAX_MODES 32
#define FUZZ_VIEWS 8
#define FUZZ_KMAPS 4
#define FUZZ_SCRATCH (4 * FUZZ_PAGE)

/* Child exit statuses (besides 0 and VP_STATUS_KILLED). */
#define PROBE_SURVIVED 77 /* a probe's bad access did not kill it */
#define PROBE_NO_VIEW 3   /* a probe could not share (the mode changed under it) */

/* --- rng.c: xorshift32, the only source of randomness --- */

struct rng {
    uint32_t state; /* never 0 */
};

void rng_seed(struct rng *r, uint32_t seed);
uint32_t rng_next(struct rng *r);

/* A value in [0, n); n must not be 0. */
uint32_t rng_below(struct rng *r, uint32_t n);

/* True one time in n. */
bool rng_one_in(struct rng *r, uint32_t n);

/* A non-zero seed for child `index` of a run seeded with `seed`. */
uint32_t derive_seed(uint32_t seed, uint32_t index);

/* --- worker.c: the worker's state and its findings --- */

/* A view this worker holds: SHARE's or DdMapMemory's address and size. */
struct held_view {
    uint8_t *base;
    uint32_t size;
    bool dd; /* made by DdMapMemory: unmapped through it */
};

struct fuzz {
    struct rng rng;
    HANDLE dev;
    int pid, parent;
    const char *op;    /* the operation running, for findings */
    bool injecting;    /* allocation failure injection is armed */
    bool busy;         /* a busy child: starts no children of its own */
    VIDEO_MODE_INFORMATION modes[FUZZ_MAX_MODES];
    uint32_t mode_count;
    struct held_view views[FUZZ_VIEWS];
    uint32_t view_count;
    PVOID kmaps[FUZZ_KMAPS]; /* kernel mappings from MAP_VIDEO_MEMORY */
    uint32_t kmap_count;
    uint8_t *scratch;   /* FUZZ_SCRATCH bytes of heap: the only buffer the kernel may fill */
    uint32_t image_end; /* the unmapped page between the image and the heap starts here */
    uint32_t heap_floor; /* the break never goes below this (the scratch's end) */
    uint32_t findings, probes, probes_skipped, mode_sets, injections;
};

extern struct fuzz fz;

/* Count a finding and print it (the first few), naming the operation. */
void finding(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A finding unless `status` is one of the `n` allowed VP_STATUS values. */
void expect_status(const char *what, VP_STATUS status, const VP_STATUS *allowed, uint32_t n);

/* Make the image below image_end and a stack deep enough for any
 * operation present now, so that no page fault of ours allocates later. */
void prefault_self(uint32_t image_end);

/* Run the worker: OPS operations drawn with `seed`. Returns the exit status. */
int worker_main(uint32_t seed, uint32_t ops);

/* Run the worker's operations that start no children, until killed. */
int busy_main(uint32_t seed);

/* --- values.c: the arguments operations pass --- */

enum pointer_use {
    PTR_IN,  /* the kernel only reads through it */
    PTR_OUT, /* the kernel may write through it */
};

enum pointer_kind {
    PK_NULL,
    PK_KERNEL,    /* at or above 0xC0000000 */
    PK_LOW,       /* unmapped, below the program */
    PK_GAP,       /* the unmapped page between the image and the heap */
    PK_CODE,      /* the program's code: readable, never writable */
    PK_SCRATCH,   /* anywhere in the scratch buffer, often misaligned */
    PK_HEAP_END,  /* straddling the heap's end into what follows */
    PK_IMAGE_END, /* the image's last bytes straddling into the gap (PTR_IN only) */
    PK_VIEW,      /* inside a held view, or straddling its end */
    PK_KINDS
};

/* A pointer of a random kind fit for `use`; *kind (if not NULL) gets it. */
uint32_t fuzz_pointer(enum pointer_use use, enum pointer_kind *kind);

/* A pointer of the given kind (for `use`). */
uint32_t pointer_of_kind(enum pointer_kind kind, enum pointer_use use);

/* True for kinds the kernel must refuse to read (and so to write). */
bool pointer_is_bad(enum pointer_kind kind);

/* True for kinds the kernel must refuse to write: bad ones and code. */
bool refuses_writes(enum pointer_kind kind);

/* A kind the kernel must refuse to write through, drawn at random. */
enum pointer_kind refusing_kind(void);

/* A length: 0, small, a structure's size or one off, page-sized, huge. */
uint32_t fuzz_length(void);

/* Any 32-bit value: small numbers, edges, pointers, noise. */
uint32_t fuzz_word(void);

/* A handle that names no process of ours and can never be the parent's
 * or a sibling's pid, for calls that act on what they name. */
uint32_t foreign_handle(void);

/* A process handle for SHARE and UNSHARE: usually the caller, else one
 * that must be refused (the parent, itself by pid, nonsense). *valid says
 * which. */
HANDLE share_handle(bool *valid);

/* Fill len bytes of scratch at off with noise or copies of held values. */
void scribble(uint32_t off, uint32_t len);

/* --- sys.c --- */
void op_syscall(void);

/* --- ioctl.c --- */
void op_ioctl(void);
void op_raw_control(void);
void op_raw_dd(void);

/* --- views.c --- */
void op_share(void);
void op_unshare(void);
void op_query(void);
void op_map(void);
void op_dd(void);
void op_mode(void);
void op_touch(void);
void op_copy(void);

/* The current mode; false if it cannot be read. */
bool current_mode(VIDEO_MODE_INFORMATION *mode);

/* Record a view (unsharing an older one when the table is full); size 0:
 * ask the port for it. */
void hold_view(uint8_t *base, uint32_t size, bool dd);

/* Record a kernel mapping (unmapping it at once when the table is full). */
void hold_kmap(PVOID base);

/* Drop every held view the port no longer knows (after a request that
 * may have removed one). */
void views_reconcile(void);

/* Whether va lies inside a held view. */
bool in_held_view(uint32_t va);

/* --- children.c --- */
void op_probe(void);
void op_share_child(void);
void op_spawn(void);
void op_busy(void);
void op_crowd(void);

/* The child roles: a probe that must be killed, a process that waits. */
__attribute__((noreturn)) void probe_main(uint32_t seed);
__attribute__((noreturn)) void hold_main(void);
