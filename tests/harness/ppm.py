"""Read QEMU's PPM screendumps: binary (P6), 8 bits per channel.

A PPM is the raw packed RGB the display shows plus a short text header,
so reading one costs a file read, where decoding a PNG of the same screen
in pure Python costs about a second. Returns png.Image like png.read_png.
"""

import re

import png

_HEADER = re.compile(rb'P6\s+(?:#[^\n]*\n\s*)*(\d+)\s+(\d+)\s+(\d+)\s')


def read_ppm(path):
    """Decode the binary PPM at `path`; ValueError if it is not one or is truncated."""
    with open(path, 'rb') as f:
        data = f.read()
    header = _HEADER.match(data)
    if not header:
        raise ValueError(f'{path}: not a binary PPM (P6) file')
    width, height, maxval = (int(v) for v in header.groups())
    if maxval != 255:
        raise ValueError(f'{path}: {maxval} as the largest sample; only 255 is read')
    pixels = data[header.end():]
    if len(pixels) != width * height * 3:
        raise ValueError(f'{path}: {len(pixels)} bytes of pixels, expected '
                         f'{width * height * 3} for {width}x{height}')
    return png.Image(width, height, pixels)
