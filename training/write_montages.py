"""Writes montages of every source, raw and normalised, to training/montages/ (check them by eye)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from augment import AugmentSettings, augment

from data import TEST_SETS, TRAIN_SET, load_chars74k_strokes, load_idx_set, render_strokes
from dataset import CHARS74K_PEN_WIDTHS, normalize_emnist, normalize_masks
from montage import first_per_class, write_montage

MONTAGE_DIR = Path(__file__).resolve().parent / "montages"
CLASSES = [chr(c) for c in range(ord("0"), ord("9") + 1)] + [chr(c) for c in range(ord("A"), ord("Z") + 1)]
PER_CLASS = 4


def main() -> None:
    for idx in (TRAIN_SET, *TEST_SETS):
        images, labels = load_idx_set(idx)
        picked = first_per_class(labels, CLASSES, PER_CLASS)
        write_montage(MONTAGE_DIR / f"{idx.name}-raw.png", [images[i] for i in picked], [labels[i] for i in picked])
        normalised = normalize_emnist(images[picked])
        write_montage(MONTAGE_DIR / f"{idx.name}-normalised.png", list(normalised), [labels[i] for i in picked])
    images, labels = load_idx_set(TRAIN_SET)
    clean = normalize_emnist(images[:48])
    augmented = augment(torch.from_numpy(clean).unsqueeze(1), AugmentSettings(), torch.Generator().manual_seed(0))[:, 0].numpy()
    write_montage(MONTAGE_DIR / "augmented-pairs.png", [v for pair in zip(clean, augmented) for v in pair], [c for c in labels[:48] for _ in (0, 1)])
    forms = load_chars74k_strokes(CLASSES)
    first = {}
    for label, strokes in forms:
        first.setdefault(label, strokes)
    masks = [render_strokes(first[c], pen) for c in CLASSES for pen in CHARS74K_PEN_WIDTHS]
    labels = [c for c in CLASSES for _ in CHARS74K_PEN_WIDTHS]
    write_montage(MONTAGE_DIR / "chars74k-rendered.png", [m.astype(np.float64) for m in masks], labels)
    write_montage(MONTAGE_DIR / "chars74k-normalised.png", list(normalize_masks(masks)), labels)


if __name__ == "__main__":
    main()
