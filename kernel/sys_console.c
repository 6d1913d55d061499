/*
 * Console system calls: write to every console, read a line of input.
 */
#include "abi/vidport_abi.h"
#include "console.h"
#include "proc.h"
#include "syscall.h"
#include "tty.h"

#define CHUNK 256
#define PIECE 64 /* columns written between preemption points: at most one wrap of a line */
#define TAB_COLUMNS 8 /* the most a tab moves the cursor */
#define WRITE_MAX 0x7FFFF000u /* the most one write passes on */

/* The length of text's first piece: up to and including its first '\n',
 * or as far as moves the cursor PIECE columns (a tab may move it eight),
 * or n. */
static uint32_t piece_length(const char *text, uint32_t n)
{
    uint32_t columns = 0;
    for (uint32_t i = 0; i < n; i++) {
        columns += text[i] == '\t' ? TAB_COLUMNS : 1;
        if (text[i] == '\n' || columns >= PIECE)
            return i + 1;
    }
    return n;
}

/* Write text to the consoles a piece (a line, at most PIECE columns) at a time, with
 * a preemption point before each but the very first of the call: a line
 * may scroll the screen, which takes milliseconds through a bank window.
 * Adds the bytes written to *done; false when the process was killed. */
static bool write_lines(const char *text, uint32_t n, uint32_t *done)
{
    for (uint32_t at = 0; at < n;) {
        if (*done && !sched_preempt_point())
            return false;
        uint32_t line = piece_length(text + at, n - at);
        console_write(text + at, line);
        at += line;
        *done += line;
    }
    return true;
}

/*
 * Console output, a chunk at a time, a line at a time (write_lines): the
 * clock ticks and others run however long the text. A pointer that goes
 * bad part way ends the call with the count written (-VP_EFAULT if
 * nothing was); so does being killed. At most WRITE_MAX bytes per call,
 * so that the count is never negative.
 */
int32_t sys_write(uint32_t buf, uint32_t len, uint32_t c, uint32_t d, uint32_t e)
{
    (void)c, (void)d, (void)e;
    char chunk[CHUNK];
    if (len > WRITE_MAX)
        len = WRITE_MAX;
    uint32_t done = 0;
    while (done < len) {
        uint32_t n = len - done < CHUNK ? len - done : CHUNK;
        if (copy_from_user(chunk, buf + done, n) != 0)
            return done ? (int32_t)done : -VP_EFAULT;
        if (!write_lines(chunk, n, &done))
            break;
    }
    return (int32_t)done;
}

/* Only the bytes a line can fill are made ready, and again after waiting
 * for the line (while this process slept, its parent may have unshared the
 * view holding buf, or a mode set revoked it), so that a line is taken
 * only when it can be written: never lost. The rest of buf is left alone. */
int32_t sys_read(uint32_t buf, uint32_t len, uint32_t c, uint32_t d, uint32_t e)
{
    (void)c, (void)d, (void)e;
    char line[CHUNK];
    if (len == 0)
        return 0;
    len = len < CHUNK ? len : CHUNK;
    if (vm_prefault(current->vm, buf, len, FAULT_WRITE) != 0)
        return -VP_EFAULT;
    int err = tty_wait_line();
    if (err)
        return err;
    if (vm_prefault(current->vm, buf, len, FAULT_WRITE) != 0)
        return -VP_EFAULT;
    uint32_t n = tty_take_line(line, len);
    return copy_to_user(buf, line, n) == 0 ? (int32_t)n : -VP_EFAULT;
}
