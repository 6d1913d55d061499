/*
 * Process lifetime: spawn from the boot archive, exit, kill, wait. A dead
 * process stays a zombie until its parent collects the status (or, if it
 * has none, until the scheduler frees it off its own stack). Children do
 * not outlive their parent: the ones still running when it ends are ended
 * with it.
 */
#include "proc.h"

#include "cpu.h"
#include "drivers/videoport/videoport.h"
#include "exec.h"
#include "initrd.h"
#include "kstring.h"
#include "smp.h"

static struct proc table[PROC_MAX];
static int next_pid = 1;
static orphan_exit_hook orphan_hook;

struct proc *proc_table(void)
{
    return table;
}

struct proc *proc_by_pid(int pid)
{
    for (int i = 0; i < PROC_MAX; i++) {
        if (table[i].state != PROC_UNUSED && table[i].pid == pid)
            return &table[i];
    }
    return NULL;
}

void proc_set_orphan_exit_hook(orphan_exit_hook hook)
{
    orphan_hook = hook;
}

static struct proc *allocate_slot(void)
{
    for (int i = 0; i < PROC_MAX; i++) {
        if (table[i].state == PROC_UNUSED)
            return &table[i];
    }
    return NULL;
}

void proc_release(struct proc *p)
{
    frame_free_run(p->kstack, KSTACK_PAGES);
    *p = (struct proc){ .state = PROC_UNUSED };
}

/* The user-mode state a new process starts in. */
static struct trap_frame initial_frame(const struct exec_image *image)
{
    return (struct trap_frame){
        .gs = GDT_USER_DATA, .fs = GDT_USER_DATA, .es = GDT_USER_DATA, .ds = GDT_USER_DATA,
        .eip = image->entry, .cs = GDT_USER_CODE, .eflags = EFLAGS_IF,
        .esp = image->stack_pointer, .ss = GDT_USER_DATA,
    };
}

/* Build the address space for `name`; NULL with *error set on failure. */
static struct vmspace *load_program(const char *name, const char *args,
                                    struct exec_image *image, int *error)
{
    struct initrd_file file;
    if (!initrd_find(initrd_boot(), name, &file)) {
        *error = VP_ENOENT;
        return NULL;
    }
    struct vmspace *vm = vm_create();
    if (!vm) {
        *error = VP_ENOMEM;
        return NULL;
    }
    int err = exec_load(vm, file.data, file.size, name, args, image);
    if (err) {
        vm_destroy(vm);
        *error = -err;
        return NULL;
    }
    return vm;
}

struct proc *proc_spawn(const char *name, const char *args, struct proc *parent, int *error)
{
    struct proc *p = allocate_slot();
    uint32_t kstack = p ? frame_alloc_run(KSTACK_PAGES) : 0;
    if (!kstack) {
        *error = p ? VP_ENOMEM : VP_EAGAIN;
        return NULL;
    }
    struct exec_image image;
    struct vmspace *vm = load_program(name, args, &image, error);
    if (!vm) {
        frame_free_run(kstack, KSTACK_PAGES);
        return NULL;
    }
    *p = (struct proc){ .pid = next_pid++, .parent = parent, .vm = vm, .kstack = kstack,
                        .heap_start = image.image_end + PAGE_SIZE,
                        .brk = image.image_end + PAGE_SIZE };
    size_t n = strlen(name);
    memcpy(p->name, name, n < VP_NAME_MAX ? n : VP_NAME_MAX - 1);
    struct trap_frame frame = initial_frame(&image);
    sched_prepare_context(p, &frame);
    p->state = PROC_RUNNABLE;
    return p;
}

static void end_children(const struct proc *p);

/* Give back what p holds: its video records, its address space, and its
 * children (p is current, or not running at all). */
static void release_resources(struct proc *p)
{
    vp_process_exit(p);
    vm_destroy(p->vm);
    p->vm = NULL;
    p->heap = NULL;
    end_children(p);
}

/* Make the CPU that runs p, if another one does, stop running its code
 * now: p runs none of its instructions once this returns, and the way
 * back to user mode ends it if it was killed. */
static void kick(const struct proc *p)
{
    if (p->state == PROC_RUNNING && p != current)
        smp_interrupt_user(p->cpu);
}

/*
 * p is ending: its children end with it, now. Only their parent could
 * have collected them or killed them (sys_kill), so nobody is waiting for
 * them. One that is not running has whatever it was doing in the kernel
 * dropped with its stack. One running on another CPU is there in user
 * mode (this CPU holds the big kernel lock): killed and orphaned, it ends
 * itself at once, and nobody collects it but the scheduler.
 * Ending them later, when each ran again, would leave their slots and
 * memory taken by processes that are as good as dead: a full table when
 * init starts the next program (and the ones they started in turn).
 */
static void end_children(const struct proc *p)
{
    for (int i = 0; i < PROC_MAX; i++) {
        struct proc *child = &table[i];
        if (child->state == PROC_UNUSED || child->parent != p)
            continue;
        child->parent = NULL;
        if (child->state == PROC_RUNNING) {
            proc_kill(child);
            continue;
        }
        if (child->state != PROC_ZOMBIE)
            release_resources(child);
        proc_release(child);
        sched_interrupt_window(); /* a tree of many processes is long to end */
    }
}

/* From here on the process allocates nothing of its own: what exit
 * allocates, and the programs init starts from it (the orphan hook), must
 * not meet the failure it armed. */
void proc_exit(int status)
{
    struct proc *p = current;
    p->inject = (struct vp_inject_report){ .kind = VP_INJECT_OFF };
    release_resources(p);
    p->exit_status = status;
    p->state = PROC_ZOMBIE;
    if (p->parent)
        sched_wakeup(p->parent);
    else if (orphan_hook)
        orphan_hook(p->pid, status);
    sched_yield();
    panic("zombie %d ran again", p->pid);
}

void proc_kill(struct proc *p)
{
    p->killed = true;
    sched_wake(p);
    kick(p);
}

int proc_wait(int pid, int *status)
{
    struct proc *child = proc_by_pid(pid);
    if (!child || child->parent != current)
        return -VP_ESRCH;
    while (child->state != PROC_ZOMBIE) {
        sched_sleep(current, 0);
        if (current->killed)
            return -VP_EINTR;
    }
    *status = child->exit_status;
    proc_release(child);
    return 0;
}

void proc_fault_kill(const struct trap_frame *f, uint32_t address, const char *reason)
{
    kprintf("pid %d (%s): killed: %s at eip 0x%08x, address 0x%08x: %s\n", current->pid,
            current->name, trap_name(f->vector), f->eip, address, reason);
    proc_exit(VP_STATUS_KILLED);
}
