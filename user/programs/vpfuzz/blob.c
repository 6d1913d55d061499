/*
 * Code run from a view of the stripe (F17, F24). A child shares the
 * stripe, writes a dword and a small piece of machine code into it and
 * calls the code: a movsd, or a push onto a stack in the stripe, that
 * moves the dword. The code, the dword it reads and the one it writes
 * each straddle a bank edge of their own, so that with one window the
 * instruction needs four banks at once and the kernel must bounce three.
 * It runs in a child because a mode change in the middle would leave the
 * code's pages showing scratch, and running that would kill the process.
 * The worker draws the seed, plans the same, and when the child says the
 * dword arrived and no mode change came between, models what it wrote.
 */
#include "oracle.h"

#define DEADLINE_MS 5000
#define DEADLINE_TEXT "5000 ms"
#define POLL_MS 2

/* ds: movsd; ret */
static const uint8_t movsd_ret[] = { 0x3E, 0xA5, 0xC3 };
/* xchg esp, ebx; push dword [eax]; xchg esp, ebx; ret */
static const uint8_t push_ret[] = { 0x87, 0xDC, 0xFF, 0x30, 0x87, 0xDC, 0xC3 };

struct blob_plan {
    bool push;
    const uint8_t *code;
    uint32_t code_len;
    uint32_t at, src, dst; /* stripe offsets: the code, the dword read and the one written */
    uint32_t value;
};

/* The plan of `seed`: code, source and destination each across another
 * of the stripe's three inner bank edges. */
static void plan_blob(uint32_t seed, struct blob_plan *p)
{
    struct rng r;
    uint32_t edges[STRIPE_BANKS - 1];
    rng_seed(&r, seed);
    for (uint32_t i = 0; i < STRIPE_BANKS - 1; i++)
        edges[i] = (i + 1) * FUZZ_BANK;
    for (uint32_t i = STRIPE_BANKS - 2; i > 0; i--) { /* Fisher-Yates */
        uint32_t j = rng_below(&r, i + 1), e = edges[i];
        edges[i] = edges[j];
        edges[j] = e;
    }
    p->push = rng_below(&r, 2);
    p->code = p->push ? push_ret : movsd_ret;
    p->code_len = p->push ? sizeof(push_ret) : sizeof(movsd_ret);
    p->at = edges[0] - 1 - rng_below(&r, p->code_len - 1);
    p->src = edges[1] - 1 - rng_below(&r, 3);
    p->dst = edges[2] - 1 - rng_below(&r, 3);
    p->value = rng_next(&r);
}

/* Call the code at `code` with eax = src (the push's operand), ebx = *sp
 * (the push's stack; *sp gets ebx back), esi = src and edi = dst (the
 * movsd's). */
static void call_code(volatile uint8_t *code, volatile uint8_t *src, uint32_t *sp,
                      volatile uint8_t *dst)
{
    volatile uint8_t *operand = src;
    __asm__ volatile("call *%%ecx"
                     : "+a"(operand), "+b"(*sp), "+S"(src), "+D"(dst)
                     : "c"(code)
                     : "memory", "cc");
}

void blob_main(uint32_t seed, uint32_t stripe)
{
    struct blob_plan p;
    VIDEO_SHARE_MEMORY in = { NtCurrentProcess(), stripe * FUZZ_STRIPE, FUZZ_STRIPE, NULL };
    VIDEO_SHARE_MEMORY_INFORMATION info;
    plan_blob(seed, &p);
    HANDLE dev = video_open("Video0");
    if (!dev || video_control(dev, IOCTL_VIDEO_SHARE_VIDEO_MEMORY, &in, sizeof(in), &info,
                              sizeof(info), NULL) != NO_ERROR)
        exit(PROBE_NO_VIEW);
    volatile uint8_t *view = info.VirtualAddress;
    *(volatile unaligned_u32 *)(view + p.src) = p.value;
    for (uint32_t i = 0; i < p.code_len; i++)
        view[p.at + i] = p.code[i];
    uint32_t sp = (uint32_t)(view + p.dst + 4);
    call_code(view + p.at, view + p.src, &sp, view + p.dst);
    bool moved = *(volatile unaligned_u32 *)(view + p.dst) == p.value;
    exit(moved && (!p.push || sp == (uint32_t)(view + p.dst)) ? 0 : BLOB_WRONG);
}

/* Wait for child until it ends or `ms` pass (then kill it: it faulted
 * forever). Its status, or -2 when it had to be killed. */
static int end_within(HANDLE child, uint32_t ms)
{
    struct vp_process_info info;
    uint32_t waited = 0;
    while (process_info(handle_pid(child), &info) && info.state != VP_PROC_ZOMBIE &&
           waited < ms) {
        sleep_ms(POLL_MS);
        waited += POLL_MS;
    }
    bool ended = waited < ms;
    if (!ended)
        kill(child);
    int status = -1;
    if (wait(child, &status) != 0)
        finding("wait for blob child %d failed", handle_pid(child));
    return ended ? status : -2;
}

/* What a blob child's status other than 0 says. */
static const char *blob_outcome(int status)
{
    switch (status) {
    case -2: return "still running after " DEADLINE_TEXT ", killed";
    case VP_STATUS_KILLED: return "killed";
    case BLOB_WRONG: return "the dword did not arrive";
    case PROBE_NO_VIEW: return "it could not share the stripe";
    default: return "it failed";
    }
}

void oracle_blob(void)
{
    char args[40];
    struct blob_plan p;
    uint32_t seed = rng_next(&fz.rng);
    snprintf(args, sizeof(args), "blob %u %d", seed, fz.stripe);
    HANDLE child = spawn("vpfuzz", args);
    if (!child)
        return; /* the process table is full for a moment */
    int status = end_within(child, DEADLINE_MS);
    if (!oracle_current())
        return; /* a mode change: whatever the child did is not judged */
    plan_blob(seed, &p);
    if (status != 0) {
        finding("blob child %d (%s: %s at +0x%x, +0x%x to +0x%x): %s (status 0x%x)",
                handle_pid(child), args, p.push ? "push" : "movsd", p.at, p.src, p.dst,
                blob_outcome(status), (unsigned)status);
        oracle_drop(); /* what the child wrote is unknown */
        return;
    }
    memcpy(orc.model + p.at, p.code, p.code_len);
    memcpy(orc.model + p.src, &p.value, 4);
    memcpy(orc.model + p.dst, &p.value, 4);
    orc.blobs++;
}
