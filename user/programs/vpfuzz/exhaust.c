/*
 * Exhaustion: a child whose descendants fill the process table is killed
 * under them, and a child that holds nearly every free frame is killed
 * after the worker started a program beside it. Whatever was full or
 * taken, the kernel must answer with errors, and everything must come
 * back when the holder ends (the run's leak check counts it).
 */
#include "vpfuzz.h"

#include <vputil.h>

#define FILL_WAIT_MS 2000  /* the most a filler may take to fill the table */
#define HOARD_RESERVE 2048 /* frames a hoarder leaves free: 8 MiB for the others */
#define HOARD_STEP (1u << 20)

static struct vp_process_info listed[PROCESS_LIST_MAX];

/* Processes whose parent is pid, by the process list. */
static uint32_t children_of(int pid)
{
    int n = process_list(listed, PROCESS_LIST_MAX);
    uint32_t found = 0;
    for (int i = 0; i < n; i++)
        found += listed[i].parent == pid;
    return found;
}

/* User pages process pid has mapped. */
static uint32_t pages_of(int pid)
{
    struct vp_process_info info;
    return process_info(pid, &info) ? info.pages : 0;
}

/* Wait until measure(pid) is above 0 and has not changed for 50 ms (the
 * table is full, or memory ran out), or FILL_WAIT_MS passed. */
static void wait_until_settled(uint32_t (*measure)(int pid), int pid)
{
    uint32_t last = 0, still = 0;
    for (uint32_t ms = 0; ms < FILL_WAIT_MS && still < 5; ms += 10) {
        sleep_ms(10);
        uint32_t now = measure(pid);
        still = now && now == last ? still + 1 : 0;
        last = now;
    }
}

/* The filler role: hold children until the kernel refuses one, then wait
 * to be killed with them all. */
void fill_main(void)
{
    while (spawn("vpfuzz", "hold"))
        ;
    hold_main();
}

/* Start vpfuzz in `role` and wait until measure(its pid) settles; its
 * pid, or 0 if it could not start. */
static int start_holder(const char *role, uint32_t (*measure)(int pid), HANDLE *holder)
{
    *holder = spawn("vpfuzz", role);
    if (!*holder)
        return 0;
    int pid = handle_pid(*holder);
    wait_until_settled(measure, pid);
    return pid;
}

/* Kill a holder started by start_holder and reap it: it must end killed. */
static void end_holder(HANDLE holder, int pid, const char *role)
{
    int status = -1;
    if (kill(holder) != 0 || wait(holder, &status) != 0 || status != VP_STATUS_KILLED)
        finding("%s %d: kill and wait gave status 0x%x", role, pid, (unsigned)status);
}

/* Kill a filler with the table full of its children: they must end with
 * it, none left behind when its wait returns. */
void op_orphans(void)
{
    HANDLE filler;
    int pid = start_holder("fill", children_of, &filler);
    if (!pid)
        return;
    fz.fills++;
    end_holder(filler, pid, "fill");
    uint32_t left = children_of(pid);
    if (left)
        finding("fill %d: %u of its children outlived it", pid, left);
}

static uint32_t free_frames(void)
{
    struct vp_meminfo m;
    return meminfo(&m) == 0 ? m.free_frames : 0;
}

/* The hoarder role: grow the heap a step at a time and touch every page,
 * until HOARD_RESERVE frames are left or the heap cannot grow; then wait
 * to be killed. */
void hoard_main(void)
{
    while (free_frames() > HOARD_RESERVE + HOARD_STEP / FUZZ_PAGE) {
        volatile uint8_t *p = sbrk(HOARD_STEP);
        if (p == (void *)-1)
            break;
        for (uint32_t off = 0; off < HOARD_STEP; off += FUZZ_PAGE)
            p[off] = 1;
    }
    hold_main();
}

/* While a hoarder holds nearly every frame, a program may still start or
 * be refused for want of memory, and may be killed for it, but nothing
 * else; then the hoarder is killed, and its frames come back with it. */
void op_hoard(void)
{
    HANDLE hoarder;
    int status = -1, pid = start_holder("hoard", pages_of, &hoarder);
    if (!pid)
        return;
    fz.hoards++;
    HANDLE child = spawn("hello", "in a machine short of memory");
    if (!child && vp_errno != VP_ENOMEM && vp_errno != VP_EAGAIN)
        finding("hoard %d: a spawn beside it gave error %d", pid, vp_errno);
    if (child && (wait(child, &status) != 0 || (status != 0 && status != VP_STATUS_KILLED)))
        finding("hoard %d: hello beside it: wait gave status 0x%x", pid, (unsigned)status);
    end_holder(hoarder, pid, "hoard");
}
