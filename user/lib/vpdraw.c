/*
 * The drawing helpers of <vpdraw.h>: share the visible frame, pack colours
 * by the mode's masks, store pixels. An object of their own, apart from the
 * video calls (video.c): the linker takes whole objects from the library,
 * so a program with its own screen_put that calls video_control links
 * without a second one.
 */
#include <vpdraw.h>
#include <vputil.h>

static VP_STATUS report(const char *program, const char *what, VP_STATUS status)
{
    if (status != NO_ERROR)
        printf("%s: %s: %s (%d)\n", program, what, vp_status_name(status), (int)status);
    return status;
}

VP_STATUS screen_share(struct screen *s, const char *program)
{
    VP_STATUS status = video_control(s->dev, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, &s->mode,
                                     sizeof(s->mode), NULL);
    if (report(program, "cannot read the current mode", status) != NO_ERROR)
        return status;
    VIDEO_SHARE_MEMORY request = { .ProcessHandle = NtCurrentProcess(),
                                   .ViewSize = s->mode.VisScreenHeight * s->mode.ScreenStride };
    VIDEO_SHARE_MEMORY_INFORMATION shared;
    status = video_control(s->dev, IOCTL_VIDEO_SHARE_VIDEO_MEMORY, &request, sizeof(request),
                           &shared, sizeof(shared), NULL);
    s->base = status == NO_ERROR ? shared.VirtualAddress : NULL;
    s->size = status == NO_ERROR ? shared.SharedViewSize : 0;
    return report(program, "cannot share the frame buffer", status);
}

VP_STATUS screen_open(struct screen *s, const char *program)
{
    *s = (struct screen){ .dev = video_open("Video0") };
    if (!s->dev) {
        printf("%s: no video adapter (Video0)\n", program);
        return ERROR_DEV_NOT_EXIST;
    }
    return screen_share(s, program);
}

VP_STATUS screen_close(struct screen *s, const char *program)
{
    VIDEO_SHARE_MEMORY request = { .ProcessHandle = NtCurrentProcess(),
                                   .RequestedVirtualAddress = s->base };
    VP_STATUS status = video_control(s->dev, IOCTL_VIDEO_UNSHARE_VIDEO_MEMORY, &request,
                                     sizeof(request), NULL, 0, NULL);
    s->base = NULL;
    return report(program, "cannot unshare the frame buffer", status);
}

bool screen_view_live(const struct screen *s)
{
    VIDEO_MEMORY request = { s->base };
    VIDPORT_VIEW_INFORMATION info;
    VP_STATUS status = video_control(s->dev, IOCTL_VIDPORT_QUERY_VIEW, &request,
                                     sizeof(request), &info, sizeof(info), NULL);
    return status == NO_ERROR && info.State == VIDPORT_VIEW_LIVE;
}

/* The top bits of an 8-bit channel value, placed where mask says. */
static uint32_t pack_channel(uint32_t value8, uint32_t mask)
{
    if (!mask)
        return 0;
    uint32_t shift = 0, bits = 0;
    while (!((mask >> shift) & 1))
        shift++;
    while ((mask >> (shift + bits)) & 1)
        bits++;
    uint32_t v = bits >= 8 ? value8 << (bits - 8) : value8 >> (8 - bits);
    return v << shift;
}

uint32_t screen_pack(const struct screen *s, uint32_t rgb)
{
    return pack_channel((rgb >> 16) & 0xFF, s->mode.RedMask) |
           pack_channel((rgb >> 8) & 0xFF, s->mode.GreenMask) |
           pack_channel(rgb & 0xFF, s->mode.BlueMask);
}

void pixel24_store(volatile uint8_t *p, uint32_t value)
{
    p[0] = (uint8_t)value;
    p[1] = (uint8_t)(value >> 8);
    p[2] = (uint8_t)(value >> 16);
}

uint32_t pixel24_load(const volatile uint8_t *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
}

uint32_t screen_pixel_bytes(const struct screen *s)
{
    return (s->mode.BitsPerPlane + 7) / 8;
}

void screen_put(const struct screen *s, uint32_t x, uint32_t y, uint32_t pixel)
{
    uint32_t bytes = screen_pixel_bytes(s);
    volatile uint8_t *p = s->base + y * s->mode.ScreenStride + x * bytes;
    switch (bytes) {
    case 1: *p = (uint8_t)pixel; break;
    case 2: *(volatile uint16_t *)p = (uint16_t)pixel; break;
    case 3: pixel24_store(p, pixel); break;
    default: *(volatile uint32_t *)p = pixel; break;
    }
}

uint32_t screen_get(const struct screen *s, uint32_t x, uint32_t y)
{
    uint32_t bytes = screen_pixel_bytes(s);
    const volatile uint8_t *p = s->base + y * s->mode.ScreenStride + x * bytes;
    switch (bytes) {
    case 1: return *p;
    case 2: return *(const volatile uint16_t *)p;
    case 3: return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
    default: return *(const volatile uint32_t *)p;
    }
}

void screen_fill(const struct screen *s, uint32_t x, uint32_t y, uint32_t w, uint32_t h,
                 uint32_t pixel)
{
    uint32_t x_end = x + w < s->mode.VisScreenWidth ? x + w : s->mode.VisScreenWidth;
    uint32_t y_end = y + h < s->mode.VisScreenHeight ? y + h : s->mode.VisScreenHeight;
    for (uint32_t row = y; row < y_end; row++) {
        for (uint32_t col = x; col < x_end; col++)
            screen_put(s, col, row, pixel);
    }
}

uint32_t screen_gradient_rgb(uint32_t x, uint32_t y, uint32_t w, uint32_t h)
{
    uint32_t r = w > 1 ? x * 255 / (w - 1) : 0;
    uint32_t g = h > 1 ? y * 255 / (h - 1) : 0;
    uint32_t b = (x ^ y) & 255;
    return r << 16 | g << 8 | b;
}

bool screen_hold_valid(const char *how)
{
    uint32_t ms;
    return !how || strcmp(how, "wait") == 0 || parse_uint(how, &ms);
}

void screen_hold(const char *how)
{
    uint32_t ms = 2000;
    if (how && strcmp(how, "wait") == 0) {
        char line[16];
        console_read(line, sizeof(line));
    } else if (!how || parse_uint(how, &ms))
        sleep_ms(ms);
}
