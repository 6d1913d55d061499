"""Build vidport boot media with given kernel options, for boots the harness makes."""
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _make(target, variable, path, build_dir, kargs):
    """`make TARGET VARIABLE=path` with kernel options `kargs`; returns path."""
    subprocess.run(['make', '-s', '-C', ROOT, target, f'BUILD={build_dir}', f'{variable}={path}',
                    f'KARGS={kargs}'], check=True)
    return path


def iso(build_dir, name, kargs):
    """`make iso` with kernel options `kargs` into BUILD/test-iso/NAME.iso; returns its path."""
    return _make('iso', 'ISO', os.path.join(build_dir, 'test-iso', f'{name}.iso'), build_dir,
                 kargs)


def efi_image(build_dir, name, kargs):
    """`make efi-image` (the UEFI loader's FAT disk) with kernel options `kargs`
    into BUILD/test-efi/NAME.img; returns its path."""
    return _make('efi-image', 'EFI_IMAGE', os.path.join(build_dir, 'test-efi', f'{name}.img'),
                 build_dir, kargs)


def medium(build_dir, name, kargs, firmware):
    """What a boot with this firmware starts from: the loader's disk for 'efi'
    (vidport's own UEFI loader), else the GRUB ISO."""
    return efi_image(build_dir, name, kargs) if firmware == 'efi' else iso(build_dir, name, kargs)
