/*
 * The video port's private state, shared by its files: videoport.c
 * (adapters, dispatch, status), vp_memory.c (kernel mappings and user
 * views), vp_tables.c (prebuilt page tables for linear views), vp_bank.c
 * (banked views and the bank arbiter) and vp_requests.c
 * (the memory and mode requests miniports hand back to the port). Nothing outside drivers/videoport/ includes this.
 * The checks that need none of this state are in vp_validate.h.
 */
#pragma once

#include "kernel/kstring.h"
#include "kernel/proc.h"
#include "miniport_api.h"
#include "mm/mm.h"
#include "videoport.h"
#include "vp_validate.h"

struct vp_kmap;
struct vp_mapref;
struct kcheck;

#define VP_NO_BANK (-1)

/* Where window slot s of a banked geometry shows its bank (F18'): slot s
 * is window s (one slot: window 0, also for a read and a write window at
 * one address). */
static inline PHYSICAL_ADDRESS vpi_slot_phys(const struct vp_bank_hardware *hw, uint32_t s)
{
    return hw->windows[s].phys;
}

/* Copy len bytes into memory `mem` from k (write) or out of it into k. */
static inline void vpi_copy_between(void *mem, void *k, uint32_t len, bool write)
{
    if (write)
        memcpy(mem, k, len);
    else
        memcpy(k, mem, len);
}

#define VP_TABLES 2 /* prebuilt page tables per adapter */

/* Views and kernel-mapping references one process may hold on an adapter
 * (F25): each costs kernel memory, so a process cannot turn free memory
 * into records; past it SHARE and MAP get ERROR_NOT_ENOUGH_MEMORY. */
#define VP_PROCESS_RECORDS 256

/* A page table mapping `pages` frames of video memory from phys on and
 * nothing else, which every linear view of exactly that range holds. */
struct vp_table {
    uint32_t frame;        /* the table; allocated from attach to detach */
    PHYSICAL_ADDRESS phys; /* what it maps (pages 0: nothing yet) */
    uint32_t pages;
    enum page_cache cache;
    uint32_t users;        /* views holding it; refilled only at 0 */
};

#define VP_SLOTS_MAX 2 /* banks the windows show at once, at most */

/* One user view (a sharing record); its region's private data. */
struct vp_view {
    struct vp_device *dev;
    struct region *region; /* the view, or with a table its whole 4 MiB */
    uint32_t size;         /* bytes of the view */
    struct vp_table *table; /* linear: the prebuilt table mapping it, if any */
    PHYSICAL_ADDRESS phys; /* linear: what the first page shows; banked: the window */
    enum page_cache cache;
    bool revoked;
    uint32_t scratch;      /* revoked: the frame every page shows (0: not yet taken) */
    bool banked;
    uint32_t first_bank; /* banked: the bank the view starts with */
    int32_t present[VP_SLOTS_MAX]; /* banked: the bank mapped through each window slot */
    int32_t lost;        /* banked: a bank a switch took from it since its
                          * process last entered the kernel (not by a fault) */
    uint8_t bounced;     /* banked: bit i set while bounce i is mapped into it */
    struct vp_view *next;
};

#define VP_BOUNCES 5 /* one instruction reaches at most six banks (a movs fetched across
                      * a bank edge, both operands split by one; or a push so): the
                      * window shows one, bounces the rest (F24) */

/* A RAM copy of one bank, mapped into views of the running process. */
struct vp_bounce {
    int32_t bank;   /* VP_NO_BANK: free */
    uint32_t dirty; /* bit i: page i was written through some view it left */
};

/*
 * The bank arbiter of one adapter (F15). The window is one piece of
 * hardware, so "which bank is present" is the adapter's state, not a
 * view's: every present bank page of every view shows what its slot shows.
 * Other banks may live in RAM copies (bounces) mapped into the views of the
 * running process, which settles accesses that need more banks at once
 * than the window shows (F17). A bank is never shown and bounced at once.
 */
/* A slot's last switcher's hold on it: until the access it switched for
 * has happened (or a tick or two has passed), no other process's fault
 * takes the slot (vp_bank.c). */
struct vp_lease {
    const struct vp_view *view; /* the view the switch was for; NULL: none */
    uint32_t va;                /* the page it faulted on */
    int32_t bank;               /* the bank it switched the slot to */
    uint64_t until;             /* the timer tick it ends at, if still unused */
};

struct vp_banking {
    struct vp_bank_hardware hw; /* routine NULL: no banked mode configured */
    enum page_cache cache;
    uint32_t slots;             /* banks the windows show at once: 1 or 2 */
    uint8_t *window[VP_WINDOWS_MAX]; /* the port's own mapping of each slot's bank */
    int32_t shown[VP_SLOTS_MAX]; /* the bank each slot shows, VP_NO_BANK if unknown */
    uint32_t next_slot;         /* the slot a switch reuses (least recently taken) */
    uint32_t bounce_frames;     /* physical run: VP_BANK_MAX bytes per bounce */
    struct vp_bounce bounce[VP_BOUNCES];
    struct vp_lease lease[VP_SLOTS_MAX]; /* each slot's */
    uint32_t faults, switches, straddles, lease_waits;
    uint64_t routine_cycles;    /* time inside hw.routine, for benchmarks */
};

struct vp_device {
    bool in_use;
    char name[8];                      /* "Video0" ... */
    const VIDEO_HW_INITIALIZATION_DATA *hw;
    void *extension;                   /* the miniport's, HwDeviceExtensionSize bytes */
    struct proc *caller;               /* who sent the request in progress; NULL: kernel */
    uint32_t generation;               /* moves on at every mode set and reset */
    uint32_t live_views;
    struct vp_view *views;             /* user views (sharing records) */
    struct vp_kmap *kmaps;             /* kernel mappings, reference counted */
    struct vp_mapref *maprefs;         /* kernel-mapping references processes hold */
    const struct vp_display_hooks *hooks;
    struct vp_banking banking;
    struct vp_table tables[VP_TABLES];
};

/* videoport.c */
struct vp_device *vpi_device_of(const void *extension);
struct vp_device *vpi_device_slot(int index); /* the table, in use or not */

/* vp_memory.c */

static inline bool vpi_overlaps(PHYSICAL_ADDRESS a, uint32_t a_len, PHYSICAL_ADDRESS b,
                                uint32_t b_len)
{
    return a < b + b_len && b < a + a_len;
}

/* The memory type VIDEO_MEMORY_SPACE_* flags ask for: UC, or WC with P6CACHE. */
enum page_cache vpi_cache_for(ULONG in_io_space);

/* True when some mapping of frames in [phys, phys + len) uses another type. */
bool vpi_cache_conflict(PHYSICAL_ADDRESS phys, uint32_t len, enum page_cache cache);

/* Map a user view of [phys, phys + size) for the process behind `process`
 * (a handle as the caller sees it) at `requested` (0: the port chooses).
 * size is a page multiple. NO_ERROR with *va set, or the VP_STATUS. */
VP_STATUS vpi_map_user_view(struct vp_device *dev, PHYSICAL_ADDRESS phys, ULONG size,
                            ULONG in_io_space, HANDLE process, uint32_t requested, uint32_t *va);

/* The process a handle names for this caller: NtCurrentProcess() or a
 * living child of the caller; NULL otherwise. */
struct proc *vpi_process_from_handle(struct vp_device *dev, HANDLE handle);

/* A new view record of `size` bytes in the process behind `process`, at
 * `requested` (0: the port chooses an address aligned to `align`), copied
 * from `proto` and linked into dev; its region reaches up to the next
 * `align` boundary. No page is mapped yet. NULL with *status set on
 * failure. */
struct vp_view *vpi_create_view(struct vp_device *dev, const struct vp_view *proto, ULONG size,
                                HANDLE process, uint32_t requested, uint32_t align,
                                VP_STATUS *status);

/* Find the live or revoked view of process p containing va; NULL if none. */
struct vp_view *vpi_find_view(struct vp_device *dev, struct proc *p, uint32_t va);
void vpi_view_describe(const struct vp_view *view, VIDPORT_VIEW_INFORMATION *out);

/* Take every page of every live view out, on every CPU, before a request
 * that changes the mode: no process stores into the frame while the
 * adapter changes it. The views stay live (after a failed request their
 * pages fault back in; after a good one they are revoked).
 */
void vpi_quiesce_views(struct vp_device *dev);

/* Revoke every view of dev (F21, F21'): each view's pages show a scratch
 * frame of its own from now on. */
void vpi_revoke_views(struct vp_device *dev);

/* Drop every mapping record of dev (detach). */
void vpi_release_all(struct vp_device *dev);

/* kcheck: references processes hold name listed kernel mappings and
 * checked processes, and never outnumber a mapping's count. */
void vpi_check_kernel_mappings(struct kcheck *k, const struct vp_device *dev);

/* vp_check.c: kcheck's question for a present page of a view region. */
const char *vpi_view_check(const struct region *r, const struct mapped_page *page);

/* Records alive on dev. */
uint32_t vpi_record_count(const struct vp_device *dev);

/* vp_kmap.c */

/* True when one of dev's kernel mappings of [phys, phys + len) uses
 * another memory type. */
bool vpi_kmap_conflict(const struct vp_device *dev, PHYSICAL_ADDRESS phys, uint32_t len,
                       enum page_cache cache);

/* Whether p may hold one more record (view or reference) on dev (F25). */
bool vpi_below_record_bound(const struct vp_device *dev, const struct proc *p);

/* A kernel mapping of [phys, phys + length) for the request in progress,
 * held by its process if it has one: NO_ERROR with *va set, else
 * ERROR_INVALID_PARAMETER (a memory type conflict) or
 * ERROR_NOT_ENOUGH_MEMORY (memory, or the process's records, exhausted). */
VP_STATUS vpi_map_kernel(struct vp_device *dev, PHYSICAL_ADDRESS phys, ULONG length,
                         ULONG in_io_space, PVOID *va);

/* Drop the reference behind va: a kernel caller may drop any, a process
 * only one it holds. */
VP_STATUS vpi_unmap_kernel(struct vp_device *dev, PVOID va);

void vpi_drop_process_maprefs(struct vp_device *dev, struct proc *p);
void vpi_release_kernel_mappings(struct vp_device *dev);
uint32_t vpi_kernel_record_count(const struct vp_device *dev);

/* vp_tables.c */

/* Allocate the adapter's table frames at attach (false: out of memory);
 * free them at detach (also after a failed attach). */
bool vpi_tables_attach(struct vp_device *dev);
void vpi_tables_detach(struct vp_device *dev);

/* A table mapping exactly `pages` frames from phys on with `cache`, held
 * for one more view: the one already built for that range, else one no
 * view holds, refilled. NULL when there is none, or the range does not
 * fit one table: the view is then mapped entry by entry. */
struct vp_table *vpi_table_get(struct vp_device *dev, PHYSICAL_ADDRESS phys, uint32_t pages,
                               enum page_cache cache);

/* The view holding t no longer does (its directory entry is gone). */
void vpi_table_put(struct vp_table *t);

/* vp_bank.c */

/* Banked SHARE / VideoPortMapBankedMemory: a view of `size` bytes from bank
 * first_bank, nothing present (F14). ERROR_INVALID_PARAMETER on a bad bank
 * geometry, size or address; no view is left behind. */
VP_STATUS vpi_map_banked_view(struct vp_device *dev, const struct vp_bank_hardware *hw,
                              ULONG in_io_space, uint32_t first_bank, ULONG size,
                              HANDLE process, uint32_t requested, uint32_t *va);

/* Copy len bytes (inside one page) between kernel buffer k and the view
 * at `offset` on its process's behalf (F23): through the bounce or slot
 * that holds the bank, or the window borrowed for it; nothing is faulted. */
void vpi_bank_copy(struct vp_view *v, uint32_t offset, void *k, uint32_t len, bool write);

/* Serve a touch of a banked view page that is not present (F15-F17). */
enum fault_result vpi_bank_fault(struct vp_view *view, struct fault_info *fi);

/* The view's process enters the kernel other than by a page fault: its
 * access is over, so write every bounce back and forget the banks its
 * views lost. */
void vpi_bank_sync(struct vp_view *view);

/* The view is going (unshare, exit, revocation): forget its present banks
 * and write back what was written through bounces mapped into it. */
void vpi_bank_view_gone(struct vp_view *view);

/* A mode set or reset happened: the window shows nothing known any more,
 * and bounce copies of the old mode are dropped unwritten. */
void vpi_bank_mode_changed(struct vp_device *dev);

/* Per-adapter bank state: allocate at attach (false: out of memory), free
 * at detach. */
bool vpi_bank_attach(struct vp_device *dev);
void vpi_bank_detach(struct vp_device *dev);

/* Make hw the adapter's bank geometry (a banked mode's MAP or SHARE); false
 * when banked views of another geometry are live or the window cannot be
 * mapped. */
bool vpi_bank_configure(struct vp_device *dev, const struct vp_bank_hardware *hw,
                        ULONG in_io_space);

/* IOCTL_VIDPORT_QUERY_BANKING's answer; `banked` says whether the current
 * mode is. */
void vpi_bank_describe(struct vp_device *dev, bool banked, VIDPORT_BANKING_INFORMATION *out);
