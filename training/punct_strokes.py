"""Generated pen strokes for the punctuation classes the real data has least of: '@', '&', '*'.

``train/punct`` holds about 100 of each (UNIPEN only). Each class here is drawn from a few
hand-made construction templates (unit box, y down): control points jittered per sample, joined
by Catmull-Rom splines, slanted and rotated a little, then drawn with ``data.render_strokes`` at
one of the Chars74K pen widths. Training only; no dataset pixels.
"""
from __future__ import annotations

import math

import numpy as np

from data import render_strokes
from dataset import CHARS74K_PEN_WIDTHS

GENERATED_PER_CLASS = 400
SPLINE_STEPS = 8


def catmull_rom(points: np.ndarray, steps: int = SPLINE_STEPS) -> np.ndarray:
    """A smooth curve through ``points`` (K, 2); the end points are repeated as tangents."""
    padded = np.concatenate([points[:1], points, points[-1:]])
    out = []
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1:i + 3]
        for t in np.linspace(0, 1, steps, endpoint=False):
            t2, t3 = t * t, t * t * t
            out.append(0.5 * (2 * p1 + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t2 + (-p0 + 3 * p1 - 3 * p2 + p3) * t3))
    out.append(points[-1])
    return np.array(out)


def ellipse(cx: float, cy: float, rx: float, ry: float, start: float, end: float, count: int = 10) -> list[tuple[float, float]]:
    """Points on an elliptical arc, degrees, 0 = right, 90 = down."""
    return [(cx + rx * math.cos(math.radians(a)), cy + ry * math.sin(math.radians(a))) for a in np.linspace(start, end, count)]


def asterisk(rng: np.random.Generator) -> list[np.ndarray]:
    """Three or four bars through a common centre (or an x with a bar), each end jittered."""
    arms = rng.choice([3, 3, 4, 2])
    # Two arms make an x (never a '+') and get an upright bar below.
    base = rng.uniform(35, 55) if arms == 2 else rng.uniform(0, 180 / arms)
    strokes = []
    for k in range(arms):
        angle = math.radians(base + k * 180 / arms + rng.normal(0, 8))
        length = rng.uniform(0.35, 0.5)
        centre = rng.normal(0.5, 0.03, 2)
        direction = np.array([math.cos(angle), math.sin(angle)])
        strokes.append(np.array([centre - direction * length * rng.uniform(0.8, 1.2), centre + direction * length]))
    if arms == 2:  # an x with an upright bar
        strokes.append(np.array([[0.5, 0.1], [0.5, 0.9]]) + rng.normal(0, 0.03, (2, 2)))
    return strokes


def at_sign(rng: np.random.Generator) -> list[np.ndarray]:
    """An 'a' (bowl and stem) whose stem runs into a spiral round it, the usual one-stroke '@'."""
    r = rng.uniform(0.13, 0.2)
    cx, cy = 0.5 + rng.normal(0, 0.02), 0.52 + rng.normal(0, 0.02)
    bowl = ellipse(cx, cy, r, r * rng.uniform(0.9, 1.2), -20, -380, 14)
    stem_x = cx + r * rng.uniform(0.9, 1.1)
    outer = rng.uniform(0.42, 0.5)
    tail = [(stem_x, cy - r), (stem_x, cy + r * 0.8), (stem_x + 0.12, cy + r), (0.5 + outer * 0.95, 0.45)]
    spiral = ellipse(0.5, 0.5, outer, outer * rng.uniform(0.9, 1.05), -10, -rng.uniform(280, 330), 16)
    points = np.array(bowl + tail + spiral)
    points += rng.normal(0, 0.012, points.shape)
    return [points[:len(bowl)], catmull_rom(points[len(bowl):])]


def ampersand(rng: np.random.Generator) -> list[np.ndarray]:
    """The looped '&' (bottom right, up through the top loop, round the bottom bowl, out right) or the 'Et' '&'."""
    if rng.random() < 0.75:
        template = np.array([(0.9, 0.98), (0.55, 0.6), (0.3, 0.32), (0.33, 0.06), (0.55, 0.05), (0.6, 0.25), (0.4, 0.45),
                             (0.15, 0.7), (0.2, 0.93), (0.45, 0.98), (0.7, 0.8), (0.85, 0.55)])
        points = template + rng.normal(0, 0.035, template.shape)
        return [catmull_rom(points)]
    # 'Et' form: an epsilon with a cross bar through its lower bowl's right side.
    template = np.array([(0.7, 0.12), (0.4, 0.05), (0.25, 0.25), (0.45, 0.45), (0.2, 0.65), (0.35, 0.95), (0.75, 0.85)])
    points = template + rng.normal(0, 0.03, template.shape)
    bar = np.array([(0.55, 0.35), (0.55, 0.95)]) + rng.normal(0, 0.03, (2, 2))
    return [catmull_rom(points), bar]


GENERATORS = {"@": at_sign, "&": ampersand, "*": asterisk}


def slant(strokes: list[np.ndarray], rng: np.random.Generator) -> list[list[list[float]]]:
    """Shear and rotate a little about the centre, as a writer's slant and the page's tilt do."""
    shear, angle = rng.uniform(-0.25, 0.25), math.radians(rng.uniform(-10, 10))
    rotate = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    out = []
    for s in strokes:
        p = np.asarray(s, dtype=np.float64) - 0.5
        p[:, 0] -= shear * p[:, 1]
        out.append(((p @ rotate.T) * 100 + 50).tolist())
    return out


def generate_strokes(seed: int, per_class: int = GENERATED_PER_CLASS) -> tuple[list[np.ndarray], list[str]]:
    """``per_class`` binary masks for each of '@', '&', '*': (masks, labels)."""
    rng = np.random.default_rng(seed)
    masks, labels = [], []
    for label, make in GENERATORS.items():
        for _ in range(per_class):
            masks.append(render_strokes(slant(make(rng), rng), int(rng.choice(CHARS74K_PEN_WIDTHS))))
            labels.append(label)
    return masks, labels
