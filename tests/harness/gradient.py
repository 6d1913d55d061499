"""The picture user/programs/gradient.c draws, as QEMU's screendump shows it.

On a W x H screen pixel (x, y) has the colour red = x*255//(W-1),
green = y*255//(H-1), blue = (x ^ y) & 255. The program keeps the top bits
of each channel (as many as the mode has) and the display widens them
again: 16 bpp 5-6-5 fields by bit replication (15 bpp 5-5-5 ones by
filling the low bits with zeros: QEMU converts those lines itself), 8 bpp
through vidport's fixed RGB 3-3-2 palette on the 6-bit VGA DAC. Bochs
widens every depth by filling the low bits with zeros (colours='bochs').
"""


def gradient_rgb(x, y, w, h):
    r = x * 255 // (w - 1) if w > 1 else 0
    g = y * 255 // (h - 1) if h > 1 else 0
    return r, g, (x ^ y) & 255


def widen(value, bits):
    """A `bits`-bit field shown as 8 bits by repeating its bits."""
    out, shift = 0, 8 - bits
    while shift > -bits:
        out |= value << shift if shift >= 0 else value >> -shift
        shift -= bits
    return out & 0xFF


def dac_level(value, bits):
    """vidport's palette: a field scaled to the DAC's 6 bits, rounded."""
    top = (1 << bits) - 1
    return (value * 63 + top // 2) // top


def dac_to_8(v):
    """How QEMU shows a 6-bit DAC value."""
    return (v << 2) | ((v & 1) << 1) | (v & 1)


def zero_filled(value, bits):
    """A `bits`-bit field shown as 8 bits as Bochs shows it."""
    return value << (8 - bits)


def shown(rgb, bpp, colours='qemu'):
    """The screendump colour of an 8-bit-per-channel colour in a mode of
    bpp, as the emulator named by `colours` ('qemu' or 'bochs') shows it."""
    if colours not in ('qemu', 'bochs'):
        raise ValueError(f'no colour model {colours!r}')
    field = widen if colours == 'qemu' and bpp != 15 else zero_filled
    if bpp == 32:
        return rgb
    if bpp in (15, 16):
        sizes = (5, 5, 5) if bpp == 15 else (5, 6, 5)
        return tuple(field(c >> (8 - bits), bits) for c, bits in zip(rgb, sizes))
    if bpp == 8:
        levels = (dac_level(c >> (8 - bits), bits) for c, bits in zip(rgb, (3, 3, 2)))
        return tuple(dac_to_8(v) if colours == 'qemu' else zero_filled(v, 6) for v in levels)
    raise ValueError(f'no gradient model for {bpp} bpp')


def count_mismatches(image, w, h, bpp, scale=1, colours='qemu'):
    """Pixels of the image that differ from the gradient (scale: the
    emulator's doubling of 320x200 to 640x400; colours: whose widening);
    -1 if the geometry is wrong."""
    if (image.width, image.height) != (w * scale, h * scale):
        return -1
    cache = {}
    bad = 0
    for y in range(h):
        for x in range(w):
            rgb = gradient_rgb(x, y, w, h)
            want = cache.get(rgb) or cache.setdefault(rgb, shown(rgb, bpp, colours))
            if image.rgb(x * scale, y * scale) != want:
                bad += 1
    return bad
