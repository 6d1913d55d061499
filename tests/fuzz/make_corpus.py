#!/usr/bin/env python3
"""Write the fuzz targets' seed corpus: tests/fuzz/corpus/NAME/*.bin.

  tests/fuzz/make_corpus.py [--out DIR]

Each seed is one input in the layout its target reads (see the comment at
the top of tests/fuzz/fuzz_NAME.c): little-endian fields, read front to
back. Seeds named regress-* reproduce faults the targets found; the rest
start each target near the inputs the kernel sees, so that a short run
reaches every request and every miniport. The files are committed; run
this again after changing a target's input layout.
"""
import argparse
import os
import shutil
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'tools'))

import mkimages  # noqa: E402

# The request codes, by their position in VIDPORT_REQUEST_CODES (kernel/abi/video.h).
AVAIL_MODES, NUM_MODES, CURRENT_MODE, SET_MODE, RESET = 0, 1, 2, 3, 4
MAP, UNMAP, QUERY_PUBLIC, FREE_PUBLIC, SHARE, UNSHARE = 6, 7, 8, 9, 10, 11
QUERY_BANKING = 14
CURRENT_PROCESS = 0xFFFFFFFF  # NtCurrentProcess()
NO_ZERO_MEMORY = 0x80000000


def named(miniport, body):
    """A modes input: the miniport's name and a colon, then its bytes."""
    return miniport.encode() + b':' + body


def status(shape, win32, nt, information, out_len):
    return struct.pack('<BIIII', shape, win32, nt, information, out_len)


def share(shape, offset, size, limit, unit, bank=12, view_size=0, windows=(), separate=False):
    """windows: up to two (phys, size, access); a window's size is read only
    when shape lacks 0x80 (which makes windows a bank long, side by side
    with 0x40)."""
    out = struct.pack('<BIIII', shape, offset, size, limit, unit)
    out += struct.pack('<IBBI', bank, 0 if separate else 1, len(windows), view_size)
    for phys, window_size, access in (tuple(windows) + ((0, 0, 0),) * 2)[:2]:
        out += struct.pack('<Q', phys)
        out += b'' if shape & 0x80 else struct.pack('<I', window_size)
        out += struct.pack('<B', access)
    return out


def bga(vram_log2, width, height, bpp_choice, enabled, banked, requested, raw=0):
    """raw: 0x10 takes vram as bytes, 0x20 bpp as bits; otherwise powers and choices."""
    shape = 0x30 if raw else 0x00
    return named('bga', struct.pack('<BIHHHBI', shape, vram_log2, width, height, bpp_choice,
                                    enabled | banked << 1, requested))


def boot_fb(phys, pitch, width, height, bpp, rgb=True, red=(16, 8), green=(8, 8), blue=(0, 8)):
    return struct.pack('<QIIIBB6B', phys, pitch, width, height, bpp, 1 if rgb else 0,
                       *red, *green, *blue)


def cirrus(fb, vram_log2, requested, short_line=False):
    shape = 0x40 if short_line else 0x00  # 0x20 clear: the registers agree
    return named('cirrus', struct.pack('<B', shape) + fb + struct.pack('<II', 0, vram_log2)
                 + struct.pack('<BIII', 0, 0, 0, 0) + struct.pack('<I', requested))


def bootfb(fb, requested, raw_phys=False):
    shape = 0x40 | (0x20 if raw_phys else 0)  # 0x40: the loader reported one
    return named('bootfb', struct.pack('<B', shape) + fb + struct.pack('<I', requested))


def vbe_mode(bpp, width, height, lfb, granularity=64, attributes=0x9B):
    """The first 44 bytes of a 4F01 answer, as SeaVGABIOS gives them."""
    fields = {8: (0, 0, 0, 0, 0, 0), 15: (5, 10, 5, 5, 5, 0), 16: (5, 11, 6, 5, 5, 0)}
    masks = fields.get(bpp, (8, 16, 8, 8, 8, 0))
    stride = width * ((bpp + 7) // 8)
    return (struct.pack('<HBBHHHHIHHHBBBBBBBBB', attributes, 7, 0, granularity, 64, 0xA000, 0, 0,
                        stride, width, height, 8, 16, 1, bpp, 1, 4 if bpp == 8 else 6, 0, 0, 1)
            + struct.pack('<6B3B', *masks, 0, 0, 0) + struct.pack('<I', lfb))


def vbe(vram, bar, modes, requested):
    """vbe's table from `modes`, (number, 4F01 bytes) each, raw values
    (shape 0x30), the display BAR at `bar` the size of video memory."""
    out = struct.pack('<BIII', 0x30, vram, bar, vram) + bytes([len(modes)])
    for number, info in modes:
        out += struct.pack('<H', number) + info
    return named('vbe', out + struct.pack('<I', requested))


def acpi(cpus):
    """A BIOS area (from 0xE0000) with an RSDP at +0x10, its RSDT at +0x80
    and a MADT of `cpus` local APICs at +0x100, and the RSDP's offset first."""
    area = bytearray(0x1200)
    base = 0xE0000

    def table(at, signature, body):
        area[at:at + 36 + len(body)] = signature + struct.pack('<I', 36 + len(body)) + bytes(28) + body
        area[at + 9] = -sum(area[at:at + 36 + len(body)]) & 0xFF

    entries = b''.join(bytes([0, 8, i, i, 1, 0, 0, 0]) for i in range(cpus))
    table(0x100, b'APIC', struct.pack('<II', 0xFEE00000, 1) + entries)
    table(0x80, b'RSDT', struct.pack('<I', base + 0x100))
    area[0x10:0x24] = b'RSD PTR ' + bytes(8) + struct.pack('<I', base + 0x80)
    area[0x18] = -sum(area[0x10:0x24]) & 0xFF
    return struct.pack('<H', 0x10) + bytes(area)


def adapter(banked=False, bank=0x10000, shareable=0x1DF0000, modes=18, ports=(0x1CE, 0x1CF),
            two_windows=False):
    """An adapter shaped like bga's 800x600x32 (banked: its banked twin;
    two_windows: Cirrus's dual page, two read-write windows side by side)."""
    shape = 0x04 | (0x01 if banked else 0) | 0x02  # aligned limit, raw bank length
    out = struct.pack('<BB', shape, modes - 1)
    for i in range(modes):
        out += struct.pack('<HHBHHB', 640 + 16 * i, 480, i % 3, 3200, 5000, 1 if banked else 0)
    out += struct.pack('<IIIIB', 0xFD000000, 800 * 600 * 4, 0x1DF0000, shareable, 0x08)
    if banked:  # bank, ReadWriteBank, windows, their address, style (see take_banking)
        out += struct.pack('<IBBIB', bank, 0 if two_windows else 1, 2 if two_windows else 1,
                           0xA0000, 1 if two_windows else 0)
    out += struct.pack('<B', len(ports)) + b''.join(struct.pack('<H', p) for p in ports)
    return out + struct.pack('<B', 1)


def request(adapter_bytes, code, in_bytes, out_len, answer=0, configure=1, va=0x40000000,
            in_len=None):
    in_len = len(in_bytes) if in_len is None else in_len
    return adapter_bytes + struct.pack('<BBIIHHB', answer, configure, va, code, in_len,
                                       out_len, 0x5A) + in_bytes


def share_in(offset, size, process=CURRENT_PROCESS, requested=0):
    return struct.pack('<IIII', process, offset, size, requested)


# Multiboot information flags (boot/multiboot.h).
MB_MEMORY, MB_CMDLINE, MB_MODS, MB_MMAP, MB_LOADER, MB_FB = 1, 1 << 2, 1 << 3, 1 << 6, 1 << 9, 1 << 12
MEMORY_BASE = 0x10000  # where fuzz_bootinfo puts memory unless told otherwise


def mbi(flags, cmdline=0, mods=(0, 0), mmap=(0, 0), loader=0, fb=None):
    """The 120-byte multiboot information structure at GRUB's offsets;
    mods and mmap are (count or length, address); fb is (address, pitch,
    width, height, bpp)."""
    out = struct.pack('<7I', flags, 639, 130048, 0, cmdline, *mods) + bytes(16)
    out += struct.pack('<9I', *mmap, 0, 0, 0, loader, 0, 0, 0) + struct.pack('<4H', 0, 0, 0, 0)
    phys, pitch, width, height, bpp = fb or (0, 0, 0, 0, 0)
    return out + struct.pack('<QIIIBBxx6Bxx', phys, pitch, width, height, bpp, 1,
                              16, 8, 8, 8, 0, 8)


def mmap_entry(base, length, kind, size=20):
    return struct.pack('<IQQI', size, base, length, kind)


def boot_memory(structure, parts, shape=0, base=MEMORY_BASE, offset=0):
    """fuzz_bootinfo's input: the structure at memory's start and each
    (offset, bytes) of parts where it says."""
    memory = bytearray(structure)
    for at, data in parts:
        memory.extend(bytes(max(0, at + len(data) - len(memory))))
        memory[at:at + len(data)] = data
    return struct.pack('<BII', shape, base, offset) + bytes(memory)


def phys(offset):
    return MEMORY_BASE + offset


def bootinfo_seeds():
    pc_map = b''.join(mmap_entry(*e) for e in ((0, 0x9FC00, 1), (0x9FC00, 0x400, 2),
                                               (0xF0000, 0x10000, 2), (0x100000, 0x7EE0000, 1),
                                               (0x7FE0000, 0x20000, 2), (0xFFFC0000, 0x40000, 2)))
    grub = mbi(MB_MEMORY | MB_CMDLINE | MB_MODS | MB_MMAP | MB_LOADER | MB_FB, phys(128),
               (1, phys(192)), (len(pc_map), phys(256)), phys(160),
               (0xFD000000, 3200, 800, 600, 32))
    grub_parts = [(128, b'selftest video=banked\0'), (160, b'GRUB 2.06\0'),
                  (192, struct.pack('<4I', 0x200000, 0x210000, phys(224), 0)), (224, b'initrd\0'),
                  (256, pc_map)]
    one_range = mmap_entry(0x100000, 0x100000, 1)
    mods = struct.pack('<4I', 0x201000, 0x200000, 0, 0) + struct.pack('<4I', 0x202000, 0x203000, 0, 0)
    return {
        'grub': boot_memory(grub, grub_parts),
        'unaligned-structure': boot_memory(bytes(1) + grub, [(p + 1, d) for p, d in grub_parts],
                                           offset=1),
        'long-cmdline': boot_memory(mbi(MB_CMDLINE, phys(128)), [(128, b'run=' + b'x' * 4200 + b'\0')]),
        'regress-partial-map-entry': boot_memory(mbi(MB_MMAP, mmap=(36, phys(128))),
                                                 [(128, one_range + one_range[:12])]),
        'regress-map-entry-size-zero': boot_memory(mbi(MB_MMAP, mmap=(28, phys(128))),
                                                   [(128, bytes(4) + one_range)]),
        'regress-map-entry-size-wraps': boot_memory(
            mbi(MB_MMAP, mmap=(48, phys(128))),
            [(128, mmap_entry(0x100000, 0x100000, 1, size=0xFFFFFFFC) + one_range)]),
        'regress-map-past-memory': boot_memory(mbi(MB_MMAP, mmap=(0x10000, phys(128))),
                                               [(128, one_range * 2)]),
        'regress-module-count-past-list': boot_memory(mbi(MB_MODS, mods=(1000, phys(128))),
                                                      [(128, mods)]),
        'regress-module-ends-before-start': boot_memory(mbi(MB_MODS, mods=(2, phys(128))),
                                                        [(128, mods)]),
        'regress-framebuffer-wraps': boot_memory(
            mbi(MB_FB, fb=(0xFFFFFFFFFFFFF000, 0x1000, 1024, 2, 32)), []),
    }


def efi_descriptor(kind, base, pages, size=48):
    """EFI_MEMORY_DESCRIPTOR (40 bytes) padded or cut to `size`."""
    out = struct.pack('<IIQQQQ', kind, 0, base, 0xDEAD000000000000 | base, pages, 0xF)
    return (out + bytes(max(0, size - len(out))))[:size]


def efi_map(descriptors, how=0, a=0, b=0, size=None):
    """fuzz_efi_map's input: descriptors of 48 bytes (or `size`, read from
    the input), the range asked about placed `how` (see the target)."""
    shape = (how << 2) | (1 if size is None else 3)
    head = struct.pack('<B', shape) + (b'' if size is None else struct.pack('<B', size))
    return head + struct.pack('<QQ', a, b) + b''.join(descriptors)


def efi_map_seeds():
    CONVENTIONAL, LOADER, BOOT_DATA, RESERVED, NVS = 7, 1, 4, 0, 10
    ovmf = [efi_descriptor(BOOT_DATA, 0, 0x9F), efi_descriptor(RESERVED, 0x9F000, 0x61),
            efi_descriptor(CONVENTIONAL, 0x100000, 0x700), efi_descriptor(NVS, 0x800000, 0x10),
            efi_descriptor(LOADER, 0x810000, 0xF0), efi_descriptor(CONVENTIONAL, 0x900000, 0x7000)]
    to_2_64 = (1 << 64) - 0x1000 >> 12  # pages from 0x1000 to 2^64 exactly
    return {
        'ovmf': efi_map(ovmf, how=3, a=2),
        'ovmf-busy-kernel-range': efi_map(ovmf, how=1, a=3, b=0x1000 | 0x200000 << 16),
        'duplicate-address': efi_map(ovmf + [efi_descriptor(RESERVED, 0x100000, 0x10)], how=3),
        'regress-claim-inside-free': efi_map([efi_descriptor(CONVENTIONAL, 0x100000, 0x100),
                                              efi_descriptor(NVS, 0x150000, 0x10)], how=3),
        'regress-descriptor-end-wraps': efi_map([efi_descriptor(CONVENTIONAL, 0x1000, to_2_64),
                                                 efi_descriptor(CONVENTIONAL, 0, 2)], a=0, b=0x10000),
        'regress-descriptor-size-small': efi_map([efi_descriptor(CONVENTIONAL, 0x100000, 1, 32)] * 3,
                                                 size=32, a=0x100000, b=0x101000),
        'regress-descriptor-size-misaligned': efi_map(
            [efi_descriptor(CONVENTIONAL, 0x100000, 1, 44)] * 3, size=44, a=0x100000, b=0x101000),
    }


def image_seeds():
    """The loader's crafted images (tools/mkimages.py), the 2 MiB one of
    65535 segments cut to its first page: a header claiming a table the
    file does not hold (image-65-headers reaches the header bound with
    a whole one)."""
    out = {name: data for name, (data, _) in mkimages.valid_images().items()}
    out.update(mkimages.refused_images())
    large = mkimages.large_images()['image-65535-segments']
    out['image-65535-segments-first-page'] = large[:0x1000]
    return out


def seeds():
    """{target: {name: bytes}}"""
    linear, banked = adapter(), adapter(banked=True)
    dual = adapter(banked=True, bank=0x8000, two_windows=True)
    frame = 800 * 600 * 4
    return {
        'acpi': {'seabios-two-cpus': acpi(2), 'seabios-four-cpus': acpi(4)},
        'bootinfo': bootinfo_seeds(),
        'efi_map': efi_map_seeds(),
        'status': {
            'success': status(0, 0, 0, 12, 12),
            'more-data': status(0, 7, 7, 100, 16),
            'unknown': status(3, 12345, 0x12345678, 8, 4),
            'insufficient': status(0, 6, 6, 80, 40),
        },
        'share': {
            'frame': share(0x06, 0, frame, 0x1DF0000, 12),
            'bank-frame': share(0x26, 0x10000, frame, 0x1DF0000, 16, 16, 0x10000,
                                ((0xA0000, 0x10000, 3),)),
            'two-windows': share(0xE6, 0x10000, frame, 0x1DF0000, 15, 15, 0x10000,
                                 ((0xA0000, 0, 3), (0, 0, 3)), separate=True),
            'read-and-write-window': share(0xA6, 0, 0x3000, 0x1DF0000, 16, 16, 0x3000,
                                           ((0xA0000, 0, 1), (0, 0, 2)), separate=True),
            'past-limit': share(0x06, 0x1DE0000, 0x20000, 0x1DF0000, 12),
            'size-zero': share(0x06, 0, 0, 0x1DF0000, 12),
            'regress-share-zero-unit': share(0x01, 0, 1, 0x1000, 0),
            'regress-share-unaligned-limit': share(0x00, 0, 0x1001, 0x1001, 12),
            'regress-bank-window-wrap': share(0x18, 0, 1, 1, 0, 12, 0x1000,
                                              ((0xFFFFFFFFFFFFF000, 0x1000, 3),)),
            'regress-window-pair-rw-and-none': share(0xA6, 0, 0x1000, 0x1DF0000, 12, 12, 0x1000,
                                                     ((0xA0000, 0, 3), (0, 0, 0)),
                                                     separate=True),
        },
        'modes': {
            'bga-16mib': bga(24, 800, 600, 6, 1, 0, 5),
            'bga-banked-boot': bga(24, 1280, 1024, 6, 1, 1, 9 | NO_ZERO_MEMORY),
            'bga-disabled': bga(24, 0, 0, 0, 0, 0, 40),
            'cirrus-800x600x32': cirrus(boot_fb(0xFC000000, 3200, 800, 600, 32), 22, 1, True),
            'cirrus-640x480x8': cirrus(boot_fb(0xFC000000, 640, 640, 480, 8, rgb=False), 21, 0),
            'bootfb-gop': bootfb(boot_fb(0x80000000, 3200, 800, 600, 32), 0),
            'regress-bga-small-vram': bga(21, 800, 600, 6, 1, 0, 0),
            'regress-bga-boot-overflow': bga(0x01000000, 0xFFFF, 0x4001, 32, 1, 0, 0, raw=1),
            'regress-cirrus-zero-stride': cirrus(boot_fb(0, 0, 0, 1, 8), 22, 0),
            'regress-cirrus-unshareable-frame': cirrus(boot_fb(0, 3000, 1000, 688, 24), 21, 0),
            'regress-bootfb-phys-wrap': bootfb(boot_fb(0xFFFFFFFFFFFFF000, 0x1000, 1, 2, 32), 0,
                                               raw_phys=True),
            'regress-bootfb-mask-shift': bootfb(boot_fb(0x1000, 4, 1, 1, 32, red=(0, 40)), 0),
            'regress-bootfb-short-pitch': bootfb(boot_fb(0x1000, 1, 100, 1, 32), 0),
            'regress-bootfb-4gib-frame': bootfb(boot_fb(0, 0x10000, 1, 0x10000, 8), 0),
            'vbe-seavgabios': vbe(16 << 20, 0xFD000000, [
                (0x101, vbe_mode(8, 640, 480, 0xFD000000)),
                (0x110, vbe_mode(15, 640, 480, 0xFD000000)),
                (0x111, vbe_mode(16, 640, 480, 0xFD000000)),
                (0x112, vbe_mode(24, 640, 480, 0xFD000000)),
                (0x115, vbe_mode(32, 800, 600, 0xFD000000)),
                (0x144, vbe_mode(32, 800, 600, 0xFD000000)),
                (0x118, vbe_mode(32, 1024, 768, 0xFD000000))], 3),
            'vbe-granularity-change': vbe(16 << 20, 0xC0000000, [
                (0x101, vbe_mode(8, 640, 480, 0xC0000000)),
                (0x114, vbe_mode(16, 800, 600, 0xC0000000)),
                (0x118, vbe_mode(32, 1024, 768, 0xC0000000, granularity=4))], 3),
        },
        'image': image_seeds(),
        'request': {
            'num-modes': request(linear, NUM_MODES, b'', 8),
            'avail-modes': request(linear, AVAIL_MODES, b'', 18 * 80),
            'current-mode': request(linear, CURRENT_MODE, b'', 80),
            'set-mode': request(linear, SET_MODE, struct.pack('<I', 4 | NO_ZERO_MEMORY), 0),
            'reset': request(linear, RESET, b'', 0),
            'map': request(linear, MAP, struct.pack('<I', 0), 16),
            'map-banked': request(banked, MAP, struct.pack('<I', 0), 16),
            'unmap': request(linear, UNMAP, struct.pack('<I', 0xF0000000), 0),
            'share-frame': request(linear, SHARE, share_in(0, frame), 12),
            'share-banked': request(banked, SHARE, share_in(0x10000, frame), 12),
            'share-past-limit': request(linear, SHARE, share_in(0x1DE0000, 0x20000), 12),
            'share-short-output': request(linear, SHARE, share_in(0, frame), 8),
            'share-refused-below': request(linear, SHARE, share_in(0, frame), 12, answer=2),
            'unshare': request(linear, UNSHARE, share_in(0, 0, requested=0x40000000), 0),
            'banking': request(banked, QUERY_BANKING, b'', 40),
            'share-two-windows': request(dual, SHARE, share_in(0x8000, frame), 12),
            'public-ranges': request(linear, QUERY_PUBLIC, b'', 24),
            'free-ranges': request(linear, FREE_PUBLIC, struct.pack('<II', 0x1CE, 0x1CF), 0),
            'free-unknown-range': request(linear, FREE_PUBLIC, struct.pack('<I', 0x3C0), 0),
        },
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', default=os.path.join(HERE, 'corpus'))
    args = parser.parse_args()
    for target, files in seeds().items():
        folder = os.path.join(args.out, target)
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        for name, data in files.items():
            with open(os.path.join(folder, name + '.bin'), 'wb') as f:
                f.write(data)
        print(f'{folder}: {len(files)} seeds')


if __name__ == '__main__':
    main()
