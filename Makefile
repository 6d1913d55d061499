# vidport: one non-recursive Makefile.
#
#   make            kernel and ISO (build/vidport.iso)
#   make run        boot it in QEMU (BIOS); run-uefi under OVMF; VGA=cirrus (or
#                   run-cirrus) on a Cirrus GD5446 instead of the standard VGA
#                   (VGA=std); SMP=N gives the machine N CPUs (1 to 8, default 1;
#                   make bench too); debug waits for gdb
#   make run-bochs  boot it in Bochs, on its DISPI adapter (VGA=cirrus: its GD5446)
#   make test       host unit tests, in-kernel tests and screenshot tests
#   make bench      benchmark boots; table in build/bench/ and BENCHMARKS.md
#   make fuzz       run every fuzz target for FUZZ_SECONDS (default 60) each
#   make soak       long fuzzer and storm boots; results in build/soak/
#   make lint       cppcheck over the C sources
#
# KARGS='...' adds kernel options to the default GRUB entry of any ISO built,
# e.g. make run KARGS='video=1024x768x32'. ISO=path builds the ISO elsewhere.

BUILD  ?= build
ISO    ?= $(BUILD)/vidport.iso
KARGS  ?=
FONT   ?= /usr/share/consolefonts/Lat15-Terminus16.psf.gz
PYTHON ?= python3

CC   := gcc
LD   := ld
NASM := nasm

# Install missing packages before anything needs them (not for clean).
ifeq ($(VIDPORT_DEPS_DONE),)
ifneq ($(filter-out clean,$(or $(MAKECMDGOALS),all)),)
DEPS_STATUS := $(shell tools/deps.sh >&2; echo $$?)
ifneq ($(DEPS_STATUS),0)
$(error tools/deps.sh could not install the packages vidport needs)
endif
export VIDPORT_DEPS_DONE := 1
endif
endif

KERNEL_CFLAGS := -m32 -march=i686 -std=c11 -ffreestanding -fno-pic -fno-pie \
	-fno-stack-protector -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
	-fno-asynchronous-unwind-tables \
	-mgeneral-regs-only -O2 -g -Wall -Wextra -Werror -MMD -MP -I.
KERNEL_LDFLAGS := -m elf_i386 -T linker.ld -nostdlib -z noexecstack --no-warn-rwx-segments
NASMFLAGS := -f elf32 -g -F dwarf -w+error

# Kernel sources, per directory; in-kernel test suites are linked in too.
BOOT_SRC    := $(wildcard boot/*.asm boot/*.c)
KERNEL_SRC  := $(wildcard kernel/*.asm kernel/*.c)
MM_SRC      := $(wildcard mm/*.c)
DRIVERS_SRC := $(wildcard drivers/*.c drivers/videoport/*.c drivers/miniports/*.c drivers/display/*.c)
KTEST_SRC   := $(wildcard tests/kernel/*.c)
KERNEL_OBJS := $(patsubst %,$(BUILD)/obj/%.o,$(BOOT_SRC) $(KERNEL_SRC) $(MM_SRC) \
	$(DRIVERS_SRC) $(KTEST_SRC)) $(BUILD)/obj/gen/font.o

# User space: the library (with the kernel's formatting and string code,
# which are freestanding) and one program per user/programs/NAME.c or
# user/programs/NAME/, plus the user-level test programs in tests/user/ (NAME.c
# or NAME/ alike).
USER_CFLAGS := $(KERNEL_CFLAGS) -Iuser/include
USER_LIB_SRC := $(wildcard user/lib/*.asm user/lib/*.c) kernel/format.c kernel/string.c
USER_LIB := $(BUILD)/user/libvidport.a
USER_PROGRAM_FILES := $(wildcard user/programs/*.c tests/user/*.c)
USER_PROGRAM_DIRS := $(patsubst %/,%,$(wildcard user/programs/*/ tests/user/*/))
USER_BINS := $(patsubst %,$(BUILD)/user/bin/%,$(notdir $(basename $(USER_PROGRAM_FILES)) $(USER_PROGRAM_DIRS)))
INITRD := $(BUILD)/initrd.img

.PHONY: all iso efi-image run run-banked run-uefi run-efi-direct run-cirrus run-bochs debug test bench soak host-tests \
	header-check fuzz fuzz-targets lint clean FORCE
.DELETE_ON_ERROR:
.SECONDARY:

all: $(ISO)
iso: $(ISO)

# Every object depends on this Makefile, so changed flags rebuild everything.
$(BUILD)/obj/%.c.o: %.c Makefile
	@mkdir -p $(@D)
	$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/obj/%.asm.o: %.asm Makefile
	@mkdir -p $(@D)
	$(NASM) $(NASMFLAGS) $< -o $@

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c Makefile
	@mkdir -p $(@D)
	$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/gen/font.c: $(FONT) tools/psf.py
	@mkdir -p $(@D)
	$(PYTHON) tools/psf.py --to-c $< $@

# Two links: the first finds the functions' addresses, the second adds
# their names as data after the code (code addresses are checked unchanged).
$(BUILD)/gen/ksyms_empty.c: tools/gensyms.py
	@mkdir -p $(@D)
	$(PYTHON) tools/gensyms.py --empty $@

$(BUILD)/vidport.pass1.elf: $(KERNEL_OBJS) $(BUILD)/obj/gen/ksyms_empty.o linker.ld
	$(LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/obj/gen/ksyms_empty.o

$(BUILD)/gen/ksyms.c: $(BUILD)/vidport.pass1.elf tools/gensyms.py
	$(PYTHON) tools/gensyms.py $< $@

$(BUILD)/vidport.elf: $(KERNEL_OBJS) $(BUILD)/obj/gen/ksyms.o linker.ld
	$(LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/obj/gen/ksyms.o
	$(PYTHON) tools/gensyms.py --check $(BUILD)/vidport.pass1.elf $@
	grub-file --is-x86-multiboot $@

$(BUILD)/user/obj/%.c.o: %.c Makefile
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -c $< -o $@

$(BUILD)/user/obj/%.asm.o: %.asm Makefile
	@mkdir -p $(@D)
	$(NASM) $(NASMFLAGS) $< -o $@

$(USER_LIB): $(patsubst %,$(BUILD)/user/obj/%.o,$(USER_LIB_SRC))
	rm -f $@
	ar rcs $@ $^

# A program's objects: NAME.c alone, or every .c in the folder NAME/.
program_objs = $(patsubst %,$(BUILD)/user/obj/%.o,$(or $(filter %/$(1).c,$(USER_PROGRAM_FILES)),$(wildcard user/programs/$(1)/*.c tests/user/$(1)/*.c)))

# Segments start on their own pages in memory (user/user.ld) but are packed
# in the file (max-page-size): the loader copies them, and the boot archive
# stays small.
USER_LD := $(LD) -m elf_i386 -T user/user.ld -z noexecstack -z max-page-size=16

.SECONDEXPANSION:
$(BUILD)/user/bin/%: $$(call program_objs,$$*) $(USER_LIB) user/user.ld
	@mkdir -p $(@D)
	$(USER_LD) -o $@ $(call program_objs,$*) $(USER_LIB)

# The public header leaves program names free: tests/header/ntnames.c, a
# program with functions of its own named like the helpers of <vpdraw.h>
# and <vputil.h>, must build with <vidport.h> alone, against the user
# library. Not a bundled program: it is built, never run. The host group
# of tests/run_tests.py makes this target and reports the outcome. It
# compiles on every run rather than trust an object: the harness passes an
# absolute BUILD, which dependency files written under a relative one do
# not name, so a changed header would not rebuild it.
header-check: $(USER_LIB) user/user.ld
	@mkdir -p $(BUILD)/header
	$(CC) $(USER_CFLAGS) -c tests/header/ntnames.c -o $(BUILD)/header/ntnames.o
	$(USER_LD) -o $(BUILD)/header/ntnames $(BUILD)/header/ntnames.o $(USER_LIB)

# The list of programs is a prerequisite too: removing one rebuilds the archive.
$(BUILD)/user/programs.list: FORCE
	@mkdir -p $(@D)
	$(file > $@.new,$(USER_BINS))
	@cmp -s $@.new $@ && rm -f $@.new || mv $@.new $@

# The boot archive packs stripped copies: GRUB reads every byte of it through
# the BIOS at boot, and debug information would be most of them. The programs
# in $(BUILD)/user/bin keep their symbols for gdb.
STRIPPED_BINS := $(patsubst $(BUILD)/user/bin/%,$(BUILD)/user/stripped/%,$(USER_BINS))

$(BUILD)/user/stripped/%: $(BUILD)/user/bin/%
	@mkdir -p $(@D)
	strip -o $@ $<

# The crafted program images the loader's tests spawn and the shell test
# lists (tools/mkimages.py; the script rewrites its whole folder) go only
# into a second archive, $(INITRD_LARGE), beside the programs, for the
# boots that need them: the everyday archive holds the programs alone, so
# that `ls` shows what a person can run. The large images (2 MiB of
# program headers) cost boot time there. An ISO packs ISO_INITRD, the
# everyday archive unless the harness asks for the other.
IMAGES := $(BUILD)/images
LARGE_IMAGES := $(BUILD)/images-large
INITRD_LARGE := $(BUILD)/initrd-large.img
ISO_INITRD ?= $(INITRD)

$(IMAGES)/.stamp: tools/mkimages.py
	$(PYTHON) tools/mkimages.py $(IMAGES)
	touch $@

$(LARGE_IMAGES)/.stamp: tools/mkimages.py
	$(PYTHON) tools/mkimages.py --large $(LARGE_IMAGES)
	touch $@

$(INITRD): $(STRIPPED_BINS) $(BUILD)/user/programs.list tools/mkinitrd.py
	$(PYTHON) tools/mkinitrd.py $@ $(STRIPPED_BINS)

$(INITRD_LARGE): $(INITRD) $(IMAGES)/.stamp $(LARGE_IMAGES)/.stamp
	$(PYTHON) tools/mkinitrd.py $@ $(STRIPPED_BINS) $(IMAGES)/* $(LARGE_IMAGES)/*

# The ISO: kernel plus a generated grub.cfg. KARGS lives in a stamp file so
# that changing it rebuilds the ISO. The kernel is stripped there like the
# programs (its backtraces use its own symbol table, not the ELF one).
$(shell mkdir -p $(BUILD) $(dir $(ISO)))
ISO_ROOT := $(ISO).root

# Only the GRUB modules grub.cfg needs, plus the partition maps that
# grub-mkrescue's built-in config loads by name (a missing one costs an error
# message, which the BIOS prints slowly): GRUB searches its module directory
# for every module it loads, and a full one makes that a large part of the
# boot. No fonts, locales or themes either: nothing uses them.
GRUB_MODULES := normal multiboot all_video $(shell cat /usr/lib/grub/i386-pc/partmap.lst 2>/dev/null)

# Any boot medium's KARGS stamp (the ISO's, the UEFI loader disk's):
# rewritten only when the options change.
%.kargs: FORCE
	$(file > $@.new,$(KARGS))
	@cmp -s $@.new $@ && rm -f $@.new || mv $@.new $@

$(ISO): $(BUILD)/vidport.elf $(ISO_INITRD) $(ISO).kargs tools/mkgrubcfg.py
	rm -rf $(ISO_ROOT)
	mkdir -p $(ISO_ROOT)/boot/grub
	strip -o $(ISO_ROOT)/boot/vidport.elf $(BUILD)/vidport.elf
	cp $(ISO_INITRD) $(ISO_ROOT)/boot/initrd.img
	$(PYTHON) tools/mkgrubcfg.py $(ISO).kargs > $(ISO_ROOT)/boot/grub/grub.cfg
	grub-mkrescue --install-modules='$(GRUB_MODULES)' --fonts= --locales= --themes= \
		-o $@ $(ISO_ROOT) > $@.log 2>&1 || { cat $@.log; false; }

# The UEFI loader (boot/efi/): an x86-64 EFI application built with
# gnu-efi, with the kernel's command line parser, formatting and string functions
# (libefi brings its own memcpy and memset, so the kernel's give way), and
# the FAT image it boots from: \EFI\BOOT\ holds the loader, the kernel,
# the program archive and cmdline.txt (KARGS, in a stamp file as for the ISO).
EFI_IMAGE  ?= $(BUILD)/vidport-efi.img
EFI_INC    := /usr/include/efi
EFI_LIB    := /usr/lib
EFI_CFLAGS := -std=c11 -ffreestanding -fno-stack-protector -fno-stack-check -fpic \
	-fshort-wchar -mno-red-zone -maccumulate-outgoing-args -DEFI_FUNCTION_WRAPPER \
	-I$(EFI_INC) -I$(EFI_INC)/x86_64 -I$(EFI_INC)/protocol -I. \
	-O2 -g -Wall -Wextra -Werror -MMD -MP
EFI_SRC    := $(wildcard boot/efi/*.c) kernel/cmdline.c kernel/string.c kernel/format.c
EFI_OBJS   := $(patsubst %,$(BUILD)/efi/obj/%.o,$(EFI_SRC)) $(BUILD)/efi/obj/boot/efi/enter32.asm.o
EFI_LOADER := $(BUILD)/efi/BOOTX64.EFI

$(BUILD)/efi/obj/%.c.o: %.c Makefile
	@mkdir -p $(@D)
	$(CC) $(EFI_CFLAGS) -c $< -o $@

$(BUILD)/efi/obj/kernel/string.c.o: kernel/string.c Makefile
	@mkdir -p $(@D)
	$(CC) $(EFI_CFLAGS) -c $< -o $@
	objcopy --weaken-symbol=memcpy --weaken-symbol=memset $@

$(BUILD)/efi/obj/%.asm.o: %.asm Makefile
	@mkdir -p $(@D)
	$(NASM) -f elf64 -w+error $< -o $@

$(BUILD)/efi/loader.so: $(EFI_OBJS)
	$(LD) -nostdlib -znocombreloc -shared -Bsymbolic -T $(EFI_LIB)/elf_x86_64_efi.lds \
		-L $(EFI_LIB) $(EFI_LIB)/crt0-efi-x86_64.o $(EFI_OBJS) -o $@ -lefi -lgnuefi

$(EFI_LOADER): $(BUILD)/efi/loader.so
	objcopy -j .text -j .sdata -j .data -j .rodata -j .dynamic -j .dynsym -j .rel \
		-j .rela -j '.rel.*' -j '.rela.*' -j .reloc --target efi-app-x86_64 \
		--subsystem=10 $< $@

$(shell mkdir -p $(dir $(EFI_IMAGE)))

$(EFI_IMAGE): $(EFI_LOADER) $(BUILD)/vidport.elf $(INITRD) $(EFI_IMAGE).kargs
	rm -f $@.new
	truncate -s 8M $@.new
	mformat -i $@.new -v VIDPORT ::
	mmd -i $@.new ::/EFI ::/EFI/BOOT
	strip -o $@.kernel $(BUILD)/vidport.elf
	mcopy -i $@.new $(EFI_LOADER) ::/EFI/BOOT/BOOTX64.EFI
	mcopy -i $@.new $@.kernel ::/EFI/BOOT/vidport.elf
	mcopy -i $@.new $(INITRD) ::/EFI/BOOT/initrd.img
	mcopy -i $@.new $(EFI_IMAGE).kargs ::/EFI/BOOT/cmdline.txt
	rm -f $@.kernel
	mv $@.new $@

efi-image: $(EFI_IMAGE)

# Running it. The serial console and the QEMU monitor share the terminal:
# Ctrl-C ends QEMU, Ctrl-A c switches to the monitor (type quit there).
# VGA=std or cirrus picks the display adapter, SMP=N the CPUs (1 to 8). The
# machine (emulator and firmware, board, memory, CPUs, no NIC, CD first,
# isa-debug-exit, debugcon, the medium, the adapter) is the one the test harness and the benchmark boot:
# tools/qemu_machine.py prints it. Where that script refuses, $(shell)
# leaves no machine, so make stops rather than start QEMU without one.
VGA ?= std
SMP ?= 1
qemu_machine = $(shell $(PYTHON) tools/qemu_machine.py --firmware $(1) --vga $(VGA) \
	--smp $(SMP) --debugcon $(BUILD)/debugcon.log $(2))$(if $(filter 0,$(.SHELLSTATUS)),,$(error \
	tools/qemu_machine.py has no machine for firmware $(1), VGA=$(VGA) and SMP=$(SMP)))
QEMU_DISPLAY := $(if $(DISPLAY)$(WAYLAND_DISPLAY),,-display none)
QEMU_CONSOLE := -chardev stdio,id=console,mux=on,signal=on -serial chardev:console \
	-mon chardev=console
QEMU_RUN     := tools/qemu-status.sh

# run-cirrus is run with VGA=cirrus, the Cirrus GD5446: GRUB's cirrus
# driver sets the mode, the cirrus miniport drives it banked through the
# two-window dual-page mode.
run-cirrus: override VGA := cirrus
run run-cirrus: $(ISO)
	$(QEMU_RUN) $(call qemu_machine,bios,$(ISO)) $(QEMU_DISPLAY) $(QEMU_CONSOLE)

# The same ISO booted with the banked modes current (video=banked).
run-banked:
	$(MAKE) run KARGS='video=banked $(KARGS)'

run-uefi: $(ISO)
	$(QEMU_RUN) $(call qemu_machine,uefi,$(ISO)) $(QEMU_DISPLAY) $(QEMU_CONSOLE)

# UEFI straight to the kernel: OVMF starts the loader from the FAT image.
run-efi-direct: $(EFI_IMAGE)
	$(QEMU_RUN) $(call qemu_machine,efi,$(EFI_IMAGE)) $(QEMU_DISPLAY) $(QEMU_CONSOLE)

# Bochs, the second emulator: its own BIOS and VGABIOS, serial console on
# this terminal (tests/harness/bochs.py writes the bochsrc).
run-bochs: $(ISO)
	$(PYTHON) tests/harness/bochs.py $(ISO) --vga $(VGA)

debug: $(ISO)
	@echo 'QEMU is waiting for gdb. In another terminal run:'
	@echo '  gdb -q $(BUILD)/vidport.elf -ex "target remote localhost:1234"'
	$(QEMU_RUN) $(call qemu_machine,bios,$(ISO)) $(QEMU_DISPLAY) $(QEMU_CONSOLE) -s -S

# The mode tables: the port's help and each miniport's pure mode file,
# built for the host too (host tests, fuzz targets).
MODE_UNITS := drivers/videoport/vp_modes.c $(wildcard drivers/miniports/*_modes.c)

# Host unit tests: pure kernel code built for the host with cmocka, under
# AddressSanitizer and UBSan. Kernel units come from a library so each test
# links only what it uses.
HOST_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -I. \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
HOST_UNITS  := kernel/format.c kernel/cmdline.c kernel/fbcon.c kernel/ksyms.c kernel/initrd.c \
	boot/bootinfo.c boot/acpi.c mm/frame_pool.c mm/frame_boot.c mm/region.c \
	boot/efi/kernel_image.c boot/efi/memory_map.c boot/efi/mbi.c boot/efi/boot_video.c \
	boot/efi/config_table.c $(MODE_UNITS)
HOST_LIB    := $(BUILD)/host/libkernel_units.a
HOST_TESTS  := $(patsubst tests/host/%.c,$(BUILD)/host/%,$(wildcard tests/host/test_*.c))

$(BUILD)/host/obj/%.o: %.c Makefile
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/host/obj/gen/font.o: $(BUILD)/gen/font.c Makefile
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -c $< -o $@

$(HOST_LIB): $(patsubst %.c,$(BUILD)/host/obj/%.o,$(HOST_UNITS)) $(BUILD)/host/obj/gen/font.o
	rm -f $@
	ar rcs $@ $^

$(BUILD)/host/test_%: $(BUILD)/host/obj/tests/host/test_%.o $(HOST_LIB)
	$(CC) $(HOST_CFLAGS) $^ -lcmocka -o $@

host-tests: $(HOST_TESTS)

test: $(ISO) host-tests fuzz-targets
	$(PYTHON) tests/run_tests.py --build $(BUILD) --font $(FONT)

# Fuzz targets (tests/fuzz/fuzz_NAME.c): the video port's request checks,
# the miniports' mode tables, the kernel's multiboot parser, the UEFI
# loader's reading of the firmware's memory map and the program loader's
# image checks, built for the host with libFuzzer, ASan and UBSan as 32-bit
# programs, so that types and structures have the kernel's sizes and
# layouts (the UEFI loader's are 64-bit, but hold no pointer-sized field
# the code under test reads). The kernel files under test come from one
# library.
# make fuzz runs each target for FUZZ_SECONDS from its seeds
# (tests/fuzz/corpus/NAME, plus what earlier runs found in build/fuzz/corpus/);
# crash inputs go to build/fuzz/. make test runs each one briefly.
FUZZ_CC      := clang
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS  := -m32 -std=c11 -g -O1 -Wall -Wextra -Werror -I. -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
FUZZ_UNITS   := drivers/videoport/vp_validate.c drivers/videoport/vp_requests.c $(MODE_UNITS) \
	boot/bootinfo.c boot/acpi.c boot/efi/memory_map.c boot/efi/mbi.c kernel/format.c kernel/elf_check.c
FUZZ_LIB     := $(BUILD)/fuzz/libkernel_units.a
FUZZ_BINS    := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))

$(BUILD)/fuzz/obj/%.o: %.c Makefile
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -MMD -MP -c $< -o $@

$(FUZZ_LIB): $(patsubst %.c,$(BUILD)/fuzz/obj/%.o,$(FUZZ_UNITS))
	rm -f $@
	ar rcs $@ $^

$(BUILD)/fuzz/fuzz_%: $(BUILD)/fuzz/obj/tests/fuzz/fuzz_%.o $(FUZZ_LIB)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined $^ -o $@

fuzz-targets: $(FUZZ_BINS)

fuzz: fuzz-targets
	$(PYTHON) tests/run_tests.py --build $(BUILD) --only fuzz --fuzz-seconds $(FUZZ_SECONDS)

# The benchmark: vpbench boots one at a time, boot timings, then the table
# (build/bench/results.{json,md}, ratios.png), also written into BENCHMARKS.md.
bench: $(ISO)
	$(PYTHON) tests/run_bench.py --build $(BUILD) --font $(FONT) --smp $(SMP) --publish BENCHMARKS.md

# The soak: vpfuzz for a million operations and vpstorm, linear and banked,
# one long boot at a time (build/soak/results.json and the serial logs).
soak: $(ISO)
	$(PYTHON) tests/run_soak.py --build $(BUILD)

# The kernel is 32-bit (unix32 gives cppcheck its type sizes). Structures
# that mirror hardware or file layouts name fields nobody reads, so
# unusedStructMember is noise here. The request fuzz target's stubs keep
# the kernel's signatures, pointers to writable objects included.
LINT_DIRS := boot kernel mm drivers user tests/kernel tests/host tests/user tests/header tests/fuzz
lint:
	cppcheck --quiet --error-exitcode=1 --std=c11 --platform=unix32 --inline-suppr \
		-I. -Iuser/include --enable=warning,style,performance,portability \
		--suppress=missingIncludeSystem --suppress=unusedStructMember \
		--suppress=constParameter:tests/fuzz/fuzz_request.c $(LINT_DIRS)

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
