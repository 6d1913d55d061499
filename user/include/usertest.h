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

/* Mark the test now running as skipped (KTAP "# SKIP reason"): it found
 * that it cannot run here and returns; a failed check still fails it. */
void usertest_skip(const char *reason);

/* Run every test, print KTAP; returns the exit status (0: all passed). */
int usertest_main(const char *program, const struct usertest *tests, size_t count);

/* Bring every page of the program and the top of its stack in now, so
 * that running later needs no frame (usertest_main does it first). */
void usertest_prefault_program(void);

/* Start "program child ARGS" without waiting: its handle, or NULL. */
HANDLE usertest_spawn_child(const char *program, const char *args);

/* Run "program child ARGS" and wait: its status, or -1 if it did not start. */
int usertest_run_child(const char *program, const char *args);

/* Kill a child and collect it: true when it ended with VP_STATUS_KILLED. */
bool usertest_kill_child(HANDLE child);

/* A process's entry in the process list (state 0 if it is gone). */
struct vp_process_info usertest_process(int pid);

/* Wait (up to about a second) until a child sleeps; false if it never does. */
bool usertest_wait_sleeping(HANDLE child);

/* The memory counters now. */
struct vp_meminfo usertest_memory(void);

/* Check that the memory counters (meminfo: free frames, page tables,
 * regions, heap objects, processes, video records) are back at `before`,
 * printing both when they are not, and that kcheck finds nothing. */
void usertest_check_nothing_leaked(const struct vp_meminfo *before);

/* --- video requests the test programs share --- */

#define USERTEST_MAX_MODES 32

struct usertest_modes {
    ULONG count;
    VIDEO_MODE_INFORMATION modes[USERTEST_MAX_MODES];
};

/* Read dev's mode list; false if a request fails or it does not fit. */
bool usertest_read_modes(HANDLE dev, struct usertest_modes *list);

/* The position in list of the WxHxD mode that is banked (or linear, when
 * banked is false); list->count if there is none. */
ULONG usertest_find_mode(const struct usertest_modes *list, ULONG width, ULONG height,
                         ULONG bpp, bool banked);

/* SET_CURRENT_MODE to ModeIndex `index`; CHECKs that it reports no output. */
VP_STATUS usertest_set_mode(HANDLE dev, ULONG index);

/* SHARE [offset, offset + size) of dev into process: the status; *info
 * gets the output and *returned (if not NULL) the Information count. */
VP_STATUS usertest_share(HANDLE dev, HANDLE process, ULONG offset, ULONG size,
                         VIDEO_SHARE_MEMORY_INFORMATION *info, ULONG *returned);

/* UNSHARE the view of process containing va: the status; CHECKs that
 * UNSHARE reports no output. */
VP_STATUS usertest_unshare(HANDLE dev, HANDLE process, const volatile void *va);

/* IOCTL_VIDPORT_QUERY_VIEW for this process's view containing va; CHECKs
 * that the request succeeds. */
VIDPORT_VIEW_INFORMATION usertest_view_state(HANDLE dev, const volatile void *va);
