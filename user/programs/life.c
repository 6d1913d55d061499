/*
 * life: Conway's Game of Life on the whole screen, through a shared view.
 *
 * The board is a grid of CELL x CELL-pixel cells filling the screen, its
 * edges wrapping round (a torus). The first generation comes from a linear
 * congruential generator with a fixed seed, so every run is the same.
 * Each generation only the cells that changed are redrawn. A mode change
 * revokes the view: life then unshares it, shares the new frame, resizes
 * the board to the new geometry (keeping the cells that still fit) and
 * carries on.
 *
 * usage: life [generations] [delay_ms]
 * Draws `generations` generations (default 200), the first being the seed,
 * pausing delay_ms (default 30) after each.
 */
#include <vidport.h>
#include <vpdraw.h>
#include <vputil.h>

#define CELL 4
#define SEED 20240601u
#define BACKGROUND 0x101018u
#define LIVE_COLOUR 0x40E060u

struct board {
    uint32_t cols, rows;
    uint8_t *cells, *next; /* cols * rows bytes each, 1 = alive */
};

/* Give the board new cols x rows grids, copying the cells of the part the
 * old and new boards share (new cells are dead). False if out of memory. */
static bool resize_board(struct board *b, uint32_t cols, uint32_t rows)
{
    uint8_t *cells = calloc(cols * rows, 1), *next = calloc(cols * rows, 1);
    if (!cells || !next) {
        free(cells), free(next);
        printf("life: cannot allocate a %ux%u board: %s\n", cols, rows,
               vp_status_name(ERROR_NOT_ENOUGH_MEMORY));
        return false;
    }
    for (uint32_t r = 0; r < rows && r < b->rows; r++)
        memcpy(cells + r * cols, b->cells + r * b->cols, cols < b->cols ? cols : b->cols);
    free(b->cells), free(b->next);
    *b = (struct board){ cols, rows, cells, next };
    return true;
}

/* Board dimensions for the screen's geometry (at least 1 x 1). */
static bool fit_board(struct board *b, const struct screen *s)
{
    uint32_t cols = s->mode.VisScreenWidth / CELL, rows = s->mode.VisScreenHeight / CELL;
    return resize_board(b, cols ? cols : 1, rows ? rows : 1);
}

/* About one cell in four alive, from a fixed-seed LCG. */
static void seed_board(struct board *b)
{
    uint32_t state = SEED;
    for (uint32_t i = 0; i < b->cols * b->rows; i++) {
        state = state * 1103515245u + 12345u;
        b->cells[i] = (state >> 16) % 4 == 0;
    }
}

/* The index before and after i on a ring of n (wrapping round). */
static uint32_t ring_prev(uint32_t i, uint32_t n)
{
    return i ? i - 1 : n - 1;
}

static uint32_t ring_next(uint32_t i, uint32_t n)
{
    return i + 1 < n ? i + 1 : 0;
}

/* Live neighbours of (c, r), wrapping round the edges. */
static uint32_t neighbours(const struct board *b, uint32_t c, uint32_t r)
{
    const uint32_t cs[3] = { ring_prev(c, b->cols), c, ring_next(c, b->cols) };
    const uint32_t rs[3] = { ring_prev(r, b->rows), r, ring_next(r, b->rows) };
    uint32_t n = 0;
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++)
            n += (i != 1 || j != 1) && b->cells[rs[i] * b->cols + cs[j]];
    }
    return n;
}

/* Compute the next generation into b->next, then swap: b->next is left
 * holding the generation that was current. */
static void step_board(struct board *b)
{
    for (uint32_t r = 0; r < b->rows; r++) {
        for (uint32_t c = 0; c < b->cols; c++) {
            uint32_t n = neighbours(b, c, r);
            b->next[r * b->cols + c] = n == 3 || (n == 2 && b->cells[r * b->cols + c]);
        }
    }
    uint8_t *t = b->cells;
    b->cells = b->next;
    b->next = t;
}

/* Draw the cells that differ from b->next (the generation on screen), or
 * every cell when `all`. */
static void draw_board(const struct screen *s, const struct board *b, bool all)
{
    uint32_t live = screen_pack(s, LIVE_COLOUR), dead = screen_pack(s, BACKGROUND);
    for (uint32_t r = 0; r < b->rows; r++) {
        for (uint32_t c = 0; c < b->cols; c++) {
            uint32_t i = r * b->cols + c;
            if (all || b->cells[i] != b->next[i])
                screen_fill(s, c * CELL, r * CELL, CELL, CELL, b->cells[i] ? live : dead);
        }
    }
}

static void clear_screen(const struct screen *s)
{
    screen_fill(s, 0, 0, s->mode.VisScreenWidth, s->mode.VisScreenHeight,
                screen_pack(s, BACKGROUND));
}

/* After a revocation: give the dead view back, share the new frame and
 * fit the board to it. False (the error printed) on a failure. */
static bool share_again(struct screen *s, struct board *b)
{
    printf("life: view lost, sharing again\n");
    if (screen_close(s, "life") != NO_ERROR || screen_share(s, "life") != NO_ERROR)
        return false;
    if (!fit_board(b, s))
        return false;
    clear_screen(s);
    return true;
}

/* Show `generations` generations; false on a failure (already printed). */
static bool run(struct screen *s, struct board *b, uint32_t generations, uint32_t delay_ms)
{
    bool all = true;
    clear_screen(s);
    for (uint32_t g = 0; g < generations; g++) {
        if (!screen_view_live(s)) {
            if (!share_again(s, b))
                return false;
            all = true;
        }
        draw_board(s, b, all);
        all = false;
        sleep_ms(delay_ms);
        step_board(b);
    }
    return true;
}

int main(int argc, char **argv)
{
    uint32_t generations = 200, delay_ms = 30;
    if (argc > 3 || (argc > 1 && !parse_uint(argv[1], &generations)) ||
        (argc > 2 && !parse_uint(argv[2], &delay_ms))) {
        printf("usage: life [generations] [delay_ms]\n");
        return 2;
    }
    struct screen s;
    struct board b = { 0 };
    if (screen_open(&s, "life") != NO_ERROR)
        return 1;
    if (!fit_board(&b, &s))
        return 1;
    seed_board(&b);
    if (!run(&s, &b, generations, delay_ms))
        return 1;
    printf("life: drew %u generations on %ux%ux%u\n", generations, s.mode.VisScreenWidth,
           s.mode.VisScreenHeight, s.mode.BitsPerPlane);
    return screen_close(&s, "life") == NO_ERROR ? 0 : 1;
}
