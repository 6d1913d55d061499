/*
 * bankbench: what banking costs, measured against the linear twin of the
 * same mode in one run (TSC cycles; under QEMU's TCG these are emulated
 * cycles, useful for ratios).
 *
 *   bankbench [WxHxD]   the current geometry when none is given
 *
 * Prints, for the banked and the linear mode of that geometry, the median
 * cycles of a full-frame fill with 32-bit stores in address order, the
 * bank faults one banked fill takes against the number of banks, and the
 * cost of one bank fault (switch and mapping) when every touch needs
 * another bank. Exits 0 when a banked fill takes exactly one fault per
 * bank, 1 otherwise or when a request fails, 2 on bad arguments. The mode
 * current at the start is set again at the end.
 */
#include <vidport.h>

#define FILLS 9
#define SWITCH_ROUNDS 8

struct twin_modes {
    VIDEO_MODE_INFORMATION linear, banked, original;
};

/* The median of v[0..n) (sorts v). */
static uint64_t median(uint64_t *v, int n)
{
    sort_u64(v, n);
    return v[n / 2];
}

static VIDPORT_BANKING_INFORMATION banking(HANDLE dev)
{
    VIDPORT_BANKING_INFORMATION info = { 0 };
    video_control(dev, IOCTL_VIDPORT_QUERY_BANKING, NULL, 0, &info, sizeof(info), NULL);
    return info;
}

static bool same_geometry(const VIDEO_MODE_INFORMATION *m, const uint32_t g[3])
{
    return m->VisScreenWidth == g[0] && m->VisScreenHeight == g[1] && m->BitsPerPlane == g[2];
}

/* Find the linear and banked modes of geometry g; false if either is missing. */
static bool find_twins(HANDLE dev, const uint32_t g[3], struct twin_modes *t)
{
    static VIDEO_MODE_INFORMATION modes[32];
    ULONG n = 0;
    if (video_control(dev, IOCTL_VIDEO_QUERY_AVAIL_MODES, NULL, 0, modes, sizeof(modes), &n) !=
        NO_ERROR)
        return false;
    bool linear = false, banked = false;
    for (ULONG i = 0; i < n / sizeof(modes[0]); i++) {
        if (!same_geometry(&modes[i], g))
            continue;
        bool is_banked = modes[i].AttributeFlags & VIDEO_MODE_BANKED;
        *(is_banked ? &t->banked : &t->linear) = modes[i];
        *(is_banked ? &banked : &linear) = true;
    }
    return linear && banked;
}

static bool set_mode(HANDLE dev, const VIDEO_MODE_INFORMATION *m)
{
    VIDEO_MODE request = { m->ModeIndex };
    return video_control(dev, IOCTL_VIDEO_SET_CURRENT_MODE, &request, sizeof(request), NULL, 0,
                         NULL) == NO_ERROR;
}

/* Median cycles of a full-frame fill of the shared view. */
static uint64_t fill_cycles(const struct screen *s)
{
    uint64_t runs[FILLS];
    uint32_t words = s->mode.VisScreenHeight * s->mode.ScreenStride / 4;
    for (int r = 0; r < FILLS; r++) {
        volatile uint32_t *p = (volatile uint32_t *)s->base;
        uint32_t value = 0x00010101u * (uint32_t)(r + 1);
        uint64_t start = rdtsc();
        for (uint32_t i = 0; i < words; i++)
            p[i] = value;
        runs[r] = rdtsc() - start;
    }
    return median(runs, FILLS);
}

/* Median cycles of one touch that needs another bank: banks in order, so
 * no touch goes back to the bank the previous one took away. */
static uint64_t switch_cycles(const struct screen *s, uint32_t banks, uint32_t bank_length)
{
    static uint64_t runs[SWITCH_ROUNDS * 64];
    int n = 0;
    for (int round = 0; round < SWITCH_ROUNDS; round++) {
        for (uint32_t b = 0; b < banks && n < (int)(sizeof(runs) / sizeof(runs[0])); b++) {
            volatile uint8_t *p = s->base + b * bank_length;
            uint64_t start = rdtsc();
            *p = (uint8_t)round;
            runs[n++] = rdtsc() - start;
        }
    }
    return median(runs, n);
}

struct bank_figures {
    uint64_t fill, switch_cost;
    uint32_t faults_per_fill, banks;
};

/* Share the current (banked) mode and measure fills, faults and switches. */
static bool measure_banked(HANDLE dev, struct bank_figures *f)
{
    struct screen s;
    if (screen_open(&s, "bankbench") != NO_ERROR)
        return false;
    VIDPORT_BANKING_INFORMATION before = banking(dev);
    f->fill = fill_cycles(&s);
    VIDPORT_BANKING_INFORMATION after = banking(dev);
    f->banks = (s.size + before.BankLength - 1) / before.BankLength;
    f->faults_per_fill = (after.BankFaults - before.BankFaults) / FILLS;
    f->switch_cost = switch_cycles(&s, f->banks, before.BankLength);
    return screen_close(&s, "bankbench") == NO_ERROR && before.BankLength != 0;
}

static bool measure_linear(uint64_t *fill)
{
    struct screen s;
    if (screen_open(&s, "bankbench") != NO_ERROR)
        return false;
    *fill = fill_cycles(&s);
    return screen_close(&s, "bankbench") == NO_ERROR;
}

static void report(const struct twin_modes *t, const struct bank_figures *f, uint64_t linear)
{
    const VIDEO_MODE_INFORMATION *m = &t->banked;
    printf("bankbench: %ux%ux%u fill, linear  median %llu cycles\n", m->VisScreenWidth,
           m->VisScreenHeight, m->BitsPerPlane, linear);
    printf("bankbench: %ux%ux%u fill, banked  median %llu cycles, %u bank faults per fill"
           " (%u banks)\n", m->VisScreenWidth, m->VisScreenHeight, m->BitsPerPlane, f->fill,
           f->faults_per_fill, f->banks);
    /* In KiB-cycles, so the division is 32-bit (there is no 64-bit divide). */
    uint32_t ratio100 = (uint32_t)(f->fill >> 10) * 100 / (uint32_t)((linear >> 10) | 1);
    printf("bankbench: banked fill takes %u.%02u times the linear one\n", ratio100 / 100,
           ratio100 % 100);
    printf("bankbench: one bank fault with a switch  median %llu cycles\n", f->switch_cost);
}

static bool parse_geometry(const char *arg, uint32_t g[3])
{
    char *end = (char *)arg;
    for (int i = 0; i < 3; i++) {
        g[i] = (uint32_t)strtol(end, &end, 10);
        if (g[i] == 0 || *end != (i < 2 ? 'x' : '\0'))
            return false;
        end += i < 2;
    }
    return true;
}

int main(int argc, char **argv)
{
    struct twin_modes t;
    HANDLE dev = video_open("Video0");
    ULONG n;
    if (!dev || video_control(dev, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, &t.original,
                              sizeof(t.original), &n) != NO_ERROR) {
        printf("bankbench: no video adapter (Video0)\n");
        return 1;
    }
    uint32_t g[3] = { t.original.VisScreenWidth, t.original.VisScreenHeight,
                      t.original.BitsPerPlane };
    if (argc > 2 || (argc == 2 && !parse_geometry(argv[1], g))) {
        printf("usage: bankbench [WxHxD]\n");
        return 2;
    }
    if (!find_twins(dev, g, &t)) {
        printf("bankbench: no linear and banked pair of %ux%ux%u\n", g[0], g[1], g[2]);
        return 1;
    }
    struct bank_figures f;
    uint64_t linear = 0;
    bool ok = set_mode(dev, &t.banked) && measure_banked(dev, &f) && set_mode(dev, &t.linear) &&
              measure_linear(&linear) && linear != 0;
    ok = set_mode(dev, &t.original) && ok;
    if (!ok) {
        printf("bankbench: a request failed\n");
        return 1;
    }
    report(&t, &f, linear);
    return f.faults_per_fill == f.banks ? 0 : 1;
}
