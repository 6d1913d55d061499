"""Build a vidport ISO with given kernel options, for boots the harness makes."""
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def iso(build_dir, name, kargs):
    """`make iso` with kernel options `kargs` into BUILD/test-iso/NAME.iso; returns its path."""
    iso = os.path.join(build_dir, 'test-iso', f'{name}.iso')
    subprocess.run(['make', '-s', '-C', ROOT, 'iso', f'BUILD={build_dir}', f'ISO={iso}',
                    f'KARGS={kargs}'], check=True)
    return iso
