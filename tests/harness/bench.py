"""Turn vpbench's output and boot timings into the published benchmark table.

vpbench (user/programs/vpbench/) prints one line per figure:

    vpbench: cycles KEY median M low L high H runs N
    vpbench: count KEY VALUE
    vpbench: calibration start|end CYCLES
    vpbench: tsc_hz HZ
    vpbench: end ok|failed

KEY is WHAT.GEOMETRY.KIND, e.g. fill.800x600x32.linear-ram. parse() reads a
run; rows() derives the table: each row has its figure, the value with its
spread, what it is compared with, the ratio (always "how many times as fast
as the comparison": above 1 is faster) and the target that ratio must meet.
"""
import re
from dataclasses import dataclass, field

GEOMETRIES = ('800x600x32', '1024x768x32')
KINDS = ('linear', 'banked')
DRIFT_LIMIT = 0.10  # a run whose calibration moved more than this is repeated

# Debian 12's Linux 6.1 i386 kernel on /dev/fb0 in the same QEMU, 800x600x32:
# reference figures (cycles, seconds), not re-measured by make bench.
LINUX = {
    'share_lazy': 43_000,     # bochs-drm mmap + munmap (RAM shadow, nothing mapped)
    'share_eager': 173_000,   # vesafb mmap + munmap (frame buffer mapped at once)
    'touch_eager': 260_000,   # vesafb mmap + a write to every page + munmap, no faults
    'touch_lazy': 5_500_000,  # bochs-drm, 469 faults
    'boot': 4.5,              # QEMU start to the first user program (4.5-5 s)
}

_LINE = re.compile(r'^vpbench: (?:cycles (?P<ckey>\S+) median (?P<median>\d+) low (?P<low>\d+) '
                   r'high (?P<high>\d+) runs (?P<runs>\d+)|count (?P<nkey>\S+) (?P<count>\d+)|'
                   r'calibration (?P<when>start|end) (?P<cal>\d+)|tsc_hz (?P<hz>\d+)|'
                   r'end (?P<end>ok|failed))$', re.MULTILINE)


@dataclass
class Stats:
    median: float
    low: float
    high: float
    runs: int = 1


@dataclass
class Run:
    """One vpbench run's figures."""
    cycles: dict = field(default_factory=dict)  # key -> Stats
    counts: dict = field(default_factory=dict)  # key -> int
    calibration: dict = field(default_factory=dict)  # 'start'/'end' -> cycles
    tsc_hz: int = 0
    end: str = ''  # 'ok', 'failed', or '' when the run never finished

    def drift(self):
        """Relative change of the calibration loop from start to end (1.0 if unknown)."""
        start, end = self.calibration.get('start'), self.calibration.get('end')
        if not start or end is None:
            return 1.0
        return abs(end - start) / start

    def steady(self):
        """True when the run finished and the machine kept its speed throughout."""
        return self.end == 'ok' and self.drift() <= DRIFT_LIMIT


def parse(text):
    """Read every vpbench line of `text` (serial output) into a Run."""
    run = Run()
    for m in _LINE.finditer(text.replace('\r', '')):
        if m['ckey']:
            run.cycles[m['ckey']] = Stats(int(m['median']), int(m['low']), int(m['high']),
                                          int(m['runs']))
        elif m['nkey']:
            run.counts[m['nkey']] = int(m['count'])
        elif m['when']:
            run.calibration[m['when']] = int(m['cal'])
        elif m['hz']:
            run.tsc_hz = int(m['hz'])
        else:
            run.end = m['end']
    return run


def frame_bytes(geometry):
    width, height, depth = (int(v) for v in geometry.split('x'))
    return width * height * depth // 8


@dataclass
class Row:
    """One line of the table."""
    group: str         # the figure's number and a word, e.g. '1 share'
    figure: str        # what was measured
    value: str         # vidport's figure, with its spread
    compared: str = ''  # what the ratio compares with
    ratio: float = None  # times as fast as the comparison (None: no comparison)
    target: str = ''   # the target the ratio must meet, in words
    minimum: float = None  # the lowest ratio that meets it
    exact: bool = False    # the ratio must be exactly `minimum` (a count)
    also: bool = True      # a further condition of the target (e.g. no faults)

    def met(self):
        """True/False against the target; None when there is no target or no figure."""
        if self.minimum is None or self.ratio is None:
            return None
        enough = self.ratio == self.minimum if self.exact else self.ratio >= self.minimum
        return enough and self.also

    def as_dict(self):
        return dict(self.__dict__, met=self.met())


def cycles_text(s):
    """'495,602 cycles (492,178-511,740)': the median and the spread."""
    return f'{s.median:,.0f} cycles ({s.low:,.0f}-{s.high:,.0f})'


def _speed(reference, measured):
    """How many times as fast as `reference` a figure taking `measured` is."""
    return reference / measured if measured else None


def share_rows(run):
    """Figures 1 and 2: share + unshare, and share + touch every page + unshare."""
    rows = []
    for g in GEOMETRIES:
        for kind in KINDS:
            share = run.cycles.get(f'share.{g}.{kind}')
            if share:
                rows.append(_share_row(g, kind, share))
    for g in GEOMETRIES:
        pages = run.counts.get(f'pages.{g}.frame')
        for kind in KINDS:
            touch = run.cycles.get(f'touch.{g}.{kind}')
            if touch:
                faults = run.counts.get(f'touch_faults.{g}.{kind}')
                rows.append(_touch_row(g, kind, touch, faults, pages))
    return rows


def _share_row(g, kind, share):
    row = Row('1 share', f'share + unshare, {g} {kind} view', cycles_text(share))
    if g == '800x600x32':
        row.compared = 'Linux bochs-drm mmap + munmap, 43,000 cycles'
        row.ratio = _speed(LINUX['share_lazy'], share.median)
        if kind == 'linear':
            row.target, row.minimum = '<= 43,000 cycles', 1.0
    return row


def _touch_row(g, kind, touch, faults, pages):
    text = f'{cycles_text(touch)}, {faults} faults for {pages} pages'
    row = Row('2 touch', f'share + touch every page + unshare, {g} {kind} view', text)
    if g == '800x600x32' and kind == 'linear':
        row.compared = 'Linux vesafb, 260,000 cycles, no faults'
        row.ratio = _speed(LINUX['touch_eager'], touch.median)
        row.target, row.minimum = '<= 65,000 cycles (4x vesafb), no faults', 4.0
        row.also = faults == 0
    elif g == '800x600x32':
        row.compared = 'Linux bochs-drm, 5.5 M cycles, 469 faults'
        row.ratio = _speed(LINUX['touch_lazy'], touch.median)
    return row


def mb_per_s(run, geometry, stats):
    """Throughput of one pass over a frame of `geometry` taking `stats` cycles."""
    if not stats or not run.tsc_hz:
        return None
    return frame_bytes(geometry) * run.tsc_hz / stats.median / 1e6


OPERATIONS = (('fill', 'fill with a 32-bit pattern'), ('copy', 'copy a frame from RAM'),
              ('read', 'read a frame back'))


def throughput_rows(run):
    """Figure 3: each operation through a view against the same on RAM."""
    rows = []
    for g in GEOMETRIES:
        for kind in KINDS:
            for op, words in OPERATIONS:
                view = run.cycles.get(f'{op}.{g}.{kind}')
                ram = run.cycles.get(f'{op}.{g}.{kind}-ram')
                if not (view and ram):
                    continue
                row = Row('3 throughput', f'{words}, {g} {kind} view',
                          f'{mb_per_s(run, g, view):,.0f} MB/s; {cycles_text(view)}',
                          f'RAM in the same run, {mb_per_s(run, g, ram):,.0f} MB/s',
                          _speed(ram.median, view.median))
                if kind == 'linear':
                    row.target, row.minimum = '>= 0.95x RAM', 0.95
                rows.append(row)
    return rows


def bank_rows(run, hardware):
    """Figure 4 on `hardware`: bank faults per fill against the banks,
    banked against linear fill, and the cost of one bank switch."""
    rows = []
    for g in GEOMETRIES:
        faults = run.counts.get(f'fill_faults.{g}.banked')
        banks = run.counts.get(f'banks.{g}.banked')
        if faults is not None and banks:
            rows.append(Row('4 banks', f'bank faults per sequential fill, {g}, {hardware}',
                            f'{faults}',
                            f'{banks} banks (the minimum)', banks / faults if faults else None,
                            'faults = banks', 1.0, exact=True))
        banked, linear = run.cycles.get(f'fill.{g}.banked'), run.cycles.get(f'fill.{g}.linear')
        if banked and linear:
            rows.append(Row('4 banks', f'banked fill throughput, {g}, {hardware}',
                            f'{mb_per_s(run, g, banked):,.0f} MB/s',
                            f'linear fill, {mb_per_s(run, g, linear):,.0f} MB/s',
                            _speed(linear.median, banked.median), '>= 0.8x linear', 0.8))
        switch = run.cycles.get(f'bankswitch.{g}.banked')
        routine = run.cycles.get(f'routine.{g}.banked')
        if switch and routine:
            rows.append(Row('4 banks', f'one bank fault with a switch, {g}, {hardware}',
                            cycles_text(switch),
                            f"the miniport's bank routine alone: {cycles_text(routine)}"))
    return rows


STD, CIRRUS, VBE = 'std VGA', 'Cirrus GD5446', 'std VGA through its VBE BIOS'


def vbe_switch_rows(std, vbe):
    """Figure 4 across two runs: the vbe miniport's bank routine (4F05 or
    the modes' window function, whichever it measured faster, through the
    virtual-8086 monitor) against bga's DISPI register write, cycles per
    switch on the same standard VGA."""
    rows = []
    for g in GEOMETRIES:
        dispi, int10 = std.cycles.get(f'routine.{g}.banked'), vbe.cycles.get(f'routine.{g}.banked')
        if dispi and int10:
            rows.append(Row('4 banks', f'one VBE bank switch (through the monitor) against '
                            f'the DISPI write, {g}', cycles_text(int10),
                            f'bga on std VGA, {cycles_text(dispi)}',
                            _speed(dispi.median, int10.median)))
    return rows


def fill_limit(run, geometry):
    """The fastest a banked fill of `geometry` can be under the emulator:
    the linear fill of the same frame plus one bare bank routine per bank
    (cycles), with the figures it is made of; None when one is missing."""
    linear = run.cycles.get(f'fill.{geometry}.linear')
    banks = run.counts.get(f'banks.{geometry}.banked')
    bare = run.cycles.get(f'routine_bare.{geometry}.banked')
    if not (linear and banks and bare):
        return None
    return linear.median + banks * bare.median, linear, banks, bare


def limit_rows(run, hardware):
    """Figure 4: each banked fill against the emulator's limit (fill_limit)."""
    rows = []
    for g in GEOMETRIES:
        limit, banked = fill_limit(run, g), run.cycles.get(f'fill.{g}.banked')
        if not (limit and banked):
            continue
        cycles, linear, banks, bare = limit
        rows.append(Row('4 banks', f"banked fill against the emulator's limit, {g}, {hardware}",
                        cycles_text(banked),
                        f'linear fill {linear.median:,.0f} + {banks} banks x bare routine '
                        f'{bare.median:,.0f} = {cycles:,.0f} cycles',
                        _speed(cycles, banked.median)))
    return rows


def straddle_rows(run, hardware):
    """Figure 5: a 4 KiB copy from one bank to the next, against the same
    copy through the linear view of that mode."""
    rows = []
    for g in GEOMETRIES:
        banked = run.cycles.get(f'straddle.{g}.banked')
        linear = run.cycles.get(f'straddle.{g}.linear')
        if not (banked and linear):
            continue
        slots = run.counts.get(f'window_slots.{g}.banked', 0)
        straddles = run.counts.get(f'straddles.{g}.banked', 0)
        copies = run.counts.get(f'straddle_copies.{g}.banked', 0)
        rows.append(Row('5 straddle', f'4 KiB copy from a bank to the next, {g}, {hardware} '
                        f'({slots} window{"s" if slots != 1 else ""})',
                        f'{cycles_text(banked)}, {straddles} straddles in {copies} copies',
                        f'the same copy on the linear view, {linear.median:,.0f} cycles',
                        _speed(linear.median, banked.median)))
    return rows


# How each firmware reaches the kernel, for the boot rows.
FIRMWARE_NAMES = {'bios': 'BIOS and GRUB', 'uefi': 'UEFI and GRUB',
                  'efi': 'UEFI and the vidport loader'}


def boot_rows(boots):
    """Figure 6: `boots` maps firmware -> list of seconds to the first user pixel."""
    rows = []
    for firmware, seconds in boots.items():
        if not seconds:
            continue
        s = sorted(seconds)
        median = s[len(s) // 2]
        row = Row('6 boot', f'QEMU start to the first user pixel, {FIRMWARE_NAMES[firmware]}, '
                  f'median of {len(s)}',
                  f'{median:.2f} s ({s[0]:.2f}-{s[-1]:.2f})',
                  f'Linux 6.1 to its first user program, about {LINUX["boot"]} s',
                  _speed(LINUX['boot'], median))
        if firmware == 'bios':
            row.target, row.minimum = '<= 1.0 s', LINUX['boot'] / 1.0
        rows.append(row)
    return rows


def system_rows(run):
    """Figure 7: the null system call and a context switch."""
    names = (('syscall.null', 'null system call (getpid)'),
             ('switch.context', 'context switch, process to process'))
    return [Row('7 kernel', words, cycles_text(run.cycles[key]))
            for key, words in names if key in run.cycles]


SMP_RUNS = (('std', 1), ('smp2', 2), ('smp4', 4))


def _cpus(n):
    return f'{n} CPU' + ('s' if n > 1 else '')


def smp_rows(runs):
    """Figure 8, from the runs on 1, 2 and 4 CPUs of one make bench: a
    share + unshare on each against one CPU's, a TLB shootdown round by the
    CPUs that answer it, a bank switch that shoots the other process's
    pages down, and how filling scales with N processes each filling its
    own band (of a linear view, and of RAM) against one alone. (Not the
    context switch: with another CPU idle, the yielding pair it is timed
    by runs on two CPUs and never switches.)"""
    rows, key = [], 'share.800x600x32.linear'
    single = runs.get('std', Run()).cycles.get(key)
    for name, n in SMP_RUNS[1:]:
        run = runs.get(name)
        if not run:
            continue
        if key in run.cycles and single:
            rows.append(Row('8 smp', f'share + unshare, 800x600x32 linear view, {_cpus(n)}',
                            cycles_text(run.cycles[key]),
                            f'the same on 1 CPU, {single.median:,.0f} cycles',
                            _speed(single.median, run.cycles[key].median)))
        rows += _smp_run_rows(run, n)
    return rows


def _smp_run_rows(run, n):
    rows = []
    if 'smp.shootdown' in run.cycles:
        rows.append(Row('8 smp', f'TLB shootdown round of one page, {_cpus(n - 1)} answering',
                        cycles_text(run.cycles['smp.shootdown'])))
    if 'smp.bank_switch.800x600x32' in run.cycles:
        rows.append(Row('8 smp', f'bank switch, two processes taking the window in turn on '
                        f'{_cpus(n)} (each switch shoots the other down)',
                        cycles_text(run.cycles['smp.bank_switch.800x600x32'])))
    for kind in ('linear', 'ram'):
        one, all_ = (run.counts.get(f'smp.scaling.{kind}.fills_{k}') for k in (1, n))
        if one and all_ is not None:
            what = 'a linear view' if kind == 'linear' else 'RAM'
            rows.append(Row('8 smp', f'{n} processes each filling a band of {what}, '
                            f'against one alone', f'{all_} fills against {one}',
                            f'one filler in the same run (ideal: {n}x)', all_ / one))
    return rows


def rows(runs, boots):
    """The whole table from the runs by config name ('std', 'cirrus' and
    'vbe'; one missing gives none of its rows) and the boot times."""
    std, cirrus, vbe = (runs.get(name, Run()) for name in ('std', 'cirrus', 'vbe'))
    table = share_rows(std) + throughput_rows(std)
    for run, hardware in ((std, STD), (cirrus, CIRRUS), (vbe, VBE)):
        table += bank_rows(run, hardware) + limit_rows(run, hardware)
    table += vbe_switch_rows(std, vbe) + straddle_rows(std, STD) + straddle_rows(cirrus, CIRRUS)
    return table + boot_rows(boots) + system_rows(std) + smp_rows(runs)


def markdown(table):
    """The table as Markdown."""
    lines = ['| # | measured | vidport | compared with | ratio | target | met |',
             '|---|---|---|---|---|---|---|']
    for r in table:
        ratio = f'{r.ratio:.2f}x' if r.ratio is not None else ''
        met = {True: 'yes', False: '**no**', None: ''}[r.met()]
        lines.append(f'| {r.group} | {r.figure} | {r.value} | {r.compared} | {ratio} | '
                     f'{r.target} | {met} |')
    return '\n'.join(lines) + '\n'
