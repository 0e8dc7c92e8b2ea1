"""Writes the committed glyph fixtures: block letters drawn from hand-made pen strokes (no dataset
pixels), as 1-bit PNGs (black ink on white), a manifest, and their Python-normalised images.

    /usr/bin/python3 training/make_fixtures.py

Outputs in fixtures/glyphs/: ``<id>.png``, ``manifest.json`` ([{file, label, note}], label null for
edge cases that only test normalisation), ``normalized.json`` ({file: 784 floats, row-major}).
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from normalize import normalize_glyph

FIXTURE_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "glyphs"
ARC_STEPS = 24


def arc(cx: float, cy: float, rx: float, ry: float, start: float, end: float) -> list[tuple[float, float]]:
    """Points of an elliptical arc, angles in degrees, 0 = right, 90 = down (y grows downward)."""
    return [(cx + rx * math.cos(math.radians(a)), cy + ry * math.sin(math.radians(a))) for a in np.linspace(start, end, ARC_STEPS)]


# Block capitals and digits on a 10 x 14 grid (y down), one list of strokes per character.
STROKES: dict[str, list[list[tuple[float, float]]]] = {
    "0": [arc(5, 7, 3.8, 7, 0, 360)],
    "1": [[(2.5, 3), (5.5, 0), (5.5, 14)]],
    "2": [arc(5, 4, 4, 4, 180, 390) + [(0.5, 14), (9.5, 14)]],
    "3": [arc(5, 3.5, 3.8, 3.5, 200, 450) + arc(5, 10.5, 4.2, 3.5, 270, 520)],
    "4": [[(7, 14), (7, 0), (0.5, 10), (9.5, 10)]],
    "5": [[(9, 0), (1.5, 0), (1.2, 6.2)] + arc(5, 9.5, 4.2, 4.5, 230, 490)],
    "6": [[(8, 0), (3, 4.5), (1, 9.5)] + arc(5, 10, 4, 4, 180, 540)],
    "7": [[(0.5, 0), (9.5, 0), (3.5, 14)]],
    "8": [arc(5, 3.5, 3.3, 3.5, 90, 450), arc(5, 10.5, 4, 3.5, 270, 630)],
    "9": [arc(5, 4, 4, 4, 0, 360), [(9, 4), (8, 14)]],
    "A": [[(0, 14), (5, 0), (10, 14)], [(2, 8.5), (8, 8.5)]],
    "B": [[(1, 0), (1, 14)], [(1, 0), (6, 0)] + arc(6, 3.5, 3, 3.5, 270, 450) + [(1, 7)], [(1, 7), (6, 7)] + arc(6, 10.5, 3.5, 3.5, 270, 450) + [(1, 14)]],
    "C": [arc(5.5, 7, 4.5, 7, 320, 40)],
    "D": [[(1, 0), (1, 14)], [(1, 0), (4, 0)] + arc(4, 7, 5, 7, 270, 450) + [(1, 14)]],
    "E": [[(9, 0), (1, 0), (1, 14), (9, 14)], [(1, 7), (7, 7)]],
    "F": [[(9, 0), (1, 0), (1, 14)], [(1, 7), (7, 7)]],
    "G": [arc(5.5, 7, 4.5, 7, 315, 10) + [(10, 8), (6, 8)]],
    "H": [[(1, 0), (1, 14)], [(9, 0), (9, 14)], [(1, 7), (9, 7)]],
    "I": [[(5, 0), (5, 14)], [(2, 0), (8, 0)], [(2, 14), (8, 14)]],
    "J": [[(2, 0), (9, 0)], [(7, 0), (7, 10.5)] + arc(4.5, 10.5, 2.5, 3.5, 0, 160)],
    "K": [[(1, 0), (1, 14)], [(9, 0), (1, 8)], [(3.5, 6), (9.5, 14)]],
    "L": [[(1, 0), (1, 14), (9, 14)]],
    "M": [[(0.5, 14), (1, 0), (5, 9), (9, 0), (9.5, 14)]],
    "N": [[(1, 14), (1, 0), (9, 14), (9, 0)]],
    "O": [arc(5, 7, 5, 7, 0, 360)],
    "P": [[(1, 14), (1, 0), (5.5, 0)] + arc(5.5, 3.75, 3.5, 3.75, 270, 450) + [(1, 7.5)]],
    "Q": [arc(5, 7, 5, 7, 0, 360), [(6, 10), (10, 14.5)]],
    "R": [[(1, 14), (1, 0), (5.5, 0)] + arc(5.5, 3.75, 3.5, 3.75, 270, 450) + [(1, 7.5)], [(4.5, 7.5), (9.5, 14)]],
    "S": [arc(5, 3.5, 4, 3.5, 330, 90) + arc(5, 10.5, 4.5, 3.5, 270, 510)],
    "T": [[(0.5, 0), (9.5, 0)], [(5, 0), (5, 14)]],
    "U": [[(1, 0), (1, 9.5)] + arc(5, 9.5, 4, 4.5, 180, 0) + [(9, 0)]],
    "V": [[(0.5, 0), (5, 14), (9.5, 0)]],
    "W": [[(0, 0), (2.5, 14), (5, 4), (7.5, 14), (10, 0)]],
    "X": [[(1, 0), (9, 14)], [(9, 0), (1, 14)]],
    "Y": [[(0.5, 0), (5, 7), (9.5, 0)], [(5, 7), (5, 14)]],
    "Z": [[(1, 0), (9, 0), (1, 14), (9, 14)]],
}

# (name, letter height px, pen width px, shear, rotation degrees): what the letter finder hands over,
# from a thin pen on a big crop to a thick marker on a small one.
VARIANTS = (
    ("thin-large", 110, 3, 0.0, 0.0),
    ("marker-small", 30, 5, 0.12, -4.0),
)


def draw(strokes, height: int, pen: int, shear: float, rotation: float) -> np.ndarray:
    """Renders strokes (10 x 14 grid) to a binary mask: sheared, rotated, scaled to ``height`` px, round pen."""
    scale = height / 14
    angle = math.radians(rotation)
    def place(x: float, y: float) -> tuple[float, float]:
        x, y = (x - 5 + shear * (7 - y)) * scale, (y - 7) * scale
        return x * math.cos(angle) - y * math.sin(angle), x * math.sin(angle) + y * math.cos(angle)
    placed = [[place(x, y) for x, y in s] for s in strokes]
    xs = [p[0] for s in placed for p in s]
    ys = [p[1] for s in placed for p in s]
    pad = pen + 2
    width, tall = int(math.ceil(max(xs) - min(xs))) + 2 * pad, int(math.ceil(max(ys) - min(ys))) + 2 * pad
    canvas = Image.new("L", (width, tall), 0)
    pen_draw = ImageDraw.Draw(canvas)
    for s in placed:
        points = [(x - min(xs) + pad, y - min(ys) + pad) for x, y in s]
        pen_draw.line(points, fill=255, width=pen)
        for x, y in points:
            pen_draw.ellipse((x - pen / 2, y - pen / 2, x + pen / 2, y + pen / 2), fill=255)
    return (np.asarray(canvas) >= 128).astype(np.uint8)


def edge_cases() -> list[tuple[str, np.ndarray]]:
    """Masks that exercise the normaliser's corners: no ink, one pixel, hairlines, a wide bar, a stray blob."""
    empty = np.zeros((12, 9), np.uint8)
    dot = np.zeros((5, 7), np.uint8)
    dot[2, 3] = 1
    hairline = np.zeros((90, 20), np.uint8)
    hairline[5:85, 9] = 1
    bar = np.zeros((10, 60), np.uint8)
    bar[3:7, 2:58] = 1
    stray = draw(STROKES["E"], 70, 6, 0.0, 0.0)
    stray[-3:, -3:] = 1
    odd = draw(STROKES["K"], 47, 2, -0.2, 7.0)
    return [("edge-empty", empty), ("edge-dot", dot), ("edge-hairline", hairline), ("edge-bar", bar), ("edge-stray-pixels", stray), ("edge-thin-odd", odd)]


def main() -> None:
    FIXTURE_DIR.mkdir(parents=True, exist_ok=True)
    entries: list[tuple[str, str | None, str, np.ndarray]] = []
    for label, strokes in STROKES.items():
        for name, height, pen, shear, rotation in VARIANTS:
            entries.append((f"{label}-{name}", label, f"{height} px tall, pen {pen} px, shear {shear}, rotation {rotation}", draw(strokes, height, pen, shear, rotation)))
    for name, mask in edge_cases():
        entries.append((name, None, "normalisation edge case", mask))
    manifest, normalised = [], {}
    for name, label, note, mask in entries:
        file = f"{name}.png"
        Image.fromarray(np.where(mask != 0, 0, 255).astype(np.uint8)).convert("1").save(FIXTURE_DIR / file, optimize=True)
        reread = (np.asarray(Image.open(FIXTURE_DIR / file).convert("L")) < 128).astype(np.uint8)
        assert np.array_equal(reread, mask), file
        manifest.append({"file": file, "label": label, "note": note})
        normalised[file] = [round(float(v), 7) for v in normalize_glyph(mask).ravel()]
    (FIXTURE_DIR / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    (FIXTURE_DIR / "normalized.json").write_text(json.dumps(normalised, separators=(",", ":")) + "\n")
    print(f"wrote {len(entries)} fixtures to {FIXTURE_DIR}")


def load_fixtures() -> list[dict]:
    """The committed fixtures: manifest entries with ``mask`` (uint8, 1 = ink) and ``normalized`` (28x28 float32)."""
    manifest = json.loads((FIXTURE_DIR / "manifest.json").read_text())
    normalised = json.loads((FIXTURE_DIR / "normalized.json").read_text())
    out = []
    for entry in manifest:
        mask = (np.asarray(Image.open(FIXTURE_DIR / entry["file"]).convert("L")) < 128).astype(np.uint8)
        out.append({**entry, "mask": mask, "normalized": np.asarray(normalised[entry["file"]], dtype=np.float32).reshape(28, 28)})
    return out


if __name__ == "__main__":
    main()
