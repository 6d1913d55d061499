/*
 * vpfuzz's parts: the parent that runs and judges a fuzz run (main.c), the
 * deterministic random source and the values it draws (rng.c, values.c),
 * the worker and its operation table (worker.c), the operations on system
 * calls (sys.c), device requests (ioctl.c), views (views.c), child
 * processes (children.c) and exhaustion of the process table and of
 * memory (exhaust.c).
 */
#pragma once

#include <vidport.h>

#define FUZZ_PAGE 4096u
#define FUZZ_MAX_MODES 32
#define FUZZ_VIEWS 8
#define FUZZ_KMAPS 4
#define FUZZ_SCRATCH (4 * FUZZ_PAGE)
/* The bank length of bga's banked modes and a multiple of every other's
 * (cirrus's 32 KiB): offsets it divides are bank edges in every mode. */
#define FUZZ_BANK 0x10000u
#define KERNEL_BASE 0xC0000000u

/* Video memory is laid out the same in every mode: worker k of a run of
 * N owns stripe k, FUZZ_STRIPE bytes at k * FUZZ_STRIPE (bank-aligned),
 * and only its oracle writes there; from N * FUZZ_STRIPE on the memory is
 * no one's, and every other write of every worker and child goes there. */
#define STRIPE_BANKS 4
#define FUZZ_STRIPE (STRIPE_BANKS * FUZZ_BANK)
#define OUTPUT_REACH 8192u /* more than any one system call's output */

/* Child exit statuses (besides 0 and VP_STATUS_KILLED). */
#define PROBE_SURVIVED 77 /* a probe's bad access did not kill it */
#define PROBE_NO_VIEW 3   /* a probe could not share (the mode changed under it) */
#define BLOB_WRONG 4      /* code run from a view did not do what it says */

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

/* A view this worker holds: SHARE's or DdMapMemory's address and size,
 * and where in video memory it starts. */
struct held_view {
    uint8_t *base;
    uint32_t size;
    uint32_t offset;
    bool dd; /* made by DdMapMemory: unmapped through it */
};

/* An operation of a weighted table; `name` names it in findings. */
struct op {
    const char *name;
    uint32_t weight;
    void (*run)(void);
};

/* Run an operation of table[0..count) drawn by weight, named in fz.op. */
void run_one_of(const struct op *table, uint32_t count);

struct fuzz {
    struct rng rng;
    HANDLE dev;
    int pid, parent;
    const char *op;    /* the operation running, for findings */
    bool injecting;    /* allocation failure injection is armed */
    bool busy;         /* a busy child: starts no children of its own */
    bool strict;       /* kcheck after every operation */
    uint32_t procs;    /* workers in the run: no one's memory starts at procs stripes */
    int32_t stripe;    /* the stripe this worker's oracle owns; -1 in children */
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
    uint32_t fills, hoards; /* the table filled by a child, frames held by one */
};

extern struct fuzz fz;

/* Count a finding and print it (the first few), naming the operation. */
void finding(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A finding unless `status` is one of the `n` allowed VP_STATUS values. */
void expect_status(const char *what, VP_STATUS status, const VP_STATUS *allowed, uint32_t n);

/* Make the image below image_end and a stack deep enough for any
 * operation present now, so that no page fault of ours allocates later. */
void prefault_self(uint32_t image_end);

/* What a worker or busy child is told on its command line. */
struct worker_args {
    uint32_t seed, ops;
    uint32_t procs; /* workers in the run */
    int32_t stripe; /* the worker's index, -1 for a busy child */
    bool strict, oracle_heavy;
};

/* Run the worker: a->ops operations drawn with a->seed. Returns the exit status. */
int worker_main(const struct worker_args *a);

/* Run the worker's operations that start no children, until killed. */
int busy_main(const struct worker_args *a);

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

/* An offset in [lo, hi) for an access of `width` bytes (hi - lo >= width),
 * one time in `one_in` straddling a bank edge between lo and hi. */
uint32_t edge_offset(uint32_t lo, uint32_t hi, uint32_t width, uint32_t one_in);

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

/* IOCTL_VIDPORT_QUERY_VIEW of the view holding va. */
VP_STATUS query_view(uint32_t va, VIDPORT_VIEW_INFORMATION *info);

/* UNSHARE the view of `process` holding va, with in_len bytes of input. */
VP_STATUS unshare(HANDLE process, uint32_t va, ULONG in_len);

/* Record a view that starts at `offset` in video memory (unsharing an
 * older one when the table is full); size 0: ask the port for it. */
void hold_view(uint8_t *base, uint32_t size, uint32_t offset, bool dd);

/* Record a kernel mapping (unmapping it at once when the table is full). */
void hold_kmap(PVOID base);

/* Drop every held view the port no longer knows (after a request that
 * may have removed one). */
void views_reconcile(void);

/* Whether va lies inside a held view or one of the oracle's. */
bool in_held_view(uint32_t va);

/* --- children.c --- */
void op_probe(void);
void op_share_child(void);
void op_spawn(void);
void op_busy(void);
void op_crowd(void);

/* The child roles: a probe that must be killed (of a run of `procs`
 * workers), a process that waits. */
__attribute__((noreturn)) void probe_main(uint32_t seed, uint32_t procs);
__attribute__((noreturn)) void hold_main(void);

/* --- exhaust.c --- */
void op_orphans(void);
void op_hoard(void);

/* The child roles: a process whose children fill the table, one that
 * holds nearly every free frame; both then wait to be killed. */
__attribute__((noreturn)) void fill_main(void);
__attribute__((noreturn)) void hoard_main(void);

/* --- oracle.c, oracle_sys.c, blob.c: the data oracle --- */

/* Where memory no oracle owns starts: past the run's stripes. */
uint32_t no_ones_memory(void);

/* The first byte of v that operations other than the oracle's may write
 * (v->size when none). */
uint32_t writable_from(const struct held_view *v);

/* Whether the kernel may write len bytes at va for an operation other
 * than the oracle's: no oracle view there, and of the worker's views only
 * memory no oracle owns. */
bool output_safe(uint32_t va, uint32_t len);

/* Whether va lies in one of the oracle's views. */
bool in_oracle_view(uint32_t va);

/* Take the model's memory (before the scratch, so that no output that
 * runs off the scratch's end can reach it). False when there is none. */
bool oracle_setup(void);

/* One operation of the oracle (nothing in a child, or while the mode is
 * too small for the run's stripes). */
void op_oracle(void);

/* The oracle's figures for the worker's last line: "oracle verified V
 * resets R skipped S outputs O blobs B" (whole-stripe verifications that
 * passed, fresh starts, starts the mode was too small for, kernel outputs
 * judged and modelled, code runs from a view modelled). */
void oracle_figures(char *buf, size_t len);

/* The child that runs code from a view of stripe `stripe` (blob.c). */
__attribute__((noreturn)) void blob_main(uint32_t seed, uint32_t stripe);
