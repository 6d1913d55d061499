"""Unit tests for tools/qemu_machine.py, the QEMU machine, and for its
users: the harness's Machine and the Makefile's run targets boot it as it is.

Run from the repository root:  python3 -m unittest tests/harness/test_qemu_machine.py
"""

import os
import shlex
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, 'tools'))

import qemu  # noqa: E402
import qemu_machine  # noqa: E402

SCRIPT = os.path.join(ROOT, 'tools', 'qemu_machine.py')
OVMF = '/usr/share/ovmf/OVMF.fd'
BOARD = ['-M', 'pc', '-m', '128', '-smp', '1', '-nic', 'none', '-boot', 'order=d', '-no-reboot',
         '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', '-debugcon', 'file:/d/e9.log']


class CommandTest(unittest.TestCase):
    """The argv for each firmware and adapter, in full."""

    def test_bios(self):
        self.assertEqual(qemu_machine.command('bios', '/b/x.iso', 'std', '/d/e9.log'),
                         ['qemu-system-i386'] + BOARD + ['-cdrom', '/b/x.iso', '-vga', 'std'])

    def test_uefi(self):
        self.assertEqual(qemu_machine.command('uefi', '/b/x.iso', 'std', '/d/e9.log'),
                         ['qemu-system-x86_64', '-bios', OVMF] + BOARD
                         + ['-cdrom', '/b/x.iso', '-vga', 'std'])

    def test_efi_boots_the_loader_disk(self):
        self.assertEqual(qemu_machine.command('efi', '/b/x.img', 'std', '/d/e9.log'),
                         ['qemu-system-x86_64', '-bios', OVMF] + BOARD
                         + ['-drive', 'file=/b/x.img,format=raw,if=ide', '-vga', 'std'])

    def test_cirrus(self):
        for firmware in qemu_machine.FIRMWARES:
            with self.subTest(firmware=firmware):
                argv = qemu_machine.command(firmware, '/b/x', 'cirrus', '/d/e9.log')
                self.assertEqual(argv.count('-vga'), 1)
                self.assertEqual(argv[argv.index('-vga') + 1], 'cirrus')

    def test_smp_sets_the_cpu_count(self):
        for firmware in qemu_machine.FIRMWARES:
            for smp in (1, 4, 8):
                with self.subTest(firmware=firmware, smp=smp):
                    argv = qemu_machine.command(firmware, '/b/x', 'std', '/d/e9.log', smp)
                    self.assertEqual(argv.count('-smp'), 1)
                    self.assertEqual(argv[argv.index('-smp') + 1], str(smp))

    def test_smp_outside_one_to_eight(self):
        for smp in (0, 9, -1, '4', 2.0, True, None):
            with self.subTest(smp=smp):
                with self.assertRaisesRegex(ValueError, 'smp must be a whole number from 1 to 8'):
                    qemu_machine.command('bios', '/b/x.iso', 'std', '/d/e9.log', smp)

    def test_unknown_firmware_and_vga(self):
        with self.assertRaisesRegex(ValueError, 'firmware must be one of bios, uefi, efi'):
            qemu_machine.command('coreboot', '/b/x.iso', 'std', '/d/e9.log')
        with self.assertRaisesRegex(ValueError, 'vga must be one of std, cirrus'):
            qemu_machine.command('bios', '/b/x.iso', 'vmware', '/d/e9.log')


class ScriptTest(unittest.TestCase):
    """The command line the Makefile calls."""

    def run_script(self, *args):
        return subprocess.run([sys.executable, SCRIPT] + list(args), capture_output=True,
                              text=True)

    def test_prints_the_argv_quoted_for_the_shell(self):
        done = self.run_script('--firmware', 'efi', '--vga', 'cirrus', '--debugcon', '/d/e 9.log',
                               "/b/it's.img")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(shlex.split(done.stdout),
                         qemu_machine.command('efi', "/b/it's.img", 'cirrus', '/d/e 9.log'))

    def test_smp(self):
        done = self.run_script('--firmware', 'uefi', '--vga', 'std', '--smp', '4', '--debugcon',
                               '/d/e9.log', '/b/x.iso')
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(shlex.split(done.stdout),
                         qemu_machine.command('uefi', '/b/x.iso', 'std', '/d/e9.log', 4))
        for smp in ('0', '9', 'four'):
            with self.subTest(smp=smp):
                done = self.run_script('--firmware', 'bios', '--vga', 'std', '--smp', smp,
                                       '--debugcon', '/d/e9.log', '/b/x.iso')
                self.assertNotEqual(done.returncode, 0)
                self.assertEqual(done.stdout, '')
                self.assertIn('argument --smp', done.stderr)

    def test_refuses_an_unknown_adapter(self):
        done = self.run_script('--firmware', 'bios', '--vga', 'vmware', '--debugcon', '/d/e9.log',
                               '/b/x.iso')
        self.assertNotEqual(done.returncode, 0)
        self.assertEqual(done.stdout, '')
        self.assertIn("invalid choice: 'vmware'", done.stderr)


class HarnessTest(unittest.TestCase):
    """The harness's Machine boots the module's machine, then adds its own options."""

    def test_machine_command_starts_with_the_machine(self):
        for firmware in qemu_machine.FIRMWARES:
            for vga in qemu_machine.VGA_MODELS:
                with self.subTest(firmware=firmware, vga=vga):
                    m = qemu.Machine(image='/b/x.img', firmware=firmware, name='n',
                                     artifacts='/art', vga=vga)
                    self.addCleanup(m.close)
                    machine = qemu_machine.command(firmware, '/b/x.img', vga, '/art/n.debugcon.log')
                    self.assertEqual(m.command()[:len(machine)], machine)

    def test_machine_passes_its_cpu_count(self):
        m = qemu.Machine(image='/b/x.img', firmware='uefi', name='n', artifacts='/art', smp=3)
        self.addCleanup(m.close)
        machine = qemu_machine.command('uefi', '/b/x.img', 'std', '/art/n.debugcon.log', 3)
        self.assertEqual(m.command()[:len(machine)], machine)
        with self.assertRaisesRegex(ValueError, 'smp must be'):
            qemu.Machine(image='/b/x.img', smp=9)


class MakefileTest(unittest.TestCase):
    """`make -n` of each QEMU run target prints the module's machine, once."""

    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.build = os.path.join(tmp.name, 'build')
        self.iso = os.path.join(tmp.name, 'x.iso')
        self.disk = os.path.join(tmp.name, 'x.img')

    def make(self, target, *assignments):
        """`make -n target`, the boot media taken as up to date (-o) so that
        nothing is built; tools/deps.sh is not run."""
        env = {k: v for k, v in os.environ.items()
               if k not in ('MAKEFLAGS', 'MFLAGS', 'MAKELEVEL', 'VGA', 'SMP')}
        env['VIDPORT_DEPS_DONE'] = '1'
        argv = ['make', '-C', ROOT, '--no-print-directory', '-n', '-o', self.iso, '-o', self.disk,
                target, f'BUILD={self.build}', f'ISO={self.iso}', f'EFI_IMAGE={self.disk}',
                f'PYTHON={sys.executable}'] + list(assignments)
        return subprocess.run(argv, capture_output=True, text=True, env=env)

    def make_n(self, target, *assignments):
        """The commands `make -n target` prints."""
        done = self.make(target, *assignments)
        self.assertEqual(done.returncode, 0, done.stderr)
        return done.stdout

    def assert_boots(self, output, firmware, vga, smp=1):
        medium = self.disk if firmware == 'efi' else self.iso
        machine = shlex.join(qemu_machine.command(firmware, medium, vga,
                                                  os.path.join(self.build, 'debugcon.log'), smp))
        self.assertIn(machine, output)
        self.assertEqual(output.count(' -vga '), 1, output)
        self.assertEqual(output.count(' -smp '), 1, output)

    def test_targets(self):
        for target, assignments, firmware, vga in [
                ('run', (), 'bios', 'std'),
                ('run', ('VGA=cirrus',), 'bios', 'cirrus'),
                ('run-cirrus', (), 'bios', 'cirrus'),
                ('run-uefi', (), 'uefi', 'std'),
                ('run-uefi', ('VGA=cirrus',), 'uefi', 'cirrus'),
                ('run-efi-direct', (), 'efi', 'std'),
                ('debug', (), 'bios', 'std')]:
            with self.subTest(target=target, assignments=assignments):
                self.assert_boots(self.make_n(target, *assignments), firmware, vga)

    def test_smp(self):
        for target, firmware in [('run', 'bios'), ('run-cirrus', 'bios'), ('run-uefi', 'uefi'),
                                 ('run-efi-direct', 'efi'), ('debug', 'bios')]:
            with self.subTest(target=target):
                vga = 'cirrus' if target == 'run-cirrus' else 'std'
                self.assert_boots(self.make_n(target, 'SMP=4'), firmware, vga, 4)

    def test_bench_takes_smp(self):
        self.assertRegex(self.make_n('bench', 'SMP=3'), r'tests/run_bench\.py .*--smp 3\b')
        self.assertRegex(self.make_n('bench'), r'tests/run_bench\.py .*--smp 1\b')

    def test_interactive_console_and_gdb(self):
        self.assertIn(' -chardev stdio,id=console,mux=on,signal=on -serial chardev:console '
                      '-mon chardev=console', self.make_n('run'))
        self.assertRegex(self.make_n('debug'), r'-mon chardev=console -s -S\n')

    def test_a_machine_the_script_refuses_stops_make(self):
        for assignment in ('VGA=vmware', 'SMP=9'):
            with self.subTest(assignment=assignment):
                done = self.make('run', assignment)
                self.assertNotEqual(done.returncode, 0)
                self.assertNotIn('qemu-status.sh', done.stdout)
                self.assertIn(assignment, done.stderr)

if __name__ == '__main__':
    unittest.main()
