"""Two judges at once, and the quality scores an MNIST run records at each of its snapshots.

One judge is not enough to trust a number: a generator can learn the quirks of the
classifier that scores it. `judge_generator` draws one set of samples and lets both shipped
classifiers (judge A and judge B, `classifier.py`) score it; `JudgedScores` then reports every
figure as the lower (stricter) of the two, and how far the judges disagree.

`SnapshotJudge` is what a training run calls at each snapshot (`train.loop.train(judge=...)`,
wired in by the worker): it returns the quality metrics below, which land in the run's
metric series and final metrics. Scoring must cost at most 5% of a run (about a second per
1,000 samples for both judges on one CPU core), so intermediate snapshots score
`INTERMEDIATE_PER_CLASS` samples per digit (200 in all) and the last one `FINAL_PER_CLASS`
(2,000 in all); `benchmarks/quality.py` and `gan-explorer score` judge 1,000 per digit, the count
the project's bars are stated for. The final count is what the run's verdict reads, so it must
not be so small that chance decides it: a digit recognised 97% of the time shows as 94% in 50
samples often enough that the worst of ten digits fell under the 95% bar for a run that clears
97% on 1,000 per digit (`mnist-cgan` seed 0: worst digit 94.0% on 50 per digit, 96.5-97.0% on
200, 96.9-97.3% on 1,000, over three sets of latents), and diversity moves with it. The
Fréchet distance of a smaller set is biased upwards, so a run's values read a little worse
than a benchmark's. The metrics:

- `digits_produced` (0-10): conditional, digits recognised in most samples asked for them;
  unconditional, digits that are at least 2% of the samples;
- conditional: `accuracy_0` ... `accuracy_9` and their minimum `min_accuracy`;
- unconditional: the digit histogram `share_0` ... `share_9` and its minimum `min_share`;
- `diversity_ratio`: within-class diversity over real digits', the lowest over the produced
  digits (0 when none is);
- `frechet` and `frechet_floor`: judge A's Fréchet distance to real digits and its real-vs-real
  floor; `frechet_ratio`: the larger of the two judges' distance over floor (1 = as close as
  two sets of real digits);
- `judge_disagreement`: the largest difference between the judges' per-digit accuracy
  (conditional) or share (unconditional);
- `quality_seconds` (cumulative time spent scoring in this run) and `quality_samples`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from torch import nn

from gan_engine.config import RunConfig
from gan_engine.data import NUM_CLASSES
from gan_engine.judge.classifier import CLASSIFIER_PATH, SECOND_CLASSIFIER_PATH, Classifier, load_classifier
from gan_engine.judge.evaluation import SCORE_GROUPS, GeneratorScores, draw_digits, read_scores, score_images
from gan_engine.judge.verdict import MIN_ACCURACY, MIN_DIVERSITY_RATIO, MIN_SHARE, PRODUCED_ACCURACY, PRODUCED_SHARE

JUDGE_PATHS = (CLASSIFIER_PATH, SECOND_CLASSIFIER_PATH)
INTERMEDIATE_PER_CLASS = 20
FINAL_PER_CLASS = 200
SNAPSHOT_SEED = 0   # the latents every snapshot is judged on (fixed, so snapshots are comparable)


def load_judges(paths: Sequence[str | Path] | None = None) -> tuple[Classifier, ...]:
    """The judges (default: the two shipped classifiers, A then B); DataError names a missing file."""
    return tuple(load_classifier(path) for path in (paths or JUDGE_PATHS))


@dataclass(frozen=True)
class JudgedScores:
    """The same samples scored by every judge; properties give the stricter judge's figures.

    `scores[i]` is judge `names[i]`'s `GeneratorScores`. Arrays are (10,), one entry per digit.
    """

    names: tuple[str, ...]
    scores: tuple[GeneratorScores, ...]

    @property
    def conditional(self) -> bool:
        return self.scores[0].conditional

    @property
    def samples(self) -> int:
        return self.scores[0].samples_per_class * NUM_CLASSES

    def _lowest(self, arrays: list[np.ndarray]) -> np.ndarray:
        stacked = np.stack(arrays)                                            # (judges, 10)
        lowest = np.full(stacked.shape[1], np.nan)
        known = ~np.all(np.isnan(stacked), axis=0)
        lowest[known] = np.nanmin(stacked[:, known], axis=0)
        return lowest

    @property
    def accuracy(self) -> np.ndarray:
        """Per requested digit, the lower judge's recognition rate (NaN for unconditional runs)."""
        return self._lowest([s.accuracy for s in self.scores])

    @property
    def real_accuracy(self) -> np.ndarray:
        """Per digit, the lower judge's accuracy on real digits it never trained on (its own yardstick)."""
        return self._lowest([s.real_accuracy for s in self.scores])

    @property
    def share(self) -> np.ndarray:
        """Per digit, the lower judge's share of the samples classified as that digit."""
        return self._lowest([s.histogram for s in self.scores])

    @property
    def diversity_ratio(self) -> np.ndarray:
        """Per digit, the lower judge's within-class diversity over real digits' (NaN: < 2 samples)."""
        return self._lowest([s.diversity_ratio for s in self.scores])

    @property
    def produced(self) -> np.ndarray:
        """bool (10,): the digits the generator produces (see the module's `digits_produced`)."""
        if self.conditional:
            return np.nan_to_num(self.accuracy) >= PRODUCED_ACCURACY
        return self.share >= PRODUCED_SHARE

    @property
    def min_diversity_ratio(self) -> float:
        """The lowest diversity ratio over the produced digits; 0 when none is produced."""
        ratios = self.diversity_ratio[self.produced]
        ratios = ratios[np.isfinite(ratios)]
        return float(ratios.min()) if len(ratios) else 0.0

    @property
    def frechet_ratio(self) -> float:
        """The larger of the judges' Fréchet distance over its real-vs-real floor."""
        return max(s.frechet / s.frechet_floor for s in self.scores)

    @property
    def disagreement(self) -> np.ndarray:
        """Per digit, the largest difference between two judges' accuracy (conditional) or share."""
        arrays = np.stack([s.accuracy if self.conditional else s.histogram for s in self.scores])
        return np.nan_to_num(arrays.max(axis=0) - arrays.min(axis=0))

    def meets(self, min_accuracy: float = MIN_ACCURACY, min_diversity_ratio: float = MIN_DIVERSITY_RATIO,
              min_share: float = MIN_SHARE) -> bool:
        """Whether every digit clears the bars by every judge (accuracy or share, and diversity)."""
        per_digit = self.accuracy if self.conditional else self.share
        return (bool(np.all(np.nan_to_num(per_digit) >= (min_accuracy if self.conditional else min_share)))
                and bool(self.produced.all()) and self.min_diversity_ratio >= min_diversity_ratio)


def judge_generator(generator: nn.Module, latent_dim: int, judges: Sequence[Classifier],
                    per_class: int = 1000, seed: int = 0) -> JudgedScores:
    """Draw 10 * `per_class` samples once and score them with every judge."""
    images, requested = draw_digits(generator, latent_dim, per_class, seed)
    return JudgedScores(tuple(judge.name for judge in judges),
                        tuple(score_images(images, requested, judge) for judge in judges))


def read_judged(path: str | Path) -> tuple[JudgedScores, dict[str, float]] | None:
    """The scores the judges recorded in a generator's file (`score --write`), and each judge's
    held-out accuracy by name; None when none is recorded. A file scored before the second
    judge existed gives judge A's alone. DataError when recorded scores are damaged."""
    found = [(name, recorded) for name in SCORE_GROUPS if (recorded := read_scores(path, name)) is not None]
    if not found:
        return None
    return (JudgedScores(tuple(name for name, _ in found), tuple(scores for _, (scores, _) in found)),
            {name: float(attrs["classifier_accuracy"]) for name, (_, attrs) in found})


def quality_metrics(judged: JudgedScores) -> dict[str, float]:
    """The metrics a run records at a snapshot (names in the module docstring), as plain floats."""
    first = judged.scores[0]
    metrics = {"digits_produced": float(judged.produced.sum()), "diversity_ratio": judged.min_diversity_ratio,
               "frechet": first.frechet, "frechet_floor": first.frechet_floor,
               "frechet_ratio": judged.frechet_ratio, "judge_disagreement": float(judged.disagreement.max())}
    per_digit, name = (judged.accuracy, "accuracy") if judged.conditional else (judged.share, "share")
    metrics[f"min_{name}"] = float(np.nanmin(per_digit))
    metrics.update({f"{name}_{digit}": float(value) for digit, value in enumerate(per_digit)})
    return metrics


class SnapshotJudge:
    """Called by the training loop at each snapshot of an MNIST run: `judge(generator, final)` -> metrics.

    Scores `INTERMEDIATE_PER_CLASS` samples per digit, or `FINAL_PER_CLASS` at the last
    snapshot, from fixed latents; never touches torch's global random state, so a run trains
    the same with or without it. Adds `quality_seconds`, the time spent so far.
    """

    def __init__(self, judges: Sequence[Classifier], latent_dim: int,
                 per_class: tuple[int, int] = (INTERMEDIATE_PER_CLASS, FINAL_PER_CLASS),
                 seed: int = SNAPSHOT_SEED) -> None:
        self.judges, self.latent_dim, self.per_class, self.seed = tuple(judges), latent_dim, per_class, seed
        self.seconds = 0.0

    def __call__(self, generator: nn.Module, final: bool) -> dict[str, float]:
        started = time.perf_counter()
        per_class = self.per_class[1] if final else self.per_class[0]
        judged = judge_generator(generator, self.latent_dim, self.judges, per_class, self.seed)
        metrics = quality_metrics(judged)
        self.seconds += time.perf_counter() - started
        return {**metrics, "quality_seconds": self.seconds, "quality_samples": float(judged.samples)}


def snapshot_judge(config: RunConfig, judges: Sequence[Classifier] | None = None) -> SnapshotJudge | None:
    """The snapshot judge for a run of `config`: None unless it draws MNIST digits.

    Loads the shipped judges unless `judges` are given; DataError when a file is missing.
    """
    if config.target != "mnist":
        return None
    return SnapshotJudge(judges if judges is not None else load_judges(), config.latent_dim)


def print_judged(judged: JudgedScores) -> None:
    """The stricter judge's figures per digit, and where the judges disagree, for the command line."""
    kind = "accuracy" if judged.conditional else "share"
    per_digit = judged.accuracy if judged.conditional else judged.share
    print(f"digit  lower {kind}  lower diversity ratio  disagreement")
    for digit in range(NUM_CLASSES):
        print(f"{digit:>5}  {per_digit[digit]:14.3f}  {judged.diversity_ratio[digit]:21.2f}  "
              f"{judged.disagreement[digit]:12.3f}")
    print(f"digits produced {int(judged.produced.sum())} of {NUM_CLASSES}; lowest diversity ratio "
          f"{judged.min_diversity_ratio:.2f}; Fréchet ratio (worse judge) {judged.frechet_ratio:.2f}; "
          f"meets the bars by every judge: {judged.meets()}")
