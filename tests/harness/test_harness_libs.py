"""Unit tests for the harness libraries: png, ktap and qemu (the last without a real QEMU).

Run from the repository root:  python3 -m unittest tests/harness/test_harness_libs.py
"""

import os
import random
import struct
import sys
import tempfile
import textwrap
import unittest
import zlib

# unittest imports this file as tests.harness.test_harness_libs; the libraries
# are plain modules next to it, so make them importable by their own names.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import fakeqemu  # noqa: E402
import ktap  # noqa: E402
import png  # noqa: E402
import qemu  # noqa: E402


# ---------------------------------------------------------------------- PNG

def _paeth_predictor(a, b, c):
    """The PNG specification's Paeth predictor, written out literally."""
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    if pb <= pc:
        return b
    return c


def _filter_row(kind, row, prior, bpp):
    """Apply PNG filter `kind` to one scanline (the encoder side, independent of png.py)."""
    out = bytearray()
    for i, x in enumerate(row):
        a = row[i - bpp] if i >= bpp else 0
        b = prior[i]
        c = prior[i - bpp] if i >= bpp else 0
        predictor = [0, a, b, (a + b) // 2, _paeth_predictor(a, b, c)][kind]
        out.append((x - predictor) & 255)
    return bytes(out)


def _chunk(kind, body):
    return struct.pack('>I', len(body)) + kind + body + struct.pack('>I', zlib.crc32(kind + body))


def _encode(width, height, colour_type, samples, filters, idat_parts=1):
    """Build a PNG by hand: row y uses filters[y % len(filters)], IDAT split in parts."""
    bpp = {0: 1, 2: 3, 6: 4}[colour_type]
    stride = width * bpp
    prior = bytes(stride)
    raw = bytearray()
    for y in range(height):
        row = samples[y * stride:(y + 1) * stride]
        kind = filters[y % len(filters)]
        raw += bytes([kind]) + _filter_row(kind, row, prior, bpp)
        prior = row
    compressed = zlib.compress(bytes(raw))
    step = -(-len(compressed) // idat_parts)
    idats = [_chunk(b'IDAT', compressed[i:i + step]) for i in range(0, len(compressed), step)]
    ihdr = struct.pack('>IIBBBBB', width, height, 8, colour_type, 0, 0, 0)
    return png.SIGNATURE + _chunk(b'IHDR', ihdr) + b''.join(idats) + _chunk(b'IEND', b'')


def _tie_heavy_samples(count, seed):
    """Deterministic bytes from a tiny alphabet, so Paeth hits its tie-breaking rules."""
    rng = random.Random(seed)
    return bytes(rng.choice((0, 1, 2, 3, 4, 5, 6, 127, 128, 254, 255)) for _ in range(count))


class PngTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def path(self, name):
        return os.path.join(self.dir.name, name)

    def write_bytes(self, name, data):
        with open(self.path(name), 'wb') as f:
            f.write(data)
        return self.path(name)

    def test_round_trip_gradient(self):
        width, height = 37, 23
        pixels = bytes(v for y in range(height) for x in range(width)
                       for v in (x * 7 % 256, y * 11 % 256, (x * y) % 256))
        png.write_png(self.path('g.png'), width, height, pixels)
        image = png.read_png(self.path('g.png'))
        self.assertEqual((image.width, image.height), (width, height))
        self.assertEqual(bytes(image.pixels), pixels)
        self.assertEqual(image.rgb(36, 22), (36 * 7 % 256, 22 * 11, 36 * 22 % 256))
        self.assertEqual(image.rgb(1, 0), (7, 0, 0))

    def test_all_filters_rgb_multiple_idat(self):
        width, height = 9, 10
        samples = _tie_heavy_samples(width * height * 3, seed=1)
        data = _encode(width, height, 2, samples, filters=[0, 1, 2, 3, 4], idat_parts=3)
        self.assertEqual(data.count(b'IDAT'), 3)
        image = png.read_png(self.write_bytes('f.png', data))
        self.assertEqual(bytes(image.pixels), samples)

    def test_each_filter_on_first_row(self):
        # The first row's "prior" is all zeros, an edge case for Up/Average/Paeth.
        for kind in range(5):
            with self.subTest(filter=kind):
                samples = _tie_heavy_samples(6 * 3 * 3, seed=kind)
                data = _encode(6, 3, 2, samples, filters=[kind])
                self.assertEqual(bytes(png.read_png(self.write_bytes('k.png', data)).pixels),
                                 samples)

    def test_rgba_drops_alpha(self):
        width, height = 7, 6
        samples = _tie_heavy_samples(width * height * 4, seed=2)
        data = _encode(width, height, 6, samples, filters=[4, 3, 1, 2, 0])
        image = png.read_png(self.write_bytes('a.png', data))
        expected = bytes(b for i, b in enumerate(samples) if i % 4 != 3)
        self.assertEqual(bytes(image.pixels), expected)

    def test_grey_expands_to_rgb(self):
        width, height = 5, 5
        samples = _tie_heavy_samples(width * height, seed=3)
        data = _encode(width, height, 0, samples, filters=[1, 4, 3])
        image = png.read_png(self.write_bytes('grey.png', data))
        self.assertEqual(image.rgb(4, 4), (samples[24],) * 3)
        self.assertEqual(bytes(image.pixels), bytes(v for v in samples for _ in range(3)))

    def test_corrupted_crc_is_rejected(self):
        png.write_png(self.path('c.png'), 2, 2, bytes(range(12)))
        with open(self.path('c.png'), 'rb') as f:
            data = bytearray(f.read())
        idat = data.index(b'IDAT')
        data[idat + 6] ^= 0x01  # a payload byte; the stored CRC no longer matches
        with self.assertRaisesRegex(ValueError, 'CRC mismatch'):
            png.read_png(self.write_bytes('bad.png', data))

    def test_unsupported_and_malformed_inputs(self):
        sixteen_bit = png.SIGNATURE + _chunk(b'IHDR', struct.pack('>IIBBBBB', 1, 1, 16, 2, 0, 0, 0))
        cases = {
            'not a PNG': b'P6\n1 1\n255\n\x00\x00\x00',
            'unsupported format': (sixteen_bit + _chunk(b'IDAT', zlib.compress(bytes(7)))
                                   + _chunk(b'IEND', b'')),
            'truncated': _encode(3, 3, 2, bytes(27), [0])[:-20],
        }
        for message, data in cases.items():
            with self.subTest(message), self.assertRaisesRegex(ValueError, message):
                png.read_png(self.write_bytes('x.png', data))

    def test_rgb_outside_image_raises(self):
        image = png.Image(2, 2, bytes(12))
        with self.assertRaises(IndexError):
            image.rgb(2, 0)

    def test_write_rejects_wrong_length(self):
        with self.assertRaises(ValueError):
            png.write_png(self.path('w.png'), 4, 4, bytes(47))


# --------------------------------------------------------------------- KTAP

EXAMPLE = textwrap.dedent("""\
    KTAP version 1
    1..2
        KTAP version 1
        # Subtest: boot
        1..3
        ok 1 cmdline_parses
        not ok 2 something
        # some diagnostic line
        ok 3 other # SKIP no hardware
    ok 1 boot
        KTAP version 1
        # Subtest: timer
        1..1
        ok 1 ticks
    ok 2 timer
    """)


def _leaves(report):
    return [(r.suite, r.number, r.name, r.status) for r in report.results]


class KtapTest(unittest.TestCase):
    EXPECTED = [
        ('boot', 1, 'cmdline_parses', 'ok'),
        ('boot', 2, 'something', 'not ok'),
        ('boot', 3, 'other', 'skip'),
        ('timer', 1, 'ticks', 'ok'),
    ]

    def test_example(self):
        report = ktap.parse(EXAMPLE)
        self.assertEqual(report.problems, [])
        self.assertEqual(_leaves(report), self.EXPECTED)
        self.assertEqual([(s.name, s.number, s.status, s.plan) for s in report.suites],
                         [('boot', 1, 'ok', 3), ('timer', 2, 'ok', 1)])
        self.assertEqual(report.results[2].reason, 'no hardware')
        self.assertEqual(report.results[1].diagnostics, ['# some diagnostic line'])
        self.assertEqual(report.results[0].diagnostics, [])
        self.assertEqual([r.name for r in report.failures()], ['something'])
        self.assertFalse(report.passed())

    def test_top_level_case_without_subtests_is_a_leaf(self):
        report = ktap.parse('KTAP version 1\n1..2\nok 1 alone\nok 2 - dashed # TODO later\n')
        self.assertEqual(report.problems, [])
        self.assertEqual(_leaves(report), [('', 1, 'alone', 'ok'), ('', 2, 'dashed', 'ok')])
        self.assertEqual(report.suites, [])
        self.assertTrue(report.passed())

    def test_failure_is_not_hidden_by_skip(self):
        report = ktap.parse('KTAP version 1\n1..1\nnot ok 1 x # SKIP why\n')
        self.assertEqual(report.results[0].status, 'not ok')

    def test_plan_mismatch(self):
        report = ktap.parse(EXAMPLE.replace('    1..3', '    1..4'))
        self.assertEqual(len(report.problems), 1, report.problems)
        self.assertIn("suite 'boot'", report.problems[0])
        self.assertIn('plan says 4', report.problems[0])
        top = ktap.parse(EXAMPLE.replace('1..2', '1..3', 1))
        self.assertEqual(len(top.problems), 1, top.problems)
        self.assertIn('top level', top.problems[0])

    def test_missing_header_and_plan(self):
        report = ktap.parse('ok 1 a\n')
        self.assertEqual(_leaves(report), [('', 1, 'a', 'ok')])
        self.assertEqual(len(report.problems), 2, report.problems)
        self.assertIn('header', report.problems[0])
        self.assertIn('plan', report.problems[1])
        self.assertEqual(len(ktap.parse('').problems), 2)

    def test_truncated_output(self):
        cut = EXAMPLE[:EXAMPLE.index('ok 2 timer')]
        report = ktap.parse(cut + '    # PANIC: page fault\n')
        self.assertEqual(_leaves(report), self.EXPECTED)
        self.assertEqual(len(report.problems), 1, report.problems)
        self.assertIn("'timer' never finished", report.problems[0])
        timer = report.suites[1]
        self.assertIsNone(timer.status)
        self.assertEqual(timer.diagnostics, ['# PANIC: page fault'])
        self.assertFalse(report.passed())

    def test_truncated_inside_nested_header(self):
        report = ktap.parse(EXAMPLE[:EXAMPLE.index('    1..1')])
        self.assertTrue(any("'timer' never finished" in p for p in report.problems))
        self.assertTrue(any("'timer': missing plan" in p for p in report.problems))

    def test_noise_is_ignored(self):
        noise = ['\x1b[2J\x1b[01;01HBdsDxe: starting Boot0001', 'Welcome to GRUB!', 'okay',
                 'ok', '1..x', 'KTAP', '  random indented text', 'timer: 100 Hz', '']
        lines = EXAMPLE.splitlines()
        mixed = ['  # an indented comment before any KTAP line']
        for i, line in enumerate(lines):
            mixed += [noise[i % len(noise)], line]
        report = ktap.parse('\n'.join(mixed) + '\n' + noise[0])
        self.assertEqual(report.problems, [])
        self.assertEqual(_leaves(report), self.EXPECTED)

    def test_any_consistent_indentation(self):
        two_spaces = EXAMPLE.replace('    ', '  ')
        report = ktap.parse(two_spaces)
        self.assertEqual(report.problems, [])
        self.assertEqual(_leaves(report), self.EXPECTED)
        bad = ktap.parse(EXAMPLE.replace('    ok 1 ticks', '  ok 1 ticks'))
        self.assertTrue(any('indentation' in p for p in bad.problems), bad.problems)

    def test_diagnostics_before_a_failure(self):
        text = textwrap.dedent("""\
            KTAP version 1
            1..3
            ok 1 a
            # expected 1, got 2
            not ok 2 b
            # after b
            not ok 3 c
            """)
        report = ktap.parse(text)
        self.assertEqual([r.diagnostics for r in report.results],
                         [[], ['# expected 1, got 2', '# after b'], ['# after b']])


# --------------------------------------------------------------------- QEMU

# Stands in for QEMU: serves the serial chardev socket, prints firmware noise,
# the sentinel split across two writes, echoes one byte back, then exits.
FAKE_QEMU = """\
with open(argv[argv.index('-debugcon') + 1][len('file:'):], 'wb') as debugcon:
    debugcon.write(b'D\\r\\n')
time.sleep(0.1)  # the harness must retry until the socket exists
conn = serial_connection()
conn.sendall(b'\\x1b[2J\\x1b[01;01HBdsDxe: noise\\r\\n\\r\\n@@VID')
time.sleep(0.3)
conn.sendall(b'PORT@@\\r\\nKTAP version 1\\r\\n')
conn.sendall(b'echo:' + conn.recv(1) + b'\\r\\n')
time.sleep(0.1)
sys.exit(35)
"""


class EfiDiskTest(unittest.TestCase):
    """Moving a kernel's load addresses for the loader's refusal boots."""

    @staticmethod
    def elf(segments):
        """A minimal ELF32 header plus program headers (type, paddr) each."""
        header = bytearray(52)
        header[:4] = b'\x7fELF'
        struct.pack_into('<I', header, 28, 52)
        struct.pack_into('<HH', header, 42, 32, len(segments))
        phdrs = b''.join(struct.pack('<8I', kind, 0, paddr + 0xC0000000, paddr, 0, 0, 0, 0)
                         for kind, paddr in segments)
        return bytes(header) + phdrs

    def test_moved_shifts_only_loadable_segments(self):
        import efidisk
        elf = self.elf([(1, 0x100000), (4, 0x5000), (1, 0x102000)])
        self.assertEqual(efidisk.load_addresses(elf), [0x100000, 0x102000])
        moved = efidisk.moved(elf, 0x700000)
        self.assertEqual(efidisk.load_addresses(moved), [0x800000, 0x802000])
        self.assertEqual(struct.unpack_from('<I', moved, 52 + 32 + 12)[0], 0x5000)
        self.assertEqual(len(moved), len(elf))


class QemuCommandTest(unittest.TestCase):
    def machine(self, **kwargs):
        m = qemu.Machine(**kwargs)
        self.addCleanup(m.close)
        return m

    def assert_common(self, argv, m, vga='std'):
        def value_of(option):
            return argv[argv.index(option) + 1]
        self.assertEqual(value_of('-M'), 'pc')
        self.assertEqual(value_of('-m'), '128')
        if m.firmware == 'efi':
            self.assertEqual(value_of('-drive'), 'file=/abs/build/x.img,format=raw,if=ide')
            self.assertNotIn('-cdrom', argv)
        else:
            self.assertEqual(value_of('-cdrom'), '/abs/build/x.iso')
            self.assertNotIn('-drive', argv)
        self.assertEqual(value_of('-display'), 'none')
        self.assertEqual(argv.count('-vga'), 1)
        self.assertEqual(value_of('-vga'), vga)
        self.assertIn('-no-reboot', argv)
        self.assertEqual(value_of('-nic'), 'none')
        self.assertEqual(value_of('-boot'), 'order=d')
        self.assertEqual(value_of('-device'), 'isa-debug-exit,iobase=0xf4,iosize=0x04')
        self.assertEqual(value_of('-debugcon'), f'file:/abs/art/{m.name}.debugcon.log')
        self.assertRegex(value_of('-qmp'), r'^unix:/.+,server=on,wait=off$')
        chardev = value_of('-chardev')
        self.assertRegex(chardev, r'^socket,id=ser0,path=/.+,server=on,wait=on$')
        self.assertEqual(value_of('-serial'), 'chardev:ser0')
        for option in (value_of('-qmp'), chardev):
            socket_path = option.split('unix:')[-1].split('path=')[-1].split(',')[0]
            self.assertLess(len(socket_path), 100)
            self.assertTrue(os.path.isdir(os.path.dirname(socket_path)))
        self.assertEqual(argv[-2:], ['-s', '-S'])

    def test_bios(self):
        m = self.machine(image='/abs/build/x.iso', firmware='bios', name='bios-selftest',
                         artifacts='/abs/art', extra_args=['-s', '-S'])
        argv = m.command()
        self.assertEqual(argv[0], 'qemu-system-i386')
        self.assertNotIn('-bios', argv)
        self.assert_common(argv, m)

    def test_uefi(self):
        m = self.machine(image='/abs/build/x.iso', firmware='uefi', name='uefi-selftest',
                         artifacts='/abs/art', extra_args=['-s', '-S'])
        argv = m.command()
        self.assertEqual(argv[0], 'qemu-system-x86_64')
        self.assertEqual(argv[argv.index('-bios') + 1], '/usr/share/ovmf/OVMF.fd')
        self.assert_common(argv, m)

    def test_efi_boots_the_loader_disk(self):
        m = self.machine(image='/abs/build/x.img', firmware='efi', name='efi-selftest',
                         artifacts='/abs/art', extra_args=['-s', '-S'])
        argv = m.command()
        self.assertEqual(argv[0], 'qemu-system-x86_64')
        self.assertEqual(argv[argv.index('-bios') + 1], '/usr/share/ovmf/OVMF.fd')
        self.assert_common(argv, m)

    def test_cirrus(self):
        m = self.machine(image='/abs/build/x.iso', firmware='bios', name='bios-cirrus',
                         artifacts='/abs/art', extra_args=['-s', '-S'], vga='cirrus')
        argv = m.command()
        self.assertEqual(argv[0], 'qemu-system-i386')
        self.assert_common(argv, m, vga='cirrus')

    def test_unknown_firmware(self):
        with self.assertRaises(ValueError):
            qemu.Machine(image='x.iso', firmware='coreboot')

    def test_unknown_vga(self):
        with self.assertRaises(ValueError):
            qemu.Machine(image='x.iso', vga='vmware')

    def test_socket_dir_removed_on_close(self):
        m = qemu.Machine(image='x.iso')
        sockdir = os.path.dirname(m.command()[m.command().index('-qmp') + 1].split(',')[0][5:])
        m.close()
        self.assertFalse(os.path.exists(sockdir))


class QemuSerialTest(unittest.TestCase):
    """Drives Machine against a fake qemu-system-i386 placed first on PATH."""

    def setUp(self):
        self.tmp = fakeqemu.install(self, FAKE_QEMU)

    def test_sentinel_serial_and_exit(self):
        artifacts = os.path.join(self.tmp, 'art')
        with qemu.Machine(image='x.iso', name='fake', artifacts=artifacts) as m:
            self.assertEqual(m.wait_for(r'^KTAP version (\d)$', timeout=10).group(1), '1')
            self.assertFalse(m.exited())  # it waits for a byte from us
            self.assertEqual(m.serial_text(), 'KTAP version 1\n')
            self.assertGreater(m.boot_seconds(), 0.3)
            m.send_serial(b'Z')
            m.wait_for(r'^echo:Z$', timeout=10)
            self.assertEqual(m.wait_exit(timeout=10), qemu.EXIT_FAIL)
            self.assertTrue(m.exited())
            with self.assertRaisesRegex(qemu.Timeout, r'QEMU exited.*\n(.*\n)*echo:Z'):
                m.wait_for('never printed', timeout=10)
            self.assertEqual(m.debugcon_text(), 'D\n')
            self.assertEqual(m.firmware_text(), 'BdsDxe: noise\n')
            self.assertEqual(m.wait_for_firmware(r'^(\w+): noise$').group(1), 'BdsDxe')
        with open(os.path.join(artifacts, 'fake.serial.log'), 'rb') as f:
            self.assertTrue(f.read().startswith(b'\x1b[2J'))

    def test_timeout_before_sentinel_shows_raw_tail(self):
        with qemu.Machine(image='x.iso', name='fake2', artifacts=self.tmp) as m:
            with self.assertRaisesRegex(qemu.Timeout, 'VIDPORT@@ not seen'):
                m.wait_for('KTAP', timeout=0.05)
            self.assertEqual(m.serial_text(), '')
            self.assertIsNone(m.boot_seconds())
            self.assertEqual(m.wait_for_firmware(r'^BdsDxe: (\w+)', timeout=10).group(1), 'noise')


if __name__ == '__main__':
    unittest.main()


class GradientModelTest(unittest.TestCase):
    """The model of how QEMU shows gradient's pixels in each depth."""

    def test_widen_repeats_bits(self):
        import gradient
        self.assertEqual(gradient.widen(0x1F, 5), 0xFF)
        self.assertEqual(gradient.widen(0x10, 5), 0x84)
        self.assertEqual(gradient.widen(0, 6), 0)

    def test_dac_matches_qemu(self):
        import gradient
        self.assertEqual(gradient.dac_to_8(16), 64)  # hardware.md: DAC 16 dumps as 64
        self.assertEqual(gradient.dac_to_8(63), 255)

    def test_shown_colours(self):
        import gradient
        self.assertEqual(gradient.shown((255, 255, 255), 8), (255, 255, 255))
        self.assertEqual(gradient.shown((0x12, 0x34, 0x56), 32), (0x12, 0x34, 0x56))
        self.assertEqual(gradient.shown((0x80, 0, 0), 16), (0x84, 0, 0))
        self.assertEqual(gradient.shown((0x84, 0xFF, 0), 15), (0x80, 0xF8, 0))
        self.assertEqual(gradient.shown((0, 0x84, 0), 16), (0, 0x86, 0))
        self.assertNotEqual(gradient.shown((0x9F, 0, 0), 8), gradient.shown((0x80, 0, 0), 16))
