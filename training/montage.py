"""Montage PNGs: a grid of glyphs with their labels, to check orientation and polarity by eye."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

LABEL_HEIGHT = 10


def write_montage(path: Path, images: list[np.ndarray], labels: list[str], columns: int = 24, cell: int = 40) -> None:
    """Writes ``images`` (2-D arrays, any size; bright = ink) as a labelled grid, each scaled to ``cell`` px."""
    rows = (len(images) + columns - 1) // columns
    sheet = Image.new("L", (columns * cell, rows * (cell + LABEL_HEIGHT)), 64)
    draw = ImageDraw.Draw(sheet)
    for k, (image, label) in enumerate(zip(images, labels)):
        values = np.asarray(image, dtype=np.float64)
        peak = values.max() if values.max() > 0 else 1.0
        tile = Image.fromarray(np.uint8(np.clip(values / peak, 0, 1) * 255)).resize((cell - 2, cell - 2), Image.NEAREST)
        x, y = (k % columns) * cell, (k // columns) * (cell + LABEL_HEIGHT)
        sheet.paste(tile, (x + 1, y + LABEL_HEIGHT))
        draw.text((x + 2, y - 1), label, fill=255)
    path.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(path, optimize=True)


def first_per_class(labels: np.ndarray, classes: list[str], per_class: int) -> list[int]:
    """Indices of the first ``per_class`` samples of every class, class by class."""
    picked: list[int] = []
    for c in classes:
        picked.extend(np.flatnonzero(labels == c)[:per_class].tolist())
    return picked
