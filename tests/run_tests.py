#!/usr/bin/env python3
"""Run every vidport test and end with `N passed, N failed[, N skipped]`.

  tests/run_tests.py [--build DIR] [--font PSF] [--only GROUP ...] [--boot NAME ...]
                     [--fuzz-seconds N] [--smp N]

Groups: host (cmocka unit tests of kernel code, built by `make host-tests`,
and `make header-check`: a program naming its own helpers like vidport's
builds with the public header alone), harness (the harness's own unit
tests), fuzz (each fuzz target built by `make fuzz-targets` replays its
seeds and fuzzes briefly), boot (QEMU boots of ISOs built with
`make iso KARGS=...`: in-kernel KTAP suites, screenshots, crash reporting),
bench (`make bench`'s own code with tiny repeat counts, checked for sense).
Serial logs, KTAP output and screenshots of every boot are kept under
BUILD/test-artifacts/ for a person to look at. --smp N boots every QEMU
machine (the bench's too) with N CPUs instead of each boot's own count.
Exits 1 on any failure.
"""
import argparse
import concurrent.futures
import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
import time
import unittest
from dataclasses import dataclass, field

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'harness'))
sys.path.insert(0, os.path.join(ROOT, 'tools'))
sys.path.insert(0, os.path.join(ROOT, 'tests'))

import bankmix  # noqa: E402
import barchart  # noqa: E402
import bench  # noqa: E402
import bochs  # noqa: E402
import builds  # noqa: E402
import efidisk  # noqa: E402
import fuzzlog  # noqa: E402
import gradient  # noqa: E402
import ktap  # noqa: E402
import mkinitrd  # noqa: E402
import png  # noqa: E402
import ppm  # noqa: E402
import psf  # noqa: E402
import qemu  # noqa: E402
import qemu_machine  # noqa: E402
import screen  # noqa: E402
import run_bench  # noqa: E402
from tally import FAIL, PASS, SKIP, Tally  # noqa: E402

BOOT_TIMEOUT = 180  # seconds for a whole run; UEFI under TCG needs ~5 s to boot


@dataclass
class Boot:
    """One boot: its kernel options and what it must show."""
    name: str
    firmware: str
    kargs: str
    vga: str = 'std'        # QEMU's -vga: 'std' (Bochs DISPI) or 'cirrus'
    emulator: str = 'qemu'  # or 'bochs' (BIOS only): its own BIOS, VGABIOS and adapters
    exit_status: int = qemu.EXIT_PASS
    screenshot: bool = False
    geometry: tuple = (800, 600)
    expect_failing: set = field(default_factory=set)  # KTAP cases that must fail
    extra_checks: tuple = ()
    ktap: str = 'debugcon'  # its KTAP: 'debugcon' (kernel), 'serial' (programs) or '' (none)
    wait_for: str = r'^vidport: booted by'
    shots: int = 0          # drawings `screens` must check
    screens: object = None  # screens(tally, boot, machine, artifacts) while it runs
    large_archive: bool = False  # boot the archive with the large crafted images
    artifacts: str = ''     # where its screenshots go (set when it runs)
    types: object = None    # types(tally, boot, machine) while it runs: input typed on cue
    smp: int = 0            # QEMU's CPUs (-smp); 0: the run's (--smp N, else 1)


def crash_is_reported(tally, boot, machine):
    """The deliberate page fault printed a dump with CR2 and a symbolised backtrace."""
    log = machine.serial_text()
    tally.check(f'{boot.name}: exception prints the register dump',
                re.search(r'PANIC: kernel exception 14 #PF page fault', log) is not None
                and re.search(r'faulting address \(cr2\) 00000010', log) is not None
                and re.search(r'eax=[0-9a-f]{8} ebx=', log) is not None,
                'no #PF dump with cr2 and registers on the console')
    tally.check(f'{boot.name}: backtrace names the functions',
                re.search(r'#0 +[0-9a-f]{8} +crash_write_unmapped\+0x', log) is not None
                and re.search(r'kernel_page_fault\+0x', log) is not None
                and re.search(r'run_case\+0x', log) is not None,
                'backtrace lacks crash_write_unmapped/kernel_page_fault/run_case')


def panics_once_naming(what, panic, frames):
    """An extra check: the boot panicked exactly once, with `panic` (a
    regex of the PANIC line and what must follow it) and a backtrace whose
    first frame is frames[0] and which passes through the others."""
    def check(tally, boot, machine):
        log = machine.serial_text()
        tally.check(f'{boot.name}: {what} is one panic',
                    log.count('PANIC') == 1 and re.search(panic, log, re.DOTALL) is not None,
                    f'expected exactly one panic matching /{panic}/')
        named = re.search(rf'#0 +[0-9a-f]{{8}} +{frames[0]}\+0x', log) is not None and all(
            re.search(rf'{f}\+0x', log) for f in frames[1:])
        tally.check(f'{boot.name}: backtrace names {"/".join(frames)}', named,
                    f'backtrace lacks {"/".join(frames)}')
    return check


# T31: a fault inside a bank routine panics once, naming the routine and the arbiter.
bank_crash_is_reported = panics_once_naming(
    'the fault in the bank routine',
    r'PANIC: kernel exception 14 #PF page fault.*faulting address \(cr2\) 00000010',
    ('fake_bank_routine', 'vpi_bank_fault'))
# A fault in the middle of a BIOS call, in the tick handler its trap runs;
# the next case checks what the call gave back.
v86_crash_is_reported = panics_once_naming(
    'the fault in the call', r'PANIC: kernel exception 6 #UD invalid opcode',
    ('faulting_tick', 'irq_run_deferred'))

# A panic on another CPU while the boot CPU waits: one panic, from that
# CPU, which stopped the three others.
smp_panic_is_reported = panics_once_naming(
    'the panic on another CPU',
    r'PANIC: a test\'s panic on CPU [1-3]\n  on CPU [1-3]; 3 of the 3 other CPUs stopped\n',
    ('panic_on_another_cpu', 'sched_run'))


def bios_calls_are_kept_off(tally, boot, machine):
    """The archive the loader put in the monitor's memory keeps BIOS calls
    off, says so once, and is still read whole."""
    log = machine.serial_text()
    tally.check(f'{boot.name}: the kernel keeps BIOS calls off',
                log.count("v86: no BIOS calls: a boot module lies in the monitor's low memory")
                == 1, 'no (or more than one) line saying so')
    tally.check(f'{boot.name}: the archive is read', re.search(r'^initrd: \d+ programs$', log,
                                                               re.MULTILINE) is not None,
                'no "initrd: N programs" line')


def wait_after(machine, pattern, start, timeout):
    """Wait until `pattern` matches the serial text after offset `start`."""
    regex = re.compile(pattern, re.MULTILINE)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        match = regex.search(machine.serial_text(), start)
        if match:
            return match
        time.sleep(0.05)
    return None


def shell_session(tally, boot, machine):
    """Type into the shell over serial as a person would, and read its answers."""
    steps = [('hello typed by the harness', r'^hello from pid \d+: typed by the harness$'),
             ('nosuch', r'^sh: nosuch: no such program$'),
             ('mem', r'^free frames \d+ .*processes 1$'),
             ('kcheck', r'^kcheck: 1 processes, \d+ pages, 0 views: 0 findings$')]
    position = lists_every_program(tally, boot, machine, 0)
    for command, expected in steps:
        prompt = wait_after(machine, r'^\$ $', position, BOOT_TIMEOUT)
        position = prompt.end() if prompt else len(machine.serial_text())
        machine.send_serial(command.encode() + b'\r')
        answer = wait_after(machine, expected, position, 60)
        tally.check(f'{boot.name}: shell runs "{command}"', answer is not None,
                    f'no output matching {expected!r} after typing it')
        position = answer.end() if answer else len(machine.serial_text())
    position = long_line_gets_one_prompt(tally, boot, machine, position)
    position = killing_a_job(tally, boot, machine, position)
    typed_on_keyboard(tally, boot, machine, position)


def types_two_lines_on_cue(tally, boot, machine):
    """vplimits' read_keeps_the_line_its_buffer_lost asks for two lines
    while its reader waits; the test itself judges what arrived."""
    cue = wait_after(machine, r'^# type two lines$', 0, BOOT_TIMEOUT)
    tally.check(f'{boot.name}: vplimits asks for typed lines', cue is not None)
    if cue:
        machine.send_serial(b'the first line\r')
        machine.send_serial(b'the second line\r')


def shell_survives_a_full_table(tally, boot, machine):
    """A background job fills the process table and the shell is killed
    under it: the job and its children end with the shell, and init starts
    a new shell into the emptied table (it must not panic). The job's output
    follows the shell's prompt, so only the first and last commands wait
    for one."""
    steps = [('vplimits child fill &', r'vplimits: \d+ children fill the process table', True),
             ('kill 1', r'^init: the shell exited \(status 256\); starting a new one$', False),
             ('mem', r'^free frames \d+ .*processes 1$', True)]
    position = 0
    for command, expected, after_prompt in steps:
        prompt = after_prompt and wait_after(machine, r'^\$ $', position, BOOT_TIMEOUT)
        position = prompt.end() if prompt else position
        machine.send_serial(command.encode() + b'\r')
        answer = wait_after(machine, expected, position, 60)
        tally.check(f'{boot.name}: "{command}" with the table full', answer is not None,
                    f'no output matching {expected!r}; panic: {"PANIC" in machine.serial_text()}')
        position = answer.end() if answer else len(machine.serial_text())


def lists_every_program(tally, boot, machine, position):
    """`ls` prints every name in the boot archive, in its order; in the
    large archive they take more than the shell's first 1 KiB buffer (its
    filler images see to that). Returns the serial position after the
    listing."""
    archive = 'initrd-large.img' if boot.large_archive else 'initrd.img'
    names = mkinitrd.names(os.path.join(os.path.dirname(boot.artifacts), archive))
    size = sum(len(n) + 1 for n in names)
    big_enough = size > 1024 or not boot.large_archive
    prompt = wait_after(machine, r'^\$ $', position, BOOT_TIMEOUT)
    start = prompt.end() if prompt else len(machine.serial_text())
    machine.send_serial(b'ls\r')
    end = wait_after(machine, r'^\$ $', start, 60)
    shown = machine.serial_text()[start:end.start()].splitlines()[1:] if end else []
    missing = [n for n in names if n not in shown]
    tally.check(f'{boot.name}: shell "ls" lists all {len(names)} programs ({size} bytes of names)',
                big_enough and shown == names,
                f'{len(shown)} lines shown, the first {shown[:3]}; missing {missing[:5]}')
    return end.start() if end else len(machine.serial_text())


def long_line_gets_one_prompt(tally, boot, machine, position):
    """A line longer than the console keeps (255 characters) runs as the
    console kept it, and one prompt follows, not two. Returns the serial
    position before that prompt."""
    prompt = wait_after(machine, r'^\$ $', position, BOOT_TIMEOUT)
    start = prompt.end() if prompt else len(machine.serial_text())
    machine.send_serial(b'hello ' + b'x' * 294 + b'\r')
    answer = wait_after(machine, r'^hello from pid \d+: x{249}$', start, 60)
    time.sleep(1)  # time for a second prompt to show
    rest = machine.serial_text()[answer.end():] if answer else ''
    tally.check(f'{boot.name}: shell answers a 300-character line with one prompt',
                answer is not None and rest == '\n$ ', f'after the answer: {rest!r}')
    return answer.end() if answer else len(machine.serial_text())


def type_and_wait(machine, line, pattern, timeout=60):
    """Type a line into the shell and wait for `pattern` in what follows."""
    start = len(machine.serial_text())
    machine.send_serial(line.encode() + b'\r')
    return wait_after(machine, pattern, start, timeout)


def killing_a_job(tally, boot, machine, position):
    """`kill PID` ends a background job of the shell, which reports it done
    at the next line it reads; a pid that is not its job is refused, and
    so is the job's pid plus 2^32, which strtol once wrapped to the job.
    Each line waits for the answer to the one before. Returns the serial
    position of the last prompt."""
    prompt = wait_after(machine, r'^\$ $', position, BOOT_TIMEOUT)
    machine.send_serial(b'bounce 0 &\r')
    job = wait_after(machine, r'^\[(\d+)\] bounce$', prompt.end() if prompt else position, 60)
    tally.check(f'{boot.name}: shell starts a background job', job is not None)
    if not job:
        return len(machine.serial_text())
    pid, wrapped = job.group(1), int(job.group(1)) + 2 ** 32
    spared = type_and_wait(machine, f'kill {wrapped}',
                           rf'^kill: {wrapped} is not a job of this shell\n\$ $')
    tally.check(f'{boot.name}: shell refuses the job\'s pid plus 2^32', spared is not None,
                f'no refusal of kill {wrapped}')
    prompt = type_and_wait(machine, f'kill {pid}', r'^\$ $')
    refused = type_and_wait(machine, 'kill 9999', r'^kill: 9999 is not a job of this shell\n\$ $')
    prompt = refused or prompt
    done_line = re.compile(rf'^\[{pid}\] done, status 256$', re.MULTILINE)
    for _ in range(10):  # each line read reaps the jobs that have ended by then
        done = done_line.search(machine.serial_text(), job.end())
        if done or not prompt:
            break
        prompt = type_and_wait(machine, '', r'^\$ $')
    tally.check(f'{boot.name}: shell kills its job and refuses another pid',
                done is not None and refused is not None,
                f'job done: {done is not None}, kill 9999 refused: {refused is not None}')
    return prompt.end() - 2 if prompt else len(machine.serial_text())  # before the last prompt


def typed_on_keyboard(tally, boot, machine, position):
    """The same shell also reads the PS/2 keyboard."""
    prompt = wait_after(machine, r'^\$ $', position, BOOT_TIMEOUT)
    machine.type_keys('hello from the keyboard\n')
    answer = wait_after(machine, r'^hello from pid \d+: from the keyboard$',
                        prompt.end() if prompt else position, 60)
    tally.check(f'{boot.name}: shell reads the PS/2 keyboard', answer is not None,
                'typing "hello from the keyboard" via QMP send-key printed nothing')


BANKCOPY = re.compile(r'^bankcopy: (\d+) checks, (\d+) mismatches, (\d+) straddles$', re.MULTILINE)


def bankcopy_reports(tally, boot, machine):
    """Each bankcopy run of the boot verified its copies with no mismatch and
    needed RAM copies of banks for them (the mode is banked)."""
    runs = boot.kargs.split('run=', 1)[1].split(',')
    expected = sum(1 for r in runs if r.split()[0] == 'bankcopy')
    found = [tuple(int(n) for n in m) for m in BANKCOPY.findall(machine.serial_text())]
    tally.check(f'{boot.name}: every bankcopy run checks its copies without a mismatch',
                len(found) == expected and all(c > 0 and bad == 0 and s > 0 for c, bad, s in found),
                f'expected {expected} runs with checks, 0 mismatches and straddles; found '
                f'(checks, mismatches, straddles) {found}')


STORM_START = re.compile(r'^vpstorm: cycles (\d+) procs (\d+) mode (\d+x\d+x\d+) (banked|linear)'
                         r'( strict)?$', re.MULTILINE)
STORM_END = re.compile(r'^vpstorm: cycles (\d+) killed (\d+) leaks (\d+) kcheck (-?\d+)$',
                       re.MULTILINE)
STORM_BANKS = re.compile(r'^vpstorm: bank faults (\d+) switches (\d+) straddles (\d+) '
                         r'present (\d+)$', re.MULTILINE)
STORM_STRICT = re.compile(r'^vpstorm: strict kchecks (\d+) findings (\d+)$', re.MULTILINE)


def storm_reports(tally, boot, machine):
    """vpstorm killed exactly the cycles asked for in the mode the boot asks
    for, leaked nothing, kcheck found nothing, no child died of a fault of
    its own, and on a banked mode the children took bank faults and left no
    bank present. A strict run checked the kernel after every cycle (and its
    children after every drawing) and found nothing."""
    log = machine.serial_text()
    args = boot.kargs.split('run=vpstorm ', 1)[1].split()
    start, end = STORM_START.search(log), STORM_END.search(log)
    kind = 'banked' if 'video=banked' in boot.kargs else 'linear'
    strict = args[2:3] == ['strict']
    tally.check(f'{boot.name}: vpstorm runs {args[0]} cycles of {args[1]} processes, {kind}'
                + (', strict' if strict else ''),
                start is not None and start.group(1, 2, 4) == (args[0], args[1], kind)
                and bool(start.group(5)) == strict,
                f'start line: {start.group(0) if start else None}')
    if strict:
        checks = STORM_STRICT.search(log)
        tally.check(f'{boot.name}: kcheck after every cycle found nothing',
                    checks is not None and int(checks.group(1)) >= int(args[0])
                    and checks.group(2) == '0', checks.group(0) if checks else 'no strict line')
    figures = tuple(int(n) for n in end.groups()) if end else None
    tally.check(f'{boot.name}: vpstorm killed {args[0]} children, leaked nothing, kcheck clean',
                figures is not None and figures[0] >= figures[1] == int(args[0])
                and figures[2:] == (0, 0) and re.search(r'^vpstorm: end ok$', log, re.MULTILINE),
                f'end line: {end.group(0) if end else None}')
    faulted = re.findall(r'^pid \d+ \(vpstorm\): killed: .*$', log, re.MULTILINE)
    tally.check(f'{boot.name}: no vpstorm process died of a fault', not faulted, '\n'.join(faulted))
    if kind == 'banked':
        banks = STORM_BANKS.search(log)
        tally.check(f'{boot.name}: the children took bank faults and left no bank present',
                    banks is not None and int(banks.group(1)) > 0 and banks.group(4) == '0',
                    f'{banks.group(0) if banks else "no bank line"}')
def vpfuzz_reports(tally, boot, machine):
    """Each vpfuzz run of the boot did all its operations and ended clean
    (every worker exited 0, the counters back at the baseline, kcheck
    silent; in a strict run after every operation), its data oracles
    verified stripes and judged kernel outputs, and the kernel never
    panicked."""
    log = machine.serial_text()
    commands = [r.split() for r in boot.kargs.split('run=', 1)[1].split(',')
                if r.split()[0] == 'vpfuzz']
    asked = [int(c[2]) for c in commands]
    runs = fuzzlog.parse(log)
    tally.check(f'{boot.name}: every vpfuzz run ends clean',
                [r.ops for r in runs] == asked and all(r.clean() for r in runs),
                f'asked for {asked} operations; runs: ' + '; '.join(
                    f'seed {r.seed} ops {r.ops} panics {r.panics} leaks {r.leaks} latency {r.latency_us} us kcheck '
                    f'{r.kcheck} workers-failed {r.workers_failed} end {r.end}: '
                    + ' | '.join(r.findings[:5]) for r in runs))
    tally.check(f'{boot.name}: the data oracle checks every run, strict where asked',
                len(runs) == len(commands) and all(
                    r.oracle_checked() and r.strict == ('strict' in c)
                    for r, c in zip(runs, commands)),
                '; '.join(f'seed {r.seed} strict {r.strict} verified {r.verified} outputs '
                          f'{r.outputs} blobs {r.blobs}' for r in runs))
    panics = fuzzlog.kernel_panics(log)
    tally.check(f'{boot.name}: the kernel does not panic', not panics, '; '.join(panics))


DREW = re.compile(r'\b(gradient|ddraw): drew (\d+)x(\d+)x(\d+)\n', re.MULTILINE)


def gradient_screens(tally, boot, machine, artifacts):
    """Each time a program says it drew the gradient, the screen must equal
    the formula pixel for pixel; a line on the console lets it go on."""
    position = 0
    for shot in range(1, boot.shots + 1):
        drew = wait_after(machine, DREW.pattern, position, BOOT_TIMEOUT)
        if drew is None:
            tally.record(f'{boot.name}: drawing {shot} of {boot.shots} appears', FAIL,
                         'no "drew" line on the console')
            return
        program, w, h, bpp = drew.group(1), *(int(v) for v in drew.groups()[1:])
        path = machine.screendump(os.path.join(artifacts, f'{boot.name}-{shot}-{program}.png'))
        machine.send_serial(b'\n')
        image = png.read_png(path)
        scale = image.width // w if image.width % w == 0 else 1
        bad = gradient.count_mismatches(image, w, h, bpp, scale, machine.colours)
        tally.check(f'{boot.name}: {program} {w}x{h}x{bpp} screen equals the formula', bad == 0,
                    f'{bad} pixels differ (-1: QEMU shows {image.width}x{image.height})')
        position = drew.end()


MINIPORT_LINE = r'^video: (?:Video\d+ is the (\w+) miniport|no adapter found.*)$'


def vbe_gradient_screens(tally, boot, machine, artifacts):
    """video.miniport=vbe drives the adapter through its video BIOS: the vbe
    line, then the gradients pixel for pixel."""
    line = wait_after(machine, MINIPORT_LINE, 0, BOOT_TIMEOUT)
    tally.check(f'{boot.name}: the vbe miniport takes the screen',
                line is not None and line.group(1) == 'vbe',
                f'console says {line.group(0) if line else None}')
    gradient_screens(tally, boot, machine, artifacts)


def vbe_declines_on_uefi(tally, boot, machine, artifacts):
    """Under UEFI there is no video BIOS: vbe says so in one line, and the
    next miniport draws the gradient."""
    declined = wait_after(machine, r'^video: vbe: no video BIOS of the adapter.s own', 0,
                          BOOT_TIMEOUT)
    line = wait_after(machine, MINIPORT_LINE, 0, BOOT_TIMEOUT)
    tally.check(f'{boot.name}: vbe declines and the next miniport takes the screen',
                declined is not None and line is not None and line.group(1) not in (None, 'vbe'),
                f'declined {declined is not None}; console says {line.group(0) if line else None}')
    gradient_screens(tally, boot, machine, artifacts)


def vga_takes_text_screen(tally, boot, machine, artifacts):
    """GRUB left a text console (the card cannot show the mode asked for):
    the vga miniport must take the screen, and gradient's drawing must be
    mode 13h's picture. Without the vga line there is no drawing to wait for."""
    line = wait_after(machine, MINIPORT_LINE, 0, BOOT_TIMEOUT)
    if not tally.check(f'{boot.name}: the vga miniport takes the screen',
                       line is not None and line.group(1) == 'vga',
                       f'console says {line.group(0) if line else None}'):
        return
    gradient_screens(tally, boot, machine, artifacts)
    tally.check(f'{boot.name}: gradient drew in mode 13h',
                re.search(r'^gradient: drew 320x200x8$', machine.serial_text(), re.MULTILINE),
                'no "gradient: drew 320x200x8" line')

def processors_reported(*lines):
    """An extra check: the kernel's `smp:` lines are these patterns, in order."""
    def check(tally, boot, machine):
        found = re.findall(r'^smp: .*$', machine.serial_text(), re.MULTILINE)
        tally.check(f'{boot.name}: the processors are reported',
                    len(found) == len(lines) and
                    all(re.fullmatch(p, f) for p, f in zip(lines, found)),
                    f'console says {found}, expected {list(lines)}')
    return check


def rsdp_found(source, warning=None):
    """An extra check: the kernel says it found the RSDP `source` (boot/acpi.c's
    words) and, when `warning` is given, that line once about acpi.rsdp=, else none."""
    def check(tally, boot, machine):
        log = machine.serial_text()
        found = re.search(r'^acpi: the RSDP at 0x[0-9a-f]+, (.*)$', log, re.MULTILINE)
        ignored = re.findall(r'^acpi: acpi\.rsdp=.* ignored: .*$', log, re.MULTILINE)
        tally.check(f'{boot.name}: the RSDP is {source}',
                    found is not None and found.group(1) == source
                    and ignored == ([warning] if warning else []),
                    f'console says {found.group(0) if found else None}; about acpi.rsdp=: {ignored}')
    return check


MADT_4 = r'smp: 4 CPUs in the ACPI MADT \(APIC ids 0 1 2 3\)'


WINDOW_MOVE = re.compile(r'^video: vbe: the window moves by (the window function|4F05)\b.*$',
                         re.MULTILINE)


WINDOW_FUNCTION_FAILED = re.compile(r'^video: (vbe: the window function failed|the BIOS '
                                    r'function at .* ended).*$', re.MULTILINE)


def window_moves_by(how):
    """An extra check: the vbe miniport says its window moves `how` ('the
    window function' or '4F05'), and the window function, when chosen,
    never failed later (the miniport would have gone on by 4F05)."""
    def check(tally, boot, machine):
        text = machine.serial_text()
        line = WINDOW_MOVE.search(text)
        failed = WINDOW_FUNCTION_FAILED.search(text) if how == 'the window function' else None
        tally.check(f'{boot.name}: the window moves by {how}',
                    line and line.group(1) == how and not failed,
                    f'console says {line.group(0) if line else None}'
                    f'{"; then " + failed.group(0) if failed else ""}')
    return check


BANKMIX_DREW = r'^bankmix: drew run (\d+) of (\d+) processes (\d+)x(\d+)x(\d+)$'


def bankmix_screens(tally, boot, machine, artifacts):
    """After every run of `bankmix N RUNS wait` the screen must equal the
    model pixel for pixel (PPM screendumps compared as raw bytes). One line
    per N names every run that differed; those screens are kept as PNGs
    with a magenta diff."""
    position, models, runs, bad = 0, {}, {}, {}
    shot_path = os.path.join(artifacts, f'{boot.name}.shot.ppm')
    for shot in range(1, boot.shots + 1):
        drew = wait_after(machine, BANKMIX_DREW, position, BOOT_TIMEOUT)
        if drew is None:
            tally.record(f'{boot.name}: drawing {shot} of {boot.shots} appears', FAIL,
                         'no "bankmix: drew" line on the console')
            break
        r, n, w, h, bpp = (int(v) for v in drew.groups())
        image = ppm.read_ppm(machine.screendump(shot_path, 'ppm'))
        machine.send_serial(b'\n')
        model = models.get((w, h, bpp)) or models.setdefault((w, h, bpp), bankmix.Model(w, h, bpp))
        runs[n] = runs.get(n, 0) + 1
        expected = model.expected(n, r) if (image.width, image.height) == (w, h) else b''
        if image.pixels != expected:
            bad.setdefault(n, []).append(f'run {r}: {bankmix.mismatches(image.pixels, expected)}')
            _keep_bankmix_failure(boot, artifacts, image, expected, n, r)
        position = drew.end()
    for n in sorted(runs):
        tally.check(f'{boot.name}: bankmix {n}: all {runs[n]} screens equal the model',
                    n not in bad, f'{len(bad.get(n, []))} runs differ (pixels; -1: geometry): '
                    + ', '.join(bad.get(n, [])))


def _keep_bankmix_failure(boot, artifacts, image, expected, n, r):
    """Write a mismatching screen and its diff as PNGs for a person to look at."""
    base = os.path.join(artifacts, f'{boot.name}-n{n}-run{r}')
    png.write_png(base + '.png', image.width, image.height, image.pixels)
    if len(expected) == len(image.pixels):
        png.write_png(base + '.diff.png', image.width, image.height,
                      bankmix.diff_image(image.pixels, expected))


def bankmix_reports(tally, boot, machine):
    """The self-checking run read every pixel back right, and the runs made
    the processes take the bank window from each other."""
    log = machine.serial_text()
    checked = re.findall(r'^bankmix: (\d+) runs of (\d+) processes, (\d+) mismatched pixels$',
                         log, re.MULTILINE)
    tally.check(f'{boot.name}: bankmix reads back every pixel it drew',
                bool(checked) and all(m == '0' for _, _, m in checked), f'found {checked}')
    counters = re.findall(r'^bankmix: bank length 65536, bank faults (\d+), '
                          r'bank switches (\d+), straddles (\d+)$', log, re.MULTILINE)
    tally.check(f'{boot.name}: bankmix switches banks and settles straddles',
                bool(counters) and all(int(s) > 0 and int(b) > 0 for _, s, b in counters),
                f'faults, switches, straddles per program: {counters}')


def revocation_redraws(tally, boot, machine):
    """F21: a mode change revokes a live view; the program notices, shares
    the new frame and draws again, and the screen shows the new drawing."""
    prompt = wait_after(machine, r'^\$ $', 0, BOOT_TIMEOUT)
    machine.send_serial(b'gradient follow 8000 &\r')
    first = wait_after(machine, DREW.pattern, prompt.end() if prompt else 0, 60)
    tally.check(f'{boot.name}: gradient draws before the mode change', first is not None)
    if not first:
        return
    machine.send_serial(b'modes set 640x480x16\r')
    lost = wait_after(machine, r'gradient: view lost, sharing again$', first.end(), 60)
    again = wait_after(machine, DREW.pattern, lost.end() if lost else first.end(), 60)
    tally.check(f'{boot.name}: the program learns its view is lost and re-shares',
                lost is not None and again is not None and again.group(2) == '640')
    if again:
        path = machine.screendump(os.path.join(boot.artifacts, f'{boot.name}-after.png'))
        bad = gradient.count_mismatches(png.read_png(path), 640, 480, 16)
        tally.check(f'{boot.name}: the screen shows the drawing made after the mode change',
                    bad == 0, f'{bad} pixels differ (-1: wrong geometry)')


PROGRAMS_RUN = ('run=mandel 0,life 20 1,bounce 40 1,modes,'
                'modes set 640x480x8,mandel 0,life 20 1,bounce 40 1,'
                'modes set 1024x768x16,mandel 0,life 20 1,bounce 40 1')
BANKCOPY_RUN = 'run=bankcopy,modes set 640x480x8,bankcopy,modes set 1024x768x16,bankcopy'

GRADIENT_RUN = ('run=modes set 640x480x8,gradient wait,modes set 800x600x16,gradient wait,'
                'modes set 1024x768x32,gradient wait,ddraw wait,modes set 800x600x8,ddraw wait')
# The vbe miniport's drawings: gradient and ddraw pixel for pixel at
# three modes or more, 15 bpp among them, the same run linear and banked.
VBE_GRADIENT_RUN = ('run=modes set 640x480x8,gradient wait,ddraw wait,modes set 800x600x15,'
                    'gradient wait,ddraw wait,modes set 1024x768x16,gradient wait,'
                    'modes set 1024x768x32,gradient wait,ddraw wait')
# The Cirrus card's BIOS has no 32 bpp modes, the LGPL VGABIOS's Cirrus
# build no 15 bpp either.
CIRRUS_VBE_GRADIENT_RUN = ('run=modes set 640x480x8,gradient wait,ddraw wait,'
                           'modes set 800x600x15,gradient wait,ddraw wait,'
                           'modes set 1024x768x16,gradient wait,ddraw wait')
BOCHS_CIRRUS_GRADIENT_RUN = ('run=modes set 640x480x8,gradient wait,ddraw wait,'
                             'modes set 800x600x16,gradient wait,ddraw wait,'
                             'modes set 1024x768x16,gradient wait,ddraw wait')

# Item 9 of issue 17: a run list longer than the kernel keeps (4,095 bytes of
# command line). 21 entries of 200 bytes: each `hello NN xxx...`, an argument
# shorter than a program takes, so only the line's length is too much.
CUT_RUN = 'run=' + ','.join(f'hello {i:02d} ' + 'x' * 191 for i in range(21))
CUT_LINE = (r'^cmdline: dropped everything from byte 4095 on \("[^"]+"\): the line is longer '
            r'than the kernel takes \(4095 bytes\)$')


def cut_cmdline_is_reported(tally, boot, machine):
    """The kernel says in one line what of its command line was dropped, and
    runs nothing of a run list it did not get whole: the run fails."""
    log = machine.serial_text()
    said = re.findall(CUT_LINE, log, re.MULTILINE)
    tally.check(f'{boot.name}: the console says what of the command line was dropped',
                len(said) == 1, f'{len(said)} lines matching {CUT_LINE!r}')
    ran = re.findall(r'^hello from pid', log, re.MULTILINE)
    summary = re.search(r'^run: 0 program\(s\), 1 failed$', log, re.MULTILINE)
    tally.check(f'{boot.name}: a run list that was cut runs nothing and fails',
                not ran and summary is not None,
                f'{len(ran)} programs ran; summary {summary.group(0) if summary else None}')


# A run-list entry whose name (40 bytes) or arguments (300) are longer than a
# process takes, between them one that fits.
LONG_ENTRY_RUN = 'run=' + 'h' * 40 + ' a,hello ' + 'y' * 300 + ',hello fits'


def long_entries_are_refused(tally, boot, machine):
    """A run-list entry too long for a process is refused with one line and
    counts as failed; it is not cut into another program or arguments."""
    log = machine.serial_text()
    refused = re.findall(r'^run: not started: (h{31}|hello)\.\.\.: a name takes at most 31 '
                         r'bytes, arguments 255$', log, re.MULTILINE)
    greetings = re.findall(r'^hello from pid \d+.*$', log, re.MULTILINE)
    summary = re.search(r'^run: 3 program\(s\), 2 failed$', log, re.MULTILINE)
    tally.check(f'{boot.name}: entries too long are refused, the one that fits runs',
                refused == ['h' * 31, 'hello'] and len(greetings) == 1 and 'fits' in greetings[0]
                and summary is not None,
                f'refused {refused}; greetings {greetings}; summary {bool(summary)}')


def loader_exit_attempt(attempt):
    """A check for boots through vidport's UEFI loader: it exited boot
    services at this attempt (efi.stale-key spoils the first map key, so the
    second must succeed), and the kernel names it as its boot loader."""
    def check(tally, boot, machine):
        said = re.search(r'^vidport-efi: boot services exited at attempt (\d+)',
                         machine.firmware_text(), re.MULTILINE)
        named = re.search(r'^vidport: booted by vidport-efi,', machine.serial_text(), re.MULTILINE)
        tally.check(f'{boot.name}: the loader exits boot services at attempt {attempt}',
                    said is not None and int(said.group(1)) == attempt and named is not None,
                    f'loader said {said.group(0) if said else None}; kernel names it: {bool(named)}')
    return check


BOOTS = [
    Boot('bios-selftest', 'bios', 'selftest', screenshot=True),
    Boot('uefi-selftest', 'uefi', 'selftest', screenshot=True),
    Boot('efi-selftest', 'efi', 'selftest efi.stale-key', screenshot=True,
         extra_checks=(loader_exit_attempt(2),)),
    Boot('efi-gradient', 'efi', GRADIENT_RUN, ktap='', shots=5, screens=gradient_screens,
         extra_checks=(loader_exit_attempt(1),)),
    Boot('bios-1024x768', 'bios', 'selftest ktest=boot,console video=1024x768x32',
         screenshot=True, geometry=(1024, 768)),
    Boot('bios-crash', 'bios', 'selftest ktest=crash', exit_status=qemu.EXIT_FAIL,
         expect_failing={'crash/kernel_page_fault'}, extra_checks=(crash_is_reported,)),
    Boot('bios-crash-bank', 'bios', 'selftest ktest=vpcrash', exit_status=qemu.EXIT_FAIL,
         expect_failing={'vpcrash/faulting_bank_routine_panics'},
         extra_checks=(bank_crash_is_reported,)),
    Boot('bios-v86-crash', 'bios', 'selftest ktest=v86crash', exit_status=qemu.EXIT_FAIL,
         expect_failing={'v86crash/panic_in_a_call'}, extra_checks=(v86_crash_is_reported,)),
    Boot('efi-low-archive', 'efi', 'selftest ktest=v86low efi.low-archive',
         extra_checks=(bios_calls_are_kept_off,)),
    Boot('bios-cut-cmdline', 'bios', CUT_RUN, exit_status=qemu.EXIT_FAIL, ktap='',
         extra_checks=(cut_cmdline_is_reported,)),
    Boot('efi-cut-cmdline', 'efi', CUT_RUN, exit_status=qemu.EXIT_FAIL, ktap='',
         extra_checks=(cut_cmdline_is_reported,)),
    Boot('bios-long-run-entry', 'bios', LONG_ENTRY_RUN, exit_status=qemu.EXIT_FAIL, ktap='',
         extra_checks=(long_entries_are_refused,)),
    Boot('bios-usertests', 'bios', 'run=usertests', ktap='serial'),
    Boot('bios-smp4', 'bios', 'selftest ktest=smp', smp=4,
         extra_checks=(processors_reported(MADT_4, r'smp: 4 CPUs online'),
                       rsdp_found('found by the legacy scan'))),
    Boot('bios-smp1', 'bios', 'selftest ktest=smp', smp=1,
         extra_checks=(processors_reported(r'smp: 1 CPU in the ACPI MADT \(APIC ids 0\)',
                                           r'smp: 1 CPU online'),
                       rsdp_found('found by the legacy scan'))),
    Boot('bios-smp4-crash', 'bios', 'selftest ktest=smpcrash', smp=4, ktap='',
         exit_status=qemu.EXIT_FAIL, extra_checks=(smp_panic_is_reported,)),
    # Processes and BIOS calls on the other CPUs; among them vpsmp on the
    # RAM-backed fake adapter, where stores through stale translations land
    # in the new bank, so without shootdowns it fails.
    Boot('bios-smp4-run', 'bios', 'selftest ktest=smprun', smp=4),
    Boot('bios-smp4-run-stale', 'bios', 'selftest ktest=smprun tlb.skip-others', smp=4,
         exit_status=qemu.EXIT_FAIL,
         expect_failing={'smprun/processes_on_other_cpus_share_the_fake_window'}),
    Boot('bios-smp4-limit2', 'bios', 'selftest ktest=smp smp=2', smp=4,
         extra_checks=(processors_reported(MADT_4, r'smp: 2 CPUs online \(as smp= asks\)'),)),
    Boot('bios-smp4-bad-limit', 'bios', 'smp=9 run=hello', ktap='', smp=4,
         extra_checks=(processors_reported(
             MADT_4, r'smp: smp=9 ignored: it takes a CPU count from 1 to 8',
             r'smp: 4 CPUs online'),)),
    # OVMF puts the RSDP where the legacy scan does not look: GRUB passes
    # none, so the kernel finds it in ACPI-reclaimable memory; vidport's
    # loader hands it over as acpi.rsdp=.
    Boot('uefi-smp4', 'uefi', 'selftest ktest=smp', smp=4,
         extra_checks=(processors_reported(MADT_4, r'smp: 4 CPUs online'),
                       rsdp_found('found in ACPI-reclaimable memory'))),
    Boot('efi-smp4', 'efi', 'selftest ktest=smp', smp=4,
         extra_checks=(processors_reported(MADT_4, r'smp: 4 CPUs online'),
                       rsdp_found('given by acpi.rsdp='))),
    Boot('bios-smp4-bad-rsdp', 'bios', 'acpi.rsdp=0x1234 run=hello', ktap='', smp=4,
         extra_checks=(processors_reported(MADT_4, r'smp: 4 CPUs online'), rsdp_found(
             'found by the legacy scan', 'acpi: acpi.rsdp=0x1234 ignored: no valid RSDP there; '
             'the RSDP is looked for as without it'))),
    Boot('uefi-usertests', 'uefi', 'run=usertests', ktap='serial'),
    Boot('bios-vptest', 'bios', 'run=vptest', ktap='serial'),
    Boot('bios-vpmodes', 'bios', 'faultinject run=vpmodes', ktap='serial'),
    Boot('uefi-vpmodes', 'uefi', 'faultinject run=vpmodes', ktap='serial'),
    Boot('bios-gradient', 'bios', GRADIENT_RUN, ktap='', shots=5, screens=gradient_screens),
    Boot('bios-vbe-gradient', 'bios', 'video.miniport=vbe ' + VBE_GRADIENT_RUN, ktap='', shots=7,
         screens=vbe_gradient_screens),
    Boot('bios-vbe-banked-gradient', 'bios', 'video.miniport=vbe video=banked ' + VBE_GRADIENT_RUN,
         ktap='', shots=7, screens=vbe_gradient_screens),
    Boot('bios-cirrus-vbe-gradient', 'bios', 'video.miniport=vbe ' + CIRRUS_VBE_GRADIENT_RUN,
         ktap='', shots=6, screens=vbe_gradient_screens, vga='cirrus'),
    Boot('bios-cirrus-vbe-banked-gradient', 'bios',
         'video.miniport=vbe video=banked ' + CIRRUS_VBE_GRADIENT_RUN, ktap='', shots=6,
         screens=vbe_gradient_screens, vga='cirrus'),
    Boot('uefi-vbe-declines', 'uefi', 'video.miniport=vbe run=gradient wait', ktap='', shots=1,
         screens=vbe_declines_on_uefi),
    Boot('uefi-gradient', 'uefi', GRADIENT_RUN, ktap='', shots=5, screens=gradient_screens),
    Boot('bios-banked-gradient', 'bios', 'video=banked ' + GRADIENT_RUN, ktap='', shots=5,
         screens=gradient_screens),
    Boot('bios-bankmix', 'bios', 'video=banked run=modes set 640x480x8,bankmix 2 100 wait,'
         'bankmix 4 100 wait,bankmix 4 10', ktap='', shots=200, screens=bankmix_screens,
         extra_checks=(bankmix_reports,)),
    Boot('bios-vga', 'bios', 'video.miniport=vga run=gradient wait', ktap='', shots=1,
         screens=gradient_screens),
    Boot('uefi-vptest', 'uefi', 'run=vptest', ktap='serial'),
    Boot('bios-cirrus-gradient', 'bios', 'video=800x600x32 run=gradient wait,ddraw wait',
         vga='cirrus', ktap='', shots=2, screens=gradient_screens),
    Boot('bios-cirrus-vpcirrus', 'bios', 'video=800x600x32 run=vpcirrus', vga='cirrus',
         ktap='serial'),
    Boot('bios-cirrus-text-vga', 'bios', 'video=1024x768x32 run=gradient wait', vga='cirrus',
         ktap='', shots=1, screens=vga_takes_text_screen),
    Boot('bios-revoke', 'bios', '', exit_status=None, extra_checks=(revocation_redraws,)),
    Boot('uefi-bootfb', 'uefi', 'video.miniport=bootfb run=gradient wait', ktap='', shots=1,
         screens=gradient_screens),
    Boot('bios-programs', 'bios', PROGRAMS_RUN, ktap=''),
    Boot('bios-banked-programs', 'bios', 'video=banked ' + PROGRAMS_RUN, ktap=''),
    Boot('bios-vbe-banked-programs', 'bios', 'video.miniport=vbe video=banked ' + PROGRAMS_RUN,
         ktap=''),
    Boot('bios-cirrus-vbe-banked-programs', 'bios',
         'video.miniport=vbe video=banked ' + PROGRAMS_RUN, ktap='', vga='cirrus'),
    Boot('bios-vpbank', 'bios', 'video=banked run=vpbank', ktap='serial'),
    Boot('bios-shell-full-table', 'bios', '', exit_status=None,
         extra_checks=(shell_survives_a_full_table,)),
    Boot('bios-vplimits', 'bios',
         'faultinject run=vplimits fill-table,vplimits arm-and-exit,vplimits', ktap='serial',
         types=types_two_lines_on_cue),
    Boot('bios-banked-vplimits', 'bios', 'video=banked run=vplimits', ktap='serial',
         types=types_two_lines_on_cue),
    Boot('bios-vpinject', 'bios', 'faultinject run=vpinject', ktap='serial'),
    Boot('bios-bankcopy', 'bios', 'video=banked ' + BANKCOPY_RUN, ktap='',
         extra_checks=(bankcopy_reports,)),
    Boot('bios-vpfuzz', 'bios', 'faultinject run=vpfuzz 1 20000 4', ktap='',
         extra_checks=(vpfuzz_reports,)),
    Boot('bios-banked-vpfuzz', 'bios', 'video=banked faultinject run=vpfuzz 2 20000 4', ktap='',
         extra_checks=(vpfuzz_reports,)),
    Boot('bios-vpfuzz-oracle', 'bios', 'faultinject run=vpfuzz 5 6000 4 linear oracle', ktap='',
         extra_checks=(vpfuzz_reports,)),
    Boot('bios-vbe-vptest', 'bios', 'video.miniport=vbe run=vptest', ktap='serial'),
    Boot('bios-vbe-selftest', 'bios', 'selftest ktest=v86,int10,vbe,console video.miniport=vbe '
         'video=banked'),
    Boot('bios-cirrus-vbe-selftest', 'bios', 'selftest ktest=int10,vbe video.miniport=vbe',
         vga='cirrus'),
    Boot('bios-vbe-vpbank', 'bios', 'video.miniport=vbe video=banked run=vpbank', ktap='serial'),
    Boot('bios-vbe-4f05-vpbank', 'bios',
         'video.miniport=vbe video=banked video.window=4f05 run=vpbank', ktap='serial',
         extra_checks=(window_moves_by('4F05'),)),
    Boot('bios-cirrus-vbe-function-bankcopy', 'bios',
         'video.miniport=vbe video=banked video.window=function ' + BANKCOPY_RUN, ktap='',
         vga='cirrus', extra_checks=(bankcopy_reports, window_moves_by('the window function'))),
    Boot('bios-vbe-bankmix', 'bios', 'video.miniport=vbe video=banked run=modes set 640x480x8,'
         'bankmix 2 20 wait,bankmix 4 20 wait,bankmix 4 10', ktap='', shots=40,
         screens=bankmix_screens, extra_checks=(bankmix_reports,)),
    Boot('bios-vbe-bankcopy', 'bios', 'video.miniport=vbe video=banked ' + BANKCOPY_RUN, ktap='',
         extra_checks=(bankcopy_reports,)),
    Boot('bios-vbe-banked-vpfuzz', 'bios',
         'video.miniport=vbe video=banked faultinject run=vpfuzz 9 6000 4 banked oracle', ktap='',
         extra_checks=(vpfuzz_reports,)),
    Boot('bios-banked-vpfuzz-oracle', 'bios',
         'video=banked faultinject run=vpfuzz 6 6000 4 banked oracle', ktap='',
         extra_checks=(vpfuzz_reports,)),
    Boot('bios-banked-vpfuzz-strict', 'bios', 'video=banked faultinject run=vpfuzz 7 3000 4 strict',
         ktap='', extra_checks=(vpfuzz_reports,)),
    Boot('bios-shell', 'bios', '', exit_status=None, extra_checks=(shell_session,),
         large_archive=True),
    Boot('bios-vpstorm', 'bios', 'run=vpstorm 100 4', ktap='', extra_checks=(storm_reports,)),
    Boot('bios-vpisolate', 'bios', 'run=vpisolate', ktap='serial'),
    Boot('bios-vpisolate-smp4', 'bios', 'run=vpisolate', ktap='serial', smp=4),
    # The same without shootdowns: the unshare's test sees the stale translation.
    Boot('bios-vpisolate-smp4-stale', 'bios', 'tlb.skip-others run=vpisolate', ktap='serial',
         smp=4, exit_status=qemu.EXIT_FAIL,
         expect_failing={'/unshare_stops_a_running_child'}),
    Boot('bios-vpsmp', 'bios', 'run=vpsmp', ktap='serial', smp=4),
    # (Without shootdowns it still passes here: QEMU's adapter remaps its
    # window at a switch, dropping every CPU's translations; bios-smp4-run-
    # stale shows the difference on the fake adapter.)
    Boot('bios-vpexec', 'bios', 'run=vpexec', ktap='serial', large_archive=True),
    Boot('bios-banked-vpisolate', 'bios', 'video=banked run=vpisolate', ktap='serial'),
    Boot('bios-banked-vpstorm', 'bios', 'video=banked run=vpstorm 100 4', ktap='',
         extra_checks=(storm_reports,)),
    Boot('bios-banked-vpstorm-strict', 'bios', 'video=banked run=vpstorm 40 4 strict', ktap='',
         extra_checks=(storm_reports,)),
    Boot('uefi-shell', 'uefi', '', exit_status=None, extra_checks=(shell_session,)),
    Boot('efi-shell', 'efi', '', exit_status=None, extra_checks=(shell_session,)),
    # Bochs 2.7: its own BIOS and LGPL VGABIOS, its DISPI adapter ('std') and Cirrus.
    Boot('bochs-selftest', 'bios', 'selftest', screenshot=True, emulator='bochs'),
    Boot('bochs-vptest', 'bios', 'run=vptest', ktap='serial', emulator='bochs'),
    Boot('bochs-gradient', 'bios', GRADIENT_RUN, ktap='', shots=5, screens=gradient_screens,
         emulator='bochs'),
    Boot('bochs-banked-gradient', 'bios', 'video=banked ' + GRADIENT_RUN, ktap='', shots=5,
         screens=gradient_screens, emulator='bochs'),
    Boot('bochs-banked-vpbank', 'bios', 'video=banked run=vpbank no-code-in-video',
         ktap='serial', emulator='bochs'),
    Boot('bochs-banked-bankcopy', 'bios', 'video=banked ' + BANKCOPY_RUN, ktap='',
         extra_checks=(bankcopy_reports,), emulator='bochs'),
    Boot('bochs-cirrus-selftest', 'bios', 'selftest video=800x600x32', screenshot=True,
         vga='cirrus', emulator='bochs'),
    Boot('bochs-cirrus-vpcirrus', 'bios', 'video=800x600x32 run=vpcirrus', ktap='serial',
         vga='cirrus', emulator='bochs'),
    Boot('bochs-cirrus-gradient', 'bios', 'video=800x600x32 run=gradient wait,ddraw wait',
         ktap='', shots=2, screens=gradient_screens, vga='cirrus', emulator='bochs'),
    Boot('bochs-vbe-selftest', 'bios', 'selftest ktest=v86,int10,vbe,console video.miniport=vbe '
         'video=banked', emulator='bochs'),
    Boot('bochs-cirrus-vbe-selftest', 'bios', 'selftest ktest=int10,vbe video.miniport=vbe',
         vga='cirrus', emulator='bochs'),
    Boot('bochs-vbe-gradient', 'bios', 'video.miniport=vbe ' + VBE_GRADIENT_RUN, ktap='', shots=7,
         screens=vbe_gradient_screens, emulator='bochs'),
    Boot('bochs-vbe-banked-gradient', 'bios', 'video.miniport=vbe video=banked ' + VBE_GRADIENT_RUN,
         ktap='', shots=7, screens=vbe_gradient_screens, emulator='bochs'),
    Boot('bochs-vbe-vptest', 'bios', 'video.miniport=vbe run=vptest', ktap='serial',
         emulator='bochs'),
    Boot('bochs-vbe-banked-vpbank', 'bios',
         'video.miniport=vbe video=banked run=vpbank no-code-in-video', ktap='serial',
         extra_checks=(window_moves_by('4F05'),), emulator='bochs'),
    # The LGPL VGABIOS's Cirrus build offers 8, 16 and 24 bpp, no 32.
    Boot('bochs-cirrus-vbe-gradient', 'bios', 'video.miniport=vbe ' + BOCHS_CIRRUS_GRADIENT_RUN,
         ktap='', shots=6, screens=vbe_gradient_screens, vga='cirrus', emulator='bochs'),
    Boot('bochs-cirrus-vbe-banked-gradient', 'bios',
         'video.miniport=vbe video=banked ' + BOCHS_CIRRUS_GRADIENT_RUN, ktap='', shots=6,
         screens=vbe_gradient_screens, vga='cirrus', emulator='bochs',
         extra_checks=(window_moves_by('the window function'),)),
    Boot('bochs-vbe-banked-programs', 'bios', 'video.miniport=vbe video=banked ' + PROGRAMS_RUN,
         ktap='', emulator='bochs'),
    Boot('bochs-vbe-banked-bankcopy', 'bios', 'video.miniport=vbe video=banked ' + BANKCOPY_RUN,
         ktap='', extra_checks=(bankcopy_reports,), emulator='bochs'),
]

# These again on four CPUs, with the same checks: the kernel's suites, the
# process and video tests, the banked ones with their data oracles.
SMP_TWINS = ('bios-selftest', 'uefi-selftest', 'bios-usertests', 'uefi-usertests', 'bios-vptest',
             'uefi-vptest', 'bios-vpbank', 'bios-bankcopy', 'bios-vpstorm', 'bios-vpfuzz-oracle',
             'bios-banked-vpfuzz-oracle', 'bios-bankmix')
BOOTS += [dataclasses.replace(b, name=f'{b.name}-smp4', smp=4) for b in BOOTS
          if b.name in SMP_TWINS]


@dataclass
class Refusal:
    """A broken loader disk: the UEFI loader must say why and return to the firmware."""
    name: str
    kernel: object  # kernel(elf bytes) -> the disk's vidport.elf (bytes, or None: no file)
    message: str    # what the loader must say (regex over the firmware's serial text)


LOADER_REFUSALS = [
    Refusal('efi-no-kernel', lambda elf: None,
            r'^vidport-efi: cannot read vidport\.elf next to the loader: Not Found$'),
    Refusal('efi-truncated-kernel', lambda elf: elf[:0x10000],
            r'^vidport-efi: cannot boot vidport\.elf: a segment lies outside the file'),
    # OVMF keeps ACPI NVS memory at 8 MiB.
    Refusal('efi-kernel-in-use', lambda elf: efidisk.moved(elf, 0x700000),
            r'^vidport-efi: cannot boot: the kernel belongs at 0x800000-0x[0-9A-F]+, '
            r'but 0x800000 is ACPI NVS memory$'),
]


def run_refusal(tally, refusal, disk, artifacts, smp):
    """Boot a broken disk on `smp` CPUs: the loader's reason, its return and
    the firmware going on to its next boot option must follow each other,
    and no kernel."""
    stages = (('the loader says why', refusal.message),
              ('the loader returns to the firmware', r'^vidport-efi: returning to the firmware$'),
              ('the firmware goes on to its next boot option',
               r'^BdsDxe: failed to start Boot\d+ .*HARDDISK'))
    with qemu.Machine(image=disk, firmware='efi', name=refusal.name, artifacts=artifacts,
                      smp=smp) as m:
        for what, pattern in stages:
            try:
                m.wait_for_firmware(pattern, timeout=BOOT_TIMEOUT)
                tally.record(f'{refusal.name}: {what}', PASS)
            except qemu.Timeout as e:
                tally.record(f'{refusal.name}: {what}', FAIL, str(e))
                return
        tally.check(f'{refusal.name}: the kernel does not start', m.boot_seconds() is None)


def refusal_disks(build, refusals):
    """Each refusal's disk: the loader disk with its kernel file replaced."""
    base = builds.efi_image(build, 'efi-refusal-base', '')
    with open(os.path.join(build, 'vidport.elf'), 'rb') as f:
        elf = f.read()
    return {r.name: efidisk.variant(base, os.path.join(build, 'test-efi', f'{r.name}.img'),
                                    r.kernel(elf)) for r in refusals}


# ------------------------------------------------------------- benchmark smoke

def _bank_keys(g):
    """The switch figures of geometry g every banked adapter's run reports."""
    return [f'bankswitch.{g}.banked', f'routine.{g}.banked', f'routine_bare.{g}.banked']


def _expected_bench_keys():
    """Every figure the standard-VGA vpbench run must report."""
    keys = ['syscall.null', 'switch.context']
    for g in bench.GEOMETRIES:
        keys += _bank_keys(g) + [f'straddle.{g}.banked', f'straddle.{g}.linear']
        for kind in bench.KINDS:
            keys += [f'share.{g}.{kind}', f'touch.{g}.{kind}']
            keys += [f'{op}.{g}.{k}' for op in ('fill', 'copy', 'read')
                     for k in (kind, f'{kind}-ram')]
    return keys


def _expected_vbe_keys():
    """Every figure the vbe miniport's vpbench run (frame banks) must report."""
    return [key for g in bench.GEOMETRIES for key in _bank_keys(g) +
            [f'fill.{g}.linear', f'fill.{g}.banked']]


def check_bench_figures(tally, runs):
    """What the smoke run's figures must show, whatever their speed."""
    std, cirrus, vbe = runs['std'], runs['cirrus'], runs['vbe']
    missing = [k for k in _expected_bench_keys() if k not in std.cycles]
    missing_vbe = [k for k in _expected_vbe_keys() if k not in vbe.cycles]
    tally.check('bench: every vpbench run ends ok', all(r.end == 'ok' for r in runs.values()),
                f'ends: {[(n, r.end) for n, r in runs.items()]}')
    tally.check('bench: the std VGA run reports every figure', not missing, f'missing {missing}')
    tally.check('bench: the vbe run reports every figure', not missing_vbe,
                f'missing {missing_vbe}')
    bare = {name: runs[name].cycles.get('routine_bare.800x600x32.banked')
            for name in ('std', 'cirrus', 'vbe')}
    tally.check('bench: the bare bank routine switches on every adapter (no zero figure)',
                all(s and s.low > 0 for s in bare.values()), f'{bare}')
    for g in bench.GEOMETRIES:
        tally.check(f'bench: vbe: {g}: a sequential banked fill takes one fault per bank',
                    vbe.counts.get(f'banks.{g}.banked')
                    and vbe.counts.get(f'fill_faults.{g}.banked')
                    == vbe.counts.get(f'banks.{g}.banked'), f'{vbe.counts}')
    for g in bench.GEOMETRIES:
        banks = std.counts.get(f'banks.{g}.banked')
        tally.check(f'bench: {g}: a sequential banked fill takes one fault per bank',
                    banks and std.counts.get(f'fill_faults.{g}.banked') == banks,
                    f'{std.counts.get(f"fill_faults.{g}.banked")} faults, {banks} banks')
        tally.check(f'bench: {g}: touching a linear view takes no fault, a banked one one per bank',
                    std.counts.get(f'touch_faults.{g}.linear') == 0
                    and std.counts.get(f'touch_faults.{g}.banked') == banks,
                    f'{std.counts}')
    tally.check('bench: cirrus: a sequential banked fill takes one fault per 32 KiB bank',
                cirrus.counts.get('banks.800x600x32.banked') == 800 * 600 * 4 // 32768 + 1
                and cirrus.counts.get('fill_faults.800x600x32.banked')
                == cirrus.counts.get('banks.800x600x32.banked'), f'{cirrus.counts}')
    for name, n in bench.SMP_RUNS[1:]:
        run = runs[name]
        tally.check(f'bench: {name}: {n} CPUs report each figure of several CPUs',
                    run.counts.get('smp.cpus') == n and 'smp.shootdown' in run.cycles
                    and 'smp.bank_switch.800x600x32' in run.cycles
                    and all(run.counts.get(f'smp.scaling.{k}.fills_{c}')
                            for k in ('linear', 'ram') for c in (1, n)),
                    f'{run.counts} {sorted(run.cycles)}')
    tally.check('bench: one window straddles, two windows do not',
                std.counts.get('window_slots.800x600x32.banked') == 1
                and std.counts.get('straddles.800x600x32.banked', 0) > 0
                and cirrus.counts.get('window_slots.800x600x32.banked') == 2
                and cirrus.counts.get('straddles.800x600x32.banked') == 0,
                f'std {std.counts}, cirrus {cirrus.counts}')


def check_bench_outputs(tally, out, table):
    """The files make bench writes exist and hold the table."""
    with open(os.path.join(out, 'results.json')) as f:
        data = json.load(f)
    with open(os.path.join(out, 'results.md')) as f:
        markdown = f.read()
    tally.check('bench: results.json holds every row and each firmware\'s boot times',
                len(data['rows']) == len(table) and all(data['boots'].get(fw) for fw in
                                                         ('bios', 'uefi', 'efi')),
                f'{data["boots"]}')
    tally.check('bench: results.md holds the table', markdown.count('\n|') == len(table) + 2)
    limits = [r.figure for r in table if r.figure.startswith("banked fill against the emulator's")]
    tally.check('bench: the table holds the emulator\'s limit of every banked adapter',
                all(any(f.endswith(', ' + hw) for f in limits)
                    for hw in (bench.STD, bench.CIRRUS, bench.VBE)), f'{limits}')
    chart = png.read_png(os.path.join(out, 'ratios.png'))
    tally.check('bench: ratios.png draws one bar per ratio',
                chart.height == barchart.TOP + 30 + barchart.ROW_HEIGHT
                * sum(1 for r in table if r.ratio), f'{chart.width}x{chart.height}')


def run_bench_smoke(tally, build, font_path, smp):
    """make bench's own code with tiny repeat counts on `smp` CPUs, so it cannot rot."""
    out = os.path.join(build, 'test-artifacts', 'bench')
    try:
        runs, table, _ = run_bench.run(build, font_path, out, smoke=True,
                                       log=lambda line: print(f'  bench: {line}', flush=True),
                                       smp=smp)
    except (qemu.Timeout, qemu.QemuError, OSError, subprocess.CalledProcessError) as e:
        tally.record('bench: the smoke run completes', FAIL, str(e))
        return
    check_bench_figures(tally, runs)
    check_bench_outputs(tally, out, table)


# ------------------------------------------------------------------ host tests

TAP_LINE = re.compile(r'^(ok|not ok) \d+ - (\S+)\n((?:#.*\n)*)', re.MULTILINE)


def run_host_tests(tally, build):
    """Run each cmocka binary with TAP output; a crash (e.g. ASan) fails it."""
    host_dir = os.path.join(build, 'host')
    binaries = sorted(f for f in os.listdir(host_dir) if f.startswith('test_'))
    tally.check('host: unit test binaries built', bool(binaries), f'none in {host_dir}')
    for binary in binaries:
        env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT='TAP')
        proc = subprocess.run([os.path.join(host_dir, binary)], env=env, text=True,
                              capture_output=True, timeout=300)
        # cmocka prints a failure's details as '#' lines after its result.
        for status, name, details in TAP_LINE.findall(proc.stdout + '\n'):
            tally.record(f'host: {binary[5:]}/{name}', PASS if status == 'ok' else FAIL,
                         details + _tail(proc.stderr))
        if proc.returncode != 0 and 'not ok' not in proc.stdout:
            tally.record(f'host: {binary[5:]} exits cleanly', FAIL, _tail(proc.stderr))


def run_header_check(tally, build):
    """`make header-check`: tests/header/ntnames.c, whose functions share
    names with the helpers of <vpdraw.h> and <vputil.h>, compiles and links
    with <vidport.h> alone; the compiler's complaint is the detail."""
    proc = subprocess.run(['make', '-s', '-C', ROOT, 'header-check', f'BUILD={build}'],
                          text=True, capture_output=True, timeout=300)
    tally.check('host: public header leaves program names free', proc.returncode == 0,
                _tail(proc.stdout + proc.stderr))


def _tail(text, lines=12):
    return '\n'.join(text.strip().splitlines()[-lines:])


# ------------------------------------------------------------------ fuzzing

FUZZ_SECONDS = 5  # each target's run in make test; make fuzz asks for more
# What a failed run's output says about the failure, then how to repeat it.
FUZZ_REPORT = re.compile(r'^.*(property broken|runtime error|ERROR:|SUMMARY:|Test unit written'
                         r').*$|^INFO: Seed: \d+$', re.MULTILINE)


def run_fuzz_targets(tally, build, seconds):
    """Each libFuzzer target replays its seeds (tests/fuzz/corpus/NAME) and
    what earlier runs kept (BUILD/fuzz/corpus/NAME), then fuzzes for
    `seconds`. A broken property, a sanitizer report or a crash fails it;
    the input is written to BUILD/fuzz/NAME-crash-*."""
    fuzz_dir = os.path.join(build, 'fuzz')
    names = sorted(f[len('fuzz_'):] for f in os.listdir(fuzz_dir)
                   if f.startswith('fuzz_')) if os.path.isdir(fuzz_dir) else []
    tally.check('fuzz: targets built', bool(names), f'none in {fuzz_dir}')
    for name in names:
        seeds = os.path.join(ROOT, 'tests', 'fuzz', 'corpus', name)
        kept = os.path.join(fuzz_dir, 'corpus', name)
        os.makedirs(kept, exist_ok=True)
        command = [os.path.join(fuzz_dir, f'fuzz_{name}'), f'-max_total_time={seconds}',
                   '-timeout=10', '-print_final_stats=1',
                   f'-artifact_prefix={os.path.join(fuzz_dir, name)}-', kept, seeds]
        try:
            proc = subprocess.run(command, text=True, capture_output=True, timeout=seconds + 120)
        except subprocess.TimeoutExpired:
            tally.record(f'fuzz: {name}', FAIL, f'no end after {seconds + 120} s')
            continue
        runs = re.search(r'stat::number_of_executed_units:\s*(\d+)', proc.stderr)
        report = sorted((m.group(0) for m in FUZZ_REPORT.finditer(proc.stderr)),
                        key=lambda line: line.startswith('INFO: Seed'))
        tally.record(f'fuzz: {name}', PASS if proc.returncode == 0 else FAIL,
                     '\n'.join(report) or _tail(proc.stderr))
        print(f'  fuzz {name}: {runs.group(1) if runs else "?"} inputs run, '
              f'{len(os.listdir(seeds))} seeds', flush=True)


# ------------------------------------------------------------- harness tests

class _TallyResult(unittest.TestResult):
    """Forward each unittest outcome to the tally."""

    def __init__(self, tally):
        super().__init__()
        self.tally = tally

    def addSuccess(self, test):
        self.tally.record(f'harness: {test.id()}', PASS)

    def addFailure(self, test, err):
        self.tally.record(f'harness: {test.id()}', FAIL, self._exc_info_to_string(err, test))

    addError = addFailure

    def addSkip(self, test, reason):
        self.tally.record(f'harness: {test.id()}', SKIP, reason)


def run_harness_tests(tally):
    suite = unittest.defaultTestLoader.discover(os.path.join(ROOT, 'tests', 'harness'),
                                                pattern='test_*.py')
    suite.run(_TallyResult(tally))


# ------------------------------------------------------------------ QEMU boots

def check_screenshot(tally, boot, machine, artifacts, font):
    """Screendump at the kernel's marker; check geometry and every text pixel."""
    try:
        marker = screen.parse_marker(machine.wait_for(screen.MARKER.pattern, timeout=BOOT_TIMEOUT))
    except qemu.Timeout as e:
        tally.record(f'{boot.name}: console text marker appears', FAIL, str(e))
        return
    path = machine.screendump(os.path.join(artifacts, f'{boot.name}.png'))
    machine.send_serial(b'\n')
    image = png.read_png(path)
    shown = (image.width, image.height)
    reported = re.search(r'^screen: (\d+)x(\d+)x', machine.serial_text(), re.MULTILINE)
    tally.check(f'{boot.name}: frame buffer geometry matches QEMU',
                reported is not None and shown == boot.geometry
                and (int(reported.group(1)), int(reported.group(2))) == shown
                and (marker['width'], marker['height']) == shown,
                f'QEMU shows {shown}, kernel reports '
                f'{reported.group(0) if reported else None}, expected {boot.geometry}')
    _check_text_pixels(tally, boot, image, marker, font, artifacts)


def _check_text_pixels(tally, boot, image, marker, font, artifacts):
    bad = screen.count_mismatches(image, marker, font)
    # A rotated text must not match: proves the comparison can tell text apart.
    rotated = marker['text'][1:] + marker['text'][0]
    control = screen.count_mismatches(image, marker, font, rotated)
    if bad:
        screen.write_diff(os.path.join(artifacts, f'{boot.name}.diff.png'), image, marker, font)
    tally.check(f'{boot.name}: console text found in screenshot', bad == 0 and control > 0,
                f'{bad} pixels differ from the font (see {boot.name}.diff.png); '
                f'control mismatches {control}')


def check_ktap(tally, boot, machine):
    report = ktap.parse(machine.serial_text() if boot.ktap == 'serial' else machine.debugcon_text())
    tally.check(f'{boot.name}: KTAP output well-formed', not report.problems and report.results,
                '; '.join(report.problems) or 'no results')
    for r in report.results:
        key = f'{r.suite}/{r.name}'
        if r.status == 'skip':
            tally.record(f'{boot.name}: {key}', SKIP, r.reason)
        elif key in boot.expect_failing:
            tally.check(f'{boot.name}: {key} fails as it must', r.status == 'not ok')
        else:
            tally.check(f'{boot.name}: {key}', r.status == 'ok', '\n'.join(r.diagnostics))


def machine_for(boot, iso, artifacts):
    """The emulator run a boot asks for (not yet started)."""
    if boot.emulator == 'bochs':
        return bochs.Bochs(image=iso, name=boot.name, artifacts=artifacts, vga=boot.vga,
                           frames=boot.screenshot or boot.screens is not None)
    return qemu.Machine(image=iso, firmware=boot.firmware, name=boot.name, artifacts=artifacts,
                        vga=boot.vga, smp=boot.smp or 1)


def run_boot(tally, boot, iso, artifacts, font):
    """Boot once and record every check; returns the seconds to the first line."""
    boot.artifacts = artifacts
    with machine_for(boot, iso, artifacts) as m:
        try:
            m.wait_for(r'^vidport: booted by', timeout=BOOT_TIMEOUT)
            tally.record(f'{boot.name}: boots to the kernel', PASS)
        except qemu.Timeout as e:
            tally.record(f'{boot.name}: boots to the kernel', FAIL, str(e))
            return None
        if boot.screenshot:
            check_screenshot(tally, boot, m, artifacts, font)
        if boot.screens:
            boot.screens(tally, boot, m, artifacts)
        if boot.types:
            boot.types(tally, boot, m)
        if boot.exit_status is None:  # an interactive boot: the checks drive it
            for extra in boot.extra_checks:
                extra(tally, boot, m)
            return m.boot_seconds()
        try:
            rc = m.wait_exit(timeout=BOOT_TIMEOUT)
        except qemu.Timeout as e:
            rc = f'timeout: {e}'
        tally.check(f'{boot.name}: exit status', rc == boot.exit_status,
                    f'got {rc}, expected {boot.exit_status}')
        if boot.ktap:
            check_ktap(tally, boot, m)
        for extra in boot.extra_checks:
            extra(tally, boot, m)
        return m.boot_seconds()


def timed_boot(*args):
    """run_boot, and the wall time of the whole boot (QEMU start to its checks' end)."""
    start = time.monotonic()
    first_line = run_boot(*args)
    return first_line, time.monotonic() - start


def selected_boots(emulator, names=None, smp=None):
    """The boots on `emulator` (all, or those named), each with its CPU
    count settled: a QEMU boot's own when it names one (the boots that test
    the count), else `smp` (1 when None); Bochs has one CPU."""
    def settled(b):
        return b.smp or (smp or 1 if emulator == 'qemu' else 1)
    return [dataclasses.replace(b, smp=settled(b)) for b in BOOTS
            if b.emulator == emulator and (not names or b.name in names)]


def run_boots(tally, build, font_path, jobs, names=None, emulator='qemu', smp=None):
    """Run the boots on `emulator` (all, or those named; QEMU's on `smp`
    CPUs if given), `jobs` at a time; artifacts go to BUILD/test-artifacts/,
    which the caller emptied."""
    boots = selected_boots(emulator, names, smp)
    refusals = [r for r in LOADER_REFUSALS
                if emulator == 'qemu' and (not names or r.name in names)]
    artifacts = os.path.join(build, 'test-artifacts')
    os.makedirs(artifacts, exist_ok=True)
    font = psf.load(font_path)
    media = {b.name: builds.medium(build, b.name, b.kargs, b.firmware, b.large_archive)
             for b in boots}
    disks = refusal_disks(build, refusals) if refusals else {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {boot.name: pool.submit(timed_boot, tally, boot, media[boot.name],
                                          artifacts, font) for boot in boots}
        refused = [pool.submit(run_refusal, tally, r, disks[r.name], artifacts, smp or 1)
                   for r in refusals]
        times = {name: f.result() for name, f in futures.items()}
        for f in refused:
            f.result()
    for name, (seconds, wall) in times.items():
        if seconds is not None:
            print(f'  boot time {name}: {seconds:.2f} s from the emulator\'s start to the kernel\'s '
                  f'first line, {wall:.1f} s in all')


# ------------------------------------------------------------------------ main

def unknown_boots(names):
    """Of the names --boot gave, those no boot or loader refusal has."""
    known = {b.name for b in BOOTS} | {r.name for r in LOADER_REFUSALS}
    return sorted(set(names or ()) - known)


def parse_args(argv):
    """The command line: which groups and boots to run, and where."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--build', default=os.path.join(ROOT, 'build'))
    parser.add_argument('--font', default='/usr/share/consolefonts/Lat15-Terminus16.psf.gz')
    parser.add_argument('--only', nargs='*',
                        choices=['host', 'harness', 'fuzz', 'boot', 'bochs', 'bench'])
    parser.add_argument('--jobs', type=int, default=2, help='QEMU boots at once')
    parser.add_argument('--boot', nargs='+', action='extend',
                        help='run only these boots (by name); given again, it adds more')
    parser.add_argument('--fuzz-seconds', type=int, default=FUZZ_SECONDS,
                        help='how long each fuzz target runs')
    parser.add_argument('--smp', type=int, choices=qemu_machine.SMP_RANGE, metavar='N',
                        help="CPUs of every QEMU boot that names no count of its own "
                             "(1 to 8; default 1)")
    return parser.parse_args(argv)


def main():
    args = parse_args(sys.argv[1:])
    build = os.path.abspath(args.build)
    groups = args.only or ['host', 'harness', 'fuzz', 'boot', 'bochs', 'bench']
    tally = Tally()
    if 'host' in groups:
        print('host unit tests:', flush=True)
        run_host_tests(tally, build)
        run_header_check(tally, build)
    if 'harness' in groups:
        print('harness unit tests:', flush=True)
        run_harness_tests(tally)
    if 'fuzz' in groups:
        print(f'fuzz targets ({args.fuzz_seconds} s each):', flush=True)
        run_fuzz_targets(tally, build, args.fuzz_seconds)
    if 'boot' in groups or 'bochs' in groups:
        shutil.rmtree(os.path.join(build, 'test-artifacts'), ignore_errors=True)
        for name in unknown_boots(args.boot):
            tally.record(f'boot {name} exists', FAIL, 'no boot of that name in BOOTS')
    if 'boot' in groups:
        print('QEMU boots (artifacts in build/test-artifacts/):', flush=True)
        run_boots(tally, build, args.font, args.jobs, args.boot, smp=args.smp)
    if 'bochs' in groups:
        print('Bochs boots (artifacts in build/test-artifacts/):', flush=True)
        run_boots(tally, build, args.font, args.jobs, args.boot, emulator='bochs')
    if 'bench' in groups:
        print('benchmark smoke run (make bench with tiny repeat counts):', flush=True)
        run_bench_smoke(tally, build, args.font, args.smp or 1)
    for name, detail in tally.failures():
        print(f'\nFAILED: {name}\n{detail}')
    print(tally.summary())
    return 1 if tally.count(FAIL) else 0


if __name__ == '__main__':
    sys.exit(main())
