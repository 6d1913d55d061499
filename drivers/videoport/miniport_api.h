/*
 * The miniport contract: what a video miniport hands the video port, and
 * the port services it may call. Miniports include only this header (and
 * drivers/pci.h to find their hardware); they never touch page tables or
 * processes. Names and signatures follow the NT video port.
 *
 * A miniport is found through the port's table of {probe, DriverEntry}
 * (drivers/miniports/builtin.h):
 * DriverEntry calls VideoPortInitialize with its VIDEO_HW_INITIALIZATION_DATA,
 * the port allocates the device extension and calls HwFindAdapter, then
 * HwInitialize, and from then on sends every request it does not handle
 * itself to HwStartIO as a VIDEO_REQUEST_PACKET. Requests are serialised.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot/bootinfo.h"
#include "kernel/abi/video.h"
#include "kernel/cpu.h"
#include "kernel/kernel.h"

typedef uint64_t PHYSICAL_ADDRESS;
typedef USHORT *PUSHORT;
typedef const char *PCSTR;

/* Programs the hardware so the window shows ReadBank / WriteBank. Runs with
 * interrupts off; must not fault or block. */
typedef void (*PBANKED_SECTION_ROUTINE)(ULONG ReadBank, ULONG WriteBank, PVOID Context);

typedef struct _VIDEO_HW_INITIALIZATION_DATA {
    const char *Name;
    ULONG HwDeviceExtensionSize;
    /* Find the hardware and fill the extension; NO_ERROR or ERROR_DEV_NOT_EXIST. */
    VP_STATUS (*HwFindAdapter)(PVOID HwDeviceExtension);
    /* Make the device usable (the current mode stays as found). */
    BOOLEAN (*HwInitialize)(PVOID HwDeviceExtension);
    /* Handle one request: set StatusBlock->Status and ->Information; return TRUE. */
    BOOLEAN (*HwStartIO)(PVOID HwDeviceExtension, PVIDEO_REQUEST_PACKET RequestPacket);
} VIDEO_HW_INITIALIZATION_DATA;

/* Register a miniport and start its adapter (called from its DriverEntry). */
VP_STATUS VideoPortInitialize(const VIDEO_HW_INITIALIZATION_DATA *HwInitializationData);

/* --- port services (NT) --- */

/*
 * Map physical memory. *VirtualAddress in: NULL for a kernel mapping
 * (reference counted per physical range), or a process handle for a user
 * view of the frame buffer. *Length in: bytes wanted; out: bytes mapped.
 * *InIoSpace: VIDEO_MEMORY_SPACE_* flags; IO returns the port number.
 * Every failure is ERROR_INVALID_PARAMETER with *VirtualAddress NULL.
 */
VP_STATUS VideoPortMapMemory(PVOID HwDeviceExtension, PHYSICAL_ADDRESS PhysicalAddress,
                             PULONG Length, PULONG InIoSpace, PVOID *VirtualAddress);

/* Undo a mapping: ProcessHandle 0 for a kernel mapping (exact base),
 * otherwise the user view containing VirtualAddress in that process. */
VP_STATUS VideoPortUnmapMemory(PVOID HwDeviceExtension, PVOID VirtualAddress, HANDLE ProcessHandle);

/*
 * A banked user view (*VirtualAddress is a process handle): a view of
 * *Length bytes (rounded up to whole pages, and *Length updated) of video
 * memory from its start, reached through the window at PhysicalAddress:
 * with ReadWriteBank TRUE one read-write window, with FALSE (NT's meaning)
 * a read window and a write window at that one address (see struct
 * vp_bank_hardware). No page is present until touched; a touch makes the
 * port's bank arbiter show that bank and map all of its pages. BankLength
 * must be a power of two from a page to 64 KiB; anything else, or a
 * kernel request, is ERROR_INVALID_PARAMETER with no view made.
 */
VP_STATUS VideoPortMapBankedMemory(PVOID HwDeviceExtension, PHYSICAL_ADDRESS PhysicalAddress,
                                   PULONG Length, PULONG InIoSpace, PVOID *VirtualAddress,
                                   ULONG BankLength, UCHAR ReadWriteBank,
                                   PBANKED_SECTION_ROUTINE BankRoutine, PVOID Context);

/* A kernel mapping of device registers or memory (uncached); NULL on failure.
 * For I/O space the port number itself comes back. */
PVOID VideoPortGetDeviceBase(PVOID HwDeviceExtension, PHYSICAL_ADDRESS IoAddress,
                             ULONG NumberOfUchars, UCHAR InIoSpace);
void VideoPortFreeDeviceBase(PVOID HwDeviceExtension, PVOID MappedAddress);

/* The value of kernel option NAME (as in NAME=value), or NULL: how a
 * miniport reads its settings (NT keeps them in the registry). */
PCSTR VideoPortGetOption(PVOID HwDeviceExtension, PCSTR Name);

/* --- the video BIOS (NT 4's VideoPortInt10, NT 5's INT 10 interface) ---
 * Calls go through the kernel's virtual-8086 monitor, one at a time. With
 * no video BIOS of the adapter's own in the first MiB (a UEFI boot), every
 * call fails with ERROR_INVALID_FUNCTION. A call the monitor had to end
 * (a fault, the watchdog, a refused service) is ERROR_GEN_FAILURE, with
 * one console line saying why.
 */
typedef struct _VIDEO_X86_BIOS_ARGUMENTS {
    ULONG Eax, Ebx, Ecx, Edx, Esi, Edi, Ebp;
} VIDEO_X86_BIOS_ARGUMENTS, *PVIDEO_X86_BIOS_ARGUMENTS;

/* INT 10h with these registers (DS and ES 0), and the registers it left. */
VP_STATUS VideoPortInt10(PVOID HwDeviceExtension, PVIDEO_X86_BIOS_ARGUMENTS BiosArguments);

/* vidport's own: a far call to Segment:Offset, a function of the video
 * BIOS that returns with RETF (a VBE mode's window function), as
 * VideoPortInt10 runs INT 10h. ERROR_INVALID_FUNCTION also when the
 * address lies outside the video BIOS's ROM. */
VP_STATUS vp_call_bios_function(PVOID HwDeviceExtension, USHORT Segment, USHORT Offset,
                                PVIDEO_X86_BIOS_ARGUMENTS BiosArguments);

typedef struct _INT10_BIOS_ARGUMENTS {
    ULONG Eax, Ebx, Ecx, Edx, Esi, Edi, Ebp;
    USHORT SegDs, SegEs;
} INT10_BIOS_ARGUMENTS, *PINT10_BIOS_ARGUMENTS;

typedef VP_STATUS (*PINT10_CALL_BIOS)(PVOID Context, PINT10_BIOS_ARGUMENTS BiosArguments);
typedef VP_STATUS (*PINT10_ALLOCATE_BUFFER)(PVOID Context, PUSHORT Seg, PUSHORT Off, PULONG Length);
typedef VP_STATUS (*PINT10_FREE_BUFFER)(PVOID Context, USHORT Seg, USHORT Off);
typedef VP_STATUS (*PINT10_READ_MEMORY)(PVOID Context, USHORT Seg, USHORT Off, PVOID Buffer,
                                        ULONG Length);
typedef VP_STATUS (*PINT10_WRITE_MEMORY)(PVOID Context, USHORT Seg, USHORT Off, PVOID Buffer,
                                         ULONG Length);
typedef void (*PINTERFACE_REFERENCE)(PVOID Context);
typedef void (*PINTERFACE_DEREFERENCE)(PVOID Context);

typedef struct _INTERFACE {
    USHORT Size;
    USHORT Version;
    PVOID Context;
    PINTERFACE_REFERENCE InterfaceReference;
    PINTERFACE_DEREFERENCE InterfaceDereference;
} INTERFACE, *PINTERFACE;

#define VIDEO_PORT_INT10_INTERFACE_VERSION_1 1

/* One buffer in low memory at a time (Int10AllocateBuffer: *Length in,
 * what was given out); Read/WriteMemory reach the first MiB but the
 * legacy video memory (A0000-BFFFF). */
typedef struct _VIDEO_PORT_INT10_INTERFACE {
    USHORT Size;
    USHORT Version;
    PVOID Context;
    PINTERFACE_REFERENCE InterfaceReference;
    PINTERFACE_DEREFERENCE InterfaceDereference;
    PINT10_ALLOCATE_BUFFER Int10AllocateBuffer;
    PINT10_FREE_BUFFER Int10FreeBuffer;
    PINT10_READ_MEMORY Int10ReadMemory;
    PINT10_WRITE_MEMORY Int10WriteMemory;
    PINT10_CALL_BIOS Int10CallBios;
} VIDEO_PORT_INT10_INTERFACE, *PVIDEO_PORT_INT10_INTERFACE;

typedef enum _VIDEO_PORT_SERVICES {
    VideoPortServicesAGP = 1,
    VideoPortServicesI2C,
    VideoPortServicesHeadless,
    VideoPortServicesInt10,
    VideoPortServicesDebugReport,
    VideoPortServicesWCMemoryProtection
} VIDEO_PORT_SERVICES;

/* Fill Interface (a VIDEO_PORT_INT10_INTERFACE of Size and Version 1) for
 * VideoPortServicesInt10; any other service is ERROR_INVALID_FUNCTION. */
VP_STATUS VideoPortQueryServices(PVOID HwDeviceExtension, VIDEO_PORT_SERVICES ServicesType,
                                 PINTERFACE Interface);

/* Port I/O for miniports (16-bit DISPI registers, 8-bit VGA ones). */
static inline UCHAR VideoPortReadPortUchar(USHORT port) { return inb(port); }
static inline void VideoPortWritePortUchar(USHORT port, UCHAR v) { outb(port, v); }
static inline USHORT VideoPortReadPortUshort(USHORT port) { return inw(port); }
static inline void VideoPortWritePortUshort(USHORT port, USHORT v) { outw(port, v); }

/* --- request helpers (vidport) ---
 * Most requests mean the same on every adapter, so the port carries them
 * out once: a miniport's HwStartIO handles what is its own (mode set,
 * reset) and hands the rest to vp_standard_request with a description of
 * its modes and memory.
 */

/* One bank window (F18'): where a bank of video memory shows, how many
 * bytes the window spans (at least a bank), and whether the CPU may read
 * it, write it or both. */
#define VP_WINDOW_READ 1u
#define VP_WINDOW_WRITE 2u
#define VP_WINDOW_READ_WRITE (VP_WINDOW_READ | VP_WINDOW_WRITE)
#define VP_WINDOWS_MAX 2

struct vp_bank_window {
    PHYSICAL_ADDRESS phys; /* page aligned */
    ULONG size;
    UCHAR access;          /* VP_WINDOW_* */
};

/*
 * How a banked mode reaches video memory: only through its windows, each
 * of which shows bank_length bytes at a time; the routine chooses which
 * banks (NT's BANKED_SECTION_ROUTINE: the bank of window 0, then of
 * window 1, NT's ReadBank and WriteBank). read_write_bank keeps its NT
 * meaning: TRUE, one bank serves reads and writes (the routine gets the
 * same bank twice); FALSE, the two banks are set independently. Two
 * read-write windows at different addresses with independent banks let
 * two banks be present at once; a read window and a write window at one
 * address act as one read-write window (the port keeps both banks equal).
 * Nothing outside the windows is ever mapped. routine NULL: a linear mode.
 */
struct vp_bank_hardware {
    ULONG bank_length; /* a power of two, at least a page, at most 64 KiB */
    UCHAR read_write_bank;
    ULONG window_count; /* 1 or 2 */
    struct vp_bank_window windows[VP_WINDOWS_MAX];
    PBANKED_SECTION_ROUTINE routine;
    PVOID context;
};

/* A miniport's frame buffer in the current mode, as the memory requests need it. */
struct vp_frame_buffer {
    PHYSICAL_ADDRESS vram_phys; /* start of video memory; the frame starts here */
    ULONG frame_length;         /* VisScreenHeight * ScreenStride */
    ULONG bitmap_length;        /* VideoMemoryBitmapHeight * ScreenStride: MAP maps this */
    ULONG shareable_length;     /* page multiple: what processes may SHARE */
    ULONG in_io_space;          /* VIDEO_MEMORY_SPACE_MEMORY, maybe | P6CACHE */
    struct vp_bank_hardware banking; /* routine set: a banked mode, vram_phys unused */
};

struct vp_adapter_state {
    const VIDEO_MODE_INFORMATION *modes;
    ULONG mode_count, current_mode;
    ULONG reset_mode; /* the mode RESET_DEVICE returns to (vp_start_io) */
    struct vp_frame_buffer fb;
    const USHORT *public_ports; /* reported by QUERY_PUBLIC_ACCESS_RANGES */
    ULONG public_port_count;
};

/*
 * Carry out a mode query, MAP/UNMAP, SHARE/UNSHARE or a public access range
 * request: check the buffer sizes, read all input before writing output,
 * set Status and Information. Any other code completes with
 * ERROR_INVALID_FUNCTION. Returns the status.
 */
VP_STATUS vp_standard_request(PVOID HwDeviceExtension, PVIDEO_REQUEST_PACKET vrp,
                              const struct vp_adapter_state *state);

/* How a miniport keeps its adapter, for vp_start_io. */
struct vp_miniport_ops {
    /* The adapter as it is now: its modes, the current one, its frame buffer. */
    struct vp_adapter_state (*state)(PVOID HwDeviceExtension);
    /* Program mode `index` (below the mode count) and make it current,
     * clearing video memory when `clear`: the status. */
    VP_STATUS (*set_mode)(PVOID HwDeviceExtension, ULONG index, bool clear);
};

/*
 * A whole HwStartIO for a miniport with no requests of its own:
 * SET_CURRENT_MODE (the index checked against the mode count, cleared
 * unless VIDEO_MODE_NO_ZERO_MEMORY) and RESET_DEVICE (the state's
 * reset_mode, cleared) through ops->set_mode, every other request through
 * vp_standard_request with the state now. Returns TRUE.
 */
BOOLEAN vp_start_io(PVOID HwDeviceExtension, PVIDEO_REQUEST_PACKET vrp,
                    const struct vp_miniport_ops *ops);

/*
 * The rest of a miniport whose requests all go to vp_start_io: its
 * HwStartIO, its VIDEO_HW_INITIALIZATION_DATA (extension struct
 * NAME_extension) and NAME_driver_entry, which registers it. The miniport
 * writes NAME_find_adapter, NAME_initialize, NAME_state and NAME_set_mode.
 */
#define VP_STANDARD_MINIPORT(NAME)                                                  \
    static BOOLEAN NAME##_start_io(PVOID ext, PVIDEO_REQUEST_PACKET vrp)            \
    {                                                                               \
        static const struct vp_miniport_ops ops = { NAME##_state, NAME##_set_mode }; \
        return vp_start_io(ext, vrp, &ops);                                         \
    }                                                                               \
    static const VIDEO_HW_INITIALIZATION_DATA NAME##_hw = {                         \
        .Name = #NAME,                                                              \
        .HwDeviceExtensionSize = sizeof(struct NAME##_extension),                   \
        .HwFindAdapter = NAME##_find_adapter,                                       \
        .HwInitialize = NAME##_initialize,                                          \
        .HwStartIO = NAME##_start_io,                                               \
    };                                                                              \
    VP_STATUS NAME##_driver_entry(void)                                             \
    {                                                                               \
        return VideoPortInitialize(&NAME##_hw);                                     \
    }

/* Read a SET_CURRENT_MODE request: the mode index (flags stripped) into
 * *index and the flags into *flags. On a short buffer or an index past
 * mode_count it completes the request with the error and returns false. */
bool vp_read_set_mode(PVIDEO_REQUEST_PACKET vrp, ULONG mode_count, ULONG *index, ULONG *flags);

/* Finish a request with a status and no data; returns the status. */
VP_STATUS vp_complete(PVIDEO_REQUEST_PACKET vrp, VP_STATUS status);

/* A mode, as a miniport describes it; vp_fill_mode turns it into the NT
 * structure. For 8 bpp (palette) modes the masks describe the fixed RGB
 * 3-3-2 palette every vidport miniport loads. */
struct vp_mode_desc {
    ULONG width, height, bpp, stride;
    ULONG bitmap_height; /* rows of video memory a program may use */
    ULONG red_mask, green_mask, blue_mask;
    bool banked; /* reached through a bank window (VIDEO_MODE_BANKED), not linearly */
};

void vp_fill_mode(VIDEO_MODE_INFORMATION *mode, ULONG index, const struct vp_mode_desc *desc);

/* The masks of vidport's direct-colour layouts for 8, 16 and 32 bpp. */
void vp_standard_masks(ULONG bpp, struct vp_mode_desc *desc);

/* Whether d describes a frame the port and the console can use: a depth
 * vidport draws (8, 15, 16, 24, 32 bpp; 15 is 5-5-5 in two bytes), at
 * least one pixel, and rows at least as long as the pixels they hold. */
bool vp_drawable_mode(const struct vp_mode_desc *d);

/* The bits a boot loader's colour field covers, as a channel mask; bits
 * past 31 are dropped. */
ULONG vp_field_mask(struct color_field f);

/* The frame buffer of mode m, whose video memory starts at vram_phys:
 * MAP maps its bitmap (VideoMemoryBitmapHeight rows), SHARE reaches the
 * bitmap's whole units (pages, or the banks of a banked mode). No bank
 * hardware is filled in. */
struct vp_frame_buffer vp_mode_frame_buffer(const VIDEO_MODE_INFORMATION *m,
                                            PHYSICAL_ADDRESS vram_phys, ULONG in_io_space,
                                            ULONG unit);

/* Give d as bitmap every row that `usable` bytes of video memory hold.
 * True when d is drawable (vp_drawable_mode) and the frame,
 * rounded up to `bank` (a power of two), lies in that bitmap: then both twins' SHARE
 * limits (the bitmap in whole pages or banks) cover the frame. */
bool vp_fit_mode(struct vp_mode_desc *d, uint32_t usable, ULONG bank);

