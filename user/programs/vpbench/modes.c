/*
 * Modes and views: finding the linear and banked mode of a geometry,
 * switching between them, and sharing the frame the way a drawing
 * program does (the IOCTLs themselves, nothing around them).
 */
#include <vputil.h>
#include "vpbench.h"

#define MAX_MODES 32

static VIDEO_MODE_INFORMATION modes[MAX_MODES];
static ULONG mode_count;
static VIDEO_MODE_INFORMATION original;

HANDLE bench_device(void)
{
    HANDLE dev = video_open("Video0");
    ULONG bytes = 0;
    if (!dev || video_control(dev, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, &original,
                              sizeof(original), NULL) != NO_ERROR ||
        video_control(dev, IOCTL_VIDEO_QUERY_AVAIL_MODES, NULL, 0, modes, sizeof(modes),
                      &bytes) != NO_ERROR) {
        bench_fail("no video adapter (Video0)");
        return NULL;
    }
    mode_count = bytes / sizeof(modes[0]);
    return dev;
}

static const VIDEO_MODE_INFORMATION *find_mode(const struct geometry *g, enum view_kind kind)
{
    for (ULONG i = 0; i < mode_count; i++) {
        const VIDEO_MODE_INFORMATION *m = &modes[i];
        bool banked = m->AttributeFlags & VIDEO_MODE_BANKED;
        if (m->VisScreenWidth == g->width && m->VisScreenHeight == g->height &&
            m->BitsPerPlane == g->bpp && banked == (kind == VIEW_BANKED))
            return m;
    }
    return NULL;
}

bool bench_has_twins(const struct geometry *g)
{
    return find_mode(g, VIEW_LINEAR) && find_mode(g, VIEW_BANKED);
}

static bool set_index(HANDLE dev, ULONG index)
{
    VIDEO_MODE request = { index };
    return video_control(dev, IOCTL_VIDEO_SET_CURRENT_MODE, &request, sizeof(request), NULL, 0,
                         NULL) == NO_ERROR;
}

bool bench_set_mode(HANDLE dev, const struct geometry *g, enum view_kind kind)
{
    const VIDEO_MODE_INFORMATION *m = find_mode(g, kind);
    if (m && set_index(dev, m->ModeIndex))
        return true;
    bench_fail(figure_key("set mode", g, kind_name(kind)));
    return false;
}

void bench_restore_mode(HANDLE dev)
{
    if (!set_index(dev, original.ModeIndex))
        bench_fail("setting the first mode again");
}

ULONG frame_bytes(HANDLE dev)
{
    VIDEO_MODE_INFORMATION m;
    if (video_control(dev, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, &m, sizeof(m), NULL) !=
        NO_ERROR)
        return 0;
    return m.VisScreenHeight * m.ScreenStride;
}

uint8_t *view_share(HANDLE dev, ULONG size)
{
    VIDEO_SHARE_MEMORY in = { .ProcessHandle = NtCurrentProcess(), .ViewSize = size };
    VIDEO_SHARE_MEMORY_INFORMATION out;
    if (video_control(dev, IOCTL_VIDEO_SHARE_VIDEO_MEMORY, &in, sizeof(in), &out, sizeof(out),
                      NULL) == NO_ERROR)
        return out.VirtualAddress;
    bench_fail("IOCTL_VIDEO_SHARE_VIDEO_MEMORY");
    return NULL;
}

void view_unshare(HANDLE dev, void *view)
{
    VIDEO_SHARE_MEMORY in = { .ProcessHandle = NtCurrentProcess(),
                              .RequestedVirtualAddress = view };
    if (video_control(dev, IOCTL_VIDEO_UNSHARE_VIDEO_MEMORY, &in, sizeof(in), NULL, 0, NULL) !=
        NO_ERROR)
        bench_fail("IOCTL_VIDEO_UNSHARE_VIDEO_MEMORY");
}

VIDPORT_BANKING_INFORMATION bank_counters(HANDLE dev)
{
    VIDPORT_BANKING_INFORMATION info = { 0 };
    if (video_control(dev, IOCTL_VIDPORT_QUERY_BANKING, NULL, 0, &info, sizeof(info), NULL) !=
        NO_ERROR)
        bench_fail("IOCTL_VIDPORT_QUERY_BANKING");
    return info;
}

uint32_t own_page_faults(void)
{
    struct vp_process_info me = { 0 };
    if (!process_info(getpid(), &me))
        bench_fail("finding this process in the process list");
    return me.page_faults;
}

uint32_t bank_count(uint32_t bytes, uint32_t bank_length)
{
    return bank_length ? (bytes + bank_length - 1) / bank_length : 0;
}

const char *figure_key(const char *what, const struct geometry *g, const char *kind)
{
    static char key[64];
    snprintf(key, sizeof(key), "%s.%s.%s", what, g->name, kind);
    return key;
}

const char *kind_name(enum view_kind kind)
{
    return kind == VIEW_BANKED ? "banked" : "linear";
}
