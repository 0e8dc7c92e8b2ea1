"""Trains the glyph classifiers from scratch and writes everything the service ships.

    nice -n 10 /usr/bin/python3 training/train.py            # both models: cnn, then mlp
    /usr/bin/python3 training/train.py --model cnn --epochs 2 --out /tmp/try   # a quick try

For each model it writes to ``--out`` (default ``models/``): ``<name>.onnx`` (input ``glyphs``
(N, 1, 28, 28) float32, output ``logits`` (N, classes), dynamic batch axis), ``<name>.json`` (the
model card), ``<name>.curves.png``, ``<name>.confusion.png``, ``<name>.filters.png``; and, when
writing to ``models/``, ``fixtures/glyphs/<name>.reference.json`` (PyTorch outputs on the
committed glyph fixtures, for the Node tests). Uses CUDA when it is there, else the CPU.
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

import normalize
from augment import AugmentSettings, augment
from data import DATA_ROOT
from dataset import CACHE_DIR, CHARS74K_PEN_WIDTHS, LOWER_CASE_ALIASES, load_chars74k, load_emnist_train, load_test_sets, train_validation_split
from evaluate import predict_probabilities, report
from make_fixtures import FIXTURE_DIR, load_fixtures
from models import ARCHITECTURES, build_model, count_parameters
from plots import plot_confusion, plot_curves, plot_filters

REPO_ROOT = Path(__file__).resolve().parent.parent
MODELS_DIR = REPO_ROOT / "models"
CLASSES = [chr(c) for c in range(ord("0"), ord("9") + 1)] + [chr(c) for c in range(ord("A"), ord("Z") + 1)]
DEFAULT_EPOCHS = {"cnn": 8, "cnn-small": 8, "mlp": 8}
DEFAULT_PEAK_LR = {"cnn": 3e-3, "cnn-small": 3e-3, "mlp": 1e-2}
BATCH_SIZE = 256
WEIGHT_DECAY = 5e-4
LABEL_SMOOTHING = 0.1
# Each class is drawn with probability proportional to count**CLASS_TEMPER: EMNIST has 15 times
# more '1's than 'K's, the test sets are balanced; 0.5 meets them half way.
CLASS_TEMPER = 0.5
ONNX_OPSET = 13
PROGRESS_EVERY = 20
INPUT_NAME, OUTPUT_NAME = "glyphs", "logits"
CARD_FORMAT = 1


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="all", choices=["all", *ARCHITECTURES], help="which model to train; 'all' trains cnn then mlp")
    parser.add_argument("--epochs", type=int, help="epochs (default: cnn 8, mlp 8)")
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--threads", type=int, default=2, help="CPU threads for torch")
    parser.add_argument("--limit", type=int, help="train on the first N training samples only (quick tries)")
    parser.add_argument("--out", type=Path, default=MODELS_DIR, help="where the model files go")
    return parser.parse_args()


def pick_device() -> torch.device:
    return torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")


def format_duration(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def class_indices(labels: np.ndarray) -> np.ndarray:
    lookup = {c: i for i, c in enumerate(CLASSES)}
    return np.array([lookup[c] for c in labels], dtype=np.int64)


def tempered_sample_weights(targets: np.ndarray) -> torch.Tensor:
    """Per-sample weights so that class c is drawn with probability proportional to count_c ** CLASS_TEMPER."""
    counts = np.bincount(targets, minlength=len(CLASSES)).astype(np.float64)
    per_class = np.where(counts > 0, counts ** (CLASS_TEMPER - 1), 0)
    return torch.from_numpy(per_class[targets])


@torch.no_grad()
def evaluate_loss(model, images: torch.Tensor, targets: torch.Tensor) -> tuple[float, float]:
    model.eval()
    loss_sum, correct = 0.0, 0
    for start in range(0, len(images), 1024):
        logits = model(images[start:start + 1024])
        loss_sum += F.cross_entropy(logits, targets[start:start + 1024], reduction="sum").item()
        correct += (logits.argmax(1) == targets[start:start + 1024]).sum().item()
    return loss_sum / len(images), correct / len(images)


def train_one(name: str, args: argparse.Namespace, data: dict, device: torch.device) -> dict:
    torch.manual_seed(args.seed)
    generator = torch.Generator(device=device).manual_seed(args.seed)
    epochs = args.epochs or DEFAULT_EPOCHS[name]
    model = build_model(name, len(CLASSES)).to(device)
    train_images = torch.from_numpy(data["train_images"]).unsqueeze(1).to(device)
    train_targets = torch.from_numpy(data["train_targets"]).to(device)
    val_images = torch.from_numpy(data["validation_images"]).unsqueeze(1).to(device)
    val_targets = torch.from_numpy(data["validation_targets"]).to(device)
    weights = tempered_sample_weights(data["train_targets"]).to(device)
    steps_per_epoch = math.ceil(len(train_images) / BATCH_SIZE)
    optimizer = torch.optim.AdamW(model.parameters(), lr=DEFAULT_PEAK_LR[name], weight_decay=WEIGHT_DECAY)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=DEFAULT_PEAK_LR[name], epochs=epochs, steps_per_epoch=steps_per_epoch, pct_start=0.25)
    settings = AugmentSettings()
    history = []
    started = time.time()
    total_steps = epochs * steps_per_epoch
    print(f"[{name}] {count_parameters(model):,} parameters, {epochs} epochs x {steps_per_epoch} batches of {BATCH_SIZE} on {device}")
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.multinomial(weights, len(train_images), replacement=True, generator=generator)
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
                left = elapsed / done * (total_steps - done)
                print(f"\r[{name}] epoch {epoch}/{epochs} batch {step + 1}/{steps_per_epoch} loss {loss_sum / seen:.4f} "
                      f"acc {correct / seen:.4f} elapsed {format_duration(elapsed)} left ~{format_duration(left)}   ", end="", flush=True)
        val_loss, val_top1 = evaluate_loss(model, val_images, val_targets)
        history.append({"epoch": epoch, "train_loss": round(loss_sum / seen, 5), "train_top1": round(correct / seen, 5),
                        "validation_loss": round(val_loss, 5), "validation_top1": round(val_top1, 5),
                        "learning_rate_end": schedule.get_last_lr()[0], "elapsed_s": round(time.time() - started, 1)})
        print(f"\n[{name}] epoch {epoch}/{epochs} done: train loss {loss_sum / seen:.4f} acc {correct / seen:.4f} | "
              f"validation loss {val_loss:.4f} acc {val_top1:.4f} | {format_duration(time.time() - started)}", flush=True)
    model.eval()
    return {"model": model, "history": history, "epochs": epochs, "seconds": time.time() - started, "augment": asdict(settings),
            "peak_lr": DEFAULT_PEAK_LR[name]}


def export_onnx(model: torch.nn.Module, path: Path) -> None:
    """Classic exporter, opset 13, dynamic batch axis on input and output; runs on the CPU."""
    model = model.to("cpu").eval()
    dummy = torch.zeros(2, 1, 28, 28)
    torch.onnx.export(model, dummy, str(path), input_names=[INPUT_NAME], output_names=[OUTPUT_NAME],
                      dynamic_axes={INPUT_NAME: {0: "batch"}, OUTPUT_NAME: {0: "batch"}}, opset_version=ONNX_OPSET, do_constant_folding=True)


@torch.no_grad()
def write_reference_outputs(name: str, model: torch.nn.Module, path: Path) -> dict:
    """PyTorch logits and softmax on the committed fixtures (their Python-normalised images), for the Node tests."""
    fixtures = load_fixtures()
    inputs = torch.from_numpy(np.stack([f["normalized"] for f in fixtures])).unsqueeze(1)
    logits = model.to("cpu").eval()(inputs)
    probabilities = torch.softmax(logits, 1)
    entries = []
    for fixture, row, prob in zip(fixtures, logits.numpy(), probabilities.numpy()):
        top = np.argsort(-prob, kind="stable")[:3]
        entries.append({"file": fixture["file"], "label": fixture["label"], "logits": [round(float(v), 6) for v in row],
                        "top3": [CLASSES[i] for i in top], "top3_probability": [round(float(prob[i]), 6) for i in top]})
    labelled = [e for e in entries if e["label"] is not None]
    summary = {"top1": round(sum(e["top3"][0] == e["label"] for e in labelled) / len(labelled), 4),
               "top3": round(sum(e["label"] in e["top3"] for e in labelled) / len(labelled), 4), "count": len(labelled)}
    path.write_text(json.dumps({"model": name, "classes": CLASSES, "fixtures": summary, "outputs": entries}, indent=1) + "\n")
    return summary


def architecture_text(model: torch.nn.Module) -> str:
    return " ".join(str(model).split())


def glyph_input_card() -> dict:
    """The card's ``input`` block: the normalised glyph every model of this repository takes."""
    return {
        "name": INPUT_NAME,
        "shape": ["batch", 1, 28, 28],
        "dtype": "float32",
        "range": [0, 1],
        "polarity": "ink high (1 = ink, 0 = paper), EMNIST polarity",
        "normalisation": normalize.__doc__.strip(),
        "normaliser": {"output_size": normalize.OUTPUT_SIZE, "inner_size": normalize.INNER_SIZE,
                       "min_stroke_ratio": normalize.MIN_STROKE_RATIO, "emnist_upsample": normalize.EMNIST_UPSAMPLE,
                       "emnist_ink_level": normalize.EMNIST_INK_LEVEL},
    }


def write_card(name: str, result: dict, data: dict, metrics: dict, args: argparse.Namespace, device: torch.device, out: Path, fixtures: dict | None) -> None:
    model = result["model"]
    card = {
        "format": CARD_FORMAT,
        "name": name,
        "file": f"{name}.onnx",
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "architecture": architecture_text(model),
        "parameters": count_parameters(model),
        "classes": CLASSES,
        "input": glyph_input_card(),
        "output": {"name": OUTPUT_NAME, "shape": ["batch", len(CLASSES)], "kind": "logits", "note": "apply softmax for probabilities"},
        "data": {
            "root": "../shared/data (see its SOURCES.md)",
            "train": data["train_sources"],
            "validation": {"source": "emnist-byclass-test-digits-upper", "count": int(len(data["validation_targets"])),
                           "rule": f"fixed seeded 10 % of the EMNIST training file (numpy default_rng({args.seed}).permutation)"},
            "test": {k: {"source": f"train/derived/{v}", "count": metrics["test"][k]["count"]} for k, v in data["test_files"].items()},
            "preprocessing": "EMNIST: upsampled x4 bilinear, ink >= 128, then the normaliser; Chars74K: strokes drawn "
                             f"{96} px tall with pen widths {list(CHARS74K_PEN_WIDTHS)} px, then the normaliser",
        },
        "training": {
            "seed": args.seed, "epochs": result["epochs"], "batch_size": BATCH_SIZE, "optimizer": f"AdamW(weight_decay={WEIGHT_DECAY})",
            "schedule": f"OneCycleLR(max_lr={result['peak_lr']}, pct_start=0.25)", "label_smoothing": LABEL_SMOOTHING,
            "class_sampling": f"with replacement, class probability proportional to count**{CLASS_TEMPER}",
            "augmentation": result["augment"], "device": str(device), "threads": args.threads,
            "seconds": round(result["seconds"], 1), "torch": torch.__version__, "python": platform.python_version(),
            "command": data["command"],
        },
        "metrics": {
            "validation": {k: v for k, v in metrics["validation"].items() if not k.startswith("_")},
            "test": {k: {kk: vv for kk, vv in v.items() if not kk.startswith("_")} for k, v in metrics["test"].items()},
            "fixtures": fixtures,
        },
        "history": result["history"],
        "plots": {"curves": f"{name}.curves.png", "confusion": f"{name}.confusion.png", "filters": f"{name}.filters.png"},
    }
    (out / f"{name}.json").write_text(json.dumps(card, indent=1) + "\n")


def load_data(args: argparse.Namespace) -> dict:
    started = time.time()
    print(f"data from {DATA_ROOT}")
    emnist = load_emnist_train()
    chars74k = load_chars74k(CLASSES)
    tests = load_test_sets()
    train_index, validation_index = train_validation_split(len(emnist.labels), args.seed)
    if args.limit:
        train_index = train_index[:args.limit]
    train_images = np.concatenate([emnist.images[train_index], chars74k.images])
    train_targets = np.concatenate([class_indices(emnist.labels[train_index]), class_indices(chars74k.labels)])
    print(f"data ready in {time.time() - started:.0f} s: {len(train_targets)} training ({len(train_index)} EMNIST + {len(chars74k.labels)} Chars74K), "
          f"{len(validation_index)} validation, tests {', '.join(f'{k} {len(v.labels)}' for k, v in tests.items())}")
    return {
        "train_images": train_images, "train_targets": train_targets,
        "validation_images": emnist.images[validation_index], "validation_targets": class_indices(emnist.labels[validation_index]),
        "tests": {k: (v.images, class_indices(v.labels)) for k, v in tests.items()},
        "test_files": {"test-unmixed": "emnist-balanced-train-tail-unmixed-{images-idx3,labels-idx1}-ubyte.gz",
                       "test-all": "emnist-balanced-train-tail-digits-upper-{images-idx3,labels-idx1}-ubyte.gz"},
        "train_sources": [
            {"source": "train/derived/emnist-byclass-test-digits-upper-{images-idx3,labels-idx1}-ubyte.gz", "count": int(len(train_index)),
             "note": "90 % of 89,264; the other 10 % is validation"},
            {"source": "train/chars74k-hnd-strokes/char74k.json", "count": int(len(chars74k.labels)),
             "note": f"{len(chars74k.labels) // len(CHARS74K_PEN_WIDTHS)} letterforms (0-9, A-Z, and the lower case of {LOWER_CASE_ALIASES} "
                     f"labelled as the capital; 55 writers) x {len(CHARS74K_PEN_WIDTHS)} pen widths"},
        ],
        "command": " ".join(["/usr/bin/python3", "training/train.py", *(shlex.quote(a) for a in sys.argv[1:])]),
    }


def main() -> None:
    args = parse_args()
    torch.set_num_threads(args.threads)
    device = pick_device()
    args.out.mkdir(parents=True, exist_ok=True)
    data = load_data(args)
    names = ["cnn", "mlp"] if args.model == "all" else [args.model]
    for name in names:
        result = train_one(name, args, data, device)
        model = result["model"]
        metrics = {"validation": report(predict_probabilities(model, data["validation_images"], device), data["validation_targets"], CLASSES), "test": {}}
        for test_name, (images, targets) in data["tests"].items():
            metrics["test"][test_name] = report(predict_probabilities(model, images, device), targets, CLASSES)
        summary = " | ".join(f"{k} top1 {v['top1']:.4f} top3 {v['top3']:.4f}" for k, v in [("validation", metrics["validation"]), *metrics["test"].items()])
        print(f"[{name}] {summary}")
        export_onnx(model, args.out / f"{name}.onnx")
        CACHE_DIR.mkdir(exist_ok=True)
        torch.save(model.state_dict(), CACHE_DIR / f"{name}.pt")  # for measurements; not shipped
        fixtures = None
        if args.out.resolve() == MODELS_DIR.resolve():
            fixtures = write_reference_outputs(name, model, FIXTURE_DIR / f"{name}.reference.json")
            print(f"[{name}] fixtures: {fixtures}")
        plot_curves(args.out / f"{name}.curves.png", result["history"], f"{name}: loss and top-1 per epoch")
        test_all = metrics["test"]["test-all"]
        plot_confusion(args.out / f"{name}.confusion.png", test_all["_matrix"], CLASSES,
                       f"{name} on test-all ({test_all['count']} glyphs, other writers): top-1 {test_all['top1']:.4f}")
        plot_filters(args.out / f"{name}.filters.png", model.first_layer_filters().cpu().numpy(), f"{name}: first-layer filters")
        write_card(name, result, data, metrics, args, device, args.out, fixtures)
        print(f"[{name}] wrote {args.out / name}.onnx/.json/.png in {format_duration(result['seconds'])} of training")


if __name__ == "__main__":
    main()
