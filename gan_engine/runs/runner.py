"""Launching, deduplicating, queueing, cancelling and watching runs in worker processes.

`Runner.launch(config)` returns at once. A finished run is served from the store; a queued
or training one is attached to; anything else gets a fresh worker: the engine's own command
line (`python -m gan_engine worker KEY`) in its own process session, so a Streamlit rerun,
a closed tab or a stopped server does not stop it. The check and the spawn happen under a
lock file in the runs directory, so concurrent launches from threads, processes or two
servers sharing the directory start exactly one worker per configuration. There is no
daemon: each worker waits for one of `max_workers` slots in the order it was queued.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from gan_engine.config import RunConfig
from gan_engine.data.check import check_data
from gan_engine.data.paths import resolve_data_path
from gan_engine.errors import ConfigError, QueueFullError, RunError
from gan_engine.limits import Limits
from gan_engine.runs.runfile import ACTIVE, RunRecord, RunSummary, write_run_file
from gan_engine.runs.store import CACHED_STATUSES, RunStore

PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])   # the folder that holds gan_engine/
# Checked here, without torch; whether the machine has that device is the worker's to say.
DEVICE_PATTERN = re.compile(r"^(auto|cpu|mps|cuda(:\d{1,2})?)$")
EXIT_WAIT_SECONDS = 5.0


@dataclass(frozen=True)
class Launch:
    """What `launch` did: "cached" (finished run served), "attached" (to a queued or
    training run), "started" (a worker starts now) or "queued" (a worker waits its turn)."""

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
    """Launches runs into worker processes, under this server's limits."""

    def __init__(self, store: RunStore | None = None, max_workers: int | None = None,
                 max_queue: int | None = None, limits: Limits | None = None,
                 allow_any_data_path: bool | None = None) -> None:
        """`allow_any_data_path` (default: `GAN_EXPLORER_LOCAL`) lets a run read data outside
        the configured data directory; a hosted demo's visitors may not."""
        self.store = store or RunStore()
        self.allow_any_data_path = allow_any_data_path
        self.limits = limits or Limits.from_env()
        self.max_workers = max_workers if max_workers is not None else self.limits.max_workers
        self.max_queue = max_queue if max_queue is not None else self.limits.max_queue
        self.dir = self.store.dir
        self._children: list[subprocess.Popen[bytes]] = []
        self._children_lock = threading.Lock()

    def launch(self, config: RunConfig, device: str = "auto") -> Launch:
        """Serve, attach to, or start the run of `config`. Returns at once.

        A relative `data_path` is made absolute as `resolve_data_path` resolves it (so the
        worker reads the file that was checked, whatever its working directory); the
        returned key is then that of the resolved configuration.

        Raises ConfigError for an invalid or oversized configuration or an unknown `device`
        name, DataError for a data path outside the data directory (unless allowed) or data
        that cannot be trained on (`data_check.check_data`, run before anything is written),
        QueueFullError when the queue is at its limit, RunError when the runs directory
        cannot be written. Nothing is written when it raises.
        """
        config.validate()
        if config.data_path:
            resolved = resolve_data_path(config.data_path, allow_outside=self.allow_any_data_path)
            if not Path(config.data_path).is_absolute():
                config = config.replace(data_path=str(resolved))
        if not DEVICE_PATTERN.match(device):
            raise ConfigError(f"Unknown device {device!r}: use auto, cpu, cuda, cuda:N or mps.")
        key = config.key()
        self._reap()
        cached = self._served(key)
        if cached is not None:
            return cached
        self.limits.check_run(config)
        # Outside the runner lock: reading a large CSV must not hold up other launches.
        check_data(config)
        with self.dir.runner_lock():
            served = self._served(key)
            if served is not None:
                return served
            # Runs just launched into free slots are still in line for a moment: only those
            # beyond the free slots will really wait.
            waiting = len(self.dir.waiting()) - self._free_slots()
            if waiting >= self.max_queue:
                raise QueueFullError(f"The training queue is full ({waiting} runs waiting for "
                                     f"{self.max_workers} worker(s)); try again in a few minutes.")
            starts_now = waiting < 0
            self._spawn(config, key, device)
        return Launch(key, "started" if starts_now else "queued", "queued")

    def _served(self, key: str) -> Launch | None:
        """A Launch for a cached or live run of `key`, or None when a worker must start."""
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

    def _spawn(self, config: RunConfig, key: str, device: str) -> None:
        """Write the queued run and start its worker; call under the runner lock."""
        # A worker that has written its final state may still be exiting (evicting old runs).
        deadline = time.monotonic() + EXIT_WAIT_SECONDS
        while (lock_fd := self.dir.take_key_lock(key)) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        if lock_fd is None:
            raise RunError(f"The previous worker of run {key} is still finishing; try again in a moment.")
        path = self.dir.run_file(key)
        try:
            for leftover in path.parent.glob(f"{path.name}.tmp-*"):
                leftover.unlink(missing_ok=True)
            self.dir.clear_cancel(key)
            write_run_file(path, RunRecord(key=key, config=config, total=config.iterations))
            self.dir.enqueue(key, time.time_ns())
            command = [sys.executable, "-m", "gan_engine", "worker", key, "--runs", str(self.store.root),
                       "--lock-fd", str(lock_fd), "--max-workers", str(self.max_workers), "--device", device]
            if self.limits.cache_bytes is not None:
                command += ["--cache-bytes", str(self.limits.cache_bytes)]
            environment = dict(os.environ)
            environment["PYTHONPATH"] = os.pathsep.join(
                filter(None, [PACKAGE_PARENT, environment.get("PYTHONPATH")]))
            with open(self.dir.log_file(key), "ab") as log_file:
                child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log_file,
                                         stderr=subprocess.STDOUT, pass_fds=(lock_fd,),
                                         start_new_session=True, env=environment)
        except OSError as error:
            self.dir.dequeue(key)
            with contextlib.suppress(OSError):
                path.unlink()
            raise RunError(f"Could not start a worker for run {key}: {error}.") from None
        finally:
            # The child holds its own copy of the locked descriptor from here on.
            os.close(lock_fd)
        with self._children_lock:
            self._children.append(child)

    def _free_slots(self) -> int:
        return self.max_workers - self.dir.busy_slots(self.max_workers)

    def _reap(self) -> None:
        """Collect exit statuses of finished workers this runner started (no zombies)."""
        with self._children_lock:
            self._children = [child for child in self._children if child.poll() is None]

    def progress(self, key: str) -> Progress:
        """Where run `key` stands; cheap enough to call every second. RunError if unknown."""
        self._reap()
        summary = self.store.summary(key)
        if summary is None:
            raise RunError(f"No run {key}: it was deleted or evicted; launch it again.")
        total = max(summary.total, 1)
        fraction = 1.0 if summary.status in CACHED_STATUSES else min(summary.iteration / total, 1.0)
        eta = None
        if summary.status == "running":
            eta = remaining_seconds(summary)
        position = None
        if summary.status == "queued":
            waiting = self.dir.waiting()
            if key in waiting:
                position = max(1, waiting.index(key) + 1 - self._free_slots())
        return Progress(key=key, status=summary.status, iteration=summary.iteration, total=summary.total,
                        fraction=fraction, eta_seconds=eta, latest=summary.latest,
                        snapshot_count=summary.snapshot_count, queue_position=position,
                        device=summary.device, message=summary.message,
                        snapshot_iteration=summary.snapshot_iterations[-1] if summary.snapshot_iterations else None)

    def cancel(self, key: str) -> bool:
        """Ask a queued or training run to stop; False when it is not live."""
        self.store.run_path(key)
        if not self.dir.is_live(key):
            return False
        self.dir.request_cancel(key)
        return True

    def queue(self) -> list[str]:
        """Keys waiting for a worker slot, next to start first."""
        return self.dir.waiting()

    def wait(self, key: str, timeout: float | None = None, poll: float = 0.2) -> Progress:
        """Poll until `key` leaves queued/running (or `timeout` seconds pass); its last Progress."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            progress = self.progress(key)
            if progress.status not in ACTIVE or (deadline is not None and time.monotonic() > deadline):
                return progress
            time.sleep(poll)
