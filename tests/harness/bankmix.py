"""The picture user/programs/bankmix.c draws, as QEMU's screendump shows it.

Run R of N processes: band K is rows [top(K), top(K + 1)) with
top(K) = K * H // N, one row lower when that row starts exactly on a
64 KiB boundary of the frame (but never for K = 0 or K = N). With mix()
the lowbias32 hash and h = mix(R << 20 | K << 16 | y), pixel (x, y) of
band K has the 8-bit value v = (mix(x + (h >> 22)) + h) & 255, drawn as
the colour with v's bits 7-5, 4-2 and 1-0 at the top of red, green and
blue (in 8 bpp modes the pixel value is v, shown through the RGB 3-3-2
palette).

Building a whole screen pixel by pixel in Python would take a second, so
`Model` builds it a row at a time with bytes.translate: a row is a slice
of one string of column hashes, offset by h >> 22 and mapped through the
table for h & 255. The result is packed RGB, the layout of png.Image and
of a PPM screendump, so a screen compares as one bytes equality.
"""

import gradient

BANK_BYTES = 0x10000
_SHIFTS = 1 << 10  # h >> 22 ranges over 0..1023


def mix(v):
    """lowbias32, on 32-bit unsigned integers."""
    v &= 0xFFFFFFFF
    v ^= v >> 16
    v = (v * 0x7FEB352D) & 0xFFFFFFFF
    v ^= v >> 15
    v = (v * 0x846CA68B) & 0xFFFFFFFF
    return v ^ (v >> 16)


def row_hash(y, k, r):
    return mix(r << 20 | k << 16 | y)


def value(x, y, k, r):
    """The 8-bit value of pixel (x, y) in band k of run r (the slow reference)."""
    h = row_hash(y, k, r)
    return (mix(x + (h >> 22)) + h) & 0xFF


def rgb332(v):
    """The 8-bit-per-channel colour the program draws for value v."""
    return v & 0xE0, (v & 0x1C) << 3, (v & 0x03) << 6


def band_tops(n, height, stride):
    """The first row of each of the n bands, then the height."""
    tops = []
    for k in range(n + 1):
        top = k * height // n
        on_edge = 0 < top < height and top * stride % BANK_BYTES == 0
        tops.append(top + 1 if on_edge else top)
    return tops


class Model:
    """Expected screendumps of bankmix in one mode (width x height x bpp)."""

    def __init__(self, width, height, bpp):
        self.width, self.height, self.bpp = width, height, bpp
        self.stride = width * (bpp // 8)
        self._columns = bytes(mix(i) & 0xFF for i in range(width + _SHIFTS))
        shown = [gradient.shown(rgb332(v), bpp) for v in range(256)]
        # _tables[c][a][i]: channel c of the screen colour of value (i + a) & 255.
        self._tables = [[bytes(shown[(i + a) & 0xFF][c] for i in range(256)) for a in range(256)]
                        for c in range(3)]

    def _row(self, channel, y, k, r):
        h = row_hash(y, k, r)
        shift = h >> 22
        return self._columns[shift:shift + self.width].translate(self._tables[channel][h & 0xFF])

    def rows_of(self, n):
        """(y, band) for every row of the screen with n processes."""
        tops = band_tops(n, self.height, self.stride)
        return [(y, k) for k in range(n) for y in range(tops[k], tops[k + 1])]

    def expected(self, n, r):
        """The screen after run r of n processes, as packed RGB bytes."""
        rows = self.rows_of(n)
        out = bytearray(self.width * self.height * 3)
        for c in range(3):
            out[c::3] = b''.join(self._row(c, y, k, r) for y, k in rows)
        return bytes(out)


def mismatches(pixels, expected):
    """Pixels (3-byte groups) in which two packed RGB strings differ."""
    if pixels == expected:
        return 0
    if len(pixels) != len(expected):
        return -1
    return sum(1 for i in range(0, len(pixels), 3) if pixels[i:i + 3] != expected[i:i + 3])


def diff_image(pixels, expected):
    """Packed RGB: the screen's pixels, magenta where they differ from expected."""
    out = bytearray(pixels)
    for i in range(0, len(pixels), 3):
        if pixels[i:i + 3] != expected[i:i + 3]:
            out[i:i + 3] = b'\xff\x00\xff'
    return bytes(out)
