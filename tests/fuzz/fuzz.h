/*
 * What every fuzz target shares: reading typed values from libFuzzer's
 * input, and stopping on a broken property so that libFuzzer keeps the
 * input as a crash.
 *
 * Inputs are read front to back, little-endian; a read past the end gives
 * zeros, so every input, even an empty one, means something.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct fuzz_input {
    const uint8_t *data;
    size_t size;
};

static inline uint8_t take_u8(struct fuzz_input *in)
{
    if (in->size == 0)
        return 0;
    in->size--;
    return *in->data++;
}

static inline uint16_t take_u16(struct fuzz_input *in)
{
    uint16_t lo = take_u8(in);
    return (uint16_t)(lo | take_u8(in) << 8);
}

static inline uint32_t take_u32(struct fuzz_input *in)
{
    uint32_t lo = take_u16(in);
    return lo | (uint32_t)take_u16(in) << 16;
}

static inline uint64_t take_u64(struct fuzz_input *in)
{
    uint64_t lo = take_u32(in);
    return lo | (uint64_t)take_u32(in) << 32;
}

/* One of n choices (n > 0). */
static inline uint32_t take_choice(struct fuzz_input *in, uint32_t n)
{
    return take_u8(in) % n;
}

/* A property that must hold: name it and trap, so that libFuzzer reports
 * the input (and make test the line) with the property's words. */
#define PROPERTY(cond)                                                              \
    do {                                                                            \
        if (!(cond)) {                                                              \
            fprintf(stderr, "property broken at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
            __builtin_trap();                                                       \
        }                                                                           \
    } while (0)
