/*
 * Console system calls: write to every console, read a line of input.
 */
#include "abi/vidport_abi.h"
#include "console.h"
#include "proc.h"
#include "syscall.h"
#include "tty.h"

#define CHUNK 256

int32_t sys_write(uint32_t buf, uint32_t len, uint32_t c, uint32_t d, uint32_t e)
{
    (void)c, (void)d, (void)e;
    char chunk[CHUNK];
    if (vm_prefault(current->vm, buf, len, 0) != 0)
        return -VP_EFAULT;
    for (uint32_t done = 0; done < len;) {
        uint32_t n = len - done < CHUNK ? len - done : CHUNK;
        if (copy_from_user(chunk, buf + done, n) != 0)
            return -VP_EFAULT;
        console_write(chunk, n);
        done += n;
    }
    return (int32_t)len;
}

int32_t sys_read(uint32_t buf, uint32_t len, uint32_t c, uint32_t d, uint32_t e)
{
    (void)c, (void)d, (void)e;
    char line[CHUNK];
    if (len == 0)
        return 0;
    if (vm_prefault(current->vm, buf, len, FAULT_WRITE) != 0)
        return -VP_EFAULT;
    int n = tty_read_line(line, len < CHUNK ? len : CHUNK);
    if (n < 0)
        return n;
    return copy_to_user(buf, line, (uint32_t)n) == 0 ? n : -VP_EFAULT;
}
