#!/usr/bin/env python3
"""How long a boot takes: seconds from launching QEMU to lines on the serial console.

    make iso KARGS='run=gradient 0'
    tests/harness/boottime.py build/vidport.iso --line '^gradient: drew' [--firmware uefi] [--runs 7]
    make efi-image KARGS='run=gradient 0'
    tests/harness/boottime.py build/vidport-efi.img --firmware efi --line '^gradient: drew'

prints the median, minimum and maximum over the boots of the time to the
kernel's sentinel, to its `vidport: booted by` line and to each --line.
--firmware-line times lines the firmware or boot loader prints before the
kernel (escape sequences removed), e.g. where the loader starts:

    tests/harness/boottime.py build/vidport-efi.img --firmware efi \
        --firmware-line '^BdsDxe: starting' --firmware-line '^vidport-efi: reading'

From Python:

    import boottime
    seconds = boottime.time_to_line(image, 'bios', r'^gradient: drew', runs=5, artifacts=out)
    statistics.median(seconds)

Boots run one after another, never in parallel: a second QEMU on the same
cores would slow the first. A time ends when the harness sees the line, so
it includes QEMU's own start-up and the serial connection. Patterns are
multiline regexes matched against the kernel's output after the sentinel
(see qemu.Machine.wait_for).
"""
import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import qemu  # noqa: E402

KERNEL_LINE = r'^vidport: booted by'
DEFAULT_TIMEOUT = 60


def time_lines(image, firmware, patterns, artifacts, name='boottime', vga='std',
               timeout=DEFAULT_TIMEOUT, before=(), smp=1):
    """Boot `image` (an ISO, or the UEFI loader's disk for firmware 'efi')
    once on `smp` CPUs; return the seconds from launching QEMU to each of the `before`
    patterns (over the text before the kernel), to the sentinel, then to
    the first match of each pattern, all awaited in the order given.

    Raises qemu.Timeout when a pattern does not appear within `timeout`
    seconds of the previous one, or QEMU exits first. QEMU is killed after
    the last pattern; its logs stay in `artifacts` under `name`.
    """
    if not patterns:
        raise ValueError('time_lines needs at least one pattern to wait for')
    with qemu.Machine(image=image, firmware=firmware, name=name, artifacts=artifacts, vga=vga,
                      smp=smp) as m:
        early = []
        for pattern in before:
            m.wait_for_firmware(pattern, timeout=timeout)
            early.append(m.elapsed())
        seconds = []
        for pattern in patterns:
            m.wait_for(pattern, timeout=timeout)
            seconds.append(m.elapsed())
        return early + [m.boot_seconds()] + seconds


def boot_series(image, firmware, patterns, runs, artifacts, vga='std', timeout=DEFAULT_TIMEOUT,
                before=(), smp=1):
    """time_lines for `runs` boots one after another: a list of one list per boot."""
    if runs < 1:
        raise ValueError(f'runs must be at least 1, not {runs}')
    return [time_lines(image, firmware, patterns, artifacts, f'boottime-{firmware}-{run}', vga,
                       timeout, before, smp) for run in range(runs)]


def time_to_line(image, firmware, pattern, runs=5, artifacts='.', vga='std',
                 timeout=DEFAULT_TIMEOUT, smp=1):
    """Seconds from launching QEMU to `pattern` on serial, one per boot."""
    return [boot[-1] for boot in boot_series(image, firmware, [pattern], runs, artifacts, vga,
                                             timeout, smp=smp)]


def summary(names, series):
    """One line per phase: its name, then the median, minimum and maximum seconds."""
    columns = zip(*series)
    width = max([30] + [len(name) + 1 for name in names])
    return '\n'.join(f'{name:<{width}} median {statistics.median(c):6.3f} s   '
                     f'min {min(c):6.3f}   max {max(c):6.3f}' for name, c in zip(names, columns))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('image', help='an ISO, or the loader disk (make efi-image) for efi')
    parser.add_argument('--firmware', choices=qemu.FIRMWARES, default='bios')
    parser.add_argument('--vga', choices=qemu.VGA_MODELS, default='std')
    parser.add_argument('--line', action='append', default=[],
                        help='a later line to time (regex; repeatable)')
    parser.add_argument('--firmware-line', action='append', default=[],
                        help='a line before the kernel\'s to time (regex; repeatable)')
    parser.add_argument('--runs', type=int, default=5)
    parser.add_argument('--artifacts', default=os.path.join('build', 'boottime'))
    args = parser.parse_args(argv)
    patterns = [KERNEL_LINE] + args.line
    series = boot_series(args.image, args.firmware, patterns, args.runs, args.artifacts, args.vga,
                         before=args.firmware_line)
    print(f'{args.runs} {args.firmware} boots of {args.image}, seconds from launching QEMU:')
    print(summary(args.firmware_line + [qemu.SENTINEL] + patterns, series))


if __name__ == '__main__':
    main()
