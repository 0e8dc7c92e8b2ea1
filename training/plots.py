"""PNG plots for the model card: training curves, test confusion matrix, first-layer filters."""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

DPI = 80


def plot_curves(path: Path, history: list[dict], title: str) -> None:
    epochs = [h["epoch"] for h in history]
    fig, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(9, 3.4))
    loss_ax.plot(epochs, [h["train_loss"] for h in history], "o-", label="training (augmented, label smoothing 0.1)")
    loss_ax.plot(epochs, [h["validation_loss"] for h in history], "o-", label="validation")
    loss_ax.set_xticks(epochs), acc_ax.set_xticks(epochs)
    loss_ax.set_xlabel("epoch"), loss_ax.set_ylabel("cross-entropy"), loss_ax.legend(), loss_ax.grid(alpha=0.3)
    acc_ax.plot(epochs, [h["train_top1"] for h in history], "o-", label="training (augmented, label smoothing 0.1)")
    acc_ax.plot(epochs, [h["validation_top1"] for h in history], "o-", label="validation")
    acc_ax.set_xlabel("epoch"), acc_ax.set_ylabel("top-1 accuracy"), acc_ax.legend(), acc_ax.grid(alpha=0.3)
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)


def plot_confusion(path: Path, matrix: np.ndarray, classes: list[str], title: str, figsize: tuple[float, float] = (8, 7.5)) -> None:
    """Row-normalised confusion matrix (true rows, predicted columns), counts of errors written in."""
    rows = matrix / np.maximum(1, matrix.sum(axis=1, keepdims=True))
    fig, ax = plt.subplots(figsize=figsize)
    ax.imshow(np.sqrt(rows), cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(classes)), classes, fontsize=7)
    ax.set_yticks(range(len(classes)), classes, fontsize=7)
    ax.set_xlabel("predicted"), ax.set_ylabel("true")
    for t, p in zip(*np.nonzero(matrix)):
        if t != p:
            ax.text(p, t, str(matrix[t, p]), ha="center", va="center", fontsize=5, color="crimson")
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)


def plot_filters(path: Path, filters: np.ndarray, title: str) -> None:
    """First-layer weights (count, 1, h, w) as a grid, each scaled symmetrically around zero."""
    count = filters.shape[0]
    columns = 16 if count > 16 else count
    rows = (count + columns - 1) // columns
    fig, axes = plt.subplots(rows, columns, figsize=(columns * 0.6, rows * 0.6 + 0.4), squeeze=False)
    for k, ax in enumerate(axes.flat):
        ax.axis("off")
        if k < count:
            weights = filters[k, 0]
            bound = np.abs(weights).max() or 1.0
            ax.imshow(weights, cmap="RdBu_r", vmin=-bound, vmax=bound)
    fig.suptitle(title, fontsize=9)
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
