/*
 * The user-level test framework (see <usertest.h>).
 */
#include <usertest.h>
#include <vputil.h>

#define PAGE 4096u
#define STACK_PREFAULT (16u * 1024) /* deeper than any test's calls go */

int usertest_failures;
static const char *skip_reason; /* the test now running skipped itself: why */

extern const uint8_t __image_start[], __image_end[]; /* user/user.ld */

/* Touch the top STACK_PREFAULT bytes of the stack below our frame. */
__attribute__((noinline)) static void prefault_stack(void)
{
    uint8_t pad[STACK_PREFAULT];
    volatile uint8_t *p = pad;
    for (uint32_t i = 0; i < STACK_PREFAULT; i += PAGE)
        p[i] = 0;
}

/* A leak check compares free frames, and a page of code, data or stack a
 * test touches for the first time after its baseline would look like a
 * leak, depending only on where the linker put things. */
void usertest_prefault_program(void)
{
    for (uintptr_t a = (uintptr_t)__image_start; a < (uintptr_t)__image_end; a += PAGE)
        (void)*(const volatile uint8_t *)a;
    prefault_stack();
}

int usertest_main(const char *program, const struct usertest *tests, size_t count)
{
    int failed = 0;
    usertest_prefault_program();
    printf("KTAP version 1\n1..%u\n", (unsigned)count);
    for (size_t i = 0; i < count; i++) {
        usertest_failures = 0;
        skip_reason = NULL;
        tests[i].run();
        printf("%s %u %s", usertest_failures ? "not ok" : "ok", (unsigned)i + 1, tests[i].name);
        printf(skip_reason && !usertest_failures ? " # SKIP %s\n" : "\n", skip_reason);
        failed += usertest_failures != 0;
    }
    printf("# %s: %d of %u failed\n", program, failed, (unsigned)count);
    return failed ? 1 : 0;
}

void usertest_skip(const char *reason)
{
    skip_reason = reason;
}

HANDLE usertest_spawn_child(const char *program, const char *args)
{
    char line[96];
    snprintf(line, sizeof(line), "child %s", args);
    return spawn(program, line);
}

int usertest_run_child(const char *program, const char *args)
{
    HANDLE h = usertest_spawn_child(program, args);
    int status = -1;
    if (!h || wait(h, &status) != 0)
        return -1;
    return status;
}

bool usertest_kill_child(HANDLE child)
{
    int status = -1;
    return child && kill(child) == 0 && wait(child, &status) == 0 && status == VP_STATUS_KILLED;
}

struct vp_process_info usertest_process(int pid)
{
    struct vp_process_info info = { .pid = pid };
    process_info(pid, &info);
    return info;
}

bool usertest_wait_sleeping(HANDLE child)
{
    for (int tries = 0; child && tries < 100; tries++) {
        if (usertest_process(handle_pid(child)).state == VP_PROC_SLEEPING)
            return true;
        sleep_ms(10);
    }
    return false;
}

struct vp_meminfo usertest_memory(void)
{
    struct vp_meminfo m;
    meminfo(&m);
    return m;
}

static bool same_memory(const struct vp_meminfo *a, const struct vp_meminfo *b)
{
    return vp_free_frames_back(a->free_frames, b->free_frames) &&
           a->page_tables == b->page_tables &&
           a->regions == b->regions && a->heap_objects == b->heap_objects &&
           a->processes == b->processes && a->video_records == b->video_records;
}

static void print_memory(const char *when, const struct vp_meminfo *m)
{
    printf("# %s: %u free frames, %u heap frames, %u page tables, %u regions, %u objects, "
           "%u processes, %u video records\n", when, m->free_frames, m->heap_frames,
           m->page_tables, m->regions, m->heap_objects, m->processes, m->video_records);
}

void usertest_check_nothing_leaked(const struct vp_meminfo *before)
{
    struct vp_meminfo after;
    meminfo(&after);
    if (!same_memory(before, &after)) {
        print_memory("before", before);
        print_memory("after", &after);
    }
    CHECK(same_memory(before, &after));
    struct vp_kcheck k;
    int findings = kcheck(&k);
    if (findings != 0)
        printf("# kcheck: %d findings; the first: %s\n", findings, k.first);
    CHECK(findings == 0);
}

/* ------------------------------------------------------------- video */

bool usertest_read_modes(HANDLE dev, struct usertest_modes *list)
{
    VIDEO_NUM_MODES num;
    list->count = 0;
    if (video_control(dev, IOCTL_VIDEO_QUERY_NUM_AVAIL_MODES, NULL, 0, &num, sizeof(num),
                      NULL) != NO_ERROR || num.NumModes > USERTEST_MAX_MODES)
        return false;
    if (video_control(dev, IOCTL_VIDEO_QUERY_AVAIL_MODES, NULL, 0, list->modes,
                      sizeof(list->modes), NULL) != NO_ERROR)
        return false;
    list->count = num.NumModes;
    return true;
}

ULONG usertest_find_mode(const struct usertest_modes *list, ULONG width, ULONG height,
                         ULONG bpp, bool banked)
{
    for (ULONG i = 0; i < list->count; i++) {
        const VIDEO_MODE_INFORMATION *m = &list->modes[i];
        if (m->VisScreenWidth == width && m->VisScreenHeight == height &&
            m->BitsPerPlane == bpp && !(m->AttributeFlags & VIDEO_MODE_BANKED) == !banked)
            return i;
    }
    return list->count;
}

VP_STATUS usertest_set_mode(HANDLE dev, ULONG index)
{
    VIDEO_MODE m = { index };
    ULONG n = 99;
    VP_STATUS status = video_control(dev, IOCTL_VIDEO_SET_CURRENT_MODE, &m, sizeof(m), NULL, 0, &n);
    CHECK(n == 0);
    return status;
}

VP_STATUS usertest_share(HANDLE dev, HANDLE process, ULONG offset, ULONG size,
                         VIDEO_SHARE_MEMORY_INFORMATION *info, ULONG *returned)
{
    VIDEO_SHARE_MEMORY in = { process, offset, size, NULL };
    return video_control(dev, IOCTL_VIDEO_SHARE_VIDEO_MEMORY, &in, sizeof(in), info,
                         sizeof(*info), returned);
}

VP_STATUS usertest_unshare(HANDLE dev, HANDLE process, const volatile void *va)
{
    VIDEO_SHARE_MEMORY in = { process, 0, 0, (PVOID)va };
    ULONG n = 99;
    VP_STATUS status = video_control(dev, IOCTL_VIDEO_UNSHARE_VIDEO_MEMORY, &in, sizeof(in),
                                     NULL, 0, &n);
    CHECK(n == 0); /* UNSHARE never reports output */
    return status;
}

VIDPORT_VIEW_INFORMATION usertest_view_state(HANDLE dev, const volatile void *va)
{
    VIDEO_MEMORY in = { (PVOID)va };
    VIDPORT_VIEW_INFORMATION out = { 0, 0, NULL, 0 };
    CHECK(video_control(dev, IOCTL_VIDPORT_QUERY_VIEW, &in, sizeof(in), &out, sizeof(out),
                        NULL) == NO_ERROR);
    return out;
}
