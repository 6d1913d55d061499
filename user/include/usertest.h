/*
 * <usertest.h>: the small framework the user-level test programs share.
 * Tests are functions that CHECK conditions; usertest_main runs a table of
 * them and prints KTAP on the console. Tests that must crash run in child
 * processes started as "PROGRAM child KIND ARGS".
 */
#pragma once

#include <vidport.h>

extern int usertest_failures; /* failed checks in the test now running */

#define CHECK(cond)                                                          \
    do {                                                                     \
        if (!(cond)) {                                                       \
            printf("# %s:%d: expected %s\n", __FILE__, __LINE__, #cond);     \
            usertest_failures++;                                             \
        }                                                                    \
    } while (0)

struct usertest {
    const char *name;
    void (*run)(void);
};

/* Run every test, print KTAP; returns the exit status (0: all passed). */
int usertest_main(const char *program, const struct usertest *tests, size_t count);

/* Run "program child ARGS" and wait: its status, or -1 if it did not start. */
int usertest_run_child(const char *program, const char *args);

/* Check that the memory counters (meminfo: free frames, page tables,
 * regions, heap objects, processes, video records) are back at `before`,
 * printing both when they are not. */
void usertest_check_nothing_leaked(const struct vp_meminfo *before);
