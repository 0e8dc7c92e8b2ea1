"""Writes the committed rejector fixtures: generated negatives (``negatives.py``, three of every kind)
whose letters are the hand-made fixture strokes of ``make_fixtures.py`` (no dataset pixels), as 1-bit
PNGs (black ink on white), a manifest and their Python-normalised images.

    /usr/bin/python3 training/make_rejector_fixtures.py

Outputs in fixtures/rejector/: ``<kind>-<n>.png``, ``manifest.json`` ([{file, kind}]),
``normalized.json`` ({file: 784 floats, row-major}). ``train_rejector.py`` writes the models'
PyTorch outputs on them (and on fixtures/glyphs) to ``fixtures/rejector/<model>.reference.json``.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image

from make_fixtures import STROKES, draw
from negatives import KINDS, generate
from normalize import normalize_glyph

REJECTOR_FIXTURE_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "rejector"
PER_KIND = 3
SEED = 20261128


def fixture_letter(rng: np.random.Generator) -> np.ndarray:
    """A hand-made block letter drawn 30-110 px tall with a 2-8 px pen, sheared and turned a little."""
    label = list(STROKES)[rng.integers(len(STROKES))]
    return draw(STROKES[label], int(rng.uniform(30, 110)), int(rng.integers(2, 9)), rng.uniform(-0.2, 0.2), rng.uniform(-6, 6))


def main() -> None:
    REJECTOR_FIXTURE_DIR.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    manifest, normalised = [], {}
    for kind in KINDS:
        for n in range(PER_KIND):
            mask = generate(kind, rng, fixture_letter)
            file = f"{kind}-{n}.png"
            Image.fromarray(np.where(mask != 0, 0, 255).astype(np.uint8)).convert("1").save(REJECTOR_FIXTURE_DIR / file, optimize=True)
            manifest.append({"file": file, "kind": kind})
            normalised[file] = [round(float(v), 7) for v in normalize_glyph(mask).ravel()]
    (REJECTOR_FIXTURE_DIR / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    (REJECTOR_FIXTURE_DIR / "normalized.json").write_text(json.dumps(normalised, separators=(",", ":")) + "\n")
    print(f"wrote {len(manifest)} negative fixtures to {REJECTOR_FIXTURE_DIR}")


def load_rejector_fixtures() -> list[dict]:
    """The committed negatives: manifest entries with ``normalized`` (28x28 float32)."""
    manifest = json.loads((REJECTOR_FIXTURE_DIR / "manifest.json").read_text())
    normalised = json.loads((REJECTOR_FIXTURE_DIR / "normalized.json").read_text())
    return [{**entry, "normalized": np.asarray(normalised[entry["file"]], dtype=np.float32).reshape(28, 28)} for entry in manifest]


if __name__ == "__main__":
    main()
