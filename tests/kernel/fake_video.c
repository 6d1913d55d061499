/*
 * The fake adapter of the video port suites (see fake_video.h) and the
 * helpers that drive it.
 */
#include "fake_video.h"

#include "kernel/cpu.h"
#include "kernel/kstring.h"

struct fake fake;

/* Never mapped; a variable so the compiler cannot see the bad address. */
static volatile uint32_t *volatile fake_unmapped = (volatile uint32_t *)0x10;

uint8_t *fake_byte(uint32_t offset)
{
    uint32_t bank = offset / FAKE_BANK, slots = fake.mode == 3 ? 2 : 1;
    for (uint32_t s = 0; fake.mode >= 2 && s < slots; s++) {
        if (fake.slot_bank[s] == bank)
            return (uint8_t *)phys_to_virt(fake.window) + s * FAKE_BANK + offset % FAKE_BANK;
    }
    return (uint8_t *)phys_to_virt(fake.vram) + offset;
}

/* Move slot s's bank back to video memory and bring `bank` in. */
static void fake_load_slot(ULONG s, ULONG bank)
{
    uint8_t *slot = (uint8_t *)phys_to_virt(fake.window) + s * FAKE_BANK;
    uint8_t *vram = phys_to_virt(fake.vram);
    memcpy(vram + fake.slot_bank[s] * FAKE_BANK, slot, FAKE_BANK);
    memcpy(slot, vram + bank * FAKE_BANK, FAKE_BANK);
    fake.slot_bank[s] = bank;
}

static void fake_bank_routine(ULONG read_bank, ULONG write_bank, PVOID context)
{
    (void)context;
    if (fake.on_switch)
        fake.on_switch();
    if (fake.routine_faults)
        *fake_unmapped = read_bank;
    if (fake.calls < FAKE_LOG) {
        fake.log[fake.calls][0] = read_bank;
        fake.log[fake.calls][1] = write_bank;
    }
    fake.calls++;
    fake_load_slot(0, read_bank);
    if (fake.mode == 3)
        fake_load_slot(1, write_bank);
}

static struct vp_bank_hardware fake_banking(void)
{
    if (fake.mode < 2)
        return (struct vp_bank_hardware){ .routine = NULL };
    bool two = fake.mode == 3; /* two read-write windows side by side */
    return (struct vp_bank_hardware){
        .bank_length = FAKE_BANK, .read_write_bank = !two, .window_count = two ? 2 : 1,
        .windows = { { fake.window, FAKE_BANK, VP_WINDOW_READ_WRITE },
                     { fake.window + FAKE_BANK, FAKE_BANK, VP_WINDOW_READ_WRITE } },
        .routine = fake_bank_routine };
}

static void fake_map_banked(PVOID ext, PVIDEO_REQUEST_PACKET vrp)
{
    struct fake_banked_request *r = vrp->InputBuffer;
    ULONG io = 0;
    r->va = r->process ? NtCurrentProcess() : NULL;
    VP_STATUS status = VideoPortMapBankedMemory(ext, fake.window, &r->length, &io, &r->va,
                                                r->bank_length, !r->separate_banks,
                                                fake_bank_routine, NULL);
    vrp->StatusBlock->Status = status;
    vrp->StatusBlock->Information = status == NO_ERROR ? sizeof(*r) : 0;
}

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
    big.banked = true;
    vp_fill_mode(&fake.modes[2], 2, &big);
    vp_fill_mode(&fake.modes[3], 3, &big);
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
    const VIDEO_MODE_INFORMATION *m = &fake.modes[fake.mode];
    ULONG index, flags;
    struct vp_adapter_state state = {
        .modes = fake.modes, .mode_count = FAKE_MODES, .current_mode = fake.mode,
        .fb = { .vram_phys = fake.vram, .frame_length = m->VisScreenHeight * m->ScreenStride,
                .bitmap_length = m->VideoMemoryBitmapHeight * m->ScreenStride,
                .shareable_length = FAKE_SHAREABLE, .in_io_space = fake.in_io_space,
                .banking = fake_banking() },
    };
    if (vrp->IoControlCode == FAKE_IOCTL_MAP_BANKED) {
        fake_map_banked(ext, vrp);
    } else if (vrp->IoControlCode != IOCTL_VIDEO_SET_CURRENT_MODE) {
        vp_standard_request(ext, vrp, &state);
    } else if (vp_read_set_mode(vrp, FAKE_MODES, &index, &flags)) {
        fake.mode = index;
        fake.mode_sets++;
        vp_complete(vrp, NO_ERROR);
    }
    return TRUE;
}

static const VIDEO_HW_INITIALIZATION_DATA fake_hw = {
    .Name = "fake", .HwDeviceExtensionSize = 16, .HwFindAdapter = fake_find_adapter,
    .HwInitialize = fake_initialize, .HwStartIO = fake_start_io,
};

struct hooks_seen seen;

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

void world_open(struct world *w, ULONG in_io_space)
{
    w->frames = frame_free_count();
    w->objects = kheap_objects();
    w->regions = vm_region_count();
    w->records = vp_record_count();
    fake = (struct fake){ .vram = frame_alloc_run(FAKE_PAGES), .in_io_space = in_io_space,
                          .window = frame_alloc_run(2 * FAKE_BANK / PAGE_SIZE),
                          .slot_bank = { 0, 1 } };
    seen.mode_changes = seen.view_changes = 0;
    w->dev = vp_attach(&fake_hw);
    w->caller = (struct proc){ .pid = 9999, .state = PROC_RUNNABLE, .vm = vm_create() };
    if (!w->dev || !w->caller.vm)
        panic("video test setup failed");
    vp_set_display_hooks(w->dev, &test_hooks);
}

void world_close(struct ktest *t, struct world *w)
{
    vp_detach(w->dev);
    vm_destroy(w->caller.vm);
    frame_free_run(fake.vram, FAKE_PAGES);
    frame_free_run(fake.window, 2 * FAKE_BANK / PAGE_SIZE);
    KT_EXPECT_EQ(t, vp_record_count(), w->records);
    KT_EXPECT_EQ(t, vm_region_count(), w->regions);
    KT_EXPECT_EQ(t, kheap_objects(), w->objects);
    KT_EXPECT(t, vp_free_frames_back(w->frames, frame_free_count()));
}

NTSTATUS request(struct world *w, ULONG code, void *buffer, ULONG in, ULONG out, ULONG *info)
{
    return vp_device_control(w->dev, &w->caller, code, buffer, in, out, info);
}

uint32_t share_at(struct world *w, ULONG offset, ULONG size, uint32_t requested,
                  NTSTATUS *status)
{
    union {
        VIDEO_SHARE_MEMORY in;
        VIDEO_SHARE_MEMORY_INFORMATION out;
    } b = { .in = { NtCurrentProcess(), offset, size, (PVOID)requested } };
    ULONG info;
    *status = request(w, IOCTL_VIDEO_SHARE_VIDEO_MEMORY, &b, sizeof(b.in), sizeof(b.out), &info);
    return *status == STATUS_SUCCESS ? (uint32_t)b.out.VirtualAddress : 0;
}

uint32_t share(struct world *w, ULONG offset, ULONG size, NTSTATUS *status)
{
    return share_at(w, offset, size, 0, status);
}

NTSTATUS unshare(struct world *w, uint32_t va)
{
    VIDEO_SHARE_MEMORY in = { NtCurrentProcess(), 0, 0, (PVOID)va };
    ULONG info;
    return request(w, IOCTL_VIDEO_UNSHARE_VIDEO_MEMORY, &in, sizeof(in), 0, &info);
}

NTSTATUS set_mode(struct world *w, ULONG index)
{
    VIDEO_MODE set = { index };
    ULONG info;
    return request(w, IOCTL_VIDEO_SET_CURRENT_MODE, &set, sizeof(set), 0, &info);
}

bool present(const struct proc *p, uint32_t va)
{
    uint32_t pa, rights;
    return pg_lookup(&p->vm->pd, va, &pa, &rights);
}

uint32_t present_pages(const struct proc *p, uint32_t va, uint32_t size)
{
    uint32_t n = 0;
    for (uint32_t off = 0; off < size; off += PAGE_SIZE)
        n += present(p, va + off);
    return n;
}

enum fault_result touch(const struct proc *p, uint32_t va)
{
    struct fault_info fi = { .va = va, .access = FAULT_WRITE | FAULT_USER };
    return mm_handle_fault(p->vm, &fi);
}

void user_store(const struct proc *p, uint32_t va, uint32_t value)
{
    uint32_t cr3 = read_cr3();
    write_cr3(p->vm->pd.phys);
    *(volatile uint32_t *)va = value;
    write_cr3(cr3);
}
