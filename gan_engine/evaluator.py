"""A small MNIST classifier that judges generated digits, and the scores it gives.

The classifier is trained on the training part of a held-out split and its accuracy is
measured on the held-out part, which it never sees; both numbers live in the file's
attributes. The same file carries the reference figures of real held-out digits (their
within-class diversity and penultimate-feature statistics of two disjoint halves), so
generated digits can be compared with real ones without the data set at hand.

Scores (all computed from the classifier's 128-dimensional penultimate features or its
predicted class):

- accuracy of conditional samples: the fraction classified as the digit that was asked for;
- class histogram: which digits unconditional samples fall into (mode collapse shows as
  missing bars);
- within-class diversity: the mean Euclidean distance between the features of two
  different images of the same class. A collapsed generator that draws one "7" for every z
  scores near 0; real digits set the bar;
- Fréchet distance between Gaussian fits of generated and real features (the FID recipe
  on this classifier); the distance between two disjoint halves of the real held-out
  digits is its noise floor, the value a perfect generator would get.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from gan_engine import sampling
from gan_engine.data import holdout_split, load_mnist
from gan_engine.errors import DataError, GanExplorerError
from gan_engine.store import RunStore, open_run

PRETRAINED_DIR = Path(__file__).resolve().parent / "pretrained"
CLASSIFIER_PATH = PRETRAINED_DIR / "mnist-classifier.h5"
CLASSIFIER_KIND = "gan-explorer-mnist-classifier"
CLASSIFIER_FORMAT = 1
NUM_CLASSES = 10
FEATURE_DIM = 128
_BATCH = 1000   # images per classifier forward pass when scoring


class MnistClassifier(nn.Module):
    """Two conv blocks and a 128-unit hidden layer: about 99% on held-out MNIST.

    Input (B, 1, 28, 28) or (B, 28, 28) in [0, 1]; `features` gives the (B, 128)
    penultimate activations, `forward` the (B, 10) class logits.
    """

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, padding=1)    # (B, 32, 28, 28) -> pool (B, 32, 14, 14)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)   # (B, 64, 14, 14) -> pool (B, 64, 7, 7)
        self.hidden = nn.Linear(64 * 7 * 7, FEATURE_DIM)
        self.dropout = nn.Dropout(0.3)
        self.out = nn.Linear(FEATURE_DIM, NUM_CLASSES)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() == 3:
            x = x.unsqueeze(1)
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return F.relu(self.hidden(x.flatten(1)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.out(self.dropout(self.features(x)))


@dataclass(frozen=True)
class Classifier:
    """A loaded classifier file: the network, its attributes and the real-digit reference.

    `reference` holds `diversity` (10,) per-class diversity of real held-out digits,
    `mean_a`/`cov_a` and `mean_b`/`cov_b` (128,)/(128, 128) feature statistics of two
    disjoint halves of them, and `per_class_accuracy` (10,) on the held-out part.
    `info` holds `holdout_accuracy`, `frechet_floor`, split sizes and the command used.
    """

    model: MnistClassifier
    info: dict
    reference: dict[str, np.ndarray]


# ---- scoring primitives --------------------------------------------------------------------

def _as_batch(images: np.ndarray) -> np.ndarray:
    images = np.asarray(images)
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise DataError(f"The classifier scores 28x28 grey digits, shape (N, 28, 28); got {images.shape}.")
    return images.astype(np.float32) / 255.0 if images.dtype == np.uint8 else images.astype(np.float32)


@torch.no_grad()
def classify(model: MnistClassifier, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Predicted classes int64 (N,) and penultimate features float32 (N, 128).

    `images` is (N, 28, 28), uint8 0..255 or float in [0, 1].
    """
    images = _as_batch(images)
    model.eval()
    predictions, features = [], []
    for start in range(0, len(images), _BATCH):
        f = model.features(torch.from_numpy(images[start:start + _BATCH]))
        predictions.append(model.out(f).argmax(1).numpy())
        features.append(f.numpy())
    if not predictions:
        return np.zeros(0, np.int64), np.zeros((0, FEATURE_DIM), np.float32)
    return np.concatenate(predictions).astype(np.int64), np.concatenate(features)


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
    a = _as_batch(samples).reshape(len(samples), -1).astype(np.float64)
    b = _as_batch(pool).reshape(len(pool), -1).astype(np.float64)
    if len(b) == 0:
        raise DataError("There are no training images to compare with.")
    d2 = np.sum(a * a, 1)[:, None] + np.sum(b * b, 1)[None, :] - 2.0 * (a @ b.T)
    index = np.argmin(d2, axis=1)
    distance = np.sqrt(np.clip(d2[np.arange(len(a)), index], 0.0, None) / a.shape[1])
    return index.astype(np.int64), distance


# ---- judging a generator -------------------------------------------------------------------

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


def score_generator(generator: nn.Module, latent_dim: int, classifier: Classifier,
                    per_class: int = 1000, seed: int = 0) -> GeneratorScores:
    """Draw 10 * `per_class` samples (per digit for conditional models) and score them.

    The generator must produce 28x28 grey images. Costs about a second per 1,000 samples
    on one CPU core.
    """
    n_half = int(classifier.info["frechet_half_size"])
    if sampling.is_conditional(generator):
        images, requested = sampling.conditional_samples(generator, latent_dim, list(range(NUM_CLASSES)),
                                                         per_class, seed)
    else:
        images, requested = sampling.unconditional_samples(generator, latent_dim, NUM_CLASSES * per_class, seed), None
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise DataError(f"The digit classifier can only judge 28x28 grey images; this generator makes {images.shape[1:]}.")
    predictions, features = classify(classifier.model, images)
    groups = requested if requested is not None else predictions
    # an evenly spread subset of the samples, the size of one real half, for the Fréchet distance
    subset = np.linspace(0, len(images) - 1, min(n_half, len(images))).astype(int)
    mean, cov = feature_stats(features[subset])
    ref = classifier.reference
    return GeneratorScores(
        conditional=requested is not None,
        samples_per_class=per_class,
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


_SCORE_ARRAYS = ("accuracy", "histogram", "diversity", "real_accuracy", "real_histogram", "real_diversity")
_SCORE_GROUP = "evaluation"


def write_scores(path: str | Path, scores: GeneratorScores, classifier: Classifier, command: str = "") -> None:
    """Record `scores` (and the judging classifier's held-out accuracy) in the HDF5 file at
    `path`, group "evaluation", replacing earlier ones.

    The file is copied, amended and moved back over the original, so an interrupted write
    leaves the previous file intact.
    """
    path = Path(path)
    partial = path.with_name(path.name + ".scoring")
    shutil.copy2(path, partial)
    try:
        with h5py.File(partial, "a") as f:
            if _SCORE_GROUP in f:
                del f[_SCORE_GROUP]
            group = f.create_group(_SCORE_GROUP)
            for name in _SCORE_ARRAYS:
                group.create_dataset(name, data=np.asarray(getattr(scores, name), dtype=np.float64))
            group.attrs.update(conditional=scores.conditional, samples_per_class=scores.samples_per_class,
                               frechet=scores.frechet, frechet_floor=scores.frechet_floor,
                               frechet_samples=scores.frechet_samples, command=command,
                               classifier_accuracy=float(classifier.info["holdout_accuracy"]))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def read_scores(path: str | Path) -> tuple[GeneratorScores, dict] | None:
    """The scores recorded in the file at `path` and their attributes, or None if it has none.

    Raises DataError when the file cannot be read or its scores are damaged.
    """
    damaged = f"The evaluation recorded in {Path(path).name} is damaged"
    try:
        with h5py.File(path, "r", locking=False) as f:
            if _SCORE_GROUP not in f:
                return None
            group = f[_SCORE_GROUP]
            attrs = {name: _plain(value) for name, value in group.attrs.items()}
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


def _plain(value: object) -> object:
    """HDF5 attribute values as plain Python (bytes -> str, NumPy scalars -> numbers)."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return value.item() if isinstance(value, np.generic) else value


# ---- the classifier file -------------------------------------------------------------------

_REFERENCE_SHAPES = {"diversity": (NUM_CLASSES,), "per_class_accuracy": (NUM_CLASSES,),
                     "class_fractions": (NUM_CLASSES,),
                     "mean_a": (FEATURE_DIM,), "cov_a": (FEATURE_DIM, FEATURE_DIM),
                     "mean_b": (FEATURE_DIM,), "cov_b": (FEATURE_DIM, FEATURE_DIM)}


def save_classifier(path: str | Path, classifier: Classifier) -> None:
    """Write weights, reference arrays and info to an HDF5 file, atomically.

    The file is written under a temporary name and renamed, so an interrupted write
    never leaves a file that looks complete.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with h5py.File(partial, "w") as f:
        f.attrs.update({**classifier.info, "kind": CLASSIFIER_KIND, "format": CLASSIFIER_FORMAT})
        weights = f.create_group("weights")
        for name, tensor in classifier.model.state_dict().items():
            weights.create_dataset(name, data=tensor.detach().cpu().numpy())
        reference = f.create_group("reference")
        for name, array in classifier.reference.items():
            reference.create_dataset(name, data=np.asarray(array, dtype=np.float64))
    os.replace(partial, path)


def load_classifier(path: str | Path | None = None) -> Classifier:
    """Load a classifier file (default: the shipped one). DataError names any problem."""
    path = Path(path) if path is not None else CLASSIFIER_PATH
    damaged = f"The classifier file {path} is damaged or is not a GAN Explorer classifier"
    if not path.is_file():
        raise DataError(f"The classifier file {path} is missing; retrain it with "
                        f"`python -m gan_engine.evaluator train`.")
    try:
        with h5py.File(path, "r", locking=False) as f:
            if f.attrs.get("kind") != CLASSIFIER_KIND:
                raise DataError(f"{damaged} (wrong kind).")
            info = {name: _plain(value) for name, value in f.attrs.items()}
            state = {name: torch.from_numpy(np.asarray(f["weights"][name][()])) for name in f["weights"]}
            reference = {name: np.asarray(f["reference"][name][()]) for name in f["reference"]}
        model = MnistClassifier()
        model.load_state_dict(state)
    except (OSError, KeyError, ValueError, RuntimeError) as error:
        raise DataError(f"{damaged} ({type(error).__name__}: {error}).") from None
    for name, shape in _REFERENCE_SHAPES.items():
        if name not in reference or reference[name].shape != shape:
            raise DataError(f"{damaged} (reference array {name!r} missing or misshapen).")
    model.eval()
    return Classifier(model=model, info=info, reference=reference)


# ---- training ------------------------------------------------------------------------------------

def _augment(x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Random small rotations (±10°), scalings (±10%) and shifts (±2 px) of (B, 1, 28, 28).

    Generated digits are rarely centred and sized exactly like MNIST's; a classifier that
    has seen such variations judges them on their shape, not their placement.
    """
    b = len(x)
    angle = (torch.rand(b, generator=generator) - 0.5) * (2 * np.pi / 18)
    scale = 1.0 + (torch.rand(b, generator=generator) - 0.5) * 0.2
    shift = (torch.rand(b, 2, generator=generator) - 0.5) * (4.0 / 14.0)   # ±2 px in [-1, 1] units
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos, -sin, shift[:, 0]], 1), torch.stack([sin, cos, shift[:, 1]], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, align_corners=False, padding_mode="zeros")


def _real_reference(model: MnistClassifier, images: np.ndarray, labels: np.ndarray,
                    seed: int) -> tuple[dict[str, np.ndarray], dict]:
    """Reference figures of real digits the classifier never trained on."""
    predictions, features = classify(model, images)
    order = np.random.default_rng(seed).permutation(len(images))
    half = len(images) // 2
    mean_a, cov_a = feature_stats(features[order[:half]])
    mean_b, cov_b = feature_stats(features[order[half:2 * half]])
    reference = {"diversity": within_class_diversity(features, labels),
                 "per_class_accuracy": per_class_accuracy(predictions, labels),
                 "class_fractions": class_histogram(labels),
                 "mean_a": mean_a, "cov_a": cov_a, "mean_b": mean_b, "cov_b": cov_b}
    info = {"holdout_accuracy": float(np.mean(predictions == labels)),
            "frechet_floor": frechet_distance(mean_a, cov_a, mean_b, cov_b), "frechet_half_size": half}
    return reference, info


def train_classifier(out: str | Path = CLASSIFIER_PATH, data_path: str | None = None,
                     holdout_fraction: float = 0.2, split_seed: int = 0, epochs: int = 12,
                     batch_size: int = 128, lr: float = 1e-3, seed: int = 0,
                     progress: Callable[[int, int, float], None] | None = None,
                     command: str = "") -> Classifier:
    """Train the digit classifier on the training part of MNIST's held-out split and save it.

    The data is split by `gan_engine.data.holdout_split(data, holdout_fraction, split_seed)`;
    the network never sees the held-out part, on which its accuracy and the real-digit
    reference figures are measured. `progress(epoch, epochs, train_loss)` is called after
    each epoch. Returns the saved classifier; writes `out` (about 1.7 MB).
    """
    data = load_mnist(data_path)
    train_part, holdout = holdout_split(data, holdout_fraction=holdout_fraction, seed=split_seed)
    started = time.perf_counter()
    torch.manual_seed(seed)
    shuffle = torch.Generator().manual_seed(seed)
    x = torch.from_numpy(train_part.images).float().div_(255.0).unsqueeze(1)    # (N, 1, 28, 28)
    y = torch.from_numpy(train_part.labels.astype(np.int64))
    model = MnistClassifier()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    for epoch in range(epochs):
        model.train()
        total = 0.0
        for index in torch.randperm(len(x), generator=shuffle).split(batch_size):
            loss = F.cross_entropy(model(_augment(x[index], shuffle)), y[index])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(index)
        schedule.step()
        if progress is not None:
            progress(epoch + 1, epochs, total / len(x))
    reference, measured = _real_reference(model, holdout.images, holdout.labels, split_seed)
    info = {**measured, "train_size": len(train_part.labels), "holdout_size": len(holdout.labels),
            "holdout_fraction": holdout_fraction, "split_seed": split_seed,
            "train_data": train_part.describe(), "holdout_data": holdout.describe(), "epochs": epochs, "batch_size": batch_size, "lr": lr, "seed": seed,
            "seconds": time.perf_counter() - started, "command": command}
    classifier = Classifier(model=model.eval(), info=info, reference=reference)
    save_classifier(out, classifier)
    return classifier


# ---- command line: python -m gan_engine.evaluator {train,score} ----------------------------------

def _print_scores(scores: GeneratorScores) -> None:
    print("digit  accuracy  real_acc  diversity  real_div  ratio  share")
    for c in range(NUM_CLASSES):
        print(f"{c:>5}  {scores.accuracy[c]:8.3f}  {scores.real_accuracy[c]:8.3f}  {scores.diversity[c]:9.2f}"
              f"  {scores.real_diversity[c]:8.2f}  {scores.diversity_ratio[c]:5.2f}  {scores.histogram[c]:5.3f}")
    print(f"Fréchet distance {scores.frechet:.2f} on {scores.frechet_samples} samples "
          f"(real-vs-real floor {scores.frechet_floor:.2f}); meets the bars (95% accuracy, 80% diversity): "
          f"{scores.meets()}")


def main(argv: list[str] | None = None) -> int:
    """`train`: fit and save the classifier. `score`: judge a run's generator, optionally recording it."""
    parser = argparse.ArgumentParser(prog="python -m gan_engine.evaluator", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train", help="train the MNIST classifier on the fit part of the held-out split")
    train.add_argument("--out", default=str(CLASSIFIER_PATH), help="output .h5 (default: the shipped file)")
    train.add_argument("--data", help="MNIST file or folder (default: $GAN_EXPLORER_DATA, per-user folder, download)")
    train.add_argument("--epochs", type=int, default=30)
    train.add_argument("--holdout-fraction", type=float, default=0.2)
    train.add_argument("--split-seed", type=int, default=0)
    train.add_argument("--seed", type=int, default=0)
    score = commands.add_parser("score", help="score a generator with the classifier")
    score.add_argument("--run", required=True, help="run key, pretrained:NAME or a .h5 run file")
    score.add_argument("--runs", help="runs directory (default: $GAN_EXPLORER_RUNS or per-user)")
    score.add_argument("--per-class", type=int, default=1000, help="samples per digit (default 1000)")
    score.add_argument("--seed", type=int, default=0)
    score.add_argument("--classifier", help="classifier .h5 (default: the shipped one)")
    score.add_argument("--write", action="store_true", help="record the scores in the run file")
    for sub in (train, score):
        sub.add_argument("--threads", type=int, default=1, help="torch CPU threads (default 1)")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    command = "python -m gan_engine.evaluator " + shlex.join(sys.argv[1:] if argv is None else argv)
    try:
        if args.command == "train":
            classifier = train_classifier(args.out, args.data, args.holdout_fraction, args.split_seed, args.epochs,
                                          seed=args.seed, command=command,
                                          progress=lambda e, n, loss: print(f"epoch {e}/{n} loss {loss:.4f}",
                                                                            file=sys.stderr))
            print(f"held-out accuracy {classifier.info['holdout_accuracy']:.4f}, Fréchet floor "
                  f"{classifier.info['frechet_floor']:.2f}; wrote {args.out}")
            return 0
        run = open_run(args.run, RunStore(args.runs))
        config, generator, _ = run.load_models("cpu")
        classifier = load_classifier(args.classifier)
        scores = score_generator(generator, config.latent_dim, classifier, args.per_class, sampling.check_seed(args.seed))
        _print_scores(scores)
        if args.write:
            write_scores(run.path, scores, classifier, command)
        return 0
    except GanExplorerError as error:
        print("error: " + str(error), file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
