#!/usr/bin/env python3
"""The QEMU machine vidport boots on: the one definition that the Makefile's
run targets, the test harness (tests/harness/qemu.py) and the benchmark use.

  qemu_machine.py --firmware bios|uefi|efi --vga std|cirrus [--smp N] --debugcon PATH MEDIUM

prints the command, quoted for the shell, for the Makefile to run. Where
the console goes (the terminal with the monitor, or the harness's sockets
and QMP) and whether there is a display are left to the caller, which
appends its own options.

Firmware: 'bios' (SeaBIOS) and 'uefi' (OVMF) boot MEDIUM as a CD (an ISO
through GRUB); 'efi' has OVMF start vidport's own UEFI loader from MEDIUM
as a raw FAT disk. --smp gives the machine N CPUs (1 to 8; 1 by default).
"""
import argparse
import shlex

FIRMWARES = ('bios', 'uefi', 'efi')
# The display adapters a run may have (QEMU's -vga): the Bochs/QEMU standard
# VGA, or the Cirrus GD5446 for its two-window banking.
VGA_MODELS = ('std', 'cirrus')
# How many CPUs a machine may have (QEMU's -smp): up to 8, as far as
# vidport's machine has been tried under QEMU's TCG.
SMP_RANGE = range(1, 9)
OVMF = '/usr/share/ovmf/OVMF.fd'
# OVMF is 64-bit firmware, so the UEFI boots need the x86-64 emulator;
# the kernel itself is 32-bit either way.
EMULATORS = {
    'bios': ['qemu-system-i386'],
    'uefi': ['qemu-system-x86_64', '-bios', OVMF],
    'efi': ['qemu-system-x86_64', '-bios', OVMF],
}


def check(firmware, vga, smp=1):
    """Raise ValueError unless `firmware`, `vga` and `smp` (the CPU count)
    name a machine this module builds."""
    if firmware not in FIRMWARES:
        raise ValueError(f"firmware must be one of {', '.join(FIRMWARES)}, not {firmware!r}")
    if vga not in VGA_MODELS:
        raise ValueError(f"vga must be one of {', '.join(VGA_MODELS)}, not {vga!r}")
    if type(smp) is not int or smp not in SMP_RANGE:
        raise ValueError(f'smp must be a whole number from {SMP_RANGE[0]} to {SMP_RANGE[-1]}, '
                         f'not {smp!r}')


def command(firmware, medium, vga, debugcon, smp=1):
    """QEMU's argv for booting `medium` (an ISO, or the UEFI loader's disk for
    'efi') on `vga` with `smp` CPUs, port 0xE9 written to the file `debugcon`."""
    check(firmware, vga, smp)
    if firmware == 'efi':
        medium_args = ['-drive', f'file={medium},format=raw,if=ide']
    else:
        medium_args = ['-cdrom', medium]
    # No NIC (vidport has no network driver; QEMU's default one brings an
    # option ROM that SeaBIOS and OVMF spend time on), and the CD-ROM first,
    # so SeaBIOS does not try the hard disk and the floppy before it. The
    # kernel ends a run through isa-debug-exit; -no-reboot makes a triple
    # fault end it too.
    return EMULATORS[firmware] + [
        '-M', 'pc', '-m', '128', '-smp', str(smp),
        '-nic', 'none', '-boot', 'order=d',
        '-no-reboot',
        '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04',
        '-debugcon', f'file:{debugcon}',
    ] + medium_args + ['-vga', vga]


def main():
    parser = argparse.ArgumentParser(description='Print the QEMU command line for one boot.')
    parser.add_argument('--firmware', choices=FIRMWARES, required=True)
    parser.add_argument('--vga', choices=VGA_MODELS, required=True)
    parser.add_argument('--smp', type=int, choices=SMP_RANGE, default=1, metavar='N',
                        help=f'CPUs, {SMP_RANGE[0]} to {SMP_RANGE[-1]} (default 1)')
    parser.add_argument('--debugcon', required=True, help='file for what the guest writes to port 0xE9')
    parser.add_argument('medium', help="the ISO, or for 'efi' the UEFI loader's disk image")
    args = parser.parse_args()
    print(shlex.join(command(args.firmware, args.medium, args.vga, args.debugcon, args.smp)))


if __name__ == '__main__':
    main()
