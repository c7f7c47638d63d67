"""MNIST: IDX files (gzipped or not), the source notebook's CSV, the search, a hold-out split.

Search order for `load_mnist()`: an explicit path (file or folder); else
`$GAN_EXPLORER_DATA` and its `mnist/` subfolder; else the per-user data directory and its
`mnist/` subfolder; else the official files are downloaded (see `data_download`). In each
folder the training split is preferred to the test split, and IDX to CSV; the result says
which split it holds.

The file formats themselves are read and validated in `data_mnist_formats`.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import numpy as np

from gan_engine.data.download import DownloadProgress, download_mnist, mnist_file_names
from gan_engine.data.mnist_formats import IMAGE_MAGIC, LABEL_MAGIC, check_labels, read_idx, read_mnist_csv
from gan_engine.data.paths import DATA_ENV, default_data_dir
from gan_engine.errors import DataError

CSV_NAMES = {"train": "mnist_train.csv", "test": "mnist_test.csv"}

NUM_CLASSES = 10   # the digits 0-9: the one owner of this number


@dataclass(frozen=True)
class MnistData:
    """Handwritten digits with their labels.

    images: uint8 (N, 28, 28), 0 = background, 255 = ink. labels: int64 (N,), 0-9.
    split: "train", "test", "csv", or "idx" (an IDX pair whose name does not say).
    source: the file the images were read from. part: "all", or "fit" / "holdout"
    for the two sides of `holdout_split`.
    """

    images: np.ndarray
    labels: np.ndarray
    split: str
    source: str
    part: str = "all"

    def __len__(self) -> int:
        return len(self.labels)

    def class_counts(self) -> np.ndarray:
        """int64 (10,): how many images of each digit."""
        return np.bincount(self.labels, minlength=10)

    def describe(self) -> str:
        """One line saying which data this is, for pages and the command line."""
        kind = {"train": "training split", "test": "test split", "csv": "CSV file"}.get(self.split, "IDX files")
        part = "" if self.part == "all" else f" ({self.part} part)"
        return f"MNIST {kind}{part}: {len(self):,} images from {self.source}"


def mnist_search_dirs() -> list[Path]:
    """The folders `load_mnist()` looks in when no path is given, in order."""
    roots = [Path(os.environ[DATA_ENV]).expanduser()] if os.environ.get(DATA_ENV) else []
    roots.append(default_data_dir())
    dirs: list[Path] = []
    for root in roots:
        for folder in (root, root / "mnist"):
            if folder not in dirs:
                dirs.append(folder)
    return dirs


def mnist_found() -> bool:
    """Whether `load_mnist()` without a path would find local files (rather than download)."""
    return _search(mnist_search_dirs())[0] is not None


def load_mnist(path: str | Path | None = None, download: bool = True,
               progress: DownloadProgress | None = None) -> MnistData:
    """Load MNIST from `path`, else from the search folders, else by downloading it.

    `path` may be an IDX images or labels file (its partner is found beside it by name),
    a CSV file, or a folder (searched with its `mnist/` subfolder). A download goes to
    `default_data_dir()/mnist`, where later searches find it.
    `progress(file_name, bytes_done, bytes_total_or_None)` is called while downloading.
    Raises DataError when nothing usable is found, saying where to put which files, or
    when a file that is found is malformed (no silent fallback to other data).
    """
    if path is not None and str(path).strip():
        return _load_explicit(Path(path).expanduser())
    dirs = mnist_search_dirs()
    loader, notes = _search(dirs)
    if loader is not None:
        return loader()
    if not download:
        raise DataError(_nothing_found(dirs, notes, "Downloading was not allowed."))
    destination = default_data_dir() / "mnist"
    try:
        download_mnist(destination, progress)
    except DataError as exc:
        raise DataError(_nothing_found(dirs, notes, str(exc))) from None
    names = mnist_file_names("train")
    return _load_idx_pair(destination / names[0], destination / names[1], "train")


def holdout_split(data: MnistData, holdout_fraction: float = 0.2,
                  seed: int = 0) -> tuple[MnistData, MnistData]:
    """Split into (fit, holdout) parts, stratified by digit and deterministic in `seed`.

    Each digit contributes round(count * holdout_fraction) images to the hold-out part
    (at least one to each side when it has two or more), chosen by a seeded permutation,
    so a classifier or generator fitted on one part is judged on images it never saw.
    Both parts keep the original order.
    """
    if not 0.0 < holdout_fraction < 1.0:
        raise DataError(f"holdout_fraction must be between 0 and 1 (exclusive); got {holdout_fraction!r}.")
    rng = np.random.default_rng(seed)
    held = np.zeros(len(data), dtype=bool)
    for digit in range(10):
        members = np.flatnonzero(data.labels == digit)
        if len(members) == 0:
            continue
        count = math.floor(len(members) * holdout_fraction + 0.5)
        if len(members) >= 2:
            count = min(max(count, 1), len(members) - 1)
        held[rng.permutation(members)[:count]] = True

    def part(mask: np.ndarray, name: str) -> MnistData:
        return replace(data, images=data.images[mask], labels=data.labels[mask], part=name)

    return part(~held, "fit"), part(held, "holdout")


# ---- finding files ---------------------------------------------------------------------

def _idx_file(folder: Path, prefix: str, kind: str) -> Path | None:
    """The first existing spelling of an official IDX file name (hyphen or dot, .gz or not)."""
    suffix = "idx3-ubyte" if kind == "images" else "idx1-ubyte"
    for name in (f"{prefix}-{kind}-{suffix}", f"{prefix}-{kind}.{suffix}"):
        for candidate in (folder / f"{name}.gz", folder / name):
            if candidate.is_file():
                return candidate
    return None


def _search(folders: list[Path]) -> tuple[Callable[[], MnistData] | None, list[str]]:
    """A loader for the first usable data in `folders`, in order (or None), and notes on
    half-present IDX pairs seen on the way, for the message when nothing is usable."""
    notes: list[str] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for split, prefix in (("train", "train"), ("test", "t10k")):
            images, labels = _idx_file(folder, prefix, "images"), _idx_file(folder, prefix, "labels")
            if images and labels:
                return partial(_load_idx_pair, images, labels, split), notes
            if images or labels:
                missing = "labels" if images else "images"
                notes.append(f"{images or labels} has no {prefix} {missing} file beside it")
        for name in CSV_NAMES.values():
            if (folder / name).is_file():
                return partial(_load_csv, folder / name), notes
    return None, notes


def mnist_files(path: str | Path | None = None) -> list[Path]:
    """The files `load_mnist(path)` would read, without reading them: the images (or CSV)
    file first, then its labels file; [] when nothing is found and it would download.

    The Ray backend ships these to worker nodes. DataError as `load_mnist` raises it for a
    path that does not exist or holds no MNIST files.
    """
    if path is not None and str(path).strip():
        loader = _explicit_loader(Path(path).expanduser())
    else:
        loader, _ = _search(mnist_search_dirs())
        if loader is None:
            return []
    return [arg for arg in loader.args if isinstance(arg, Path)]


def _load_explicit(path: Path) -> MnistData:
    return _explicit_loader(path)()


def _explicit_loader(path: Path) -> Callable[[], MnistData]:
    if not path.exists():
        raise DataError(f"The MNIST path {path} does not exist.")
    if path.is_dir():
        folders = [path, path / "mnist"]
        loader, notes = _search(folders)
        if loader is None:
            raise DataError(_nothing_found(folders, notes, None))
        return loader
    name = path.name.lower()
    if name.endswith(".csv"):
        return partial(_load_csv, path)
    if "images" in name or "labels" in name:
        is_images = "images" in name
        partner_name = (path.name.replace("images", "labels").replace("idx3", "idx1") if is_images
                        else path.name.replace("labels", "images").replace("idx1", "idx3"))
        # The partner may be gzipped when this file is not, or the other way round.
        stem = partner_name.removesuffix(".gz")
        partner = next((path.with_name(n) for n in (partner_name, stem, stem + ".gz")
                        if path.with_name(n).is_file()), path.with_name(partner_name))
        if not partner.is_file():
            wanted = "labels" if is_images else "images"
            raise DataError(f"{path} has no {wanted} file beside it: expected {partner}.")
        split = "train" if name.startswith("train") else "test" if name.startswith(("t10k", "test")) else "idx"
        images, labels = (path, partner) if is_images else (partner, path)
        return partial(_load_idx_pair, images, labels, split)
    return partial(_load_csv, path)


def _nothing_found(dirs: list[Path], notes: list[str], reason: str | None) -> str:
    train, test = mnist_file_names("train"), mnist_file_names("test")
    lines = [
        "No MNIST data found." + (f" {reason}" if reason else ""),
        f"Put {train[0]} and {train[1]} (the training split), or {test[0]} and {test[1]} "
        f"(the test split), gzipped or not, or the CSV {CSV_NAMES['train']} (a label then "
        f"784 pixel values per line), in one of: " + ", ".join(str(d) for d in dirs)
        + f". Or set {DATA_ENV} to the folder that holds them.",
    ]
    lines += [f"Note: {note}." for note in notes]
    return "\n".join(lines)


# ---- loading one source ------------------------------------------------------------

def _load_idx_pair(images_path: Path, labels_path: Path, split: str) -> MnistData:
    images = read_idx(images_path, IMAGE_MAGIC)   # (N, 28, 28)
    labels = read_idx(labels_path, LABEL_MAGIC)   # (N,)
    if len(images) != len(labels):
        raise DataError(f"{images_path} holds {len(images):,} images but the labels file "
                        f"{labels_path} holds {len(labels):,} labels; they must match.")
    check_labels(labels, labels_path, "position")
    return MnistData(images, labels.astype(np.int64), split, str(images_path))


def _load_csv(path: Path) -> MnistData:
    images, labels = read_mnist_csv(path)
    return MnistData(images, labels, "csv", str(path))
