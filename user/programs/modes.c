/*
 * modes: list Video0's modes, or set one.
 *
 * usage: modes                 list every mode, one line each:
 *                                "  N: WxHxD stride S linear|banked [palette]"
 *                              the current mode marked with '*' instead of
 *                              the first space
 *        modes set N           set mode N (its ModeIndex, as listed)
 *        modes set WxHxD       set the mode with that geometry, banked if
 *                              the current mode is banked and such a twin
 *                              exists, linear otherwise
 * Exits 0 on success, 1 when a request fails, 2 on bad arguments or an
 * unknown mode.
 */
#include <vidport.h>

struct mode_list {
    ULONG count;
    VIDEO_MODE_INFORMATION *modes; /* malloc'd, count entries */
};

static bool report(const char *what, VP_STATUS status)
{
    if (status != NO_ERROR)
        printf("modes: %s: %s\n", what, vp_status_name(status));
    return status == NO_ERROR;
}

/* Read every mode into a malloc'd array; false (the error printed) if a
 * request fails or memory runs out. */
static bool read_modes(HANDLE dev, struct mode_list *list)
{
    VIDEO_NUM_MODES num;
    VP_STATUS status = video_control(dev, IOCTL_VIDEO_QUERY_NUM_AVAIL_MODES, NULL, 0, &num,
                                     sizeof(num), NULL);
    if (!report("cannot count the modes", status))
        return false;
    if (num.NumModes == 0 || num.ModeInformationLength != sizeof(VIDEO_MODE_INFORMATION)) {
        printf("modes: the adapter reports %u modes of %u bytes each\n", num.NumModes,
               num.ModeInformationLength);
        return false;
    }
    list->count = num.NumModes;
    list->modes = malloc(num.NumModes * sizeof(VIDEO_MODE_INFORMATION));
    if (!list->modes)
        return report("cannot allocate the mode list", ERROR_NOT_ENOUGH_MEMORY);
    status = video_control(dev, IOCTL_VIDEO_QUERY_AVAIL_MODES, NULL, 0, list->modes,
                           num.NumModes * sizeof(VIDEO_MODE_INFORMATION), NULL);
    return report("cannot read the modes", status);
}

static bool read_current(HANDLE dev, VIDEO_MODE_INFORMATION *mode)
{
    VP_STATUS status = video_control(dev, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, mode,
                                     sizeof(*mode), NULL);
    return report("cannot read the current mode", status);
}

static void print_mode(const VIDEO_MODE_INFORMATION *m, bool current)
{
    const char *access = m->AttributeFlags & VIDEO_MODE_BANKED ? " banked"
                         : m->AttributeFlags & VIDEO_MODE_LINEAR ? " linear"
                                                                 : "";
    printf("%c %u: %ux%ux%u stride %u%s%s\n", current ? '*' : ' ', m->ModeIndex,
           m->VisScreenWidth, m->VisScreenHeight, m->BitsPerPlane, m->ScreenStride, access,
           m->AttributeFlags & VIDEO_MODE_PALETTE_DRIVEN ? " palette" : "");
}

static int list_modes(HANDLE dev, const struct mode_list *list)
{
    VIDEO_MODE_INFORMATION current;
    if (!read_current(dev, &current))
        return 1;
    for (ULONG i = 0; i < list->count; i++)
        print_mode(&list->modes[i], list->modes[i].ModeIndex == current.ModeIndex);
    return 0;
}

/* Parse a whole decimal number (at most 9 digits) starting at s into *out;
 * *end gets the character after it. False if s does not start with one. */
static bool parse_part(const char *s, uint32_t *out, char **end)
{
    if (*s < '0' || *s > '9')
        return false;
    *out = (uint32_t)strtol(s, end, 10);
    return *end - s <= 9;
}

/* Split "N" or "WxHxD" into v[]; returns the number of parts (1 or 3), or
 * 0 if arg is neither. */
static uint32_t parse_mode_arg(const char *arg, uint32_t v[3])
{
    uint32_t parts = 0;
    char *end = (char *)arg;
    for (;;) {
        if (!parse_part(end, &v[parts], &end))
            return 0;
        parts++;
        if (*end != 'x' || parts == 3)
            break;
        end++;
    }
    return *end == '\0' && parts != 2 ? parts : 0;
}

static bool matches(const VIDEO_MODE_INFORMATION *m, uint32_t parts, const uint32_t v[3])
{
    if (parts == 1)
        return m->ModeIndex == v[0];
    return m->VisScreenWidth == v[0] && m->VisScreenHeight == v[1] && m->BitsPerPlane == v[2];
}

/* The mode an argument names: "N" (a ModeIndex) or "WxHxD" (preferring the
 * access kind of `banked`). NULL, with an error printed, if the argument
 * is malformed or no mode matches. */
static const VIDEO_MODE_INFORMATION *find_mode(const struct mode_list *list, const char *arg,
                                               ULONG banked)
{
    uint32_t v[3];
    uint32_t parts = parse_mode_arg(arg, v);
    if (!parts) {
        printf("modes: bad mode '%s' (want a mode number or WxHxD)\n", arg);
        return NULL;
    }
    const VIDEO_MODE_INFORMATION *found = NULL;
    for (ULONG i = 0; i < list->count; i++) {
        const VIDEO_MODE_INFORMATION *m = &list->modes[i];
        if (!matches(m, parts, v))
            continue;
        if ((m->AttributeFlags & VIDEO_MODE_BANKED) == banked)
            return m;
        found = found ? found : m;
    }
    if (found)
        return found;
    printf("modes: no mode %s (run 'modes' for the list)\n", arg);
    return NULL;
}

/* Set the mode an argument names and print the mode now current. Returns
 * the exit status. */
static int set_mode(HANDLE dev, const struct mode_list *list, const char *arg)
{
    VIDEO_MODE_INFORMATION now;
    if (!read_current(dev, &now))
        return 1;
    const VIDEO_MODE_INFORMATION *m = find_mode(list, arg, now.AttributeFlags & VIDEO_MODE_BANKED);
    if (!m)
        return 2;
    VIDEO_MODE request = { m->ModeIndex };
    VP_STATUS status = video_control(dev, IOCTL_VIDEO_SET_CURRENT_MODE, &request,
                                     sizeof(request), NULL, 0, NULL);
    if (!report("cannot set the mode", status))
        return 1;
    if (!read_current(dev, &now))
        return 1;
    printf("modes: now %ux%ux%u%s\n", now.VisScreenWidth, now.VisScreenHeight, now.BitsPerPlane,
           now.AttributeFlags & VIDEO_MODE_BANKED ? " banked" : "");
    return 0;
}

int main(int argc, char **argv)
{
    bool list_only = argc == 1, set = argc == 3 && strcmp(argv[1], "set") == 0;
    if (!list_only && !set) {
        printf("usage: modes | modes set N | modes set WxHxD\n");
        return 2;
    }
    HANDLE dev = video_open("Video0");
    if (!dev) {
        printf("modes: no video adapter (Video0)\n");
        return 1;
    }
    struct mode_list list = { 0 };
    if (!read_modes(dev, &list))
        return 1;
    int result = list_only ? list_modes(dev, &list) : set_mode(dev, &list, argv[2]);
    free(list.modes);
    return result;
}
