/*
 * Fuzz target: SHARE's range check and a banked view's geometry
 * (vpv_share_range, vpv_banked_view in drivers/video/vp_validate.c),
 * each against a reference computed where nothing can wrap: 64-bit sums
 * of 32-bit values, and a carry bit for sums of 64-bit addresses.
 *
 * Input: a byte choosing how the values below are shaped (so that
 * boundaries are reached often: aligned limits, powers of two, addresses
 * near 4 GiB and near 2^64), then offset, size, limit, unit, window.
 */
#include "fuzz.h"

#include "drivers/video/vp_validate.h"

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

/* The banked geometry: accepted exactly when the reference says. */
static void check_banked(struct fuzz_input *in, uint8_t shape)
{
    uint64_t window = take_window(in, shape);
    uint32_t bank = take_unit(in, shape), size = take_u32(in);
    if (shape & 0x20)
        size -= size % PAGE; /* whole pages */
    uint64_t end = window + 2 * (uint64_t)bank;
    bool carry = end < window; /* the 65th bit of the sum */
    bool expect = power_of_two(bank) && bank >= PAGE && bank <= VP_BANK_MAX &&
                  window % PAGE == 0 && !carry && end <= (1ull << 32) && size != 0 &&
                  size % PAGE == 0;
    PROPERTY(vpv_banked_view(window, bank, size) == expect);
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
