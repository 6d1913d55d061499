/*
 * Fuzz target: SHARE's range check and a banked view's geometry
 * (vpv_share_range, vpv_banked_view in drivers/videoport/vp_validate.c),
 * each against a reference computed where nothing can wrap: 64-bit sums
 * of 32-bit values, and a carry bit for sums of 64-bit addresses.
 *
 * Input: a byte choosing how the values below are shaped (so that
 * boundaries are reached often: aligned limits, powers of two, addresses
 * near 4 GiB and near 2^64), then offset, size, limit, unit, window.
 */
#include "fuzz.h"

#include "drivers/videoport/miniport_api.h"
#include "drivers/videoport/vp_validate.h"

#define PAGE 4096u

static bool power_of_two(uint64_t x)
{
    return x != 0 && (x & (x - 1)) == 0;
}

/* A 32-bit unit: a power of two often, any value sometimes. */
static uint32_t take_unit(struct fuzz_input *in, uint8_t shape)
{
    uint32_t raw = take_u32(in);
    return shape & 1 ? raw : 1u << (raw % 32);
}

/* The share check: accepted exactly when the reference says, and an
 * accepted range rounded up to whole pages ends inside the limit. */
static void check_share(struct fuzz_input *in, uint8_t shape)
{
    uint32_t offset = take_u32(in), size = take_u32(in), limit = take_u32(in);
    uint32_t unit = take_unit(in, shape);
    if (shape & 2 && power_of_two(unit))
        limit &= ~(unit - 1); /* what every miniport reports */
    if (shape & 4 && power_of_two(unit))
        offset &= ~(unit - 1);
    uint64_t want = ((uint64_t)size + PAGE - 1) / PAGE * PAGE; /* F6': whole pages */
    bool expect = power_of_two(unit) && size != 0 && offset % unit == 0 &&
                  (uint64_t)offset + want <= limit;
    ULONG rounded = 0xDEADBEEF;
    bool accepted = vpv_share_range(offset, size, limit, unit, &rounded);
    PROPERTY(accepted == expect);
    if (!accepted)
        return;
    PROPERTY(rounded == want);
    PROPERTY(rounded % PAGE == 0 && rounded >= size && rounded - size < PAGE);
    PROPERTY((uint64_t)offset + rounded <= limit);
}

/* A window address: anywhere, below 4 GiB, or just below 2^64. */
static uint64_t take_window(struct fuzz_input *in, uint8_t shape)
{
    uint64_t raw = take_u64(in);
    switch (shape >> 3 & 3) {
    case 0: return raw;
    case 1: return (uint32_t)raw;
    case 2: return ~(uint64_t)0 - (raw & 0xFFFFF);
    default: return raw & ~(uint64_t)(PAGE - 1);
    }
}

/* The reference for one window: page aligned, a bank at least, and all
 * of it below 4 GiB (the sum taken with its carry). */
static bool reference_window(const struct vp_bank_window *w, uint32_t bank)
{
    uint64_t end = w->phys + w->size;
    bool carry = end < w->phys;
    return w->phys % PAGE == 0 && w->size >= bank && !carry && end <= (1ull << 32);
}

/* The reference slot count (F18'), case by case. */
static uint32_t reference_slots(const struct vp_bank_hardware *hw)
{
    const struct vp_bank_window *a = &hw->windows[0], *b = &hw->windows[1];
    uint32_t bank = hw->bank_length;
    if (hw->window_count == 1)
        return reference_window(a, bank) && a->access == 3 ? 1 : 0;
    if (hw->window_count != 2 || !reference_window(a, bank) || !reference_window(b, bank))
        return 0;
    bool apart = a->phys >= b->phys + bank || b->phys >= a->phys + bank;
    if (a->phys == b->phys && ((a->access == 1 && b->access == 2) ||
                               (a->access == 2 && b->access == 1)))
        return 1;
    if (a->access == 3 && b->access == 3 && apart)
        return hw->read_write_bank ? 1 : 2;
    return 0;
}

/* The banked geometry: accepted exactly when the reference says. */
static void check_banked(struct fuzz_input *in, uint8_t shape)
{
    struct vp_bank_hardware hw = { .bank_length = take_unit(in, shape),
                                   .read_write_bank = take_u8(in) & 1,
                                   .window_count = take_u8(in) % 4 };
    uint32_t size = take_u32(in);
    if (shape & 0x20)
        size -= size % PAGE; /* whole pages */
    for (uint32_t i = 0; i < VP_WINDOWS_MAX; i++) {
        uint64_t phys = take_window(in, shape);
        bool side_by_side = shape & 0x40, shaped = shape & 0x80;
        hw.windows[i] = (struct vp_bank_window){
            .phys = i && shaped ? hw.windows[0].phys + (side_by_side ? hw.bank_length : 0) : phys,
            .size = shaped ? hw.bank_length : take_u32(in),
            .access = (uint8_t)(take_u8(in) & 3) };
    }
    uint32_t bank = hw.bank_length;
    bool expect = power_of_two(bank) && bank >= PAGE && bank <= VP_BANK_MAX &&
                  reference_slots(&hw) != 0 && size != 0 && size % PAGE == 0;
    PROPERTY(vpv_banked_view(&hw, size) == expect);
    if (expect)
        PROPERTY(vpv_bank_slots(&hw) == reference_slots(&hw));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_input in = { data, size };
    uint8_t shape = take_u8(&in);
    check_share(&in, shape);
    check_banked(&in, shape);
    return 0;
}
