/*
 * vpbank: user-level tests of banked views (docs/contract.md (e)
 * T26-T30, (f) F14-F26). main.c tests the arbiter (faults, switches,
 * straddles, processes taking turns, teardown); data.c tests that nothing
 * a process or the kernel on its behalf writes into a banked view is lost,
 * misplaced or seen by another process, and that no access faults forever.
 * Run it with the kernel option video=banked. "vpbank no-code-in-video"
 * skips the tests that run instructions fetched from a view, for an
 * emulator that cannot (Bochs 2.7 stops with a panic).
 */
#pragma once

#include <usertest.h>

#define BANK 0x10000u
#define BANK_PAGES (BANK / 4096)
#define SMALL_FRAME (640 * 480) /* 640x480x8: 300 KiB, five banks */

extern HANDLE dev; /* Video0 */
extern bool code_in_video; /* false: skip the tests that run code in a view */

VIDPORT_BANKING_INFORMATION banking(void);

/* Make the WxHxD mode current, banked or linear; false (a failed CHECK)
 * when it is not listed or cannot be set. */
bool set_mode(ULONG width, ULONG height, ULONG bpp, bool banked);

/* SHARE [offset, offset + size) of the current mode into this process. */
VP_STATUS share(ULONG offset, ULONG size, VIDEO_SHARE_MEMORY_INFORMATION *info,
                ULONG *returned);

/* Share the first `size` bytes of the frame: the view, or NULL (a failed CHECK). */
volatile uint8_t *share_here(ULONG size);
void unshare(const volatile uint8_t *view);

/* Set the banked WxHxD mode and share its visible frame: the view or NULL. */
volatile uint8_t *banked_view(ULONG width, ULONG height, ULONG bpp);

/* How many pages of `bank` are present in a view (from the page tables). */
uint32_t present_pages(const volatile uint8_t *view, uint32_t bank);
void check_no_bank_present(void);

/* len bytes of a pattern named by seed at p; the bytes at p that differ. */
void fill_bytes(volatile uint8_t *p, uint32_t len, uint32_t seed);
uint32_t byte_mismatches(const volatile uint8_t *p, uint32_t len, uint32_t seed);

/* data.c: its tests, and its child processes ("vpbank child KIND"):
 * data_child returns only when KIND is not one of its own. */
#define DATA_TESTS 10
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
extern const struct usertest data_tests[DATA_TESTS];
void data_child(const char *kind);
