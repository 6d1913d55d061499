/*
 * vpisolate: user-level tests of isolation. A process cannot reach kernel
 * memory, another process's memory or another process's view, cannot
 * unshare a view it has no handle to, cannot reach I/O ports or run
 * privileged instructions, does not pass its views on to the processes it
 * spawns, and can kill only itself and its own children. Every attempt is
 * refused with an exact status or kills only the offender (those attempts
 * run in children that must end with VP_STATUS_KILLED), and a bystander
 * holding a view and a pattern of its own runs through all of it
 * untouched. Prints KTAP; exits 0 only if every test passed. Runs on
 * linear and banked modes alike.
 *
 *   vpisolate                  run every test
 *   vpisolate child KIND A B   act as a child for a test (A, B in hex)
 *
 * A child that checks several refusals exits with one bit set for each
 * that did not hold, 0 when all did.
 *
 * main.c holds the tests, children.c what the children do, shared.c the
 * helpers both use.
 */
#pragma once

#include <usertest.h>

#define PROGRAM "vpisolate"
#define PAGE 4096u
#define BANK 0x10000u
#define KERNEL_BASE 0xC0000000u  /* the kernel's direct map of physical memory */
#define KERNEL_IMAGE 0xC0100000u /* its code */
#define DEVICE_WINDOW 0xF0000000u
#define TOP_PAGE 0xFFFFF000u
#define LOW_IDENTITY 0x00100000u /* where the boot loader put the kernel */
#define WORD_AT_START 0x150147EDu
#define COUNTER_OFFSET 64u /* where child "count" counts in the frame buffer */
#define VIEW_ADDRESS_OFFSET 128u /* where child "count-published" says where its view is */

/* The privileged instructions children try (child "insn N"). */
enum insn { CLI, STI, HLT, IOPL, INT_TIMER, INT_PAGE_FAULT, KERNEL_DS, LIDT, RDMSR, READ_CR3, INSNS };

extern HANDLE dev;
extern VIDEO_MODE_INFORMATION mode;
/* At the same address in every vpisolate process, each its own copy. */
extern volatile uint32_t word;
extern uint8_t probe[PAGE]; /* page-aligned */

ULONG frame_size(void);

/* Run "child" with arguments made from fmt, a and b: its status. */
int run_child(const char *fmt, uint32_t a, uint32_t b);

/* Share the visible frame with this process and touch its first byte (in
 * a banked mode that makes bank 0 present): the view, or NULL. */
volatile uint8_t *share_frame(void);

/* System calls told to write to kernel address k: each must be refused.
 * One bit per call that was not. */
int write_to_kernel_address(uint32_t k);

/* Act as child "KIND A B" (argv[2..4]): the exit status. */
int vpisolate_child(int argc, char **argv);
