/*
 * Line discipline: a line being edited (with backspace) and a ring of
 * finished lines waiting for readers.
 */
#include "tty.h"

#include "abi/vidport_abi.h"
#include "console.h"
#include "proc.h"

#define LINE_MAX 256
#define READY_SIZE 1024

static char line[LINE_MAX];
static uint32_t line_len;
static char ready[READY_SIZE];
static uint32_t ready_head, ready_count;

static void echo(const char *s, uint32_t n)
{
    console_write(s, n);
}

/* Move the edited line (plus '\n') to the ready ring if it fits. */
static void finish_line(void)
{
    if (ready_count + line_len + 1 > READY_SIZE) {
        line_len = 0; /* nobody is reading: drop the line rather than block input */
        return;
    }
    line[line_len++] = '\n';
    for (uint32_t i = 0; i < line_len; i++)
        ready[(ready_head + ready_count++) % READY_SIZE] = line[i];
    line_len = 0;
    sched_wakeup(ready);
}

void tty_input(char c)
{
    if (c == '\r')
        c = '\n';
    if (c == '\b' || c == 0x7F) {
        if (line_len) {
            line_len--;
            echo("\b \b", 3);
        }
        return;
    }
    if (c == '\n') {
        echo("\n", 1);
        finish_line();
        return;
    }
    if ((unsigned char)c < ' ' || line_len >= LINE_MAX - 1)
        return;
    line[line_len++] = c;
    echo(&c, 1);
}

int tty_wait_line(void)
{
    while (ready_count == 0) {
        sched_sleep(ready, 0);
        if (current->killed)
            return -VP_EINTR;
    }
    return 0;
}

uint32_t tty_take_line(char *buf, uint32_t len)
{
    uint32_t n = 0;
    while (n < len && ready_count) {
        char c = ready[ready_head];
        ready_head = (ready_head + 1) % READY_SIZE;
        ready_count--;
        buf[n++] = c;
        if (c == '\n')
            break;
    }
    return n;
}
