"""Just enough PNG for the test harness: read QEMU screendumps, write diff images.

Reading supports 8-bit, non-interlaced greyscale (colour type 0), RGB (2) and
RGBA (6, alpha dropped) images; anything else raises ValueError. Every image is
returned as packed 8-bit RGB so callers can compare pixels without caring how
the file stored them.
"""

import itertools
import operator
import struct
import zlib
from dataclasses import dataclass

SIGNATURE = b'\x89PNG\r\n\x1a\n'

# Colour type -> bytes per pixel, for the 8-bit types we decode.
_CHANNELS = {0: 1, 2: 3, 6: 4}

_FILTER_NONE, _FILTER_SUB, _FILTER_UP, _FILTER_AVERAGE, _FILTER_PAETH = range(5)


@dataclass
class Image:
    """A decoded image: `pixels` is packed RGB, 3 bytes per pixel, row-major."""

    width: int
    height: int
    pixels: bytes

    def rgb(self, x, y):
        """Return the (r, g, b) tuple at column x, row y; IndexError if outside."""
        if not (0 <= x < self.width and 0 <= y < self.height):
            raise IndexError(f'pixel ({x}, {y}) outside {self.width}x{self.height} image')
        i = (y * self.width + x) * 3
        return tuple(self.pixels[i:i + 3])


def read_png(path):
    """Decode the PNG file at `path` into an Image.

    Raises ValueError if the file is not a PNG, is truncated, has a bad CRC, or
    uses a format this module does not decode (palette, 16-bit, interlaced...).
    """
    with open(path, 'rb') as f:
        data = f.read()
    if not data.startswith(SIGNATURE):
        raise ValueError(f'{path}: not a PNG file (bad signature)')
    header, idat = _read_chunks(data, path)
    width, height, colour_type = _parse_ihdr(header, path)
    try:
        raw = zlib.decompress(idat)
    except zlib.error as e:
        raise ValueError(f'{path}: corrupt image data: {e}') from None
    samples = _unfilter(raw, width, height, _CHANNELS[colour_type], path)
    return Image(width, height, _to_rgb(samples, colour_type))


def _read_chunks(data, path):
    """Walk the chunk list, checking every CRC.

    Returns (IHDR payload, concatenated IDAT payloads). Ancillary chunks are
    skipped; the file must start with IHDR and end with IEND.
    """
    pos = len(SIGNATURE)
    header = None
    idat = []
    while True:
        if pos + 8 > len(data):
            raise ValueError(f'{path}: truncated PNG (no IEND chunk)')
        length, kind = struct.unpack('>I4s', data[pos:pos + 8])
        end = pos + 8 + length
        if end + 4 > len(data):
            raise ValueError(f'{path}: truncated PNG in {kind!r} chunk')
        body = data[pos + 8:end]
        (crc,) = struct.unpack('>I', data[end:end + 4])
        if zlib.crc32(kind + body) != crc:
            raise ValueError(f'{path}: CRC mismatch in {kind!r} chunk at offset {pos}')
        if header is None and kind != b'IHDR':
            raise ValueError(f'{path}: first chunk is {kind!r}, expected IHDR')
        if kind == b'IHDR':
            header = body
        elif kind == b'IDAT':
            idat.append(body)
        elif kind == b'IEND':
            if not idat:
                raise ValueError(f'{path}: no IDAT chunk')
            return header, b''.join(idat)
        pos = end + 4


def _parse_ihdr(header, path):
    """Validate IHDR and return (width, height, colour_type) for decodable images."""
    if len(header) != 13:
        raise ValueError(f'{path}: IHDR has length {len(header)}, expected 13')
    width, height, depth, colour_type, compression, filtering, interlace = \
        struct.unpack('>IIBBBBB', header)
    if width == 0 or height == 0:
        raise ValueError(f'{path}: empty image ({width}x{height})')
    if depth != 8 or colour_type not in _CHANNELS:
        raise ValueError(f'{path}: unsupported format: bit depth {depth}, colour type '
                         f'{colour_type} (only 8-bit grey, RGB and RGBA are decoded)')
    if compression != 0 or filtering != 0:
        raise ValueError(f'{path}: unknown compression {compression} or filter method {filtering}')
    if interlace != 0:
        raise ValueError(f'{path}: interlaced PNGs are not supported')
    return width, height, colour_type


def _unfilter(raw, width, height, bpp, path):
    """Undo the per-scanline filters of decompressed image data.

    Returns the bare samples (height rows of width*bpp bytes, no filter bytes).
    """
    stride = width * bpp
    if len(raw) != height * (stride + 1):
        raise ValueError(f'{path}: image data is {len(raw)} bytes, expected '
                         f'{height * (stride + 1)} for {width}x{height}')
    out = bytearray()
    prior = bytes(stride)  # the row above the first row counts as all zeros
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        line = raw[start + 1:start + 1 + stride]
        if kind == _FILTER_NONE:
            row = line
        elif kind == _FILTER_SUB:
            row = _unsub(line, bpp)
        elif kind == _FILTER_UP:
            row = _add_bytes(line, prior)
        elif kind == _FILTER_AVERAGE:
            row = _unaverage(line, prior, bpp)
        elif kind == _FILTER_PAETH:
            row = _unpaeth(line, prior, bpp)
        else:
            raise ValueError(f'{path}: row {y} has unknown filter type {kind}')
        out += row
        prior = row
    return bytes(out)


def _low_byte(values):
    """Reduce an iterable of ints modulo 256, as bytes (runs at C speed)."""
    return bytes(map((255).__and__, values))


def _add_bytes(a, b):
    """Bytewise (a + b) mod 256 of two equal-length byte strings."""
    return _low_byte(map(operator.add, a, b))


def _unsub(line, bpp):
    """Undo the Sub filter: each byte was stored minus the byte bpp to its left."""
    # Sub makes each byte a running sum of every bpp-th byte, so each channel
    # is an independent prefix sum; accumulate() does that without a Python loop.
    row = bytearray(len(line))
    for c in range(bpp):
        row[c::bpp] = _low_byte(itertools.accumulate(line[c::bpp]))
    return row


def _unaverage(line, prior, bpp):
    """Undo the Average filter: predictor is floor((left + above) / 2)."""
    # Each byte depends on the one just reconstructed, so this must be a loop.
    row = bytearray(line)
    for i in range(len(row)):
        left = row[i - bpp] if i >= bpp else 0
        row[i] = (row[i] + ((left + prior[i]) >> 1)) & 255
    return row


def _unpaeth(line, prior, bpp):
    """Undo the Paeth filter: predictor is whichever of left, above, upper-left
    is closest to left + above - upper-left (ties prefer left, then above)."""
    row = bytearray(line)
    # The first pixel has no left or upper-left neighbour, so Paeth picks the
    # byte above it: exactly the Up filter.
    row[:bpp] = _add_bytes(line[:bpp], prior[:bpp])
    for i in range(bpp, len(row)):
        a = row[i - bpp]
        b = prior[i]
        c = prior[i - bpp]
        pa = abs(b - c)          # = |p - a| with p = a + b - c
        pb = abs(a - c)          # = |p - b|
        pc = abs(a + b - c - c)  # = |p - c|
        if pa <= pb and pa <= pc:
            pred = a
        elif pb <= pc:
            pred = b
        else:
            pred = c
        row[i] = (row[i] + pred) & 255
    return row


def _to_rgb(samples, colour_type):
    """Convert unfiltered samples of the given colour type to packed RGB."""
    if colour_type == 2:
        return samples
    pixels = len(samples) // _CHANNELS[colour_type]
    rgb = bytearray(pixels * 3)
    if colour_type == 0:
        for c in range(3):
            rgb[c::3] = samples
    else:  # RGBA: keep the first three of every four bytes
        for c in range(3):
            rgb[c::3] = samples[c::4]
    return bytes(rgb)


def write_png(path, width, height, rgb_bytes):
    """Write packed 8-bit RGB data (width*height*3 bytes, row-major) as a PNG file."""
    stride = width * 3
    if width <= 0 or height <= 0:
        raise ValueError(f'image must not be empty ({width}x{height})')
    if len(rgb_bytes) != stride * height:
        raise ValueError(f'{len(rgb_bytes)} bytes of pixels, expected {stride * height} '
                         f'for {width}x{height} RGB')
    # Filter type 0 (None) on every row: simple, and these images are only for people to view.
    raw = b''.join(b'\x00' + bytes(rgb_bytes[y * stride:(y + 1) * stride]) for y in range(height))
    ihdr = struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0)
    with open(path, 'wb') as f:
        f.write(SIGNATURE)
        f.write(_chunk(b'IHDR', ihdr))
        f.write(_chunk(b'IDAT', zlib.compress(raw, 6)))
        f.write(_chunk(b'IEND', b''))


def _chunk(kind, body):
    """Serialise one chunk: length, type, payload, CRC over type+payload."""
    return struct.pack('>I', len(body)) + kind + body + struct.pack('>I', zlib.crc32(kind + body))
