"""Builds the normalised training, validation and test arrays (28x28 float, ink high).

Every source goes through the service's path: a binary ink mask (EMNIST glyphs upsampled and
thresholded, Chars74K strokes drawn with a pen) and then ``normalize_glyph``. Results are cached
in ``training/.cache`` (git-ignored), keyed by the normaliser's settings.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import normalize
from data import TEST_SETS, TRAIN_SET, load_chars74k_strokes, load_idx_set, render_strokes
from normalize import emnist_to_mask, normalize_glyph

CACHE_DIR = Path(__file__).resolve().parent / ".cache"
# Pen widths (px) for Chars74K letters drawn RENDER_LETTER_SIZE (96) px tall: thin gel pen to marker.
CHARS74K_PEN_WIDTHS = (3, 6, 10, 14)
# Letters whose lower case is a smaller or slightly different capital (EMNIST Balanced merges the same
# 15). The service has no lower-case classes; a stray lower-case 'l' or 'o' in a note should still
# rank L or O among its best guesses, so Chars74K's lower-case forms of these join the capital's class.
LOWER_CASE_ALIASES = "CIJKLMOPSUVWXYZ"
VALIDATION_FRACTION = 0.10
NORMALISE_CHUNK = 4096


@dataclass
class Split:
    images: np.ndarray  # (N, 28, 28) float32 in [0, 1]
    labels: np.ndarray  # (N,) '<U1'
    source: str


def _settings_key() -> str:
    settings = f"{normalize.INNER_SIZE}-{normalize.MIN_STROKE_RATIO}-{normalize.EMNIST_UPSAMPLE}-{normalize.EMNIST_INK_LEVEL}-{CHARS74K_PEN_WIDTHS}-{LOWER_CASE_ALIASES}"
    return hashlib.sha1(settings.encode()).hexdigest()[:10]


def normalize_masks(masks) -> np.ndarray:
    """normalize_glyph over an iterable of masks, stacked to (N, 28, 28) float32."""
    return np.stack([normalize_glyph(m) for m in masks]).astype(np.float32)


def normalize_emnist(glyphs: np.ndarray, progress_label: str = "") -> np.ndarray:
    """EMNIST 28x28 uint8 glyphs to normalised float32 images, chunk by chunk to bound memory."""
    out = np.empty((len(glyphs), 28, 28), dtype=np.float32)
    started = time.time()
    for start in range(0, len(glyphs), NORMALISE_CHUNK):
        out[start:start + NORMALISE_CHUNK] = normalize_masks(emnist_to_mask(glyphs[start:start + NORMALISE_CHUNK]))
        if progress_label:
            done = min(len(glyphs), start + NORMALISE_CHUNK)
            print(f"\r  normalising {progress_label}: {done}/{len(glyphs)} ({time.time() - started:.0f} s)", end="", flush=True)
    if progress_label:
        print()
    return out


def render_chars74k(classes: list[str]) -> tuple[list[np.ndarray], np.ndarray]:
    """Every Chars74K letterform of ``classes`` (and the LOWER_CASE_ALIASES) drawn at every pen width: (masks, labels)."""
    masks, labels = [], []
    for label, strokes in load_chars74k_strokes(classes, LOWER_CASE_ALIASES):
        for pen in CHARS74K_PEN_WIDTHS:
            masks.append(render_strokes(strokes, pen))
            labels.append(label)
    return masks, np.array(labels)


def _cached(name: str, build) -> Split:
    path = CACHE_DIR / f"{name}-{_settings_key()}.npz"
    if path.exists():
        data = np.load(path)
        return Split(data["images"], data["labels"], name)
    split = build()
    CACHE_DIR.mkdir(exist_ok=True)
    np.savez(path, images=split.images, labels=split.labels)
    return split


def load_emnist_train() -> Split:
    def build() -> Split:
        images, labels = load_idx_set(TRAIN_SET)
        return Split(normalize_emnist(images, TRAIN_SET.name), labels, TRAIN_SET.name)
    return _cached(TRAIN_SET.name, build)


def load_chars74k(classes: list[str]) -> Split:
    def build() -> Split:
        masks, labels = render_chars74k(classes)
        return Split(normalize_masks(masks), labels, "chars74k")
    return _cached("chars74k-" + "".join(classes), build)


def load_test_sets() -> dict[str, Split]:
    """The cross-writer test sets, normalised; never used for training or tuning."""
    def build(idx):
        def go() -> Split:
            images, labels = load_idx_set(idx)
            return Split(normalize_emnist(images), labels, idx.name)
        return go
    return {idx.name: _cached(idx.name, build(idx)) for idx in TEST_SETS}


def train_validation_split(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Fixed, seeded split of ``count`` indices into (train, validation), validation 10 %."""
    order = np.random.default_rng(seed).permutation(count)
    cut = int(round(count * VALIDATION_FRACTION))
    return np.sort(order[cut:]), np.sort(order[:cut])
