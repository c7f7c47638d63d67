"""The pre-flight check: is a run's data usable? Decided before anything is written.

`Runner.launch` (and through it the command line) calls `check_data(config)` before a run
file exists, so a bad data file is one clear DataError for the person launching, never a
"failed" run left in the cache by a worker that found out later.

- Toy targets: nothing to check.
- MNIST: the files the worker would read are loaded and validated in full, never
  downloaded (IDX: ~0.04 s per 10,000 images; a CSV takes longer). With no path and no
  local files the worker's download is left to the worker.
- Faces: `check_faces` checks every image's type, shape and stored extent without
  decoding a pixel (a dataset of 20,000 faces would otherwise take minutes).

A file that passed is remembered by the identity (name, size, modification time) of the
files beside it, so a sweep of twenty cells on one data set checks it once.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path

from gan_engine.config import RunConfig
from gan_engine.data.faces import check_faces
from gan_engine.data.mnist import load_mnist, mnist_files, mnist_found, mnist_search_dirs
from gan_engine.errors import DataError

_MEMO_SIZE = 64
_passed: OrderedDict[tuple, None] = OrderedDict()
_passed_lock = threading.Lock()


def check_data(config: RunConfig, max_pixels: int | None = None) -> None:
    """Raise DataError when the data of `config` cannot be trained on; return when it can.

    `config.data_path` is taken as given (callers that accept paths from people resolve
    them first with `data_paths.resolve_data_path`). `max_pixels` caps what a faces file may
    declare (uploads pass theirs; see `data_faces.check_faces`).
    """
    if config.is_toy:
        return
    path = Path(config.data_path).expanduser() if config.data_path.strip() else None
    if config.target == "faces" and path is None:
        raise DataError("The faces target needs a data file: set data_path to an HDF5 file in the notebook's "
                        "format (group 'img_align_celeba'), or convert a folder of images with the "
                        "convert-faces command.")
    fingerprint = (config.target, str(path), _identity(path), max_pixels)
    with _passed_lock:
        if fingerprint in _passed:
            _passed.move_to_end(fingerprint)
            return
    if config.target == "faces":
        check_faces(path, max_pixels=max_pixels)
    elif path is not None or mnist_found():
        load_mnist(path, download=False)
    with _passed_lock:
        _passed[fingerprint] = None
        while len(_passed) > _MEMO_SIZE:
            _passed.popitem(last=False)


def data_files(config: RunConfig) -> list[Path]:
    """The files a run of `config` reads, the one its `data_path` should name first; [] for
    toy targets and for MNIST that the worker would download. Call after `check_data`."""
    if config.is_toy:
        return []
    path = Path(config.data_path).expanduser() if config.data_path.strip() else None
    if config.target == "faces":
        return [path] if path is not None else []
    return [file.resolve() for file in mnist_files(path)]


def _identity(path: Path | None) -> tuple:
    """(name, size, mtime) of every file the loaders could read for `path`: the folders
    searched, or for a file the file and its possible IDX partners beside it."""
    if path is None:
        folders, wanted = mnist_search_dirs(), None
    elif path.is_dir():
        folders, wanted = [path, path / "mnist"], None
    else:
        folders, wanted = [path.parent], _pair_stem(path.name)
    entries = []
    for folder in folders:
        try:
            with os.scandir(folder) as listing:
                for entry in listing:
                    if entry.is_file() and (wanted is None or _pair_stem(entry.name) == wanted):
                        info = entry.stat()
                        entries.append((entry.path, info.st_size, info.st_mtime_ns))
        except OSError:
            entries.append((str(folder), -1, -1))
    return tuple(sorted(entries))


def _pair_stem(name: str) -> str:
    """A file name without what tells an IDX images file from its labels partner."""
    for part in ("images", "labels", "idx3", "idx1"):
        name = name.replace(part, "")
    return name.removesuffix(".gz")
