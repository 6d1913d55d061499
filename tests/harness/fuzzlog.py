"""Read what vpfuzz and vpstorm runs printed on the serial console.

vpfuzz (user/programs/vpfuzz/main.c) prints per run:

    vpfuzz: seed S ops N procs P mode WxHxD banked|linear
    vpfuzz: oracle stripes P of K KiB, no one's memory from 0xX, strict yes|no
    vpfuzz: finding: ...                      (any number, from its workers;
                                              also leak, kcheck, worker and
                                              probe lines saying what failed)
    vpfuzz: worker ... oracle verified V resets R skipped S outputs O blobs B
                                              (one a worker that ended)
    vpfuzz: ops N panics K leaks L kcheck F workers-failed W
    vpfuzz: end ok|failed

vpstorm ends with a line `vpstorm: ... end ok|failed`. Other processes
may leave a line unfinished (a child killed in the middle of a printf),
so lines are searched, not matched from their start. A kernel panic
prints `PANIC:` and stops the machine before a run's last lines.
"""
import re
from dataclasses import dataclass, field

START = re.compile(r'vpfuzz: seed (\d+) ops (\d+) procs (\d+) mode (\d+x\d+x\d+) (banked|linear)$')
COUNTS = re.compile(r'vpfuzz: ops (\d+) panics (\d+) leaks (\d+) kcheck (\d+) '
                    r'workers-failed (\d+)$')
END = re.compile(r'vpfuzz: end (ok|failed)$')
ORACLE = re.compile(r"vpfuzz: oracle stripes \d+ of \d+ KiB, no one's memory from 0x[0-9a-f]+, "
                    r'strict (yes|no)$')
WORKER = re.compile(r'vpfuzz: worker \d+ seed \d+ ops \d+ .*oracle verified (\d+) resets \d+ '
                    r'skipped \d+ outputs (\d+) blobs (\d+)$')
FINDING = re.compile(r'vpfuzz: (finding: .*|leak .*|kcheck (?:before|after): .*|'
                     r'worker \d+ \(pid .*|probe .* was not killed|cannot .*)$')
STORM_END = re.compile(r'vpstorm: .*\bend (ok|failed)$')
LATENCY = re.compile(r'vpfuzz: interrupts off at most (\d+) us \((.*)\), bound (\d+) us$')
PANIC = re.compile(r'PANIC: .*')


@dataclass
class FuzzRun:
    """One vpfuzz run as its output tells it; counts are None until printed."""
    seed: int
    ops: int
    procs: int
    mode: str
    kind: str
    panics: int = None
    leaks: int = None
    kcheck: int = None
    workers_failed: int = None
    end: str = None
    strict: bool = None
    verified: int = 0   # whole-stripe checks the workers' data oracles passed, in all
    outputs: int = 0    # kernel outputs into a stripe they judged
    blobs: int = 0      # runs of code from a view they modelled
    findings: list = field(default_factory=list)
    latency_us: int = None  # the kernel's longest stretch with interrupts off in the run
    latency_cause: str = None

    def clean(self):
        """Ended ok with every count zero, no finding printed (a busy
        child's findings show only there: it is killed, not waited for; a
        stretch with interrupts off past the bound is one) and the latency
        reported."""
        return self.end == 'ok' and self.panics == 0 and self.leaks == 0 and \
            self.kcheck == 0 and self.workers_failed == 0 and not self.findings and \
            self.latency_us is not None

    def oracle_checked(self):
        """The data oracle verified stripes and judged kernel outputs."""
        return self.verified > 0 and self.outputs > 0

    def as_dict(self):
        return dict(vars(self))


def _apply(run, line):
    """Fill run from one of its later lines."""
    counts = COUNTS.search(line)
    if counts:
        run.ops, run.panics, run.leaks, run.kcheck, run.workers_failed = \
            (int(v) for v in counts.groups())
    end = END.search(line)
    if end:
        run.end = end.group(1)
    latency = LATENCY.search(line)
    if latency:
        run.latency_us, run.latency_cause = int(latency.group(1)), latency.group(2)
    oracle = ORACLE.search(line)
    if oracle:
        run.strict = oracle.group(1) == 'yes'
    worker = WORKER.search(line)
    if worker:
        run.verified += int(worker.group(1))
        run.outputs += int(worker.group(2))
        run.blobs += int(worker.group(3))
    finding = FINDING.search(line)
    if finding:
        run.findings.append(finding.group(1))


def parse(text):
    """Every vpfuzz run in the serial text, in order."""
    runs = []
    for line in text.splitlines():
        start = START.search(line)
        if start:
            seed, ops, procs, mode, kind = start.groups()
            runs.append(FuzzRun(int(seed), int(ops), int(procs), mode, kind))
        elif runs:
            _apply(runs[-1], line)
    return runs


def kernel_panics(text):
    """The kernel's panic lines (a panic stops the machine, so 0 or 1)."""
    return PANIC.findall(text)


def storm_ends(text):
    """The `end ok|failed` word of every vpstorm run in the text."""
    return [m.group(1) for m in (STORM_END.search(line) for line in text.splitlines()) if m]
