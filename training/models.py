"""The classifiers: a small CNN and the seed's one-hidden-layer MLP baseline.

Both take (N, 1, 28, 28) float images in [0, 1] (ink high, from ``normalize_glyph``) and return
logits (N, classes); softmax is applied by the caller.
"""
from __future__ import annotations

import torch
from torch import nn

IMAGE_SIZE = 28


def conv_block(inputs: int, outputs: int) -> list[nn.Module]:
    """3x3 convolution (no bias: batch norm follows), batch norm, ReLU."""
    return [nn.Conv2d(inputs, outputs, 3, padding=1, bias=False), nn.BatchNorm2d(outputs), nn.ReLU(inplace=True)]


class GlyphCnn(nn.Module):
    """Conv(w1) Conv(w1) Pool | Conv(w2) Conv(w2) Pool | Conv(w3) Pool | FC(hidden) | FC(classes), with BN and dropout."""

    def __init__(self, classes: int, widths: tuple[int, int, int] = (32, 64, 128), hidden: int = 256, dropout: float = 0.3):
        super().__init__()
        w1, w2, w3 = widths
        self.features = nn.Sequential(
            *conv_block(1, w1), *conv_block(w1, w1), nn.MaxPool2d(2),  # 28 -> 14
            *conv_block(w1, w2), *conv_block(w2, w2), nn.MaxPool2d(2),  # 14 -> 7
            *conv_block(w2, w3), nn.MaxPool2d(2),  # 7 -> 3
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Dropout(dropout),
            nn.Linear(w3 * 3 * 3, hidden, bias=False),
            nn.BatchNorm1d(hidden),
            nn.ReLU(inplace=True),
            nn.Dropout(dropout),
            nn.Linear(hidden, classes),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.features(x))

    def first_layer_filters(self) -> torch.Tensor:
        return self.features[0].weight.detach()


class GlyphMlp(nn.Module):
    """The seed's baseline: 784 inputs, one hidden layer of 64 sigmoid units, a linear output (softmax outside)."""

    def __init__(self, classes: int, hidden: int = 64):
        super().__init__()
        self.hidden = nn.Linear(IMAGE_SIZE * IMAGE_SIZE, hidden)
        self.output = nn.Linear(hidden, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.output(torch.sigmoid(self.hidden(x.flatten(1))))

    def first_layer_filters(self) -> torch.Tensor:
        return self.hidden.weight.detach().reshape(-1, 1, IMAGE_SIZE, IMAGE_SIZE)


# name -> (constructor, description); the CNN's widths were chosen by measured accuracy against latency.
ARCHITECTURES = {
    "cnn": lambda classes: GlyphCnn(classes, widths=(32, 64, 128), hidden=256),
    "cnn-small": lambda classes: GlyphCnn(classes, widths=(16, 32, 64), hidden=128),
    "mlp": lambda classes: GlyphMlp(classes),
}


def build_model(name: str, classes: int) -> nn.Module:
    if name not in ARCHITECTURES:
        raise ValueError(f"unknown model {name!r}; choose from {sorted(ARCHITECTURES)}")
    return ARCHITECTURES[name](classes)


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
