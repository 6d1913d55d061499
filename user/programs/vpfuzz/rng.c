/*
 * The random source: xorshift32 (Marsaglia), so that a seed replays the
 * same choices. The scheduler still interleaves the workers as it likes,
 * which is part of what is being tested.
 */
#include "vpfuzz.h"

void rng_seed(struct rng *r, uint32_t seed)
{
    r->state = seed ? seed : 0x6D2B79F5u;
}

uint32_t rng_next(struct rng *r)
{
    uint32_t x = r->state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    r->state = x;
    return x;
}

uint32_t rng_below(struct rng *r, uint32_t n)
{
    return rng_next(r) % n;
}

bool rng_one_in(struct rng *r, uint32_t n)
{
    return rng_below(r, n) == 0;
}

/* A 32-bit finaliser (murmur3's): neighbouring inputs give unrelated seeds. */
uint32_t derive_seed(uint32_t seed, uint32_t index)
{
    uint32_t h = seed * 0x9E3779B1u + (index + 1) * 0x85EBCA77u;
    h ^= h >> 16;
    h *= 0x85EBCA6Bu;
    h ^= h >> 13;
    h *= 0xC2B2AE35u;
    h ^= h >> 16;
    return h ? h : 1;
}
