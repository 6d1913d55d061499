/*
 * bankmix: processes drawing at once through their own banked views never
 * corrupt each other's banks.
 *
 * usage: bankmix N RUNS [wait]    N processes (1..8) at once, RUNS runs (1..999)
 *        bankmix child N K R      draw band K of N for run R (bankmix starts these)
 *
 * Run R (1..RUNS) sets the scheduler's time slice to 1 + R % 10 ticks and
 * starts N children. Child K shares the frame (a view of its own: in a
 * banked mode no page is present until touched, and the one bank window
 * moves between the views of every process) and fills band K of N with the
 * picture below. It draws the band's rows top to bottom in every third run
 * and in a run-dependent stride order otherwise, pixel by pixel in odd runs
 * and with unaligned 32-bit stores in even ones (a store across a bank
 * edge needs two banks at once), and yields after every
 * 1 + (R * 7 + K * 3) % 11 rows, so the children take the window from
 * each other many times, differently in every run.
 * Band K is rows [top(K), top(K + 1)) with top(K) = K * H / N, one row
 * lower when that row would start exactly on a 64 KiB boundary: bands meet
 * inside banks.
 *
 * The picture (tests/harness/bankmix.py computes the same): with mix() the
 * lowbias32 integer hash and h = mix(R << 20 | K << 16 | y), pixel (x, y)
 * has the 8-bit value v = (mix(x + (h >> 22)) + h) & 255, shown as the
 * colour whose red, green and blue keep v's bits 7-5, 4-2 and 1-0 at their
 * top (RGB 3-3-2, so in 8 bpp modes the pixel value is v itself).
 *
 * The parent holds a view of its own throughout (the screen console stays
 * away while one is live). With "wait" it prints "bankmix: drew run R of N
 * processes WxHxD" after each run and waits for a line on the console.
 * Without it, it reads every pixel back through its view after each run
 * and ends with "bankmix: RUNS runs of N processes, M mismatched pixels".
 * Either way it then prints the bank arbiter's counters for the whole
 * program and restores the time slice. Exits 0 when every child exited 0
 * and no pixel differed, 1 otherwise, 2 on bad arguments.
 */
#include <vidport.h>
#include <vpdraw.h>
#include <vputil.h>

#define MAX_PROCESSES 8u
#define MAX_RUNS 999u
#define MAX_ROW_BYTES 8192u /* rows longer than this are drawn pixel by pixel */
#define BANK_BYTES 0x10000u /* the VGA window: bands avoid starting on its edges */
#define PROGRAM "bankmix"

/* One drawing: band `k` of `n` in run `r`, in the current mode. */
struct job {
    uint32_t n, k, r;
    uint32_t pixel_of[256]; /* the pixel value that shows each 8-bit value v */
};

/* lowbias32: a 32-bit integer hash with good avalanche. */
static uint32_t mix(uint32_t v)
{
    v ^= v >> 16;
    v *= 0x7feb352du;
    v ^= v >> 15;
    v *= 0x846ca68bu;
    v ^= v >> 16;
    return v;
}

static uint32_t row_hash(uint32_t y, uint32_t k, uint32_t r)
{
    return mix(r << 20 | k << 16 | y);
}

/* The picture's 8-bit value at column x of the row whose hash is h. */
static uint32_t band_value(uint32_t x, uint32_t h)
{
    return (mix(x + (h >> 22)) + h) & 0xFF;
}

/* Fill job->pixel_of for the screen's mode: v's RGB 3-3-2 fields at the
 * top of each channel, packed by the mode's masks. */
static void make_pixel_table(const struct screen *s, struct job *job)
{
    for (uint32_t v = 0; v < 256; v++) {
        uint32_t rgb = (v & 0xE0) << 16 | (v & 0x1C) << 11 | (v & 0x03) << 6;
        job->pixel_of[v] = screen_pack(s, rgb);
    }
}

/* The first row of band k of n (k == n: the screen's height). */
static uint32_t band_top(const VIDEO_MODE_INFORMATION *m, uint32_t k, uint32_t n)
{
    uint32_t top = k * m->VisScreenHeight / n;
    bool on_edge = top > 0 && top < m->VisScreenHeight && top * m->ScreenStride % BANK_BYTES == 0;
    return on_edge ? top + 1 : top;
}

static uint32_t gcd(uint32_t a, uint32_t b)
{
    while (b) {
        uint32_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* The distance between rows drawn one after the other: 1 (top to bottom)
 * in every third run, otherwise a step coprime with `rows` that depends
 * on the run and the band, so rows far apart (often in other banks)
 * alternate and still every row is drawn once. */
static uint32_t row_step(uint32_t rows, uint32_t k, uint32_t r)
{
    if (r % 3 == 0 || rows < 3)
        return 1;
    uint32_t step = 1 + (r * 37 + k * 11) % (rows - 1);
    while (gcd(step, rows) != 1)
        step++; /* stops at rows - 1 at the latest */
    return step;
}

/* A 32-bit load or store at any address (i686 allows them). */
typedef uint32_t __attribute__((aligned(1), may_alias)) unaligned_u32;

/* Copy len bytes to the view with 32-bit stores at addresses 2 past a
 * multiple of 4 (one of them crosses each bank edge inside the row), the
 * bytes before the first and after the last one by one. */
static void store_unaligned(volatile uint8_t *dst, const uint8_t *src, uint32_t len)
{
    uint32_t i = 0;
    for (; i < len && ((uintptr_t)(dst + i) & 3) != 2; i++)
        dst[i] = src[i];
    for (; i + 4 <= len; i += 4)
        *(volatile unaligned_u32 *)(dst + i) = *(const unaligned_u32 *)(src + i);
    for (; i < len; i++)
        dst[i] = src[i];
}

/* Row y built in memory first, then stored with store_unaligned. */
static void draw_row_words(const struct screen *s, const struct job *job, uint32_t y)
{
    static uint8_t row[MAX_ROW_BYTES];
    uint32_t h = row_hash(y, job->k, job->r), bytes = screen_pixel_bytes(s);
    for (uint32_t x = 0; x < s->mode.VisScreenWidth; x++) {
        uint32_t pixel = job->pixel_of[band_value(x, h)];
        for (uint32_t b = 0; b < bytes; b++)
            row[x * bytes + b] = (uint8_t)(pixel >> (8 * b));
    }
    store_unaligned(s->base + y * s->mode.ScreenStride, row, s->mode.VisScreenWidth * bytes);
}

static void draw_row(const struct screen *s, const struct job *job, uint32_t y)
{
    if (job->r % 2 == 0 && s->mode.VisScreenWidth * screen_pixel_bytes(s) <= MAX_ROW_BYTES) {
        draw_row_words(s, job, y);
        return;
    }
    uint32_t h = row_hash(y, job->k, job->r);
    for (uint32_t x = 0; x < s->mode.VisScreenWidth; x++)
        screen_put(s, x, y, job->pixel_of[band_value(x, h)]);
}

/* Draw band job->k in stride order, yielding every few rows. */
static void draw_band(const struct screen *s, const struct job *job)
{
    uint32_t top = band_top(&s->mode, job->k, job->n);
    uint32_t rows = band_top(&s->mode, job->k + 1, job->n) - top;
    uint32_t step = row_step(rows, job->k, job->r);
    uint32_t every = 1 + (job->r * 7 + job->k * 3) % 11;
    for (uint32_t i = 0; i < rows; i++) {
        draw_row(s, job, top + i * step % rows);
        if ((i + 1) % every == 0)
            yield();
    }
}

/* A child: share the frame, draw its band, give the view back. */
static int child(const struct job *args)
{
    struct screen s;
    struct job job = *args;
    if (screen_open(&s, PROGRAM) != NO_ERROR)
        return 1;
    make_pixel_table(&s, &job);
    draw_band(&s, &job);
    return screen_close(&s, PROGRAM) == NO_ERROR ? 0 : 1;
}

/* Read band job->k back through the parent's view; the pixels that differ
 * from the picture, the first of them reported. */
static uint32_t verify_band(const struct screen *s, const struct job *job)
{
    uint32_t bad = 0;
    uint32_t bottom = band_top(&s->mode, job->k + 1, job->n);
    for (uint32_t y = band_top(&s->mode, job->k, job->n); y < bottom; y++) {
        uint32_t h = row_hash(y, job->k, job->r);
        for (uint32_t x = 0; x < s->mode.VisScreenWidth; x++) {
            uint32_t want = job->pixel_of[band_value(x, h)], got = screen_get(s, x, y);
            if (got != want && bad++ == 0)
                printf("bankmix: run %u: first wrong pixel (%u, %u): 0x%x, expected 0x%x\n",
                       job->r, x, y, got, want);
        }
    }
    return bad;
}

static uint32_t verify_run(const struct screen *s, uint32_t n, uint32_t r)
{
    struct job job = { .n = n, .r = r };
    make_pixel_table(s, &job);
    uint32_t bad = 0;
    for (job.k = 0; job.k < n; job.k++)
        bad += verify_band(s, &job);
    return bad;
}

/* Start the n children of run r and wait for them all; true when every
 * one started and exited 0. */
static bool run_children(uint32_t n, uint32_t r)
{
    HANDLE kids[MAX_PROCESSES];
    bool ok = true;
    for (uint32_t k = 0; k < n; k++) {
        char args[48];
        snprintf(args, sizeof(args), "child %u %u %u", n, k, r);
        kids[k] = spawn(PROGRAM, args);
        if (!kids[k]) {
            printf("bankmix: run %u: cannot start process %u (error %d)\n", r, k, vp_errno);
            ok = false;
        }
    }
    for (uint32_t k = 0; k < n; k++) {
        int status = -1;
        if (kids[k] && (wait(kids[k], &status) != 0 || status != 0)) {
            printf("bankmix: run %u: process %u ended with status %d\n", r, k, status);
            ok = false;
        }
    }
    return ok;
}

static bool read_banking(const struct screen *s, VIDPORT_BANKING_INFORMATION *out)
{
    *out = (VIDPORT_BANKING_INFORMATION){ 0 };
    return video_control(s->dev, IOCTL_VIDPORT_QUERY_BANKING, NULL, 0, out, sizeof(*out),
                         NULL) == NO_ERROR;
}

static void print_counters(const VIDPORT_BANKING_INFORMATION *before,
                           const VIDPORT_BANKING_INFORMATION *after)
{
    printf("bankmix: bank length %u, bank faults %u, bank switches %u, straddles %u\n",
           after->BankLength, after->BankFaults - before->BankFaults,
           after->BankSwitches - before->BankSwitches,
           after->StraddleResolutions - before->StraddleResolutions);
}

/* Every run: slice, children, then the screenshot pause or the check.
 * Returns the mismatched pixels (0 with `hold`); *ok false when a child
 * failed (no later run starts then). */
static uint32_t all_runs(const struct screen *s, uint32_t n, uint32_t runs, bool hold, bool *ok)
{
    uint32_t bad = 0;
    *ok = true;
    for (uint32_t r = 1; r <= runs && *ok; r++) {
        sched_slice(1 + r % 10);
        *ok = run_children(n, r);
        if (*ok && hold) {
            printf("bankmix: drew run %u of %u processes %ux%ux%u\n", r, n,
                   s->mode.VisScreenWidth, s->mode.VisScreenHeight, s->mode.BitsPerPlane);
            screen_hold("wait");
        } else if (*ok) {
            bad += verify_run(s, n, r);
        }
    }
    return bad;
}

static int parent(uint32_t n, uint32_t runs, bool hold)
{
    struct screen s;
    VIDPORT_BANKING_INFORMATION before, after;
    if (screen_open(&s, PROGRAM) != NO_ERROR)
        return 1;
    read_banking(&s, &before);
    int old_slice = sched_slice(SCHED_SLICE_DEFAULT);
    bool ok;
    uint32_t bad = all_runs(&s, n, runs, hold, &ok);
    sched_slice(old_slice > 0 ? (uint32_t)old_slice : SCHED_SLICE_DEFAULT);
    if (!hold && ok)
        printf("bankmix: %u runs of %u processes, %u mismatched pixels\n", runs, n, bad);
    read_banking(&s, &after);
    print_counters(&before, &after);
    ok = screen_close(&s, PROGRAM) == NO_ERROR && ok;
    return ok && bad == 0 ? 0 : 1;
}

static bool parse_count(const char *s, uint32_t max, uint32_t *out)
{
    return parse_uint(s, out) && *out >= 1 && *out <= max;
}

/* "child N K R": fills *job; false when malformed. */
static bool parse_child(int argc, char **argv, struct job *job)
{
    return argc == 5 && parse_count(argv[2], MAX_PROCESSES, &job->n) &&
           parse_uint(argv[3], &job->k) && job->k < job->n &&
           parse_count(argv[4], MAX_RUNS, &job->r);
}

int main(int argc, char **argv)
{
    uint32_t n, runs;
    if (argc > 1 && strcmp(argv[1], "child") == 0) {
        struct job job;
        return parse_child(argc, argv, &job) ? child(&job) : 2;
    }
    bool hold = argc == 4 && strcmp(argv[3], "wait") == 0;
    if ((argc != 3 && !hold) || !parse_count(argv[1], MAX_PROCESSES, &n) ||
        !parse_count(argv[2], MAX_RUNS, &runs)) {
        printf("usage: bankmix N RUNS [wait]   (N 1..%u, RUNS 1..%u)\n", MAX_PROCESSES,
               MAX_RUNS);
        return 2;
    }
    return parent(n, runs, hold);
}
