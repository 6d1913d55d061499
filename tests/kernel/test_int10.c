/*
 * The video BIOS for miniports: VideoPortInt10 and the INT 10 interface
 * VideoPortQueryServices hands out, against the video BIOS of the machine
 * (SeaVGABIOS under QEMU). Without one (UEFI) every call must be refused.
 */
#include "drivers/videoport/miniport_api.h"
#include "kernel/kstring.h"
#include "kernel/ktest.h"
#include "kernel/v86.h"

static VIDEO_PORT_INT10_INTERFACE query_int10(struct ktest *t)
{
    VIDEO_PORT_INT10_INTERFACE i = { .Size = sizeof(i), .Version = VIDEO_PORT_INT10_INTERFACE_VERSION_1 };
    KT_EXPECT_EQ(t, VideoPortQueryServices(NULL, VideoPortServicesInt10, (PINTERFACE)&i), NO_ERROR);
    return i;
}

/* 4F03 (the current mode) answers 004Fh through VideoPortInt10. */
static void int10_reports_the_current_mode(struct ktest *t)
{
    VIDEO_X86_BIOS_ARGUMENTS a = { .Eax = 0x4F03 };
    if (!v86_video_bios_present()) {
        KT_EXPECT_EQ(t, VideoPortInt10(NULL, &a), ERROR_INVALID_FUNCTION);
        KT_SKIP(t, "no video BIOS (UEFI): refused, as it must be");
    }
    KT_EXPECT_EQ(t, VideoPortInt10(NULL, &a), NO_ERROR);
    KT_EXPECT_EQ(t, a.Eax & 0xFFFF, 0x004F);
    ktest_log("the BIOS's current mode: %x", a.Ebx & 0xFFFF);
}

/* The NT 5 way to pass a buffer: allocate it in low memory, write "VBE2"
 * there, call 4F00 with ES:DI on it, read "VESA" back. */
static void int10_interface_passes_a_buffer(struct ktest *t)
{
    VIDEO_PORT_INT10_INTERFACE i = query_int10(t);
    USHORT seg = 0, off = 0;
    ULONG length = 512;
    if (i.Int10AllocateBuffer(i.Context, &seg, &off, &length) != NO_ERROR)
        KT_SKIP(t, "the one buffer is lent (to the vbe miniport)");
    KT_EXPECT(t, length >= 512);
    uint8_t block[512] = "VBE2";
    KT_EXPECT_EQ(t, i.Int10WriteMemory(i.Context, seg, off, block, sizeof(block)), NO_ERROR);
    INT10_BIOS_ARGUMENTS a = { .Eax = 0x4F00, .Edi = off, .SegEs = seg };
    VP_STATUS status = i.Int10CallBios(i.Context, &a);
    if (!v86_video_bios_present()) {
        KT_EXPECT_EQ(t, status, ERROR_INVALID_FUNCTION);
    } else {
        KT_EXPECT_EQ(t, status, NO_ERROR);
        KT_EXPECT_EQ(t, a.Eax & 0xFFFF, 0x004F);
        KT_EXPECT_EQ(t, i.Int10ReadMemory(i.Context, seg, off, block, sizeof(block)), NO_ERROR);
        KT_EXPECT_EQ(t, memcmp(block, "VESA", 4), 0);
    }
    KT_EXPECT_EQ(t, i.Int10FreeBuffer(i.Context, seg, off), NO_ERROR);
}

/* One buffer at a time, freed once, of at most what low memory lends; no
 * read or write outside the first MiB or into the legacy video memory. */
static void int10_interface_keeps_its_bounds(struct ktest *t)
{
    VIDEO_PORT_INT10_INTERFACE i = query_int10(t);
    USHORT seg, off, seg2, off2;
    ULONG length = 16, huge = 0x10000;
    uint8_t byte = 0;
    KT_EXPECT_EQ(t, i.Int10AllocateBuffer(i.Context, &seg, &off, &huge), ERROR_NOT_ENOUGH_MEMORY);
    if (i.Int10AllocateBuffer(i.Context, &seg, &off, &length) != NO_ERROR)
        KT_SKIP(t, "the one buffer is lent (to the vbe miniport)");
    KT_EXPECT_EQ(t, i.Int10AllocateBuffer(i.Context, &seg2, &off2, &length), ERROR_NOT_ENOUGH_MEMORY);
    KT_EXPECT_EQ(t, i.Int10FreeBuffer(i.Context, seg, (USHORT)(off + 1)), ERROR_INVALID_PARAMETER);
    KT_EXPECT_EQ(t, i.Int10FreeBuffer(i.Context, seg, off), NO_ERROR);
    KT_EXPECT_EQ(t, i.Int10FreeBuffer(i.Context, seg, off), ERROR_INVALID_PARAMETER);
    KT_EXPECT_EQ(t, i.Int10ReadMemory(i.Context, 0xA000, 0, &byte, 1), ERROR_INVALID_PARAMETER);
    KT_EXPECT_EQ(t, i.Int10WriteMemory(i.Context, 0x9FFF, 0xF, &byte, 2), ERROR_INVALID_PARAMETER);
    KT_EXPECT_EQ(t, i.Int10ReadMemory(i.Context, 0xFFFF, 0x10, &byte, 1), ERROR_INVALID_PARAMETER);
    KT_EXPECT_EQ(t, i.Int10ReadMemory(i.Context, 0, 0, &byte, 0xFFFFFFFFu), ERROR_INVALID_PARAMETER);
    KT_EXPECT_EQ(t, i.Int10ReadMemory(i.Context, 0x40, 0x10, &byte, 1), NO_ERROR); /* the BDA */
    VIDEO_PORT_INT10_INTERFACE old = { .Size = sizeof(old) - 1, .Version = 1 };
    KT_EXPECT_EQ(t, VideoPortQueryServices(NULL, VideoPortServicesInt10, (PINTERFACE)&old),
                 ERROR_INVALID_PARAMETER);
    KT_EXPECT_EQ(t, VideoPortQueryServices(NULL, VideoPortServicesAGP, (PINTERFACE)&old),
                 ERROR_INVALID_FUNCTION);
}

KTEST_SUITE(int10_suite, "int10", false,
            KTEST_CASE(int10_reports_the_current_mode),
            KTEST_CASE(int10_interface_passes_a_buffer),
            KTEST_CASE(int10_interface_keeps_its_bounds));
