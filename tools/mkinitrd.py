#!/usr/bin/env python3
"""Pack programs into the boot archive (format: kernel/initrd.h).

  mkinitrd.py OUT FILE...     each FILE is stored under its base name

names(path) reads an archive's names back, in its order (for the tests).
"""
import os
import struct
import sys

MAGIC = b'VPINITRD'
NAME_MAX = 32


def pack(paths):
    header_size = 12 + (NAME_MAX + 8) * len(paths)
    entries, blobs, offset = [], [], header_size
    for path in paths:
        name = os.path.basename(path).encode()
        if len(name) >= NAME_MAX:
            sys.exit(f'mkinitrd: name too long: {name!r}')
        with open(path, 'rb') as f:
            data = f.read()
        entries.append(struct.pack('<32sII', name, offset, len(data)))
        blobs.append(data)
        offset += len(data)
    return MAGIC + struct.pack('<I', len(paths)) + b''.join(entries) + b''.join(blobs)


def names(path):
    """The names of the files in archive `path`, in the order it holds them."""
    with open(path, 'rb') as f:
        data = f.read()
    count, = struct.unpack_from('<I', data, len(MAGIC))
    entry = struct.Struct('<32sII')
    return [entry.unpack_from(data, len(MAGIC) + 4 + i * entry.size)[0].rstrip(b'\0').decode()
            for i in range(count)]


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    with open(argv[1], 'wb') as out:
        out.write(pack(sorted(argv[2:], key=os.path.basename)))


if __name__ == '__main__':
    main(sys.argv)
