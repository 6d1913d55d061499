/*
 * ntnames: a program written against the NT video definitions whose own
 * helpers bear the names vidport's programs take from <vpdraw.h> and
 * <vputil.h>, each with another meaning and signature, most with external
 * linkage. It includes only <vidport.h> and must compile and link against
 * the user library: the proof that the public header, and the library
 * objects a program's system calls pull in, leave those names to it.
 * Built by `make header-check`, which the host group of tests/run_tests.py
 * reports as "public header leaves program names free"; it is never run,
 * nor packed into the boot archive.
 *
 * As a program it draws a grey ramp on a 32 bpp screen: the first row
 * pixel by pixel, then every other row as a copy of it, and prints the
 * median cycles of the first copies.
 *
 * usage: ntnames [rows]
 */
#include <vidport.h>

#define TIMED_ROWS 8

/* Where the report lines go. */
typedef void (*format_sink)(const char *line);

/* The shared frame as this program sees it: 32-bit pixels. */
struct screen {
    uint32_t *pixels;
    ULONG pitch; /* in pixels */
    ULONG width, height;
};

/* The low half of the time stamp counter: one row's copy takes far fewer
 * than 2^32 cycles. */
static uint32_t rdtsc(void)
{
    uint32_t lo;
    __asm__ volatile("rdtsc" : "=a"(lo) : : "edx");
    return lo;
}

/* The ramp's grey at column x. */
uint32_t pattern_value(ULONG x)
{
    return (x & 0xFF) * 0x010101u;
}

void screen_put(struct screen *s, ULONG x, ULONG y, uint32_t rgb)
{
    s->pixels[y * s->pitch + x] = rgb;
}

/* Copy count pixels (dwords). */
void rep_movsd(uint32_t *dst, const uint32_t *src, ULONG count)
{
    memcpy(dst, src, count * sizeof(*dst));
}

/* A positive number, or fallback when arg is missing or is none. */
ULONG parse_uint(const char *arg, ULONG fallback)
{
    long v = arg ? strtol(arg, NULL, 10) : 0;
    return v > 0 ? (ULONG)v : fallback;
}

void sort_u64(uint64_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
            uint64_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    }
}

/* How many processes are running. */
int process_info(void)
{
    struct vp_process_info list[16];
    return process_list(list, 16);
}

static void to_console(const char *line)
{
    puts(line);
}

static bool share_frame(HANDLE dev, struct screen *s)
{
    VIDEO_MODE_INFORMATION mode;
    if (video_control(dev, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, &mode, sizeof(mode),
                      NULL) != NO_ERROR || mode.BitsPerPlane != 32)
        return false;
    VIDEO_SHARE_MEMORY request = { .ProcessHandle = NtCurrentProcess(),
                                   .ViewSize = mode.VisScreenHeight * mode.ScreenStride };
    VIDEO_SHARE_MEMORY_INFORMATION shared;
    if (video_control(dev, IOCTL_VIDEO_SHARE_VIDEO_MEMORY, &request, sizeof(request), &shared,
                      sizeof(shared), NULL) != NO_ERROR)
        return false;
    *s = (struct screen){ .pixels = shared.VirtualAddress, .pitch = mode.ScreenStride / 4,
                          .width = mode.VisScreenWidth, .height = mode.VisScreenHeight };
    return true;
}

int main(int argc, char **argv)
{
    HANDLE dev = video_open("Video0");
    struct screen s;
    if (!dev || !share_frame(dev, &s))
        return 1;
    ULONG rows = parse_uint(argc > 1 ? argv[1] : NULL, s.height);
    rows = rows < s.height ? rows : s.height;
    for (ULONG x = 0; x < s.width; x++)
        screen_put(&s, x, 0, pattern_value(x));
    uint64_t times[TIMED_ROWS];
    size_t timed = 0;
    for (ULONG y = 1; y < rows; y++) {
        uint32_t start = rdtsc();
        rep_movsd(s.pixels + y * s.pitch, s.pixels, s.width);
        if (timed < TIMED_ROWS)
            times[timed++] = rdtsc() - start;
    }
    sort_u64(times, timed);
    char line[96];
    snprintf(line, sizeof(line), "ntnames: %u rows, median copy %u cycles, %d processes",
             (unsigned)rows, timed ? (unsigned)times[timed / 2] : 0u, process_info());
    format_sink report = to_console;
    report(line);
    VIDEO_SHARE_MEMORY unshare = { .ProcessHandle = NtCurrentProcess(),
                                   .RequestedVirtualAddress = s.pixels };
    return video_control(dev, IOCTL_VIDEO_UNSHARE_VIDEO_MEMORY, &unshare, sizeof(unshare),
                         NULL, 0, NULL) == NO_ERROR ? 0 : 1;
}
