"""One run as one HDF5 file: what a worker writes and what every reader opens.

The same format serves the run cache (`<runs>/<key>.h5`) and the generators that ship
with the project (`gan_engine/pretrained/NAME.h5`). Layout, format "gan-explorer-run" v1:

    attrs   format, format_version, summary (one JSON string: everything a listing or a
            progress poll needs, so those read one attribute and nothing else)
    series/<column>                logged scalars, one row per log step (iteration int64)
    metrics/<column>               metrics at snapshots (iteration int64, NaN where absent)
    snapshots/<NNNNNN>/<name>      arrays of one snapshot (attr `iteration`)
    weights/{generator,discriminator}/<parameter>   state_dicts as plain numeric arrays

Writes are atomic: the whole file is written under `<name>.tmp-<pid>` and moved over the
old one with `os.replace`, so a reader, or a kill at any instant, sees either the previous
complete file or the new one. Weights are numeric arrays only: nothing is unpickled.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import math
import os
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import h5py
import numpy as np

from gan_engine import __version__
from gan_engine.config import RunConfig
from gan_engine.errors import GanExplorerError, RunError

if TYPE_CHECKING:
    import pandas as pd
    from torch import nn

FORMAT = "gan-explorer-run"
FORMAT_VERSION = 1
STATUSES = ("queued", "running", "done", "failed", "diverged", "cancelled", "interrupted")
ACTIVE = ("queued", "running")
# Statuses served from the cache: a seeded run that diverged diverges again, so it is a
# result too. Failed, cancelled and interrupted runs start afresh when launched again.
CACHED_STATUSES = ("done", "diverged")
# Runs whose curves are complete and worth comparing (a cancelled run ended on purpose).
FINISHED_STATUSES = ("done", "diverged", "cancelled")
SERIES_COLUMNS = ("iteration", "loss_d", "loss_g", "d_real", "d_fake", "seconds")
# A run keeps at most this many snapshots: past it every other older one is dropped, so a
# long run with frequent snapshots still spans its whole history in a bounded file.
MAX_SNAPSHOTS = 200
_image_names = itertools.count()


@dataclass(frozen=True)
class RunSummary:
    """What is known about a run without loading its arrays. Times are epoch seconds."""

    key: str
    config: RunConfig
    status: str
    created: float
    started: float | None
    finished: float | None
    device: str
    engine_version: str
    iteration: int
    total: int
    latest: dict[str, float]     # the latest logged scalars
    metrics: dict[str, float]    # final (or latest) summary metrics
    snapshot_count: int
    message: str                 # error or reason, "" when none
    seconds: float = 0.0         # training wall time so far
    snapshot_iterations: tuple[int, ...] = ()
    pid: int | None = None       # the process that trains (or trained) the run
    host: str = ""               # the machine that writes the run file
    first_logged: tuple[int, float] | None = None   # (iteration, seconds) of the first log step
    node: str = ""               # where the run trains: this machine's name, or a Ray node


@dataclass
class RunRecord:
    """A run being written: the worker's in-memory copy, saved whole by `write_run_file`."""

    key: str
    config: RunConfig
    status: str = "queued"
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    device: str = ""
    iteration: int = 0
    total: int = 0
    seconds: float = 0.0
    latest: dict[str, float] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)
    message: str = ""
    log_rows: list[dict[str, float]] = field(default_factory=list)
    metric_rows: list[dict[str, float]] = field(default_factory=list)
    snapshots: list[tuple[int, dict[str, np.ndarray]]] = field(default_factory=list)
    weights: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    node: str = ""               # where it trains, when not in the writing process (a Ray node)
    pid: int | None = None       # the training process, when not the writing one

    def add_log(self, iteration: int, total: int, scalars: dict[str, float]) -> None:
        """Record one log step (losses, D outputs, seconds)."""
        row = {name: float(value) for name, value in scalars.items()}
        self.log_rows.append({"iteration": float(iteration), **row})
        self.iteration, self.total, self.latest = iteration, total, row
        self.seconds = row.get("seconds", self.seconds)

    def add_metrics(self, iteration: int, metrics: dict[str, float]) -> None:
        """Record the metrics computed at a snapshot; the latest also become the summary's."""
        row = {name: float(value) for name, value in metrics.items()}
        self.metric_rows.append({"iteration": float(iteration), **row})
        self.metrics = {**self.metrics, **row}

    def add_snapshot(self, iteration: int, arrays: dict[str, np.ndarray]) -> None:
        """Keep a snapshot (copied, so the trainer may reuse its buffers)."""
        self.snapshots.append((iteration, {name: np.array(value) for name, value in arrays.items()}))
        if len(self.snapshots) > MAX_SNAPSHOTS:
            self.snapshots = self.snapshots[:-1:2] + self.snapshots[-1:]

    def summary_json(self) -> str:
        return json.dumps({
            "key": self.key, "config": self.config.to_dict(), "status": self.status,
            "created": self.created, "started": self.started, "finished": self.finished,
            "device": self.device, "engine_version": __version__, "iteration": self.iteration,
            "total": self.total, "seconds": self.seconds, "latest": self.latest,
            "metrics": self.metrics, "message": self.message,
            "snapshot_iterations": [iteration for iteration, _ in self.snapshots],
            "first_logged": ([int(self.log_rows[0]["iteration"]), self.log_rows[0].get("seconds", 0.0)]
                             if self.log_rows else None),
            "pid": os.getpid() if self.pid is None else self.pid, "host": socket.gethostname(),
            "node": self.node,
        })


def write_run_file(path: Path, record: RunRecord, durable: bool = False, bulk: bool = True) -> None:
    """Atomically replace `path` with `record`.

    The HDF5 file is built in memory and written with plain `os.write`: HDF5 writing to a
    full disk fails inside its own cleanup (and can crash the process), while a plain
    write fails with a clean OSError. `durable` also syncs the data to disk before the
    rename (for final states, so a power cut cannot leave a finished run's name on an empty
    file). `bulk=False` leaves out the snapshots and weights: the last resort when the disk
    is too full for the whole run. Raises OSError (disk full, read-only...) with the old
    file untouched.
    """
    image = _file_image(record, bulk)
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            view = memoryview(image)
            while view:
                view = view[os.write(fd, view):]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _file_image(record: RunRecord, bulk: bool) -> bytes:
    """The bytes of the HDF5 file holding `record` (HDF5's in-memory "core" driver)."""
    name = f"gan-explorer-{os.getpid()}-{next(_image_names)}.h5"    # never touches the disk
    with h5py.File(name, "w", driver="core", backing_store=False) as handle:
        handle.attrs["format"] = FORMAT
        handle.attrs["format_version"] = FORMAT_VERSION
        handle.attrs["summary"] = record.summary_json()
        _write_table(handle.create_group("series"), record.log_rows)
        _write_table(handle.create_group("metrics"), record.metric_rows)
        snapshots = handle.create_group("snapshots")
        weights = handle.create_group("weights")
        if bulk:
            for index, (iteration, arrays) in enumerate(record.snapshots):
                group = snapshots.create_group(f"{index:06d}")
                group.attrs["iteration"] = iteration
                for array_name, value in arrays.items():
                    group.create_dataset(array_name, data=value)
            for net, state in record.weights.items():
                group = weights.create_group(net)
                for array_name, value in state.items():
                    group.create_dataset(array_name, data=value)
        handle.flush()
        return handle.id.get_file_image()


def _write_table(group: h5py.Group, rows: list[dict[str, float]]) -> None:
    columns: list[str] = []
    for row in rows:
        columns.extend(name for name in row if name not in columns)
    for name in columns:
        values = [row.get(name, math.nan) for row in rows]
        data = np.asarray(values, dtype=np.int64 if name == "iteration" else np.float64)
        group.create_dataset(name, data=data)


class RunFile:
    """Read access to one run file by path: a cached run or a shipped pretrained generator."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    @contextlib.contextmanager
    def _open(self) -> Iterator[h5py.File]:
        try:
            handle = h5py.File(self.path, "r", locking=False)
        except FileNotFoundError:
            raise RunError(f"No run file at {self.path}.") from None
        except OSError as error:
            if _looks_pickled(self.path):
                raise RunError(f"{self.path.name} is a Python pickle (a PyTorch .pt/.pth checkpoint or similar), "
                               "not a GAN Explorer run file. Pickles can run code when loaded, so they are "
                               "never opened: weights are read only from HDF5 run files.") from None
            raise RunError(f"{self.path.name} is not a readable HDF5 file ({error}).") from None
        with handle:
            if handle.attrs.get("format") != FORMAT:
                raise RunError(f"{self.path.name} is an HDF5 file but not a GAN Explorer run.")
            if int(handle.attrs.get("format_version", 0)) > FORMAT_VERSION:
                raise RunError(f"{self.path.name} was written by a newer GAN Explorer; upgrade to read it.")
            try:
                yield handle
            except (KeyError, OSError, ValueError, TypeError) as error:
                raise RunError(f"{self.path.name} is damaged or incomplete ({error}).") from None

    def summary(self) -> RunSummary:
        """The run's summary; reads one attribute, never the arrays."""
        with self._open() as handle:
            text = handle.attrs.get("summary")
        try:
            values: dict[str, Any] = json.loads(text)
            if values["status"] not in STATUSES:
                raise ValueError(f"unknown status {values['status']!r}")
            return RunSummary(
                key=str(values["key"]), config=RunConfig.from_dict(values["config"]),
                status=str(values["status"]), created=float(values["created"]),
                started=values["started"], finished=values["finished"], device=str(values["device"]),
                engine_version=str(values["engine_version"]), iteration=int(values["iteration"]),
                total=int(values["total"]), latest=dict(values["latest"]), metrics=dict(values["metrics"]),
                snapshot_count=len(values["snapshot_iterations"]), message=str(values["message"]),
                seconds=float(values["seconds"]),
                snapshot_iterations=tuple(int(i) for i in values["snapshot_iterations"]),
                pid=values.get("pid"), host=str(values.get("host", "")),
                node=str(values.get("node") or values.get("host", "")),
                first_logged=(None if not values.get("first_logged")
                              else (int(values["first_logged"][0]), float(values["first_logged"][1]))),
            )
        except (TypeError, ValueError, KeyError, GanExplorerError) as error:
            raise RunError(f"{self.path.name} has a damaged summary ({error!r}).") from None

    def series(self) -> "pd.DataFrame":
        """Logged scalars: iteration, loss_d, loss_g, d_real, d_fake, seconds (+ any others)."""
        return self._table("series", SERIES_COLUMNS)

    def metric_series(self) -> "pd.DataFrame":
        """Metrics at snapshots: iteration + one column per metric name."""
        return self._table("metrics", ("iteration",))

    def _table(self, group_name: str, first: tuple[str, ...]) -> "pd.DataFrame":
        import pandas as pd

        with self._open() as handle:
            group = handle[group_name]
            columns = {name: group[name][()] for name in group}
        order = [name for name in first if name in columns] + sorted(set(columns) - set(first))
        frame = pd.DataFrame({name: columns[name] for name in order})
        return frame.reindex(columns=list(dict.fromkeys([*first, *order])))

    def snapshot(self, index: int) -> dict[str, np.ndarray]:
        """Arrays of snapshot `index` (0 = first, -1 = latest)."""
        with self._open() as handle:
            names = sorted(handle["snapshots"])
            if not -len(names) <= index < len(names):
                raise RunError(f"Snapshot {index} does not exist: this run has {len(names)}.")
            group = handle["snapshots"][names[index]]
            return {name: group[name][()] for name in group}

    def load_models(self, device: str = "cpu") -> tuple[RunConfig, "nn.Module", "nn.Module"]:
        """The run's configuration and its trained generator and discriminator, in eval mode.

        Only numeric arrays whose names and shapes match a freshly built model are accepted.
        """
        import torch

        from gan_engine.train.models import build_models

        config = self.summary().config
        generator, discriminator = build_models(config)
        with self._open() as handle:
            if "generator" not in handle["weights"]:
                raise RunError(f"{self.path.name} holds no trained weights (the run did not finish).")
            for net, module in (("generator", generator), ("discriminator", discriminator)):
                _load_state(module, handle["weights"][net], f"{self.path.name}: {net}", torch)
        return config, generator.to(device).eval(), discriminator.to(device).eval()


def _looks_pickled(path: Path) -> bool:
    """Whether a file starts like a pickle (protocol 2+) or like torch.save's zip of pickles."""
    try:
        with open(path, "rb") as handle:
            start = handle.read(4)
    except OSError:
        return False
    return start[:1] == b"\x80" or start == b"PK\x03\x04"


def _load_state(module: "nn.Module", group: h5py.Group, where: str, torch: Any) -> None:
    expected = module.state_dict()
    if set(group) != set(expected):
        missing = sorted(set(expected) - set(group))[:3]
        extra = sorted(set(group) - set(expected))[:3]
        raise RunError(f"{where} weights do not fit the model (missing {missing}, unexpected {extra}).")
    state = {}
    for name, reference in expected.items():
        item = group[name]
        if not isinstance(item, h5py.Dataset) or item.dtype.kind not in "fiub":
            raise RunError(f"{where} weight {name!r} is not a numeric array; refusing to load it.")
        value = torch.from_numpy(np.asarray(item[()]))
        if tuple(value.shape) != tuple(reference.shape):
            raise RunError(f"{where} weight {name!r} has shape {tuple(value.shape)}, "
                           f"expected {tuple(reference.shape)}.")
        state[name] = value.to(reference.dtype)
    module.load_state_dict(state, strict=True)


def state_arrays(module: "nn.Module") -> dict[str, np.ndarray]:
    """A module's state_dict as CPU NumPy arrays, ready for `RunRecord.weights`."""
    return {name: tensor.detach().cpu().numpy() for name, tensor in module.state_dict().items()}
