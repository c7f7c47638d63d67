"""The small MNIST classifiers that judge generated digits: networks, files and training.

Two judges of different architectures, trained on the two sides of one split
(`data.holdout_split(data, 0.2, 0)`), so neither's blind spots go unchecked:

- judge A (`mnist-classifier.h5`, architecture "cnn"): two conv + max-pool blocks and a
  128-unit hidden layer, trained on the fit part (the part the generators train on) and
  measured on the held-out part;
- judge B (`mnist-classifier-b.h5`, architecture "gap-cnn"): five 3x3 conv layers with batch
  norm, stride-2 downsampling and global average pooling, no hidden dense layer, trained
  on the held-out part and measured on the fit part: it has never seen an image any
  generator trained on.

Each is measured on the part it never saw; the accuracy lives in the file's attributes.
The same file carries the reference figures of those real digits (their within-class
diversity and penultimate-feature statistics of two disjoint sets of at most 1,000), so
generated digits can be compared with real ones without the data set at hand.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from gan_engine import PRETRAINED_DIR
from gan_engine.data import NUM_CLASSES, holdout_split, load_mnist
from gan_engine.errors import DataError
from gan_engine.judge.scores import (as_batch, class_histogram, feature_stats, frechet_distance, per_class_accuracy,
                                     within_class_diversity)

CLASSIFIER_PATH = PRETRAINED_DIR / "mnist-classifier.h5"
SECOND_CLASSIFIER_PATH = PRETRAINED_DIR / "mnist-classifier-b.h5"
CLASSIFIER_KIND = "gan-explorer-mnist-classifier"
CLASSIFIER_FORMAT = 1
FEATURE_DIM = 128
REFERENCE_HALF_MAX = 1000   # images per real half of the Fréchet floor (the generated side uses as many)
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


class MnistGapClassifier(nn.Module):
    """Judge B: five 3x3 convolutions with batch norm, global average pooling, no dense hidden layer.

    Unlike judge A it downsamples by stride instead of max-pooling and reads its 128 features
    as channel averages, so it weighs a digit's strokes wherever they are rather than by a
    fixed pixel layout. Input (B, 1, 28, 28) or (B, 28, 28) in [0, 1]; `features` gives the
    (B, 128) pooled activations, `forward` the (B, 10) class logits.
    """

    def __init__(self) -> None:
        super().__init__()

        def block(c_in: int, c_out: int, stride: int) -> list[nn.Module]:
            return [nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU()]

        self.body = nn.Sequential(*block(1, 32, 1),              # (B, 32, 28, 28)
                                  *block(32, 32, 2),             # (B, 32, 14, 14)
                                  *block(32, 64, 1),             # (B, 64, 14, 14)
                                  *block(64, 64, 2),             # (B, 64, 7, 7)
                                  *block(64, FEATURE_DIM, 1))    # (B, 128, 7, 7)
        self.dropout = nn.Dropout(0.2)
        self.out = nn.Linear(FEATURE_DIM, NUM_CLASSES)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() == 3:
            x = x.unsqueeze(1)
        return self.body(x).mean(dim=(2, 3))                     # (B, 128)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.out(self.dropout(self.features(x)))


# architecture name (the file's "architecture" attribute; absent in judge A's first file) -> network
ARCHITECTURES: dict[str, type[nn.Module]] = {"cnn": MnistClassifier, "gap-cnn": MnistGapClassifier}


def _architecture_of(model: nn.Module) -> str:
    for name, network in ARCHITECTURES.items():
        if type(model) is network:
            return name
    raise DataError(f"{type(model).__name__} is not one of the judges' architectures.")


@dataclass(frozen=True)
class Classifier:
    """A loaded classifier file: the network, its attributes and the real-digit reference.

    `reference` holds `diversity` (10,) per-class diversity of real held-out digits,
    `mean_a`/`cov_a` and `mean_b`/`cov_b` (128,)/(128, 128) feature statistics of two
    disjoint halves of them, and `per_class_accuracy` (10,) on the held-out part.
    `info` holds `holdout_accuracy`, `frechet_floor`, split sizes and the command used.
    """

    model: nn.Module
    info: dict
    reference: dict[str, np.ndarray]

    @property
    def name(self) -> str:
        """"A" for the judge trained on the fit part, "B" for the one trained on the held-out part."""
        return "B" if self.info.get("train_part") == "holdout" else "A"


@torch.no_grad()
def classify(model: nn.Module, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Predicted classes int64 (N,) and penultimate features float32 (N, 128).

    `images` is (N, 28, 28), uint8 0..255 or float in [0, 1].
    """
    images = as_batch(images)
    # channels-last convolutions run about a third faster on CPU (the same sums, in another order)
    model.eval().to(memory_format=torch.channels_last)
    predictions, features = [], []
    for start in range(0, len(images), _BATCH):
        batch = torch.from_numpy(images[start:start + _BATCH]).unsqueeze(1)              # (B, 1, 28, 28)
        f = model.features(batch.contiguous(memory_format=torch.channels_last))
        predictions.append(model.out(f).argmax(1).numpy())
        features.append(f.numpy())
    if not predictions:
        return np.zeros(0, np.int64), np.zeros((0, FEATURE_DIM), np.float32)
    return np.concatenate(predictions).astype(np.int64), np.concatenate(features)


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
        info = dict(classifier.info)
        if type(classifier.model) is not MnistClassifier:   # judge A's first file has no such attribute
            info["architecture"] = _architecture_of(classifier.model)
        f.attrs.update({**info, "kind": CLASSIFIER_KIND, "format": CLASSIFIER_FORMAT})
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
                        f"`gan-explorer train-classifier`.")
    try:
        with h5py.File(path, "r", locking=False) as f:
            if f.attrs.get("kind") != CLASSIFIER_KIND:
                raise DataError(f"{damaged} (wrong kind).")
            info = {name: plain(value) for name, value in f.attrs.items()}
            state = {name: torch.from_numpy(np.asarray(f["weights"][name][()])) for name in f["weights"]}
            reference = {name: np.asarray(f["reference"][name][()]) for name in f["reference"]}
        architecture = str(info.get("architecture", "cnn"))
        if architecture not in ARCHITECTURES:
            raise DataError(f"{damaged} (unknown architecture {architecture!r}).")
        model = ARCHITECTURES[architecture]()
        model.load_state_dict(state)
    except (OSError, KeyError, ValueError, RuntimeError) as error:
        raise DataError(f"{damaged} ({type(error).__name__}: {error}).") from None
    for name, shape in _REFERENCE_SHAPES.items():
        if name not in reference or reference[name].shape != shape:
            raise DataError(f"{damaged} (reference array {name!r} missing or misshapen).")
    model.eval()
    return Classifier(model=model, info=info, reference=reference)


# ---- training ------------------------------------------------------------------------------------

def _augment(x: torch.Tensor, generator: torch.Generator, strength: float = 1.0) -> torch.Tensor:
    """Random small rotations (±10°), scalings (±10%) and shifts (±2 px) of (B, 1, 28, 28),
    each range times `strength`.

    Generated digits are rarely centred and sized exactly like MNIST's; a classifier that
    has seen such variations judges them on their shape, not their placement.
    """
    b = len(x)
    angle = (torch.rand(b, generator=generator) - 0.5) * (2 * np.pi / 18) * strength
    scale = 1.0 + (torch.rand(b, generator=generator) - 0.5) * 0.2 * strength
    shift = (torch.rand(b, 2, generator=generator) - 0.5) * (4.0 / 14.0) * strength   # ±2 px in [-1, 1] units
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos, -sin, shift[:, 0]], 1), torch.stack([sin, cos, shift[:, 1]], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, align_corners=False, padding_mode="zeros")


def _real_reference(model: nn.Module, images: np.ndarray, labels: np.ndarray,
                    seed: int) -> tuple[dict[str, np.ndarray], dict]:
    """Reference figures of real digits the classifier never trained on.

    The Fréchet floor compares two disjoint random sets of min(N / 2, 1,000) of them.
    """
    predictions, features = classify(model, images)
    order = np.random.default_rng(seed).permutation(len(images))
    half = min(len(images) // 2, REFERENCE_HALF_MAX)
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
                     command: str = "", architecture: str = "cnn", train_part: str = "fit",
                     augment: float = 1.0) -> Classifier:
    """Train a digit classifier on one part of MNIST's held-out split and save it.

    The data is split by `gan_engine.data.holdout_split(data, holdout_fraction, split_seed)`.
    `train_part` "fit" (judge A) trains on the fit part and measures on the held-out part;
    "holdout" (judge B) the other way round. The network never sees the part on which its
    accuracy and the real-digit reference figures are measured. `architecture` is a key of
    `ARCHITECTURES`; `augment` scales the random rotations, scalings and shifts.
    `progress(epoch, epochs, train_loss)` is called after each epoch. Returns the saved
    classifier; writes `out` (about 2 MB for "cnn", 0.6 MB for "gap-cnn").
    """
    if architecture not in ARCHITECTURES:
        raise DataError(f"Unknown classifier architecture {architecture!r}: choose one of {', '.join(ARCHITECTURES)}.")
    if train_part not in ("fit", "holdout"):
        raise DataError(f"train_part must be fit or holdout; got {train_part!r}.")
    data = load_mnist(data_path)
    fit, held = holdout_split(data, holdout_fraction=holdout_fraction, seed=split_seed)
    train_part_data, holdout = (fit, held) if train_part == "fit" else (held, fit)
    started = time.perf_counter()
    torch.manual_seed(seed)
    shuffle = torch.Generator().manual_seed(seed)
    x = torch.from_numpy(train_part_data.images).float().div_(255.0).unsqueeze(1)    # (N, 1, 28, 28)
    y = torch.from_numpy(train_part_data.labels.astype(np.int64))
    model = ARCHITECTURES[architecture]()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    for epoch in range(epochs):
        model.train()
        total = 0.0
        for index in torch.randperm(len(x), generator=shuffle).split(batch_size):
            loss = F.cross_entropy(model(_augment(x[index], shuffle, augment)), y[index])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(index)
        schedule.step()
        if progress is not None:
            progress(epoch + 1, epochs, total / len(x))
    reference, measured = _real_reference(model, holdout.images, holdout.labels, split_seed)
    info = {**measured, "train_size": len(train_part_data.labels), "holdout_size": len(holdout.labels),
            "holdout_fraction": holdout_fraction, "split_seed": split_seed,
            "train_data": train_part_data.describe(), "holdout_data": holdout.describe(), "epochs": epochs,
            "batch_size": batch_size, "lr": lr, "seed": seed, "seconds": time.perf_counter() - started,
            "command": command}
    if train_part != "fit" or architecture != "cnn" or augment != 1.0:   # judge A's file predates these
        info.update(train_part=train_part, architecture=architecture, augment=augment)
    classifier = Classifier(model=model.eval(), info=info, reference=reference)
    save_classifier(out, classifier)
    return classifier


def plain(value: object) -> object:
    """HDF5 attribute values as plain Python (bytes -> str, NumPy scalars -> numbers)."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return value.item() if isinstance(value, np.generic) else value
