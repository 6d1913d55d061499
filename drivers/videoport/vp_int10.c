/*
 * The video BIOS for miniports (miniport_api.h): NT 4's VideoPortInt10 and
 * NT 5's INT 10 interface, through the kernel's virtual-8086 monitor. One
 * buffer in low memory, the monitor's, is lent out at a time.
 */
#include "miniport_api.h"

#include "kernel/kstring.h"
#include "kernel/v86.h"
#include "mm/mm.h"

static bool buffer_lent;

#define ROM_BASE 0xC0000u
#define ROM_BLOCK 512u

/* Run INT 10h with regs: NO_ERROR, or why not (one console line). */
static VP_STATUS call_int10(struct v86_regs *regs)
{
    if (!v86_video_bios_present())
        return ERROR_INVALID_FUNCTION;
    uint32_t ax = regs->eax & 0xFFFF;
    enum v86_status status = v86_int(0x10, regs);
    if (status == V86_OK)
        return NO_ERROR;
    kprintf("video: INT 10h AX=%04x ended: %s\n", ax, v86_status_name(status));
    return ERROR_GEN_FAILURE;
}

/* Whether segment:offset lies inside the video BIOS's option ROM (its
 * length, in 512-byte blocks, is the ROM's third byte). */
static bool in_video_rom(USHORT segment, USHORT offset)
{
    const uint8_t *rom = v86_pointer(ROM_BASE >> 4, 0);
    uint32_t linear = (uint32_t)segment * 16 + offset;
    return linear >= ROM_BASE && linear < ROM_BASE + rom[2] * ROM_BLOCK;
}

/* A far call to a function of the video BIOS with regs, as call_int10. */
static VP_STATUS call_function(USHORT segment, USHORT offset, struct v86_regs *regs)
{
    if (!v86_video_bios_present() || !in_video_rom(segment, offset))
        return ERROR_INVALID_FUNCTION;
    enum v86_status status = v86_far_call(segment, offset, regs);
    if (status == V86_OK)
        return NO_ERROR;
    kprintf("video: the BIOS function at %04x:%04x ended: %s\n", segment, offset,
            v86_status_name(status));
    return ERROR_GEN_FAILURE;
}

/* The registers of a in, and out again when the call succeeded; function:
 * NULL for INT 10h, else the segment and offset to call. */
static VP_STATUS call_with(PVIDEO_X86_BIOS_ARGUMENTS a, const USHORT *function)
{
    struct v86_regs regs = { .eax = a->Eax, .ebx = a->Ebx, .ecx = a->Ecx, .edx = a->Edx,
                             .esi = a->Esi, .edi = a->Edi, .ebp = a->Ebp };
    VP_STATUS status = function ? call_function(function[0], function[1], &regs)
                                : call_int10(&regs);
    if (status == NO_ERROR)
        *a = (VIDEO_X86_BIOS_ARGUMENTS){ regs.eax, regs.ebx, regs.ecx, regs.edx,
                                         regs.esi, regs.edi, regs.ebp };
    return status;
}

VP_STATUS VideoPortInt10(PVOID HwDeviceExtension, PVIDEO_X86_BIOS_ARGUMENTS BiosArguments)
{
    (void)HwDeviceExtension;
    return call_with(BiosArguments, NULL);
}

VP_STATUS vp_call_bios_function(PVOID HwDeviceExtension, USHORT Segment, USHORT Offset,
                                PVIDEO_X86_BIOS_ARGUMENTS BiosArguments)
{
    (void)HwDeviceExtension;
    const USHORT function[2] = { Segment, Offset };
    return call_with(BiosArguments, function);
}

static VP_STATUS int10_call_bios(PVOID Context, PINT10_BIOS_ARGUMENTS BiosArguments)
{
    (void)Context;
    PINT10_BIOS_ARGUMENTS a = BiosArguments;
    struct v86_regs regs = { .eax = a->Eax, .ebx = a->Ebx, .ecx = a->Ecx, .edx = a->Edx,
                             .esi = a->Esi, .edi = a->Edi, .ebp = a->Ebp,
                             .ds = a->SegDs, .es = a->SegEs };
    VP_STATUS status = call_int10(&regs);
    if (status == NO_ERROR)
        *a = (INT10_BIOS_ARGUMENTS){ regs.eax, regs.ebx, regs.ecx, regs.edx, regs.esi,
                                     regs.edi, regs.ebp, regs.ds, regs.es };
    return status;
}

static VP_STATUS int10_allocate_buffer(PVOID Context, PUSHORT Seg, PUSHORT Off, PULONG Length)
{
    (void)Context;
    if (buffer_lent || *Length > V86_BUFFER_SIZE)
        return ERROR_NOT_ENOUGH_MEMORY;
    buffer_lent = true;
    *Seg = V86_SEGMENT;
    *Off = V86_BUFFER_OFFSET;
    *Length = V86_BUFFER_SIZE;
    return NO_ERROR;
}

static VP_STATUS int10_free_buffer(PVOID Context, USHORT Seg, USHORT Off)
{
    (void)Context;
    if (!buffer_lent || Seg != V86_SEGMENT || Off != V86_BUFFER_OFFSET)
        return ERROR_INVALID_PARAMETER;
    buffer_lent = false;
    return NO_ERROR;
}

/* The kernel's view of [Seg:Off, + Length) in the first MiB, or NULL when
 * it runs past it or into the legacy video memory (which the kernel reaches
 * only through the port's own mappings, F8). */
static uint8_t *low_memory(USHORT Seg, USHORT Off, ULONG Length)
{
    uint32_t start = (uint32_t)Seg * 16 + Off;
    if (Length > BIOS_MEMORY_END || start > BIOS_MEMORY_END - Length)
        return NULL;
    if (start < LEGACY_VIDEO_END && start + Length > LEGACY_VIDEO_BASE)
        return NULL;
    return phys_to_virt(start);
}

static VP_STATUS int10_read_memory(PVOID Context, USHORT Seg, USHORT Off, PVOID Buffer,
                                   ULONG Length)
{
    (void)Context;
    const uint8_t *from = low_memory(Seg, Off, Length);
    if (!from)
        return ERROR_INVALID_PARAMETER;
    memcpy(Buffer, from, Length);
    return NO_ERROR;
}

static VP_STATUS int10_write_memory(PVOID Context, USHORT Seg, USHORT Off, PVOID Buffer,
                                    ULONG Length)
{
    (void)Context;
    uint8_t *to = low_memory(Seg, Off, Length);
    if (!to)
        return ERROR_INVALID_PARAMETER;
    memcpy(to, Buffer, Length);
    return NO_ERROR;
}

static void interface_reference(PVOID Context)
{
    (void)Context;
}

VP_STATUS VideoPortQueryServices(PVOID HwDeviceExtension, VIDEO_PORT_SERVICES ServicesType,
                                 PINTERFACE Interface)
{
    PVIDEO_PORT_INT10_INTERFACE i = (PVIDEO_PORT_INT10_INTERFACE)Interface;
    if (ServicesType != VideoPortServicesInt10)
        return ERROR_INVALID_FUNCTION;
    if (Interface->Size < sizeof(*i) || Interface->Version != VIDEO_PORT_INT10_INTERFACE_VERSION_1)
        return ERROR_INVALID_PARAMETER;
    *i = (VIDEO_PORT_INT10_INTERFACE){
        .Size = sizeof(*i), .Version = VIDEO_PORT_INT10_INTERFACE_VERSION_1,
        .Context = HwDeviceExtension, .InterfaceReference = interface_reference,
        .InterfaceDereference = interface_reference, .Int10AllocateBuffer = int10_allocate_buffer,
        .Int10FreeBuffer = int10_free_buffer, .Int10ReadMemory = int10_read_memory,
        .Int10WriteMemory = int10_write_memory, .Int10CallBios = int10_call_bios,
    };
    return NO_ERROR;
}
