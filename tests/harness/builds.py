"""Build vidport boot media with given kernel options, for boots the harness makes."""
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def iso(build_dir, name, kargs):
    """`make iso` with kernel options `kargs` into BUILD/test-iso/NAME.iso; returns its path."""
    iso = os.path.join(build_dir, 'test-iso', f'{name}.iso')
    subprocess.run(['make', '-s', '-C', ROOT, 'iso', f'BUILD={build_dir}', f'ISO={iso}',
                    f'KARGS={kargs}'], check=True)
    return iso


def efi_image(build_dir, name, kargs):
    """`make efi-image` (the UEFI loader's FAT disk) with kernel options `kargs`
    into BUILD/test-efi/NAME.img; returns its path."""
    image = os.path.join(build_dir, 'test-efi', f'{name}.img')
    subprocess.run(['make', '-s', '-C', ROOT, 'efi-image', f'BUILD={build_dir}',
                    f'EFI_IMAGE={image}', f'KARGS={kargs}'], check=True)
    return image


def medium(build_dir, name, kargs, firmware):
    """What a boot with this firmware starts from: the loader's disk for 'efi'
    (vidport's own UEFI loader), else the GRUB ISO."""
    return efi_image(build_dir, name, kargs) if firmware == 'efi' else iso(build_dir, name, kargs)
