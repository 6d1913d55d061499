"""Unit tests for the test runner's command line.

Run from the repository root:  python3 -m unittest tests/harness/test_run_tests.py
"""

import contextlib
import io
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

    def test_smp_sets_the_boots_that_name_no_count(self):
        self.assertIsNone(run_tests.parse_args([]).smp)
        self.assertEqual(run_tests.parse_args(['--smp', '4']).smp, 4)
        with contextlib.redirect_stderr(io.StringIO()), self.assertRaises(SystemExit):
            run_tests.parse_args(['--smp', '0'])
        own = {b.name: b.smp for b in run_tests.selected_boots('qemu')}
        self.assertEqual((own['bios-smp4'], own['bios-smp1'], own['bios-usertests']), (4, 1, 1))
        two = {b.name: b.smp for b in run_tests.selected_boots('qemu', smp=2)}
        self.assertEqual((two['bios-smp4'], two['bios-smp1'], two['bios-usertests']), (4, 1, 2))
        self.assertEqual({b.smp for b in run_tests.selected_boots('bochs', smp=2)}, {1})
        self.assertEqual([b.name for b in run_tests.selected_boots('qemu', ['bios-smp1'], 3)],
                         ['bios-smp1'])
        self.assertEqual({b.smp for b in run_tests.BOOTS if b.name == 'bios-usertests'}, {0})



class RsdpCheckTest(unittest.TestCase):
    """rsdp_found: where the kernel says the RSDP came from, and its one warning."""

    def outcome(self, check, text):
        t = tally.Tally()
        with contextlib.redirect_stdout(io.StringIO()):
            check(t, run_tests.Boot('x', 'bios', ''), FakeMachine(text))
        return t.count(tally.PASS) == 1

    def test_rsdp_source_and_warning(self):
        found = 'acpi: the RSDP at 0xf59d0, found by the legacy scan\n'
        warning = 'acpi: acpi.rsdp=0x1234 ignored: no valid RSDP there'
        legacy = run_tests.rsdp_found('found by the legacy scan')
        warned = run_tests.rsdp_found('found by the legacy scan', warning)
        self.assertTrue(self.outcome(legacy, found))
        self.assertTrue(self.outcome(warned, warning + '\n' + found))
        self.assertFalse(self.outcome(legacy, warning + '\n' + found))
        self.assertFalse(self.outcome(warned, found))
        self.assertFalse(self.outcome(warned, 2 * (warning + '\n') + found))
        self.assertFalse(self.outcome(run_tests.rsdp_found('given by acpi.rsdp='), found))

if __name__ == '__main__':
    unittest.main()
