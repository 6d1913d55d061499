"""Unit tests for boottime against a fake QEMU that prints lines at known delays.

Run from the repository root:  python3 -m unittest tests/harness/test_boottime.py
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import boottime  # noqa: E402
import fakeqemu  # noqa: E402
import qemu  # noqa: E402

# Serves the serial socket, then prints the sentinel at once, the kernel line
# 0.2 s later and a program line 0.3 s after that, then exits. Each run
# writes to runs.log whether another fake QEMU held the lock file meanwhile,
# and to cpus.log its -smp.
FAKE_QEMU = """\
import fcntl
here = os.path.dirname(os.path.abspath(__file__))
lock = open(os.path.join(here, 'runs.lock'), 'w')
try:
    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    alone = 'alone'
except OSError:
    alone = 'overlapping'
with open(os.path.join(here, 'runs.log'), 'a') as log:
    log.write(alone + '\\n')
with open(os.path.join(here, 'cpus.log'), 'a') as log:
    log.write(argv[argv.index('-smp') + 1] + '\\n')
conn = serial_connection()
conn.sendall(b'firmware noise\\r\\n@@VIDPORT@@\\r\\n')
time.sleep(0.2)
conn.sendall(b'vidport: booted by fake\\r\\n')
time.sleep(0.3)
conn.sendall(b'prog: drew\\r\\n')
time.sleep(0.2)
sys.exit(33)
"""


class BootTimeTest(unittest.TestCase):
    def setUp(self):
        self.tmp = fakeqemu.install(self, FAKE_QEMU)
        self.artifacts = os.path.join(self.tmp, 'art')

    def runs_log(self, name='runs.log'):
        with open(os.path.join(self.tmp, name)) as f:
            return f.read().split()

    def test_times_each_line_after_the_one_before(self):
        sentinel, kernel, program = boottime.time_lines(
            'x.iso', 'bios', [boottime.KERNEL_LINE, r'^prog: drew$'], self.artifacts)
        # The fake waits 0.2 s and 0.3 s; the margins allow for thread wake-ups.
        self.assertGreater(sentinel, 0)
        self.assertGreater(kernel - sentinel, 0.15)
        self.assertGreater(program - kernel, 0.25)
        self.assertTrue(os.path.exists(os.path.join(self.artifacts, 'boottime.serial.log')))

    def test_times_firmware_lines_before_the_sentinel(self):
        noise, sentinel, kernel = boottime.time_lines(
            'x.iso', 'bios', [boottime.KERNEL_LINE], self.artifacts,
            before=[r'^firmware (\w+)$'])
        # The noise and the sentinel come in one write, 0.2 s before the kernel line.
        self.assertGreater(noise, 0)
        self.assertGreater(kernel - noise, 0.15)
        self.assertGreater(kernel - sentinel, 0.15)
        with self.assertRaisesRegex(qemu.Timeout, 'QEMU exited'):
            boottime.time_lines('x.iso', 'bios', [boottime.KERNEL_LINE], self.artifacts,
                                before=[r'^not from the firmware$'])

    def test_boots_one_at_a_time(self):
        seconds = boottime.time_to_line('x.iso', 'bios', r'^prog: drew$', runs=3,
                                        artifacts=self.artifacts)
        self.assertEqual(len(seconds), 3)
        self.assertTrue(all(s >= 0.5 for s in seconds), seconds)
        self.assertEqual(self.runs_log(), ['alone'] * 3)
        self.assertEqual(self.runs_log('cpus.log'), ['1'] * 3)

    def test_boots_the_cpus_asked_for(self):
        boottime.time_to_line('x.iso', 'bios', r'^prog: drew$', runs=2, artifacts=self.artifacts,
                              smp=4)
        self.assertEqual(self.runs_log('cpus.log'), ['4'] * 2)

    def test_a_line_that_never_comes_is_a_timeout(self):
        with self.assertRaisesRegex(qemu.Timeout, 'QEMU exited'):
            boottime.time_lines('x.iso', 'bios', [r'^never printed$'], self.artifacts)

    def test_nothing_to_time_is_an_error(self):
        with self.assertRaises(ValueError):
            boottime.time_lines('x.iso', 'bios', [], self.artifacts)
        with self.assertRaises(ValueError):
            boottime.time_to_line('x.iso', 'bios', r'^prog', runs=0, artifacts=self.artifacts)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, 'runs.log')))

    def test_summary_gives_median_min_and_max_per_phase(self):
        text = boottime.summary(['first', 'second'], [[1.0, 4.0], [3.0, 6.0], [2.0, 5.0]])
        first, second = text.splitlines()
        self.assertRegex(first, r'^first +median +2\.000 s +min +1\.000 +max +3\.000$')
        self.assertRegex(second, r'^second +median +5\.000 s +min +4\.000 +max +6\.000$')


if __name__ == '__main__':
    unittest.main()
