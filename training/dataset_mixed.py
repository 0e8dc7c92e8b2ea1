"""Data for the mixed-case + punctuation classifier (81 classes): sources, splits, normalisation.

Every glyph goes through the service's path, as in ``dataset.py``: a binary ink mask, then
``normalize_glyph``. Sources and how their pixels become masks:

- EMNIST ByClass test split (``train/emnist-packed/emnist-byclass``, 116,323 glyphs, 62 classes,
  upright WebP tiles, white ink on black): bilinear x4, ink >= 128 (``emnist_to_mask``). The packed
  tiles are already upright; only the raw EMNIST files are transposed. It is the only ByClass split
  in the shared data, and its order is shuffled (no writer ids), so it is split by glyph:
  * digits and capitals: the glyphs ``dataset.py`` holds out for the 36-class model's validation
    (the seeded 10 % of ``derived/emnist-byclass-test-digits-upper``, mapped back to ByClass order)
    are this model's ByClass hold-out test, so both models can be compared on glyphs neither saw;
  * lower case: a seeded 10 % hold-out test;
  * of the rest, a seeded 5 % is validation, the others train.
  The hold-out shares its writers with training (NIST hsf_4); the cross-writer test is EMNIST
  Balanced's train tail below.
- EMNIST Balanced train tail (``emnist-balanced/X_train_103680_to_112799.webp``, 9,120 glyphs, 47
  classes, writers of the NIST training partition): test only. Its 15 classes C I J K L M O P S U V
  W X Y Z merge upper and lower case, so they are scored case-insensitively; a b d e f g h n q r t
  are lower case proper.
- Chars74K EnglishHnd pen strokes (62 classes x 55 writers): writers 1-45 (the first 45 letterforms
  of each class) drawn at pen widths 3, 6, 10, 14 px for training; writers 46-55 drawn at 6 px are a
  second cross-writer test (tablet strokes, a different domain).
- ``train/punct`` (19 classes): UNIPEN 64x64 (white on black, grey: ink >= 128), CROHME 45x45 JPEG
  (white on black: ink >= 128), BHMSDS 28x28 (black on white: inverted, then as EMNIST; its "dot"
  is a multiplication dot, used as '.'). Held out for test: UNIPEN's own upstream test list
  (``upstream_sueiras/split/tst.txt``); CROHME and BHMSDS files whose sha1(file name) mod 100 < 15.
  UNIPEN's upstream ``val.txt`` files are validation.
  Its 4,040 glyphs of the 21 unmerged digit and capital classes (``derived/...-unmixed``) are also
  scored alone, as ``cnn.json``'s test-unmixed.
- Generated pen strokes for the thin classes '@' '&' '*' (``punct_strokes.py``): training only.

Normalising to 28x28 erases size and position: '.', ',', ''' and '-' become a blob, a comma-like
tick, a tick and a bar that fill the box; telling them apart needs the line geometry (the reader).
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

import normalize
from data import DATA_ROOT, TRAIN_SET, load_idx_set, render_strokes
from dataset import CACHE_DIR, CHARS74K_PEN_WIDTHS, load_test_sets, normalize_emnist, normalize_masks, train_validation_split
from punct_strokes import GENERATED_PER_CLASS, generate_strokes

DIGITS = [chr(c) for c in range(ord("0"), ord("9") + 1)]
UPPER = [chr(c) for c in range(ord("A"), ord("Z") + 1)]
LOWER = [chr(c) for c in range(ord("a"), ord("z") + 1)]
PUNCTUATION = list(".,;:!?'\"-()/&+=#@%*")
CLASSES = DIGITS + UPPER + LOWER + PUNCTUATION
GROUPS = {"digits": DIGITS, "upper": UPPER, "lower": LOWER, "punctuation": PUNCTUATION}
# EMNIST Balanced merges these capitals with their lower case: either case is right.
BALANCED_MERGED = "CIJKLMOPSUVWXYZ"

EMNIST_PACKED = DATA_ROOT / "train" / "emnist-packed"
PUNCT = DATA_ROOT / "train" / "punct"
UNIPEN = PUNCT / "unipen64_sueiras_via_jeng-a-yo"
CROHME = PUNCT / "crohme45_xainano_via_jeng-a-yo"
BHMSDS = PUNCT / "wblachowski_bhmsds"
BHMSDS_NAMES = {"plus": "+", "minus": "-", "slash": "/", "dot": "."}

BYCLASS_LOWER_HOLDOUT = 0.10
VALIDATION_FRACTION = 0.05
PUNCT_HOLDOUT_PERCENT = 15
CHARS74K_TRAIN_WRITERS = 45
CHARS74K_TEST_PEN = 6
INK_LEVEL = 128
CACHE_VERSION = "mixed-1"


@dataclass
class Glyphs:
    images: np.ndarray  # (N, 28, 28) float32 in [0, 1], ink high
    labels: np.ndarray  # (N,) '<U1'
    sources: np.ndarray  # (N,) source name per glyph


def _key() -> str:
    settings = (f"{CACHE_VERSION}-{normalize.INNER_SIZE}-{normalize.MIN_STROKE_RATIO}-{normalize.EMNIST_UPSAMPLE}-"
                f"{normalize.EMNIST_INK_LEVEL}-{CHARS74K_PEN_WIDTHS}-{GENERATED_PER_CLASS}")
    return hashlib.sha1(settings.encode()).hexdigest()[:10]


def _cached(name: str, build) -> dict[str, Glyphs]:
    """Builds (or reads) a dict of named Glyphs, cached in training/.cache."""
    path = CACHE_DIR / f"{name}-{_key()}.npz"
    if path.exists():
        data = np.load(path)
        parts = sorted({k.split("/")[0] for k in data.files})
        return {p: Glyphs(data[f"{p}/images"], data[f"{p}/labels"], data[f"{p}/sources"]) for p in parts}
    started = time.time()
    parts = build()
    CACHE_DIR.mkdir(exist_ok=True)
    np.savez(path, **{f"{p}/{f}": getattr(g, f) for p, g in parts.items() for f in ("images", "labels", "sources")})
    print(f"  {name}: built in {time.time() - started:.0f} s: {', '.join(f'{p} {len(g.labels)}' for p, g in parts.items())}", flush=True)
    return parts


def read_packed(folder: Path, split: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tiles present in an emnist-packed folder: (images (N, 28, 28) uint8, labels '<U1', sample indices)."""
    meta = json.loads((folder / f"{split}.json").read_text())
    mapping = np.array([chr(c) for c in meta["mapping"]])
    ids = np.array(meta["id"])
    images, indices = [], []
    for file in meta["files"]:
        if not (folder / file).exists():
            continue
        first, last = (int(v) for v in Path(file).stem.split("_")[-3::2])
        sheet = np.asarray(Image.open(folder / file).convert("L"))
        across = sheet.shape[1] // 28
        count = last - first + 1
        tiles = sheet[:(count + across - 1) // across * 28, :across * 28].reshape(-1, 28, across, 28).transpose(0, 2, 1, 3).reshape(-1, 28, 28)
        images.append(tiles[:count])
        indices.append(np.arange(first, last + 1))
    indices = np.concatenate(indices)
    return np.concatenate(images), mapping[ids[indices]], indices


def byclass_splits(seed: int) -> dict[str, np.ndarray]:
    """Index arrays into ByClass test order: train, validation, holdout (see the module docstring)."""
    meta = json.loads((EMNIST_PACKED / "emnist-byclass" / "test.json").read_text())
    labels = np.array([chr(c) for c in meta["mapping"]])[np.array(meta["id"])]
    lower = np.flatnonzero(np.char.islower(labels))
    digits_upper = np.flatnonzero(~np.char.islower(labels))
    _, old_validation = train_validation_split(len(digits_upper), seed)
    order = np.random.default_rng(seed + 1).permutation(len(lower))
    holdout = np.sort(np.concatenate([digits_upper[old_validation], lower[order[:int(round(len(lower) * BYCLASS_LOWER_HOLDOUT))]]]))
    rest = np.setdiff1d(np.arange(len(labels)), holdout)
    order = np.random.default_rng(seed + 2).permutation(len(rest))
    cut = int(round(len(rest) * VALIDATION_FRACTION))
    return {"train": np.sort(rest[order[cut:]]), "validation": np.sort(rest[order[:cut]]), "holdout": holdout}


def check_derived_order(images: np.ndarray, labels: np.ndarray) -> None:
    """The derived 36-class IDX file is ByClass's digits and capitals in source order: check it, so the old hold-out maps right."""
    derived_images, derived_labels = load_idx_set(TRAIN_SET)
    keep = ~np.char.islower(labels)
    if not (np.array_equal(derived_labels, labels[keep]) and np.array_equal(derived_images, images[keep])):
        raise RuntimeError("derived emnist-byclass-test-digits-upper is not ByClass's digits+upper in order")


def load_emnist(seed: int) -> dict[str, Glyphs]:
    def build() -> dict[str, Glyphs]:
        images, labels, indices = read_packed(EMNIST_PACKED / "emnist-byclass", "test")
        assert np.array_equal(indices, np.arange(len(indices)))
        check_derived_order(images, labels)
        parts = {}
        for part, index in byclass_splits(seed).items():
            parts[f"byclass-{part}"] = Glyphs(normalize_emnist(images[index], f"ByClass {part}"), labels[index], np.full(len(index), "emnist-byclass"))
        images, labels, _ = read_packed(EMNIST_PACKED / "emnist-balanced", "train")
        parts["balanced-tail"] = Glyphs(normalize_emnist(images, "Balanced tail"), labels, np.full(len(labels), "emnist-balanced-train-tail"))
        return parts
    return _cached(f"mixed-emnist-{seed}", build)


def load_chars74k_mixed() -> dict[str, Glyphs]:
    def build() -> dict[str, Glyphs]:
        by_char = json.loads((DATA_ROOT / "train" / "chars74k-hnd-strokes" / "char74k.json").read_text())
        train, test = ([], []), ([], [])
        for label in DIGITS + UPPER + LOWER:
            for writer, strokes in enumerate(by_char.get(label, [])):
                if writer < CHARS74K_TRAIN_WRITERS:
                    for pen in CHARS74K_PEN_WIDTHS:
                        train[0].append(render_strokes(strokes, pen))
                        train[1].append(label)
                else:
                    test[0].append(render_strokes(strokes, CHARS74K_TEST_PEN))
                    test[1].append(label)
        return {"chars74k-train": Glyphs(normalize_masks(train[0]), np.array(train[1]), np.full(len(train[1]), "chars74k")),
                "chars74k-test": Glyphs(normalize_masks(test[0]), np.array(test[1]), np.full(len(test[1]), "chars74k"))}
    return _cached("mixed-chars74k", build)


def _grey_mask(path: Path, ink_dark: bool) -> np.ndarray:
    grey = np.asarray(Image.open(path).convert("L"))
    return (grey <= 255 - INK_LEVEL if ink_dark else grey >= INK_LEVEL).astype(np.uint8)


def _held_out(name: str) -> bool:
    return int(hashlib.sha1(name.encode()).hexdigest(), 16) % 100 < PUNCT_HOLDOUT_PERCENT


def punct_files() -> list[tuple[str, str, str, np.ndarray]]:
    """(source, part, label, mask) for every punct glyph; part is train, validation or test."""
    split = {}
    for part, file in (("train", "trn.txt"), ("validation", "val.txt"), ("test", "tst.txt")):
        for line in (UNIPEN / "upstream_sueiras" / "split" / file).read_text().split():
            split[line.strip()] = part
    out = []
    for path in sorted((UNIPEN / "_SymbolDataSet").glob("*/*.png")):
        relative = f"{path.parent.name}/{path.name}"
        out.append(("unipen", split[relative], chr(int(path.parent.name)), _grey_mask(path, ink_dark=False)))
    for path in sorted((CROHME / "_SymbolDataSet").glob("*/*.jpg")):
        out.append(("crohme", "test" if _held_out(path.name) else "train", chr(int(path.parent.name)), _grey_mask(path, ink_dark=False)))
    for path in sorted((BHMSDS / "symbols").glob("*.png")):
        grey = 255 - np.asarray(Image.open(path).convert("L"))
        mask = normalize.emnist_to_mask(grey)
        out.append(("bhmsds", "test" if _held_out(path.name) else "train", BHMSDS_NAMES[path.name.split("-")[0]], mask))
    return out


def load_punct() -> dict[str, Glyphs]:
    def build() -> dict[str, Glyphs]:
        files = punct_files()
        parts = {}
        for part in ("train", "validation", "test"):
            chosen = [f for f in files if f[1] == part]
            parts[f"punct-{part}"] = Glyphs(normalize_masks([f[3] for f in chosen]), np.array([f[2] for f in chosen]), np.array([f[0] for f in chosen]))
        masks, labels = generate_strokes(seed=7)
        parts["generated-train"] = Glyphs(normalize_masks(masks), np.array(labels), np.full(len(labels), "generated-strokes"))
        return parts
    return _cached("mixed-punct", build)


def concat(*parts: Glyphs) -> Glyphs:
    return Glyphs(np.concatenate([p.images for p in parts]), np.concatenate([p.labels for p in parts]), np.concatenate([p.sources for p in parts]))


def load_all(seed: int) -> dict[str, Glyphs]:
    """train, validation and the test sets, all normalised."""
    emnist, chars, punct = load_emnist(seed), load_chars74k_mixed(), load_punct()
    unmixed = load_test_sets()["test-unmixed"]
    return {
        "train": concat(emnist["byclass-train"], chars["chars74k-train"], punct["punct-train"], punct["generated-train"]),
        "validation": concat(emnist["byclass-validation"], punct["punct-validation"]),
        "test-byclass-holdout": emnist["byclass-holdout"],
        "test-balanced-tail": emnist["balanced-tail"],
        # The 4,040 of those in the 21 classes Balanced does not merge with lower case (0-9, A B D E F G H N Q R T): cnn.json's
        # test-unmixed, so the 36-class and 81-class models compare, and Node's eval:model reproduces the figure.
        "test-balanced-tail-unmixed": Glyphs(unmixed.images, unmixed.labels, np.full(len(unmixed.labels), "emnist-balanced-train-tail-unmixed")),
        "test-chars74k-writers-46-55": chars["chars74k-test"],
        "test-punct": punct["punct-test"],
    }
