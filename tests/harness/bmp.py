"""Just enough BMP for the test harness: read the frames SDL's dummy video
driver saves (Bochs's screen under test), as a png.Image.

Reads uncompressed 24- and 32-bit BMPs (BI_RGB, or BI_BITFIELDS with the
usual masks), bottom-up or top-down; anything else raises ValueError.
"""

import struct

import png

_BI_RGB, _BI_BITFIELDS = 0, 3


def read_bmp(path):
    """Decode the BMP file at `path` into a png.Image (packed RGB)."""
    with open(path, 'rb') as f:
        data = f.read()
    if len(data) < 54 or data[:2] != b'BM':
        raise ValueError(f'{path}: not a BMP file')
    (offset,) = struct.unpack_from('<I', data, 10)
    _, width, height, _, bits, compression = struct.unpack_from('<IiiHHI', data, 14)
    if bits not in (24, 32) or compression not in (_BI_RGB, _BI_BITFIELDS) or width <= 0:
        raise ValueError(f'{path}: a {bits}-bit BMP, compression {compression}, is not read here')
    step = bits // 8
    stride = (width * step + 3) & ~3
    rows = abs(height)
    if offset + stride * rows > len(data):
        raise ValueError(f'{path}: truncated')
    pixels = bytearray()
    for y in range(rows):
        stored = rows - 1 - y if height > 0 else y  # positive height: bottom row first
        row = data[offset + stored * stride:offset + stored * stride + width * step]
        for i in range(0, len(row), step):
            pixels += bytes((row[i + 2], row[i + 1], row[i]))
    return png.Image(width, rows, bytes(pixels))


def crop_rows(image, top, bottom):
    """The image without `top` rows above and `bottom` rows below."""
    start, end = top * image.width * 3, (image.height - bottom) * image.width * 3
    return png.Image(image.width, image.height - top - bottom, image.pixels[start:end])
