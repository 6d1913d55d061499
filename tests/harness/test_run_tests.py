"""Unit tests for the test runner's command line.

Run from the repository root:  python3 -m unittest tests/harness/test_run_tests.py
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import run_tests  # noqa: E402
from harness import tally  # noqa: E402


class FakeMachine:
    def __init__(self, text):
        self.text = text

    def serial_text(self):
        return self.text


class ProcessorLinesTest(unittest.TestCase):
    """processors_reported: every `smp:` line, in order, and no other."""
    LINES = 'vidport: up\nsmp: 4 CPUs in the ACPI MADT\nhello\nsmp: 4 CPUs online\n'

    def outcome(self, text, *patterns):
        t = tally.Tally()
        run_tests.processors_reported(*patterns)(t, run_tests.Boot('x', 'bios', ''),
                                                 FakeMachine(text))
        return t.count(tally.PASS) == 1

    def test_the_lines_in_order_pass(self):
        self.assertTrue(self.outcome(self.LINES, r'smp: 4 CPUs in .*', r'smp: 4 CPUs online'))

    def test_another_order_a_missing_or_an_extra_line_fails(self):
        self.assertFalse(self.outcome(self.LINES, r'smp: 4 CPUs online', r'smp: 4 CPUs in .*'))
        self.assertFalse(self.outcome(self.LINES, r'smp: 4 CPUs in .*'))
        self.assertFalse(self.outcome(self.LINES, r'smp: 4 CPUs in .*', r'smp: 4 CPUs online',
                                      r'smp: .*'))


class CommandLineTest(unittest.TestCase):
    def test_a_repeated_boot_adds(self):
        args = run_tests.parse_args(['--only', 'boot', '--boot', 'bios-vptest', '--boot',
                                     'bios-vpbank', 'bios-vpmodes'])
        self.assertEqual(args.boot, ['bios-vptest', 'bios-vpbank', 'bios-vpmodes'])

    def test_no_boot_means_every_boot(self):
        self.assertIsNone(run_tests.parse_args(['--only', 'boot']).boot)

    def test_unknown_boot_names_are_found(self):
        self.assertEqual(run_tests.unknown_boots(['bios-vptest', 'bochs-nosuch', 'efi-cut-cmdline',
                                                 'bios-vptets']), ['bios-vptets', 'bochs-nosuch'])
        self.assertEqual(run_tests.unknown_boots(None), [])


if __name__ == '__main__':
    unittest.main()
