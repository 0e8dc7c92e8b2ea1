"""Accuracy figures for a model's predictions: top-k, per class, confusion matrix, confused pairs."""
from __future__ import annotations

import numpy as np
import torch

PREDICT_BATCH = 1024
CONFUSED_PAIRS = 12


@torch.no_grad()
def predict_probabilities(model: torch.nn.Module, images: np.ndarray, device: torch.device) -> np.ndarray:
    """Softmax probabilities (N, classes) for (N, 28, 28) float32 images, in eval mode."""
    model.eval()
    out = []
    for start in range(0, len(images), PREDICT_BATCH):
        batch = torch.from_numpy(np.ascontiguousarray(images[start:start + PREDICT_BATCH])).unsqueeze(1).to(device)
        out.append(torch.softmax(model(batch).float(), dim=1).cpu().numpy())
    return np.concatenate(out) if out else np.zeros((0, 0), dtype=np.float32)


def top_k_accuracy(probabilities: np.ndarray, targets: np.ndarray, k: int) -> float:
    """Share of rows whose target is among the k most probable classes (ties broken by index, as argsort)."""
    top = np.argsort(-probabilities, axis=1, kind="stable")[:, :k]
    return float((top == targets[:, None]).any(axis=1).mean())


def confusion_matrix(predicted: np.ndarray, targets: np.ndarray, classes: int) -> np.ndarray:
    """(true, predicted) counts."""
    return np.bincount(targets * classes + predicted, minlength=classes * classes).reshape(classes, classes)


def report(probabilities: np.ndarray, targets: np.ndarray, classes: list[str]) -> dict:
    """Top-1/top-3 accuracy, per-class top-1 (classes present only), the most confused pairs, the confusion matrix."""
    predicted = probabilities.argmax(axis=1)
    matrix = confusion_matrix(predicted, targets, len(classes))
    per_class = {classes[c]: round(float(matrix[c, c] / matrix[c].sum()), 4) for c in range(len(classes)) if matrix[c].sum() > 0}
    off_diagonal = matrix.copy()
    np.fill_diagonal(off_diagonal, 0)
    order = np.argsort(-off_diagonal, axis=None, kind="stable")[:CONFUSED_PAIRS]
    confused = [
        {"true": classes[i // len(classes)], "predicted": classes[i % len(classes)], "count": int(off_diagonal.flat[i])}
        for i in order if off_diagonal.flat[i] > 0
    ]
    return {
        "count": int(len(targets)),
        "top1": round(top_k_accuracy(probabilities, targets, 1), 4),
        "top3": round(top_k_accuracy(probabilities, targets, 3), 4),
        "per_class_top1": per_class,
        "most_confused": confused,
        "_matrix": matrix,
    }
