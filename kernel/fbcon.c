/*
 * Frame buffer text console. Each character cell is drawn whole (glyph
 * pixels in the foreground colour, the rest in the background), so text
 * can be checked pixel for pixel against the font. Every change of text
 * goes to the shadow first and to the pixels only while drawing, so a
 * redraw from the shadow shows exactly what drawing all along would have.
 */
#include "fbcon.h"

#include "kstring.h"

#define TAB_WIDTH 8
#define DEFAULT_FG 0xAAAAAA
#define DEFAULT_BG 0x000000

/* Scale an 8-bit channel value into a field of `size` bits at `position`. */
static uint32_t pack_channel(uint32_t value8, struct fb_channel ch)
{
    if (ch.size == 0)
        return 0;
    uint32_t v = ch.size >= 8 ? value8 << (ch.size - 8) : value8 >> (8 - ch.size);
    return v << ch.position;
}

/* Inverse of pack_channel: widen a field back to 8 bits (replicating bits). */
static uint32_t unpack_channel(uint32_t pixel, struct fb_channel ch)
{
    if (ch.size == 0)
        return 0;
    uint32_t v = (pixel >> ch.position) & ((1u << ch.size) - 1);
    if (ch.size >= 8)
        return v >> (ch.size - 8);
    uint32_t wide = 0;
    for (int shift = 8 - ch.size; shift > -(int)ch.size; shift -= ch.size)
        wide |= shift >= 0 ? v << shift : v >> -shift;
    return wide & 0xFF;
}

uint32_t fb_pack_rgb(const struct fb_surface *fb, uint32_t rgb)
{
    return pack_channel((rgb >> 16) & 0xFF, fb->red) |
           pack_channel((rgb >> 8) & 0xFF, fb->green) |
           pack_channel(rgb & 0xFF, fb->blue);
}

uint32_t fb_unpack_rgb(const struct fb_surface *fb, uint32_t pixel)
{
    return unpack_channel(pixel, fb->red) << 16 |
           unpack_channel(pixel, fb->green) << 8 |
           unpack_channel(pixel, fb->blue);
}

static uint32_t min_u32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

static uint32_t max_u32(uint32_t a, uint32_t b)
{
    return a > b ? a : b;
}

/* Where byte `offset` of the frame is, switching banks if need be. */
static uint8_t *frame_byte(const struct fb_surface *fb, uint32_t offset)
{
    const struct fb_banking *b = fb->banking;
    if (!b)
        return fb->base + offset;
    return b->window(b->ctx, offset / b->bank_length) + offset % b->bank_length;
}

static uint32_t bytes_per_pixel(const struct fb_surface *fb)
{
    return (fb->bpp + 7) / 8;
}

static uint8_t *pixel_address(const struct fb_surface *fb, uint32_t x, uint32_t y)
{
    return frame_byte(fb, y * fb->pitch + x * bytes_per_pixel(fb));
}

/* Copy `len` bytes of the frame from offset src to the lower offset dst,
 * through a bounce buffer when the frame is banked. */
static void frame_move_down(const struct fb_surface *fb, uint32_t dst, uint32_t src, uint32_t len)
{
    static uint8_t bounce[1024];
    if (!fb->banking) {
        memmove(fb->base + dst, fb->base + src, len);
        return;
    }
    uint32_t bank = fb->banking->bank_length;
    while (len) {
        uint32_t n = min_u32(min_u32(len, sizeof(bounce)), bank - src % bank);
        n = min_u32(n, bank - dst % bank);
        memcpy(bounce, frame_byte(fb, src), n);
        memcpy(frame_byte(fb, dst), bounce, n);
        src += n, dst += n, len -= n;
    }
}

uint32_t fb_get_pixel(const struct fb_surface *fb, uint32_t x, uint32_t y)
{
    const uint8_t *p = pixel_address(fb, x, y);
    switch (bytes_per_pixel(fb)) {
    case 4: return *(const volatile uint32_t *)p;
    case 3: return p[0] | p[1] << 8 | (uint32_t)p[2] << 16;
    case 2: return *(const volatile uint16_t *)p;
    default: return *p;
    }
}

/* Store a pixel value `bytes` bytes wide at p. */
static void store_pixel(uint8_t *p, uint32_t bytes, uint32_t pixel)
{
    switch (bytes) {
    case 4: *(volatile uint32_t *)p = pixel; break;
    case 3:
        p[0] = pixel & 0xFF;
        p[1] = (pixel >> 8) & 0xFF;
        p[2] = (pixel >> 16) & 0xFF;
        break;
    case 2: *(volatile uint16_t *)p = (uint16_t)pixel; break;
    default: *p = (uint8_t)pixel;
    }
}

void fb_put_pixel(const struct fb_surface *fb, uint32_t x, uint32_t y, uint32_t pixel)
{
    store_pixel(pixel_address(fb, x, y), bytes_per_pixel(fb), pixel);
}

/* Store 32-bit pixels[i * step] at p[i] for i < n. */
static void put_words(uint32_t *p, uint32_t n, const uint32_t *pixels, uint32_t step)
{
    if (step) {
        memcpy(p, pixels, n * sizeof(*p));
        return;
    }
    for (uint32_t i = 0; i < n; i++)
        p[i] = pixels[0];
}

/*
 * Store pixels[i * step] at (x + i, y) for i < n, all on one line: step 1
 * copies a row of values, step 0 repeats one. The address is worked out once
 * when one pointer reaches the whole run (always on a linear frame; in one
 * bank on a banked one), pixel by pixel only when the run crosses a bank edge.
 */
static void put_line(const struct fb_surface *fb, uint32_t x, uint32_t y, uint32_t n,
                     const uint32_t *pixels, uint32_t step)
{
    uint32_t bytes = bytes_per_pixel(fb), offset = y * fb->pitch + x * bytes;
    const struct fb_banking *b = fb->banking;
    if (b && offset % b->bank_length + n * bytes > b->bank_length) {
        for (uint32_t i = 0; i < n; i++)
            fb_put_pixel(fb, x + i, y, pixels[i * step]);
        return;
    }
    uint8_t *p = frame_byte(fb, offset);
    if (bytes == 4) { /* the common depth, without a switch per pixel */
        put_words((uint32_t *)p, n, pixels, step);
        return;
    }
    for (uint32_t i = 0; i < n; i++, p += bytes)
        store_pixel(p, bytes, pixels[i * step]);
}

/* An empty cell in the current colours: what clearing leaves behind. */
static struct fbcon_cell blank_cell(const struct fbcon *con)
{
    return (struct fbcon_cell){ .fg = con->fg_rgb, .bg = con->bg_rgb, .ch = ' ' };
}

/* The text of cell (col, row); a console without a shadow remembers none. */
static struct fbcon_cell cell_at(const struct fbcon *con, uint32_t col, uint32_t row)
{
    return con->shadow ? con->shadow->cells[row][col] : blank_cell(con);
}

/* Blank cells [first, end) of shadow row `row`, if there is a shadow. */
static void blank_cells(struct fbcon *con, uint32_t row, uint32_t first, uint32_t end)
{
    if (!con->shadow)
        return;
    for (uint32_t col = first; col < end; col++)
        con->shadow->cells[row][col] = blank_cell(con);
}

/* Paint pixel line y of cell (col, row) with its glyph and colours, up to
 * 32 pixels at a time. */
static void draw_cell_line(const struct fbcon *con, uint32_t col, uint32_t row, uint32_t y,
                           struct fbcon_cell cell)
{
    const struct font *f = con->font;
    const uint8_t *bits = font_glyph(f, cell.ch) + y * f->row_bytes;
    uint32_t fg = fb_pack_rgb(&con->fb, cell.fg), bg = fb_pack_rgb(&con->fb, cell.bg);
    uint32_t line[32];
    for (uint32_t x = 0; x < f->width; x += 32) {
        uint32_t n = min_u32(f->width - x, 32);
        for (uint32_t i = 0; i < n; i++)
            line[i] = (bits[(x + i) / 8] & (0x80 >> ((x + i) % 8))) ? fg : bg;
        put_line(&con->fb, col * f->width + x, row * f->height + y, n, line, 1);
    }
}

/* Paint cell (col, row) with the cell's glyph and colours. */
static void draw_cell(const struct fbcon *con, uint32_t col, uint32_t row, struct fbcon_cell cell)
{
    for (uint32_t y = 0; y < con->font->height; y++)
        draw_cell_line(con, col, row, y, cell);
}

/* Fill pixels [x0, x1) x [y0, y1) with pixel value `pixel`. */
static void fill_rect(const struct fbcon *con, uint32_t x0, uint32_t y0, uint32_t x1, uint32_t y1,
                      uint32_t pixel)
{
    for (uint32_t y = y0; y < y1 && x0 < x1; y++)
        put_line(&con->fb, x0, y, x1 - x0, &pixel, 0);
}

/* Whether line y of the glyph of c sets no pixel, so it shows only the background. */
static bool glyph_line_empty(const struct font *f, unsigned char c, uint32_t y)
{
    const uint8_t *bits = font_glyph(f, c) + y * f->row_bytes;
    for (uint32_t i = 0; i < f->row_bytes; i++) {
        if (bits[i])
            return false;
    }
    return true;
}

/*
 * Paint pixel line y of cells [col, end) of text row `row`. A run of cells
 * whose glyphs are empty on this line and share one background is one
 * fill: the console paints a blank screen when it starts, and cell by cell
 * that took several times longer.
 */
static void draw_span_line(const struct fbcon *con, uint32_t row, uint32_t y, uint32_t col,
                           uint32_t end)
{
    const struct font *f = con->font;
    while (col < end) {
        struct fbcon_cell cell = cell_at(con, col, row);
        uint32_t blank_end = col;
        while (blank_end < end && glyph_line_empty(f, cell_at(con, blank_end, row).ch, y) &&
               cell_at(con, blank_end, row).bg == cell.bg)
            blank_end++;
        if (blank_end == col) {
            draw_cell_line(con, col++, row, y, cell);
            continue;
        }
        uint32_t bg = fb_pack_rgb(&con->fb, cell.bg);
        put_line(&con->fb, col * f->width, row * f->height + y, (blank_end - col) * f->width, &bg,
                 0);
        col = blank_end;
    }
}

/* Paint cells [col, end) of text row `row` from the shadow, line by line:
 * in the frame's own order, so that a banked frame switches banks only
 * where the row crosses a bank edge, not twice for every cell there. */
static void draw_span(const struct fbcon *con, uint32_t row, uint32_t col, uint32_t end)
{
    for (uint32_t y = 0; y < con->font->height; y++)
        draw_span_line(con, row, y, col, end);
}

static void draw_row(const struct fbcon *con, uint32_t row)
{
    draw_span(con, row, 0, con->cols);
}

/* Draw the cells of the cursor row that so far changed only in the shadow. */
static void draw_unshown(struct fbcon *con)
{
    if (con->unshown_from < con->unshown_end)
        draw_span(con, con->row, con->unshown_from, con->unshown_end);
    con->unshown_from = con->unshown_end = 0;
}

/* Store character c in the current colours at (col, row), and show it while
 * drawing: at once without a shadow, else when the cursor leaves the row or
 * the write ends, with the rest of the row's new cells. */
static void put_cell(struct fbcon *con, uint32_t col, uint32_t row, unsigned char c)
{
    struct fbcon_cell cell = { .fg = con->fg_rgb, .bg = con->bg_rgb, .ch = c };
    if (!con->shadow) {
        if (con->drawing)
            draw_cell(con, col, row, cell);
        return;
    }
    con->shadow->cells[row][col] = cell;
    if (!con->drawing)
        return;
    if (con->unshown_from == con->unshown_end)
        con->unshown_from = con->unshown_end = col;
    con->unshown_from = min_u32(con->unshown_from, col);
    con->unshown_end = max_u32(con->unshown_end, col + 1);
}

/* Whether text row `row` looks different once the rows move up by one:
 * whether its cells differ from those of the row below (the last row's
 * from blank ones). */
static bool row_changes_in_scroll(const struct fbcon *con, uint32_t row)
{
    for (uint32_t col = 0; col < con->cols; col++) {
        struct fbcon_cell now = cell_at(con, col, row);
        struct fbcon_cell next = row + 1 < con->rows ? cell_at(con, col, row + 1) : blank_cell(con);
        if (now.ch != next.ch || now.fg != next.fg || now.bg != next.bg)
            return true;
    }
    return false;
}

/* Move the pixels of every text row up by one and blank the last row. */
static void move_rows_up(const struct fbcon *con)
{
    uint32_t cell_h = con->font->height;
    uint32_t row_bytes = cell_h * con->fb.pitch;
    frame_move_down(&con->fb, 0, row_bytes, row_bytes * (con->rows - 1));
    fill_rect(con, 0, (con->rows - 1) * cell_h, con->cols * con->font->width, con->rows * cell_h,
              con->bg);
}

/* Move every text row of the shadow (if any) up by one and blank the last. */
static void move_shadow_up(struct fbcon *con)
{
    if (con->shadow) {
        struct fbcon_cell(*cells)[FBCON_MAX_COLS] = con->shadow->cells;
        memmove(cells[0], cells[1], (con->rows - 1) * sizeof(cells[0]));
    }
    blank_cells(con, con->rows - 1, 0, con->cols);
}

/* Scroll the shadow, then repaint from it only the rows that change. */
static void scroll_by_repaint(struct fbcon *con)
{
    bool changes[FBCON_MAX_ROWS] = { false };
    for (uint32_t row = 0; row < con->rows; row++)
        changes[row] = row_changes_in_scroll(con, row);
    move_shadow_up(con);
    for (uint32_t row = 0; row < con->rows; row++) {
        if (changes[row])
            draw_row(con, row);
    }
}

/*
 * Move every text row up by one and blank the last, in the shadow and on
 * screen. A banked frame with a shadow repaints, from the shadow, only the
 * rows that change: moving its pixels through a bounce buffer switched
 * banks some 3,800 times for 800x600x32, where repainting switches each
 * bank about once, and not at all for rows that stay blank.
 */
static void scroll_up(struct fbcon *con)
{
    if (con->drawing && con->shadow && con->fb.banking) {
        scroll_by_repaint(con);
        return;
    }
    move_shadow_up(con);
    if (con->drawing)
        move_rows_up(con);
}

static void newline(struct fbcon *con)
{
    draw_unshown(con);
    con->col = 0;
    if (++con->row == con->rows) {
        scroll_up(con);
        con->row = con->rows - 1;
    }
}

static void put_char(struct fbcon *con, char c)
{
    switch (c) {
    case '\n': newline(con); return;
    case '\r': con->col = 0; return;
    case '\b':
        if (con->col)
            con->col--;
        return;
    case '\t': /* to the next tab stop, or the row's end on a console narrower than one */
        do
            put_char(con, ' ');
        while (con->col % TAB_WIDTH && con->col < con->cols);
        return;
    }
    if (con->col == con->cols)
        newline(con);
    put_cell(con, con->col++, con->row, (unsigned char)c);
}

void fbcon_write(struct fbcon *con, const char *text, size_t len)
{
    if (con->cols == 0)
        return;
    for (size_t i = 0; i < len; i++)
        put_char(con, text[i]);
    draw_unshown(con);
}

void fbcon_set_colors(struct fbcon *con, uint32_t fg_rgb, uint32_t bg_rgb)
{
    con->fg_rgb = fg_rgb;
    con->bg_rgb = bg_rgb;
    con->fg = fb_pack_rgb(&con->fb, fg_rgb);
    con->bg = fb_pack_rgb(&con->fb, bg_rgb);
}

void fbcon_redraw(struct fbcon *con)
{
    if (!con->drawing)
        return;
    for (uint32_t row = 0; row < con->rows; row++)
        draw_row(con, row);
    /* Whoever drew while we did not may have left pixels outside the grid too. */
    uint32_t grid_w = con->cols * con->font->width, grid_h = con->rows * con->font->height;
    fill_rect(con, grid_w, 0, con->fb.width, con->fb.height, con->bg);
    fill_rect(con, 0, grid_h, grid_w, con->fb.height, con->bg);
}

void fbcon_set_drawing(struct fbcon *con, bool on)
{
    con->drawing = on;
    fbcon_redraw(con);
}

/* Whether fb has a depth fb_put_pixel handles and room for one cell. */
static bool surface_usable(const struct fb_surface *fb, const struct font *font)
{
    bool depth_ok = fb->bpp == 8 || fb->bpp == 15 || fb->bpp == 16 ||
                    (fb->bpp == 24 && !fb->banking) || fb->bpp == 32;
    return depth_ok && fb->width >= font->width && fb->height >= font->height;
}

/*
 * Fit the shadow to a cols x rows grid: drop the top `shift` rows, and blank
 * every cell the old grid did not cover, since cells beyond it may hold
 * stale text from an earlier, larger surface.
 */
static void reshape_shadow(struct fbcon *con, uint32_t cols, uint32_t rows, uint32_t shift)
{
    uint32_t kept = min_u32(con->rows - shift, rows);
    struct fbcon_cell(*cells)[FBCON_MAX_COLS] = con->shadow->cells;
    memmove(cells[0], cells[shift], kept * sizeof(cells[0]));
    for (uint32_t row = 0; row < rows; row++)
        blank_cells(con, row, row < kept ? con->cols : 0, cols);
}

bool fbcon_set_surface(struct fbcon *con, const struct fb_surface *fb)
{
    if (!surface_usable(fb, con->font))
        return false;
    uint32_t cols = min_u32(fb->width / con->font->width, FBCON_MAX_COLS);
    uint32_t rows = min_u32(fb->height / con->font->height, FBCON_MAX_ROWS);
    /* Rows below the cursor are always blank, so losing top rows loses least. */
    uint32_t shift = con->row + 1 > rows ? con->row + 1 - rows : 0;
    if (con->shadow)
        reshape_shadow(con, cols, rows, shift);
    con->fb = *fb;
    con->cols = cols;
    con->rows = rows;
    con->row -= shift;
    con->col = min_u32(con->col, cols); /* == cols: wrap before the next character */
    fbcon_set_colors(con, con->fg_rgb, con->bg_rgb);
    fbcon_redraw(con);
    return true;
}

bool fbcon_init_shadowed(struct fbcon *con, const struct fb_surface *fb, const struct font *font,
                         struct fbcon_shadow *shadow)
{
    /* An empty console moved onto fb: the shadow is blanked and every pixel painted. */
    *con = (struct fbcon){ .font = font, .shadow = shadow, .drawing = true,
                           .fg_rgb = DEFAULT_FG, .bg_rgb = DEFAULT_BG };
    return fbcon_set_surface(con, fb);
}

bool fbcon_init(struct fbcon *con, const struct fb_surface *fb, const struct font *font)
{
    return fbcon_init_shadowed(con, fb, font, NULL);
}
