"""The run cache: a directory of run files (`runfile.py`), one per configuration key.

The directory is `$GAN_EXPLORER_RUNS` when set, else a per-user cache folder. Reading
never writes (a read-only directory serves its finished runs), except to note, at most
once a minute and on a best-effort basis, when a run was last served; that note lives in a
side file, so a finished run's file is never touched again. A run whose file says queued or
running but whose worker no longer holds its lock reads as "interrupted", with the reason.

Summaries of finished runs are remembered per file identity (inode, size, mtime): a
finished file never changes in place, so listing 500 runs a second time costs 500 `stat`s.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from gan_engine import PRETRAINED_DIR
from gan_engine.config import RunConfig
from gan_engine.runs.coordination import KEY_PATTERN, RunDir, default_runs_dir
from gan_engine.errors import RunError
from gan_engine.runs.runfile import ACTIVE, CACHED_STATUSES, STATUSES, RunFile, RunSummary

if TYPE_CHECKING:
    import pandas as pd
    from torch import nn

__all__ = ["STATUSES", "CACHED_STATUSES", "RunStore", "RunSummary", "RunFile", "PRETRAINED_DIR",
           "default_runs_dir", "pretrained_path", "list_pretrained", "open_run"]

# Checkpoint suffixes a user may hand over as "weights": named as paths so the refusal says why.
PICKLE_SUFFIXES = (".pt", ".pth", ".pkl", ".pickle", ".ckpt", ".bin")
INTERRUPTED_MESSAGE = ("The worker stopped before the run finished (killed, out of memory or the machine "
                       "restarted); launch it again to start afresh.")
LIST_COLUMNS = ("key", "preset", "target", "k", "lr_d", "lr_g", "loss", "batch_size", "iterations",
                "status", "iteration", "total", "device", "seconds", "created", "message")


class RunStore:
    """Read, list, delete and evict the runs of one runs directory."""

    def __init__(self, root: str | Path | None = None) -> None:
        self.root = Path(root).expanduser() if root is not None else default_runs_dir()
        self.dir = RunDir(self.root)
        self._memo: dict[Path, tuple[tuple[int, int, int], RunSummary]] = {}

    def run_path(self, key: str) -> Path:
        """The file of run `key`; RunError for anything that is not a 16-hex-digit key."""
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            raise RunError(f"{key!r} is not a run key (16 hexadecimal digits, as `list` shows).")
        return self.dir.run_file(key)

    # ---- summaries -------------------------------------------------------------------

    def summary(self, key: str) -> RunSummary | None:
        """The run's summary, or None when there is no such run; never loads arrays.

        RunError when the file exists but cannot be read.
        """
        path = self.run_path(key)
        recorded = self._read(path)
        if recorded is None or recorded.status not in ACTIVE or self.dir.is_live(key):
            return recorded
        # The worker writes its final state before it lets go of the lock, so reading again
        # after finding the lock free tells a run that just finished from one that died.
        recorded = self._read(path)
        if recorded is None or recorded.status not in ACTIVE:
            return recorded
        return dataclasses.replace(recorded, status="interrupted", message=INTERRUPTED_MESSAGE)

    def _read(self, path: Path) -> RunSummary | None:
        try:
            info = path.stat()
        except FileNotFoundError:
            return None
        signature = (info.st_ino, info.st_size, info.st_mtime_ns)
        remembered = self._memo.get(path)
        if remembered is not None and remembered[0] == signature:
            return remembered[1]
        summary = RunFile(path).summary()
        if summary.key != path.stem:
            raise RunError(f"{path.name} holds run {summary.key}, not {path.stem}: it was renamed; delete it.")
        if summary.status not in ACTIVE:
            self._memo[path] = (signature, summary)
        return summary

    def mark_used(self, key: str) -> None:
        """Note that `key` was served now (drives least-recently-used eviction)."""
        self.dir.mark_used(key)

    # ---- arrays ----------------------------------------------------------------------

    def series(self, key: str) -> "pd.DataFrame":
        """iteration, loss_d, loss_g, d_real, d_fake, seconds (one row per log step)."""
        return RunFile(self.run_path(key)).series()

    def metric_series(self, key: str) -> "pd.DataFrame":
        """iteration + one column per metric (jsd, modes_captured, ...), one row per snapshot."""
        return RunFile(self.run_path(key)).metric_series()

    def snapshot_iterations(self, key: str) -> list[int]:
        summary = self.summary(key)
        return list(summary.snapshot_iterations) if summary else []

    def snapshot(self, key: str, index: int) -> dict[str, np.ndarray]:
        """Arrays of snapshot `index` (0 = first, -1 = latest); see docs/CONTRACTS.md for names."""
        return RunFile(self.run_path(key)).snapshot(index)

    def load_models(self, key: str, device: str = "cpu") -> tuple[RunConfig, "nn.Module", "nn.Module"]:
        """Configuration, generator and discriminator of a run, in eval mode on `device`."""
        models = RunFile(self.run_path(key)).load_models(device)
        self.mark_used(key)
        return models

    # ---- listing, deleting, evicting -------------------------------------------------

    def list_runs(self) -> "pd.DataFrame":
        """One row per run file, newest first; unreadable files are rows with status "unreadable".

        Columns: key, preset, target, k, lr_d, lr_g, loss, batch_size, iterations, status,
        iteration, total, device, seconds, created, message, then one per metric name.
        """
        import pandas as pd

        rows = []
        for path in self._run_files():
            try:
                if not KEY_PATTERN.match(path.stem):
                    raise RunError(f"{path.name}: the file name is not a run key.")
                summary = self.summary(path.stem)
            except RunError as error:
                rows.append({"key": path.stem, "status": "unreadable", "message": str(error),
                             "created": _mtime(path)})
                continue
            if summary is not None:
                rows.append(_list_row(summary))
        frame = pd.DataFrame(rows)
        columns = list(LIST_COLUMNS) + sorted(set(frame.columns) - set(LIST_COLUMNS))
        frame = frame.reindex(columns=columns)
        return frame.sort_values("created", ascending=False, ignore_index=True) if len(frame) else frame

    def _run_files(self) -> list[Path]:
        try:
            with os.scandir(self.root) as entries:
                return [Path(entry.path) for entry in entries
                        if entry.name.endswith(".h5") and not entry.name.startswith(".") and entry.is_file()]
        except FileNotFoundError:
            return []

    def delete(self, key: str) -> None:
        """Remove a run and its side files; RunError if it is missing or still queued/training."""
        path = self.run_path(key)
        if not path.exists():
            raise RunError(f"No run {key} in {self.root}.")
        with self.dir.runner_lock():
            self._remove(key, f"Run {key} is queued or training: cancel it first, then delete it.")

    def _remove(self, key: str, busy_message: str) -> None:
        """Delete `key` while holding the runner lock; RunError(busy_message) when it is live."""
        fd = self.dir.take_key_lock(key)
        if fd is None:
            raise RunError(busy_message)
        try:
            path = self.dir.run_file(key)
            for leftover in path.parent.glob(f"{path.name}.tmp-*"):
                leftover.unlink(missing_ok=True)
            path.unlink(missing_ok=True)
            self._memo.pop(path, None)
            self.dir.remove_bookkeeping(key)
        finally:
            os.close(fd)

    def evict(self, limit_bytes: int, keep: tuple[str, ...] = ()) -> list[str]:
        """Delete least-recently-used finished runs until the run files total <= `limit_bytes`.

        Never evicts a queued or training run, a key in `keep`, or anything outside this
        directory (the shipped pretrained generators). Returns the evicted keys, oldest first.
        """
        evicted: list[str] = []
        with self.dir.runner_lock():
            for leftover in self.root.glob("*.h5.tmp-*"):      # from writers killed mid-write
                if not self.dir.is_live(leftover.name[:16]):
                    leftover.unlink(missing_ok=True)
            files = [(path, path.stat().st_size) for path in self._run_files() if KEY_PATTERN.match(path.stem)]
            total = sum(size for _, size in files)
            if total <= limit_bytes:
                return evicted
            by_age = sorted(files, key=lambda item: max(self.dir.last_used(item[0].stem), _mtime(item[0])))
            for path, size in by_age:
                if total <= limit_bytes:
                    break
                if path.stem in keep or self.dir.is_live(path.stem):
                    continue
                with contextlib.suppress(RunError, OSError):
                    self._remove(path.stem, "live")
                    total -= size
                    evicted.append(path.stem)
        return evicted


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _list_row(summary: RunSummary) -> dict[str, object]:
    config = summary.config
    row: dict[str, object] = {
        "key": summary.key, "preset": config.preset, "target": config.target, "k": config.k,
        "lr_d": config.lr_d, "lr_g": config.lr_g, "loss": config.loss, "batch_size": config.batch_size,
        "iterations": config.iterations, "status": summary.status, "iteration": summary.iteration,
        "total": summary.total, "device": summary.device, "seconds": summary.seconds,
        "created": summary.created, "message": summary.message,
    }
    row.update({name: value for name, value in summary.metrics.items() if name not in row})
    return row


# ---- pretrained generators and run specs -----------------------------------------------

def pretrained_path(name: str) -> Path:
    """The shipped run file `gan_engine/pretrained/NAME.h5`; RunError for unknown names."""
    if name not in list_pretrained():
        available = ", ".join(list_pretrained()) or "none are installed"
        raise RunError(f"No pretrained generator {name!r}: choose one of {available}.")
    return PRETRAINED_DIR / f"{name}.h5"


def list_pretrained() -> list[str]:
    """Names of the generators that ship with the project."""
    return sorted(path.stem for path in PRETRAINED_DIR.glob("*.h5")) if PRETRAINED_DIR.is_dir() else []


def open_run(spec: str, store: RunStore | None = None) -> RunFile:
    """The run file named by `spec`: a run key, `pretrained:NAME`, or a path ending in `.h5`.

    Paths are for the command line; pages pass keys and pretrained names only. A path to
    a pickled checkpoint (.pt, .pth, .pkl, ...) is opened only to be refused: RunFile tells
    a pickle from an HDF5 file and never unpickles it.
    """
    if spec.startswith("pretrained:"):
        return RunFile(pretrained_path(spec.removeprefix("pretrained:")))
    if spec.endswith(".h5") or Path(spec).suffix.lower() in PICKLE_SUFFIXES:
        return RunFile(Path(spec).expanduser())
    store = store or RunStore()
    path = store.run_path(spec)
    if not path.exists():
        raise RunError(f"No run {spec} in {store.root}.")
    return RunFile(path)
