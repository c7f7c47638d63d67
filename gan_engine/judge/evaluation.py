"""Judging a generator: draw digits from it, classify them, score them, record the scores.

Scores (from the classifier's 128-dimensional penultimate features or its predicted class):
accuracy of conditional samples (the fraction classified as the digit asked for); the class
histogram of unconditional samples (mode collapse shows as missing bars); within-class
diversity against real digits'; the Fréchet distance against its real-data floor.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np
from torch import nn

from gan_engine.data import NUM_CLASSES
from gan_engine.errors import DataError
from gan_engine.judge import sampling
from gan_engine.judge.classifier import Classifier, classify, plain
from gan_engine.judge.scores import (class_histogram, feature_stats, frechet_distance, per_class_accuracy,
                                     within_class_diversity)


# ---- scoring -------------------------------------------------------------------

@dataclass(frozen=True)
class GeneratorScores:
    """What the classifier says about a generator's samples.

    `accuracy` (10,) is per requested digit (conditional generators; NaN otherwise).
    `histogram` (10,) is the fraction of samples classified as each digit.
    `diversity` (10,) is within-class diversity, classes being the requested digit
    (conditional) or the predicted one (unconditional). The `real_*` arrays (10,) are the
    same scores for real held-out digits (accuracy: the classifier's own, per digit;
    histogram: the digits' share of the held-out part). `frechet` compares
    `frechet_samples` samples with real half B; `frechet_floor` is real half A against
    real half B (same sizes).
    """

    conditional: bool
    samples_per_class: int
    accuracy: np.ndarray
    histogram: np.ndarray
    diversity: np.ndarray
    real_accuracy: np.ndarray
    real_histogram: np.ndarray
    real_diversity: np.ndarray
    frechet: float
    frechet_floor: float
    frechet_samples: int

    @property
    def diversity_ratio(self) -> np.ndarray:
        """Generated over real within-class diversity, per class (1 = as varied as real digits)."""
        return self.diversity / self.real_diversity

    def meets(self, min_accuracy: float = 0.95, min_diversity_ratio: float = 0.8) -> bool:
        """Whether every class reaches both bars (accuracy only counts for conditional models)."""
        ok_diversity = bool(np.all(np.nan_to_num(self.diversity_ratio) >= min_diversity_ratio))
        return ok_diversity and (not self.conditional or bool(np.all(self.accuracy >= min_accuracy)))


def draw_digits(generator: nn.Module, latent_dim: int, per_class: int = 1000,
                seed: int = 0) -> tuple[np.ndarray, np.ndarray | None]:
    """The samples a generator is judged on: (images (10 * per_class, 28, 28), requested digits or None).

    Conditional generators draw `per_class` of each digit (the same latents for every
    digit); unconditional ones 10 * `per_class` from the latents of `seed`. DataError when
    the generator does not draw 28x28 grey images.
    """
    if sampling.is_conditional(generator):
        images, requested = sampling.conditional_samples(generator, latent_dim, list(range(NUM_CLASSES)),
                                                         per_class, seed)
    else:
        images, requested = sampling.unconditional_samples(generator, latent_dim, NUM_CLASSES * per_class, seed), None
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise DataError(f"The digit classifier can only judge 28x28 grey images; this generator makes {images.shape[1:]}.")
    return images, requested


def score_images(images: np.ndarray, requested: np.ndarray | None, classifier: Classifier) -> GeneratorScores:
    """One judge's scores of generated digits (N, 28, 28), asked for `requested` (N,) or unconditional."""
    predictions, features = classify(classifier.model, images)
    groups = requested if requested is not None else predictions
    n_half = int(classifier.info["frechet_half_size"])
    # an evenly spread subset of the samples, the size of one real half, for the Fréchet distance
    subset = np.linspace(0, len(images) - 1, min(n_half, len(images))).astype(int)
    mean, cov = feature_stats(features[subset])
    ref = classifier.reference
    return GeneratorScores(
        conditional=requested is not None,
        samples_per_class=len(images) // NUM_CLASSES,
        accuracy=per_class_accuracy(predictions, requested) if requested is not None else np.full(NUM_CLASSES, np.nan),
        histogram=class_histogram(predictions),
        diversity=within_class_diversity(features, groups),
        real_accuracy=np.asarray(ref["per_class_accuracy"], dtype=np.float64),
        real_histogram=np.asarray(ref["class_fractions"], dtype=np.float64),
        real_diversity=np.asarray(ref["diversity"], dtype=np.float64),
        frechet=frechet_distance(mean, cov, ref["mean_b"], ref["cov_b"]),
        frechet_floor=float(classifier.info["frechet_floor"]),
        frechet_samples=len(subset),
    )


def score_generator(generator: nn.Module, latent_dim: int, classifier: Classifier,
                    per_class: int = 1000, seed: int = 0) -> GeneratorScores:
    """Draw 10 * `per_class` samples (per digit for conditional models) and score them.

    The generator must produce 28x28 grey images. Costs about a second per 1,000 samples
    on one CPU core.
    """
    images, requested = draw_digits(generator, latent_dim, per_class, seed)
    return score_images(images, requested, classifier)


_SCORE_ARRAYS = ("accuracy", "histogram", "diversity", "real_accuracy", "real_histogram", "real_diversity")
# the group each judge's scores are recorded in ("evaluation" predates the second judge)
SCORE_GROUPS = {"A": "evaluation", "B": "evaluation_b"}


def write_scores(path: str | Path, scores: GeneratorScores, classifier: Classifier, command: str = "") -> None:
    """Record `scores` (and the judging classifier's held-out accuracy) in the HDF5 file at
    `path`, in the judge's group (`SCORE_GROUPS`: "evaluation" for judge A), replacing earlier ones.

    The file is copied, amended and moved back over the original, so an interrupted write
    leaves the previous file intact.
    """
    path = Path(path)
    partial = path.with_name(path.name + ".scoring")
    shutil.copy2(path, partial)
    try:
        with h5py.File(partial, "a") as f:
            name = SCORE_GROUPS[classifier.name]
            if name in f:
                del f[name]
            group = f.create_group(name)
            for name in _SCORE_ARRAYS:
                group.create_dataset(name, data=np.asarray(getattr(scores, name), dtype=np.float64))
            group.attrs.update(conditional=scores.conditional, samples_per_class=scores.samples_per_class,
                               frechet=scores.frechet, frechet_floor=scores.frechet_floor,
                               frechet_samples=scores.frechet_samples, command=command,
                               classifier_accuracy=float(classifier.info["holdout_accuracy"]))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def read_scores(path: str | Path, judge: str = "A") -> tuple[GeneratorScores, dict] | None:
    """The scores judge `judge` ("A" or "B") recorded in the file at `path` and their attributes,
    or None if it has none.

    Raises DataError when the file cannot be read or its scores are damaged.
    """
    damaged = f"The evaluation recorded in {Path(path).name} is damaged"
    try:
        with h5py.File(path, "r", locking=False) as f:
            if SCORE_GROUPS[judge] not in f:
                return None
            group = f[SCORE_GROUPS[judge]]
            attrs = {name: plain(value) for name, value in group.attrs.items()}
            arrays = {name: np.asarray(group[name][()], dtype=np.float64) for name in _SCORE_ARRAYS}
        scores = GeneratorScores(conditional=bool(attrs["conditional"]),
                                 samples_per_class=int(attrs["samples_per_class"]), frechet=float(attrs["frechet"]),
                                 frechet_floor=float(attrs["frechet_floor"]),
                                 frechet_samples=int(attrs["frechet_samples"]), **arrays)
    except (OSError, KeyError, ValueError, TypeError) as error:
        raise DataError(f"{damaged} ({type(error).__name__}: {error}).") from None
    if any(a.shape != (NUM_CLASSES,) for a in arrays.values()):
        raise DataError(f"{damaged} (wrong array shapes).")
    return scores, attrs


def print_scores(scores: GeneratorScores) -> None:
    print("digit  accuracy  real_acc  diversity  real_div  ratio  share")
    for c in range(NUM_CLASSES):
        print(f"{c:>5}  {scores.accuracy[c]:8.3f}  {scores.real_accuracy[c]:8.3f}  {scores.diversity[c]:9.2f}"
              f"  {scores.real_diversity[c]:8.2f}  {scores.diversity_ratio[c]:5.2f}  {scores.histogram[c]:5.3f}")
    print(f"Fréchet distance {scores.frechet:.2f} on {scores.frechet_samples} samples "
          f"(real-vs-real floor {scores.frechet_floor:.2f}); meets the bars (95% accuracy, 80% diversity): "
          f"{scores.meets()}")
