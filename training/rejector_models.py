"""The rejector's candidates: scores that say whether a normalised glyph is one whole character.

- ``Autoencoder``: the seed homework's fully connected autoencoder (its Q5: 1024 -> 32 -> 32 -> 1024,
  ReLU hidden layers, sigmoid output), here on the 28x28 normalised glyphs, so 784 -> 32 -> 32 -> 784.
  Padding to the homework's 32x32 would only add a border that is always zero.
- ``Pca``: the homework's Q6, the 32 leading principal components of the training glyphs (centred).
- ``ReconstructionRejector``: either of them plus a calibrated score: the reconstruction error (mean
  squared, or relative to the glyph's own energy) mapped to a logit by ``slope * log(error) + intercept``,
  fitted by logistic regression on the validation split. The map is monotonic, so it does not change
  the ROC; it gives all three rejectors the same output: a logit of "is a character".
- The "not a character" classifier is ``models.GlyphCnn`` with one output (binary).

Every rejector takes (N, 1, 28, 28) float32 in [0, 1] (ink high, from ``normalize_glyph``) and
returns logits (N, 1); the reconstruction ones also return the reconstruction (N, 1, 28, 28).
"""
from __future__ import annotations

import torch
from torch import nn

IMAGE_PIXELS = 28 * 28
CODE_SIZE = 32
# Keeps log(error) finite for a perfect reconstruction and the relative error finite for an empty glyph.
ERROR_FLOOR = 1e-6
ENERGY_FLOOR = 1e-3


class Autoencoder(nn.Module):
    """784 -> 32 ReLU -> 32 ReLU -> 784 sigmoid."""

    def __init__(self, code: int = CODE_SIZE):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(IMAGE_PIXELS, code), nn.ReLU(), nn.Linear(code, code), nn.ReLU())
        self.decoder = nn.Sequential(nn.Linear(code, IMAGE_PIXELS), nn.Sigmoid())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decoder(self.encoder(x.flatten(1))).view_as(x)


class Pca(nn.Module):
    """Projection on the leading principal components and back: mean + (x - mean) C^T C."""

    def __init__(self, mean: torch.Tensor, components: torch.Tensor):
        super().__init__()
        self.register_buffer("mean", mean.float().reshape(1, IMAGE_PIXELS))
        self.register_buffer("components", components.float().reshape(-1, IMAGE_PIXELS))

    @staticmethod
    def fit(images: torch.Tensor, count: int = CODE_SIZE) -> "Pca":
        """Principal components of (N, ...) images, from the eigenvectors of their covariance (float64)."""
        flat = images.reshape(len(images), -1).double()
        mean = flat.mean(0)
        centred = flat - mean
        covariance = centred.T @ centred / (len(flat) - 1)
        values, vectors = torch.linalg.eigh(covariance)
        order = torch.argsort(values, descending=True)[:count]
        return Pca(mean, vectors[:, order].T)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        codes = (x.flatten(1) - self.mean) @ self.components.T
        return (codes @ self.components + self.mean).view_as(x)


def reconstruction_error(x: torch.Tensor, reconstruction: torch.Tensor, relative: bool) -> torch.Tensor:
    """Per-glyph mean squared error, divided by the glyph's mean squared value when ``relative``."""
    error = (reconstruction - x).pow(2).flatten(1).mean(1)
    if relative:
        error = error / (x.flatten(1).pow(2).mean(1) + ENERGY_FLOOR)
    return error


class ReconstructionRejector(nn.Module):
    """A reconstruction model with a calibrated output: logit = slope * log(error + floor) + intercept."""

    def __init__(self, model: nn.Module, relative: bool, slope: float, intercept: float):
        super().__init__()
        self.model = model
        self.relative = relative
        self.register_buffer("slope", torch.tensor(float(slope)))
        self.register_buffer("intercept", torch.tensor(float(intercept)))

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        reconstruction = self.model(x)
        error = reconstruction_error(x, reconstruction, self.relative)
        logit = self.slope * torch.log(error + ERROR_FLOOR) + self.intercept
        return logit.unsqueeze(1), reconstruction
