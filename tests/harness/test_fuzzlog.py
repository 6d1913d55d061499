"""Unit tests for the reader of vpfuzz and vpstorm output.

Run from the repository root:  python3 -m unittest tests/harness/test_fuzzlog.py
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import fuzzlog  # noqa: E402

CLEAN = """vidport: booted by GRUB
vpfuzz: seed 1 ops 20000 procs 4 mode 800x600x32 linear
vpfuzz: oracle stripes 4 of 256 KiB, no one's memory from 0x100000, strict no
pid 7 (vpfuzz): killed: #PF page fault at eip 0x08048400, address 0x3ffff56e: no mapping
hello from pid 12:vpfuzz: worker 3 seed 99 ops 5000 findings 0 probes 2 skipped 0 mode-sets 4 \
injected 0 oracle verified 40 resets 12 skipped 0 outputs 50 blobs 1
vpfuzz: worker 4 seed 98 ops 5000 findings 0 probes 2 skipped 0 mode-sets 4 injected 0 oracle \
verified 2 resets 12 skipped 1 outputs 5 blobs 0
vpfuzz: ops 20000 panics 0 leaks 0 kcheck 0 workers-failed 0
vpfuzz: interrupts off at most 8123 us (system call 16), bound 5000000 us
vpfuzz: end ok
"""

FAILED = """vpfuzz: seed 2 ops 100 procs 8 mode 640x480x8 banked
vpfuzz: finding: pid 5 op share: share: status 31
vpfuzz: worker 1 (pid 5) ended with status 0x1
vpfuzz: leak regions before 10 after 11
hello from pid 9:vpfuzz: ops 100 panics 0 leaks 1 kcheck 0 workers-failed 1
vpfuzz: end failed
"""


class FuzzlogTest(unittest.TestCase):
    def test_a_clean_run(self):
        [run] = fuzzlog.parse(CLEAN)
        self.assertEqual((run.seed, run.ops, run.procs, run.mode, run.kind),
                         (1, 20000, 4, '800x600x32', 'linear'))
        self.assertTrue(run.clean())
        self.assertEqual(run.findings, [])
        self.assertEqual((run.latency_us, run.latency_cause), (8123, 'system call 16'))

    def test_a_freeze_or_no_latency_figure_is_not_clean(self):
        past = CLEAN.replace('vpfuzz: end ok', 'vpfuzz: finding: interrupts off for 96037 us in '
                             'system call 9\nvpfuzz: end failed')
        [run] = fuzzlog.parse(past)
        self.assertFalse(run.clean())
        self.assertEqual(run.findings, ['finding: interrupts off for 96037 us in system call 9'])
        silent = CLEAN.replace('vpfuzz: interrupts off at most 8123 us (system call 16), '
                               'bound 5000000 us\n', '')
        [run] = fuzzlog.parse(silent)
        self.assertIsNone(run.latency_us)
        self.assertFalse(run.clean())

    def test_the_oracle_figures_add_up_over_the_workers(self):
        [run] = fuzzlog.parse(CLEAN)
        self.assertEqual((run.strict, run.verified, run.outputs, run.blobs), (False, 42, 55, 1))
        self.assertTrue(run.oracle_checked())
        [quiet] = fuzzlog.parse(CLEAN.replace('verified 40', 'verified 0')
                                .replace('verified 2', 'verified 0'))
        self.assertFalse(quiet.oracle_checked())
        [strict] = fuzzlog.parse(CLEAN.replace('strict no', 'strict yes'))
        self.assertTrue(strict.strict)

    def test_a_failed_run_keeps_what_failed(self):
        [run] = fuzzlog.parse(FAILED)
        self.assertFalse(run.clean())
        self.assertEqual((run.leaks, run.workers_failed, run.end), (1, 1, 'failed'))
        self.assertEqual(len(run.findings), 3)
        self.assertTrue(run.findings[0].startswith('finding: pid 5'))

    def test_runs_in_order_and_one_cut_short(self):
        runs = fuzzlog.parse(CLEAN + 'vpfuzz: seed 3 ops 10 procs 1 mode 1024x768x16 banked\n'
                             'PANIC: kernel exception 14 #PF page fault\n')
        self.assertEqual([r.seed for r in runs], [1, 3])
        self.assertIsNone(runs[1].end)
        self.assertFalse(runs[1].clean())

    def test_panics_and_storm_ends(self):
        text = 'x\nPANIC: zombie 3 ran again\nvpstorm: cycles 10 procs 4 end ok\n' \
               'vpstorm: cycles 10 procs 4 leaks 1 end failed\n'
        self.assertEqual(fuzzlog.kernel_panics(text), ['PANIC: zombie 3 ran again'])
        self.assertEqual(fuzzlog.storm_ends(text), ['ok', 'failed'])
        self.assertEqual(fuzzlog.kernel_panics(CLEAN), [])


if __name__ == '__main__':
    unittest.main()
