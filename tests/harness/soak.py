"""What one soak boot (tests/run_soak.py) showed, and whether it passed.

A soak entry is one boot running one program: `vpfuzz SEED N PROCS ...`
or `vpstorm CYCLES PROCS`. Its timeout grows with the work asked for,
so that a long run never hits it and a hang still ends. A vpfuzz boot
passes only when its data oracles checked something: whole stripes
verified and kernel outputs judged.
"""
import re
from dataclasses import dataclass, field

import fuzzlog
import qemu

BOOT_SECONDS = 120         # boot, baseline and the final checks, with room to spare
SECONDS_PER_OP = 0.01      # a vpfuzz operation takes 1-3 ms under TCG; room for a busy host
SECONDS_PER_CYCLE = 1.0    # a vpstorm cycle (processes, views, a mode change) is far longer
PROGRAMS = ('vpfuzz', 'vpstorm')


@dataclass
class Soak:
    """One boot: a name, its kernel options (ending in run=PROGRAM ARGS)
    and the machine's CPUs."""
    name: str
    kargs: str
    smp: int = 1

    def command(self):
        return self.kargs.split('run=', 1)[1].split()

    def program(self):
        return self.command()[0]

    def work(self):
        """Operations (vpfuzz) or cycles (vpstorm) asked for."""
        args = self.command()
        return int(args[2] if self.program() == 'vpfuzz' else args[1])

    def timeout(self):
        per_unit = SECONDS_PER_OP if self.program() == 'vpfuzz' else SECONDS_PER_CYCLE
        return BOOT_SECONDS + self.work() * per_unit


@dataclass
class Result:
    """A soak boot's figures; status ok, failed, panic, timeout or missing."""
    name: str
    program: str
    kargs: str
    status: str = 'failed'
    seed: int = None
    work: int = 0
    unit: str = 'operations'
    procs: int = None
    mode: str = ''
    seconds: float = 0.0
    panics: int = 0
    leaks: int = None
    kcheck: int = None
    workers_failed: int = None
    verified: int = None  # whole-stripe checks of the data oracles (vpfuzz)
    outputs: int = None   # kernel outputs into stripes they judged
    latency_us: int = None  # the kernel's longest stretch with interrupts off (vpfuzz)
    exit_status: object = None
    findings: list = field(default_factory=list)

    def line(self):
        """The figures on one line, for a person."""
        counts = ' '.join(f'{k} {"-" if v is None else v}' for k, v in
                          (('panics', self.panics), ('leaks', self.leaks),
                           ('kcheck', self.kcheck), ('workers-failed', self.workers_failed),
                           ('verified', self.verified), ('outputs', self.outputs),
                           ('latency-us', self.latency_us)))
        seed = '-' if self.seed is None else self.seed
        procs = '-' if self.procs is None else self.procs
        return (f'{self.name}: seed {seed} {self.unit} {self.work} procs {procs} mode {self.mode}'
                f' {self.seconds:.1f} s {counts}: {self.status}')


def missing(soak):
    """The result of a soak entry whose program is not built in this tree."""
    return Result(soak.name, soak.program(), soak.kargs, status='missing', work=soak.work())


def _fuzz_figures(result, soak, text):
    runs = fuzzlog.parse(text)
    if len(runs) != 1:
        result.findings.append(f'{len(runs)} vpfuzz runs in the log, expected one')
        return False
    run = runs[0]
    result.seed, result.procs, result.mode = run.seed, run.procs, f'{run.mode} {run.kind}'
    result.leaks, result.kcheck, result.workers_failed = run.leaks, run.kcheck, run.workers_failed
    result.verified, result.outputs = run.verified, run.outputs
    result.latency_us = run.latency_us
    result.findings += run.findings
    if not run.oracle_checked():
        result.findings.append(f'the data oracles verified {run.verified} stripes and judged '
                               f'{run.outputs} outputs: they checked nothing')
    return run.clean() and run.ops == soak.work() and run.oracle_checked()


STORM_FIGURES = re.compile(r'^vpstorm: cycles \d+ killed \d+ leaks (\d+) kcheck (-?\d+)$', re.M)


def _storm_figures(result, soak, text):
    args = soak.command()
    result.unit, result.procs = 'cycles', int(args[2]) if len(args) > 2 else None
    result.mode = 'banked' if 'video=banked' in soak.kargs else 'linear'
    figures = STORM_FIGURES.findall(text)
    if figures:
        result.leaks, result.kcheck = (int(n) for n in figures[-1])
    return fuzzlog.storm_ends(text) == ['ok'] and figures[-1:] == [('0', '0')]


def judge(soak, text, exit_status, seconds, timed_out):
    """The Result of a finished (or killed) soak boot from its serial text."""
    result = Result(soak.name, soak.program(), soak.kargs, work=soak.work(),
                    seconds=seconds, exit_status=exit_status)
    figures = _fuzz_figures if soak.program() == 'vpfuzz' else _storm_figures
    clean = figures(result, soak, text)
    panics = fuzzlog.kernel_panics(text)
    result.panics = len(panics)
    result.findings = panics + result.findings
    if panics:
        result.status = 'panic'
    elif timed_out:
        result.status = 'timeout'
    elif clean and exit_status == qemu.EXIT_PASS:
        result.status = 'ok'
    return result
