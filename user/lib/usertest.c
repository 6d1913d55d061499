/*
 * The user-level test framework (see <usertest.h>).
 */
#include <usertest.h>

int usertest_failures;

int usertest_main(const char *program, const struct usertest *tests, size_t count)
{
    int failed = 0;
    printf("KTAP version 1\n1..%u\n", (unsigned)count);
    for (size_t i = 0; i < count; i++) {
        usertest_failures = 0;
        tests[i].run();
        printf("%s %u %s\n", usertest_failures ? "not ok" : "ok", (unsigned)i + 1, tests[i].name);
        failed += usertest_failures != 0;
    }
    printf("# %s: %d of %u failed\n", program, failed, (unsigned)count);
    return failed ? 1 : 0;
}

int usertest_run_child(const char *program, const char *args)
{
    char line[96];
    snprintf(line, sizeof(line), "child %s", args);
    HANDLE h = spawn(program, line);
    int status = -1;
    if (!h || wait(h, &status) != 0)
        return -1;
    return status;
}

static bool same_memory(const struct vp_meminfo *a, const struct vp_meminfo *b)
{
    return a->free_frames == b->free_frames && a->page_tables == b->page_tables &&
           a->regions == b->regions && a->heap_objects == b->heap_objects &&
           a->processes == b->processes && a->video_records == b->video_records;
}

static void print_memory(const char *when, const struct vp_meminfo *m)
{
    printf("# %s: %u free frames, %u page tables, %u regions, %u objects, %u processes, "
           "%u video records\n", when, m->free_frames, m->page_tables, m->regions,
           m->heap_objects, m->processes, m->video_records);
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
}
