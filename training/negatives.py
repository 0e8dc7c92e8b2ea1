"""Generated "not a character" crops for the rejector: binary masks of what a letter finder or a
segmentation lattice hands over that is not one whole character.

Every generator returns a binary mask (uint8, 1 = ink, any size); the caller normalises it exactly as
the service normalises a candidate (``normalize.normalize_glyph``). Letters come from a ``letter``
callable (an EMNIST glyph of a given split turned into the service's kind of mask, a Chars74K form
drawn with a pen, or a hand-made fixture stroke set), so that negatives made from held-apart glyphs
stay held apart. The kinds (``KINDS``), in equal shares:

- ``part``: a half or a third of a letter (a vertical or horizontal slice, 25-55 % of its box),
  never a thin upright piece (that is a 1, I or l);
- ``pair`` / ``triple``: two or three letters side by side, touching, overlapping or a hair apart,
  cropped as one candidate;
- ``fragment``: a letter with a 15-40 % slice of its neighbour touching it;
- ``edge``: a sheet or table edge, a straight dark-light boundary at a random angle (sometimes a
  corner), slightly wavy, with binarisation speckle;
- ``ruled``: a piece of a ruled (or grid) line, long and thin, nearly horizontal, sometimes broken,
  with or without a letter crossing or sitting on it;
- ``speck``: one to a few specks, a few pixels each;
- ``blob``: a filled irregular blob;
- ``grain``: wood-grain-like texture, sinusoidal streaks bent by smooth noise, thresholded;
- ``smudge``: a smooth random field thresholded, sometimes smeared along a direction.

Some negatives cannot be told from a real character by their shape alone (the left half of an H is a
stroke like a 1, the top of an 8 is an o); they are kept, so that the measured rates are honest.

Marks (``generate(..., marks=True)``, ``MARK_KINDS``): for a rejector whose characters include
punctuation (``train_rejector.py --classes mixed``), a negative must not have the shape of a mark,
since the 28x28 normalisation erases size and a period, a comma or a dash is then a blob, a tick or
a bar that fills the box. What tells a speck of dust from a period, a blot from a period or a ruled
line from a dash is size and place on the line, which the reader judges (``search`` layout costs and
the ``marks`` heights in ``src/pipeline/config.ts``), not shape. So with marks:

- ``blob`` is not drawn (a filled blob is what a period normalises to);
- ``speck`` draws three to six specks (one is a period; two are a colon, a quote or a dieresis);
- ``ruled`` always carries a letter (a bare line is a dash, with a grid line across it a plus);
- ``smudge`` keeps only fields of three patches or more, as ``speck`` (one smooth patch is a blot
  the shape of a period, two a colon);
- ``part`` also refuses flat pieces (height under ``MIN_PART_ASPECT`` of the width: a dash), as
  it refuses thin upright ones (a 1, an l, and now also an apostrophe, a comma, a bracket or a slash).

What stays ambiguous: the left half of an O is a bracket, the top of an i is an i's dot with a stub;
they are kept, as above.
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np
from PIL import Image
from scipy import ndimage

Mask = np.ndarray
LetterSource = Callable[[np.random.Generator], Mask]

# Width over height below which a letter's slice is an upright stroke, too like a 1, I or l to be a negative.
MIN_PART_ASPECT = 0.4

KINDS = ("part", "pair", "triple", "fragment", "edge", "ruled", "speck", "blob", "grain", "smudge")
# The kinds whose shape is not a mark's (see the module docstring): all but the blob, a period's shape.
MARK_KINDS = tuple(k for k in KINDS if k != "blob")
# With marks, this many specks (or smudge patches) at least: one is a period, two a colon or a quote.
MIN_MARK_SPECKS = 3


def trim(mask: Mask) -> Mask:
    """The mask cropped to its ink box (unchanged when it has no ink)."""
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    if rows.size == 0:
        return mask
    return mask[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def rescale(mask: Mask, factor: float) -> Mask:
    """Nearest-neighbour resize by ``factor`` (at least one pixel each way)."""
    height, width = mask.shape
    size = (max(1, round(width * factor)), max(1, round(height * factor)))
    return (np.asarray(Image.fromarray(mask * 255).resize(size, Image.NEAREST)) >= 128).astype(np.uint8)


def to_height(mask: Mask, height: float) -> Mask:
    return rescale(mask, height / mask.shape[0])


def paste(canvas: Mask, mask: Mask, x: int, y: int) -> None:
    """ORs ``mask`` into ``canvas`` with its top-left corner at (x, y); the canvas must hold it."""
    canvas[y:y + mask.shape[0], x:x + mask.shape[1]] |= mask


def compose(placed: list[tuple[Mask, int, int]]) -> Mask:
    """ORs masks placed at (x, y) (any integers) into the smallest canvas that holds them all."""
    left = min(x for _, x, _ in placed)
    top = min(y for _, _, y in placed)
    width = max(x + m.shape[1] for m, x, _ in placed) - left
    height = max(y + m.shape[0] for m, _, y in placed) - top
    canvas = np.zeros((height, width), np.uint8)
    for mask, x, y in placed:
        paste(canvas, mask, x - left, y - top)
    return canvas


def speckle(mask: Mask, rng: np.random.Generator, rate: float) -> Mask:
    """Flips pixels next to the ink's boundary with probability ``rate`` (binarisation noise)."""
    boundary = ndimage.binary_dilation(mask) & ~ndimage.binary_erosion(mask)
    flips = boundary & (rng.random(mask.shape) < rate)
    return (mask ^ flips).astype(np.uint8)


def smooth_noise(shape: tuple[int, int], sigma: float, rng: np.random.Generator) -> np.ndarray:
    """Gaussian white noise blurred by ``sigma`` px, scaled to unit standard deviation."""
    field = ndimage.gaussian_filter(rng.standard_normal(shape), sigma, mode="wrap")
    return field / (field.std() + 1e-9)


def letter_part(rng: np.random.Generator, letter: LetterSource, marks: bool = False) -> Mask:
    """A vertical or horizontal slice of a letter, 25-55 % of its box; never a thin upright piece,
    which is a stroke like a 1, I or l (a real character, not a negative); with ``marks``, never a
    flat one either (a dash)."""
    for _ in range(20):
        mask = trim(letter(rng))
        height, width = mask.shape
        fraction = rng.uniform(0.25, 0.55)
        side = rng.integers(4)
        if side < 2:
            keep = max(1, round(width * fraction))
            piece = trim(mask[:, :keep] if side == 0 else mask[:, width - keep:])
        else:
            keep = max(1, round(height * fraction))
            piece = trim(mask[:keep] if side == 2 else mask[height - keep:])
        flat = marks and piece.shape[0] < MIN_PART_ASPECT * piece.shape[1]
        if piece.any() and piece.shape[1] >= MIN_PART_ASPECT * piece.shape[0] and not flat:
            return piece
    return piece


def letters_side_by_side(rng: np.random.Generator, letter: LetterSource, count: int) -> Mask:
    """``count`` letters on a common baseline (+-10 %), each overlapping the previous by -5..+20 % of its width."""
    base = rng.uniform(40, 100)
    placed, x = [], 0
    for k in range(count):
        part = to_height(trim(letter(rng)), base * rng.uniform(0.85, 1.15))
        if k > 0:
            x -= int(rng.uniform(-0.05, 0.2) * part.shape[1])
        placed.append((part, x, int(-part.shape[0] + rng.uniform(-0.1, 0.1) * base)))
        x += part.shape[1]
    return compose(placed)


def letter_with_fragment(rng: np.random.Generator, letter: LetterSource) -> Mask:
    """A letter and a 15-40 % slice of its neighbour (the side facing it), touching or overlapping a little."""
    main = to_height(trim(letter(rng)), rng.uniform(40, 100))
    other = to_height(trim(letter(rng)), main.shape[0] * rng.uniform(0.9, 1.1))
    keep = max(1, round(other.shape[1] * rng.uniform(0.15, 0.4)))
    overlap = int(rng.uniform(-0.03, 0.1) * main.shape[1])
    if rng.random() < 0.5:
        fragment = other[:, :keep]
        return compose([(main, 0, -main.shape[0]), (fragment, main.shape[1] - overlap, -fragment.shape[0])])
    fragment = other[:, other.shape[1] - keep:]
    return compose([(fragment, 0, -fragment.shape[0]), (main, fragment.shape[1] - overlap, -main.shape[0])])


def random_canvas_shape(rng: np.random.Generator, low: float = 30, high: float = 150) -> tuple[int, int]:
    long_side = rng.uniform(low, high)
    short_side = long_side * rng.uniform(0.3, 1.0)
    return (int(long_side), int(short_side)) if rng.random() < 0.5 else (int(short_side), int(long_side))


def sheet_edge(rng: np.random.Generator, letter: LetterSource) -> Mask:
    """The dark side of one straight boundary (two for a corner) at random angles, wavy and speckled."""
    height, width = random_canvas_shape(rng)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float64)
    ink = np.zeros((height, width), bool)
    corner = rng.random() < 0.3
    for _ in range(2 if corner else 1):
        angle = rng.uniform(0, 2 * math.pi)
        px, py = rng.uniform(0.2, 0.8) * width, rng.uniform(0.2, 0.8) * height
        wobble = smooth_noise((height, width), rng.uniform(4, 15), rng) * rng.uniform(0, 2)
        side = (xs - px) * math.cos(angle) + (ys - py) * math.sin(angle) + wobble < 0
        ink = (ink & side) if corner else side
    return speckle(ink.astype(np.uint8), rng, rng.uniform(0, 0.3))


def ruled_line(rng: np.random.Generator, letter: LetterSource, marks: bool = False) -> Mask:
    """A nearly horizontal thin line (sometimes broken, sometimes with a grid line across), with or
    without a letter crossing it or sitting on it (with ``marks``, always with one: a bare line is a
    dash); the line reaches well past the letter."""
    letter_height = rng.uniform(30, 100)
    thickness = max(1, round(letter_height * rng.uniform(0.03, 0.12)))
    length = int(letter_height * rng.uniform(2.5, 8))
    slope = math.tan(math.radians(rng.uniform(-3, 3)))
    rise = abs(slope) * length
    height = int(letter_height * 1.6 + rise + 2 * thickness + 4)
    canvas = np.zeros((height, length), np.uint8)
    line_y = height / 2 if rng.random() < 0.5 else height * rng.uniform(0.3, 0.7)
    wobble = ndimage.gaussian_filter1d(rng.standard_normal(length), 20) * rng.uniform(0, 8)
    broken = rng.random() < 0.2
    for x in range(length):
        if broken and (x // 17) % 5 == 4:
            continue
        centre = line_y + slope * (x - length / 2) + wobble[x]
        top = int(round(centre - thickness / 2))
        canvas[max(0, top):max(0, top + thickness), x] = 1
    if rng.random() < 0.2:  # a grid line across
        gx = int(rng.uniform(0.1, 0.9) * length)
        canvas[:, gx:gx + thickness] = 1
    if marks or rng.random() < 0.5:
        glyph = to_height(trim(letter(rng)), letter_height)
        if glyph.shape[1] < length:
            gx = int(rng.uniform(0, length - glyph.shape[1]))
            # The line crosses the letter between its top and just below its bottom (sitting on it).
            gy = int(line_y - letter_height * rng.uniform(0.15, 1.0))
            gy = min(max(0, gy), height - glyph.shape[0])
            paste(canvas, glyph, gx, gy)
    return canvas


def specks(rng: np.random.Generator, letter: LetterSource, marks: bool = False) -> Mask:
    """One to six specks of 1-8 px scattered in a box up to 40 px (with ``marks``, three to six apart:
    specks that run together into one or two are a period or a colon again)."""
    if marks:
        for _ in range(20):
            canvas = scattered_specks(rng, int(rng.integers(MIN_MARK_SPECKS, 7)))
            if ndimage.label(canvas)[1] >= MIN_MARK_SPECKS:
                break
        return canvas
    return scattered_specks(rng, int(rng.integers(1, 7)))


def scattered_specks(rng: np.random.Generator, count: int) -> Mask:
    """``count`` elliptic specks of 1-8 px at random in a box of 8-40 px (12 px for one)."""
    box = int(rng.uniform(8, 40)) if count > 1 else 12
    canvas = np.zeros((box + 10, box + 10), np.uint8)
    for _ in range(count):
        size = rng.uniform(1, 8)
        radius_x, radius_y = max(0.5, size / 2 * rng.uniform(0.5, 1.5)), max(0.5, size / 2 * rng.uniform(0.5, 1.5))
        cx, cy = rng.uniform(5, box + 5), rng.uniform(5, box + 5)
        ys, xs = np.ogrid[0:box + 10, 0:box + 10]
        canvas |= (((xs - cx) / radius_x) ** 2 + ((ys - cy) / radius_y) ** 2 <= 1).astype(np.uint8)
    return canvas


def blob(rng: np.random.Generator, letter: LetterSource) -> Mask:
    """A filled star-convex blob with a smooth, random outline, 10-80 px."""
    size = rng.uniform(10, 80)
    canvas_side = int(size * 1.6) + 4
    ys, xs = np.mgrid[0:canvas_side, 0:canvas_side].astype(np.float64) - canvas_side / 2
    angle = np.arctan2(ys, xs)
    radius = np.ones_like(angle)
    for harmonic in range(1, 6):
        radius += rng.uniform(0, 0.25 / harmonic) * np.cos(harmonic * angle + rng.uniform(0, 2 * math.pi))
    stretch = rng.uniform(0.4, 1.0)
    turn = rng.uniform(0, math.pi)
    u = xs * math.cos(turn) + ys * math.sin(turn)
    v = (-xs * math.sin(turn) + ys * math.cos(turn)) / stretch
    return (np.hypot(u, v) <= radius * size / 2).astype(np.uint8)


def wood_grain(rng: np.random.Generator, letter: LetterSource) -> Mask:
    """Sinusoidal streaks along a random direction, bent by smooth noise, plus pixel noise, thresholded."""
    height, width = random_canvas_shape(rng, 30, 160)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float64)
    direction = rng.uniform(0, math.pi)
    across = -xs * math.sin(direction) + ys * math.cos(direction)
    period = rng.uniform(4, 20)
    bend = smooth_noise((height, width), rng.uniform(6, 25), rng) * rng.uniform(0.5, 3)
    field = np.sin(2 * math.pi * across / period + bend) + rng.uniform(0.1, 0.5) * rng.standard_normal((height, width))
    field += 0.5 * smooth_noise((height, width), rng.uniform(3, 10), rng) * rng.uniform(0, 1)
    return (field > rng.uniform(0.0, 0.9)).astype(np.uint8)


def line_kernel(length: int, angle: float) -> np.ndarray:
    """A normalised ``length``-pixel line at ``angle`` (radians) through the centre of a square kernel."""
    kernel = np.zeros((length, length))
    centre = (length - 1) / 2
    for t in np.linspace(-centre, centre, 2 * length):
        kernel[round(centre + t * math.sin(angle)), round(centre + t * math.cos(angle))] = 1
    return kernel / kernel.sum()


def smudge(rng: np.random.Generator, letter: LetterSource, marks: bool = False) -> Mask:
    """A smooth random field thresholded at a high level, sometimes smeared along one direction
    (with ``marks``, redrawn until it falls in three patches or more)."""
    for _ in range(20):
        ink = smooth_patches(rng)
        if not marks or ndimage.label(ink)[1] >= MIN_MARK_SPECKS:
            break
    return ink


def smooth_patches(rng: np.random.Generator) -> Mask:
    """One smudge draw: a thresholded smooth field, sometimes smeared, speckled at its edges."""
    height, width = random_canvas_shape(rng, 15, 100)
    field = smooth_noise((height, width), rng.uniform(2, 10), rng)
    if rng.random() < 0.5:
        field = ndimage.convolve(field, line_kernel(int(rng.uniform(5, 25)), rng.uniform(0, math.pi)), mode="wrap")
    ink = field > np.quantile(field, rng.uniform(0.5, 0.9))
    return speckle(ink.astype(np.uint8), rng, rng.uniform(0, 0.2))


GENERATORS: dict[str, Callable[[np.random.Generator, LetterSource], Mask]] = {
    "part": letter_part,
    "pair": lambda rng, letter: letters_side_by_side(rng, letter, 2),
    "triple": lambda rng, letter: letters_side_by_side(rng, letter, 3),
    "fragment": letter_with_fragment,
    "edge": sheet_edge,
    "ruled": ruled_line,
    "speck": specks,
    "blob": blob,
    "grain": wood_grain,
    "smudge": smudge,
}
assert tuple(GENERATORS) == KINDS
# The generators that draw differently when the characters include marks.
MARK_AWARE = {"part", "ruled", "speck", "smudge"}


def generate(kind: str, rng: np.random.Generator, letter: LetterSource, marks: bool = False) -> Mask:
    """One negative of ``kind`` as a trimmed binary mask with ink (retries the rare empty draw); with
    ``marks``, one whose shape is not a punctuation mark's (see the module docstring)."""
    if marks and kind not in MARK_KINDS:
        raise ValueError(f"negative kind {kind} has a mark's shape")
    for _ in range(20):
        drawn = GENERATORS[kind](rng, letter, marks=True) if marks and kind in MARK_AWARE else GENERATORS[kind](rng, letter)
        mask = trim(drawn.astype(np.uint8))
        if mask.any():
            return mask
    raise RuntimeError(f"negative generator {kind} keeps drawing empty masks")
