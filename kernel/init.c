/*
 * The first processes. Processes the kernel starts have no parent; when one
 * exits, the orphan hook decides what comes next: the next program of the
 * run list, or a fresh shell.
 */
#include "init.h"

#include "drivers/qemu.h"
#include "kstring.h"
#include "proc.h"

#define SHELL "sh"

static const char *run_next;  /* rest of the run list; NULL in shell mode */
static int run_pid;           /* the run-list program now running */
static int programs_run, programs_failed;

/* Copy "name args" up to the next ',' into name/args; returns the rest. */
static const char *take_entry(const char *list, char *name, char *args)
{
    while (*list == ' ')
        list++;
    size_t n = 0;
    while (*list && *list != ' ' && *list != ',' && n < VP_NAME_MAX - 1)
        name[n++] = *list++;
    name[n] = '\0';
    while (*list == ' ')
        list++;
    n = 0;
    while (*list && *list != ',' && n < VP_ARGS_MAX - 1)
        args[n++] = *list++;
    args[n] = '\0';
    return *list == ',' ? list + 1 : list;
}

__attribute__((noreturn)) static void finish_run(void)
{
    kprintf("run: %d program(s), %d failed\n", programs_run, programs_failed);
    qemu_exit(programs_failed == 0);
}

/* Start run-list entries until one spawns; finish when the list is done. */
static void start_next_program(void)
{
    while (*run_next) {
        char name[VP_NAME_MAX], args[VP_ARGS_MAX];
        int error;
        run_next = take_entry(run_next, name, args);
        if (!name[0])
            continue;
        programs_run++;
        struct proc *p = proc_spawn(name, args, NULL, &error);
        if (p) {
            run_pid = p->pid;
            return;
        }
        kprintf("run: cannot start %s (error %d)\n", name, error);
        programs_failed++;
    }
    finish_run();
}

static void start_shell(void)
{
    int error;
    struct proc *p = proc_spawn(SHELL, "", NULL, &error);
    if (!p)
        panic("cannot start the shell (error %d)", error);
    run_pid = p->pid;
}

static void on_orphan_exit(int pid, int status)
{
    if (!run_next) {
        if (pid != run_pid)
            return;
        kprintf("init: the shell exited (status %d); starting a new one\n", status);
        start_shell();
        return;
    }
    if (pid != run_pid)
        return;
    if (status != 0) {
        kprintf("run: pid %d exited with status %d\n", pid, status);
        programs_failed++;
    }
    start_next_program();
}

void init_start(const char *run_list, bool options_cut)
{
    proc_set_orphan_exit_hook(on_orphan_exit);
    if (run_list && *run_list && options_cut) {
        /* Its last entry may have lost arguments and entries may be missing:
         * it is not the list that was written, so none of it runs. */
        kprintf("run: not started: the command line did not reach the kernel whole\n");
        programs_failed++;
        finish_run();
    }
    if (run_list && *run_list) {
        run_next = run_list;
        start_next_program();
    } else {
        start_shell();
    }
    sched_run();
}
