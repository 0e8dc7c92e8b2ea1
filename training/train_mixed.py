"""Trains the mixed-case + punctuation classifiers (81 classes: 0-9, A-Z, a-z, . , ; : ! ? ' " - ( ) / & + = # @ % *).

    nice -n 10 /usr/bin/python3 training/train_mixed.py          # cnn-mixed, then mlp-mixed
    /usr/bin/python3 training/train_mixed.py --model cnn --epochs 1 --samples 5000 --out /tmp/try   # a smoke run

Data and splits: ``dataset_mixed.py``. Training, augmentation, models and export are those of
``train.py`` (same architectures with 81 outputs); the differences are the classes, the sampling
(classes drawn with probability proportional to count**0.3: ByClass has 15x more '1's than 'j's and
punctuation has 100-900 a class) and a fixed number of samples per epoch (``--samples``), so the
run fits a time budget. Writes to ``--out`` (default ``models/``): ``<name>-mixed.onnx``, ``.json``
(the card), ``.curves.png``, ``.confusion.png``, ``.filters.png``; and, when writing to ``models/``,
``fixtures/glyphs-mixed/<name>-mixed.reference.json`` (PyTorch logits on the committed glyph
fixtures, block letters and mixed, for the Node tests).
"""
from __future__ import annotations

import argparse
import datetime
import json
import math
import platform
import shlex
import sys
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from augment import AugmentSettings, augment
from data import DATA_ROOT
from dataset import CACHE_DIR, CHARS74K_PEN_WIDTHS
from dataset_mixed import BALANCED_MERGED, CLASSES, GROUPS, PUNCTUATION, load_all
from evaluate import confusion_matrix, predict_probabilities
from make_fixtures import load_fixtures
from make_mixed_fixtures import MIXED_FIXTURE_DIR, load_mixed_fixtures
from models import build_model, count_parameters
from plots import plot_confusion, plot_curves, plot_filters
from train import (BATCH_SIZE, CARD_FORMAT, LABEL_SMOOTHING, MODELS_DIR, OUTPUT_NAME, WEIGHT_DECAY, architecture_text, evaluate_loss, export_onnx,
                   format_duration, glyph_input_card)

DEFAULT_EPOCHS = {"cnn": 5, "mlp": 4}
DEFAULT_SAMPLES = {"cnn": 96_000, "mlp": 96_000}
EPOCH_VALIDATION_STRIDE = 3
DEFAULT_PEAK_LR = {"cnn": 3e-3, "mlp": 1e-2}
CLASS_TEMPER = 0.3
PROGRESS_EVERY = 20
# Letters whose lower case is (nearly) a small copy of the capital; the crop alone cannot tell them apart.
CASE_PAIRS = "cCoOsSuUvVwWxXzZkKpPmMyYiIjJlL"
LOOK_ALIKES = [("l", "1"), ("l", "I"), ("I", "1"), ("0", "O"), ("o", "0"), ("g", "9"), ("q", "9"), ("b", "6"), ("z", "2"), ("s", "5")]
PUNCT_SOURCES = {
    "unipen": "train/punct/unipen64_sueiras_via_jeng-a-yo: UNIPEN via sueiras/handwritting_characters_database (GPL-3.0) via "
              "jeng-a-yo/Final-Project (none stated); UNIPEN's own terms not checked",
    "crohme": "train/punct/crohme45_xainano_via_jeng-a-yo: Kaggle xainano/handwrittenmathsymbols (from CROHME) via jeng-a-yo/Final-Project; "
              "licence none stated / not checked",
    "bhmsds": "train/punct/wblachowski_bhmsds: wblachowski/bhmsds, MIT",
}
SIZE_NOTE = ("The 28x28 normalisation scales every crop to the same size and centres it, so it erases size and position: "
             "'.' becomes a filled blob (like a bold 'o' or '0'), ',' and ''' the same tick at different slants, '-' a bar that fills "
             "the width (like '_' or a stroke of '=' or '+'), and the lower case of c o s u v w x z k p m looks like its capital. "
             "This model sees the crop only; the reader must add the candidate's size and position relative to the line's "
             "baseline, x-height and cap height to tell them apart.")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="all", choices=["all", "cnn", "mlp"])
    parser.add_argument("--epochs", type=int, help="epochs (default: cnn 5, mlp 4)")
    parser.add_argument("--samples", type=int, help="training samples drawn per epoch (default: 96,000)")
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--threads", type=int, default=1, help="CPU threads for torch (one: the machine is shared)")
    parser.add_argument("--out", type=Path, default=MODELS_DIR)
    parser.add_argument("--evaluate-only", action="store_true", help="evaluate the last run's model again (training/.cache) and rewrite its files")
    args = parser.parse_args()
    args.command = " ".join(["nice -n 10 /usr/bin/python3", "training/train_mixed.py", *(shlex.quote(a) for a in sys.argv[1:])])
    return args


def class_indices(labels: np.ndarray) -> np.ndarray:
    lookup = {c: i for i, c in enumerate(CLASSES)}
    return np.array([lookup[c] for c in labels], dtype=np.int64)


def accepted_classes(labels: np.ndarray, test_name: str) -> np.ndarray:
    """(N, classes) bool: which predictions count as right. One class each, but EMNIST Balanced's merged capitals take either case."""
    accepted = np.zeros((len(labels), len(CLASSES)), dtype=bool)
    accepted[np.arange(len(labels)), class_indices(labels)] = True
    if test_name == "test-balanced-tail":
        lookup = {c: i for i, c in enumerate(CLASSES)}
        for letter in BALANCED_MERGED:
            accepted[labels == letter, lookup[letter.lower()]] = True
    return accepted


def _top_k_hits(probabilities: np.ndarray, accepted: np.ndarray, k: int) -> np.ndarray:
    top = np.argsort(-probabilities, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(accepted, top, axis=1).any(axis=1)


def _ignoring_case(probabilities: np.ndarray, accepted: np.ndarray) -> np.ndarray:
    """Top-1 where a letter's other case counts as right too."""
    lookup = {c: i for i, c in enumerate(CLASSES)}
    widened = accepted.copy()
    for c in GROUPS["upper"]:
        both = widened[:, lookup[c]] | widened[:, lookup[c.lower()]]
        widened[:, lookup[c]] = widened[:, lookup[c.lower()]] = both
    return _top_k_hits(probabilities, widened, 1)


def mixed_report(probabilities: np.ndarray, labels: np.ndarray, test_name: str) -> dict:
    """Top-1/top-3 overall and per class group, top-1 ignoring case, per class, most confused pairs, the confusion matrix."""
    accepted = accepted_classes(labels, test_name)
    targets = class_indices(labels)
    top1, top3, nocase = _top_k_hits(probabilities, accepted, 1), _top_k_hits(probabilities, accepted, 3), _ignoring_case(probabilities, accepted)
    predicted = probabilities.argmax(1)
    matrix = confusion_matrix(predicted, targets, len(CLASSES))
    per_class = {c: round(float(top1[labels == c].mean()), 4) for c in CLASSES if (labels == c).any()}
    off = matrix.copy()
    np.fill_diagonal(off, 0)
    if test_name == "test-balanced-tail":  # a merged capital read as its lower case is right
        lookup = {c: i for i, c in enumerate(CLASSES)}
        for letter in BALANCED_MERGED:
            off[lookup[letter], lookup[letter.lower()]] = 0
    order = np.argsort(-off, axis=None, kind="stable")[:16]
    confused = [{"true": CLASSES[i // len(CLASSES)], "predicted": CLASSES[i % len(CLASSES)], "count": int(off.flat[i])} for i in order if off.flat[i] > 0]
    groups = {}
    for group, members in GROUPS.items():
        inside = np.isin(labels, members)
        if inside.any():
            groups[group] = {"count": int(inside.sum()), "top1": round(float(top1[inside].mean()), 4), "top3": round(float(top3[inside].mean()), 4),
                             "top1_ignoring_case": round(float(nocase[inside].mean()), 4)}
    pairs = {}
    for c in CASE_PAIRS:
        inside = labels == c
        if inside.any():
            pairs[c] = {"count": int(inside.sum()), "top1": round(float(top1[inside].mean()), 4), "top1_ignoring_case": round(float(nocase[inside].mean()), 4),
                        "top3": round(float(top3[inside].mean()), 4)}
    look_alikes = {}
    for a, b in LOOK_ALIKES:
        ia, ib = CLASSES.index(a), CLASSES.index(b)
        if matrix[ia].sum() and matrix[ib].sum():
            look_alikes[f"{a} {b}"] = {f"{a}->{b}": round(float(matrix[ia, ib] / matrix[ia].sum()), 4), f"{b}->{a}": round(float(matrix[ib, ia] / matrix[ib].sum()), 4)}
    return {"count": int(len(labels)), "top1": round(float(top1.mean()), 4), "top3": round(float(top3.mean()), 4),
            "top1_ignoring_case": round(float(nocase.mean()), 4), "groups": groups, "case_pairs": pairs, "look_alikes": look_alikes,
            "per_class_top1": per_class, "most_confused": confused, "_matrix": matrix}


def sample_weights(targets: np.ndarray) -> torch.Tensor:
    counts = np.bincount(targets, minlength=len(CLASSES)).astype(np.float64)
    per_class = np.where(counts > 0, counts ** (CLASS_TEMPER - 1), 0)
    return torch.from_numpy(per_class[targets])


def train_one(name: str, args: argparse.Namespace, data: dict) -> dict:
    torch.manual_seed(args.seed)
    generator = torch.Generator().manual_seed(args.seed)
    epochs = args.epochs or DEFAULT_EPOCHS[name]
    samples = args.samples or DEFAULT_SAMPLES[name]
    model = build_model(name, len(CLASSES))
    train_images = torch.from_numpy(data["train"].images).unsqueeze(1)
    train_targets = torch.from_numpy(class_indices(data["train"].labels))
    # Every third validation glyph after each epoch (for the curves; the card's validation figures use all of them).
    val_images = torch.from_numpy(data["validation"].images[::EPOCH_VALIDATION_STRIDE]).unsqueeze(1)
    val_targets = torch.from_numpy(class_indices(data["validation"].labels[::EPOCH_VALIDATION_STRIDE]))
    weights = sample_weights(train_targets.numpy())
    steps_per_epoch = math.ceil(samples / BATCH_SIZE)
    optimizer = torch.optim.AdamW(model.parameters(), lr=DEFAULT_PEAK_LR[name], weight_decay=WEIGHT_DECAY)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=DEFAULT_PEAK_LR[name], epochs=epochs, steps_per_epoch=steps_per_epoch, pct_start=0.25)
    settings = AugmentSettings()
    history, started, total_steps = [], time.time(), epochs * steps_per_epoch
    print(f"[{name}-mixed] {count_parameters(model):,} parameters, {epochs} epochs x {steps_per_epoch} batches of {BATCH_SIZE} "
          f"({len(train_targets)} training glyphs, {args.threads} thread(s))", flush=True)
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.multinomial(weights, steps_per_epoch * BATCH_SIZE, replacement=True, generator=generator)
        loss_sum, correct, seen = 0.0, 0, 0
        for step in range(steps_per_epoch):
            batch = order[step * BATCH_SIZE:(step + 1) * BATCH_SIZE]
            images = augment(train_images[batch], settings, generator)
            targets = train_targets[batch]
            logits = model(images)
            loss = F.cross_entropy(logits, targets, label_smoothing=LABEL_SMOOTHING)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            schedule.step()
            loss_sum += loss.item() * len(batch)
            correct += (logits.argmax(1) == targets).sum().item()
            seen += len(batch)
            done = (epoch - 1) * steps_per_epoch + step + 1
            if step % PROGRESS_EVERY == 0 or step == steps_per_epoch - 1:
                elapsed = time.time() - started
                print(f"[{name}-mixed] epoch {epoch}/{epochs} batch {step + 1}/{steps_per_epoch} loss {loss_sum / seen:.4f} acc {correct / seen:.4f} "
                      f"elapsed {format_duration(elapsed)} left ~{format_duration(elapsed / done * (total_steps - done))}", flush=True)
        val_loss, val_top1 = evaluate_loss(model, val_images, val_targets)
        history.append({"epoch": epoch, "train_loss": round(loss_sum / seen, 5), "train_top1": round(correct / seen, 5), "validation_loss": round(val_loss, 5),
                        "validation_top1": round(val_top1, 5), "learning_rate_end": schedule.get_last_lr()[0], "elapsed_s": round(time.time() - started, 1)})
        print(f"[{name}-mixed] epoch {epoch}/{epochs} done: train loss {loss_sum / seen:.4f} acc {correct / seen:.4f} | validation loss {val_loss:.4f} "
              f"acc {val_top1:.4f} | {format_duration(time.time() - started)}", flush=True)
    model.eval()
    return {"model": model, "history": history, "epochs": epochs, "samples": samples, "seconds": time.time() - started, "augment": asdict(settings),
            "peak_lr": DEFAULT_PEAK_LR[name]}


@torch.no_grad()
def write_reference_outputs(name: str, model: torch.nn.Module, path: Path) -> dict:
    """PyTorch logits on both committed fixture sets (their Python-normalised images), for the Node tests."""
    fixtures = [{**f, "set": "glyphs"} for f in load_fixtures()] + [{**f, "set": "glyphs-mixed"} for f in load_mixed_fixtures()]
    inputs = torch.from_numpy(np.stack([f["normalized"] for f in fixtures])).unsqueeze(1)
    logits = model.to("cpu").eval()(inputs)
    probabilities = torch.softmax(logits, 1).numpy()
    entries = []
    for fixture, row, prob in zip(fixtures, logits.numpy(), probabilities):
        top = np.argsort(-prob, kind="stable")[:3]
        entries.append({"set": fixture["set"], "file": fixture["file"], "label": fixture["label"], "logits": [round(float(v), 6) for v in row],
                        "top3": [CLASSES[i] for i in top], "top3_probability": [round(float(prob[i]), 6) for i in top]})
    summary = {}
    for fixture_set in ("glyphs", "glyphs-mixed"):
        labelled = [e for e in entries if e["label"] is not None and e["set"] == fixture_set]
        summary[fixture_set] = {"top1": round(sum(e["top3"][0] == e["label"] for e in labelled) / len(labelled), 4),
                                "top3": round(sum(e["label"] in e["top3"] for e in labelled) / len(labelled), 4), "count": len(labelled)}
    path.write_text(json.dumps({"model": f"{name}-mixed", "classes": CLASSES, "fixtures": summary, "outputs": entries}, indent=1) + "\n")
    return summary


def public(metrics: dict) -> dict:
    return {k: v for k, v in metrics.items() if not k.startswith("_")}


def write_card(name: str, result: dict, data: dict, metrics: dict, args: argparse.Namespace, out: Path, fixtures: dict | None) -> None:
    model = result["model"]
    counts = {part: {s: int((g.sources == s).sum()) for s in np.unique(g.sources)} for part, g in data.items()}
    card = {
        "format": CARD_FORMAT,
        "name": f"{name}-mixed",
        "file": f"{name}-mixed.onnx",
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "architecture": architecture_text(model),
        "parameters": count_parameters(model),
        "classes": CLASSES,
        "class_groups": {g: "".join(m) for g, m in GROUPS.items()},
        "input": glyph_input_card(),
        "output": {"name": OUTPUT_NAME, "shape": ["batch", len(CLASSES)], "kind": "logits", "note": "apply softmax for probabilities"},
        "limitations": {"size_and_position": SIZE_NOTE,
                        "classes_without_own_shape": "'.' vs the bold dot of BHMSDS's multiplication dot (trained as '.'); ',' vs '''; '-' vs the "
                                                     "bars of '=' and '+'; l vs I vs 1; o vs O vs 0: see look_alikes and case_pairs in the metrics"},
        "data": {
            "root": "../shared/data (see train/SOURCES.md and train/punct/SOURCES.md)",
            "counts_by_source": counts,
            "splits": {
                "emnist-byclass": "train/emnist-packed/emnist-byclass (the ByClass test split, the only ByClass split in the data; shuffled, no "
                                  "writer ids). Hold-out test: the digits and capitals cnn.json's training held out for validation (seeded 10 % of "
                                  "derived/emnist-byclass-test-digits-upper) plus a seeded 10 % of the lower case; validation: a seeded 5 % of the rest; "
                                  "training: the others. The hold-out shares writers with training; the cross-writer sets are the two below.",
                "emnist-balanced-train-tail": "train/emnist-packed/emnist-balanced X_train_103680_to_112799 (9,120, NIST training-partition "
                                              "writers): test only; its merged classes " + BALANCED_MERGED + " accept either case",
                "chars74k": "train/chars74k-hnd-strokes: writers 1-45 (index 0-44 of each class) at pen widths "
                            f"{list(CHARS74K_PEN_WIDTHS)} px for training, writers 46-55 at 6 px for test",
                "punct": "train/punct: UNIPEN by its upstream split lists (trn -> training, val -> validation, tst -> test); CROHME and BHMSDS "
                         "files with sha1(file name) mod 100 < 15 -> test, the rest training; BHMSDS 'dot' (multiplication dot) as '.'",
                "generated": "training only: '@' '&' '*' drawn from jittered construction templates (training/punct_strokes.py)",
            },
            "licences": {
                "emnist": "EMNIST (Cohen et al. 2017, from NIST SD19) via 0r4nd/emnist-packed: none stated",
                "chars74k": "Chars74K EnglishHnd (de Campos et al. 2009) via aparrish/chars74k-json-dump: CC0 code, data under Chars74K's terms "
                            "(research use, with citation)",
                **{f"punct-{k}": v for k, v in PUNCT_SOURCES.items()},
            },
            "preprocessing": "EMNIST and BHMSDS (inverted to white on black first): upsampled x4 bilinear, ink >= 128; UNIPEN and CROHME "
                             "(white on black): ink >= 128; Chars74K and generated strokes: drawn 96 px tall with a round pen; then the normaliser",
        },
        "training": {
            "seed": args.seed, "epochs": result["epochs"], "samples_per_epoch": result["samples"], "batch_size": BATCH_SIZE,
            "optimizer": f"AdamW(weight_decay={WEIGHT_DECAY})", "schedule": f"OneCycleLR(max_lr={result['peak_lr']}, pct_start=0.25)",
            "label_smoothing": LABEL_SMOOTHING, "class_sampling": f"with replacement, class probability proportional to count**{CLASS_TEMPER}",
            "augmentation": result["augment"], "device": "cpu", "threads": args.threads, "seconds": round(result["seconds"], 1),
            "torch": torch.__version__, "python": platform.python_version(),
            "command": args.command,
        },
        "metrics": {"validation": public(metrics["validation"]), "test": {k: public(v) for k, v in metrics["test"].items()}, "fixtures": fixtures},
        "history": result["history"],
        "plots": {"curves": f"{name}-mixed.curves.png", "confusion": f"{name}-mixed.confusion.png", "filters": f"{name}-mixed.filters.png"},
    }
    (out / f"{name}-mixed.json").write_text(json.dumps(card, indent=1) + "\n")


def main() -> None:
    args = parse_args()
    torch.set_num_threads(args.threads)
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.time()
    print(f"data from {DATA_ROOT}", flush=True)
    data = load_all(args.seed)
    print(f"data ready in {time.time() - started:.0f} s: " + ", ".join(f"{k} {len(v.labels)}" for k, v in data.items()), flush=True)
    for name in (["cnn", "mlp"] if args.model == "all" else [args.model]):
        if args.evaluate_only:
            result = cached_result(name, args)
        else:
            result = train_one(name, args, data)
            CACHE_DIR.mkdir(exist_ok=True)
            torch.save(result["model"].state_dict(), CACHE_DIR / f"{name}-mixed.pt")  # first, so a failure below loses no training
        finish(name, result, data, args)


def cached_result(name: str, args: argparse.Namespace) -> dict:
    """The model of the last run (training/.cache/<name>-mixed.pt) and its training record (the card in --out), to evaluate again."""
    card = json.loads((args.out / f"{name}-mixed.json").read_text())
    model = build_model(name, len(CLASSES))
    model.load_state_dict(torch.load(CACHE_DIR / f"{name}-mixed.pt"))
    training = card["training"]
    peak_lr = float(training["schedule"].split("max_lr=")[1].split(",")[0])
    args.command = training["command"]
    return {"model": model.eval(), "history": card["history"], "epochs": training["epochs"], "samples": training["samples_per_epoch"],
            "seconds": training["seconds"], "augment": training["augmentation"], "peak_lr": peak_lr}


def finish(name: str, result: dict, data: dict, args: argparse.Namespace) -> None:
    """Evaluates, exports and writes the card, the plots and (into models/) the fixture references."""
    model = result["model"]
    device = torch.device("cpu")
    metrics = {"validation": mixed_report(predict_probabilities(model, data["validation"].images, device), data["validation"].labels, "validation"),
               "test": {}}
    for test_name in [k for k in data if k.startswith("test-")]:
        metrics["test"][test_name] = mixed_report(predict_probabilities(model, data[test_name].images, device), data[test_name].labels, test_name)
        m = metrics["test"][test_name]
        print(f"[{name}-mixed] {test_name} ({m['count']}): top1 {m['top1']:.4f} top3 {m['top3']:.4f} | "
              + " | ".join(f"{g} {v['top1']:.4f}/{v['top3']:.4f}" for g, v in m["groups"].items()), flush=True)
    export_onnx(model, args.out / f"{name}-mixed.onnx")
    fixtures = None
    if args.out.resolve() == MODELS_DIR.resolve():
        fixtures = write_reference_outputs(name, model, MIXED_FIXTURE_DIR / f"{name}-mixed.reference.json")
        print(f"[{name}-mixed] fixtures: {fixtures}", flush=True)
    plot_curves(args.out / f"{name}-mixed.curves.png", result["history"], f"{name}-mixed: loss and top-1 per epoch")
    holdout = metrics["test"]["test-byclass-holdout"]
    combined = holdout["_matrix"] + metrics["test"]["test-punct"]["_matrix"]
    plot_confusion(args.out / f"{name}-mixed.confusion.png", combined, CLASSES,
                   f"{name}-mixed on the ByClass hold-out ({holdout['count']}) + punct test ({metrics['test']['test-punct']['count']})",
                   figsize=(13, 12.5))
    plot_filters(args.out / f"{name}-mixed.filters.png", model.first_layer_filters().cpu().numpy(), f"{name}-mixed: first-layer filters")
    write_card(name, result, data, metrics, args, args.out, fixtures)
    print(f"[{name}-mixed] wrote {args.out / name}-mixed.onnx/.json/.png after {format_duration(result['seconds'])} of training", flush=True)

if __name__ == "__main__":
    assert len(CLASSES) == 81 and len(PUNCTUATION) == 19
    main()
