/*
 * Video port suite: the port and display layers against a fake miniport
 * whose "video memory" is plain RAM, so every mapping can be checked
 * through the direct map. The fake logs what reaches its HwStartIO.
 */
#include "drivers/video/miniport.h"
#include "drivers/video/videoport.h"
#include "kernel/ktest.h"
#include "kernel/kstring.h"
#include "kernel/proc.h"
#include "mm/mm.h"

#define FAKE_PAGES 64                 /* 256 KiB of "VRAM" */
#define FAKE_SHAREABLE (48 * PAGE_SIZE) /* the rest is driver-private */
#define FAKE_WIDTH 256
#define FAKE_HEIGHT 192

static struct fake {
    uint32_t vram;        /* physical address of the RAM run */
    ULONG in_io_space;    /* cache flags the fake asks for */
    int start_io_calls, mode_sets;
    VIDEO_MODE_INFORMATION modes[2];
    ULONG current;
} fake;

static VP_STATUS fake_find_adapter(PVOID ext)
{
    (void)ext;
    struct vp_mode_desc big = { .width = FAKE_WIDTH, .height = FAKE_HEIGHT, .bpp = 32,
                                .stride = FAKE_WIDTH * 4, .bitmap_height = FAKE_HEIGHT };
    struct vp_mode_desc small = { .width = 128, .height = 96, .bpp = 16, .stride = 256,
                                  .bitmap_height = 96 };
    vp_standard_masks(32, &big);
    vp_standard_masks(16, &small);
    vp_fill_mode(&fake.modes[0], 0, &big);
    vp_fill_mode(&fake.modes[1], 1, &small);
    return fake.vram ? NO_ERROR : ERROR_DEV_NOT_EXIST;
}

static BOOLEAN fake_initialize(PVOID ext)
{
    (void)ext;
    return TRUE;
}

static BOOLEAN fake_start_io(PVOID ext, PVIDEO_REQUEST_PACKET vrp)
{
    fake.start_io_calls++;
    const VIDEO_MODE_INFORMATION *m = &fake.modes[fake.current];
    ULONG index, flags;
    struct vp_adapter_state state = {
        .modes = fake.modes, .mode_count = 2, .current_mode = fake.current,
        .fb = { .vram_phys = fake.vram, .frame_length = m->VisScreenHeight * m->ScreenStride,
                .bitmap_length = m->VideoMemoryBitmapHeight * m->ScreenStride,
                .shareable_length = FAKE_SHAREABLE, .in_io_space = fake.in_io_space },
    };
    if (vrp->IoControlCode != IOCTL_VIDEO_SET_CURRENT_MODE) {
        vp_standard_request(ext, vrp, &state);
    } else if (vp_read_set_mode(vrp, 2, &index, &flags)) {
        fake.current = index;
        fake.mode_sets++;
        vp_complete(vrp, NO_ERROR);
    }
    return TRUE;
}

static const VIDEO_HW_INITIALIZATION_DATA fake_hw = {
    .Name = "fake", .HwDeviceExtensionSize = 16, .HwFindAdapter = fake_find_adapter,
    .HwInitialize = fake_initialize, .HwStartIO = fake_start_io,
};

/* What the display hooks saw. */
static struct {
    int mode_changes, view_changes;
    uint32_t last_live;
} seen;

static void saw_views(struct vp_device *dev, uint32_t live)
{
    (void)dev;
    seen.view_changes++;
    seen.last_live = live;
}

static void saw_mode(struct vp_device *dev)
{
    (void)dev;
    seen.mode_changes++;
}

static const struct vp_display_hooks test_hooks = { saw_views, saw_mode };

/* One test's world: the fake adapter and a process to share into. */
struct world {
    struct vp_device *dev;
    struct proc caller;
    uint32_t frames, objects, regions, records;
};

static void world_open(struct world *w, ULONG in_io_space)
{
    w->frames = frame_free_count();
    w->objects = kheap_objects();
    w->regions = vm_region_count();
    w->records = vp_record_count();
    fake = (struct fake){ .vram = frame_alloc_run(FAKE_PAGES), .in_io_space = in_io_space };
    seen.mode_changes = seen.view_changes = 0;
    w->dev = vp_attach(&fake_hw);
    w->caller = (struct proc){ .pid = 9999, .state = PROC_RUNNABLE, .vm = vm_create() };
    if (!w->dev || !w->caller.vm)
        panic("video test setup failed");
    vp_set_display_hooks(w->dev, &test_hooks);
}

/* Tear down and check that every counter is back where it started. */
static void world_close(struct ktest *t, struct world *w)
{
    vp_detach(w->dev);
    vm_destroy(w->caller.vm);
    frame_free_run(fake.vram, FAKE_PAGES);
    KT_EXPECT_EQ(t, vp_record_count(), w->records);
    KT_EXPECT_EQ(t, vm_region_count(), w->regions);
    KT_EXPECT_EQ(t, kheap_objects(), w->objects);
    KT_EXPECT_EQ(t, frame_free_count(), w->frames);
}

static NTSTATUS request(struct world *w, ULONG code, void *buffer, ULONG in, ULONG out,
                        ULONG *info)
{
    return vp_device_control(w->dev, &w->caller, code, buffer, in, out, info);
}

/* SHARE [offset, offset + size) into the world's process; the VA or 0. */
static uint32_t share(struct world *w, ULONG offset, ULONG size, NTSTATUS *status)
{
    union {
        VIDEO_SHARE_MEMORY in;
        VIDEO_SHARE_MEMORY_INFORMATION out;
    } b = { .in = { NtCurrentProcess(), offset, size, NULL } };
    ULONG info;
    *status = request(w, IOCTL_VIDEO_SHARE_VIDEO_MEMORY, &b, sizeof(b.in), sizeof(b.out), &info);
    return *status == STATUS_SUCCESS ? (uint32_t)b.out.VirtualAddress : 0;
}

static NTSTATUS unshare(struct world *w, uint32_t va)
{
    VIDEO_SHARE_MEMORY in = { NtCurrentProcess(), 0, 0, (PVOID)va };
    ULONG info;
    return request(w, IOCTL_VIDEO_UNSHARE_VIDEO_MEMORY, &in, sizeof(in), 0, &info);
}

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
    uint32_t word = 0xDEAD;
    KT_EXPECT_EQ(t, vm_copy_out(w.caller.vm, va + PAGE_SIZE, &word, 4), 0); /* harmless */
    KT_EXPECT(t, pg_lookup(&w.caller.vm->pd, va + PAGE_SIZE, &pa, &rights));
    KT_EXPECT(t, pa < fake.vram || pa >= fake.vram + FAKE_PAGES * PAGE_SIZE);
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

static void banked_requests_are_validated(struct ktest *t)
{
    struct world w;
    world_open(&w, 0);
    void *ext = vp_device_extension(w.dev);
    static const ULONG bad_banks[] = { 0xC000, 0x800, 0x3000 };
    for (size_t i = 0; i < ARRAY_SIZE(bad_banks); i++) {
        ULONG len = 0x50000, io = 0;
        PVOID va = NtCurrentProcess();
        KT_EXPECT_EQ(t, VideoPortMapBankedMemory(ext, 0xA0000, &len, &io, &va, bad_banks[i],
                                                 TRUE, NULL, NULL), ERROR_INVALID_PARAMETER);
        KT_EXPECT(t, va == NULL);
    }
    KT_EXPECT_EQ(t, vm_region_count(), w.regions);
    world_close(t, &w);
}

KTEST_SUITE(videoport_suite, "videoport", false,
            KTEST_CASE(unknown_codes_reach_the_miniport),
            KTEST_CASE(share_maps_the_fake_frames),
            KTEST_CASE(conflicting_cache_types_are_refused),
            KTEST_CASE(mode_set_revokes_views),
            KTEST_CASE(map_memory_follows_the_nt_contract),
            KTEST_CASE(banked_requests_are_validated));
