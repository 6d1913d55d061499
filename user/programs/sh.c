/*
 * sh: the first process. Reads a line at a time from the console and runs
 * built-in commands or bundled programs (in the foreground, or in the
 * background with a trailing '&').
 */
#include <vidport.h>

#define LINE_MAX 256 /* the console's longest line, its '\n' included (kernel/tty.c) */
#define MAX_PROCS 64
#define LS_BUFFER_MAX (64u * 1024)

static const char *const state_names[] = { "?", "run", "sleep", "zombie" };

static void cmd_help(const char *args)
{
    (void)args;
    puts("commands:\n"
         "  help             this list\n"
         "  ls               the bundled programs\n"
         "  NAME [args]      run program NAME and wait for it\n"
         "  NAME [args] &    run it in the background\n"
         "  ps               processes\n"
         "  kill PID         kill a program this shell started (a background job)\n"
         "  mem              free memory and kernel object counts\n"
         "  kcheck           check the kernel's page tables and video records");
}

/* The kernel refuses a buffer too small for every name (VP_EINVAL), and
 * the archive may hold any number of programs: start at 1 KiB and double
 * until the list fits. */
static void cmd_ls(const char *args)
{
    (void)args;
    for (uint32_t size = 1024; size <= LS_BUFFER_MAX; size *= 2) {
        char *names = malloc(size);
        if (!names)
            break;
        int n = programs_list(names, size);
        for (int i = 0; i < n; i += (int)strlen(names + i) + 1)
            printf("%s\n", names + i);
        free(names);
        if (n >= 0 || vp_errno != VP_EINVAL)
            return;
    }
    puts("ls: cannot list the programs");
}

static void cmd_ps(const char *args)
{
    (void)args;
    static struct vp_process_info procs[MAX_PROCS];
    int n = process_list(procs, MAX_PROCS);
    printf("  PID PARENT STATE   PAGES FAULTS CPU NAME\n");
    for (int i = 0; i < n; i++) {
        const struct vp_process_info *p = &procs[i];
        printf("%5d %6d %-7s %5u %6u %3u %s\n", p->pid, p->parent,
               state_names[p->state <= VP_PROC_ZOMBIE ? p->state : 0], p->pages, p->page_faults,
               p->cpu, p->name);
    }
}

/* The kernel lets a process kill only itself and its own children, so
 * this reaches the shell's background jobs (and the shell itself). A pid
 * too large for a long is no job either, rather than one it wraps to. */
static void cmd_kill(const char *args)
{
    char *end;
    vp_errno = 0;
    long pid = strtol(args, &end, 10);
    if (end == args || *end != '\0' || pid <= 0) {
        puts("usage: kill PID");
        return;
    }
    if (vp_errno == VP_ERANGE || kill((HANDLE)(intptr_t)pid) != 0)
        printf("kill: %s is not a job of this shell\n", args);
}

static void cmd_mem(const char *args)
{
    (void)args;
    struct vp_meminfo m;
    if (meminfo(&m) != 0)
        return;
    printf("free frames %u (%u KiB), page tables %u, regions %u, kernel objects %u, "
           "processes %u\n", m.free_frames, m.free_frames * (m.page_size / 1024),
           m.page_tables, m.regions, m.heap_objects, m.processes);
}

/* The kernel prints each finding itself; this adds the summary. */
static void cmd_kcheck(const char *args)
{
    (void)args;
    struct vp_kcheck k;
    int findings = kcheck(&k);
    if (findings < 0) {
        puts("kcheck: failed");
        return;
    }
    printf("kcheck: %u processes, %u pages, %u views: %d findings\n", k.processes, k.pages,
           k.views, findings);
}

struct builtin {
    const char *name;
    void (*run)(const char *args);
};

static const struct builtin builtins[] = {
    { "help", cmd_help }, { "ls", cmd_ls }, { "ps", cmd_ps },
    { "kill", cmd_kill }, { "mem", cmd_mem }, { "kcheck", cmd_kcheck },
};

static void run_program(const char *name, const char *args, bool background)
{
    HANDLE h = spawn(name, args);
    if (!h) {
        printf("sh: %s: %s\n", name, vp_errno == VP_ENOENT ? "no such program" : "cannot start");
        return;
    }
    if (background) {
        printf("[%d] %s\n", handle_pid(h), name);
        return;
    }
    int status;
    if (wait(h, &status) == 0 && status != 0) {
        if (status == VP_STATUS_KILLED)
            printf("sh: %s was killed\n", name);
        else
            printf("sh: %s exited with status %d\n", name, status);
    }
}

/* Split "name args [&]" in place and run it. */
static void execute(char *line)
{
    size_t len = strlen(line);
    while (len && (line[len - 1] == '\n' || line[len - 1] == ' '))
        line[--len] = '\0';
    bool background = len && line[len - 1] == '&';
    if (background)
        line[--len] = '\0';
    while (*line == ' ')
        line++;
    if (!*line)
        return;
    char *args = strchr(line, ' ');
    if (args)
        *args++ = '\0';
    else
        args = line + strlen(line);
    while (*args == ' ')
        args++;
    for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
        if (strcmp(line, builtins[i].name) == 0) {
            builtins[i].run(args);
            return;
        }
    }
    run_program(line, args, background);
}

/* Collect background programs that have finished, so they do not linger. */
static void reap_background(void)
{
    static struct vp_process_info procs[MAX_PROCS];
    int me = getpid(), n = process_list(procs, MAX_PROCS);
    for (int i = 0; i < n; i++) {
        int status;
        if (procs[i].parent == me && procs[i].state == VP_PROC_ZOMBIE &&
            wait((HANDLE)(intptr_t)procs[i].pid, &status) == 0)
            printf("[%d] done, status %d\n", procs[i].pid, status);
    }
}

int main(void)
{
    char line[LINE_MAX + 1];
    puts("vidport shell; type help for commands");
    for (;;) {
        printf("$ ");
        /* The whole of the console's longest line: a buffer one short left
         * its '\n' for the next read, an empty command and a second prompt. */
        int n = console_read(line, LINE_MAX);
        if (n <= 0)
            continue;
        line[n] = '\0';
        reap_background();
        execute(line);
    }
}
