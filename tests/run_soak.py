#!/usr/bin/env python3
"""Soak vidport: long boots of the fuzzer and the storm (`make soak`).

  tests/run_soak.py [--build DIR] [--only NAME ...]

Boots headless QEMU one machine at a time, one entry of SOAKS each: vpfuzz
with 8 processes for a million operations in all, linear and banked, with
allocation failure injection, every worker's data oracle checking its
stripe (half the boots with the oracle's operations about half of all);
vpstorm on both kinds of mode; and a banked vpfuzz with its oracle and a
banked vpstorm on four CPUs. Prints a line per boot (seed,
operations or cycles, processes, mode, time, panics, leaks, kcheck
findings, failed workers, stripes verified and kernel outputs judged) and
a summary, and writes BUILD/soak/results.json; serial logs stay in
BUILD/soak/. An entry whose program is not in the tree yet is reported
missing and skipped. Exits 1 when any boot panics, hangs, leaks or fails.
"""
import argparse
import datetime
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'harness'))
sys.path.insert(0, os.path.join(ROOT, 'tools'))

import builds  # noqa: E402
import qemu  # noqa: E402
import qemu_machine  # noqa: E402
import soak  # noqa: E402
from soak import Soak  # noqa: E402

# The soak: one boot each, run in this order.
SOAKS = [
    Soak('fuzz-linear', 'faultinject run=vpfuzz 11 250000 8 linear'),
    Soak('fuzz-banked', 'video=banked faultinject run=vpfuzz 12 250000 8 banked'),
    Soak('oracle-linear', 'faultinject run=vpfuzz 13 250000 8 linear oracle'),
    Soak('oracle-banked', 'video=banked faultinject run=vpfuzz 14 250000 8 banked oracle'),
    Soak('storm-linear', 'run=vpstorm 1000 4'),
    Soak('storm-banked', 'video=banked run=vpstorm 1000 4'),
    # The same on four CPUs: processes in parallel, every change shot down.
    Soak('oracle-banked-smp4', 'video=banked faultinject run=vpfuzz 15 100000 8 banked oracle',
         smp=4),
    Soak('storm-banked-smp4', 'video=banked run=vpstorm 300 4', smp=4),
]

PROGRESS_SECONDS = 60
# The kernel's last line of a run= list, or the first line of a panic.
FINISHED = r'^run: \d+ program\(s\), \d+ failed$|PANIC: '


def built(build, program):
    return os.path.exists(os.path.join(build, 'user', 'bin', program))


def wait_for_end(machine, entry, log):
    """Wait until the run ends, the kernel panics or the timeout passes;
    True when it timed out. A line every minute shows it is alive."""
    deadline = time.monotonic() + entry.timeout()
    while time.monotonic() < deadline:
        try:
            machine.wait_for(FINISHED, timeout=min(PROGRESS_SECONDS, deadline - time.monotonic()))
            return False
        except qemu.Timeout:
            if machine.exited():
                return False
        kills = machine.serial_text().count('): killed: ')
        log(f'  {entry.name}: {machine.elapsed():.0f} s, {kills} processes killed so far')
    return True


def run_entry(build, out, entry, log):
    """Boot one entry and judge it."""
    iso = builds.iso(build, f'soak-{entry.name}', entry.kargs)
    log(f'{entry.name}: {entry.kargs} (timeout {entry.timeout():.0f} s)')
    with qemu.Machine(image=iso, name=entry.name, artifacts=out, smp=entry.smp) as m:
        start = time.monotonic()
        timed_out = wait_for_end(m, entry, log)
        try:
            status = None if timed_out else m.wait_exit(timeout=30)
        except qemu.Timeout:
            status = None  # halted after a panic: QEMU is killed
        seconds = time.monotonic() - start
        return soak.judge(entry, m.serial_text(), status, seconds, timed_out)


def summary(results):
    """The last line: how many boots passed, and how much work they did."""
    count = {s: sum(1 for r in results if r.status == s)
             for s in ('ok', 'failed', 'panic', 'timeout', 'missing')}
    ops = sum(r.work for r in results if r.program == 'vpfuzz' and r.status != 'missing')
    cycles = sum(r.work for r in results if r.program == 'vpstorm' and r.status != 'missing')
    verified = sum(r.verified or 0 for r in results)
    latency = max((r.latency_us for r in results if r.latency_us is not None), default=None)
    seconds = sum(r.seconds for r in results)
    return (f'soak: {len(results)} boots: ' + ', '.join(f'{n} {s}' for s, n in count.items()) +
            f'; {ops} fuzz operations ({verified} stripes verified, interrupts off at most '
            f'{"-" if latency is None else latency} us), {cycles} storm cycles in {seconds:.0f} s')


def write_results(out, results, line):
    qemu_version = subprocess.run([qemu_machine.EMULATORS['bios'][0], '--version'],
                                  capture_output=True, text=True).stdout.splitlines()[0]
    data = {'date': datetime.datetime.now().isoformat(timespec='seconds'), 'qemu': qemu_version,
            'summary': line, 'runs': [vars(r) for r in results]}
    with open(os.path.join(out, 'results.json'), 'w') as f:
        json.dump(data, f, indent=1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--build', default=os.path.join(ROOT, 'build'))
    parser.add_argument('--only', nargs='*', help='run only these entries (by name)')
    args = parser.parse_args()
    build = os.path.abspath(args.build)
    out = os.path.join(build, 'soak')
    os.makedirs(out, exist_ok=True)
    results = []
    for entry in SOAKS:
        if args.only and entry.name not in args.only:
            continue
        if not built(build, entry.program()):
            print(f'{entry.name}: the program {entry.program()} is not in this tree yet '
                  f'(no {build}/user/bin/{entry.program()}): skipped', flush=True)
            results.append(soak.missing(entry))
            continue
        result = run_entry(build, out, entry, lambda s: print(s, flush=True))
        print(result.line(), flush=True)
        for finding in result.findings[:10]:
            print(f'  {finding}')
        results.append(result)
    line = summary(results)
    write_results(out, results, line)
    print(line)
    print(f'results in {out}/results.json, serial logs in {out}/')
    return 1 if any(r.status not in ('ok', 'missing') for r in results) else 0


if __name__ == '__main__':
    sys.exit(main())
