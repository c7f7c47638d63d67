"""The scoring maths of generated digits, on a classifier's features (NumPy only).

- within-class diversity: the mean Euclidean distance between the features of two
  different images of the same class; a collapsed generator that draws one "7" for every z
  scores near 0, and real digits set the bar;
- class histogram and per-class accuracy of predicted classes;
- Fréchet distance between Gaussian fits of two feature sets (the FID recipe); the
  distance between two disjoint halves of real digits is its noise floor.
"""

from __future__ import annotations

import numpy as np

from gan_engine.data import NUM_CLASSES
from gan_engine.errors import DataError


def as_batch(images: np.ndarray) -> np.ndarray:
    """(N, 28, 28) digits as float32 in [0, 1] (uint8 0..255 is rescaled); DataError otherwise."""
    images = np.asarray(images)
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise DataError(f"The classifier scores 28x28 grey digits, shape (N, 28, 28); got {images.shape}.")
    return images.astype(np.float32) / 255.0 if images.dtype == np.uint8 else images.astype(np.float32)


def mean_pairwise_distance(features: np.ndarray) -> float:
    """Mean Euclidean distance over all pairs i < j of rows of (N, D); NaN when N < 2."""
    x = np.asarray(features, dtype=np.float64)
    n = len(x)
    if n < 2:
        return float("nan")
    squared = np.sum(x * x, axis=1)
    d2 = squared[:, None] + squared[None, :] - 2.0 * (x @ x.T)
    distances = np.sqrt(np.clip(d2, 0.0, None))    # clip: rounding can give tiny negatives
    return float(distances[np.triu_indices(n, 1)].mean())


def within_class_diversity(features: np.ndarray, labels: np.ndarray,
                           num_classes: int = NUM_CLASSES) -> np.ndarray:
    """Mean pairwise feature distance inside each class: (num_classes,), NaN for classes with < 2."""
    labels = np.asarray(labels)
    return np.array([mean_pairwise_distance(features[labels == c]) for c in range(num_classes)])


def class_histogram(predictions: np.ndarray, num_classes: int = NUM_CLASSES) -> np.ndarray:
    """Fraction of predictions in each class: float (num_classes,), sums to 1 (zeros if empty)."""
    counts = np.bincount(np.asarray(predictions, dtype=np.int64), minlength=num_classes)[:num_classes]
    return counts / max(counts.sum(), 1)


def per_class_accuracy(predictions: np.ndarray, requested: np.ndarray,
                       num_classes: int = NUM_CLASSES) -> np.ndarray:
    """For each class c, the fraction of samples asked to be c that were classified as c (NaN if none)."""
    predictions, requested = np.asarray(predictions), np.asarray(requested)
    return np.array([np.mean(predictions[requested == c] == c) if np.any(requested == c) else np.nan
                     for c in range(num_classes)])


def feature_stats(features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean (D,) and unbiased covariance (D, D) of feature rows (N, D), float64."""
    x = np.asarray(features, dtype=np.float64)
    if len(x) < 2:
        raise DataError("A Fréchet distance needs at least two images on each side.")
    return x.mean(axis=0), np.cov(x, rowvar=False)


def _sqrt_psd(matrix: np.ndarray) -> np.ndarray:
    values, vectors = np.linalg.eigh((matrix + matrix.T) / 2.0)
    return (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T


def frechet_distance(mean1: np.ndarray, cov1: np.ndarray, mean2: np.ndarray, cov2: np.ndarray) -> float:
    """Squared Fréchet (2-Wasserstein) distance between N(mean1, cov1) and N(mean2, cov2).

    ‖μ1 − μ2‖² + Tr(Σ1 + Σ2 − 2 (Σ1 Σ2)^½). The trace of (Σ1 Σ2)^½ equals that of the
    symmetric (Σ1^½ Σ2 Σ1^½)^½, whose eigenvalues are real and non-negative, which keeps
    the computation stable without a general matrix square root.
    """
    root1 = _sqrt_psd(cov1)
    middle = np.linalg.eigvalsh(root1 @ cov2 @ root1)
    trace_sqrt = np.sum(np.sqrt(np.clip(middle, 0.0, None)))
    diff = np.asarray(mean1) - np.asarray(mean2)
    return float(max(diff @ diff + np.trace(cov1) + np.trace(cov2) - 2.0 * trace_sqrt, 0.0))


def nearest_images(samples: np.ndarray, pool: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each sample, the index in `pool` of the closest image and its distance.

    Both are (N, H, W) in [0, 1] (uint8 is rescaled). Distance: root-mean-square pixel
    difference, in [0, 1], so it does not depend on the image size.
    Returns (indices int64 (M,), distances float (M,)).
    """
    a = as_batch(samples).reshape(len(samples), -1).astype(np.float64)
    b = as_batch(pool).reshape(len(pool), -1).astype(np.float64)
    if len(b) == 0:
        raise DataError("There are no training images to compare with.")
    d2 = np.sum(a * a, 1)[:, None] + np.sum(b * b, 1)[None, :] - 2.0 * (a @ b.T)
    index = np.argmin(d2, axis=1)
    distance = np.sqrt(np.clip(d2[np.arange(len(a)), index], 0.0, None) / a.shape[1])
    return index.astype(np.int64), distance
