"""Photo-domain augmentation of normalised glyph batches, vectorised in torch.

The service's glyphs come from thresholded phone photos: stroke widths vary with the pen and the
threshold, letters are slanted, rotated, squashed and off-centre, edges are blocky or soft. Each
batch is worked on at twice the resolution (56x56) so that erosion and dilation can change the
stroke by half a pixel of the 28x28 result:

1. bilinear upsampling to 56x56;
2. a random affine map per glyph: rotation, shear, independent x/y scale, translation;
3. stroke width: erode or dilate (3x3 or 5x5 grey min/max) or leave;
4. binarisation at a random level (the service thresholds its photos), for some of the glyphs;
5. 2x2 area downsampling back to 28x28 (the normaliser's area filter);
6. Gaussian blur for some glyphs, then Gaussian pixel noise for some, clipped to [0, 1].

A share of every batch is left clean so that the model also sees the normaliser's exact output.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F


@dataclass(frozen=True)
class AugmentSettings:
    clean_fraction: float = 0.15
    max_rotation_degrees: float = 12.0
    max_shear: float = 0.25
    scale_range: tuple[float, float] = (0.82, 1.08)
    max_aspect_jitter: float = 0.12
    max_translation_px: float = 2.0  # in 28x28 pixels
    erode_probability: float = 0.25
    dilate_probability: float = 0.25
    strong_morphology_probability: float = 0.3  # of the eroded/dilated ones: 5x5 instead of 3x3
    binarise_probability: float = 0.5
    threshold_range: tuple[float, float] = (0.3, 0.7)
    blur_probability: float = 0.3
    blur_sigma_range: tuple[float, float] = (0.4, 1.0)
    noise_probability: float = 0.3
    max_noise_sigma: float = 0.08


UPSCALE = 2


def _uniform(count: int, low: float, high: float, generator: torch.Generator, device) -> torch.Tensor:
    return torch.rand(count, generator=generator, device=device) * (high - low) + low


def _chance(count: int, probability: float, generator: torch.Generator, device) -> torch.Tensor:
    """(count, 1, 1, 1) boolean mask, True with ``probability``."""
    return (torch.rand(count, generator=generator, device=device) < probability).view(-1, 1, 1, 1)


def random_affine(images: torch.Tensor, settings: AugmentSettings, generator: torch.Generator) -> torch.Tensor:
    """Rotation, shear, scale and translation per glyph, about the image centre, bilinear, zero fill."""
    count, device = images.shape[0], images.device
    angle = _uniform(count, -1, 1, generator, device) * math.radians(settings.max_rotation_degrees)
    shear = _uniform(count, -settings.max_shear, settings.max_shear, generator, device)
    scale = _uniform(count, *settings.scale_range, generator, device)
    aspect = 1 + _uniform(count, -settings.max_aspect_jitter, settings.max_aspect_jitter, generator, device)
    scale_x, scale_y = scale * aspect.sqrt(), scale / aspect.sqrt()
    # affine_grid maps output coordinates to input ones ([-1, 1] units), so this is the inverse map.
    cos, sin = torch.cos(angle), torch.sin(angle)
    forward = torch.zeros(count, 2, 2, device=device)
    forward[:, 0, 0] = scale_x * (cos - shear * sin)
    forward[:, 0, 1] = scale_y * (-sin + shear * cos)
    forward[:, 1, 0] = scale_x * sin
    forward[:, 1, 1] = scale_y * cos
    inverse = torch.linalg.inv(forward)
    shift = _uniform(2 * count, -1, 1, generator, device).view(count, 2) * (settings.max_translation_px * 2 / 28)
    theta = torch.cat([inverse, -(inverse @ shift.unsqueeze(2))], dim=2)
    grid = F.affine_grid(theta, list(images.shape), align_corners=False)
    return F.grid_sample(images, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


def _dilate(images: torch.Tensor, size: int) -> torch.Tensor:
    return F.max_pool2d(images, size, stride=1, padding=size // 2)


def _erode(images: torch.Tensor, size: int) -> torch.Tensor:
    return -F.max_pool2d(-images, size, stride=1, padding=size // 2)


def random_stroke_width(images: torch.Tensor, settings: AugmentSettings, generator: torch.Generator) -> torch.Tensor:
    count, device = images.shape[0], images.device
    draw = torch.rand(count, generator=generator, device=device).view(-1, 1, 1, 1)
    erode = draw < settings.erode_probability
    dilate = (draw >= settings.erode_probability) & (draw < settings.erode_probability + settings.dilate_probability)
    strong = _chance(count, settings.strong_morphology_probability, generator, device)
    eroded = torch.where(strong, _erode(images, 5), _erode(images, 3))
    dilated = torch.where(strong, _dilate(images, 5), _dilate(images, 3))
    eroded_ok = eroded.flatten(1).amax(1).view(-1, 1, 1, 1) > 0.3  # never erode a glyph away
    return torch.where(erode & eroded_ok, eroded, torch.where(dilate, dilated, images))


def gaussian_blur(images: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
    """Per-glyph separable Gaussian blur, 5 taps, ``sigma`` shaped (N,)."""
    taps = torch.arange(-2, 3, device=images.device, dtype=images.dtype)
    kernel = torch.exp(-(taps.view(1, -1) ** 2) / (2 * sigma.view(-1, 1) ** 2))
    kernel = kernel / kernel.sum(1, keepdim=True)
    count = images.shape[0]
    grouped = images.view(1, count, *images.shape[2:])
    horizontal = F.conv2d(grouped, kernel.view(count, 1, 1, 5), padding=(0, 2), groups=count)
    vertical = F.conv2d(horizontal, kernel.view(count, 1, 5, 1), padding=(2, 0), groups=count)
    return vertical.view_as(images)


def augment(images: torch.Tensor, settings: AugmentSettings, generator: torch.Generator) -> torch.Tensor:
    """(N, 1, 28, 28) glyphs in [0, 1] to augmented glyphs of the same shape (see the module docstring)."""
    count, device = images.shape[0], images.device
    large = F.interpolate(images, scale_factor=UPSCALE, mode="bilinear", align_corners=False)
    large = random_affine(large, settings, generator)
    large = random_stroke_width(large, settings, generator)
    threshold = _uniform(count, *settings.threshold_range, generator, device).view(-1, 1, 1, 1)
    binarise = _chance(count, settings.binarise_probability, generator, device)
    large = torch.where(binarise, (large >= threshold).to(large.dtype), large)
    small = F.avg_pool2d(large, UPSCALE)
    sigma = _uniform(count, *settings.blur_sigma_range, generator, device)
    small = torch.where(_chance(count, settings.blur_probability, generator, device), gaussian_blur(small, sigma), small)
    noise_sigma = _uniform(count, 0, settings.max_noise_sigma, generator, device).view(-1, 1, 1, 1)
    noisy = small + torch.randn(small.shape, generator=generator, device=device) * noise_sigma
    small = torch.where(_chance(count, settings.noise_probability, generator, device), noisy, small).clamp(0, 1)
    return torch.where(_chance(count, settings.clean_fraction, generator, device), images, small)
