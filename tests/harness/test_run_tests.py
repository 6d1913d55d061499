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
from tally import FAIL, PASS, Tally  # noqa: E402


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

    def test_smp_overrides_every_qemu_boot(self):
        self.assertIsNone(run_tests.parse_args([]).smp)
        self.assertEqual(run_tests.parse_args(['--smp', '4']).smp, 4)
        with contextlib.redirect_stderr(io.StringIO()), self.assertRaises(SystemExit):
            run_tests.parse_args(['--smp', '0'])
        own = {b.name: b.smp for b in run_tests.selected_boots('qemu')}
        self.assertEqual((own['bios-smp4'], own['bios-smp1']), (4, 1))
        self.assertEqual({b.smp for b in run_tests.selected_boots('qemu', smp=2)}, {2})
        self.assertEqual({b.smp for b in run_tests.selected_boots('bochs', smp=2)}, {1})
        self.assertEqual([b.name for b in run_tests.selected_boots('qemu', ['bios-smp1'], 3)],
                         ['bios-smp1'])
        self.assertEqual(own['bios-smp4'], 4)  # the boots themselves are left as they are


class Console:
    """What a check reads of a machine: its CPUs and the kernel's serial text."""

    def __init__(self, smp, text):
        self.smp, self.text = smp, text

    def serial_text(self):
        return self.text


class ProcessorChecksTest(unittest.TestCase):
    """The boots' checks of the kernel's acpi: and smp: lines pass and fail as they must."""

    BOOT = run_tests.Boot('b', 'bios', '')
    FOUR = 'smp: 4 CPUs in the ACPI MADT (APIC ids 0 1 2 3); and more\n'

    def outcomes(self, check, smp, text):
        tally = Tally()
        with contextlib.redirect_stdout(io.StringIO()):
            check(tally, self.BOOT, Console(smp, text))
        return [outcome for _, outcome, _ in tally.entries]

    def test_processors_named_from_the_machines_count(self):
        self.assertEqual(self.outcomes(run_tests.processors_reported, 4, self.FOUR), [PASS])
        self.assertEqual(self.outcomes(run_tests.processors_reported, 1,
                                       'smp: 1 CPU in the ACPI MADT (APIC ids 0); x\n'), [PASS])
        for smp, text in [(2, self.FOUR), (4, 'smp: 4 CPUs in the ACPI MADT (APIC ids 0 1 2)\n'),
                          (4, 'smp: no processor list from ACPI (no RSDP)\n'), (4, '')]:
            with self.subTest(smp=smp, text=text):
                self.assertEqual(self.outcomes(run_tests.processors_reported, smp, text), [FAIL])

    def test_rsdp_source_and_warning(self):
        found = 'acpi: the RSDP at 0xf59d0, found by the legacy scan\n'
        warning = 'acpi: acpi.rsdp=0x1234 ignored: no valid RSDP there'
        legacy = run_tests.rsdp_found('found by the legacy scan')
        warned = run_tests.rsdp_found('found by the legacy scan', warning)
        self.assertEqual(self.outcomes(legacy, 1, found), [PASS])
        self.assertEqual(self.outcomes(warned, 1, warning + '\n' + found), [PASS])
        self.assertEqual(self.outcomes(legacy, 1, warning + '\n' + found), [FAIL])
        self.assertEqual(self.outcomes(warned, 1, found), [FAIL])
        self.assertEqual(self.outcomes(warned, 1, 2 * (warning + '\n') + found), [FAIL])
        self.assertEqual(self.outcomes(run_tests.rsdp_found('given by acpi.rsdp='), 1, found),
                         [FAIL])


if __name__ == '__main__':
    unittest.main()
