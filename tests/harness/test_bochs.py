"""Unit tests for the Bochs side of the harness: its BMP frames, its
configuration, how a run's end is read, and Bochs's colour model.

Run from the repository root:  python3 -m unittest tests/harness/test_bochs.py
"""

import os
import struct
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bmp  # noqa: E402
import bochs  # noqa: E402
import gradient  # noqa: E402
import png  # noqa: E402
import qemu  # noqa: E402


def write_bmp(path, width, height, rows, bits=24, top_down=False):
    """A BMP of `rows` (top row first, each a list of (r, g, b))."""
    step = bits // 8
    stride = (width * step + 3) & ~3
    stored = rows if top_down else list(reversed(rows))
    body = b''
    for row in stored:
        line = b''.join(bytes((b, g, r)) + (b'\0' if step == 4 else b'') for r, g, b in row)
        body += line + b'\0' * (stride - len(line))
    header = struct.pack('<IiiHHIIiiII', 40, width, -height if top_down else height, 1, bits,
                         0, len(body), 0, 0, 0, 0)
    with open(path, 'wb') as f:
        f.write(b'BM' + struct.pack('<IHHI', 54 + len(body), 0, 0, 54) + header + body)


class BmpTest(unittest.TestCase):
    ROWS = [[(1, 2, 3), (4, 5, 6), (7, 8, 9)], [(10, 11, 12), (13, 14, 15), (16, 17, 18)]]

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.dir.name, 'f.bmp')

    def tearDown(self):
        self.dir.cleanup()

    def check_rows(self, image):
        self.assertEqual((image.width, image.height), (3, 2))
        for y, row in enumerate(self.ROWS):
            for x, rgb in enumerate(row):
                self.assertEqual(image.rgb(x, y), rgb)

    def test_bottom_up_24_bit_with_padded_rows(self):
        write_bmp(self.path, 3, 2, self.ROWS)
        self.check_rows(bmp.read_bmp(self.path))

    def test_top_down_32_bit(self):
        write_bmp(self.path, 3, 2, self.ROWS, bits=32, top_down=True)
        self.check_rows(bmp.read_bmp(self.path))

    def test_other_files_are_refused(self):
        with open(self.path, 'wb') as f:
            f.write(b'\x89PNG' + b'\0' * 60)
        with self.assertRaises(ValueError):
            bmp.read_bmp(self.path)
        write_bmp(self.path, 3, 2, self.ROWS)
        with open(self.path, 'r+b') as f:
            f.truncate(60)
        with self.assertRaises(ValueError):
            bmp.read_bmp(self.path)

    def test_crop_keeps_the_middle_rows(self):
        image = png.Image(2, 4, bytes(range(24)))
        middle = bmp.crop_rows(image, 1, 2)
        self.assertEqual((middle.width, middle.height), (2, 1))
        self.assertEqual(middle.rgb(0, 0), (6, 7, 8))


class ConfigTest(unittest.TestCase):
    def test_adapters(self):
        std = bochs.config('/x.iso', 'std', 'localhost:1', '/l')
        cirrus = bochs.config('/x.iso', 'cirrus', 'localhost:1', '/l')
        self.assertIn('slot1=pcivga', std)
        self.assertIn('extension=vbe', std)
        self.assertIn('vgabios-cirrus.bin', cirrus)
        self.assertIn('slot1=cirrus', cirrus)
        self.assertIn('com1: enabled=1, mode=socket-client, dev=localhost:1', std)
        self.assertIn('ips=50000000', std)
        with self.assertRaises(ValueError):
            bochs.config('/x.iso', 'vmware', 'localhost:1', '/l')


class ExitStatusTest(unittest.TestCase):
    def test_the_stopping_line_gives_the_status(self):
        self.assertEqual(bochs.exit_status('run: 1 program(s), 0 failed\n'
                                           'vidport: stopping, passed\n', 1), qemu.EXIT_PASS)
        self.assertEqual(bochs.exit_status('vidport: stopping, failed\n', 1), qemu.EXIT_FAIL)

    def test_no_stopping_line_is_no_status(self):
        self.assertEqual(bochs.exit_status('PANIC: x\nvidport: stopping, passed?\n', 1),
                         'bochs status 1, no stopping line')
        self.assertEqual(bochs.exit_status('vidport: stopping, passed\nPANIC: x\n', 1),
                         'bochs status 1, no stopping line')
        self.assertEqual(bochs.exit_status('', 1), 'bochs status 1, no stopping line')


class BochsColourTest(unittest.TestCase):
    def test_zero_filled_widening(self):
        self.assertEqual(gradient.shown((255, 255, 255), 16, 'bochs'), (248, 252, 248))
        self.assertEqual(gradient.shown((255, 255, 255), 8, 'bochs'), (252, 252, 252))
        self.assertEqual(gradient.shown((1, 2, 3), 32, 'bochs'), (1, 2, 3))
        self.assertEqual(gradient.shown((255, 255, 255), 15, 'bochs'), (248, 248, 248))

    def test_where_bochs_and_qemu_differ(self):
        # The first 16 bpp pixel of a gradient that tells them apart.
        self.assertEqual(gradient.shown((8, 0, 32), 16, 'bochs'), (8, 0, 32))
        self.assertEqual(gradient.shown((8, 0, 32), 16), (8, 0, 33))
        with self.assertRaises(ValueError):
            gradient.shown((0, 0, 0), 16, 'dosbox')


if __name__ == '__main__':
    unittest.main()
