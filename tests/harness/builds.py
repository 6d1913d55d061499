"""Build vidport boot media with given kernel options, for boots the harness makes."""
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _make(target, variable, path, build_dir, kargs, extra=()):
    """`make TARGET VARIABLE=path` with kernel options `kargs` (and the
    variable settings `extra`); returns path."""
    subprocess.run(['make', '-s', '-C', ROOT, target, f'BUILD={build_dir}', f'{variable}={path}',
                    f'KARGS={kargs}', *extra], check=True)
    return path


def iso(build_dir, name, kargs, large_archive=False):
    """`make iso` with kernel options `kargs` into BUILD/test-iso/NAME.iso; returns its path.
    large_archive: pack the archive with the large crafted images (INITRD_LARGE)."""
    extra = [f'ISO_INITRD={os.path.join(build_dir, "initrd-large.img")}'] if large_archive else []
    return _make('iso', 'ISO', os.path.join(build_dir, 'test-iso', f'{name}.iso'), build_dir,
                 kargs, extra)


def efi_image(build_dir, name, kargs):
    """`make efi-image` (the UEFI loader's FAT disk) with kernel options `kargs`
    into BUILD/test-efi/NAME.img; returns its path."""
    return _make('efi-image', 'EFI_IMAGE', os.path.join(build_dir, 'test-efi', f'{name}.img'),
                 build_dir, kargs)


def medium(build_dir, name, kargs, firmware, large_archive=False):
    """What a boot with this firmware starts from: the loader's disk for 'efi'
    (vidport's own UEFI loader, always with the everyday archive), else the
    GRUB ISO."""
    if firmware == 'efi':
        return efi_image(build_dir, name, kargs)
    return iso(build_dir, name, kargs, large_archive)
