"""Reading the training and test sources: EMNIST in gzip IDX files and Chars74K pen strokes.

Paths are resolved against the shared data folder, ``../shared/data`` next to the repository
(override with the ``SCRAWL_DATA`` environment variable). Nothing here copies data into the repo.
"""
from __future__ import annotations

import gzip
import json
import os
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_ROOT = Path(os.environ.get("SCRAWL_DATA", REPO_ROOT.parent / "shared" / "data"))
DERIVED = DATA_ROOT / "train" / "derived"
CHARS74K_JSON = DATA_ROOT / "train" / "chars74k-hnd-strokes" / "char74k.json"

IDX_IMAGES_MAGIC = 0x00000803
IDX_LABELS_MAGIC = 0x00000801


@dataclass(frozen=True)
class IdxSet:
    """A pair of IDX files: ``<stem>-images-idx3-ubyte.gz`` and ``<stem>-labels-idx1-ubyte.gz``."""

    name: str
    stem: str

    @property
    def images_path(self) -> Path:
        return DERIVED / f"{self.stem}-images-idx3-ubyte.gz"

    @property
    def labels_path(self) -> Path:
        return DERIVED / f"{self.stem}-labels-idx1-ubyte.gz"


TRAIN_SET = IdxSet("emnist-byclass-test-digits-upper", "emnist-byclass-test-digits-upper")
TEST_SETS = (
    IdxSet("test-unmixed", "emnist-balanced-train-tail-unmixed"),
    IdxSet("test-all", "emnist-balanced-train-tail-digits-upper"),
)


def read_idx_images(path: Path) -> np.ndarray:
    """Reads a gzip IDX3 image file into a (count, rows, cols) uint8 array."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic, count, rows, cols = struct.unpack(">IIII", raw[:16])
    if magic != IDX_IMAGES_MAGIC:
        raise ValueError(f"{path}: not an IDX3 image file (magic {magic:#x})")
    return np.frombuffer(raw, dtype=np.uint8, offset=16, count=count * rows * cols).reshape(count, rows, cols)


def read_idx_labels(path: Path) -> np.ndarray:
    """Reads a gzip IDX1 label file into a (count,) uint8 array (here: ASCII codes)."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic, count = struct.unpack(">II", raw[:8])
    if magic != IDX_LABELS_MAGIC:
        raise ValueError(f"{path}: not an IDX1 label file (magic {magic:#x})")
    return np.frombuffer(raw, dtype=np.uint8, offset=8, count=count).copy()


def load_idx_set(idx: IdxSet) -> tuple[np.ndarray, np.ndarray]:
    """Images (N, 28, 28) uint8, white ink on black, upright; labels as characters (N,) '<U1'."""
    images = read_idx_images(idx.images_path)
    codes = read_idx_labels(idx.labels_path)
    if len(images) != len(codes):
        raise ValueError(f"{idx.name}: {len(images)} images but {len(codes)} labels")
    return images, np.array([chr(c) for c in codes])


def load_chars74k_strokes(classes: list[str], lower_case_aliases: str = "") -> list[tuple[str, list[list[list[float]]]]]:
    """Chars74K EnglishHnd letterforms as (label, strokes) pairs, in file order: those of ``classes``,
    then the lower-case forms of the capitals in ``lower_case_aliases``, labelled with the capital."""
    with open(CHARS74K_JSON) as f:
        by_char = json.load(f)
    forms = [(c, form) for c in classes for form in by_char.get(c, [])]
    return forms + [(c, form) for c in lower_case_aliases for form in by_char.get(c.lower(), [])]


# Letters are drawn this many pixels tall (or wide, whichever is longer); the service sees 25-120.
RENDER_LETTER_SIZE = 96
RENDER_MARGIN = 2


def render_strokes(strokes: list[list[list[float]]], pen_width: int, size: int = RENDER_LETTER_SIZE) -> np.ndarray:
    """Draws pen strokes as a binary ink mask (uint8, 1 = ink).

    The letterform is scaled so that its longer side is ``size`` pixels; each stroke is drawn as
    round-capped, round-jointed line segments ``pen_width`` pixels wide (a disc at every point).
    """
    points = np.concatenate([np.asarray(s, dtype=np.float64).reshape(-1, 2) for s in strokes])
    low, high = points.min(axis=0), points.max(axis=0)
    scale = size / max(1.0, float((high - low).max()))
    pad = RENDER_MARGIN + pen_width
    extent = np.ceil((high - low) * scale).astype(int) + 2 * pad + 1
    canvas = Image.new("L", (int(extent[0]), int(extent[1])), 0)
    draw = ImageDraw.Draw(canvas)
    radius = pen_width / 2
    for stroke in strokes:
        xy = [((x - low[0]) * scale + pad, (y - low[1]) * scale + pad) for x, y in np.asarray(stroke, dtype=np.float64).reshape(-1, 2)]
        if len(xy) > 1:
            draw.line(xy, fill=255, width=pen_width)
        for x, y in xy:
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)
    return (np.asarray(canvas) >= 128).astype(np.uint8)
