/*
 * Console system calls: write to every console, read a line of input.
 */
#include "abi/vidport_abi.h"
#include "console.h"
#include "proc.h"
#include "syscall.h"
#include "tty.h"

#define CHUNK 256
#define PIECE 64 /* written between preemption points: at most one wrap of a line */
#define WRITE_MAX 0x7FFFF000u /* the most one write passes on */

/* The length of text's first line (up to and including its '\n'), or n. */
static uint32_t line_length(const char *text, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (text[i] == '\n')
            return i + 1;
    }
    return n;
}

/* Write text to the consoles a line (at most PIECE bytes) at a time, with
 * a preemption point before each but the very first of the call: a line
 * may scroll the screen, which takes milliseconds through a bank window.
 * Adds the bytes written to *done; false when the process was killed. */
static bool write_lines(const char *text, uint32_t n, uint32_t *done)
{
    for (uint32_t at = 0; at < n;) {
        if (*done && !sched_preempt_point())
            return false;
        uint32_t line = line_length(text + at, n - at < PIECE ? n - at : PIECE);
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
