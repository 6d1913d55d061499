/*
 * The helpers of <vputil.h>. An object of their own, apart from the C
 * library and the system calls (string.c, syscalls.c): the linker takes
 * whole objects from the library, so a program with its own parse_uint
 * that calls strtol links without a second one.
 */
#include <vputil.h>

void rep_movsb(volatile void *dst, const volatile void *src, size_t bytes)
{
    __asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(bytes) : : "memory");
}

void rep_movsd(volatile void *dst, const volatile void *src, size_t dwords)
{
    __asm__ volatile("rep movsl" : "+D"(dst), "+S"(src), "+c"(dwords) : : "memory");
}

uint32_t pattern_value(uint32_t i, uint32_t seed)
{
    uint32_t v = (i + 1) * 0x9E3779B1u ^ seed * 0x85EBCA77u;
    return v ^ v >> 15;
}

bool parse_uint(const char *s, uint32_t *out)
{
    char *end;
    if (*s < '0' || *s > '9' || strlen(s) > 9)
        return false;
    *out = (uint32_t)strtol(s, &end, 10);
    return *end == '\0';
}

void sort_u64(uint64_t *v, int n)
{
    for (int i = 1; i < n; i++) {
        uint64_t x = v[i];
        int j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}


bool process_info(int pid, struct vp_process_info *out)
{
    static struct vp_process_info list[PROCESS_LIST_MAX];
    int n = process_list(list, PROCESS_LIST_MAX);
    for (int i = 0; i < n; i++) {
        if (list[i].pid == pid) {
            *out = list[i];
            return true;
        }
    }
    return false;
}

/* What started a stretch, for people (vp_latency's max_cause). */
static void latency_cause_name(uint32_t cause, char *out, size_t size)
{
    static const char *const named[] = { "an exception", "an interrupt", "the scheduler" };
    if (cause >= VP_LATENCY_EXCEPTION && cause < VP_LATENCY_CAUSES)
        snprintf(out, size, "%s", named[cause - VP_LATENCY_EXCEPTION]);
    else
        snprintf(out, size, "system call %u", cause);
}

bool latency_check(const char *who)
{
    struct vp_latency l;
    char cause[32];
    if (latency_get(&l, false) != 0) {
        printf("%s: finding: the latency figures cannot be read\n", who);
        return false;
    }
    latency_cause_name(l.max_cause, cause, sizeof(cause));
    printf("%s: interrupts off at most %u us (%s), bound %u us\n", who, l.max_us, cause,
           LATENCY_FUZZ_BOUND_US);
    bool within = true;
    for (uint32_t i = 0; i < VP_LATENCY_CAUSES; i++) {
        if (l.cause_max_us[i] <= LATENCY_FUZZ_BOUND_US)
            continue;
        latency_cause_name(i, cause, sizeof(cause));
        printf("%s: finding: interrupts off for %u us in %s\n", who, l.cause_max_us[i], cause);
        within = false;
    }
    return within;
}
