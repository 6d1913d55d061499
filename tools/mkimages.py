#!/usr/bin/env python3
"""Write the crafted program images the loader's tests spawn (tests/user/vpexec).

  mkimages.py OUTDIR          one file per image, named as the test spawns it
  mkimages.py --large OUTDIR  only the large ones, which the Makefile packs
                              into a second archive (INITRD_LARGE)

Each image is an i386 ELF executable built byte by byte, most of them
malformed in one way that kernel/elf_check.c must refuse. Those that are
valid run a few instructions: store a word into each page the test names,
then exit with the status the test expects, so that a spawn that
succeeds shows the image was mapped as laid out. The fuzz target's seeds
(tests/fuzz/make_corpus.py) are these images too.
"""
import os
import shutil
import struct
import sys
from dataclasses import dataclass

# The address space, as mm/mm.h and kernel/exec.h lay it out.
PAGE = 4096
USER_BASE = 0x1000
USER_END = 0xC0000000                  # the top of the stack
STACK_BOTTOM = USER_END - 256 * 1024   # USER_STACK_SIZE
IMAGE_LIMIT = STACK_BOTTOM - (1 << 20)  # USER_STACK_GAP below the stack
CODE_BASE = 0x08048000
MAX_LOADS, MAX_PHDRS = 16, 64           # kernel/elf_check.h

HEADER = struct.Struct('<I12sHHIIIIIHHHHHH')  # struct elf_header
PHDR = struct.Struct('<8I')                   # struct elf_phdr
PT_LOAD, PT_NOTE = 1, 4
PF_RX, PF_RW = 5, 6
SYS_EXIT = 1
# How many times the filler images' names repeat: enough that the names in
# the archive fill more than the shell's first 1 KiB buffer for `ls`.
LISTING_FILLERS = 24


@dataclass
class Segment:
    """One program header; data goes into the file at `offset` (placed
    after the headers when None), filesz defaults to its length."""
    vaddr: int
    memsz: int = PAGE
    flags: int = PF_RW
    data: bytes = b''
    type: int = PT_LOAD
    offset: int = None
    filesz: int = None


def exit_code(status, touch=()):
    """i386 code: `mov dword [a], 1` for each address a, then exit(status)."""
    stores = b''.join(b'\xc7\x05' + struct.pack('<II', a, 1) for a in touch)
    return (stores + b'\xb8' + struct.pack('<I', SYS_EXIT) + b'\xbb' + struct.pack('<I', status)
            + b'\xcd\x80')


def code(status, touch=()):
    """The first segment of a valid image: its code at CODE_BASE."""
    return Segment(CODE_BASE, flags=PF_RX, data=exit_code(status, touch))


def elf(segments, phoff=HEADER.size, phnum=None, **fields):
    """The file: header, then the program headers at phoff, then each
    segment's data. fields override the header's (magic, ident, type,
    machine, entry, phentsize); phnum may claim more headers than written."""
    table = phoff + PHDR.size * len(segments)
    offsets, blob = [], b''
    for s in segments:
        offsets.append(table + len(blob) if s.offset is None else s.offset)
        blob += s.data
    header = dict(magic=0x464C457F, ident=bytes([1, 1, 1]) + bytes(9), type=2, machine=3,
                  entry=segments[0].vaddr if segments else 0, phentsize=PHDR.size)
    header.update(fields)
    out = bytearray(HEADER.pack(header['magic'], header['ident'], header['type'],
                                header['machine'], 1, header['entry'], phoff, 0, 0, HEADER.size,
                                header['phentsize'], len(segments) if phnum is None else phnum,
                                0, 0, 0))
    out += bytes(phoff - len(out))
    for s, offset in zip(segments, offsets):
        filesz = len(s.data) if s.filesz is None else s.filesz
        out += PHDR.pack(s.type, offset, s.vaddr, s.vaddr, filesz, s.memsz, s.flags, 16)
    return bytes(out + blob)


def with_phoff(image, phoff):
    """image with its header's phoff field (at byte 28) set to phoff."""
    return image[:28] + struct.pack('<I', phoff) + image[32:]


def pages(first, count):
    """count one-page data segments from address first on."""
    return [Segment(first + i * PAGE) for i in range(count)]


def many_segments(count, status):
    """An image of count one-page segments: code, then data pages after it,
    the last of which the code writes."""
    data = pages(CODE_BASE + PAGE, count - 1)
    return elf([code(status, [data[-1].vaddr])] + data)


def valid_images():
    """Images the loader must run, with the status each exits with."""
    notes = [Segment(0, 0, 0, type=PT_NOTE) for _ in range(MAX_PHDRS - 1)]
    return {
        'image-16-segments': (many_segments(MAX_LOADS, 16), 16),
        'image-64-headers': (elf([code(64)] + notes), 64),
        'image-unaligned-headers': (elf([code(3), Segment(CODE_BASE + PAGE)], phoff=53), 3),
    }


def refused_images():
    """Images the loader must refuse with VP_EINVAL, one fault each."""
    c = code(0)
    at = CODE_BASE + PAGE
    notes = [Segment(0, 0, 0, type=PT_NOTE) for _ in range(MAX_PHDRS)]
    return {
        'image-17-segments': many_segments(MAX_LOADS + 1, 17),
        'image-65-headers': elf([c] + notes),
        'image-segment-over-the-stack': elf([c, Segment(USER_END - 2 * PAGE)]),
        'image-segment-in-the-stack-gap': elf([c, Segment(STACK_BOTTOM - 16 * PAGE)]),
        'image-segment-in-the-kernel': elf([c, Segment(0xC0100000)]),
        'image-segment-at-address-0': elf([c, Segment(0)]),
        'image-segment-wraps-4-gib': elf([c, Segment(at, memsz=0x100000000 - at + PAGE)]),
        'image-segments-overlap': elf([c, Segment(at, 3 * PAGE), Segment(at + PAGE)]),
        'image-segments-share-a-page': elf([c, Segment(at, 16), Segment(at + 2048, 16)]),
        'image-file-bytes-past-the-end': elf([c, Segment(at, offset=0x10, filesz=PAGE)]),
        'image-more-file-than-memory': elf([c, Segment(at, memsz=8, filesz=16, offset=0)]),
        'image-headers-past-the-end': elf([c], phnum=3),
        'image-header-offset-past-end': with_phoff(elf([c]), 0x10000),
        'image-nothing-to-load': elf([Segment(CODE_BASE, memsz=0)] + notes[:2]),
        'image-not-elf': elf([c], magic=0x464C457E),
        'image-64-bit': elf([c], ident=bytes([2, 1, 1]) + bytes(9)),
        'image-big-endian': elf([c], ident=bytes([1, 2, 1]) + bytes(9)),
        'image-not-executable': elf([c], type=3),
        'image-not-i386': elf([c], machine=62),
        'image-wrong-header-size': elf([c], phentsize=PHDR.size + 4),
        'image-truncated-header': elf([c])[:HEADER.size - 1],
    }


def large_images():
    """Refused images too large for the everyday archive: 65535 headers
    take 2 MiB of the file, which GRUB would read at every boot."""
    return {'image-65535-segments': many_segments(65535, 255)}


def listing_fillers():
    """Small valid images whose names alone take more than the shell's
    first buffer for `ls` (the shell test lists them all)."""
    image = elf([code(0)])
    return {f'listing-filler-{i:02}-of-{LISTING_FILLERS}': image for i in range(LISTING_FILLERS)}


def images():
    """{name: bytes}: every image the everyday archive gets."""
    out = {name: data for name, (data, _) in valid_images().items()}
    out.update(refused_images())
    out.update(listing_fillers())
    return out


def main(argv):
    large = argv[1:2] == ['--large']
    if len(argv) != 2 + large:
        sys.exit(__doc__)
    folder = argv[-1]
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    for name, data in (large_images() if large else images()).items():
        with open(os.path.join(folder, name), 'wb') as f:
            f.write(data)


if __name__ == '__main__':
    main(sys.argv)
