"""Broken variants of the UEFI loader's disk, to see the loader refuse them.

    disk = efidisk.variant(base_disk, 'build/test-efi/x.img', kernel_bytes)

copies the disk `make efi-image` built and replaces its \\EFI\\BOOT\\vidport.elf
with kernel_bytes (or removes it when they are None), using mtools.
"""
import os
import shutil
import struct
import subprocess
import tempfile

KERNEL_PATH = '::/EFI/BOOT/vidport.elf'
_PHDR = struct.Struct('<8I')  # type, offset, vaddr, paddr, filesz, memsz, flags, align
_PT_LOAD = 1


def variant(base, path, kernel):
    """Copy disk `base` to `path` with `kernel` (bytes, or None: no file) as its kernel."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    shutil.copyfile(base, path)
    subprocess.run(['mdel', '-i', path, KERNEL_PATH], check=True)
    if kernel is None:
        return path
    with tempfile.NamedTemporaryFile(suffix='.elf') as f:
        f.write(kernel)
        f.flush()
        subprocess.run(['mcopy', '-i', path, f.name, KERNEL_PATH], check=True)
    return path


def _program_headers(elf):
    """(file offset, fields) of each program header of a 32-bit ELF file."""
    phoff, = struct.unpack_from('<I', elf, 28)
    phentsize, phnum = struct.unpack_from('<HH', elf, 42)
    for i in range(phnum):
        at = phoff + i * phentsize
        yield at, list(_PHDR.unpack_from(elf, at))


def moved(elf, delta):
    """The 32-bit ELF file `elf` with every loadable segment's physical
    (load) address moved by `delta` bytes."""
    data = bytearray(elf)
    for at, fields in _program_headers(elf):
        if fields[0] == _PT_LOAD:
            fields[3] += delta
            _PHDR.pack_into(data, at, *fields)
    return bytes(data)


def load_addresses(elf):
    """The physical addresses of the loadable segments of a 32-bit ELF file."""
    return [fields[3] for _, fields in _program_headers(elf) if fields[0] == _PT_LOAD]
