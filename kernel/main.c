/*
 * kmain: bring the machine up in dependency order, one subsystem per line.
 */
#include "boot/acpi.h"
#include "boot/bootinfo.h"
#include "drivers/display/display.h"
#include "drivers/keyboard.h"
#include "drivers/serial.h"
#include "drivers/timer.h"
#include "drivers/videoport/videoport.h"
#include "mm/mm.h"
#include "biglock.h"
#include "cmdline.h"
#include "format.h"
#include "console.h"
#include "cpu.h"
#include "init.h"
#include "initrd.h"
#include "irq.h"
#include "kernel.h"
#include "ktest.h"
#include "latency.h"
#include "proc.h"
#include "smp.h"
#include "tlb.h"
#include "tty.h"
#include "v86.h"

/* The first line on COM1; the test harness ignores everything before it. */
#define SERIAL_SENTINEL "\n@@VIDPORT@@\n"

/* A line the boot information keeps fits the options' text whole (keys and
 * values take at most a byte more than the line), so options are left out
 * only past the option count or when the line itself was cut. */
_Static_assert(CMDLINE_MAX_TEXT >= BOOT_CMDLINE_MAX, "options text shorter than the line");

static struct boot_info boot;

const struct boot_info *kernel_boot_info(void)
{
    return &boot;
}

/* The loader's memory through the direct map, all of [phys, phys + size)
 * or nothing: past the map, and in the legacy video hole it leaves out,
 * a read would fault. */
static const void *boot_phys(uint32_t phys, uint32_t size)
{
    bool mapped = phys < DIRECT_MAP_SIZE && size <= DIRECT_MAP_SIZE - phys;
    bool video = phys < LEGACY_VIDEO_END && phys + size > LEGACY_VIDEO_BASE;
    return mapped && !video ? phys_to_virt(phys) : NULL;
}

static void boot_warning(const char *line)
{
    kprintf("%s\n", line);
}

/*
 * One line saying what of the command line was left out, if anything:
 * the options from `dropped` on (past the option count), or the end of a
 * line longer than the boot information keeps. True when anything was.
 */
static bool report_dropped_options(const char *dropped)
{
    if (dropped)
        kprintf("cmdline: dropped everything from byte %u on (\"%.31s\"): more options than "
                "the kernel takes (%d)\n", (unsigned)(dropped - boot.cmdline), dropped,
                CMDLINE_MAX_OPTIONS);
    else if (boot.cmdline_cut)
        kprintf("cmdline: dropped everything from byte %d on (\"%s\"): the line is longer "
                "than the kernel takes (%d bytes)\n", BOOT_CMDLINE_MAX - 1, boot.cmdline_dropped,
                BOOT_CMDLINE_MAX - 1);
    return dropped || boot.cmdline_cut;
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

/* BIOS calls use 64 KiB of low memory of their own: not where the boot
 * loader left a module (the program archive) the kernel reads later. */
static void guard_bios_call_memory(void)
{
    if (bootinfo_module_overlaps(&boot, V86_MEMORY_START, V86_MEMORY_END))
        v86_keep_off("a boot module lies in the monitor's low memory");
}

/* The RSDP (acpi.h's acpi_locate_rsdp: acpi.rsdp=, the legacy scan, the
 * ACPI-reclaimable memory), with a line saying where it was found and one
 * saying why an acpi.rsdp= given was not believed; 0 when there is none. */
static uint32_t find_rsdp(void)
{
    const char *option = kernel_option("acpi.rsdp");
    struct acpi_rsdp_search found = acpi_locate_rsdp(option, &boot, boot_phys);
    if (option && found.option != ACPI_OPTION_USED)
        kprintf("acpi: acpi.rsdp=%.40s ignored: %s; the RSDP is looked for as without it\n",
                option, acpi_option_name(found.option));
    if (found.phys)
        kprintf("acpi: the RSDP at 0x%x, %s\n", found.phys, acpi_rsdp_source_name(found.source));
    return found.phys;
}

/* The processors the firmware's ACPI tables list, in one line: false
 * when they list none. */
static bool read_processors(struct acpi_cpus *cpus)
{
    enum acpi_result found = acpi_read_cpus(find_rsdp(), boot_phys, cpus);
    if (found != ACPI_OK) {
        kprintf("smp: no processor list from ACPI (%s)\n", acpi_result_name(found));
        return false;
    }
    char ids[4 * ACPI_MAX_CPUS + 1] = "";
    for (uint32_t i = 0, n = 0; i < cpus->count; i++)
        n += (uint32_t)ksnprintf(ids + n, sizeof(ids) - n, " %u", cpus->apic_id[i]);
    kprintf("smp: %u CPU%s in the ACPI MADT (APIC ids%s%s)\n", cpus->listed,
            cpus->listed == 1 ? "" : "s", ids, cpus->listed > cpus->count ? " ..." : "");
    return true;
}

/* The other processors, started when the tables list them and the page
 * their start-up code needs is free. */
static void start_processors(const struct acpi_cpus *cpus)
{
    uint32_t page = AP_START_PAGE * PAGE_SIZE;
    if (cpus && bootinfo_module_overlaps(&boot, page, page + PAGE_SIZE)) {
        kprintf("smp: a boot module lies where the other CPUs would start\n");
        cpus = NULL;
    }
    smp_start(cpus, kernel_option("smp"));
}

/* tlb.skip-others: shootdowns leave the other CPUs' TLBs stale, so that
 * the tests that must see it fail can be shown to. Never for real use. */
static void skip_shootdowns_if_asked(void)
{
    if (!kernel_flag("tlb.skip-others"))
        return;
    tlb_set_skip_others(true);
    kprintf("tlb: tlb.skip-others: the other CPUs keep stale translations (a test's option)\n");
}

/* The video port finds the adapter; the display driver puts the screen
 * console on it. */
static void start_video(void)
{
    vp_init(kernel_option("video.miniport"));
    struct vp_device *primary = vp_device_at(0);
    if (primary)
        disp_enable(primary);
}

/* The bundled programs: the first boot module, when all of it is mapped. */
static void open_boot_archive(void)
{
    struct initrd rd;
    const struct boot_module *m = &boot.modules[0];
    const void *archive = boot.module_count ? boot_phys(m->start, m->end - m->start) : NULL;
    if (!archive || !initrd_open(&rd, archive, m->end - m->start)) {
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
    cpu_init(0);                             /* our GDT and IDT: faults now panic */
    biglock_acquire();                       /* held until processes run */
    paging_init();                           /* direct map; boot identity map gone */
    enum bootinfo_result parsed = bootinfo_parse(magic, mbi_phys, boot_phys, boot_warning, &boot);
    if (parsed == BOOTINFO_BAD_MAGIC)
        panic("not started by a multiboot loader (eax=0x%x)", magic);
    if (parsed != BOOTINFO_OK)
        panic("the boot information at 0x%x is out of reach", mbi_phys);
    const char *dropped = kernel_options_set(boot.cmdline); /* selftest, video=, run= ... */
    frame_init(&boot);                       /* physical frames, boot data reserved */
    irq_init();                              /* PICs remapped, all lines masked */
    timer_init();                            /* PIT tick on IRQ 0: BIOS calls' watchdog */
    guard_bios_call_memory();
    start_video();                           /* adapter, display driver, screen console */
    kprintf("vidport: booted by %s, options \"%s\"\n", boot.loader_name, boot.cmdline);
    bool options_cut = report_dropped_options(dropped);
    report_memory();
    struct acpi_cpus cpus;
    bool listed = read_processors(&cpus);
    open_boot_archive();                     /* the bundled programs */
    timer_set_tick_hook(sched_tick);         /* sleeps and time slices */
    irq_enable();
    start_processors(listed ? &cpus : NULL); /* they wait for the lock */
    skip_shootdowns_if_asked();
    latency_calibrate();                     /* stretches with interrupts off, timed */
    if (kernel_flag("selftest"))
        ktest_run_all(kernel_option("ktest"));
    serial_enable_input(tty_input);          /* typed input: serial ... */
    keyboard_init(tty_input);                /* ... and the PS/2 keyboard */
    init_start(kernel_option("run"), options_cut); /* the shell, or the run= list */
}
