/*
 * Console fan-out and kprintf. Output is written with interrupts off so a
 * line printed from an interrupt handler never lands inside another line.
 */
#include "console.h"

#include "cpu.h"
#include "format.h"
#include "kernel.h"

static struct console *consoles[CONSOLE_MAX];
static int console_count;

int console_register(struct console *con)
{
    if (console_count == CONSOLE_MAX)
        return -1;
    consoles[console_count++] = con;
    return 0;
}

void console_write(const char *text, size_t len)
{
    for (int i = 0; i < console_count; i++)
        consoles[i]->write(consoles[i], text, len);
}

/* kvformat sink: collect characters and flush them a line (or buffer) at a time. */
struct line_buffer {
    char text[128];
    size_t used;
};

static void flush_line(struct line_buffer *line)
{
    console_write(line->text, line->used);
    line->used = 0;
}

static void line_sink(char c, void *ctx)
{
    struct line_buffer *line = ctx;
    line->text[line->used++] = c;
    if (c == '\n' || line->used == sizeof(line->text))
        flush_line(line);
}

void kvprintf(const char *fmt, va_list ap)
{
    struct line_buffer line = { .used = 0 };
    uint32_t flags = irq_save();
    kvformat(line_sink, &line, fmt, ap);
    flush_line(&line);
    irq_restore(flags);
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
}

struct screen_console {
    struct console console;
    struct fbcon fbcon;
    struct fbcon_shadow shadow; /* lets the console redraw and change surface */
    bool started;
    bool redraw_pending; /* drawing was allowed again; repaint with the next output */
    bool writing;        /* inside screen_write */
    bool detached;       /* no surface to draw on (the display lost its frame) */
    bool resume;         /* while detached: draw once a surface comes back */
};

static struct screen_console screen;

/* Output that arrives while the screen is being drawn (a panic in the code
 * that draws, such as a banked frame's bank switching) goes to the other
 * consoles only: drawing again would recurse into what just failed. */
static void screen_write(struct console *con, const char *text, size_t len)
{
    struct screen_console *s = container_of(con, struct screen_console, console);
    if (s->writing)
        return;
    s->writing = true;
    if (s->redraw_pending) {
        s->redraw_pending = false;
        fbcon_set_drawing(&s->fbcon, true);
    }
    fbcon_write(&s->fbcon, text, len);
    s->writing = false;
}

int screen_console_start(const struct fb_surface *fb)
{
    if (!fbcon_init_shadowed(&screen.fbcon, fb, &console_font, &screen.shadow))
        return -1;
    screen.console = (struct console){ .name = "screen", .write = screen_write };
    screen.started = true;
    return console_register(&screen.console);
}

/* Turning drawing back on only marks the screen for a repaint at the next
 * output: a program that shares and unshares in a loop would otherwise pay
 * for a full-screen redraw every time. Interrupts stay off so a kprintf
 * from a handler never sees a half-changed console. */
void screen_console_set_drawing(bool on)
{
    uint32_t flags = irq_save();
    if (screen.detached)
        screen.resume = on;
    else
        screen.redraw_pending = on && screen.started && !screen.fbcon.drawing;
    if (screen.started && !on)
        fbcon_set_drawing(&screen.fbcon, false);
    irq_restore(flags);
}

/* Interrupts stay off for the same reason as in screen_console_set_drawing. */
int screen_console_set_surface(const struct fb_surface *fb)
{
    uint32_t flags = irq_save();
    int err;
    if (!screen.started)
        err = screen_console_start(fb);
    else
        err = fbcon_set_surface(&screen.fbcon, fb) ? 0 : -1;
    if (!err && screen.detached) {
        screen.detached = false;
        screen.redraw_pending = screen.resume;
    }
    irq_restore(flags);
    return err;
}

void screen_console_detach(void)
{
    uint32_t flags = irq_save();
    if (screen.started && !screen.detached) {
        screen.resume = screen.fbcon.drawing || screen.redraw_pending;
        screen.redraw_pending = false;
        screen.detached = true;
        fbcon_set_drawing(&screen.fbcon, false);
    }
    irq_restore(flags);
}

struct fbcon *screen_console(void)
{
    return screen.started ? &screen.fbcon : NULL;
}
