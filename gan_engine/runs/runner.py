"""Launching, deduplicating, queueing, cancelling and watching runs: the runner's contract.

`Runner` is what pages and commands call. `launch(config)` returns at once: a finished run
is served from the store, a queued or training one is attached to, anything else is handed
to a backend that trains it and writes its run file in the runs directory on this machine:

- `local` (the default; `gan_engine.runs.local`): a worker process per run on this machine,
  in its own session, waiting for CPU-aware worker slots. No server to start.
- `ray` (`gan_engine.runs.ray_backend`, needs `requirements-ray.txt`): one training task per
  run on a Ray cluster, whose updates a named actor on this machine folds into the same run
  files. For a class that outgrows one machine.

The backend is `Runner(backend=...)`, else `$GAN_EXPLORER_BACKEND`, else local. Either way
the check and the start happen under a lock (a file lock here, the store actor on Ray), so
concurrent launches from threads, processes or two servers start one training per
configuration, and progress is read from the run files, so polling costs no round trip.
"""

from __future__ import annotations

import math
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from gan_engine.config import RunConfig
from gan_engine.data.check import check_data
from gan_engine.data.paths import resolve_data_path
from gan_engine.errors import ConfigError, RunError
from gan_engine.limits import Limits
from gan_engine.runs.runfile import ACTIVE, RunSummary
from gan_engine.runs.store import CACHED_STATUSES, RunStore

BACKEND_ENV = "GAN_EXPLORER_BACKEND"
BACKENDS = ("local", "ray")
# Checked here, without torch; whether the machine has that device is the worker's to say.
DEVICE_PATTERN = re.compile(r"^(auto|cpu|mps|cuda(:\d{1,2})?)$")


@dataclass(frozen=True)
class Launch:
    """What `launch` did: "cached" (finished run served), "attached" (to a queued or
    training run), "started" (training starts now) or "queued" (it waits its turn)."""

    key: str
    outcome: str
    status: str


@dataclass(frozen=True)
class Progress:
    """A cheap snapshot of a run for polling. `queue_position` is 1 for the next to start."""

    key: str
    status: str
    iteration: int
    total: int
    fraction: float
    eta_seconds: float | None
    latest: dict[str, float]
    snapshot_count: int
    queue_position: int | None
    device: str
    message: str
    snapshot_iteration: int | None = None   # iteration of the latest snapshot written, None before one
    node: str = ""                          # where it trains: this machine, or a Ray node


@dataclass(frozen=True)
class NodeGlance:
    """One machine that trains: CPUs and GPUs in all and in use (Ray counts logical ones)."""

    name: str
    cpus: float
    cpus_busy: float
    gpus: float = 0.0
    gpus_busy: float = 0.0


@dataclass(frozen=True)
class ClusterGlance:
    """Where runs train, at a glance: the backend, its nodes, and the runs waiting."""

    backend: str
    nodes: tuple[NodeGlance, ...] = ()
    runs_waiting: int = 0
    address: str = ""
    message: str = ""          # why nothing more is known (no cluster reachable...)

    @property
    def cpus(self) -> float:
        return sum(node.cpus for node in self.nodes)

    @property
    def cpus_busy(self) -> float:
        return sum(node.cpus_busy for node in self.nodes)

    @property
    def gpus(self) -> float:
        return sum(node.gpus for node in self.nodes)

    @property
    def gpus_busy(self) -> float:
        return sum(node.gpus_busy for node in self.nodes)


class Backend(Protocol):
    """How a run that must train gets trained; `Runner` does the rest of the contract."""

    def start(self, config: RunConfig, key: str, device: str) -> Launch:
        """Atomically: serve or attach if another launch got there first, else write the
        queued run file and start its training. QueueFullError, RunError, ConfigError."""

    def cancel(self, key: str) -> bool:
        """Ask a queued or training run to stop; False when it is not live."""

    def queue(self) -> list[str]:
        """Keys waiting to train, next to start first."""

    def queue_position(self, key: str) -> int | None:
        """1 for the next to start; None when `key` is not waiting."""

    def glance(self) -> ClusterGlance:
        """The machines that train and how busy they are."""

    def housekeeping(self) -> None:
        """Cheap upkeep on every launch and poll (the local backend reaps exited workers)."""


def backend_name(name: str | None = None) -> str:
    """`name`, else `$GAN_EXPLORER_BACKEND`, else "local"; ConfigError for anything else."""
    chosen = (name or os.environ.get(BACKEND_ENV, "") or "local").strip().lower()
    if chosen not in BACKENDS:
        raise ConfigError(f"Unknown backend {chosen!r} ({BACKEND_ENV}): use local or ray.")
    return chosen


def remaining_seconds(summary: RunSummary) -> float | None:
    """Seconds a running run still needs, from its pace since its first log step; None until
    it has logged twice.

    Timing from the first log step leaves out the worker's start (loading data, building the
    models, the first snapshot), which would otherwise make an early estimate many times too
    long: a 7-second run once said "7:53 left" at its 10th iteration.
    """
    first = summary.first_logged
    elapsed = summary.latest.get("seconds", summary.seconds)
    if first is None or summary.iteration <= first[0] or not math.isfinite(elapsed):
        return None
    pace = max(elapsed - first[1], 0.0) / (summary.iteration - first[0])
    return pace * max(summary.total - summary.iteration, 0)


class Runner:
    """Launches runs under this server's limits, on the local or the Ray backend."""

    def __init__(self, store: RunStore | None = None, max_workers: int | None = None,
                 max_queue: int | None = None, limits: Limits | None = None,
                 allow_any_data_path: bool | None = None, backend: str | None = None,
                 ray_address: str | None = None) -> None:
        """`allow_any_data_path` (default: `GAN_EXPLORER_LOCAL`) lets a run read data outside
        the configured data directory; a hosted demo's visitors may not. `max_workers` is
        the local backend's CPU slots. `ray_address` (default `$GAN_EXPLORER_RAY_ADDRESS`,
        else "auto") is only read by the Ray backend, which connects on first use."""
        self.backend_name = backend_name(backend)
        self.store = store or RunStore()
        self.allow_any_data_path = allow_any_data_path
        self.limits = limits or Limits.from_env(backend=self.backend_name)
        self.max_workers = max_workers if max_workers is not None else self.limits.max_workers
        self.max_queue = max_queue if max_queue is not None else self.limits.max_queue
        self.dir = self.store.dir
        self.backend: Backend
        if self.backend_name == "ray":
            from gan_engine.runs.ray_backend import RayBackend   # ray itself loads on first use

            self.backend = RayBackend(self, ray_address)
        else:
            from gan_engine.runs.local import LocalBackend

            self.backend = LocalBackend(self)

    def launch(self, config: RunConfig, device: str = "auto") -> Launch:
        """Serve, attach to, or start the run of `config`. Returns at once.

        A relative `data_path` is made absolute as `resolve_data_path` resolves it (so the
        worker reads the file that was checked, whatever its working directory); the
        returned key is then that of the resolved configuration.

        Raises ConfigError for an invalid or oversized configuration or an unknown `device`
        name (on Ray, also for CUDA on a cluster without GPUs), DataError for a data path
        outside the data directory (unless allowed) or data that cannot be trained on
        (`data_check.check_data`, run before anything is written), QueueFullError when the
        queue is at its limit, RunError when the runs directory cannot be written or no Ray
        cluster is reachable. Nothing is written when it raises.
        """
        config.validate()
        if config.data_path:
            resolved = resolve_data_path(config.data_path, allow_outside=self.allow_any_data_path)
            if not Path(config.data_path).is_absolute():
                config = config.replace(data_path=str(resolved))
        if not DEVICE_PATTERN.match(device):
            raise ConfigError(f"Unknown device {device!r}: use auto, cpu, cuda, cuda:N or mps.")
        key = config.key()
        self.backend.housekeeping()
        cached = self.served(key)
        if cached is not None:
            return cached
        self.limits.check_run(config)
        # Before any lock: reading a large CSV must not hold up other launches.
        check_data(config)
        return self.backend.start(config, key, device)

    def served(self, key: str) -> Launch | None:
        """A Launch for a cached or live run of `key`, or None when it must be trained."""
        try:
            summary = self.store.summary(key)
        except RunError:
            return None    # an unreadable file is replaced by a fresh run
        if summary is None:
            return None
        if summary.status in CACHED_STATUSES:
            self.store.mark_used(key)
            return Launch(key, "cached", summary.status)
        if summary.status in ACTIVE:
            return Launch(key, "attached", summary.status)
        return None

    def progress(self, key: str) -> Progress:
        """Where run `key` stands; cheap enough to call every second. RunError if unknown."""
        self.backend.housekeeping()
        summary = self.store.summary(key)
        if summary is None:
            raise RunError(f"No run {key}: it was deleted or evicted; launch it again.")
        total = max(summary.total, 1)
        fraction = 1.0 if summary.status in CACHED_STATUSES else min(summary.iteration / total, 1.0)
        eta = remaining_seconds(summary) if summary.status == "running" else None
        position = self.backend.queue_position(key) if summary.status == "queued" else None
        return Progress(key=key, status=summary.status, iteration=summary.iteration, total=summary.total,
                        fraction=fraction, eta_seconds=eta, latest=summary.latest,
                        snapshot_count=summary.snapshot_count, queue_position=position,
                        device=summary.device, message=summary.message,
                        snapshot_iteration=summary.snapshot_iterations[-1] if summary.snapshot_iterations else None,
                        node=summary.node)

    def cancel(self, key: str) -> bool:
        """Ask a queued or training run to stop; False when it is not live."""
        self.store.run_path(key)
        if not self.dir.is_live(key):
            return False
        return self.backend.cancel(key)

    def queue(self) -> list[str]:
        """Keys waiting to train, next to start first."""
        return self.backend.queue()

    def cluster(self) -> ClusterGlance:
        """The machines that train runs, how busy they are, and how many runs wait."""
        return self.backend.glance()

    def wait(self, key: str, timeout: float | None = None, poll: float = 0.2) -> Progress:
        """Poll until `key` leaves queued/running (or `timeout` seconds pass); its last Progress."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            progress = self.progress(key)
            if progress.status not in ACTIVE or (deadline is not None and time.monotonic() > deadline):
                return progress
            time.sleep(poll)
