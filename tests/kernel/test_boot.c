/*
 * Boot suite: what the loader handed over reached the kernel intact, and
 * the early CPU state is ours.
 */
#include "boot/bootinfo.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/ktest.h"

#define MIN_USABLE_KIB (64u * 1024) /* the harness gives QEMU 128 MiB */

static void memory_map_read(struct ktest *t)
{
    const struct boot_info *b = kernel_boot_info();
    uint64_t usable = 0;
    for (int i = 0; i < b->memory_count; i++) {
        if (b->memory[i].type == BOOT_MEMORY_AVAILABLE)
            usable += b->memory[i].length;
    }
    KT_EXPECT(t, b->memory_count > 0);
    KT_EXPECT(t, usable >> 10 >= MIN_USABLE_KIB);
    /* Memory up to the first hole: OVMF has one at 8 MiB, so only 1 MiB is sure. */
    KT_EXPECT(t, b->mem_upper_kb >= 1024);
}

static void command_line_parsed(struct ktest *t)
{
    KT_EXPECT(t, kernel_flag("selftest"));
    KT_EXPECT(t, !kernel_flag("no-such-option"));
    KT_EXPECT(t, kernel_option("no-such-option") == NULL);
}

static void framebuffer_described(struct ktest *t)
{
    const struct boot_info *b = kernel_boot_info();
    if (!b->has_framebuffer)
        KT_SKIP(t, "booted without a frame buffer");
    const struct boot_framebuffer *fb = &b->fb;
    KT_EXPECT_EQ(t, fb->type, BOOT_FB_RGB);
    KT_EXPECT(t, fb->pitch >= fb->width * (fb->bpp / 8));
    /* GRUB 2.06 colour layout: these would be 0 or shifted if read at 110. */
    KT_EXPECT_EQ(t, fb->red.size, 8);
    KT_EXPECT_EQ(t, fb->red.position, 16);
    KT_EXPECT_EQ(t, fb->green.position, 8);
    KT_EXPECT_EQ(t, fb->blue.position, 0);
    KT_EXPECT(t, screen_console() != NULL);
}

static uint16_t segment(int which)
{
    uint16_t v;
    if (which == 0)
        __asm__ volatile("mov %%cs, %0" : "=r"(v));
    else
        __asm__ volatile("mov %%ss, %0" : "=r"(v));
    return v;
}

static void own_segments_loaded(struct ktest *t)
{
    KT_EXPECT_EQ(t, segment(0), GDT_KERNEL_CODE);
    KT_EXPECT_EQ(t, segment(1), GDT_KERNEL_DATA);
}

static void paging_enabled(struct ktest *t)
{
    KT_EXPECT(t, read_cr0() & 0x80000000u);
    KT_EXPECT(t, read_cr4() & CR4_PSE);
}

KTEST_SUITE(boot_suite, "boot", false,
            KTEST_CASE(memory_map_read),
            KTEST_CASE(command_line_parsed),
            KTEST_CASE(framebuffer_described),
            KTEST_CASE(own_segments_loaded),
            KTEST_CASE(paging_enabled));
