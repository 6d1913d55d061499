"""Draw the benchmark's ratios as a PNG bar chart, with the standard library.

One horizontal bar per table row that has a ratio, on a logarithmic axis
(ratios run from thousandths to hundreds), labelled with the console font
the kernel itself uses. A vertical line marks 1x; a tick on a bar marks the
ratio its target asks for. Bars are green when the target is met, red when
it is missed and grey when the row has no target.
"""
import math

import png

WIDTH = 1280
LABEL_WIDTH = 720
BAR_LEFT = LABEL_WIDTH + 10
BAR_WIDTH = WIDTH - BAR_LEFT - 90
ROW_HEIGHT = 22
TOP = 40
LOG_MIN, LOG_MAX = -3, 3  # 0.001x .. 1000x

WHITE, BLACK, GREY = (255, 255, 255), (0, 0, 0), (160, 160, 160)
GREEN, RED, BLUE = (40, 160, 60), (200, 40, 40), (40, 80, 200)


class Canvas:
    """An RGB image being drawn on."""

    def __init__(self, width, height, font):
        self.width, self.height, self.font = width, height, font
        self.pixels = bytearray(bytes(WHITE) * (width * height))

    def rect(self, x, y, w, h, colour):
        """Fill a rectangle, clipped to the canvas."""
        x0, x1 = max(0, x), min(self.width, x + w)
        for row in range(max(0, y), min(self.height, y + h)):
            start = (row * self.width + x0) * 3
            self.pixels[start:start + (x1 - x0) * 3] = bytes(colour) * max(0, x1 - x0)

    def text(self, x, y, string, colour=BLACK):
        """Draw Latin-1 text with its top left corner at (x, y)."""
        f = self.font
        for i, ch in enumerate(string.encode('latin-1', 'replace')):
            for gy in range(f.height):
                for gx in range(f.width):
                    if f.pixel(ch, gx, gy):
                        self.rect(x + i * f.width + gx, y + gy, 1, 1, colour)

    def save(self, path):
        png.write_png(path, self.width, self.height, bytes(self.pixels))


def axis_x(ratio):
    """Pixel column of a ratio on the logarithmic axis (clamped to it)."""
    position = (math.log10(ratio) - LOG_MIN) / (LOG_MAX - LOG_MIN) if ratio > 0 else 0
    return BAR_LEFT + round(min(1.0, max(0.0, position)) * BAR_WIDTH)


def _colour(met):
    return {True: GREEN, False: RED, None: GREY}[met]


def _label(row, max_chars):
    text = f'{row.group.split()[0]}  {row.figure}'
    return text if len(text) <= max_chars else text[:max_chars - 1] + '~'


def _axis(canvas, height):
    """Decade grid lines with their labels."""
    for exponent in range(LOG_MIN, LOG_MAX + 1):
        x = axis_x(10.0 ** exponent)
        canvas.rect(x, TOP - 6, 1, height - TOP, GREY)
        label = f'{10.0 ** exponent:g}x'
        canvas.text(x - len(label) * canvas.font.width // 2, TOP - 24, label)


def draw(rows, path, font, title):
    """Write the chart of every row with a ratio to `path`; returns the bars drawn."""
    bars = [r for r in rows if r.ratio]
    height = TOP + ROW_HEIGHT * len(bars) + 30
    canvas = Canvas(WIDTH, height, font)
    canvas.text(8, 4, title)
    _axis(canvas, height - 20)
    for i, row in enumerate(bars):
        y = TOP + i * ROW_HEIGHT
        canvas.text(8, y + 2, _label(row, (LABEL_WIDTH - 8) // font.width))
        end = axis_x(row.ratio)
        canvas.rect(BAR_LEFT, y + 4, max(1, end - BAR_LEFT), ROW_HEIGHT - 8, _colour(row.met()))
        if row.minimum is not None:
            canvas.rect(axis_x(row.minimum) - 1, y + 1, 3, ROW_HEIGHT - 2, BLUE)
        canvas.text(end + 6, y + 2, f'{row.ratio:.2f}x')
    canvas.rect(axis_x(1.0), TOP - 6, 1, height - 20 - TOP, BLACK)  # over the bars
    canvas.save(path)
    return len(bars)
