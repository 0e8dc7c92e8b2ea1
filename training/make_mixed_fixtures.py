"""Writes fixtures/glyphs-mixed: lower-case letters and punctuation drawn from hand-made pen strokes
(no dataset pixels), for the mixed-case classifier's Node tests.

    /usr/bin/python3 training/make_mixed_fixtures.py

Same drawing and files as ``make_fixtures.py`` (1-bit PNGs, black ink on white, ``manifest.json``,
``normalized.json``). Only shapes a crop can tell apart are drawn: lower-case letters that are not
small capitals, and punctuation whose shape (not its size or place on the line) names it.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image

from make_fixtures import VARIANTS, arc, draw
from normalize import normalize_glyph

MIXED_FIXTURE_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "glyphs-mixed"

# On the 10 x 14 grid of make_fixtures.py (y down); letters with ascenders or descenders use its full height.
STROKES: dict[str, list[list[tuple[float, float]]]] = {
    "a": [arc(4.5, 9.5, 3.5, 4, -30, -360), [(8, 5.5), (8, 14)]],
    "b": [[(1.5, 0), (1.5, 14)], arc(5, 10, 3.5, 4, 180, 540)],
    "d": [[(8.5, 0), (8.5, 14)], arc(5, 10, 3.5, 4, 0, 360)],
    "e": [[(1.5, 9.5), (8.5, 9.5)] + arc(5, 9.5, 3.5, 4, 0, -300)],
    "g": [arc(5, 4, 3.5, 4, 0, 360), [(8.5, 1), (8.5, 11)] + arc(5, 11, 3.5, 3, 0, 170)],
    "h": [[(1.5, 0), (1.5, 14)], [(1.5, 9)] + arc(5, 9, 3.5, 3, 180, 360) + [(8.5, 14)]],
    "n": [[(1.5, 5), (1.5, 14)], [(1.5, 9)] + arc(5, 9, 3.5, 3.5, 180, 360) + [(8.5, 14)]],
    "r": [[(2, 5), (2, 14)], [(2, 9)] + arc(6, 9, 4, 3.5, 180, 300)],
    "t": [[(4, 0), (4, 12)] + arc(6, 12, 2, 2, 180, 60), [(0.5, 4.5), (8, 4.5)]],
    "?": [arc(5, 3.5, 4, 3.5, 190, 430) + [(5, 9)], arc(5, 13, 0.5, 0.5, 0, 360)],
    "!": [[(5, 0), (5, 10)], arc(5, 13, 0.5, 0.5, 0, 360)],
    "(": [arc(9, 7, 6, 7.5, 120, 240)],
    ")": [arc(1, 7, 6, 7.5, -60, 60)],
    "/": [[(9, 0), (1, 14)]],
    "&": [[(9.5, 14), (2.5, 5), (2.5, 2), (4.5, 0.5), (6.5, 2), (6, 4.5), (1.5, 9), (1.5, 12.5), (4, 14), (7, 12.5), (9, 9)]],
    "@": [arc(5.5, 7.5, 2, 2.5, 0, 360), [(7.5, 5), (7.5, 9.5), (9, 10)] + arc(5.5, 7, 4.5, 6.5, 30, -290)],
    "#": [[(3.5, 1), (2.5, 13)], [(7.5, 1), (6.5, 13)], [(0.5, 4.5), (9.5, 4.5)], [(0.5, 9.5), (9.5, 9.5)]],
    "%": [[(9, 1), (1, 13)], arc(2.5, 3, 1.8, 2, 0, 360), arc(7.5, 11, 1.8, 2, 0, 360)],
    "+": [[(5, 2), (5, 12)], [(0, 7), (10, 7)]],
    "=": [[(0, 4), (10, 4)], [(0, 10), (10, 10)]],
    "*": [[(5, 1), (5, 13)], [(0, 4), (10, 10)], [(10, 4), (0, 10)]],
    ";": [arc(5, 3, 0.7, 0.7, 0, 360), [(5.3, 10), (5.3, 12), (4, 14)]],
    ":": [arc(5, 3, 0.7, 0.7, 0, 360), arc(5, 11, 0.7, 0.7, 0, 360)],
    '"': [[(3, 0), (3, 5)], [(7, 0), (7, 5)]],
}


def main() -> None:
    MIXED_FIXTURE_DIR.mkdir(parents=True, exist_ok=True)
    manifest, normalised = [], {}
    for index, (label, strokes) in enumerate(STROKES.items()):
        for name, height, pen, shear, rotation in VARIANTS:
            file = f"{index:02d}-{'lower-' + label if label.islower() else 'punct'}-{name}.png"
            mask = draw(strokes, height, pen, shear, rotation)
            Image.fromarray(np.where(mask != 0, 0, 255).astype(np.uint8)).convert("1").save(MIXED_FIXTURE_DIR / file, optimize=True)
            reread = (np.asarray(Image.open(MIXED_FIXTURE_DIR / file).convert("L")) < 128).astype(np.uint8)
            assert np.array_equal(reread, mask), file
            manifest.append({"file": file, "label": label, "note": f"{height} px tall, pen {pen} px, shear {shear}, rotation {rotation}"})
            normalised[file] = [round(float(v), 7) for v in normalize_glyph(mask).ravel()]
    (MIXED_FIXTURE_DIR / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    (MIXED_FIXTURE_DIR / "normalized.json").write_text(json.dumps(normalised, separators=(",", ":")) + "\n")
    print(f"wrote {len(manifest)} fixtures to {MIXED_FIXTURE_DIR}")


def load_mixed_fixtures() -> list[dict]:
    """The committed mixed fixtures: manifest entries with ``mask`` and ``normalized`` (28x28 float32)."""
    manifest = json.loads((MIXED_FIXTURE_DIR / "manifest.json").read_text())
    normalised = json.loads((MIXED_FIXTURE_DIR / "normalized.json").read_text())
    out = []
    for entry in manifest:
        mask = (np.asarray(Image.open(MIXED_FIXTURE_DIR / entry["file"]).convert("L")) < 128).astype(np.uint8)
        out.append({**entry, "mask": mask, "normalized": np.asarray(normalised[entry["file"]], dtype=np.float32).reshape(28, 28)})
    return out


if __name__ == "__main__":
    main()
