/*
 * The fake adapter the video port suites test against: a miniport whose
 * "video memory" is plain RAM, so every mapping can be checked through the
 * direct map. The fake logs what reaches its HwStartIO.
 *
 * Its banked modes emulate bank hardware in RAM: a window of one or two
 * 16 KiB slots, and a bank routine that copies each slot's contents back
 * to its bank in "video memory" and the new bank in, logging every call.
 */
#pragma once

#include "drivers/videoport/miniport_api.h"
#include "drivers/videoport/videoport.h"
#include "kernel/ktest.h"
#include "kernel/proc.h"
#include "mm/mm.h"

#define FAKE_PAGES 64                 /* 256 KiB of "VRAM" */
#define FAKE_SHAREABLE (48 * PAGE_SIZE) /* the rest is driver-private */
#define FAKE_WIDTH 256
#define FAKE_HEIGHT 192
#define FAKE_MODES 4     /* 0, 1 linear; 2 banked, one slot; 3 banked, two slots */
#define FAKE_BANK 0x4000 /* 16 KiB banks: 12 of them are shareable */
#define FAKE_LOG 64

struct fake {
    uint32_t vram;        /* physical address of the RAM run */
    uint32_t window;      /* physical address of the two-slot "window" */
    ULONG in_io_space;    /* cache flags the fake asks for */
    int start_io_calls, mode_sets;
    VIDEO_MODE_INFORMATION modes[FAKE_MODES];
    ULONG mode;
    ULONG slot_bank[2];   /* what each slot holds */
    ULONG log[FAKE_LOG][2], calls; /* the bank routine's calls */
    bool routine_faults;  /* the bank routine breaks its contract (T31) */
    void (*on_switch)(void); /* a test's look at the world as each switch starts */
};

extern struct fake fake;

/* A request only the fake knows: VideoPortMapBankedMemory for the caller
 * with the geometry in the buffer, as a miniport's own SHARE would call it. */
#define FAKE_IOCTL_MAP_BANKED 0x232900
struct fake_banked_request {
    ULONG length, bank_length, process; /* process 0: a kernel request */
    PVOID va;
    ULONG separate_banks; /* ReadWriteBank FALSE: independent read and write banks */
};

/* What the display hooks saw. */
struct hooks_seen {
    int mode_changes, view_changes;
    uint32_t last_live;
};

extern struct hooks_seen seen;

/* One test's world: the fake adapter and a process to share into. */
struct world {
    struct vp_device *dev;
    struct proc caller;
    uint32_t frames, objects, regions, records;
};

/* Attach the fake (its cache flags: in_io_space) and make the process. */
void world_open(struct world *w, ULONG in_io_space);

/* Tear down and check that every counter is back where it started. */
void world_close(struct ktest *t, struct world *w);

/* "Video memory" byte `offset`, wherever the emulated hardware keeps it. */
uint8_t *fake_byte(uint32_t offset);

/* A request from the world's process; *info gets Information. */
NTSTATUS request(struct world *w, ULONG code, void *buffer, ULONG in, ULONG out, ULONG *info);

/* SHARE [offset, offset + size) into the world's process; the VA or 0. */
uint32_t share(struct world *w, ULONG offset, ULONG size, NTSTATUS *status);

/* The same at a requested address (0: the port chooses): a view the port
 * does not place is mapped entry by entry. */
uint32_t share_at(struct world *w, ULONG offset, ULONG size, uint32_t requested,
                  NTSTATUS *status);

/* UNSHARE the view at va of the world's process. */
NTSTATUS unshare(struct world *w, uint32_t va);

NTSTATUS set_mode(struct world *w, ULONG index);

/* Whether va is present in p, and how many pages of [va, va + size) are. */
bool present(const struct proc *p, uint32_t va);
uint32_t present_pages(const struct proc *p, uint32_t va, uint32_t size);

/* Touch one page of a view as the process would (a write fault). */
enum fault_result touch(const struct proc *p, uint32_t va);

/* Store a word through p's own page tables, as its instructions would. */
void user_store(const struct proc *p, uint32_t va, uint32_t value);
