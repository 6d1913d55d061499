/*
 * ddraw: gradient's picture, drawn through a frame buffer obtained the
 * DirectDraw way: the display driver's DdMapMemory (bMap TRUE) maps the
 * visible frame into this process, and DdMapMemory (bMap FALSE) gives it
 * back.
 *
 * The picture is gradient's formula, unchanged: on a W x H screen, pixel
 * (x, y) shows the colour
 *     red   = x * 255 / (W - 1)
 *     green = y * 255 / (H - 1)
 *     blue  = (x XOR y) AND 255
 * (integer division), stored with screen_pack.
 *
 * usage: ddraw [hold_ms | wait]
 * The picture stays for hold_ms (default 2000) before the frame is
 * unmapped, since the screen console redraws the screen once no view is
 * live.
 */
#include <vidport.h>
#include <vpdraw.h>

/* DdMapMemory with bMap TRUE: the mapped frame's address, or 0 with the
 * failure printed. */
static FLATPTR map_frame(void)
{
    DD_MAPMEMORYDATA data = { .bMap = TRUE, .hProcess = NtCurrentProcess() };
    ULONG handled = dd_map_memory(&data);
    if (handled != DDHAL_DRIVER_HANDLED) {
        printf("ddraw: DdMapMemory failed: not handled (%u)\n", handled);
        return 0;
    }
    if (data.ddRVal != DD_OK) {
        printf("ddraw: DdMapMemory failed: ddRVal 0x%08x\n", (uint32_t)data.ddRVal);
        return 0;
    }
    if (!data.fpProcess)
        printf("ddraw: DdMapMemory failed: no address (fpProcess 0)\n");
    return data.fpProcess;
}

/* DdMapMemory with bMap FALSE for the frame at fp; false (printed) if it
 * fails. */
static bool unmap_frame(FLATPTR fp)
{
    DD_MAPMEMORYDATA data = { .bMap = FALSE, .hProcess = NtCurrentProcess(), .fpProcess = fp };
    ULONG handled = dd_map_memory(&data);
    if (handled != DDHAL_DRIVER_HANDLED) {
        printf("ddraw: DdMapMemory (unmap) failed: not handled (%u)\n", handled);
        return false;
    }
    if (data.ddRVal != DD_OK)
        printf("ddraw: DdMapMemory (unmap) failed: ddRVal 0x%08x\n", (uint32_t)data.ddRVal);
    return data.ddRVal == DD_OK;
}

/* Fill s by hand for the frame mapped at fp: Video0's current mode, and
 * the view's size as the port reports it. The view must still be live
 * (no mode change since the mapping) and hold the whole visible frame.
 * Returns false with the failure printed. */
static bool describe_frame(struct screen *s, FLATPTR fp)
{
    VP_STATUS status = video_control(s->dev, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, &s->mode,
                                     sizeof(s->mode), NULL);
    if (status != NO_ERROR) {
        printf("ddraw: cannot read the current mode: %s\n", vp_status_name(status));
        return false;
    }
    VIDEO_MEMORY request = { (PVOID)fp };
    VIDPORT_VIEW_INFORMATION view;
    status = video_control(s->dev, IOCTL_VIDPORT_QUERY_VIEW, &request, sizeof(request), &view,
                           sizeof(view), NULL);
    if (status != NO_ERROR) {
        printf("ddraw: cannot query the mapped view: %s\n", vp_status_name(status));
        return false;
    }
    s->base = (uint8_t *)fp;
    s->size = view.ViewSize;
    if (view.State != VIDPORT_VIEW_LIVE ||
        view.ViewSize < s->mode.VisScreenHeight * s->mode.ScreenStride) {
        printf("ddraw: the mode changed while mapping the frame\n");
        return false;
    }
    return true;
}

static void draw(const struct screen *s)
{
    uint32_t w = s->mode.VisScreenWidth, h = s->mode.VisScreenHeight;
    for (uint32_t y = 0; y < h; y++) {
        for (uint32_t x = 0; x < w; x++)
            screen_put(s, x, y, screen_pack(s, screen_gradient_rgb(x, y, w, h)));
    }
}

int main(int argc, char **argv)
{
    const char *hold = argc > 1 ? argv[1] : NULL;
    if (argc > 2 || !screen_hold_valid(hold)) {
        printf("usage: ddraw [hold_ms | wait]\n");
        return 2;
    }
    struct screen s = { .dev = video_open("Video0") };
    if (!s.dev) {
        printf("ddraw: no video adapter (Video0)\n");
        return 1;
    }
    FLATPTR fp = map_frame();
    if (!fp)
        return 1;
    bool drawn = describe_frame(&s, fp);
    if (drawn) {
        draw(&s);
        printf("ddraw: drew %ux%ux%u\n", s.mode.VisScreenWidth, s.mode.VisScreenHeight,
               s.mode.BitsPerPlane);
        screen_hold(hold);
    }
    return unmap_frame(fp) && drawn ? 0 : 1;
}
