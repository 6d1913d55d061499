"""Unit tests for the bankmix picture model and the PPM reader.

Run from the repository root:  python3 -m unittest tests/harness/test_bankmix.py
"""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bankmix  # noqa: E402
import gradient  # noqa: E402
import ppm  # noqa: E402


class BankmixModelTest(unittest.TestCase):
    def test_hash_matches_the_program(self):
        # Printed by user/programs/bankmix.c's mix() and pattern, built for the host.
        self.assertEqual([bankmix.mix(0), bankmix.mix(1), bankmix.mix(0xFFFFFFFF)],
                         [0, 1753845952, 1734902346])
        self.assertEqual([bankmix.value(0, 0, 0, 1), bankmix.value(639, 479, 3, 100),
                          bankmix.value(17, 240, 1, 42)], [220, 247, 184])

    def test_bands_never_start_on_a_bank_edge(self):
        self.assertEqual(bankmix.band_tops(4, 480, 640), [0, 120, 240, 360, 480])
        self.assertEqual(bankmix.band_tops(2, 768, 4096), [0, 385, 768])  # 384 * 4096 is 24 banks
        self.assertEqual(bankmix.band_tops(1, 768, 4096), [0, 768])

    def test_fast_model_equals_the_formula(self):
        for w, h, bpp, n, r in ((64, 48, 8, 4, 3), (40, 30, 16, 2, 999), (33, 20, 32, 3, 1)):
            model = bankmix.Model(w, h, bpp)
            tops = bankmix.band_tops(n, h, w * bpp // 8)
            want = bytearray()
            for k in range(n):
                for y in range(tops[k], tops[k + 1]):
                    for x in range(w):
                        rgb = bankmix.rgb332(bankmix.value(x, y, k, r))
                        want += bytes(gradient.shown(rgb, bpp))
            self.assertEqual(model.expected(n, r), bytes(want), f'{w}x{h}x{bpp}')

    def test_runs_and_bands_differ(self):
        model = bankmix.Model(64, 48, 8)
        self.assertNotEqual(model.expected(2, 1), model.expected(2, 2))
        self.assertNotEqual(model.expected(2, 1), model.expected(4, 1))

    def test_8bpp_values_use_the_332_palette(self):
        self.assertEqual(gradient.shown(bankmix.rgb332(0xFF), 8), (255, 255, 255))
        self.assertEqual(gradient.shown(bankmix.rgb332(0xE0), 8), (255, 0, 0))
        self.assertEqual(gradient.shown(bankmix.rgb332(0x03), 8), (0, 0, 255))

    def test_mismatches_and_diff(self):
        a = bytes(range(12))
        b = bytes([0, 1, 2, 3, 4, 99, 6, 7, 8, 9, 10, 11])
        self.assertEqual(bankmix.mismatches(a, a), 0)
        self.assertEqual(bankmix.mismatches(a, b), 1)
        self.assertEqual(bankmix.mismatches(a, a[:9]), -1)
        self.assertEqual(bankmix.diff_image(a, b), a[:3] + b'\xff\x00\xff' + a[6:])


class PpmTest(unittest.TestCase):
    def read(self, data):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, 'shot.ppm')
            with open(path, 'wb') as f:
                f.write(data)
            return ppm.read_ppm(path)

    def test_reads_qemu_layout(self):
        image = self.read(b'P6\n2 1\n255\n' + bytes([1, 2, 3, 4, 5, 6]))
        self.assertEqual((image.width, image.height), (2, 1))
        self.assertEqual(image.rgb(1, 0), (4, 5, 6))

    def test_comment_and_spaces(self):
        image = self.read(b'P6 # made by hand\n 1  1 255\n' + b'\x07\x08\x09')
        self.assertEqual(image.rgb(0, 0), (7, 8, 9))

    def test_rejects_other_files(self):
        for data in (b'\x89PNG\r\n', b'P3\n1 1\n255\n1 2 3', b'P6\n1 1\n65535\n' + bytes(6),
                     b'P6\n2 2\n255\n' + bytes(5)):
            with self.assertRaises(ValueError, msg=data):
                self.read(data)


if __name__ == '__main__':
    unittest.main()
