"""Checks on QEMU screenshots of the kernel's screen console.

The kernel announces text it drew with a serial line

  @@SCREENSHOT <name> row=R col=C cell=WxH fg=RRGGBB bg=RRGGBB width=W height=H text=...

and the harness compares every pixel of those character cells against the
same console font the kernel was built with (tools/psf.py).
"""
import re

from png import write_png

# Only a complete line: the harness may see the marker while it is arriving.
MARKER = re.compile(r'^@@SCREENSHOT (\S+) ([^\n]*)\n', re.MULTILINE)


def parse_marker(match):
    """Fields of a marker line: ints for numbers, colours as ints, text as is."""
    name, rest = match.group(1), match.group(2)
    head, _, text = rest.partition(' text=')
    fields = dict(item.split('=', 1) for item in head.split())
    cell_w, cell_h = (int(v) for v in fields['cell'].split('x'))
    return {
        'name': name, 'text': text,
        'row': int(fields['row']), 'col': int(fields['col']),
        'cell_w': cell_w, 'cell_h': cell_h,
        'fg': int(fields['fg'], 16), 'bg': int(fields['bg'], 16),
        'width': int(fields['width']), 'height': int(fields['height']),
    }


def _rgb(value):
    return ((value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF)


def expected_cells(marker, font, text=None):
    """Yield ((x, y), rgb) for every pixel of the announced text's cells."""
    text = marker['text'] if text is None else text
    fg, bg = _rgb(marker['fg']), _rgb(marker['bg'])
    y0 = marker['row'] * marker['cell_h']
    for i, ch in enumerate(text):
        x0 = (marker['col'] + i) * marker['cell_w']
        for y in range(marker['cell_h']):
            for x in range(marker['cell_w']):
                on = font.pixel(ord(ch) & 0xFF, x, y)
                yield (x0 + x, y0 + y), fg if on else bg


def count_mismatches(image, marker, font, text=None):
    """Pixels of the text's cells that differ from the font rendering."""
    return sum(1 for (x, y), rgb in expected_cells(marker, font, text)
               if image.rgb(x, y) != rgb)


def write_diff(path, image, marker, font):
    """Save a copy of the screenshot with mismatching pixels in magenta."""
    pixels = bytearray(image.pixels)
    for (x, y), rgb in expected_cells(marker, font):
        if image.rgb(x, y) != rgb:
            offset = (y * image.width + x) * 3
            pixels[offset:offset + 3] = b'\xff\x00\xff'
    write_png(path, image.width, image.height, bytes(pixels))
