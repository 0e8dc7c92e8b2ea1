"""Glyph normalisation: a binary ink mask of one letter in, a 28x28 float image out.

This is the reference implementation. ``src/classifier/normalize-glyph.ts`` implements the same
algorithm for the service and ``test/classifier/normalize-parity.test.ts`` checks that both give
the same pixels on the committed fixtures. Change both or neither.

Algorithm (``normalize_glyph``), input a binary mask (1 = ink), output 28x28 float32, ink high, in [0, 1]:

1. Ink box: the smallest box holding every ink pixel. No ink gives an all-zero image.
2. Stroke width: for every ink pixel the shorter of its horizontal and vertical ink runs inside
   the box; the stroke width ``w`` is their median (the smallest run length whose cumulative
   count reaches half the ink pixels, runs capped at 255). With ``S`` the box's longer side and
   ``t = MIN_STROKE_RATIO * S``: if ``w < t``, the ink is dilated by a disc of radius
   ``r = floor((t - w) / 2 + 0.5)`` (offsets with dx*dx + dy*dy <= r*r) and the ink box is taken
   again. Thin pens on big crops would otherwise shrink to faint hairlines at 20 px, unlike
   EMNIST's thick, soft strokes.
3. Pad to square: side ``S = max(width, height)``; the box goes at column ``floor((S - width) / 2)``
   and row ``floor((S - height) / 2)`` of an S x S zero canvas.
4. Resize to INNER_SIZE x INNER_SIZE (20) with an area (box) filter, separable, in float64: output
   cell ``i`` covers source ``[i*S/20, (i+1)*S/20)`` and takes the overlap-weighted mean of the
   pixels it covers (``weight = overlap * 20 / S``); rows first, then columns.
5. Centre by mass: the centre of mass of the ink, from integer sums over the square mask
   (``c = (sum_x / n + 0.5) * 20 / S - 0.5`` in 20-grid index units; the area filter keeps the
   centroid), placed at offset 4 gives ``4 + c``; the shift is ``floor(13.5 - (4 + c) + 0.5)``,
   clamped so that every non-zero column and row of the 20x20 stays inside 28x28. The 20x20 is
   copied at offset ``4 + shift`` into a zero 28x28, then clipped to [0, 1] and stored as float32.

``emnist_to_mask`` turns a 28x28 EMNIST glyph (white on black, 0..255) into the kind of mask the
service produces: bilinear upsampling by 4 (half-pixel centres, edges clamped; every weight is a
multiple of 1/8, so the result is exact) and ink where the value is >= 128.
"""
from __future__ import annotations

import numpy as np

OUTPUT_SIZE = 28
INNER_SIZE = 20
MAX_MEASURED_RUN = 255
# Median stroke width over the box's longer side, below which strokes are thickened. Set at the
# 10th percentile of EMNIST's own ratio (measured by training/measure_strokes.py), so EMNIST glyphs
# are rarely changed and thin-pen photo crops are brought up to EMNIST's look.
MIN_STROKE_RATIO = 0.10
EMNIST_UPSAMPLE = 4
EMNIST_INK_LEVEL = 128


def ink_box(mask: np.ndarray) -> tuple[int, int, int, int] | None:
    """(x0, y0, x1, y1), exclusive ends, of the ink in ``mask``; None when there is none."""
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(mask.any(axis=0))
    return int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1


def _row_run_lengths(mask: np.ndarray) -> np.ndarray:
    """For every pixel, the length of the horizontal ink run it belongs to (0 on paper)."""
    height, width = mask.shape
    padded = np.zeros((height, width + 2), dtype=np.int8)
    padded[:, 1:-1] = mask != 0
    flat = padded.ravel()
    edges = np.diff(flat)
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    lengths = ends - starts
    out = np.zeros(flat.size, dtype=np.int64)
    run_id = np.cumsum(np.concatenate([[0], edges == 1]))
    inside = flat != 0
    out[inside] = lengths[run_id[inside] - 1]
    return out.reshape(height, width + 2)[:, 1:-1]


def estimate_stroke_width(mask: np.ndarray) -> int:
    """Median over ink pixels of min(horizontal run, vertical run), runs capped at 255; 1 without ink."""
    across = np.minimum(_row_run_lengths(mask), _row_run_lengths(mask.T).T)
    runs = np.minimum(across[mask != 0], MAX_MEASURED_RUN)
    if runs.size == 0:
        return 1
    counts = np.bincount(runs, minlength=MAX_MEASURED_RUN + 1)
    cumulative = np.cumsum(counts)
    return int(np.argmax(cumulative >= runs.size / 2))


def disc_offsets(radius: int) -> list[tuple[int, int]]:
    """(dx, dy) with dx*dx + dy*dy <= radius*radius, row-major."""
    return [(dx, dy) for dy in range(-radius, radius + 1) for dx in range(-radius, radius + 1) if dx * dx + dy * dy <= radius * radius]


def dilate_disc(mask: np.ndarray, radius: int) -> np.ndarray:
    """Dilates by a disc of ``radius`` into a canvas grown by ``radius`` on every side."""
    height, width = mask.shape
    out = np.zeros((height + 2 * radius, width + 2 * radius), dtype=np.uint8)
    for dx, dy in disc_offsets(radius):
        out[radius + dy:radius + dy + height, radius + dx:radius + dx + width] |= mask
    return out


def stroke_dilation_radius(stroke_width: int, side: int) -> int:
    """Radius of the disc that brings ``stroke_width`` up to MIN_STROKE_RATIO of ``side``; 0 for none."""
    target = MIN_STROKE_RATIO * side
    if stroke_width >= target:
        return 0
    return int(np.floor((target - stroke_width) / 2 + 0.5))


def area_weights(source: int, target: int) -> np.ndarray:
    """(target, source) matrix of the area filter: overlap of output cell i with source pixel j, times target/source."""
    weights = np.zeros((target, source), dtype=np.float64)
    for i in range(target):
        low = i * source / target
        high = (i + 1) * source / target
        for j in range(int(np.floor(low)), min(source, int(np.ceil(high)))):
            overlap = min(high, j + 1) - max(low, j)
            if overlap > 0:
                weights[i, j] = overlap * target / source
    return weights


_weights_cache: dict[int, np.ndarray] = {}


def _cached_area_weights(source: int) -> np.ndarray:
    if source not in _weights_cache:
        _weights_cache[source] = area_weights(source, INNER_SIZE)
    return _weights_cache[source]


def _centre_shift(centre: float, first: int, last: int) -> int:
    """Shift that moves ``4 + centre`` to 13.5, clamped so that [first, last] stays in the output."""
    offset = (OUTPUT_SIZE - INNER_SIZE) // 2
    shift = int(np.floor((OUTPUT_SIZE / 2 - 0.5) - (offset + centre) + 0.5))
    return max(-(offset + first), min(OUTPUT_SIZE - 1 - (offset + last), shift))


def normalize_glyph(mask: np.ndarray) -> np.ndarray:
    """Binary ink mask (H, W), non-zero = ink, to a (28, 28) float32 image, ink high, in [0, 1]. See the module docstring."""
    mask = (np.asarray(mask) != 0).astype(np.uint8)
    box = ink_box(mask)
    out = np.zeros((OUTPUT_SIZE, OUTPUT_SIZE), dtype=np.float32)
    if box is None:
        return out
    x0, y0, x1, y1 = box
    crop = mask[y0:y1, x0:x1]
    radius = stroke_dilation_radius(estimate_stroke_width(crop), max(crop.shape))
    if radius > 0:
        crop = dilate_disc(crop, radius)
        x0, y0, x1, y1 = ink_box(crop)
        crop = crop[y0:y1, x0:x1]
    height, width = crop.shape
    side = max(height, width)
    square = np.zeros((side, side), dtype=np.float64)
    square[(side - height) // 2:(side - height) // 2 + height, (side - width) // 2:(side - width) // 2 + width] = crop
    weights = _cached_area_weights(side)
    inner = weights @ square @ weights.T
    ys, xs = np.nonzero(square)
    count = xs.size
    scale = INNER_SIZE / side
    centre_x = (int(xs.sum()) / count + 0.5) * scale - 0.5
    centre_y = (int(ys.sum()) / count + 0.5) * scale - 0.5
    cols = np.flatnonzero((inner > 0).any(axis=0))
    rows = np.flatnonzero((inner > 0).any(axis=1))
    offset = (OUTPUT_SIZE - INNER_SIZE) // 2
    left = offset + _centre_shift(centre_x, int(cols[0]), int(cols[-1]))
    top = offset + _centre_shift(centre_y, int(rows[0]), int(rows[-1]))
    placed = np.zeros((OUTPUT_SIZE + 2 * INNER_SIZE, OUTPUT_SIZE + 2 * INNER_SIZE), dtype=np.float64)
    placed[INNER_SIZE + top:INNER_SIZE + top + INNER_SIZE, INNER_SIZE + left:INNER_SIZE + left + INNER_SIZE] = inner
    out[:] = np.clip(placed[INNER_SIZE:INNER_SIZE + OUTPUT_SIZE, INNER_SIZE:INNER_SIZE + OUTPUT_SIZE], 0.0, 1.0)
    return out


def bilinear_upsample_matrix(size: int, factor: int) -> np.ndarray:
    """(size*factor, size) matrix of bilinear upsampling: half-pixel centres, edge pixels clamped."""
    matrix = np.zeros((size * factor, size), dtype=np.float64)
    for i in range(size * factor):
        position = (i + 0.5) / factor - 0.5
        low = int(np.floor(position))
        fraction = position - low
        matrix[i, min(max(low, 0), size - 1)] += 1 - fraction
        matrix[i, min(max(low + 1, 0), size - 1)] += fraction
    return matrix


EMNIST_BATCH = 2048


def emnist_to_mask(glyphs: np.ndarray) -> np.ndarray:
    """EMNIST glyph(s) (..., 28, 28) uint8, white on black, to binary masks (..., 112, 112) uint8, 1 = ink."""
    glyphs = np.asarray(glyphs)
    flat = glyphs.reshape(-1, glyphs.shape[-2], glyphs.shape[-1])
    upsample = bilinear_upsample_matrix(flat.shape[-1], EMNIST_UPSAMPLE)
    out = np.empty((flat.shape[0], upsample.shape[0], upsample.shape[0]), dtype=np.uint8)
    for start in range(0, flat.shape[0], EMNIST_BATCH):
        values = flat[start:start + EMNIST_BATCH].astype(np.float64)
        # Every weight is a multiple of 1/8 and at most two are non-zero per row, so this is exact.
        out[start:start + EMNIST_BATCH] = (upsample @ values @ upsample.T) >= EMNIST_INK_LEVEL
    return out.reshape(glyphs.shape[:-2] + out.shape[-2:])
