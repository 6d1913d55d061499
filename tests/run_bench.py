#!/usr/bin/env python3
"""Run vidport's benchmark and publish its table (`make bench`).

  tests/run_bench.py [--build DIR] [--font PSF] [--out DIR] [--smoke] [--smp N]
                     [--publish FILE]

Boots headless QEMU one machine at a time: `vpbench full` on the standard
VGA, `vpbench full frame banks straddle` on the Cirrus GD5446 (two bank
windows of 32 KiB; GRUB's 800x600x32 is its only geometry), `vpbench full
frame banks` on the standard VGA driven through its video BIOS (the vbe
miniport, whose bank routine is 4F05 in the virtual-8086 monitor), and
`vpbench pixel` several times under BIOS and UEFI for the boot time (host
wall clock from QEMU's start to the line vpbench prints after its first
pixel), and `vpbench full share smp` on 2 and on 4 CPUs (the kernel
on several CPUs against the std run's one). --smp N gives the other
machines N CPUs (1 by default). A vpbench run
whose calibration loop drifted by more than 10 % from start to end ran
through a slow phase of the machine and is repeated.

Writes OUT/results.json, OUT/results.md and OUT/ratios.png (OUT defaults to
BUILD/bench) and prints the table; --publish splices the table into that
Markdown file between its `<!-- bench:begin -->` and `<!-- bench:end -->`
lines. --smoke takes every figure only a few times (what `make test` runs,
so the benchmark cannot rot). Exits 1 when a run fails or reports nothing.
"""
import argparse
import datetime
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'harness'))
sys.path.insert(0, os.path.join(ROOT, 'tools'))

import barchart  # noqa: E402
import bench  # noqa: E402
import boottime  # noqa: E402
import builds  # noqa: E402
import psf  # noqa: E402
import qemu  # noqa: E402
import qemu_machine  # noqa: E402

RUN_TIMEOUT = 900  # seconds for one whole vpbench run
PIXEL_LINE = r'^vpbench: first pixel drawn$'
BEGIN, END = '<!-- bench:begin -->', '<!-- bench:end -->'


@dataclass
class Config:
    """One benchmark boot: which adapter, which vpbench command line, and
    how many CPUs (0: the run's, --smp)."""
    name: str
    vga: str
    kargs: str
    smp: int = 0


def configs(smoke):
    depth = 'smoke' if smoke else 'full'
    smp = f'run=vpbench {depth} share smp'
    return [Config('std', 'std', f'run=vpbench {depth}'),
            Config('cirrus', 'cirrus',
                   f'video=800x600x32 run=vpbench {depth} frame banks straddle'),
            Config('vbe', 'std', f'video.miniport=vbe run=vpbench {depth} frame banks'),
            Config('smp2', 'std', smp, smp=2), Config('smp4', 'std', smp, smp=4)]


@dataclass
class Plan:
    """How much to repeat: vpbench attempts per config and boots per firmware."""
    attempts: int
    boots: dict


def plan(smoke):
    if smoke:
        return Plan(1, {'bios': 1, 'uefi': 1, 'efi': 1})
    return Plan(3, {'bios': 7, 'uefi': 3, 'efi': 3})


def run_vpbench(iso, config, out, attempts, log, smp):
    """Boot `iso` on `smp` CPUs until a steady run (or `attempts` runs);
    returns the best Run and the drift of every attempt."""
    runs = []
    for attempt in range(1, attempts + 1):
        name = f'bench-{config.name}-{attempt}'
        with qemu.Machine(image=iso, name=name, artifacts=out, vga=config.vga,
                          smp=config.smp or smp) as m:
            try:
                m.wait_exit(timeout=RUN_TIMEOUT)
            except qemu.Timeout as e:
                log(f'{name}: {e}')
            run = bench.parse(m.serial_text())
        log(f'{name}: end {run.end or "missing"}, calibration drift {run.drift():.1%}')
        runs.append(run)
        if run.steady():
            break
    best = min(runs, key=lambda r: (r.end != 'ok', r.drift()))
    return best, [r.drift() for r in runs]


def boot_times(build, out, counts, log, smp):
    """Seconds from QEMU start to vpbench's first pixel, per firmware, on `smp` CPUs."""
    times = {}
    for firmware, n in counts.items():
        medium = builds.medium(build, f'bench-pixel-{firmware}', 'run=vpbench pixel', firmware)
        times[firmware] = boottime.time_to_line(medium, firmware, PIXEL_LINE, n, out, smp=smp)
        log(f'boot to first pixel, {firmware}: ' +
            ', '.join(f'{t:.2f} s' for t in times[firmware]))
    return times


def metadata(smoke, runs, smp):
    version = subprocess.run([qemu_machine.EMULATORS['bios'][0], '--version'],
                             capture_output=True, text=True).stdout.splitlines()[0]
    cpu = re.search(r'^model name\s*:\s*(.*)$', open('/proc/cpuinfo').read(), re.MULTILINE)
    command = 'make bench' + (f' SMP={smp}' if smp != 1 else '') + (' (smoke)' if smoke else '')
    return {'command': command, 'smp': smp, 'qemu': version,
            'date': datetime.date.today().isoformat(), 'host_cpu': cpu.group(1) if cpu else '',
            'tsc_hz': runs['std'].tsc_hz}


def heading(meta):
    return (f"{meta['command']} on {meta['date']}, {meta['qemu']} (TCG), host "
            f"{meta['host_cpu']}, TSC {meta['tsc_hz'] / 1e9:.2f} GHz")


def write_results(out, table, runs, drifts, boots, meta, font):
    """results.json, results.md and ratios.png in `out`."""
    data = {'meta': meta, 'rows': [r.as_dict() for r in table], 'boots': boots,
            'drift': drifts, 'runs': {name: {'cycles': {k: vars(s) for k, s in r.cycles.items()},
                                             'counts': r.counts, 'calibration': r.calibration,
                                             'tsc_hz': r.tsc_hz, 'end': r.end}
                                      for name, r in runs.items()}}
    with open(os.path.join(out, 'results.json'), 'w') as f:
        json.dump(data, f, indent=1, default=str)
    with open(os.path.join(out, 'results.md'), 'w') as f:
        f.write(heading(meta) + '\n\n' + bench.markdown(table))
    barchart.draw(table, os.path.join(out, 'ratios.png'), font,
                  'vidport: times as fast as the comparison (log scale; tick = target)')


def publish(path, meta, table):
    """Replace the table between the markers of the Markdown file at `path`."""
    with open(path) as f:
        text = f.read()
    if BEGIN not in text or END not in text:
        raise SystemExit(f'{path} lacks the {BEGIN} and {END} lines')
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    body = f'\n{heading(meta)}\n\n{bench.markdown(table)}'
    with open(path, 'w') as f:
        f.write(head + BEGIN + body + END + tail)


def run(build, font_path, out, smoke, log=print, smp=1):
    """Take every figure on machines of `smp` CPUs; returns (runs by config
    name, table rows, metadata)."""
    os.makedirs(out, exist_ok=True)
    how_much = plan(smoke)
    runs, drifts = {}, {}
    for config in configs(smoke):
        iso = builds.iso(build, f'bench-{config.name}', config.kargs)
        runs[config.name], drifts[config.name] = run_vpbench(iso, config, out, how_much.attempts,
                                                             log, smp)
    boots = boot_times(build, out, how_much.boots, log, smp)
    table = bench.rows(runs, boots)
    meta = metadata(smoke, runs, smp)
    write_results(out, table, runs, drifts, boots, meta, psf.load(font_path))
    return runs, table, meta


def parse_args(argv):
    """The command line: where to build and write, how much, on how many CPUs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--build', default=os.path.join(ROOT, 'build'))
    parser.add_argument('--font', default='/usr/share/consolefonts/Lat15-Terminus16.psf.gz')
    parser.add_argument('--out', help='where the results go (default BUILD/bench)')
    parser.add_argument('--smoke', action='store_true', help='take each figure a few times only')
    parser.add_argument('--smp', type=int, choices=qemu_machine.SMP_RANGE, default=1, metavar='N',
                        help='CPUs of every machine (default 1)')
    parser.add_argument('--publish', help='Markdown file whose table to replace')
    return parser.parse_args(argv)


def main():
    args = parse_args(sys.argv[1:])
    build = os.path.abspath(args.build)
    out = os.path.abspath(args.out or os.path.join(build, 'bench'))
    runs, table, meta = run(build, args.font, out, args.smoke, smp=args.smp)
    print('\n' + heading(meta) + '\n\n' + bench.markdown(table))
    print(f'results in {out}/results.json, results.md and ratios.png')
    if args.publish:
        publish(args.publish, meta, table)
        print(f'table published in {args.publish}')
    failed = [name for name, r in runs.items() if r.end != 'ok' or not r.cycles]
    if failed:
        print(f'vpbench failed or reported nothing on: {", ".join(failed)}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
