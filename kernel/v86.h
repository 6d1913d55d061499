/*
 * The virtual-8086 monitor: runs real-mode code of the firmware (the video
 * BIOS's INT 10h, a mode's window function) for the kernel, one call at a
 * time. The code sees the first MiB as the firmware left it; it runs at
 * IOPL 0, so CLI/STI/PUSHF/POPF/INT/IRET trap and are emulated with a
 * virtual interrupt flag while the real one stays on; INT n goes through
 * the real-mode interrupt table. Only video ports (VGA 3B0-3DF, DISPI
 * 1CE-1D0) and the delay port 80 are open; PCI configuration can be read
 * (a dword address at CF8, data at CFC-CFF) but not written; any other
 * port reads as all ones and ignores writes, and is named once on the
 * console. A call that runs past the watchdog, runs a privileged
 * instruction, faults or reaches a service the monitor does not offer
 * ends with an error status: never a kernel hang or panic.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* Registers in and out of a call (16-bit code sees their low halves). */
struct v86_regs {
    uint32_t eax, ebx, ecx, edx, esi, edi, ebp;
    uint16_t ds, es;
    uint32_t eflags; /* out: the flags the code left, IF as it last set it */
};

enum v86_status {
    V86_OK,
    V86_BUSY,         /* another call is running (calls never nest) */
    V86_TIMEOUT,      /* the watchdog ended it */
    V86_PRIVILEGED,   /* HLT, a control register, LGDT, ... */
    V86_FAULT,        /* an exception: invalid opcode, page fault, divide, ... */
    V86_UNSUPPORTED,  /* a service the monitor does not offer (INT 15h AH=87h) */
    V86_STRING_IO,    /* INS/OUTS on a refused port */
    V86_UNAVAILABLE,  /* the monitor's low memory holds boot data (v86_keep_off) */
};

#define V86_WATCHDOG_MS 500

/* The monitor's own segment in low memory: the call's stack and the
 * sentinel it returns to below V86_BUFFER_OFFSET, a buffer from there to
 * the segment's end that callers may use (INT 10h buffers, test code). */
#define V86_SEGMENT 0x2000u
#define V86_BUFFER_OFFSET 0x1000u
#define V86_BUFFER_SIZE (0x10000u - V86_BUFFER_OFFSET)

/* Where the monitor's segment lies in physical memory. */
#define V86_MEMORY_START (V86_SEGMENT * 16u)
#define V86_MEMORY_END (V86_MEMORY_START + 0x10000u)

/* No call runs from now on (every one is V86_UNAVAILABLE): the boot left
 * data the kernel still needs in [V86_MEMORY_START, V86_MEMORY_END). */
void v86_keep_off(const char *why);

/* INT `vector` through the real-mode interrupt table, as software would
 * issue it: regs in, regs out. */
enum v86_status v86_int(uint8_t vector, struct v86_regs *regs);

/* A far call to segment:offset, which must return with RETF. */
enum v86_status v86_far_call(uint16_t segment, uint16_t offset, struct v86_regs *regs);

/* The kernel's view of real-mode address segment:offset (below 1 MiB). */
void *v86_pointer(uint16_t segment, uint16_t offset);

const char *v86_status_name(enum v86_status status);

/* Whether the first MiB holds a video BIOS whose INT 10h is its own: an
 * option ROM at C0000 with the INT 10h vector inside it. Under UEFI there
 * is none, or OVMF's shim, which knows one mode and hangs on most calls. */
bool v86_video_bios_present(void);

/* After a panic during a call (a kernel bug; the test runner goes on):
 * give back what the call took (kernel stack, low mapping, ports, PIC),
 * if the call runs on this CPU. */
void v86_recover(void);

/* For tests: hook (NULL for none) runs in every call between the check
 * that no other call is running and the call's claim on the monitor,
 * where interrupts are already off. */
void v86_set_claim_hook(void (*hook)(void));

/* From trap_dispatch: a trap taken in virtual-8086 mode. */
struct v86_frame;
void v86_trap(struct v86_frame *frame);
