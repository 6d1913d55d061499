/*
 * Fuzz target: the requests the port carries out for every miniport
 * (vp_standard_request and vp_read_set_mode, drivers/videoport/vp_requests.c),
 * compiled as the kernel has it. What lies below them (mapping, unmapping,
 * the bank arbiter) is replaced by stubs that record their arguments and
 * answer with a status from the input.
 *
 * A request arrives as the system call hands it over: one METHOD_BUFFERED
 * buffer of max(in, out) bytes, allocated to exactly that size so that
 * AddressSanitizer sees any access past it. Checked for every request:
 * - a buffer shorter than NT's i386 structure for the code is refused with
 *   ERROR_INSUFFICIENT_BUFFER, a long enough one never is;
 * - an unknown code is ERROR_INVALID_FUNCTION; a failed request reaches no
 *   stub unless its arguments were valid, reports no Information and
 *   leaves the buffer as it was;
 * - SHARE calls a mapping stub exactly when its range, checked here in 64
 *   bits, lies in the shareable part of video memory, with the range
 *   rounded up to whole units, and answers with what was mapped;
 * - queries answer the adapter's table, MAP and UNMAP pass what they must,
 *   FREE_PUBLIC_ACCESS_RANGES accepts only ports it reported;
 * - the answer does not depend on the buffer's bytes past
 *   InputBufferLength (the request runs again with them changed).
 *
 * Input: the adapter (mode count, current mode, frame buffer, banking,
 * public ports), the stubs' answers, the code, both lengths, a filler for
 * the bytes past the input, then the input bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#include "drivers/videoport/vp_internal.h"
#include "kernel/abi/vidport_abi.h"

#define PAGE 4096u
#define MAX_MODES 20
#define MAX_PORTS 4

/* NT's i386 structure sizes, written out rather than taken from the
 * headers, so that a layout change shows up here too. */
#define SIZE_VIDEO_MEMORY 4
#define SIZE_VIDEO_MEMORY_INFORMATION 16
#define SIZE_SHARE_MEMORY 16
#define SIZE_SHARE_MEMORY_INFORMATION 12
#define SIZE_NUM_MODES 8
#define SIZE_MODE_INFORMATION 80
#define SIZE_PUBLIC_ACCESS_RANGES 12
#define SIZE_VIDEO_MODE 4
#define SIZE_BANKING_INFORMATION 44

static const ULONG known_codes[] = { VIDPORT_REQUEST_CODES(VIDPORT_REQUEST_CODE) };

/* --- the layer below the requests, recorded --- */

enum stub_call { CALL_NONE, CALL_USER_VIEW, CALL_BANKED_VIEW, CALL_MAP, CALL_UNMAP, CALL_DESCRIBE };

struct stub_record {
    int calls, configures;
    enum stub_call call;
    uint64_t phys;
    ULONG size, io, first_bank;
    HANDLE process;
    PVOID va;
    uint32_t requested;
    const struct vp_bank_hardware *hw;
    bool banked;
};

static struct stub_record seen;
static struct {
    VP_STATUS status;  /* what mapping and unmapping answer */
    bool configure_ok; /* what vpi_bank_configure answers */
    uint32_t va;       /* the address a successful mapping returns */
} answer;

static int extension; /* the miniport's device extension, as the requests pass it */
static struct vp_device device;

struct vp_device *vpi_device_of(const void *ext)
{
    PROPERTY(ext == &extension);
    return &device;
}

static void record(enum stub_call call)
{
    seen.calls++;
    seen.call = call;
}

VP_STATUS vpi_map_user_view(struct vp_device *dev, PHYSICAL_ADDRESS phys, ULONG size,
                            ULONG in_io_space, HANDLE process, uint32_t requested, uint32_t *va)
{
    PROPERTY(dev == &device);
    record(CALL_USER_VIEW);
    seen.phys = phys, seen.size = size, seen.io = in_io_space;
    seen.process = process, seen.requested = requested;
    *va = answer.va;
    return answer.status;
}

VP_STATUS vpi_map_banked_view(struct vp_device *dev, const struct vp_bank_hardware *hw,
                              ULONG in_io_space, uint32_t first_bank, ULONG size,
                              HANDLE process, uint32_t requested, uint32_t *va)
{
    PROPERTY(dev == &device);
    record(CALL_BANKED_VIEW);
    seen.hw = hw, seen.io = in_io_space, seen.first_bank = first_bank, seen.size = size;
    seen.process = process, seen.requested = requested;
    *va = answer.va;
    return answer.status;
}

VP_STATUS VideoPortMapMemory(PVOID ext, PHYSICAL_ADDRESS phys, PULONG length, PULONG in_io_space,
                             PVOID *va)
{
    PROPERTY(ext == &extension);
    record(CALL_MAP);
    seen.phys = phys, seen.size = *length, seen.io = *in_io_space, seen.va = *va;
    *va = answer.status == NO_ERROR ? (PVOID)answer.va : NULL;
    return answer.status;
}

VP_STATUS VideoPortUnmapMemory(PVOID ext, PVOID va, HANDLE process)
{
    PROPERTY(ext == &extension);
    record(CALL_UNMAP);
    seen.va = va, seen.process = process;
    return answer.status;
}

bool vpi_bank_configure(struct vp_device *dev, const struct vp_bank_hardware *hw,
                        ULONG in_io_space)
{
    PROPERTY(dev == &device);
    seen.configures++;
    seen.hw = hw, seen.io = in_io_space;
    return answer.configure_ok;
}

void vpi_bank_describe(struct vp_device *dev, bool banked, VIDPORT_BANKING_INFORMATION *out)
{
    PROPERTY(dev == &device);
    record(CALL_DESCRIBE);
    seen.banked = banked;
    memset(out, 0xA5, sizeof(*out));
}

static void bank_routine(ULONG read_bank, ULONG write_bank, PVOID context)
{
    (void)read_bank, (void)write_bank, (void)context;
}

/* --- the adapter and the request, from the input --- */

struct adapter {
    VIDEO_MODE_INFORMATION modes[MAX_MODES];
    USHORT ports[MAX_PORTS];
    struct vp_adapter_state state;
};

/* A unit-sized value: a power of two often, anything sometimes. */
static ULONG take_shaped(struct fuzz_input *in, bool raw)
{
    uint32_t v = take_u32(in);
    return raw ? v : 1u << (12 + v % 5);
}

/* A banked geometry (F18'): one or two windows, often the shapes real
 * miniports describe (one read-write window; two side by side; a read and
 * a write window at one address), else anything. */
static struct vp_bank_hardware take_banking(struct fuzz_input *in, uint8_t shape,
                                            struct adapter *a)
{
    struct vp_bank_hardware hw = { .bank_length = take_shaped(in, shape & 2),
                                   .read_write_bank = take_u8(in) & 1,
                                   .window_count = take_choice(in, 4), .routine = bank_routine,
                                   .context = a };
    uint32_t phys = take_u32(in), style = take_choice(in, 4);
    for (uint32_t i = 0; i < VP_WINDOWS_MAX; i++) {
        bool read_write = style < 2 || (style == 2 && i == 0);
        hw.windows[i] = (struct vp_bank_window){
            .phys = style == 1 ? phys + i * hw.bank_length : phys, .size = hw.bank_length,
            .access = read_write ? VP_WINDOW_READ_WRITE : (uint8_t)(i ? VP_WINDOW_WRITE
                                                                         : VP_WINDOW_READ) };
        if (style == 3)
            hw.windows[i] = (struct vp_bank_window){ take_u32(in), take_u32(in), take_u8(in) & 3 };
    }
    return hw;
}

/* The modes' contents only travel through the queries; any will do. */
static void take_adapter(struct fuzz_input *in, struct adapter *a)
{
    uint8_t shape = take_u8(in);
    ULONG count = 1 + take_choice(in, MAX_MODES);
    for (ULONG i = 0; i < count; i++) {
        struct vp_mode_desc d = { .width = take_u16(in), .height = take_u16(in),
                                  .bpp = 8u << take_choice(in, 3), .stride = take_u16(in),
                                  .bitmap_height = take_u16(in), .banked = take_u8(in) & 1 };
        vp_fill_mode(&a->modes[i], i, &d);
    }
    struct vp_frame_buffer fb = { .vram_phys = take_u32(in), .frame_length = take_u32(in),
                                  .bitmap_length = take_u32(in),
                                  .shareable_length = take_u32(in), .in_io_space = take_u8(in) };
    if (shape & 1)
        fb.banking = take_banking(in, shape, a);
    ULONG unit = fb.banking.routine ? fb.banking.bank_length : PAGE;
    if (shape & 4 && unit)
        fb.shareable_length -= fb.shareable_length % unit; /* as miniports report it */
    ULONG ports = take_choice(in, MAX_PORTS + 1);
    for (ULONG i = 0; i < ports; i++)
        a->ports[i] = take_u16(in);
    a->state = (struct vp_adapter_state){ .modes = a->modes, .mode_count = count,
                                          .current_mode = take_choice(in, count), .fb = fb,
                                          .public_ports = a->ports, .public_port_count = ports };
}

/* --- what a request must do --- */

struct request {
    ULONG code, in_len, out_len;
    uint8_t *input; /* the input as sent: in_len bytes */
};

/* The input and output lengths NT requires; false for codes the port
 * does not carry out (they must be ERROR_INVALID_FUNCTION). */
static bool required_lengths(const struct adapter *a, ULONG code, ULONG *in, ULONG *out)
{
    ULONG modes = a->state.mode_count, ports = a->state.public_port_count;
    *in = *out = 0;
    switch (code) {
    case IOCTL_VIDEO_QUERY_NUM_AVAIL_MODES: *out = SIZE_NUM_MODES; return true;
    case IOCTL_VIDEO_QUERY_AVAIL_MODES: *out = modes * SIZE_MODE_INFORMATION; return true;
    case IOCTL_VIDEO_QUERY_CURRENT_MODE: *out = SIZE_MODE_INFORMATION; return true;
    case IOCTL_VIDEO_MAP_VIDEO_MEMORY:
        *in = SIZE_VIDEO_MEMORY, *out = SIZE_VIDEO_MEMORY_INFORMATION;
        return true;
    case IOCTL_VIDEO_UNMAP_VIDEO_MEMORY: *in = SIZE_VIDEO_MEMORY; return true;
    case IOCTL_VIDEO_SHARE_VIDEO_MEMORY:
        *in = SIZE_SHARE_MEMORY, *out = SIZE_SHARE_MEMORY_INFORMATION;
        return true;
    case IOCTL_VIDEO_UNSHARE_VIDEO_MEMORY: *in = SIZE_SHARE_MEMORY; return true;
    case IOCTL_VIDPORT_QUERY_BANKING: *out = SIZE_BANKING_INFORMATION; return true;
    case IOCTL_VIDEO_QUERY_PUBLIC_ACCESS_RANGES: *out = ports * SIZE_PUBLIC_ACCESS_RANGES; return true;
    case IOCTL_VIDEO_FREE_PUBLIC_ACCESS_RANGES: *in = SIZE_VIDEO_MEMORY; return true;
    default: return false;
    }
}

static uint32_t input_u32(const struct request *r, ULONG offset)
{
    uint32_t v;
    memcpy(&v, r->input + offset, sizeof(v));
    return v;
}

static uint32_t output_u32(const uint8_t *buffer, ULONG offset)
{
    uint32_t v;
    memcpy(&v, buffer + offset, sizeof(v));
    return v;
}

/* SHARE: a stub is reached exactly for a valid range (checked in 64 bits):
 * the offset a whole number of units (pages, or banks), the size rounded
 * up to whole pages; success reports it. */
static void check_share(const struct adapter *a, const struct request *r, VP_STATUS status,
                        const uint8_t *buffer)
{
    const struct vp_frame_buffer *fb = &a->state.fb;
    bool banked = fb->banking.routine != NULL;
    uint64_t unit = banked ? fb->banking.bank_length : PAGE;
    uint32_t handle = input_u32(r, 0), offset = input_u32(r, 4), size = input_u32(r, 8);
    uint32_t requested = input_u32(r, 12);
    bool unit_ok = unit && (unit & (unit - 1)) == 0;
    uint64_t rounded = ((uint64_t)size + PAGE - 1) / PAGE * PAGE; /* F6' */
    bool valid = unit_ok && size && offset % unit == 0 && offset + rounded <= fb->shareable_length;
    PROPERTY(seen.calls == (valid ? 1 : 0));
    if (!valid) {
        PROPERTY(status == ERROR_INVALID_PARAMETER);
        return;
    }
    PROPERTY(seen.size == rounded && seen.process == (HANDLE)handle &&
             seen.requested == requested);
    if (banked)
        PROPERTY(seen.call == CALL_BANKED_VIEW && seen.hw == &fb->banking &&
                 seen.io == fb->in_io_space && seen.first_bank * unit == offset);
    else
        PROPERTY(seen.call == CALL_USER_VIEW && seen.phys == fb->vram_phys + offset &&
                 seen.io == (fb->in_io_space | VIDEO_MEMORY_SPACE_USER_MODE));
    PROPERTY(status == answer.status);
    if (status == NO_ERROR)
        PROPERTY(output_u32(buffer, 0) == offset && output_u32(buffer, 4) == rounded &&
                 output_u32(buffer, 8) == answer.va);
}

/* MAP: kernel mappings only; the bitmap, or a banked mode's first window
 * once the arbiter took its geometry (and then a bank's lengths). */
static void check_map(const struct adapter *a, const struct request *r, VP_STATUS status,
                      const uint8_t *buffer)
{
    const struct vp_frame_buffer *fb = &a->state.fb;
    const struct vp_bank_hardware *hw = &fb->banking;
    bool banked = hw->routine != NULL;
    if (input_u32(r, 0) != 0 || (banked && !answer.configure_ok)) {
        PROPERTY(status == ERROR_INVALID_PARAMETER && seen.calls == 0);
        return;
    }
    ULONG window = hw->bank_length; /* the first window's bank */
    PROPERTY(seen.calls == 1 && seen.call == CALL_MAP && seen.va == NULL &&
             seen.io == fb->in_io_space && status == answer.status);
    PROPERTY(seen.phys == (banked ? hw->windows[0].phys : fb->vram_phys) &&
             seen.size == (banked ? window : fb->bitmap_length));
    ULONG ram = banked ? window : fb->bitmap_length, frame = banked ? window : fb->frame_length;
    if (status == NO_ERROR) /* what is mapped: a banked mode's window */
        PROPERTY(output_u32(buffer, 0) == answer.va && output_u32(buffer, 4) == ram &&
                 output_u32(buffer, 8) == answer.va && output_u32(buffer, 12) == frame);
}

/* Every entry of FREE_PUBLIC_ACCESS_RANGES must name a reported port. */
static void check_free_ranges(const struct adapter *a, const struct request *r, VP_STATUS status)
{
    bool all_known = true;
    for (ULONG i = 0; i + SIZE_VIDEO_MEMORY <= r->in_len; i += SIZE_VIDEO_MEMORY) {
        bool known = false;
        for (ULONG p = 0; p < a->state.public_port_count; p++)
            known |= input_u32(r, i) == a->ports[p];
        all_known &= known;
    }
    PROPERTY(status == (all_known ? NO_ERROR : ERROR_INVALID_PARAMETER) && seen.calls == 0);
}

/* The queries answer from the adapter's table, whole. */
static void check_query(const struct adapter *a, ULONG code, VP_STATUS status, ULONG info,
                        const uint8_t *buffer)
{
    const struct vp_adapter_state *st = &a->state;
    PROPERTY(status == NO_ERROR);
    if (code == IOCTL_VIDEO_QUERY_NUM_AVAIL_MODES)
        PROPERTY(info == SIZE_NUM_MODES && output_u32(buffer, 0) == st->mode_count &&
                 output_u32(buffer, 4) == SIZE_MODE_INFORMATION);
    if (code == IOCTL_VIDEO_QUERY_AVAIL_MODES)
        PROPERTY(info == st->mode_count * SIZE_MODE_INFORMATION &&
                 memcmp(buffer, st->modes, info) == 0);
    if (code == IOCTL_VIDEO_QUERY_CURRENT_MODE)
        PROPERTY(info == SIZE_MODE_INFORMATION &&
                 memcmp(buffer, &st->modes[st->current_mode], info) == 0);
    if (code == IOCTL_VIDPORT_QUERY_BANKING)
        PROPERTY(info == SIZE_BANKING_INFORMATION && seen.call == CALL_DESCRIBE &&
                 seen.banked == (st->fb.banking.routine != NULL));
    for (ULONG i = 0; code == IOCTL_VIDEO_QUERY_PUBLIC_ACCESS_RANGES && i < st->public_port_count;
         i++)
        PROPERTY(output_u32(buffer, i * 12) == 1 && output_u32(buffer, i * 12 + 4) == 1 &&
                 output_u32(buffer, i * 12 + 8) == st->public_ports[i]);
}

/* What a request code must do once its buffers are long enough. */
static void check_code(const struct adapter *a, const struct request *r, VP_STATUS status,
                       ULONG info, const uint8_t *buffer)
{
    switch (r->code) {
    case IOCTL_VIDEO_SHARE_VIDEO_MEMORY: check_share(a, r, status, buffer); break;
    case IOCTL_VIDEO_MAP_VIDEO_MEMORY: check_map(a, r, status, buffer); break;
    case IOCTL_VIDEO_UNMAP_VIDEO_MEMORY:
    case IOCTL_VIDEO_UNSHARE_VIDEO_MEMORY: {
        bool unshare = r->code == IOCTL_VIDEO_UNSHARE_VIDEO_MEMORY;
        uint32_t handle = unshare ? input_u32(r, 0) : 0;
        uint32_t va = input_u32(r, unshare ? 12 : 0);
        if (unshare && !handle) {
            PROPERTY(status == ERROR_INVALID_PARAMETER && seen.calls == 0);
            break;
        }
        PROPERTY(seen.calls == 1 && seen.call == CALL_UNMAP && seen.va == (PVOID)va &&
                 seen.process == (HANDLE)handle && status == answer.status);
        break;
    }
    case IOCTL_VIDEO_FREE_PUBLIC_ACCESS_RANGES: check_free_ranges(a, r, status); break;
    default: check_query(a, r->code, status, info, buffer); break;
    }
}

/* SET_CURRENT_MODE as the miniports read it: an index accepted names a
 * mode, the flags are split off, a refusal completes the request. */
static void run_set_mode(const struct adapter *a, const struct request *r, uint8_t *buffer)
{
    STATUS_BLOCK sb = { .Status = -1, .Information = 0x1234 };
    VIDEO_REQUEST_PACKET vrp = { .IoControlCode = r->code, .StatusBlock = &sb,
                                 .InputBuffer = buffer, .InputBufferLength = r->in_len,
                                 .OutputBuffer = buffer, .OutputBufferLength = r->out_len };
    ULONG index = 0xDEADBEEF, flags = 0xDEADBEEF, count = a->state.mode_count;
    bool accepted = vp_read_set_mode(&vrp, count, &index, &flags);
    if (r->in_len < SIZE_VIDEO_MODE) {
        PROPERTY(!accepted && sb.Status == ERROR_INSUFFICIENT_BUFFER && sb.Information == 0);
        return;
    }
    ULONG requested = input_u32(r, 0), mode_flags = VIDEO_MODE_NO_ZERO_MEMORY |
                                                    VIDEO_MODE_MAP_MEM_LINEAR;
    PROPERTY(accepted == ((requested & ~mode_flags) < count));
    if (accepted)
        PROPERTY(index < count && (index | flags) == requested && sb.Status == -1 &&
                 a->modes[index].ModeIndex == index);
    else
        PROPERTY(sb.Status == ERROR_INVALID_PARAMETER && sb.Information == 0);
}

struct outcome {
    VP_STATUS status;
    ULONG info;
    struct stub_record seen;
};

/* One request through vp_standard_request in a buffer of exactly
 * max(in, out) bytes: the input, then `filler`. */
static struct outcome run(const struct adapter *a, const struct request *r, uint8_t filler,
                          uint8_t **kept)
{
    size_t size = r->in_len > r->out_len ? r->in_len : r->out_len;
    uint8_t *buffer = malloc(size ? size : 1);
    memcpy(buffer, r->input, r->in_len);
    memset(buffer + r->in_len, filler, size - r->in_len);
    STATUS_BLOCK sb = { .Status = -1, .Information = 0x1234 };
    VIDEO_REQUEST_PACKET vrp = { .IoControlCode = r->code, .StatusBlock = &sb,
                                 .InputBuffer = buffer, .InputBufferLength = r->in_len,
                                 .OutputBuffer = buffer, .OutputBufferLength = r->out_len };
    seen = (struct stub_record){ .call = CALL_NONE };
    VP_STATUS returned = vp_standard_request(&extension, &vrp, &a->state);
    PROPERTY(returned == sb.Status);
    PROPERTY(sb.Status == NO_ERROR ? sb.Information <= r->out_len : sb.Information == 0);
    *kept = buffer;
    return (struct outcome){ .status = sb.Status, .info = sb.Information, .seen = seen };
}

static bool same_calls(const struct stub_record *a, const struct stub_record *b)
{
    return a->calls == b->calls && a->configures == b->configures && a->call == b->call &&
           a->phys == b->phys && a->size == b->size && a->io == b->io &&
           a->first_bank == b->first_bank && a->process == b->process && a->va == b->va &&
           a->requested == b->requested && a->hw == b->hw && a->banked == b->banked;
}

static void check_request(const struct adapter *a, const struct request *r, uint8_t filler)
{
    uint8_t *buffer, *again;
    struct outcome first = run(a, r, filler, &buffer);
    ULONG need_in, need_out;
    bool known = required_lengths(a, r->code, &need_in, &need_out);
    bool short_buffer = r->in_len < need_in || r->out_len < need_out;
    if (first.status != NO_ERROR) /* nothing written: the input is still there */
        PROPERTY(memcmp(buffer, r->input, r->in_len) == 0);
    if (!known)
        PROPERTY(first.status == ERROR_INVALID_FUNCTION && first.seen.calls == 0);
    else if (short_buffer)
        PROPERTY(first.status == ERROR_INSUFFICIENT_BUFFER && first.seen.calls == 0);
    else
        check_code(a, r, first.status, first.info, buffer);
    struct outcome second = run(a, r, (uint8_t)~filler, &again);
    PROPERTY(second.status == first.status && second.info == first.info &&
             same_calls(&second.seen, &first.seen) && memcmp(again, buffer, first.info) == 0);
    free(buffer);
    free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_input in = { data, size };
    static struct adapter a;
    take_adapter(&in, &a);
    static const VP_STATUS answers[] = { NO_ERROR, ERROR_INVALID_PARAMETER,
                                         ERROR_NOT_ENOUGH_MEMORY };
    answer.status = answers[take_choice(&in, ARRAY_SIZE(answers))];
    answer.configure_ok = take_u8(&in) & 1;
    answer.va = take_u32(&in);
    uint32_t code = take_u32(&in);
    struct request r = {
        .code = code & 0x80000000u ? code : known_codes[code % ARRAY_SIZE(known_codes)],
        .in_len = take_u16(&in) % (VP_VIDEO_BUFFER_MAX + 1),
        .out_len = take_u16(&in) % (VP_VIDEO_BUFFER_MAX + 1),
    };
    uint8_t filler = take_u8(&in);
    r.input = calloc(r.in_len ? r.in_len : 1, 1);
    for (ULONG i = 0; i < r.in_len; i++)
        r.input[i] = take_u8(&in);
    if (r.code == IOCTL_VIDEO_SET_CURRENT_MODE) {
        uint8_t *buffer = malloc(r.in_len > r.out_len ? r.in_len : r.out_len ? r.out_len : 1);
        memcpy(buffer, r.input, r.in_len);
        run_set_mode(&a, &r, buffer);
        free(buffer);
    }
    check_request(&a, &r, filler);
    free(r.input);
    return 0;
}
