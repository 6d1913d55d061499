/*
 * Video port suite: the port and display layers against the fake miniport
 * (fake_video.h): linear views, kernel mappings, revocation, and banked
 * views through the emulated bank hardware.
 */
#include "fake_video.h"

#include "drivers/timer.h"
#include "kernel/cpu.h"
#include "kernel/tlb.h"

static void unknown_codes_reach_the_miniport(struct ktest *t)
{
    struct world w;
    world_open(&w, 0);
    ULONG info = 99;
    KT_EXPECT_EQ(t, request(&w, 0x230800, NULL, 0, 0, &info), STATUS_NOT_IMPLEMENTED);
    KT_EXPECT_EQ(t, info, 0);
    KT_EXPECT_EQ(t, fake.start_io_calls, 1);
    KT_EXPECT_EQ(t, vp_status_to_nt(ERROR_INSUFFICIENT_BUFFER), STATUS_BUFFER_TOO_SMALL);
    KT_EXPECT_EQ(t, vp_status_from_nt(vp_status_to_nt(12345)), ERROR_GEN_FAILURE);
    world_close(t, &w);
}

static void share_maps_the_fake_frames(struct ktest *t)
{
    struct world w;
    world_open(&w, 0);
    NTSTATUS status;
    uint32_t va = share(&w, PAGE_SIZE, 3 * PAGE_SIZE, &status);
    KT_EXPECT_EQ(t, status, STATUS_SUCCESS);
    uint32_t pa = 0, rights = 0;
    for (uint32_t i = 0; va && i < 3; i++) {
        KT_EXPECT(t, pg_lookup(&w.caller.vm->pd, va + i * PAGE_SIZE, &pa, &rights));
        KT_EXPECT_EQ(t, pa, fake.vram + (i + 1) * PAGE_SIZE);
        KT_EXPECT_EQ(t, rights, PAGE_WRITE | PAGE_USER);
    }
    KT_EXPECT(t, !pg_lookup(&w.caller.vm->pd, va + 3 * PAGE_SIZE, &pa, &rights));
    uint32_t word = 0x12345678;
    KT_EXPECT_EQ(t, vm_copy_out(w.caller.vm, va + 4, &word, 4), 0);
    KT_EXPECT_EQ(t, *(uint32_t *)phys_to_virt(fake.vram + PAGE_SIZE + 4), word);
    KT_EXPECT_EQ(t, seen.view_changes, 1);
    KT_EXPECT_EQ(t, unshare(&w, va + 5), STATUS_SUCCESS);
    KT_EXPECT(t, !pg_lookup(&w.caller.vm->pd, va, &pa, &rights));
    KT_EXPECT_EQ(t, seen.view_changes, 2);
    KT_EXPECT_EQ(t, seen.last_live, 0);
    KT_EXPECT_EQ(t, share(&w, 0, FAKE_SHAREABLE + 1, &status), 0); /* private tail */
    KT_EXPECT_EQ(t, status, STATUS_INVALID_PARAMETER);
    world_close(t, &w);
}

/* A kernel MAP is uncached here; a write-combined share of the same frames
 * would be a conflicting alias (F8). */
/* The kernel's copies into and out of a linear view go through this CPU's
 * own page of the device window: the bytes arrive, across a page edge
 * too, and no other CPU is asked to flush its TLB. */
static void kernel_copies_into_linear_views_stay_on_this_cpu(struct ktest *t)
{
    struct world w;
    world_open(&w, 0);
    NTSTATUS status;
    uint32_t va = share(&w, 0, 4 * PAGE_SIZE, &status), word = 0x11AE0001, back = 0;
    struct tlb_counts before = tlb_counts();
    KT_EXPECT_EQ(t, vm_copy_out(w.caller.vm, va + 2 * PAGE_SIZE - 2, &word, 4), 0);
    KT_EXPECT_EQ(t, *(uint32_t *)phys_to_virt(fake.vram + 2 * PAGE_SIZE - 2), word);
    KT_EXPECT(t, vm_copy_in(w.caller.vm, &back, va + 2 * PAGE_SIZE - 2, 4) == 0 && back == word);
    struct tlb_counts after = tlb_counts();
    KT_EXPECT(t, after.requests == before.requests && after.ipis == before.ipis);
    KT_EXPECT_EQ(t, unshare(&w, va), STATUS_SUCCESS);
    world_close(t, &w);
}

static void conflicting_cache_types_are_refused(struct ktest *t)
{
    struct world w;
    world_open(&w, VIDEO_MEMORY_SPACE_P6CACHE);
    NTSTATUS status;
    uint32_t va = share(&w, 0, PAGE_SIZE, &status);
    uint32_t pte = va ? pg_entry(&w.caller.vm->pd, va) : 0;
    KT_EXPECT_EQ(t, pte & 0x98, 0x08); /* PWT only: PAT entry 1, write-combining */
    KT_EXPECT_EQ(t, unshare(&w, va), STATUS_SUCCESS);
    ULONG len = FAKE_SHAREABLE, io = 0;
    PVOID base = NULL;
    KT_EXPECT_EQ(t, VideoPortMapMemory(vp_device_extension(w.dev), fake.vram, &len, &io, &base),
                 NO_ERROR);
    KT_EXPECT(t, share(&w, 0, PAGE_SIZE, &status) == 0 && status == STATUS_INVALID_PARAMETER);
    KT_EXPECT_EQ(t, VideoPortUnmapMemory(vp_device_extension(w.dev), base, NULL), NO_ERROR);
    KT_EXPECT(t, share(&w, 0, PAGE_SIZE, &status) != 0);
    world_close(t, &w);
}

/* F21: a mode set revokes the view; its pages then show one scratch page. */
static void mode_set_revokes_views(struct ktest *t)
{
    struct world w;
    world_open(&w, 0);
    NTSTATUS status;
    uint32_t va = share(&w, 0, 2 * PAGE_SIZE, &status);
    uint32_t generation = vp_generation(w.dev), pa, rights, info;
    VIDEO_MODE set = { 1 };
    KT_EXPECT_EQ(t, request(&w, IOCTL_VIDEO_SET_CURRENT_MODE, &set, 4, 0, &info), STATUS_SUCCESS);
    KT_EXPECT_EQ(t, vp_generation(w.dev), generation + 1);
    KT_EXPECT_EQ(t, seen.mode_changes, 1);
    KT_EXPECT_EQ(t, seen.last_live, 0);
    KT_EXPECT(t, !pg_lookup(&w.caller.vm->pd, va, &pa, &rights));
    uint32_t word = 0xDEAD, back = 0;
    KT_EXPECT_EQ(t, vm_copy_out(w.caller.vm, va + PAGE_SIZE, &word, 4), 0); /* harmless */
    KT_EXPECT(t, !pg_lookup(&w.caller.vm->pd, va + PAGE_SIZE, &pa, &rights)); /* not faulted */
    KT_EXPECT_EQ(t, touch(&w.caller, va + PAGE_SIZE), FAULT_RESUME);
    KT_EXPECT(t, pg_lookup(&w.caller.vm->pd, va + PAGE_SIZE, &pa, &rights));
    KT_EXPECT(t, pa < fake.vram || pa >= fake.vram + FAKE_PAGES * PAGE_SIZE);
    KT_EXPECT(t, vm_copy_in(w.caller.vm, &back, va, 4) == 0 && back == word); /* one frame */
    union {
        VIDEO_MEMORY in;
        VIDPORT_VIEW_INFORMATION out;
    } q = { .in = { (PVOID)va } };
    KT_EXPECT_EQ(t, request(&w, IOCTL_VIDPORT_QUERY_VIEW, &q, 4, sizeof(q.out), &info),
                 STATUS_SUCCESS);
    KT_EXPECT_EQ(t, q.out.State, VIDPORT_VIEW_REVOKED);
    KT_EXPECT_EQ(t, q.out.Generation, generation + 1);
    KT_EXPECT_EQ(t, unshare(&w, va), STATUS_SUCCESS);
    KT_EXPECT_EQ(t, seen.view_changes, 2); /* went live once, revoked once */
    world_close(t, &w);
}

static void map_memory_follows_the_nt_contract(struct ktest *t)
{
    struct world w;
    world_open(&w, 0);
    void *ext = vp_device_extension(w.dev);
    ULONG len = 0, io = 0;
    PVOID va = (PVOID)1;
    KT_EXPECT_EQ(t, VideoPortMapMemory(ext, fake.vram, &len, &io, &va), ERROR_INVALID_PARAMETER);
    KT_EXPECT(t, va == NULL);
    len = PAGE_SIZE, io = VIDEO_MEMORY_SPACE_IO;
    KT_EXPECT_EQ(t, VideoPortMapMemory(ext, 0x1CE, &len, &io, &va), NO_ERROR);
    KT_EXPECT_EQ(t, (uint32_t)va, 0x1CE);
    va = NULL, io = VIDEO_MEMORY_SPACE_USER_MODE;
    KT_EXPECT_EQ(t, VideoPortMapMemory(ext, fake.vram, &len, &io, &va), ERROR_INVALID_PARAMETER);
    PVOID a = VideoPortGetDeviceBase(ext, fake.vram, PAGE_SIZE, 0);
    PVOID b = VideoPortGetDeviceBase(ext, fake.vram, PAGE_SIZE, 0);
    KT_EXPECT(t, a && a == b);
    *(volatile uint32_t *)a = 0xFEED;
    KT_EXPECT_EQ(t, *(uint32_t *)phys_to_virt(fake.vram), 0xFEED);
    VideoPortFreeDeviceBase(ext, a);
    KT_EXPECT_EQ(t, *(volatile uint32_t *)b, 0xFEED); /* still one reference */
    VideoPortFreeDeviceBase(ext, b);
    KT_EXPECT_EQ(t, VideoPortUnmapMemory(ext, a, NULL), ERROR_INVALID_PARAMETER);
    world_close(t, &w);
}

static VIDPORT_BANKING_INFORMATION banking(struct world *w)
{
    VIDPORT_BANKING_INFORMATION out = { 0 };
    ULONG info;
    request(w, IOCTL_VIDPORT_QUERY_BANKING, &out, 0, sizeof(out), &info);
    return out;
}

/* A world in banked mode `mode` with the whole shareable frame shared
 * into its process; the view's address (0 if the share failed). */
static uint32_t open_banked(struct world *w, ULONG mode)
{
    NTSTATUS status;
    world_open(w, 0);
    set_mode(w, mode);
    return share(w, 0, FAKE_SHAREABLE, &status);
}

/* T26, T27: nothing present at first; a touch shows its bank through the
 * routine and maps all of it; the next bank takes the old one away. */
static void banked_views_fault_in_whole_banks(struct ktest *t)
{
    struct world w;
    world_open(&w, 0);
    KT_EXPECT_EQ(t, set_mode(&w, 2), STATUS_SUCCESS);
    NTSTATUS status;
    uint32_t va = share(&w, 0, FAKE_SHAREABLE - 100, &status);
    KT_EXPECT(t, va && va % FAKE_BANK == 0);
    KT_EXPECT_EQ(t, present_pages(&w.caller, va, FAKE_SHAREABLE), 0);
    KT_EXPECT_EQ(t, touch(&w.caller, va + 3 * FAKE_BANK + 5), FAULT_RESUME);
    KT_EXPECT(t, fake.calls == 1 && fake.log[0][0] == 3 && fake.log[0][1] == 3);
    KT_EXPECT_EQ(t, present_pages(&w.caller, va, FAKE_SHAREABLE), FAKE_BANK / PAGE_SIZE);
    user_store(&w.caller, va + 3 * FAKE_BANK + 4, 0xCAFE0003);
    KT_EXPECT_EQ(t, touch(&w.caller, va), FAULT_RESUME);
    KT_EXPECT(t, fake.calls == 2 && fake.log[1][0] == 0);
    KT_EXPECT(t, !present(&w.caller, va + 3 * FAKE_BANK) && present(&w.caller, va));
    KT_EXPECT_EQ(t, *(uint32_t *)fake_byte(3 * FAKE_BANK + 4), 0xCAFE0003);
    VIDPORT_BANKING_INFORMATION b = banking(&w);
    KT_EXPECT(t, b.BankLength == FAKE_BANK && b.WindowSlots == 1 && b.SlotBank[0] == 0);
    KT_EXPECT(t, b.BankFaults == 2 && b.BankSwitches == 2 && b.StraddleResolutions == 0);
    KT_EXPECT_EQ(t, b.PresentBankPages, FAKE_BANK / PAGE_SIZE);
    KT_EXPECT(t, b.RoutineCycles > 0);
    uint32_t back = 0;
    KT_EXPECT_EQ(t, vm_copy_in(w.caller.vm, &back, va, 4), 0); /* shown: no switch */
    KT_EXPECT_EQ(t, banking(&w).RoutineCycles, b.RoutineCycles);
    KT_EXPECT_EQ(t, unshare(&w, va), STATUS_SUCCESS);
    KT_EXPECT_EQ(t, banking(&w).PresentBankPages, 0);
    world_close(t, &w);
}

static NTSTATUS map_banked(struct world *w, ULONG length, ULONG bank_length, ULONG process,
                           uint32_t *va)
{
    struct fake_banked_request r = { length, bank_length, process, NULL, 0 };
    ULONG info;
    NTSTATUS status = request(w, FAKE_IOCTL_MAP_BANKED, &r, sizeof(r), sizeof(r), &info);
    *va = (uint32_t)r.va;
    return status;
}

/* T28, F14: a bad geometry or a kernel request leaves no view behind. */
static void banked_requests_are_validated(struct ktest *t)
{
    struct world w;
    world_open(&w, 0);
    static const ULONG bad[][3] = {
        { 0x30000, 0xC000, 1 }, { 0x30000, 0x800, 1 }, { 0x40000, 0x20000, 1 },
        { 0x8000, 0x4000, 0 },  { 0, 0x4000, 1 },
    };
    uint32_t va;
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        KT_EXPECT_EQ(t, map_banked(&w, bad[i][0], bad[i][1], bad[i][2], &va),
                     STATUS_INVALID_PARAMETER);
        KT_EXPECT_EQ(t, va, 0);
    }
    KT_EXPECT_EQ(t, vm_region_count(), w.regions);
    KT_EXPECT_EQ(t, map_banked(&w, 0x8000, 0x4000, 1, &va), STATUS_SUCCESS);
    KT_EXPECT(t, va && va % 0x4000 == 0 && present_pages(&w.caller, va, 0x8000) == 0);
    KT_EXPECT_EQ(t, unshare(&w, va), STATUS_SUCCESS);
    KT_EXPECT_EQ(t, map_banked(&w, 0x5001, 0x4000, 1, &va), STATUS_SUCCESS); /* F6': pages */
    KT_EXPECT_EQ(t, touch(&w.caller, va + 0x5000), FAULT_RESUME);
    KT_EXPECT_EQ(t, present_pages(&w.caller, va, 0x8000), 2); /* bank 1 ends with the view */
    KT_EXPECT_EQ(t, touch(&w.caller, va + 0x6000), FAULT_SEGV);
    KT_EXPECT_EQ(t, unshare(&w, va), STATUS_SUCCESS);
    world_close(t, &w);
}

/* F18': ReadWriteBank FALSE is NT's independent read and write banks at
 * one address, not a second window: one slot, the routine gets the same
 * bank twice, and every page maps the window's own frames. */
static void separate_read_and_write_banks_share_one_window(struct ktest *t)
{
    struct world w;
    world_open(&w, 0);
    struct fake_banked_request r = { 0x8000, 0x4000, 1, NULL, 1 };
    ULONG info;
    uint32_t pa, rights;
    KT_EXPECT_EQ(t, request(&w, FAKE_IOCTL_MAP_BANKED, &r, sizeof(r), sizeof(r), &info),
                 STATUS_SUCCESS);
    uint32_t va = (uint32_t)r.va;
    KT_EXPECT_EQ(t, touch(&w.caller, va + 0x4000), FAULT_RESUME);
    KT_EXPECT(t, fake.calls == 1 && fake.log[0][0] == 1 && fake.log[0][1] == 1);
    KT_EXPECT(t, pg_lookup(&w.caller.vm->pd, va + 0x5000, &pa, &rights));
    KT_EXPECT_EQ(t, pa, fake.window + 0x1000); /* the one window, never past it */
    KT_EXPECT_EQ(t, touch(&w.caller, va), FAULT_RESUME);
    KT_EXPECT(t, !present(&w.caller, va + 0x4000)); /* one bank at a time */
    KT_EXPECT_EQ(t, unshare(&w, va), STATUS_SUCCESS);
    world_close(t, &w);
}

/* F17: a view asking again for the bank its last switch took gets a RAM
 * copy of it instead; stores there reach video memory at the next sync. */
static void ping_pong_is_settled_with_a_bounce(struct ktest *t)
{
    struct world w;
    uint32_t va = open_banked(&w, 2), pa, rights;
    KT_EXPECT(t, touch(&w.caller, va) == FAULT_RESUME &&
                     touch(&w.caller, va + FAKE_BANK) == FAULT_RESUME &&
                     touch(&w.caller, va) == FAULT_RESUME);
    KT_EXPECT(t, pg_lookup(&w.caller.vm->pd, va, &pa, &rights));
    KT_EXPECT(t, pa < fake.window || pa >= fake.window + 2 * FAKE_BANK); /* not the window */
    KT_EXPECT(t, present(&w.caller, va + FAKE_BANK)); /* both banks present */
    KT_EXPECT_EQ(t, banking(&w).StraddleResolutions, 1);
    KT_EXPECT_EQ(t, banking(&w).BankSwitches, 4); /* two switches, one copy in */
    user_store(&w.caller, va + 8, 0x5EED);
    vm_sync(w.caller.vm);
    KT_EXPECT(t, !present(&w.caller, va) && present(&w.caller, va + FAKE_BANK));
    KT_EXPECT_EQ(t, *(uint32_t *)fake_byte(8), 0x5EED);
    KT_EXPECT_EQ(t, banking(&w).SlotBank[0], 1);
    KT_EXPECT_EQ(t, unshare(&w, va), STATUS_SUCCESS);
    world_close(t, &w);
}

/* F23: the kernel's copies reach a bank where the process's own access
 * would, and fault nothing in: a bank no slot shows through the window
 * borrowed and given back, a bounced bank through its bounce, written
 * back at the next sync. */
static void kernel_copies_follow_the_banks(struct ktest *t)
{
    struct world w;
    uint32_t va = open_banked(&w, 2), word = 0xC0DE0001, back = 0;
    KT_EXPECT_EQ(t, touch(&w.caller, va), FAULT_RESUME);
    KT_EXPECT_EQ(t, vm_copy_out(w.caller.vm, va + 3 * FAKE_BANK - 2, &word, 4), 0);
    KT_EXPECT_EQ(t, *(uint32_t *)fake_byte(3 * FAKE_BANK - 2), word); /* across banks 2/3 */
    VIDPORT_BANKING_INFORMATION b = banking(&w);
    KT_EXPECT(t, b.SlotBank[0] == 0 && b.BankFaults == 1 && b.StraddleResolutions == 0);
    KT_EXPECT(t, present(&w.caller, va) && present_pages(&w.caller, va, FAKE_SHAREABLE) ==
                                               FAKE_BANK / PAGE_SIZE);
    KT_EXPECT(t, touch(&w.caller, va + FAKE_BANK) == FAULT_RESUME &&
                     touch(&w.caller, va) == FAULT_RESUME); /* bank 0 bounced */
    word = 0xC0DE0002;
    KT_EXPECT_EQ(t, vm_copy_out(w.caller.vm, va + 16, &word, 4), 0);
    KT_EXPECT(t, vm_copy_in(w.caller.vm, &back, va + 16, 4) == 0 && back == word);
    vm_sync(w.caller.vm);
    KT_EXPECT_EQ(t, *(uint32_t *)fake_byte(16), word); /* the bounce was written back */
    KT_EXPECT_EQ(t, unshare(&w, va), STATUS_SUCCESS);
    world_close(t, &w);
}

/* A second process with a view of the whole shareable range. */
static uint32_t share_for_another(struct world *w, struct proc *other, int pid)
{
    NTSTATUS status;
    struct proc caller = w->caller;
    *other = (struct proc){ .pid = pid, .state = PROC_RUNNABLE, .vm = vm_create() };
    w->caller = *other;
    uint32_t va = share(w, 0, FAKE_SHAREABLE, &status);
    w->caller = caller;
    return va;
}

/* End a test of the world's process and another: the other's space (its
 * view with it), then the world's view at va and the world. */
static void close_with_other(struct ktest *t, struct world *w, struct proc *other, uint32_t va)
{
    vm_destroy(other->vm);
    KT_EXPECT_EQ(t, unshare(w, va), STATUS_SUCCESS);
    world_close(t, w);
}

/* F15, T30: the window is global; another process's switch, or a kernel
 * copy for it, takes this one's bank away, and each still reads what it
 * wrote. */
static void banks_are_arbitrated_across_processes(struct ktest *t)
{
    struct world w;
    uint32_t a = open_banked(&w, 2);
    struct proc caller = w.caller, other;
    uint32_t b = share_for_another(&w, &other, 9998), got = 0;
    uint32_t mine = 0xAAAA0002, theirs = 0xBBBB0004;
    KT_EXPECT_EQ(t, touch(&caller, a + 2 * FAKE_BANK), FAULT_RESUME);
    user_store(&caller, a + 2 * FAKE_BANK, mine);
    KT_EXPECT_EQ(t, touch(&other, b + 4 * FAKE_BANK), FAULT_RESUME);
    user_store(&other, b + 4 * FAKE_BANK, theirs);
    KT_EXPECT(t, !present(&caller, a + 2 * FAKE_BANK) && present(&other, b + 4 * FAKE_BANK));
    KT_EXPECT_EQ(t, touch(&caller, a + 2 * FAKE_BANK), FAULT_RESUME);
    KT_EXPECT(t, vm_copy_in(caller.vm, &got, a + 2 * FAKE_BANK, 4) == 0 && got == mine);
    KT_EXPECT(t, !present(&other, b + 4 * FAKE_BANK));
    KT_EXPECT(t, vm_copy_in(other.vm, &got, b + 4 * FAKE_BANK, 4) == 0 && got == theirs);
    /* The kernel's copy for the other took the caller's bank from it for
     * the length of the copy: the caller might be storing through it on
     * another CPU. Its next touch brings it back, as it left it. */
    KT_EXPECT(t, !present(&other, b + 4 * FAKE_BANK) && !present(&caller, a + 2 * FAKE_BANK));
    KT_EXPECT_EQ(t, touch(&caller, a + 2 * FAKE_BANK), FAULT_RESUME);
    KT_EXPECT(t, vm_copy_in(caller.vm, &got, a + 2 * FAKE_BANK, 4) == 0 && got == mine);
    KT_EXPECT_EQ(t, banking(&w).PresentBankPages, FAKE_BANK / PAGE_SIZE);
    vm_destroy(other.vm); /* its view goes with its space */
    KT_EXPECT_EQ(t, banking(&w).PresentBankPages, FAKE_BANK / PAGE_SIZE); /* the caller's */
    KT_EXPECT_EQ(t, unshare(&w, a), STATUS_SUCCESS);
    world_close(t, &w);
}

/* F18: two slots keep two banks present, so going back and forth between
 * them costs no switch and no bounce. */
static void two_slots_keep_two_banks(struct ktest *t)
{
    struct world w;
    uint32_t va = open_banked(&w, 3), word = 0x77, got = 0;
    for (int round = 0; round < 3; round++) {
        KT_EXPECT_EQ(t, touch(&w.caller, va + FAKE_BANK + round), FAULT_RESUME);
        KT_EXPECT_EQ(t, vm_copy_out(w.caller.vm, va + FAKE_BANK + round, &word, 1), 0);
        KT_EXPECT_EQ(t, touch(&w.caller, va + 5 * FAKE_BANK), FAULT_RESUME);
        KT_EXPECT_EQ(t, vm_copy_in(w.caller.vm, &got, va + 5 * FAKE_BANK, 1), 0);
    }
    VIDPORT_BANKING_INFORMATION b = banking(&w);
    KT_EXPECT(t, b.WindowSlots == 2 && b.SlotBank[0] == 1 && b.SlotBank[1] == 5);
    KT_EXPECT(t, b.BankSwitches == 2 && b.StraddleResolutions == 0 && fake.calls == 2);
    KT_EXPECT(t, fake.log[1][0] == 1 && fake.log[1][1] == 5);
    KT_EXPECT_EQ(t, b.PresentBankPages, 2 * FAKE_BANK / PAGE_SIZE);
    KT_EXPECT_EQ(t, unshare(&w, va), STATUS_SUCCESS);
    world_close(t, &w);
}

/* F21 with banks: a mode set takes every bank and the bounce out. */
static void mode_set_leaves_no_bank_behind(struct ktest *t)
{
    struct world w;
    uint32_t va = open_banked(&w, 2);
    touch(&w.caller, va);
    touch(&w.caller, va + FAKE_BANK);
    touch(&w.caller, va); /* a bounce copy of bank 0 */
    VIDPORT_BANKING_INFORMATION before = banking(&w);
    KT_EXPECT_EQ(t, before.PresentBankPages, 2 * FAKE_BANK / PAGE_SIZE);
    KT_EXPECT_EQ(t, set_mode(&w, 3), STATUS_SUCCESS);
    VIDPORT_BANKING_INFORMATION after = banking(&w);
    KT_EXPECT_EQ(t, after.PresentBankPages, 0);
    KT_EXPECT(t, after.BankFaults == before.BankFaults && after.BankSwitches >= before.BankSwitches);
    KT_EXPECT_EQ(t, present_pages(&w.caller, va, FAKE_SHAREABLE), 0);
    KT_EXPECT_EQ(t, unshare(&w, va), STATUS_SUCCESS);
    world_close(t, &w);
}

#define LEASE_OUTLIVED_TICKS 5 /* longer than any lease (a tick or two) */

/* Issue 19 (5): the last switcher keeps its bank until it has used the
 * page it faulted on, or its lease has run out: another process's fault
 * that would take the slot waits (others run, then it faults again),
 * so two processes on two CPUs cannot take the slot from each other for
 * ever before either instruction runs. */
static void a_fresh_switch_is_leased_until_used(struct ktest *t)
{
    struct world w;
    uint32_t a = open_banked(&w, 2);
    struct proc other;
    uint32_t b = share_for_another(&w, &other, 9996);
    KT_EXPECT_EQ(t, touch(&w.caller, a + 2 * FAKE_BANK), FAULT_RESUME);
    uint32_t waits = banking(&w).LeaseWaits;
    KT_EXPECT_EQ(t, touch(&other, b + 4 * FAKE_BANK), FAULT_WAIT);
    KT_EXPECT(t, present(&w.caller, a + 2 * FAKE_BANK) && !present(&other, b + 4 * FAKE_BANK));
    KT_EXPECT_EQ(t, banking(&w).LeaseWaits, waits + 1);
    user_store(&w.caller, a + 2 * FAKE_BANK + 4, 0x1EA5E); /* used: the lease ends */
    KT_EXPECT_EQ(t, touch(&other, b + 4 * FAKE_BANK), FAULT_RESUME);
    KT_EXPECT(t, !present(&w.caller, a + 2 * FAKE_BANK) && present(&other, b + 4 * FAKE_BANK));
    KT_EXPECT_EQ(t, *(uint32_t *)fake_byte(2 * FAKE_BANK + 4), 0x1EA5Eu);
    /* Now the other holds the lease, unused: it lasts a tick or two only. */
    KT_EXPECT_EQ(t, touch(&w.caller, a + 2 * FAKE_BANK), FAULT_WAIT);
    uint64_t end = timer_ticks() + LEASE_OUTLIVED_TICKS;
    while (timer_ticks() < end)
        cpu_halt();
    KT_EXPECT_EQ(t, touch(&w.caller, a + 2 * FAKE_BANK), FAULT_RESUME);
    KT_EXPECT_EQ(t, banking(&w).LeaseWaits, waits + 2);
    close_with_other(t, &w, &other, a);
}

/* Each slot has a lease of its own: with two slots, a third process's
 * fault waits while both switchers have yet to use their pages, then takes
 * the slot of the one that has, and the other keeps its bank. */
static void each_slot_keeps_its_own_lease(struct ktest *t)
{
    struct world w;
    uint32_t a = open_banked(&w, 3);
    struct proc b_proc, c_proc;
    uint32_t b = share_for_another(&w, &b_proc, 9995), c = share_for_another(&w, &c_proc, 9994);
    KT_EXPECT_EQ(t, touch(&w.caller, a + 2 * FAKE_BANK), FAULT_RESUME);
    KT_EXPECT_EQ(t, touch(&b_proc, b + 4 * FAKE_BANK), FAULT_RESUME); /* the other slot */
    KT_EXPECT_EQ(t, touch(&c_proc, c + 6 * FAKE_BANK), FAULT_WAIT);
    user_store(&w.caller, a + 2 * FAKE_BANK, 0xA11CE);
    KT_EXPECT_EQ(t, touch(&c_proc, c + 6 * FAKE_BANK), FAULT_RESUME);
    KT_EXPECT(t, !present(&w.caller, a + 2 * FAKE_BANK) && present(&b_proc, b + 4 * FAKE_BANK));
    VIDPORT_BANKING_INFORMATION info = banking(&w);
    KT_EXPECT(t, info.SlotBank[0] == 6 && info.SlotBank[1] == 4 && info.LeaseWaits == 1);
    KT_EXPECT_EQ(t, *(uint32_t *)fake_byte(2 * FAKE_BANK), 0xA11CEu);
    vm_destroy(b_proc.vm);
    close_with_other(t, &w, &c_proc, a);
}

/* A lease outlasts a kernel copy for another process that borrows its
 * slot and gives it back: the copy must not let a third switch in. */
static void a_lease_outlasts_a_borrow(struct ktest *t)
{
    struct world w;
    uint32_t a = open_banked(&w, 2), word = 0xB0220001;
    struct proc other;
    uint32_t b = share_for_another(&w, &other, 9992);
    KT_EXPECT_EQ(t, touch(&w.caller, a + 2 * FAKE_BANK), FAULT_RESUME);
    KT_EXPECT_EQ(t, vm_copy_out(other.vm, b + 5 * FAKE_BANK, &word, 4), 0); /* borrows */
    KT_EXPECT_EQ(t, *(uint32_t *)fake_byte(5 * FAKE_BANK), word);
    KT_EXPECT_EQ(t, banking(&w).SlotBank[0], 2); /* given back */
    KT_EXPECT_EQ(t, touch(&other, b + 6 * FAKE_BANK), FAULT_WAIT);
    close_with_other(t, &w, &other, a);
}

/* What each switch found of a view being unshared: its process may run on
 * another CPU, storing through what it has mapped. */
static const struct proc *closing;
static uint32_t closing_va;
static bool closing_seen_mapped;

static void look_at_the_closing_view(void)
{
    closing_seen_mapped |= present(closing, closing_va);
}

/* A view being unshared leaves the window before anything switches it:
 * the write-back of a bounce (another process's, here) borrows the slot
 * the view still showed, and a store of its process meanwhile would land
 * in the borrowed bank. */
static void an_unshared_view_leaves_the_window_first(struct ktest *t)
{
    struct world w;
    uint32_t a = open_banked(&w, 2);
    struct proc other, caller = w.caller;
    uint32_t c = share_for_another(&w, &other, 9993);
    KT_EXPECT(t, touch(&caller, a) == FAULT_RESUME && touch(&caller, a + 3 * FAKE_BANK) ==
                     FAULT_RESUME && touch(&caller, a) == FAULT_RESUME); /* bank 0 bounced */
    user_store(&caller, a + 8, 0xB0B0);
    user_store(&caller, a + 3 * FAKE_BANK, 1); /* its lease is used */
    KT_EXPECT_EQ(t, touch(&other, c + FAKE_BANK), FAULT_RESUME);
    closing = &other;
    closing_va = c + FAKE_BANK;
    closing_seen_mapped = false;
    fake.on_switch = look_at_the_closing_view;
    w.caller = other;
    KT_EXPECT_EQ(t, unshare(&w, c), STATUS_SUCCESS);
    w.caller = caller;
    fake.on_switch = NULL;
    KT_EXPECT(t, !closing_seen_mapped);
    KT_EXPECT_EQ(t, *(uint32_t *)fake_byte(8), 0xB0B0u); /* the bounce went back */
    close_with_other(t, &w, &other, a);
}

/* A bounce goes back to video memory page by page, only the pages its
 * process wrote (the dirty bits its page-table entries held when they
 * were taken out): a page it only read never overwrites what video
 * memory holds by then. */
static void only_written_bounce_pages_go_back(struct ktest *t)
{
    struct world w;
    uint32_t va = open_banked(&w, 2);
    KT_EXPECT(t, touch(&w.caller, va) == FAULT_RESUME &&
                     touch(&w.caller, va + FAKE_BANK) == FAULT_RESUME &&
                     touch(&w.caller, va) == FAULT_RESUME); /* bank 0 bounced */
    KT_EXPECT_EQ(t, banking(&w).StraddleResolutions, 1);
    user_store(&w.caller, va + PAGE_SIZE + 8, 0xD1E7);
    *(uint32_t *)fake_byte(16) = 0xF7E5; /* page 0 changes behind the bounce */
    vm_sync(w.caller.vm);
    KT_EXPECT_EQ(t, *(uint32_t *)fake_byte(PAGE_SIZE + 8), 0xD1E7u);
    KT_EXPECT_EQ(t, *(uint32_t *)fake_byte(16), 0xF7E5u);
    KT_EXPECT_EQ(t, unshare(&w, va), STATUS_SUCCESS);
    world_close(t, &w);
}

KTEST_SUITE(videoport_suite, "videoport", false,
            KTEST_CASE(unknown_codes_reach_the_miniport),
            KTEST_CASE(share_maps_the_fake_frames),
            KTEST_CASE(kernel_copies_into_linear_views_stay_on_this_cpu),
            KTEST_CASE(conflicting_cache_types_are_refused),
            KTEST_CASE(mode_set_revokes_views),
            KTEST_CASE(map_memory_follows_the_nt_contract),
            KTEST_CASE(banked_views_fault_in_whole_banks),
            KTEST_CASE(banked_requests_are_validated),
            KTEST_CASE(separate_read_and_write_banks_share_one_window),
            KTEST_CASE(ping_pong_is_settled_with_a_bounce),
            KTEST_CASE(kernel_copies_follow_the_banks),
            KTEST_CASE(banks_are_arbitrated_across_processes),
            KTEST_CASE(two_slots_keep_two_banks),
            KTEST_CASE(mode_set_leaves_no_bank_behind),
            KTEST_CASE(a_fresh_switch_is_leased_until_used),
            KTEST_CASE(each_slot_keeps_its_own_lease),
            KTEST_CASE(a_lease_outlasts_a_borrow),
            KTEST_CASE(an_unshared_view_leaves_the_window_first),
            KTEST_CASE(only_written_bounce_pages_go_back));

/* T31: a bank routine that faults is a kernel bug: the kernel panics with
 * the dump and a backtrace through the arbiter, never recursing into it. */
static void faulting_bank_routine_panics(struct ktest *t)
{
    struct world w;
    uint32_t va = open_banked(&w, 2);
    fake.routine_faults = true;
    KT_EXPECT(t, va != 0);
    touch(&w.caller, va);
    KT_EXPECT(t, false); /* not reached: the fault ends the test */
}

KTEST_SUITE(videoport_crash_suite, "vpcrash", true,
            KTEST_CASE(faulting_bank_routine_panics));