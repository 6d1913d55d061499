/*
 * Which GOP mode the kernel is handed: 800x600, the kernel's own preference
 * (its multiboot header asks for it), unless video=WxH32 asks for another,
 * as GRUB's gfxpayload does on the GRUB path.
 */
#include "handoff.h"

#define DEFAULT_WIDTH 800
#define DEFAULT_HEIGHT 600

static bool has_frame_buffer(const struct gop_mode *m)
{
    return m->format != GOP_BLT_ONLY && m->width && m->height && m->pixels_per_line >= m->width;
}

int gop_choose_mode(const struct gop_mode *modes, int count, int current, uint32_t width,
                    uint32_t height)
{
    int first = -1;
    for (int i = 0; i < count; i++) {
        if (!has_frame_buffer(&modes[i]))
            continue;
        if (modes[i].width == width && modes[i].height == height)
            return i;
        if (first < 0)
            first = i;
    }
    if (current >= 0 && current < count && has_frame_buffer(&modes[current]))
        return current;
    return first;
}

/* Read a decimal number of up to 5 digits ending at `end`; NULL if none. */
static const char *number(const char *s, char end, uint32_t *value)
{
    uint32_t v = 0;
    int digits = 0;
    for (; *s >= '0' && *s <= '9' && digits < 5; s++, digits++)
        v = v * 10 + (uint32_t)(*s - '0');
    if (!digits || *s != end)
        return NULL;
    *value = v;
    return s + (end ? 1 : 0);
}

void boot_video_wanted(const char *video_option, uint32_t *width, uint32_t *height)
{
    uint32_t w = 0, h = 0, bpp = 0;
    const char *s = video_option ? number(video_option, 'x', &w) : NULL;
    s = s ? number(s, 'x', &h) : NULL;
    s = s ? number(s, '\0', &bpp) : NULL;
    bool usable = s && w && h && bpp == 32;
    *width = usable ? w : DEFAULT_WIDTH;
    *height = usable ? h : DEFAULT_HEIGHT;
}
