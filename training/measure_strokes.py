"""Does stroke-width normalisation matter? Measured on the validation split (never the test sets).

Photo crops from a thin pen are big letters with thin strokes; EMNIST's are thick and soft. This
takes the validation glyphs as the service would see them (112 px masks), thins their strokes to
about ``THIN_STROKE_PX`` by erosion (a fine pen on a large letter), and classifies them with the
trained CNN (``training/.cache/cnn.pt``, written by train.py), through the normaliser with and
without its stroke step.

    /usr/bin/python3 training/measure_strokes.py
"""
from __future__ import annotations

import numpy as np
import torch
from scipy import ndimage

import normalize
from dataset import CACHE_DIR, load_emnist_train, train_validation_split
from data import TRAIN_SET, load_idx_set
from evaluate import predict_probabilities, top_k_accuracy
from models import build_model
from train import CLASSES, class_indices

THIN_STROKE_PX = 3
SAMPLE = 3000
SEED = 20261127


def thin(mask: np.ndarray, reopen: bool = False) -> np.ndarray:
    """Erodes ``mask`` by a disc so that its median stroke is about THIN_STROKE_PX wide; with
    ``reopen``, dilates it back by the same disc (an opening: the erosion's damage to the shape
    without the thin strokes, to tell the two apart)."""
    radius = max(0, (normalize.estimate_stroke_width(mask) - THIN_STROKE_PX) // 2)
    if radius == 0:
        return mask
    disc = np.array([[dx * dx + dy * dy <= radius * radius for dx in range(-radius, radius + 1)] for dy in range(-radius, radius + 1)])
    eroded = ndimage.binary_erosion(mask, structure=disc).astype(np.uint8)
    if not eroded.any():
        return mask
    return ndimage.binary_dilation(eroded, structure=disc).astype(np.uint8) if reopen else eroded


def normalise_all(masks: list[np.ndarray], stroke_step: bool) -> np.ndarray:
    saved = normalize.MIN_STROKE_RATIO
    normalize.MIN_STROKE_RATIO = saved if stroke_step else 0.0
    try:
        return np.stack([normalize.normalize_glyph(m) for m in masks])
    finally:
        normalize.MIN_STROKE_RATIO = saved


def main() -> None:
    torch.set_num_threads(2)
    images, labels = load_idx_set(TRAIN_SET)
    _, validation = train_validation_split(len(labels), SEED)
    picked = np.random.default_rng(0).choice(validation, SAMPLE, replace=False)
    targets = class_indices(labels[picked])
    masks = list(normalize.emnist_to_mask(images[picked]))
    thinned = [thin(m) for m in masks]
    opened = [thin(m, reopen=True) for m in masks]
    widths = [normalize.estimate_stroke_width(m) for m in thinned]
    print(f"{SAMPLE} validation glyphs, 112 px masks; thinned median stroke {np.median(widths):.0f} px "
          f"(EMNIST as is: {np.median([normalize.estimate_stroke_width(m) for m in masks[:500]]):.0f} px)")
    model = build_model("cnn", len(CLASSES))
    model.load_state_dict(torch.load(CACHE_DIR / "cnn.pt", map_location="cpu"))
    device = torch.device("cpu")
    for name, group in (("EMNIST strokes", masks), ("thin strokes", thinned), ("opened", opened)):
        for stroke_step in (True, False):
            probabilities = predict_probabilities(model, normalise_all(group, stroke_step), device)
            print(f"{name:15s} stroke step {'on ' if stroke_step else 'off'}: top1 {top_k_accuracy(probabilities, targets, 1):.4f} "
                  f"top3 {top_k_accuracy(probabilities, targets, 3):.4f}")


if __name__ == "__main__":
    main()
