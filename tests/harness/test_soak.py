"""Unit tests for the judgement of soak boots.

Run from the repository root:  python3 -m unittest tests/harness/test_soak.py
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import qemu  # noqa: E402
import run_soak  # noqa: E402
import soak  # noqa: E402
from soak import Soak  # noqa: E402

FUZZ = Soak('fuzz', 'video=banked faultinject run=vpfuzz 12 5000 8 banked')
STORM = Soak('storm', 'run=vpstorm 10 4')

CLEAN = """vpfuzz: seed 12 ops 5000 procs 8 mode 800x600x32 banked
vpfuzz: worker 2 seed 7 ops 625 findings 0 probes 1 skipped 0 mode-sets 2 injected 3 oracle \
verified 30 resets 9 skipped 0 outputs 41 blobs 1
vpfuzz: ops 5000 panics 0 leaks 0 kcheck 0 workers-failed 0
vpfuzz: interrupts off at most 8123 us (system call 16), bound 5000000 us
vpfuzz: end ok
run: 1 program(s), 0 failed
"""


class SoakTest(unittest.TestCase):
    def test_entries_know_their_program_work_and_timeout(self):
        self.assertEqual((FUZZ.program(), FUZZ.work()), ('vpfuzz', 5000))
        self.assertEqual((STORM.program(), STORM.work()), ('vpstorm', 10))
        self.assertGreater(FUZZ.timeout(), soak.BOOT_SECONDS)
        self.assertGreater(Soak('big', 'run=vpfuzz 1 500000 8').timeout(), 3600)
        self.assertEqual(FUZZ.smp, 1)
        four = [(s.program(), s.smp) for s in run_soak.SOAKS if s.smp != 1]
        self.assertEqual(four, [('vpfuzz', 4), ('vpstorm', 4)])

    def test_a_clean_fuzz_run(self):
        r = soak.judge(FUZZ, CLEAN, qemu.EXIT_PASS, 12.5, False)
        self.assertEqual((r.status, r.seed, r.work, r.procs, r.mode), ('ok', 12, 5000, 8,
                                                                       '800x600x32 banked'))
        self.assertEqual((r.panics, r.leaks, r.kcheck, r.workers_failed), (0, 0, 0, 0))
        self.assertEqual((r.verified, r.outputs), (30, 41))
        self.assertIn('seed 12 operations 5000 procs 8', r.line())
        self.assertIn('verified 30 outputs 41 latency-us 8123', r.line())

    def test_a_run_whose_oracles_checked_nothing_fails(self):
        quiet = CLEAN.replace('verified 30', 'verified 0')
        r = soak.judge(FUZZ, quiet, qemu.EXIT_PASS, 12.5, False)
        self.assertEqual(r.status, 'failed')
        self.assertIn('checked nothing', r.findings[-1])

    def test_a_freeze_fails_the_run(self):
        frozen = CLEAN.replace('vpfuzz: end ok', 'vpfuzz: finding: interrupts off for 96037 us in '
                               'system call 9\nvpfuzz: end failed')
        r = soak.judge(FUZZ, frozen, qemu.EXIT_FAIL, 12.5, False)
        self.assertEqual(r.status, 'failed')
        self.assertIn('finding: interrupts off for 96037 us in system call 9', r.findings)

    def test_fewer_operations_or_a_leak_fail(self):
        short = CLEAN.replace('ops 5000 panics', 'ops 4000 panics')
        self.assertEqual(soak.judge(FUZZ, short, qemu.EXIT_PASS, 1, False).status, 'failed')
        leak = CLEAN.replace('leaks 0', 'leaks 1').replace('end ok', 'end failed')
        r = soak.judge(FUZZ, leak, qemu.EXIT_FAIL, 1, False)
        self.assertEqual((r.status, r.leaks), ('failed', 1))

    def test_panic_and_timeout(self):
        text = CLEAN.split('vpfuzz: ops')[0] + 'PANIC: kernel exception 14 #PF page fault\n'
        r = soak.judge(FUZZ, text, None, 30, False)
        self.assertEqual((r.status, r.panics), ('panic', 1))
        self.assertEqual(r.findings[0], 'PANIC: kernel exception 14 #PF page fault')
        self.assertEqual(soak.judge(FUZZ, CLEAN.split('vpfuzz: ops')[0], None, 30, True).status,
                         'timeout')

    def test_storm_runs_and_missing_programs(self):
        ok = ('vpstorm: cycles 10 procs 4 mode 800x600x32 linear\n'
              'vpstorm: cycles 11 killed 10 leaks 0 kcheck 0\nvpstorm: end ok\n'
              'run: 1 program(s), 0 failed\n')
        r = soak.judge(STORM, ok, qemu.EXIT_PASS, 3, False)
        self.assertEqual((r.status, r.unit, r.work, r.procs, r.leaks, r.kcheck, r.mode),
                         ('ok', 'cycles', 10, 4, 0, 0, 'linear'))
        bad = ok.replace('end ok', 'end failed')
        self.assertEqual(soak.judge(STORM, bad, qemu.EXIT_FAIL, 3, False).status, 'failed')
        leaky = soak.judge(STORM, ok.replace('leaks 0', 'leaks 2'), qemu.EXIT_PASS, 3, False)
        self.assertEqual((leaky.status, leaky.leaks), ('failed', 2))
        self.assertEqual(soak.missing(STORM).status, 'missing')


if __name__ == '__main__':
    unittest.main()
