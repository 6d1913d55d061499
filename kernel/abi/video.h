/*
 * The video ABI: the NT video port's structures, IOCTL codes, flags and
 * status codes with their i386 layouts, plus vidport's few additions.
 * Included by the kernel (port, miniports, display driver) and by
 * user/include/vidport.h, so a program written against the NT definitions
 * means the same thing here.
 */
#pragma once

#include <stdint.h>

/* --- NT basic types (i386) --- */
typedef void *HANDLE;
typedef void *PVOID;
typedef uint32_t ULONG;
typedef uint64_t ULONGLONG;
typedef ULONG *PULONG;
typedef int32_t LONG;
typedef uint16_t USHORT;
typedef uint8_t UCHAR;
typedef uint8_t BOOLEAN;
typedef int32_t BOOL;
typedef int32_t HRESULT;
typedef int32_t NTSTATUS;
typedef ULONG ULONG_PTR;
typedef ULONG FLATPTR;
typedef LONG VP_STATUS;

#define TRUE 1
#define FALSE 0

/* The calling process, as a process handle. */
#define NtCurrentProcess() ((HANDLE)(intptr_t)-1)

/* --- IOCTL codes: CTL_CODE(FILE_DEVICE_VIDEO, fn, METHOD_BUFFERED, FILE_ANY_ACCESS) --- */
#define FILE_DEVICE_VIDEO 0x23u
#define VIDEO_CTL_CODE(fn) ((FILE_DEVICE_VIDEO << 16) | ((ULONG)(fn) << 2))

#define IOCTL_VIDEO_QUERY_AVAIL_MODES VIDEO_CTL_CODE(0x100)
#define IOCTL_VIDEO_QUERY_NUM_AVAIL_MODES VIDEO_CTL_CODE(0x101)
#define IOCTL_VIDEO_QUERY_CURRENT_MODE VIDEO_CTL_CODE(0x102)
#define IOCTL_VIDEO_SET_CURRENT_MODE VIDEO_CTL_CODE(0x103)
#define IOCTL_VIDEO_RESET_DEVICE VIDEO_CTL_CODE(0x104)
#define IOCTL_VIDEO_GET_BANK_SELECT_CODE VIDEO_CTL_CODE(0x115)
#define IOCTL_VIDEO_MAP_VIDEO_MEMORY VIDEO_CTL_CODE(0x116)
#define IOCTL_VIDEO_UNMAP_VIDEO_MEMORY VIDEO_CTL_CODE(0x117)
#define IOCTL_VIDEO_QUERY_PUBLIC_ACCESS_RANGES VIDEO_CTL_CODE(0x118)
#define IOCTL_VIDEO_FREE_PUBLIC_ACCESS_RANGES VIDEO_CTL_CODE(0x119)
#define IOCTL_VIDEO_SHARE_VIDEO_MEMORY VIDEO_CTL_CODE(0x11D)
#define IOCTL_VIDEO_UNSHARE_VIDEO_MEMORY VIDEO_CTL_CODE(0x11E)
#define IOCTL_VIDEO_SET_BANK_POSITION VIDEO_CTL_CODE(0x124)

/* vidport's own request, handled by the port: is my view live or revoked? */
#define IOCTL_VIDPORT_QUERY_VIEW VIDEO_CTL_CODE(0xA00)
/* ... and: how is this adapter's bank window doing? */
#define IOCTL_VIDPORT_QUERY_BANKING VIDEO_CTL_CODE(0xA01)

/* Every request code above with the value NT (or vidport) gives it: the
 * one list that whatever walks them all is built from (the fuzzers'
 * tables, the check of the values). X(code, value) for each; a new code
 * goes at the end, so that an index into the list keeps its meaning. */
#define VIDPORT_REQUEST_CODES(X)                          \
    X(IOCTL_VIDEO_QUERY_AVAIL_MODES, 0x00230400u)          \
    X(IOCTL_VIDEO_QUERY_NUM_AVAIL_MODES, 0x00230404u)      \
    X(IOCTL_VIDEO_QUERY_CURRENT_MODE, 0x00230408u)         \
    X(IOCTL_VIDEO_SET_CURRENT_MODE, 0x0023040Cu)           \
    X(IOCTL_VIDEO_RESET_DEVICE, 0x00230410u)               \
    X(IOCTL_VIDEO_GET_BANK_SELECT_CODE, 0x00230454u)       \
    X(IOCTL_VIDEO_MAP_VIDEO_MEMORY, 0x00230458u)           \
    X(IOCTL_VIDEO_UNMAP_VIDEO_MEMORY, 0x0023045Cu)         \
    X(IOCTL_VIDEO_QUERY_PUBLIC_ACCESS_RANGES, 0x00230460u) \
    X(IOCTL_VIDEO_FREE_PUBLIC_ACCESS_RANGES, 0x00230464u)  \
    X(IOCTL_VIDEO_SHARE_VIDEO_MEMORY, 0x00230474u)         \
    X(IOCTL_VIDEO_UNSHARE_VIDEO_MEMORY, 0x00230478u)       \
    X(IOCTL_VIDEO_SET_BANK_POSITION, 0x00230490u)          \
    X(IOCTL_VIDPORT_QUERY_VIEW, 0x00232800u)               \
    X(IOCTL_VIDPORT_QUERY_BANKING, 0x00232804u)
/* For VIDPORT_REQUEST_CODES: the code alone, as an array element. */
#define VIDPORT_REQUEST_CODE(code, value) code,

/* --- VP_STATUS values (Win32 error codes) --- */
#define NO_ERROR 0
#define ERROR_INVALID_FUNCTION 1
#define ERROR_INVALID_HANDLE 6
#define ERROR_NOT_ENOUGH_MEMORY 8
#define ERROR_GEN_FAILURE 31
#define ERROR_DEV_NOT_EXIST 55
#define ERROR_INVALID_PARAMETER 87
#define ERROR_INSUFFICIENT_BUFFER 122
#define ERROR_MORE_DATA 234
#define ERROR_IO_PENDING 997
#define ERROR_NOACCESS 998

/* --- NTSTATUS values the port completes requests with --- */
#define STATUS_SUCCESS 0x00000000
#define STATUS_PENDING 0x00000103
#define STATUS_BUFFER_OVERFLOW ((NTSTATUS)0x80000005u)
#define STATUS_UNSUCCESSFUL ((NTSTATUS)0xC0000001u)
#define STATUS_NOT_IMPLEMENTED ((NTSTATUS)0xC0000002u)
#define STATUS_INVALID_HANDLE ((NTSTATUS)0xC0000008u)
#define STATUS_INVALID_PARAMETER ((NTSTATUS)0xC000000Du)
#define STATUS_CONFLICTING_ADDRESSES ((NTSTATUS)0xC0000018u)
#define STATUS_BUFFER_TOO_SMALL ((NTSTATUS)0xC0000023u)
#define STATUS_ACCESS_VIOLATION ((NTSTATUS)0xC0000005u)
#define STATUS_INSUFFICIENT_RESOURCES ((NTSTATUS)0xC000009Au)
#define STATUS_DEVICE_DOES_NOT_EXIST ((NTSTATUS)0xC00000C0u)

/* --- InIoSpace flags --- */
#define VIDEO_MEMORY_SPACE_MEMORY 0x00
#define VIDEO_MEMORY_SPACE_IO 0x01
#define VIDEO_MEMORY_SPACE_USER_MODE 0x02
#define VIDEO_MEMORY_SPACE_DENSE 0x04
#define VIDEO_MEMORY_SPACE_P6CACHE 0x08

/* --- VIDEO_MODE_INFORMATION.AttributeFlags --- */
#define VIDEO_MODE_COLOR 0x0001
#define VIDEO_MODE_GRAPHICS 0x0002
#define VIDEO_MODE_PALETTE_DRIVEN 0x0004
#define VIDEO_MODE_MANAGED_PALETTE 0x0008
#define VIDEO_MODE_INTERLACED 0x0010
#define VIDEO_MODE_NO_OFF_SCREEN 0x0020
#define VIDEO_MODE_NO_64_BIT_ACCESS 0x0040
#define VIDEO_MODE_BANKED 0x0080
#define VIDEO_MODE_LINEAR 0x0100

/* VIDEO_MODE.RequestedMode high bits */
#define VIDEO_MODE_NO_ZERO_MEMORY 0x80000000u
#define VIDEO_MODE_MAP_MEM_LINEAR 0x40000000u

/* --- DirectDraw --- */
#define DD_OK 0
#define DDERR_GENERIC ((HRESULT)0x80004005u)
#define DDERR_SURFACELOST ((HRESULT)0x887601C2u)
#define DDHAL_DRIVER_NOTHANDLED 0
#define DDHAL_DRIVER_HANDLED 1

/* --- structures --- */
typedef struct _VIDEO_SHARE_MEMORY {
    HANDLE ProcessHandle;
    ULONG ViewOffset;
    ULONG ViewSize;
    PVOID RequestedVirtualAddress;
} VIDEO_SHARE_MEMORY, *PVIDEO_SHARE_MEMORY;

typedef struct _VIDEO_SHARE_MEMORY_INFORMATION {
    ULONG SharedViewOffset;
    ULONG SharedViewSize;
    PVOID VirtualAddress;
} VIDEO_SHARE_MEMORY_INFORMATION, *PVIDEO_SHARE_MEMORY_INFORMATION;

typedef struct _VIDEO_MEMORY {
    PVOID RequestedVirtualAddress;
} VIDEO_MEMORY, *PVIDEO_MEMORY;

typedef struct _VIDEO_MEMORY_INFORMATION {
    PVOID VideoRamBase;
    ULONG VideoRamLength;
    PVOID FrameBufferBase;
    ULONG FrameBufferLength;
} VIDEO_MEMORY_INFORMATION, *PVIDEO_MEMORY_INFORMATION;

typedef struct _VIDEO_PUBLIC_ACCESS_RANGES {
    ULONG InIoSpace;
    ULONG MappedInIoSpace;
    PVOID VirtualAddress;
} VIDEO_PUBLIC_ACCESS_RANGES, *PVIDEO_PUBLIC_ACCESS_RANGES;

typedef struct _STATUS_BLOCK {
    union {
        VP_STATUS Status;
        PVOID Pointer;
    };
    ULONG_PTR Information;
} STATUS_BLOCK, *PSTATUS_BLOCK;

typedef struct _VIDEO_REQUEST_PACKET {
    ULONG IoControlCode;
    PSTATUS_BLOCK StatusBlock;
    PVOID InputBuffer;
    ULONG InputBufferLength;
    PVOID OutputBuffer;
    ULONG OutputBufferLength;
} VIDEO_REQUEST_PACKET, *PVIDEO_REQUEST_PACKET;

typedef struct _DD_MAPMEMORYDATA {
    PVOID lpDD;
    BOOL bMap;
    HANDLE hProcess;
    FLATPTR fpProcess;
    HRESULT ddRVal;
} DD_MAPMEMORYDATA, *PDD_MAPMEMORYDATA;

typedef struct _VIDEO_MODE {
    ULONG RequestedMode;
} VIDEO_MODE, *PVIDEO_MODE;

typedef struct _VIDEO_NUM_MODES {
    ULONG NumModes;
    ULONG ModeInformationLength;
} VIDEO_NUM_MODES, *PVIDEO_NUM_MODES;

typedef struct _VIDEO_MODE_INFORMATION {
    ULONG Length;
    ULONG ModeIndex;
    ULONG VisScreenWidth;
    ULONG VisScreenHeight;
    ULONG ScreenStride;
    ULONG NumberOfPlanes;
    ULONG BitsPerPlane;
    ULONG Frequency;
    ULONG XMillimeter;
    ULONG YMillimeter;
    ULONG NumberRedBits;
    ULONG NumberGreenBits;
    ULONG NumberBlueBits;
    ULONG RedMask;
    ULONG GreenMask;
    ULONG BlueMask;
    ULONG AttributeFlags;
    ULONG VideoMemoryBitmapWidth;
    ULONG VideoMemoryBitmapHeight;
    ULONG DriverSpecificAttributeFlags;
} VIDEO_MODE_INFORMATION, *PVIDEO_MODE_INFORMATION;

typedef struct _VIDEO_BANK_SELECT {
    ULONG Length;
    ULONG Size;
    ULONG BankingFlags;
    ULONG BankingType;
    ULONG PlanarHCBankingType;
    ULONG BitmapWidthInBytes;
    ULONG BitmapSize;
    ULONG Granularity;
    ULONG PlanarHCGranularity;
    ULONG CodeOffset;
    ULONG PlanarHCBankCodeOffset;
    ULONG PlanarHCEnableCodeOffset;
    ULONG PlanarHCDisableCodeOffset;
} VIDEO_BANK_SELECT, *PVIDEO_BANK_SELECT;

/* IOCTL_VIDPORT_QUERY_VIEW: input VIDEO_MEMORY (any address in the view),
 * output this. A view is revoked by a mode change or a device reset: its
 * pages then all show a scratch frame of its own (zeroed when first
 * touched), and Generation has moved on. */
#define VIDPORT_VIEW_LIVE 1
#define VIDPORT_VIEW_REVOKED 2

typedef struct _VIDPORT_VIEW_INFORMATION {
    ULONG State;          /* VIDPORT_VIEW_LIVE or VIDPORT_VIEW_REVOKED */
    ULONG Generation;     /* the display generation now */
    PVOID VirtualAddress; /* the view's base */
    ULONG ViewSize;
} VIDPORT_VIEW_INFORMATION, *PVIDPORT_VIEW_INFORMATION;

/* IOCTL_VIDPORT_QUERY_BANKING: no input, output this. The counters run
 * from the adapter's start and are never reset; read them twice and take
 * the difference. A slot that shows no known bank reads VIDPORT_NO_BANK. */
#define VIDPORT_NO_BANK 0xFFFFFFFFu

typedef struct _VIDPORT_BANKING_INFORMATION {
    ULONG BankLength;          /* 0: the current mode is linear */
    ULONG WindowSlots;         /* banks the window shows at once: 1 or 2 */
    ULONG SlotBank[2];         /* which bank each slot shows now */
    ULONG BankFaults;          /* touches of a banked view that mapped a bank */
    ULONG BankSwitches;        /* calls of the miniport's bank routine */
    ULONG StraddleResolutions; /* ping-pongs settled with a RAM copy of a bank */
    ULONG PresentBankPages;    /* pages of banks present in all views now */
    ULONGLONG RoutineCycles;   /* TSC cycles spent inside the bank routine */
    ULONG LeaseWaits;          /* faults that waited for another process's fresh switch */
} VIDPORT_BANKING_INFORMATION, *PVIDPORT_BANKING_INFORMATION;

#if UINTPTR_MAX == 0xFFFFFFFFu
_Static_assert(sizeof(VIDEO_SHARE_MEMORY) == 16, "i386 layout");
_Static_assert(sizeof(VIDEO_SHARE_MEMORY_INFORMATION) == 12, "i386 layout");
_Static_assert(sizeof(VIDEO_MEMORY) == 4, "i386 layout");
_Static_assert(sizeof(VIDEO_MEMORY_INFORMATION) == 16, "i386 layout");
_Static_assert(sizeof(VIDEO_PUBLIC_ACCESS_RANGES) == 12, "i386 layout");
_Static_assert(sizeof(STATUS_BLOCK) == 8, "i386 layout");
_Static_assert(sizeof(VIDEO_REQUEST_PACKET) == 24, "i386 layout");
_Static_assert(sizeof(DD_MAPMEMORYDATA) == 20, "i386 layout");
_Static_assert(sizeof(VIDEO_MODE_INFORMATION) == 80, "i386 layout");
_Static_assert(sizeof(VIDEO_BANK_SELECT) == 52, "i386 layout");
_Static_assert(sizeof(VIDPORT_BANKING_INFORMATION) == 44, "i386 layout");
#endif
