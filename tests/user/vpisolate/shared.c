/*
 * vpisolate: the state and helpers the tests and the children share.
 */
#include "vpisolate.h"

HANDLE dev;
VIDEO_MODE_INFORMATION mode;
volatile uint32_t word = WORD_AT_START;
uint8_t probe[PAGE] __attribute__((aligned(PAGE)));

ULONG frame_size(void)
{
    return mode.VisScreenHeight * mode.ScreenStride;
}

int run_child(const char *fmt, uint32_t a, uint32_t b)
{
    char args[64];
    snprintf(args, sizeof(args), fmt, a, b);
    int status = usertest_run_child(PROGRAM, args);
    if (status != 0 && status != VP_STATUS_KILLED)
        printf("# child %s: status %d\n", args, status);
    return status;
}

volatile uint8_t *share_frame(void)
{
    VIDEO_SHARE_MEMORY_INFORMATION info;
    if (usertest_share(dev, NtCurrentProcess(), 0, frame_size(), &info, NULL) != NO_ERROR)
        return NULL;
    volatile uint8_t *view = info.VirtualAddress;
    view[0] = 0x11;
    return view;
}

int write_to_kernel_address(uint32_t k)
{
    int bad = vp_syscall(SYS_CLOCK, k, 0, 0, 0, 0) != -VP_EFAULT;
    bad |= (vp_syscall(SYS_MEMINFO, k, 0, 0, 0, 0) != -VP_EFAULT) << 1;
    bad |= (vp_syscall(SYS_PROCESSES, k, 4, 0, 0, 0) != -VP_EFAULT) << 2;
    bad |= (vp_syscall(SYS_PROGRAMS, k, PAGE, 0, 0, 0) != -VP_EFAULT) << 3;
    bad |= (vp_syscall(SYS_PAGE_QUERY, (uint32_t)&word, k, 0, 0, 0) != -VP_EFAULT) << 4;
    bad |= (vp_syscall(SYS_KCHECK, k, 0, 0, 0, 0) != -VP_EFAULT) << 5;
    bad |= (video_control(dev, IOCTL_VIDEO_QUERY_CURRENT_MODE, NULL, 0, (void *)k,
                          sizeof(VIDEO_MODE_INFORMATION), NULL) != ERROR_NOACCESS) << 6;
    return bad;
}
