"""Unit tests for the benchmark's parsing, table and chart (bench.py,
barchart.py), and for the machines run_bench.py boots."""
import contextlib
import io
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), 'tools'))

import barchart  # noqa: E402
import bench  # noqa: E402
import fakeqemu  # noqa: E402
import png  # noqa: E402
import psf  # noqa: E402
import run_bench  # noqa: E402

FONT = '/usr/share/consolefonts/Lat15-Terminus16.psf.gz'

OUTPUT = """\
noise before
vpbench: begin full
vpbench: calibration start 1000000
vpbench: tsc_hz 2500000000
vpbench: cycles share.800x600x32.linear median 40000 low 39000 high 45000 runs 15
vpbench: cycles touch.800x600x32.linear median 60000 low 59000 high 61000 runs 15
vpbench: count touch_faults.800x600x32.linear 0
vpbench: count pages.800x600x32.frame 469
vpbench: cycles fill.800x600x32.linear median 6000000 low 5900000 high 6100000 runs 15
vpbench: cycles fill.800x600x32.linear-ram median 5700000 low 5600000 high 5800000 runs 15\r
vpbench: cycles fill.800x600x32.banked median 20000000 low 19000000 high 21000000 runs 15
vpbench: cycles fill.800x600x32.banked-ram median 6000000 low 6000000 high 6000000 runs 15
vpbench: count fill_faults.800x600x32.banked 31
vpbench: count banks.800x600x32.banked 30
vpbench: calibration end 1050000
vpbench: end ok
"""


def rows_by_figure(run, boots=None, **others):
    """The table's rows by figure, `run` as the std VGA run and the other
    runs (cirrus=, vbe=) by config name."""
    return {r.figure: r for r in bench.rows(dict(others, std=run), boots or {})}


class ParseTest(unittest.TestCase):
    def test_reads_every_kind_of_line(self):
        run = bench.parse(OUTPUT)
        self.assertEqual(run.cycles['share.800x600x32.linear'], bench.Stats(40000, 39000, 45000, 15))
        self.assertEqual(run.cycles['fill.800x600x32.linear-ram'].median, 5700000)
        self.assertEqual(run.counts['fill_faults.800x600x32.banked'], 31)
        self.assertEqual(run.tsc_hz, 2500000000)
        self.assertEqual(run.end, 'ok')
        self.assertAlmostEqual(run.drift(), 0.05)
        self.assertTrue(run.steady())

    def test_drift_or_missing_end_is_not_steady(self):
        drifted = bench.parse(OUTPUT.replace('end 1050000', 'end 1200000'))
        self.assertFalse(drifted.steady())
        cut = bench.parse(OUTPUT.split('vpbench: calibration end')[0])
        self.assertEqual((cut.end, cut.drift()), ('', 1.0))
        self.assertFalse(cut.steady())


class RowsTest(unittest.TestCase):
    def test_targets_are_judged(self):
        rows = rows_by_figure(bench.parse(OUTPUT))
        share = rows['share + unshare, 800x600x32 linear view']
        self.assertAlmostEqual(share.ratio, 43000 / 40000)
        self.assertTrue(share.met())
        touch = rows['share + touch every page + unshare, 800x600x32 linear view']
        self.assertTrue(touch.met())  # 60,000 cycles, no faults
        fill = rows['fill with a 32-bit pattern, 800x600x32 linear view']
        self.assertAlmostEqual(fill.ratio, 0.95)
        self.assertTrue(fill.met())
        self.assertFalse(rows['bank faults per sequential fill, 800x600x32, std VGA'].met())  # 31 != 30
        banked = rows['banked fill throughput, 800x600x32, std VGA']
        self.assertAlmostEqual(banked.ratio, 0.3)
        self.assertFalse(banked.met())

    def test_a_fault_on_a_linear_view_misses_the_touch_target(self):
        faulted = OUTPUT.replace('touch_faults.800x600x32.linear 0', 'touch_faults.800x600x32.linear 1')
        touch = rows_by_figure(bench.parse(faulted))[
            'share + touch every page + unshare, 800x600x32 linear view']
        self.assertFalse(touch.met())

    def test_throughput_is_megabytes_per_second(self):
        run = bench.parse(OUTPUT)
        self.assertAlmostEqual(bench.mb_per_s(run, '800x600x32', run.cycles['fill.800x600x32.linear']),
                               800 * 600 * 4 * 2500 / 6000000)

    def test_boot_rows_take_the_median(self):
        rows = rows_by_figure(bench.Run(), {'bios': [1.2, 0.8, 0.9], 'uefi': [5.0],
                                            'efi': [4.0, 3.5, 3.9]})
        bios = rows['QEMU start to the first user pixel, BIOS and GRUB, median of 3']
        self.assertTrue(bios.value.startswith('0.90 s'))
        self.assertTrue(bios.met())
        self.assertIsNone(rows['QEMU start to the first user pixel, UEFI and GRUB, median of 1'].met())
        efi = rows['QEMU start to the first user pixel, UEFI and the vidport loader, median of 3']
        self.assertTrue(efi.value.startswith('3.90 s (3.50-4.00)'))

    def test_markdown_has_one_line_per_row(self):
        table = bench.rows({'std': bench.parse(OUTPUT)}, {})
        text = bench.markdown(table)
        self.assertEqual(len(text.strip().splitlines()), len(table) + 2)
        self.assertIn('| **no** |', text)


# A banked adapter's figures for the limit and the switch rows (made up):
# limit = 6,000,000 + 30 x 400,000 = 18,000,000 cycles, the fill 20,000,000.
BANKING = """\
vpbench: tsc_hz 2500000000
vpbench: cycles fill.800x600x32.linear median 6000000 low 5900000 high 6100000 runs 15
vpbench: cycles fill.800x600x32.banked median 20000000 low 19000000 high 21000000 runs 15
vpbench: count fill_faults.800x600x32.banked 30
vpbench: count banks.800x600x32.banked 30
vpbench: cycles bankswitch.800x600x32.banked median 550000 low 500000 high 600000 runs 15
vpbench: cycles routine.800x600x32.banked median ROUTINE low 390000 high 700000 runs 15
vpbench: cycles routine_bare.800x600x32.banked median 400000 low 380000 high 420000 runs 15
vpbench: end ok
"""

LIMIT = "banked fill against the emulator's limit, 800x600x32, "
SWITCH = 'one VBE bank switch (through the monitor) against the DISPI write, 800x600x32'


def banking(routine=500000, without=None):
    """A run of BANKING's figures with the routine's median given, and
    without the line of key `without`."""
    lines = BANKING.replace('ROUTINE', str(routine)).splitlines()
    return bench.parse('\n'.join(l for l in lines if not without or f' {without} ' not in l))


class LimitTest(unittest.TestCase):
    def test_limit_is_the_linear_fill_plus_a_bare_routine_per_bank(self):
        self.assertEqual(bench.fill_limit(banking(), '800x600x32')[0], 18_000_000)
        row = rows_by_figure(banking())[LIMIT + 'std VGA']
        self.assertAlmostEqual(row.ratio, 0.9)
        self.assertIn('6,000,000 + 30 banks x bare routine 400,000 = 18,000,000', row.compared)
        self.assertTrue(row.value.startswith('20,000,000 cycles'))

    def test_every_banked_adapter_gets_its_limit(self):
        rows = rows_by_figure(banking(), cirrus=banking(), vbe=banking())
        for hardware in (bench.STD, bench.CIRRUS, bench.VBE):
            self.assertIn(LIMIT + hardware, rows)

    def test_a_missing_figure_gives_no_limit_row(self):
        for key in ('fill.800x600x32.linear', 'fill.800x600x32.banked',
                    'banks.800x600x32.banked', 'routine_bare.800x600x32.banked'):
            with self.subTest(missing=key):
                rows = rows_by_figure(banking(without=key), vbe=banking(without=key))
                self.assertFalse([f for f in rows if f.startswith(LIMIT)])


class VbeSwitchTest(unittest.TestCase):
    def test_vbe_switch_against_the_dispi_write(self):
        row = rows_by_figure(banking(routine=400000), vbe=banking(routine=800000))[SWITCH]
        self.assertAlmostEqual(row.ratio, 0.5)
        self.assertTrue(row.value.startswith('800,000 cycles'))
        self.assertIn('bga on std VGA, 400,000 cycles', row.compared)

    def test_no_switch_row_without_both_runs(self):
        self.assertNotIn(SWITCH, rows_by_figure(banking()))
        self.assertNotIn(SWITCH, rows_by_figure(bench.Run(), vbe=banking()))
        self.assertNotIn(SWITCH, rows_by_figure(banking(),
                                                vbe=banking(without='routine.800x600x32.banked')))

    def test_vbe_run_has_its_bank_rows(self):
        rows = rows_by_figure(bench.Run(), vbe=banking())
        fill = rows[f'banked fill throughput, 800x600x32, {bench.VBE}']
        self.assertAlmostEqual(fill.ratio, 0.3)
        self.assertTrue(rows[f'bank faults per sequential fill, 800x600x32, {bench.VBE}'].met())
        self.assertIn(f'one bank fault with a switch, 800x600x32, {bench.VBE}', rows)


class ChartTest(unittest.TestCase):
    def test_draws_one_bar_per_ratio(self):
        table = bench.rows({'std': bench.parse(OUTPUT)}, {})
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, 'chart.png')
            bars = barchart.draw(table, path, psf.load(FONT), 'test')
            image = png.read_png(path)
        self.assertEqual(bars, sum(1 for r in table if r.ratio))
        self.assertEqual(image.width, barchart.WIDTH)
        self.assertEqual(image.height, barchart.TOP + bars * barchart.ROW_HEIGHT + 30)
        # The first bar (share, met) is green where it starts, right of the labels.
        first_bar_y = barchart.TOP + barchart.ROW_HEIGHT // 2
        self.assertEqual(image.rgb(barchart.BAR_LEFT + 2, first_bar_y), barchart.GREEN)

    def test_axis_is_logarithmic(self):
        one, ten = barchart.axis_x(1.0), barchart.axis_x(10.0)
        self.assertAlmostEqual(barchart.axis_x(100.0) - ten, ten - one, delta=1)
        self.assertEqual(barchart.axis_x(1e-9), barchart.BAR_LEFT)  # clamped


# A vpbench boot that ends at once; it writes its -smp to cpus.log.
FAKE_VPBENCH = r"""
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, 'cpus.log'), 'a') as log:
    log.write(argv[argv.index('-smp') + 1] + '\n')
conn = serial_connection()
conn.sendall(b'@@VIDPORT@@\r\nvpbench: end ok\r\n')
time.sleep(0.1)
sys.exit(33)
"""


class CpusTest(unittest.TestCase):
    """make bench SMP=N: run_bench.py --smp N boots its machines with N CPUs."""

    def test_smp_option(self):
        self.assertEqual(run_bench.parse_args([]).smp, 1)
        self.assertEqual(run_bench.parse_args(['--smp', '4']).smp, 4)
        with contextlib.redirect_stderr(io.StringIO()), self.assertRaises(SystemExit):
            run_bench.parse_args(['--smp', '9'])

    def test_vpbench_boots_the_cpus_asked_for(self):
        tmp = fakeqemu.install(self, FAKE_VPBENCH)
        config = run_bench.Config('std', 'std', 'run=vpbench smoke')
        run, _ = run_bench.run_vpbench('x.iso', config, os.path.join(tmp, 'art'), 1,
                                       lambda line: None, 4)
        self.assertEqual(run.end, 'ok')
        with open(os.path.join(tmp, 'cpus.log')) as f:
            self.assertEqual(f.read().split(), ['4'])

    def test_a_config_with_its_own_cpus_keeps_them(self):
        tmp = fakeqemu.install(self, FAKE_VPBENCH)
        config = run_bench.Config('smp2', 'std', 'run=vpbench smoke smp', smp=2)
        run_bench.run_vpbench('x.iso', config, os.path.join(tmp, 'art'), 1, lambda line: None, 4)
        with open(os.path.join(tmp, 'cpus.log')) as f:
            self.assertEqual(f.read().split(), ['2'])
        self.assertEqual([(c.name, c.smp) for c in run_bench.configs(True)][-2:],
                         [('smp2', 2), ('smp4', 4)])


SMP_OUTPUT = """\
vpbench: cycles switch.context median 2000 low 1900 high 2100 runs 15
vpbench: cycles share.800x600x32.linear median 50000 low 49000 high 52000 runs 15
vpbench: count smp.cpus 4
vpbench: cycles smp.shootdown median 90000 low 80000 high 99000 runs 15
vpbench: cycles smp.bank_switch.800x600x32 median 400000 low 300000 high 500000 runs 15
vpbench: count smp.scaling.linear.fills_1 100
vpbench: count smp.scaling.linear.fills_4 350
vpbench: count smp.scaling.ram.fills_1 200
vpbench: count smp.scaling.ram.fills_4 780
vpbench: end ok
"""


class SmpRowsTest(unittest.TestCase):
    """Figure 8: the runs on several CPUs against the std run's one."""

    def test_each_figure_of_several_cpus_has_its_row(self):
        std = bench.parse(OUTPUT + 'vpbench: cycles switch.context median 1000 low 900 high 1100 '
                          'runs 15\n')
        rows = rows_by_figure(std, smp4=bench.parse(SMP_OUTPUT))
        self.assertNotIn('context switch, 4 CPUs', rows)  # a yielding pair on two CPUs
        self.assertAlmostEqual(rows['share + unshare, 800x600x32 linear view, 4 CPUs'].ratio, 0.8)
        self.assertIn('90,000 cycles', rows['TLB shootdown round of one page, 3 CPUs answering'].value)
        self.assertAlmostEqual(
            rows['4 processes each filling a band of a linear view, against one alone'].ratio, 3.5)
        self.assertAlmostEqual(
            rows['4 processes each filling a band of RAM, against one alone'].ratio, 3.9)
        self.assertTrue(any(f.startswith('bank switch, two processes') for f in rows))

    def test_no_rows_without_the_runs(self):
        self.assertFalse([f for f in rows_by_figure(bench.parse(OUTPUT)) if 'CPU' in f])


if __name__ == '__main__':
    unittest.main()
