/*
 * Random system calls: every number, with arguments from values.c. A few
 * calls are shaped so that the worker survives them: no SYS_EXIT, no
 * SYS_READ (it waits for a console line), short sleeps only, a break that
 * never goes below the scratch buffer, and SYS_KILL or SYS_WAIT only on
 * handles that cannot be the parent's or a sibling's. Each call checks
 * what the kernel must answer for the arguments it got.
 */
#include "vpfuzz.h"

#define SLEEP_MAX_MS 3
#define HEAP_MAX (512u * 1024 * 1024) /* keeps the view area free */
#define USER_END 0xC0000000u

static const char long_name[] = "a-program-name-longer-than-the-kernel-takes";
static const char long_args[] =
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

static uint32_t pick(uint32_t n)
{
    return rng_below(&fz.rng, n);
}

static int32_t call(uint32_t nr, uint32_t a, uint32_t b, uint32_t c)
{
    return vp_syscall(nr, a, b, c, fuzz_word(), fuzz_word());
}

static void expect_error(const char *what, int32_t r, int32_t error)
{
    if (r != -error)
        finding("%s: returned %d, expected %d", what, (int)r, -error);
}

static void expect_failure(const char *what, int32_t r)
{
    if (r >= 0)
        finding("%s: returned %d, expected an error", what, (int)r);
}

/* A call whose one pointer is an output of `len` bytes, refused exactly
 * when the pointer is bad or read-only, or straddles into the gap. */
static void output_call(uint32_t nr, uint32_t len, const char *what)
{
    enum pointer_kind kind;
    uint32_t out = fuzz_pointer(PTR_OUT, &kind);
    int32_t r = call(nr, out, fuzz_word(), 0);
    bool refused = r == -VP_EFAULT;
    bool fits = kind == PK_SCRATCH && out + len <= (uint32_t)fz.scratch + FUZZ_SCRATCH;
    if ((pointer_is_bad(kind) || kind == PK_CODE) && !refused)
        finding("%s into %s pointer 0x%x: returned %d", what, kind == PK_CODE ? "code" : "bad",
                out, (int)r);
    if (fits && refused)
        finding("%s into scratch 0x%x: refused", what, out);
}

/* The string argument of SPAWN: a name from the list (*listed), or a
 * pointer that names no program (or one that must be refused);
 * *must_fail when no program can start from it. */
static uint32_t spawn_name(bool *must_fail, bool *listed)
{
    static const char *const names[] = { "hello", "nosuch", "", "Video0" };
    enum pointer_kind kind;
    uint32_t i = pick(6);
    *listed = i < 4;
    *must_fail = i != 0;
    if (i < 4)
        return (uint32_t)names[i];
    if (i == 4)
        return (uint32_t)long_name;
    /* Never the scratch buffer: SYS_PROGRAMS writes real names there. */
    kind = refusing_kind();
    *must_fail = pointer_is_bad(kind);
    return pointer_of_kind(kind, PTR_IN);
}

/* SPAWN with odd names and arguments. A hello child is reaped, or killed
 * first; anything else that started (a name found in noise) is killed. */
static void sys_spawn(void)
{
    int status = 0;
    bool must_fail, listed;
    uint32_t name = spawn_name(&must_fail, &listed);
    /* Only arguments that print cleanly, or none at all: hello echoes them. */
    static const enum pointer_kind bad[] = { PK_NULL, PK_KERNEL, PK_LOW, PK_GAP };
    enum pointer_kind kind = bad[pick(4)];
    uint32_t choice = pick(4);
    uint32_t args = choice == 0 ? pointer_of_kind(kind, PTR_IN)
                  : choice == 1 ? (uint32_t)long_args : (uint32_t)"x y";
    bool bad_args = choice == 1 || (choice == 0 && kind != PK_NULL);
    int32_t r = vp_syscall(SYS_SPAWN, name, args, 0, 0, 0);
    if (must_fail || (listed && bad_args))
        expect_failure("spawn", r);
    if (r <= 0)
        return;
    HANDLE child = (HANDLE)(intptr_t)r;
    bool hello = listed && strcmp((const char *)name, "hello") == 0;
    if (!hello || pick(2))
        kill(child);
    if (wait(child, &status) != 0 || (status != 0 && status != VP_STATUS_KILLED))
        finding("spawned pid %d: wait failed or status 0x%x", (int)r, (unsigned)status);
}

/* WAIT on a process that is not our child (we have none now): refused. */
static void sys_wait(void)
{
    uint32_t handles[] = { foreign_handle(), (uint32_t)fz.parent, (uint32_t)fz.pid,
                           (uint32_t)(fz.pid + 1 + pick(8)), 0xFFFFFFFFu };
    expect_failure("wait", call(SYS_WAIT, handles[pick(5)], fuzz_pointer(PTR_OUT, NULL), 0));
}

/* SBRK within the rules of vpfuzz.h: grow, shrink back to the floor, or
 * ask for what must be refused (below the heap's start, past user space). */
static void sys_sbrk(void)
{
    uint32_t brk = (uint32_t)sbrk(0), heap_start = fz.image_end + FUZZ_PAGE;
    switch (pick(4)) {
    case 0: {
        if (brk - heap_start >= HEAP_MAX)
            return;
        int32_t r = vp_syscall(SYS_SBRK, pick(HEAP_MAX - (brk - heap_start)), 0, 0, 0, 0);
        if (r != (int32_t)brk && !(fz.injecting && r == -VP_ENOMEM))
            finding("sbrk growing from 0x%x returned %d", brk, (int)r);
        return;
    }
    case 1:
        if (vp_syscall(SYS_SBRK, (uint32_t)-(int32_t)pick(brk - fz.heap_floor + 1), 0, 0, 0, 0) !=
            (int32_t)brk)
            finding("sbrk shrink to no less than the scratch buffer failed");
        return;
    case 2:
        expect_error("sbrk below the heap", vp_syscall(SYS_SBRK, heap_start - brk - 1 - pick(4096),
                                                       0, 0, 0, 0), VP_ENOMEM);
        return;
    default:
        expect_error("sbrk past user space", vp_syscall(SYS_SBRK, USER_END - brk + 1 + pick(4096),
                                                        0, 0, 0, 0), VP_ENOMEM);
    }
}

/* WRITE: bad buffers fail whatever their length; a good one writes nothing
 * (length 0), so that the console stays readable. */
static void sys_write(void)
{
    enum pointer_kind kind;
    uint32_t buf = fuzz_pointer(PTR_IN, &kind);
    if (pointer_is_bad(kind)) {
        expect_error("write", vp_syscall(SYS_WRITE, buf, 1 + pick(4096), 0, 0, 0), VP_EFAULT);
    } else if (kind == PK_IMAGE_END) {
        expect_error("write into the gap", vp_syscall(SYS_WRITE, buf, 4096, 0, 0, 0), VP_EFAULT);
    } else {
        expect_error("write of nothing", vp_syscall(SYS_WRITE, buf, 0, 0, 0, 0), 0);
    }
}

static void sys_video_open(void)
{
    static const char *const names[] = { "Video0", "Video1", "Video9", "", "video0",
                                         "Video0-and-then-some" };
    enum pointer_kind kind;
    uint32_t i = pick(7);
    uint32_t name = i < 6 ? (uint32_t)names[i] : fuzz_pointer(PTR_IN, &kind);
    int32_t r = vp_syscall(SYS_VIDEO_OPEN, name, 0, 0, 0, 0);
    if (i == 0 && r != (int32_t)fz.dev)
        finding("video_open(Video0) returned 0x%x", (unsigned)r);
    else if (i > 0 && i < 6)
        expect_error("video_open of another name", r, VP_ENOENT);
    else if (i == 6 && pointer_is_bad(kind))
        expect_error("video_open of a bad pointer", r, VP_EFAULT);
}

static void sys_sched_slice(void)
{
    uint32_t ticks = pick(2) ? pick(SCHED_SLICE_MAX + 2) : fuzz_word();
    int32_t r = vp_syscall(SYS_SCHED_SLICE, ticks, 0, 0, 0, 0);
    bool valid = ticks >= SCHED_SLICE_MIN && ticks <= SCHED_SLICE_MAX;
    if (valid ? (r < SCHED_SLICE_MIN || r > SCHED_SLICE_MAX) : r != -VP_EINVAL)
        finding("sched_slice(%u) returned %d", ticks, (int)r);
}

/* KCHECK from the middle of the run: the kernel must be consistent at
 * every system call, whatever the other workers are doing. */
static void sys_kcheck(void)
{
    enum pointer_kind kind;
    uint32_t out = pick(2) ? 0 : fuzz_pointer(PTR_OUT, &kind);
    int32_t r = vp_syscall(SYS_KCHECK, out, 0, 0, 0, 0);
    if (r > 0)
        finding("kcheck in the middle of the run: %d findings", (int)r);
    else if (out && (pointer_is_bad(kind) || kind == PK_CODE))
        expect_error("kcheck into a bad pointer", r, VP_EFAULT);
}

/* FAULT_INJECT with odd arguments, disarmed straight after. */
static void sys_fault_inject(void)
{
    if (fz.injecting)
        return;
    int32_t r = call(SYS_FAULT_INJECT, pick(5), pick(3) ? pick(4) : fuzz_word(),
                     fuzz_pointer(PTR_OUT, NULL));
    fault_inject(VP_INJECT_OFF, 0, NULL);
    if (r != 0 && r != -VP_ENOSYS && r != -VP_EINVAL && r != -VP_EFAULT)
        finding("fault_inject returned %d", (int)r);
}

/* Calls that take no pointer the worker's state depends on. */
static void sys_simple(void)
{
    switch (pick(7)) {
    case 0: expect_error("unknown call", call(pick(2) ? 0 : SYS_COUNT + pick(64), fuzz_word(),
                                              fuzz_word(), fuzz_word()), VP_ENOSYS); return;
    case 1: expect_error("unknown call", call(0x80000000u | rng_next(&fz.rng), 0, 0, 0),
                         VP_ENOSYS); return;
    case 2: if (call(SYS_GETPID, fuzz_word(), 0, 0) != fz.pid) finding("getpid lies"); return;
    case 3: expect_error("sleep", call(SYS_SLEEP, pick(SLEEP_MAX_MS), 0, 0), 0); return;
    case 4: expect_error("yield", call(SYS_YIELD, fuzz_word(), 0, 0), 0); return;
    case 5: expect_error("latency reset by a worker", call(SYS_LATENCY, fuzz_pointer(PTR_OUT, NULL),
                                                           1 + pick(4), 0), VP_EPERM); return;
    default: expect_error("kill of a foreign handle", call(SYS_KILL, foreign_handle(), 0, 0),
                          VP_ESRCH);
    }
}

void op_syscall(void)
{
    switch (pick(16)) {
    case 0: sys_spawn(); return;
    case 1: sys_wait(); return;
    case 2: sys_sbrk(); return;
    case 3: sys_write(); return;
    case 4: output_call(SYS_CLOCK, sizeof(struct vp_clock), "clock"); return;
    case 5: output_call(SYS_MEMINFO, sizeof(struct vp_meminfo), "meminfo"); return;
    case 6: expect_failure("programs into a bad buffer",
                           pick(2) ? call(SYS_PROGRAMS, pointer_of_kind(PK_KERNEL, PTR_OUT),
                                          fuzz_length(), 0)
                                   : call(SYS_PROGRAMS, pointer_of_kind(PK_CODE, PTR_OUT),
                                          fuzz_length(), 0));
        return;
    case 7: call(SYS_PROGRAMS, fuzz_pointer(PTR_OUT, NULL), fuzz_length(), 0); return;
    case 8: call(SYS_PROCESSES, fuzz_pointer(PTR_OUT, NULL), pick(80), 0); return;
    case 9: sys_video_open(); return;
    case 10: call(SYS_PAGE_QUERY, fuzz_word(), fuzz_pointer(PTR_OUT, NULL), 0); return;
    case 11: sys_sched_slice(); return;
    case 12: if (pick(8) == 0) sys_kcheck(); else sys_simple(); return;
    case 13: sys_fault_inject(); return;
    case 14: op_raw_dd(); return;
    default: sys_simple();
    }
}
