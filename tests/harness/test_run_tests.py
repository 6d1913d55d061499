"""Unit tests for the test runner's command line.

Run from the repository root:  python3 -m unittest tests/harness/test_run_tests.py
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import run_tests  # noqa: E402


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
