/*
 * Console system calls: write to every console, read a line of input.
 */
#include "abi/vidport_abi.h"
#include "console.h"
#include "proc.h"
#include "syscall.h"
#include "tty.h"

#define CHUNK 256
#define WRITE_MAX 0x7FFFF000u /* the most one write passes on */

/*
 * Console output, a chunk at a time with a preemption point after each:
 * the clock ticks and others run however long the text. A pointer that
 * goes bad part way ends the call with the count written (-VP_EFAULT if
 * nothing was); so does being killed. At most WRITE_MAX bytes per call,
 * so that the count is never negative.
 */
int32_t sys_write(uint32_t buf, uint32_t len, uint32_t c, uint32_t d, uint32_t e)
{
    (void)c, (void)d, (void)e;
    char chunk[CHUNK];
    len = len < WRITE_MAX ? len : WRITE_MAX;
    uint32_t done = 0;
    while (done < len) {
        uint32_t n = len - done < CHUNK ? len - done : CHUNK;
        if (copy_from_user(chunk, buf + done, n) != 0)
            return done ? (int32_t)done : -VP_EFAULT;
        console_write(chunk, n);
        done += n;
        if (done < len && !sched_preempt_point())
            break;
    }
    return (int32_t)done;
}

/* Only the bytes a line can fill are made ready before waiting for it, so
 * that it is not lost after it was taken; the rest of buf is left alone. */
int32_t sys_read(uint32_t buf, uint32_t len, uint32_t c, uint32_t d, uint32_t e)
{
    (void)c, (void)d, (void)e;
    char line[CHUNK];
    if (len == 0)
        return 0;
    len = len < CHUNK ? len : CHUNK;
    if (vm_prefault(current->vm, buf, len, FAULT_WRITE) != 0)
        return -VP_EFAULT;
    int n = tty_read_line(line, len);
    if (n < 0)
        return n;
    return copy_to_user(buf, line, (uint32_t)n) == 0 ? n : -VP_EFAULT;
}
