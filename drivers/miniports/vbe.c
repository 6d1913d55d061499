/*
 * Miniport for any VBE 2.0+ adapter, driven through its own video BIOS
 * (VideoPortInt10 and the INT 10 interface): 4F00 for the mode list and
 * the video memory, 4F01 for each mode, 4F02 to set one (bit 14 for the
 * linear frame buffer), 4F05 or the modes' window function (WinFuncPtr,
 * when it works and is measured faster at start) to move window A for
 * the banked twins. The
 * modes are those vbe_add_mode takes (vbe_modes.h). 8 bpp modes use the
 * RGB 3-3-2 palette, loaded through the DAC ports (SeaVGABIOS has no
 * 4F09). On a UEFI boot there is no video BIOS: the miniport declines in
 * one line and the next one drives the screen. video=banked makes the
 * banked twin of the start mode (800x600x32, else the first) current.
 */
#include "drivers/videoport/miniport_api.h"
#include "builtin.h"
#include "vbe_modes.h"

#include "drivers/pci.h"
#include "kernel/kstring.h"
#include "vga_regs.h"

#define VBE_OK 0x004F
#define VBE_LINEAR 0x4000u
#define VBE_KEEP_MEMORY 0x8000u
#define VBE_MODE_LIST_MAX 128
#define PAGE 4096u
#define PCI_CLASS_DISPLAY 0x03
#define MEASURED_MOVES_LOG2 3
#define MEASURED_MOVES (1 << MEASURED_MOVES_LOG2)
#define MEASURED_ROUNDS 3

static struct vbe_modes the_table; /* one VBE adapter: the one whose BIOS is at C0000 */

struct vbe_extension {
    VIDEO_PORT_INT10_INTERFACE bios;
    USHORT seg, off;      /* the low-memory buffer lent while the modes are listed */
    uint32_t vram_size;
    struct vbe_modes *table; /* the_table: too big for the extension's heap object */
    ULONG current, boot_mode;
    bool bank_failed; /* said once on the console */
    bool by_function; /* the window moves by the modes' window function (choose_window_move) */
    ULONG position;   /* where the bank routine last moved the window (a mode set: 0) */
};

static VP_STATUS vbe_call(ULONG ax, ULONG bx, ULONG cx, ULONG dx, PVOID ext)
{
    VIDEO_X86_BIOS_ARGUMENTS a = { .Eax = ax, .Ebx = bx, .Ecx = cx, .Edx = dx };
    VP_STATUS status = VideoPortInt10(ext, &a);
    return status == NO_ERROR && (a.Eax & 0xFFFF) != VBE_OK ? ERROR_INVALID_PARAMETER : status;
}

/* 4F00 into the lent buffer ("VBE2" asks for the 2.0 fields): its block,
 * or NULL when the BIOS does not answer as VBE 2.0 or later. */
static const uint8_t *controller_info(struct vbe_extension *x)
{
    static uint8_t block[512];
    memset(block, 0, sizeof(block));
    memcpy(block, "VBE2", 4);
    INT10_BIOS_ARGUMENTS a = { .Eax = 0x4F00, .Edi = x->off, .SegEs = x->seg };
    if (x->bios.Int10WriteMemory(x->bios.Context, x->seg, x->off, block, sizeof(block)) ||
        x->bios.Int10CallBios(x->bios.Context, &a) || (a.Eax & 0xFFFF) != VBE_OK ||
        x->bios.Int10ReadMemory(x->bios.Context, x->seg, x->off, block, sizeof(block)))
        return NULL;
    bool vesa = memcmp(block, "VESA", 4) == 0 && (block[4] | block[5] << 8) >= 0x200;
    return vesa ? block : NULL;
}

/* The mode numbers the block's list names (read before another call can
 * overwrite it: SeaVGABIOS keeps the list in the block itself). */
static ULONG mode_numbers(const struct vbe_extension *x, const uint8_t *block, USHORT *out)
{
    USHORT off = (USHORT)(block[0x0E] | block[0x0F] << 8);
    USHORT seg = (USHORT)(block[0x10] | block[0x11] << 8);
    ULONG n = 0;
    if (x->bios.Int10ReadMemory(x->bios.Context, seg, off, out, VBE_MODE_LIST_MAX * 2))
        return 0;
    while (n < VBE_MODE_LIST_MAX && out[n] != 0xFFFF)
        n++;
    return n;
}

/* Mode `number` as 4F01 describes it into the table: the entries added
 * (0 when the BIOS does not answer). */
static ULONG add_mode(struct vbe_extension *x, USHORT number)
{
    struct vbe_mode_info info;
    INT10_BIOS_ARGUMENTS a = { .Eax = 0x4F01, .Ecx = number, .Edi = x->off, .SegEs = x->seg };
    if (x->bios.Int10CallBios(x->bios.Context, &a) || (a.Eax & 0xFFFF) != VBE_OK ||
        x->bios.Int10ReadMemory(x->bios.Context, x->seg, x->off, &info, sizeof(info)))
        return 0;
    return vbe_add_mode(x->table, number, &info, x->vram_size);
}

/* Where linear frame buffers may lie: the largest memory BAR of the first
 * display device, so that a BIOS cannot hand out RAM as a frame buffer.
 * Without one, no linear twins. */
static void find_frame_buffer_bar(struct vbe_modes *t)
{
    struct pci_location at;
    uint32_t base, size, best = 0;
    for (int bar = 0; pci_find_class(PCI_CLASS_DISPLAY, &at) && bar < 6; bar++) {
        if (pci_memory_bar(at, bar, &base, &size) && size > best) {
            best = size;
            t->lfb_base = base;
            t->lfb_limit = (uint64_t)base + size;
        }
    }
}

/* The modes, from 4F00's list and 4F01 for each: false when there is no
 * video BIOS or it offers none. */
static bool list_modes(struct vbe_extension *x)
{
    static USHORT numbers[VBE_MODE_LIST_MAX];
    const uint8_t *block = controller_info(x);
    if (!block)
        return false;
    x->vram_size = (uint32_t)(block[0x12] | block[0x13] << 8) << 16;
    USHORT version = (USHORT)(block[4] | block[5] << 8);
    ULONG n = mode_numbers(x, block, numbers), taken = 0;
    find_frame_buffer_bar(x->table);
    for (ULONG i = 0; i < n; i++)
        taken += add_mode(x, numbers[i]) > 0;
    kprintf("video: vbe: VBE %u.%u, %u KiB, %u of the BIOS's %u modes taken, %u entries\n",
            version >> 8, version & 0xFF, x->vram_size >> 10, taken, n, x->table->count);
    return x->table->count > 0;
}

static VP_STATUS vbe_find_adapter(PVOID ext)
{
    struct vbe_extension *x = ext;
    ULONG length = 512;
    x->table = &the_table;
    the_table = (struct vbe_modes){ .count = 0 };
    VIDEO_X86_BIOS_ARGUMENTS probe = { .Eax = 0x4F03 };
    if (VideoPortInt10(ext, &probe) == ERROR_INVALID_FUNCTION) {
        kprintf("video: vbe: no video BIOS of the adapter's own (a UEFI boot); "
                "trying the next miniport\n");
        return ERROR_DEV_NOT_EXIST;
    }
    x->bios = (VIDEO_PORT_INT10_INTERFACE){ .Size = sizeof(x->bios),
                                            .Version = VIDEO_PORT_INT10_INTERFACE_VERSION_1 };
    if (VideoPortQueryServices(ext, VideoPortServicesInt10, (PINTERFACE)&x->bios) != NO_ERROR ||
        x->bios.Int10AllocateBuffer(x->bios.Context, &x->seg, &x->off, &length) != NO_ERROR)
        return ERROR_DEV_NOT_EXIST;
    bool found = list_modes(x);
    x->bios.Int10FreeBuffer(x->bios.Context, x->seg, x->off); /* mode sets and 4F05 need none */
    return found ? NO_ERROR : ERROR_DEV_NOT_EXIST;
}

bool vbe_probe(void)
{
    VIDEO_X86_BIOS_ARGUMENTS a = { .Eax = 0x4F03 };
    return VideoPortInt10(NULL, &a) == NO_ERROR && (a.Eax & 0xFFFF) == VBE_OK;
}

static bool is_banked(const VIDEO_MODE_INFORMATION *m)
{
    return m->AttributeFlags & VIDEO_MODE_BANKED;
}

/* Window A to `position` (in granularity units): by the modes' window
 * function (BX 0, DX the position, as 4F05 takes them; it returns
 * nothing) or by 4F05. */
static VP_STATUS move_window(struct vbe_extension *x, ULONG position, bool by_function)
{
    if (!by_function)
        return vbe_call(0x4F05, 0, 0, position, x);
    uint32_t f = x->table->window_function;
    VIDEO_X86_BIOS_ARGUMENTS a = { .Ebx = 0, .Edx = position };
    return vp_call_bios_function(x, (USHORT)(f >> 16), (USHORT)f, &a);
}

/* Whether window A shows `position`, as 4F05 BH=1 reads it back. */
static bool window_at(struct vbe_extension *x, ULONG position)
{
    VIDEO_X86_BIOS_ARGUMENTS a = { .Eax = 0x4F05, .Ebx = 0x0100 };
    return VideoPortInt10(x, &a) == NO_ERROR && (a.Eax & 0xFFFF) == VBE_OK &&
           (a.Edx & 0xFFFF) == position;
}

/* Cycles one move to `position` takes one way, the mean of
 * MEASURED_MOVES; UINT64_MAX when a move failed or the window is not
 * there after them (a function that returns without moving it). The
 * window goes back to position 0 by 4F05. */
static uint64_t move_cycles(struct vbe_extension *x, ULONG position, bool by_function)
{
    uint64_t start = rdtsc();
    bool moved = true;
    for (int i = 0; i < MEASURED_MOVES && moved; i++)
        moved = move_window(x, position, by_function) == NO_ERROR;
    uint64_t cycles = (rdtsc() - start) >> MEASURED_MOVES_LOG2;
    if (!moved || !window_at(x, position))
        cycles = UINT64_MAX;
    move_window(x, 0, false);
    return cycles;
}

/* Whether the window function reaches every bank it will be asked for, the
 * first, the last video memory holds and one between, each read back. */
static bool function_reaches_every_bank(struct vbe_extension *x)
{
    ULONG last = x->vram_size / x->table->bank_length - 1;
    const ULONG banks[] = { last, last / 2, 1, 0 };
    bool reached = true;
    for (size_t i = 0; i < ARRAY_SIZE(banks) && reached; i++) {
        ULONG position = banks[i] * x->table->granules_per_bank;
        reached = move_window(x, position, true) == NO_ERROR && window_at(x, position);
    }
    move_window(x, 0, false);
    return reached;
}

static void say_window_move(const struct vbe_extension *x, uint64_t by_call,
                            uint64_t by_function)
{
    unsigned seg = x->table->window_function >> 16, off = x->table->window_function & 0xFFFF;
    if (x->by_function)
        kprintf("video: vbe: the window moves by the window function at %04x:%04x: %llu cycles, "
                "against %llu by 4F05\n", seg, off, by_function, by_call);
    else if (by_function == UINT64_MAX && by_call == UINT64_MAX)
        kprintf("video: vbe: the window moves by 4F05, though neither it nor the window "
                "function at %04x:%04x was read back where it was sent\n", seg, off);
    else if (by_function == UINT64_MAX)
        kprintf("video: vbe: the window moves by 4F05: the window function at %04x:%04x failed "
                "or left the window where it was\n", seg, off);
    else
        kprintf("video: vbe: the window moves by 4F05: %llu cycles, against %llu by the window "
                "function at %04x:%04x\n", by_call, by_function, seg, off);
}

/* The cycles of a move to the second bank by 4F05 and by the window
 * function: the least of MEASURED_ROUNDS (the host adds noise, never takes
 * it away), UINT64_MAX for a way that failed in any round. */
static void measure_window_moves(struct vbe_extension *x, uint64_t *by_call,
                                 uint64_t *by_function)
{
    ULONG position = x->table->granules_per_bank;
    bool call_failed = false, function_failed = false;
    *by_call = *by_function = UINT64_MAX;
    for (int round = 0; round < MEASURED_ROUNDS; round++) {
        uint64_t call = move_cycles(x, position, false);
        uint64_t function = move_cycles(x, position, true);
        call_failed |= call == UINT64_MAX;
        function_failed |= function == UINT64_MAX;
        *by_call = call < *by_call ? call : *by_call;
        *by_function = function < *by_function ? function : *by_function;
    }
    *by_call = call_failed ? UINT64_MAX : *by_call;
    *by_function = function_failed ? UINT64_MAX : *by_function;
}

/* With a banked mode set: move the window to the second bank both ways,
 * each checked, and keep the window function for the bank routine when it
 * works and is faster by an eighth (less is noise), or when the
 * video.window=function option asks for it; video.window=4f05 measures
 * nothing. */
static void choose_window_move(struct vbe_extension *x)
{
    PCSTR forced = VideoPortGetOption(x, "video.window");
    x->by_function = false;
    if (forced && strcmp(forced, "4f05") != 0 && strcmp(forced, "function") != 0)
        kprintf("video: vbe: video.window=%s is neither 4f05 nor function: measuring\n", forced);
    if (forced && strcmp(forced, "4f05") == 0)
        kprintf("video: vbe: the window moves by 4F05 (video.window=4f05)\n");
    if (!x->table->window_function || (forced && strcmp(forced, "4f05") == 0))
        return;
    uint64_t by_call, by_function;
    measure_window_moves(x, &by_call, &by_function);
    if (by_function != UINT64_MAX && !function_reaches_every_bank(x))
        by_function = UINT64_MAX;
    bool faster = by_function < by_call - (by_call >> 3);
    x->by_function = by_function != UINT64_MAX &&
                     (faster || (forced && strcmp(forced, "function") == 0));
    say_window_move(x, by_call, by_function);
}

/* The bank routine: window A to `read_bank` (one window: the two are the
 * same), in granularity units, the way chosen; when the window function
 * fails, by 4F05 from then on. */
static void vbe_select_bank(ULONG read_bank, ULONG write_bank, PVOID context)
{
    (void)write_bank;
    struct vbe_extension *x = context;
    ULONG position = read_bank * x->table->granules_per_bank;
    VP_STATUS status = move_window(x, position, x->by_function);
    if (status != NO_ERROR && x->by_function) {
        x->by_function = false;
        kprintf("video: vbe: the window function failed; the window moves by 4F05 from now on\n");
        status = move_window(x, position, false);
    }
    if (status == NO_ERROR)
        x->position = position;
    if (status != NO_ERROR && !x->bank_failed) {
        kprintf("video: vbe: the BIOS did not move the window to bank %u (%d)\n", read_bank,
                (int)status);
        x->bank_failed = true;
    }
}

static VP_STATUS program_mode(struct vbe_extension *x, ULONG index, bool clear)
{
    const VIDEO_MODE_INFORMATION *m = &x->table->modes[index];
    ULONG bx = x->table->number[index] | (is_banked(m) ? 0 : VBE_LINEAR) |
               (clear ? 0 : VBE_KEEP_MEMORY);
    VP_STATUS status = vbe_call(0x4F02, bx, 0, 0, x);
    if (status == NO_ERROR && m->BitsPerPlane == 8)
        vga_load_rgb332_palette();
    return status;
}

/* 800x600x32 of the kind asked for (banked or linear), else the first
 * mode of that kind, else the first mode. */
static ULONG start_mode(const struct vbe_modes *t, bool banked)
{
    ULONG start = vbe_find_mode(t, 800, 600, 32, banked);
    for (ULONG i = 0; start == t->count && i < t->count; i++) {
        if (is_banked(&t->modes[i]) == banked)
            start = i;
    }
    return start < t->count ? start : 0;
}

static BOOLEAN vbe_initialize(PVOID ext)
{
    struct vbe_extension *x = ext;
    PCSTR video = VideoPortGetOption(ext, "video");
    bool banked = video && strcmp(video, "banked") == 0;
    x->boot_mode = start_mode(x->table, banked);
    x->current = x->boot_mode;
    ULONG first_banked = start_mode(x->table, true);
    bool measured = is_banked(&x->table->modes[first_banked]) &&
                    program_mode(x, first_banked, true) == NO_ERROR;
    if (measured)
        choose_window_move(x); /* 4F05 works only in a banked mode; it leaves the window at 0 */
    if (measured && first_banked == x->current)
        return TRUE; /* the start mode is set already */
    return program_mode(x, x->current, true) == NO_ERROR;
}

static struct vp_adapter_state vbe_state(PVOID ext)
{
    struct vbe_extension *x = ext;
    const VIDEO_MODE_INFORMATION *m = &x->table->modes[x->current];
    bool banked = is_banked(m);
    struct vp_adapter_state state = {
        .modes = x->table->modes, .mode_count = x->table->count, .current_mode = x->current,
        .reset_mode = x->boot_mode,
        .fb = vp_mode_frame_buffer(m, x->table->lfb_phys,
                                   VIDEO_MEMORY_SPACE_MEMORY | VIDEO_MEMORY_SPACE_P6CACHE,
                                   banked ? x->table->bank_length : PAGE),
    };
    if (banked) {
        state.fb.banking = (struct vp_bank_hardware){
            .bank_length = x->table->bank_length, .read_write_bank = TRUE, .window_count = 1,
            .windows = { { VBE_WINDOW_SEGMENT * 16u, x->table->bank_length,
                           VP_WINDOW_READ_WRITE } },
            .routine = vbe_select_bank, .context = x };
    }
    return state;
}

/* A mode the BIOS refused to set, or whose call the monitor ended
 * halfway, leaves the current one: set again, its video memory kept, and
 * the window back at the bank the port's views and console still take it
 * to show (a mode set moves it to the first). */
static VP_STATUS vbe_set_mode(PVOID ext, ULONG index, bool clear)
{
    struct vbe_extension *x = ext;
    VP_STATUS status = program_mode(x, index, clear);
    if (status == NO_ERROR) {
        x->current = index;
        x->position = 0;
    } else if (program_mode(x, x->current, false) == NO_ERROR &&
               is_banked(&x->table->modes[x->current])) {
        move_window(x, x->position, x->by_function);
    }
    return status;
}

VP_STANDARD_MINIPORT(vbe)
