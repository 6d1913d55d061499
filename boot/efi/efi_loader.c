/*
 * vidport's UEFI loader (BOOTX64.EFI): boots the multiboot kernel straight
 * from UEFI firmware, without GRUB. It reads the kernel, its program
 * archive and its command line from files next to itself, puts the kernel
 * where its ELF file says, sets an 800x600 (or video=WxHx32) GOP mode, exits
 * boot services and enters the kernel in 32-bit protected mode with a
 * multiboot information block, as GRUB does. The kernel cannot tell.
 *
 * Anything wrong before boot services end is reported on the console (which
 * OVMF mirrors to the serial port), and the loader returns to the firmware.
 */
#include <efi.h>
#include <efilib.h>

#include "handoff.h"
#include "kernel/cmdline.h"
#include "kernel/format.h"
#include "kernel/v86.h"

#define LOADER_NAME "vidport-efi"
#define KERNEL_FILE L"vidport.elf"
#define INITRD_FILE L"initrd.img"
#define CMDLINE_FILE L"cmdline.txt"
/* The kernel reads its boot information before it maps more than its first
 * 8 MiB, and reaches boot modules through its map of the first 768 MiB. */
#define MBI_LIMIT 0x800000u
#define MODULE_LIMIT 0x30000000u
#define BELOW_4G 0x100000000ull
#define ANYWHERE (~0ull)
#define MAX_ALLOCATIONS 8
#define MAX_GOP_MODES 64
#define EXIT_ATTEMPTS 4
#define SPARE_DESCRIPTORS 16  /* allocating the map's buffer may add some */
#define FAILURE_PAUSE_US 2000000 /* time to read the message before the firmware goes on */
#define COM1 0x3F8

extern char enter32[];
extern const uint32_t enter32_size;
typedef void (*enter32_fn)(uint32_t mbi, uint32_t entry);

/* Pages the loader holds: given back if it fails, the kernel's if it does not. */
struct allocation {
    EFI_PHYSICAL_ADDRESS base;
    UINTN pages;
};

struct loader {
    EFI_HANDLE image;
    EFI_FILE_HANDLE dir; /* the loader's own directory */
    struct allocation held[MAX_ALLOCATIONS];
    int held_count;
    struct cmdline options;
    struct mbi_block *mbi;
    struct kernel_image kernel;
    enter32_fn enter;
    int map_left_out; /* firmware memory descriptors the block does not describe */
};

/* Report why the boot cannot go on; returns status for the caller to pass up. */
static EFI_STATUS refuse(EFI_STATUS status, const char *why)
{
    Print(L"%a: cannot boot: %a\r\n", LOADER_NAME, why);
    return status;
}

/*
 * Allocate pages of the given kind: at *addr exactly (AllocateAddress) or
 * below it (AllocateMaxAddress). On success *addr is where they are and the
 * loader holds them.
 */
static EFI_STATUS allocate(struct loader *l, EFI_ALLOCATE_TYPE how, EFI_MEMORY_TYPE kind,
                           UINTN bytes, EFI_PHYSICAL_ADDRESS *addr)
{
    UINTN pages = EFI_SIZE_TO_PAGES(bytes ? bytes : 1);
    if (l->held_count == MAX_ALLOCATIONS)
        return EFI_OUT_OF_RESOURCES;
    EFI_STATUS status = uefi_call_wrapper(BS->AllocatePages, 4, how, kind, pages, addr);
    if (!EFI_ERROR(status))
        l->held[l->held_count++] = (struct allocation){ *addr, pages };
    return status;
}

static void release_all(struct loader *l)
{
    while (l->held_count > 0) {
        struct allocation *a = &l->held[--l->held_count];
        uefi_call_wrapper(BS->FreePages, 2, a->base, a->pages);
    }
}

/* Cut a file path to its directory in place: "\\EFI\\BOOT\\X.EFI" becomes
 * "\\EFI\\BOOT", "\\X.EFI" becomes "\\". False when it is not an absolute path. */
static bool cut_to_directory(CHAR16 *path)
{
    UINTN cut = 0;
    if (!path || path[0] != L'\\')
        return false;
    for (UINTN i = 1; path[i]; i++)
        if (path[i] == L'\\')
            cut = i;
    path[cut ? cut : 1] = 0;
    return true;
}

/* Open the directory the loader was started from (\EFI\BOOT on a removable disk). */
static EFI_STATUS open_own_directory(struct loader *l)
{
    EFI_LOADED_IMAGE *self = NULL;
    EFI_STATUS status = uefi_call_wrapper(BS->HandleProtocol, 3, l->image,
                                          &LoadedImageProtocol, (void **)&self);
    EFI_FILE_HANDLE root = EFI_ERROR(status) ? NULL : LibOpenRoot(self->DeviceHandle);
    if (!root)
        return refuse(EFI_NOT_FOUND, "the disk the loader came from has no readable file system");
    CHAR16 *path = DevicePathToStr(self->FilePath);
    if (path && !cut_to_directory(path)) {
        FreePool(path);
        path = NULL;
    }
    status = uefi_call_wrapper(root->Open, 5, root, &l->dir, path ? path : L"\\",
                               EFI_FILE_MODE_READ, 0);
    uefi_call_wrapper(root->Close, 1, root);
    if (path) {
        Print(L"%a: reading %s\r\n", LOADER_NAME, path);
        FreePool(path);
    }
    return EFI_ERROR(status) ? refuse(status, "the loader's own directory cannot be opened")
                             : EFI_SUCCESS;
}

/* Open name in the loader's directory and tell its size. */
static EFI_STATUS open_file(struct loader *l, CHAR16 *name, EFI_FILE_HANDLE *file, UINTN *size)
{
    EFI_STATUS status = uefi_call_wrapper(l->dir->Open, 5, l->dir, file, name,
                                          EFI_FILE_MODE_READ, 0);
    if (EFI_ERROR(status))
        return status;
    EFI_FILE_INFO *info = LibFileInfo(*file);
    if (!info) {
        uefi_call_wrapper((*file)->Close, 1, *file);
        return EFI_DEVICE_ERROR;
    }
    *size = info->FileSize;
    FreePool(info);
    return EFI_SUCCESS;
}

/* Read all size bytes of an open file into buffer, and close it. */
static EFI_STATUS read_all(EFI_FILE_HANDLE file, void *buffer, UINTN size)
{
    UINTN got = size;
    EFI_STATUS status = uefi_call_wrapper(file->Read, 3, file, &got, buffer);
    uefi_call_wrapper(file->Close, 1, file);
    return !EFI_ERROR(status) && got != size ? EFI_END_OF_FILE : status;
}

/*
 * Read a whole file into new pages placed as `how` and `where` say
 * (AllocatePages's terms: ending at or below it, or starting at it);
 * *data and *size say where. A missing or unreadable file is reported by name.
 */
static EFI_STATUS read_file(struct loader *l, CHAR16 *name, EFI_ALLOCATE_TYPE how,
                            EFI_PHYSICAL_ADDRESS where, void **data, UINTN *size)
{
    EFI_FILE_HANDLE file;
    EFI_STATUS status = open_file(l, name, &file, size);
    if (!EFI_ERROR(status)) {
        EFI_PHYSICAL_ADDRESS addr = where;
        status = allocate(l, how, EfiLoaderData, *size, &addr);
        if (EFI_ERROR(status))
            uefi_call_wrapper(file->Close, 1, file);
        else
            status = read_all(file, *data = (void *)(UINTN)addr, *size);
    }
    if (EFI_ERROR(status))
        Print(L"%a: cannot read %s next to the loader: %r\r\n", LOADER_NAME, name, status);
    return status;
}

/* The kernel options from cmdline.txt, when there is one (first line only). */
static void read_options(struct loader *l, char *text, UINTN capacity)
{
    EFI_FILE_HANDLE file;
    UINTN size = 0;
    text[0] = '\0';
    if (EFI_ERROR(open_file(l, CMDLINE_FILE, &file, &size)))
        return;
    size = size < capacity - 1 ? size : capacity - 1;
    if (EFI_ERROR(read_all(file, text, size)))
        size = 0;
    text[size] = '\0';
    for (UINTN i = 0; i < size; i++)
        if (text[i] == '\r' || text[i] == '\n')
            text[i] = '\0';
    cmdline_parse(&l->options, text);
}

/* Say why the kernel's range is not free, from the firmware's memory map. */
static EFI_STATUS explain_busy_range(const struct kernel_image *k)
{
    UINTN entries, key, descriptor_size;
    UINT32 version;
    EFI_MEMORY_DESCRIPTOR *map = LibMemoryMap(&entries, &key, &descriptor_size, &version);
    struct uefi_memory_map view = { map, entries * descriptor_size, descriptor_size };
    uint64_t where = k->low;
    int type = UEFI_NO_MEMORY;
    if (map && uefi_range_is_free(&view, k->low, k->high, &where, &type))
        where = k->low, type = UEFI_RESERVED;
    Print(L"%a: cannot boot: the kernel belongs at 0x%lx-0x%lx, but 0x%lx is %a\r\n",
          LOADER_NAME, (UINT64)k->low, (UINT64)k->high, where, uefi_memory_type_name(type));
    if (map)
        FreePool(map);
    return EFI_LOAD_ERROR;
}

/* Read the kernel file, check it and copy its segments where they belong. */
static EFI_STATUS load_kernel(struct loader *l)
{
    void *file;
    UINTN size;
    EFI_STATUS status = read_file(l, KERNEL_FILE, AllocateMaxAddress, ANYWHERE, &file, &size);
    if (EFI_ERROR(status))
        return status;
    const char *why = kernel_image_inspect(file, size, &l->kernel);
    if (why) {
        Print(L"%a: cannot boot %s: %a\r\n", LOADER_NAME, KERNEL_FILE, why);
        return EFI_LOAD_ERROR;
    }
    EFI_PHYSICAL_ADDRESS span = l->kernel.low;
    status = allocate(l, AllocateAddress, EfiLoaderData, l->kernel.high - l->kernel.low, &span);
    if (EFI_ERROR(status))
        return explain_busy_range(&l->kernel);
    kernel_image_place(&l->kernel, file, (void *)(UINTN)span);
    return EFI_SUCCESS;
}

/* The program archive, in reach of the kernel's map of modules; with the
 * option efi.low-archive (for tests) at the start of the v86 monitor's low
 * memory instead, where the kernel must then run no BIOS call. */
static EFI_STATUS read_archive(struct loader *l, void **data, UINTN *size)
{
    if (cmdline_has(&l->options, "efi.low-archive"))
        return read_file(l, INITRD_FILE, AllocateAddress, V86_MEMORY_START, data, size);
    return read_file(l, INITRD_FILE, AllocateMaxAddress, MODULE_LIMIT - 1, data, size);
}

_Static_assert(sizeof(EFI_GUID) == 16 && sizeof(EFI_CONFIGURATION_TABLE) ==
               sizeof(struct uefi_config_entry), "the configuration table is laid out as handoff.h says");

/* The firmware's RSDP: its ACPI 2.0 table, else its ACPI 1.0 one (on UEFI
 * the loader must hand it to the OS, ACPI 5.2.5.2); 0 when it has neither. */
static uint64_t firmware_rsdp(void)
{
    static const EFI_GUID wanted[] = { ACPI_20_TABLE_GUID, ACPI_TABLE_GUID };
    return uefi_config_table((const struct uefi_config_entry *)ST->ConfigurationTable,
                             ST->NumberOfTableEntries, (const uint8_t (*)[16])wanted,
                             sizeof(wanted) / sizeof(wanted[0]));
}

/* The boot information block (below MBI_LIMIT) with the program archive as
 * its module and the firmware's RSDP in the command line, and the entry
 * code copied below 4 GiB. */
static EFI_STATUS prepare_handoff(struct loader *l, const char *options, const void *initrd,
                                  UINTN initrd_size)
{
    EFI_PHYSICAL_ADDRESS mbi = MBI_LIMIT - 1, code = BELOW_4G - 1;
    EFI_STATUS status = allocate(l, AllocateMaxAddress, EfiLoaderData, sizeof(struct mbi_block),
                                 &mbi);
    if (!EFI_ERROR(status))
        status = allocate(l, AllocateMaxAddress, EfiLoaderCode, enter32_size, &code);
    if (EFI_ERROR(status))
        return refuse(status, "no memory for the boot information below 8 MiB");
    l->mbi = (struct mbi_block *)(UINTN)mbi;
    mbi_init(l->mbi, (uint32_t)mbi, LOADER_NAME, options);
    mbi_set_rsdp(l->mbi, firmware_rsdp());
    uint32_t start = (uint32_t)(UINTN)initrd;
    mbi_set_module(l->mbi, start, start + (uint32_t)initrd_size, "initrd");
    CopyMem((void *)(UINTN)code, enter32, enter32_size);
    l->enter = (enter32_fn)(UINTN)code;
    return EFI_SUCCESS;
}

/* Describe GOP mode i in the loader's terms; false if it cannot be asked. */
static bool query_mode(EFI_GRAPHICS_OUTPUT_PROTOCOL *gop, UINT32 i, struct gop_mode *out)
{
    EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info;
    UINTN size;
    if (EFI_ERROR(uefi_call_wrapper(gop->QueryMode, 4, gop, i, &size, &info)))
        return false;
    *out = (struct gop_mode){
        info->HorizontalResolution, info->VerticalResolution, info->PixelsPerScanLine,
        info->PixelFormat, info->PixelInformation.RedMask, info->PixelInformation.GreenMask,
        info->PixelInformation.BlueMask, info->PixelInformation.ReservedMask,
    };
    FreePool(info);
    return true;
}

/* Set the mode the kernel gets and describe its frame buffer; without GOP
 * the kernel boots without one, as it does when GRUB finds none. */
static void set_video(struct loader *l)
{
    EFI_GRAPHICS_OUTPUT_PROTOCOL *gop = NULL;
    struct gop_mode modes[MAX_GOP_MODES];
    if (EFI_ERROR(uefi_call_wrapper(BS->LocateProtocol, 3, &GraphicsOutputProtocol, NULL,
                                    (void **)&gop))) {
        Print(L"%a: no graphics output: the kernel gets no frame buffer\r\n", LOADER_NAME);
        return;
    }
    int count = gop->Mode->MaxMode < MAX_GOP_MODES ? (int)gop->Mode->MaxMode : MAX_GOP_MODES;
    for (int i = 0; i < count; i++)
        if (!query_mode(gop, i, &modes[i]))
            modes[i] = (struct gop_mode){ .format = GOP_BLT_ONLY }; /* unusable */
    uint32_t width, height;
    boot_video_wanted(cmdline_get(&l->options, "video"), &width, &height);
    int chosen = gop_choose_mode(modes, count, (int)gop->Mode->Mode, width, height);
    if (chosen < 0) {
        Print(L"%a: no graphics mode has a frame buffer\r\n", LOADER_NAME);
        return;
    }
    if ((UINT32)chosen != gop->Mode->Mode &&
        EFI_ERROR(uefi_call_wrapper(gop->SetMode, 2, gop, (UINT32)chosen)))
        chosen = (int)gop->Mode->Mode; /* still the mode it was */
    if (chosen < count && modes[chosen].format != GOP_BLT_ONLY)
        mbi_set_framebuffer(l->mbi, &modes[chosen], gop->Mode->FrameBufferBase);
}

static uint8_t inb(uint16_t port)
{
    uint8_t value = 0;
    __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

/* Say text on COM1: the only output left once boot services are gone. */
static void serial_say(const char *text)
{
    for (; *text; text++) {
        while (!(inb(COM1 + 5) & 0x20)) /* until the transmitter is ready */
            ;
        __asm__ volatile("outb %0, %1" : : "a"(*text), "Nd"((uint16_t)COM1));
    }
}

/* Stop for good once boot services refused to end: they may be half gone,
 * so the serial port is the only safe way to say why. */
static void halt(const char *why)
{
    serial_say(why);
    for (;;)
        __asm__ volatile("cli; hlt");
}

/*
 * Exit boot services with the key of a memory map taken just before, which
 * the block then describes. If the map changed in between, the firmware
 * refuses the key: take a fresh map and try again, as UEFI requires. The
 * option efi.stale-key spoils the first key on purpose, so tests see a retry.
 * Returns an error only while boot services are still whole; halts if they
 * cannot be ended.
 */
static EFI_STATUS exit_boot_services(struct loader *l, int *attempts)
{
    UINTN size = 0, key, descriptor_size;
    UINT32 version;
    uefi_call_wrapper(BS->GetMemoryMap, 5, &size, NULL, &key, &descriptor_size, &version);
    UINTN capacity = size + SPARE_DESCRIPTORS * descriptor_size;
    void *buffer = AllocatePool(capacity);
    if (!buffer)
        return refuse(EFI_OUT_OF_RESOURCES, "no memory for the memory map");
    EFI_STATUS status = EFI_INVALID_PARAMETER;
    bool spoil = cmdline_has(&l->options, "efi.stale-key");
    for (*attempts = 1; *attempts <= EXIT_ATTEMPTS; ++*attempts) {
        size = capacity;
        status = uefi_call_wrapper(BS->GetMemoryMap, 5, &size, buffer, &key, &descriptor_size,
                                   &version);
        if (EFI_ERROR(status) && *attempts == 1) {
            FreePool(buffer);
            return refuse(status, "the firmware gives no memory map");
        }
        if (EFI_ERROR(status))
            break;
        struct uefi_memory_map map = { buffer, size, descriptor_size };
        l->map_left_out = mbi_set_memory_map(l->mbi, &map);
        status = uefi_call_wrapper(BS->ExitBootServices, 2, l->image,
                                   key + (spoil && *attempts == 1));
        if (status != EFI_INVALID_PARAMETER)
            break;
    }
    if (EFI_ERROR(status))
        halt(LOADER_NAME ": cannot exit boot services; halted\r\n");
    return EFI_SUCCESS;
}

/* Everything from reading the files to entering the kernel; returns only
 * when something stops the boot, after saying what. */
static EFI_STATUS boot(struct loader *l)
{
    char options[MBI_CMDLINE_MAX];
    void *initrd;
    UINTN initrd_size;
    int attempts = 0;
    EFI_STATUS status = open_own_directory(l);
    if (EFI_ERROR(status))
        return status;
    read_options(l, options, sizeof(options));
    status = load_kernel(l);
    if (!EFI_ERROR(status))
        status = read_archive(l, &initrd, &initrd_size);
    if (!EFI_ERROR(status))
        status = prepare_handoff(l, options, initrd, initrd_size);
    if (EFI_ERROR(status))
        return status;
    set_video(l);
    status = exit_boot_services(l, &attempts);
    if (EFI_ERROR(status))
        return status;
    char line[128];
    if (l->map_left_out) {
        ksnprintf(line, sizeof(line), LOADER_NAME ": %d firmware memory descriptors left out "
                  "of the map (unreadable, or no room)\r\n", l->map_left_out);
        serial_say(line);
    }
    ksnprintf(line, sizeof(line), LOADER_NAME ": boot services exited at attempt %d; "
              "entering the kernel\r\n", attempts);
    serial_say(line);
    l->enter((uint32_t)(UINTN)l->mbi, l->kernel.entry);
    return EFI_LOAD_ERROR; /* not reached */
}

/* Debian's gnu-efi start code calls this with the System V convention. */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *system_table)
{
    InitializeLib(image, system_table);
    struct loader l = { .image = image };
    EFI_STATUS status = boot(&l);
    release_all(&l);
    if (l.dir)
        uefi_call_wrapper(l.dir->Close, 1, l.dir);
    Print(L"%a: returning to the firmware\r\n", LOADER_NAME);
    uefi_call_wrapper(BS->Stall, 1, FAILURE_PAUSE_US);
    return status;
}
