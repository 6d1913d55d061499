/*
 * kmain: bring the machine up in dependency order, one subsystem per line.
 */
#include "boot/bootinfo.h"
#include "drivers/keyboard.h"
#include "drivers/serial.h"
#include "drivers/timer.h"
#include "mm/mm.h"
#include "cmdline.h"
#include "console.h"
#include "cpu.h"
#include "init.h"
#include "initrd.h"
#include "irq.h"
#include "kernel.h"
#include "ktest.h"
#include "proc.h"
#include "tty.h"

/* The first line on COM1; the test harness ignores everything before it. */
#define SERIAL_SENTINEL "\n@@VIDPORT@@\n"

static struct boot_info boot;

const struct boot_info *kernel_boot_info(void)
{
    return &boot;
}

static const void *boot_phys(uint32_t phys)
{
    return phys_to_virt(phys);
}

static void report_memory(void)
{
    uint64_t usable = 0;
    for (int i = 0; i < boot.memory_count; i++) {
        if (boot.memory[i].type == BOOT_MEMORY_AVAILABLE)
            usable += boot.memory[i].length;
    }
    kprintf("memory: %d ranges, %llu KiB usable\n", boot.memory_count, usable >> 10);
}

static struct fb_surface surface_from_boot(const struct boot_framebuffer *fb, void *base)
{
    return (struct fb_surface){
        .base = base, .width = fb->width, .height = fb->height, .pitch = fb->pitch,
        .bpp = fb->bpp,
        .red = { fb->red.position, fb->red.size },
        .green = { fb->green.position, fb->green.size },
        .blue = { fb->blue.position, fb->blue.size },
    };
}

/* Map the boot frame buffer and start the screen console on it. */
static void start_screen_console(void)
{
    const struct boot_framebuffer *fb = &boot.fb;
    if (!boot.has_framebuffer || fb->type != BOOT_FB_RGB) {
        kprintf("screen: no linear RGB frame buffer from the boot loader\n");
        return;
    }
    void *base = paging_map_device(fb->phys, fb->pitch * fb->height, PAGE_CACHE_WRITE_COMBINING);
    struct fb_surface surface = surface_from_boot(fb, base);
    if (!base || screen_console_start(&surface) != 0) {
        kprintf("screen: cannot use the %ux%ux%u frame buffer\n", fb->width, fb->height, fb->bpp);
        return;
    }
    kprintf("screen: %ux%ux%u pitch %u at 0x%llx, rgb %u:%u %u:%u %u:%u\n", fb->width,
            fb->height, fb->bpp, fb->pitch, fb->phys, fb->red.position, fb->red.size,
            fb->green.position, fb->green.size, fb->blue.position, fb->blue.size);
}

/* The bundled programs: the first boot module. */
static void open_boot_archive(void)
{
    struct initrd rd;
    const struct boot_module *m = &boot.modules[0];
    if (boot.module_count == 0 || !initrd_open(&rd, phys_to_virt(m->start), m->end - m->start)) {
        kprintf("initrd: no valid program archive among %d boot module(s)\n", boot.module_count);
        return;
    }
    initrd_set_boot(&rd);
    kprintf("initrd: %u programs\n", rd.count);
}

void kmain(uint32_t magic, uint32_t mbi_phys);

void kmain(uint32_t magic, uint32_t mbi_phys)
{
    serial_init();                           /* COM1 first: nothing is lost */
    serial_write(SERIAL_SENTINEL, sizeof(SERIAL_SENTINEL) - 1);
    cpu_init();                              /* our GDT and IDT: faults now panic */
    paging_init();                           /* direct map; boot identity map gone */
    if (bootinfo_parse(magic, phys_to_virt(mbi_phys), boot_phys, &boot) != BOOTINFO_OK)
        panic("not started by a multiboot loader (eax=0x%x)", magic);
    kernel_options_set(boot.cmdline);        /* selftest, video=, run= ... */
    start_screen_console();                  /* kernel messages on screen too */
    kprintf("vidport: booted by %s, options \"%s\"\n", boot.loader_name, boot.cmdline);
    report_memory();
    frame_init(&boot);                       /* physical frames, boot data reserved */
    open_boot_archive();                     /* the bundled programs */
    irq_init();                              /* PICs remapped, all lines masked */
    timer_init();                            /* PIT tick on IRQ 0 */
    timer_set_tick_hook(sched_tick);         /* sleeps and time slices */
    irq_enable();
    if (kernel_flag("selftest"))
        ktest_run_all(kernel_option("ktest"));
    serial_enable_input(tty_input);          /* typed input: serial ... */
    keyboard_init(tty_input);                /* ... and the PS/2 keyboard */
    init_start(kernel_option("run"));        /* the shell, or the run= list */
}
