/*
 * The first processes. Processes the kernel starts have no parent; when one
 * exits, the orphan hook decides what comes next: the next program of the
 * run list, or a fresh shell.
 */
#include "init.h"

#include "drivers/emulator.h"
#include "drivers/timer.h"
#include "kstring.h"
#include "proc.h"

#define SHELL "sh"

static const char *run_next;  /* rest of the run list; NULL in shell mode */
static int run_pid;           /* the run-list program now running */
static int programs_run, programs_failed;
static bool shell_wanted;        /* the shell could not start: retry_shell tries again */
static uint64_t shell_retry_tick;

/* Copy *src into out[size] up to its end or a character of `stops`, and
 * move *src there; false when that did not fit (out keeps the start). */
static bool copy_until(const char **src, char *out, size_t size, const char *stops)
{
    size_t n = 0;
    bool fits = true;
    const char *p = *src;
    for (; *p && !strchr(stops, *p); p++) {
        if (n + 1 < size)
            out[n++] = *p;
        else
            fits = false;
    }
    out[n] = '\0';
    *src = p;
    return fits;
}

static const char *skip_spaces(const char *s)
{
    while (*s == ' ')
        s++;
    return s;
}

/* Copy "name args" up to the next ',' into name and args, and move *list
 * past it; false when the name or the arguments are too long for them. */
static bool take_entry(const char **list, char *name, char *args)
{
    const char *p = skip_spaces(*list);
    bool fits = copy_until(&p, name, VP_NAME_MAX, " ,");
    p = skip_spaces(p);
    fits = copy_until(&p, args, VP_ARGS_MAX, ",") && fits;
    *list = *p == ',' ? p + 1 : p;
    return fits;
}

__attribute__((noreturn)) static void finish_run(void)
{
    kprintf("run: %d program(s), %d failed\n", programs_run, programs_failed);
    emulator_exit(programs_failed == 0);
}

/* Start run-list entries until one spawns; finish when the list is done. */
static void start_next_program(void)
{
    while (*run_next) {
        char name[VP_NAME_MAX], args[VP_ARGS_MAX];
        int error;
        bool fits = take_entry(&run_next, name, args);
        if (!name[0])
            continue;
        programs_run++;
        if (!fits) {
            kprintf("run: not started: %s...: a name takes at most %d bytes, arguments %d\n",
                    name, VP_NAME_MAX - 1, VP_ARGS_MAX - 1);
            programs_failed++;
            continue;
        }
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

/* Start a shell; when that fails, say so once and let the scheduler try
 * again every second (retry_shell) rather than leave the machine without one. */
static void start_shell(void)
{
    int error = 0;
    struct proc *p = proc_spawn(SHELL, "", NULL, &error);
    if (p)
        run_pid = p->pid;
    else if (!shell_wanted)
        kprintf("init: cannot start the shell (error %d); trying again every second\n", error);
    shell_wanted = p == NULL;
    shell_retry_tick = timer_ticks() + TIMER_HZ;
}

static void retry_shell(void)
{
    if (shell_wanted && timer_ticks() >= shell_retry_tick)
        start_shell();
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
    sched_set_idle_hook(retry_shell);
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
