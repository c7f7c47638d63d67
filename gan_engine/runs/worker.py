"""The worker process of one run: `python -m gan_engine worker KEY`, started by the runner.

1. Holding the run's lock (handed over by the launcher), wait in the FIFO queue for as many
   free worker slots as the run trains on CPUs, leaving early if the run is cancelled. This phase needs the standard library
   only, so a waiting worker costs ~10 MB, not the ~250 MB torch takes.
2. Train, writing the run file about once a second (adaptively less often when writing is
   slow, so saving never costs more than ~5 % of the time) and at once on the first log,
   so a page sees progress as soon as there is some. An MNIST run is scored at each
   snapshot by the two shipped classifiers (`judge.quality.snapshot_judge`), so its quality
   is in its metric series and final metrics; the Ray task trains through the same
   `run_training`, so its runs are judged alike.
3. Write the final state with the weights (synced to disk), then evict least-recently-used
   runs if the cache is over its size limit.

A kill at any instant leaves the last complete file, which says queued or running; once the
lock is gone the store reports such a run as interrupted.
"""

from __future__ import annotations

import logging
import os
import signal
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gan_engine.errors import GanExplorerError, RunError
from gan_engine.limits import THREADS_ENV, available_cpus, borrowed_threads, threads_setting
from gan_engine.runs.coordination import RunDir

if TYPE_CHECKING:
    import numpy as np

    from gan_engine.config import RunConfig
    from gan_engine.runs.runfile import RunRecord

log = logging.getLogger("gan_engine.runs.worker")
QUEUE_POLL_SECONDS = 0.2
CANCEL_POLL_SECONDS = 0.1
IDLE_POLL_SECONDS = 1.0      # how often an image run looks for idle slots to borrow threads from
MIN_FLUSH_SECONDS = 1.0
# Wait at least this many times the last write's duration before writing again (<= 5 %).
FLUSH_COST_FACTOR = 20.0


class _Stop:
    """Set by SIGTERM (a shutdown): the run should stop early and say so."""

    def __init__(self) -> None:
        self.terminated = False

    def on_sigterm(self, signum: int, frame: Any) -> None:
        self.terminated = True


def run_worker(key: str, root: Path, lock_fd: int | None = None, max_workers: int = 1,
               device: str = "auto", cache_bytes: int | None = None, cpus: int = 1) -> int:
    """Run `key` from its queued file in `root` to a final state; returns the exit code.

    `lock_fd` is the run's lock descriptor inherited from the launcher; without it the
    worker takes the lock itself and fails if another worker holds it. The run takes `cpus`
    of the `max_workers` slots and trains on that many threads.
    """
    cpus = max(1, min(cpus, max_workers))
    pinned = threads_setting() is not None    # GAN_EXPLORER_THREADS given: exactly that many, never more
    run_dir = RunDir(root)
    if lock_fd is None:
        with run_dir.runner_lock():     # as a launcher does, so lock files are never swapped under us
            lock_fd = run_dir.take_key_lock(key)
            if lock_fd is None:
                raise RunError(f"Run {key} already has a worker.")
            run_dir.enqueue(key, time.time_ns())
    stop = _Stop()
    signal.signal(signal.SIGTERM, stop.on_sigterm)
    log.info("worker %d: run %s waiting for %d of %d slot(s)", os.getpid(), key, cpus, max_workers)
    slot_fds = _wait_for_slots(run_dir, key, max_workers, cpus, stop)
    try:
        os.environ[THREADS_ENV] = str(cpus)      # the threads it trains on are the slots it holds
        idle = None if pinned else _IdleSlots(run_dir, max_workers, cpus)
        code = _run(run_dir, key, device, stop, slot_fds is not None, idle)
    finally:
        run_dir.dequeue(key)
        for slot_fd in slot_fds or ():
            os.close(slot_fd)
        # Only now does the run stop looking live: its final state is already on disk.
        os.close(lock_fd)
    if cache_bytes is not None:
        from gan_engine.runs.store import RunStore

        evicted = RunStore(root).evict(cache_bytes, keep=(key,))
        if evicted:
            log.info("evicted least recently used runs: %s", ", ".join(evicted))
    return code


def _wait_for_slots(run_dir: RunDir, key: str, capacity: int, cpus: int, stop: _Stop) -> list[int] | None:
    """`cpus` held slot descriptors once this run is first in line; None if cancelled first.

    Strictly first come, first served: a toy run behind an image run that waits for two
    slots waits too, so an image run is never starved by a stream of small ones.
    """
    while not (stop.terminated or run_dir.cancel_requested(key)):
        waiting = run_dir.waiting()
        if not waiting or waiting[0] == key or key not in waiting:
            slot_fds = run_dir.take_slots(capacity, cpus)
            if slot_fds is not None:
                run_dir.dequeue(key)
                return slot_fds
        time.sleep(QUEUE_POLL_SECONDS)
    return None


class _IdleSlots:
    """Lends an image run the threads of worker slots nobody holds (`limits.borrowed_threads`),
    looking at most once a second, so a run alone on a 2-core machine trains on both cores
    and gives one back as soon as another run takes its slot."""

    def __init__(self, run_dir: RunDir, capacity: int, own: int) -> None:
        self.run_dir, self.capacity, self.own = run_dir, capacity, own
        self.cpus = available_cpus()
        self.threads = own
        self._next_look = 0.0

    def adjust(self) -> int:
        """Set torch's thread count to what the slots allow now; returns it."""
        now = time.monotonic()
        if now >= self._next_look:
            self._next_look = now + IDLE_POLL_SECONDS
            threads = borrowed_threads(self.own, self.capacity, self.run_dir.busy_slots(self.capacity), self.cpus)
            if threads != self.threads:
                import torch   # loaded by the training that calls this

                torch.set_num_threads(threads)
                log.info("worker %d: training on %d thread(s)", os.getpid(), threads)
                self.threads = threads
        return self.threads


def _run(run_dir: RunDir, key: str, device: str, stop: _Stop, got_slot: bool, idle: _IdleSlots | None) -> int:
    from gan_engine.runs.runfile import RunFile, RunRecord

    path = run_dir.run_file(key)
    queued = RunFile(path).summary()
    record = RunRecord(key=key, config=queued.config, created=queued.created, total=queued.config.iterations)
    writer = RunWriter(path, record)
    if not got_slot:
        record.status = "interrupted" if stop.terminated else "cancelled"
        record.message = ("The worker was terminated while waiting in the queue." if stop.terminated
                          else "Cancelled while waiting in the queue.")
        record.finished = time.time()
        writer.final()
        run_dir.clear_cancel(key)
        return 0
    # Say "running" before the slow torch import, so the page stops showing a queue place.
    record.status, record.started = "running", time.time()
    writer.flush(force=True)
    _train(record, writer, run_dir, key, device, stop, None if record.config.is_toy else idle)
    saved = writer.final()
    run_dir.clear_cancel(key)
    run_dir.mark_used(key)
    log.info("worker %d: run %s ended %s", os.getpid(), key, record.status)
    from gan_engine.runs.runfile import CACHED_STATUSES

    return 0 if saved and record.status in CACHED_STATUSES else 1


def _train(record: "RunRecord", writer: "RunWriter", run_dir: RunDir, key: str, device: str, stop: _Stop,
           idle: _IdleSlots | None) -> None:
    """Train `record.config`, filling `record`; every outcome ends in a final status. With
    `idle`, an image run on the CPU also trains on the threads of idle slots."""
    def flush_device(name: str) -> None:
        record.device = name
        writer.flush(force=True)

    # train() only calls the four TrainingCallbacks methods, which _StoreCallbacks has;
    # not subclassing keeps this module importable without torch.
    callbacks = _StoreCallbacks(writer, run_dir, key, stop, idle)
    outcome = run_training(record.config, device, callbacks, on_device=flush_device)
    fold_outcome(record, outcome, writer.error)
    if stop.terminated and outcome.status == "cancelled" and writer.error is None:
        record.status, record.message = "interrupted", "The worker was terminated (SIGTERM) before the end."


@dataclass
class TrainingOutcome:
    """How a training ended, in plain values: what a run file's final state needs.

    The Ray backend ships it from a worker node to the run store as it is (arrays only)."""

    status: str                  # done | diverged | cancelled | failed
    message: str = ""
    device: str = ""
    seconds: float = 0.0
    iterations: int = 0
    metrics: dict[str, float] = field(default_factory=dict)
    weights: dict[str, dict[str, "np.ndarray"]] = field(default_factory=dict)


def run_training(config: "RunConfig", device: str, callbacks: Any, on_device: Any = None) -> TrainingOutcome:
    """Train `config` with `callbacks`; every ending, a crash included, is a TrainingOutcome.

    `on_device(name)` is called with the resolved device before the first step.
    """
    from gan_engine.runs.runfile import state_arrays

    try:
        from gan_engine.train.loop import resolve_device, train

        if on_device is not None:
            on_device(str(resolve_device(device)))
        result = train(config, device=device, callbacks=callbacks, judge=_snapshot_judge(config))
        return TrainingOutcome(result.status, result.message, result.device, result.seconds, result.iterations,
                               {name: float(value) for name, value in result.metrics.items()},
                               {"generator": state_arrays(result.generator),
                                "discriminator": state_arrays(result.discriminator)})
    except GanExplorerError as error:
        return TrainingOutcome("failed", str(error))
    except MemoryError:
        return TrainingOutcome("failed", "The run ran out of memory; try a smaller batch or model.")
    except Exception as error:  # any other crash must still end in a recorded, not-done state
        log.error("training crashed:\n%s", traceback.format_exc())
        return TrainingOutcome("failed", f"Training crashed: {type(error).__name__}: {error}")


def _snapshot_judge(config: "RunConfig") -> Any:
    """What scores an MNIST run's snapshots (None for other targets); when the classifiers
    cannot be loaded the run still trains, unjudged, and the log says why."""
    if config.target != "mnist":
        return None
    from gan_engine.judge.quality import snapshot_judge

    try:
        return snapshot_judge(config)
    except GanExplorerError as error:
        log.warning("run trains without quality scores: %s", error)
        return None


def fold_outcome(record: "RunRecord", outcome: TrainingOutcome, write_error: OSError | None = None) -> None:
    """Put a training's ending into `record` (the final state before `RunWriter.final`)."""
    record.status, record.message = outcome.status, outcome.message
    record.device = outcome.device or record.device
    if outcome.status != "failed":
        record.seconds = outcome.seconds
        record.iteration = max(record.iteration, outcome.iterations)   # a divergence may end between logs
        record.metrics = {**record.metrics, **outcome.metrics}
        record.weights = outcome.weights
    if write_error is not None:
        record.status = "failed"
        record.message = f"The run file could not be written ({write_error}); training was stopped."
    record.finished = time.time()


class RunWriter:
    """Saves a RunRecord atomically, at most about once a second."""

    def __init__(self, path: Path, record: "RunRecord") -> None:
        self.path, self.record = path, record
        self.error: OSError | None = None
        self._last = 0.0
        self._interval = MIN_FLUSH_SECONDS

    def flush(self, force: bool = False) -> None:
        """Write now if forced or the interval has passed; a failed write stops training."""
        from gan_engine.runs.runfile import write_run_file

        now = time.monotonic()
        if self.error is not None or (not force and now - self._last < self._interval):
            return
        try:
            write_run_file(self.path, self.record)
        except OSError as error:
            log.error("could not write %s: %s", self.path, error)
            self.error = error
            return
        self._last = time.monotonic()
        self._interval = max(MIN_FLUSH_SECONDS, FLUSH_COST_FACTOR * (self._last - now))

    def final(self) -> bool:
        """Write the final state durably; when the disk is too full, at least the status."""
        from gan_engine.runs.runfile import write_run_file

        try:
            write_run_file(self.path, self.record, durable=True)
            return True
        except OSError as error:
            log.error("could not write the final run file: %s", error)
            self.record.status = "failed"
            self.record.message = f"The run's results could not be saved ({error.strerror or error})."
        try:
            write_run_file(self.path, self.record, durable=True, bulk=False)
        except OSError as error:
            log.error("could not write even the run's status: %s", error)
        return False


class _StoreCallbacks:
    """TrainingCallbacks that record progress into the run file and poll for cancellation."""

    def __init__(self, writer: RunWriter, run_dir: RunDir, key: str, stop: _Stop,
                 idle: _IdleSlots | None) -> None:
        self.writer, self.run_dir, self.key, self.stop = writer, run_dir, key, stop
        self.idle = idle
        self._next_cancel_poll = 0.0
        self._cancelled = False

    def on_log(self, iteration: int, total: int, scalars: dict[str, float]) -> None:
        record = self.writer.record
        first = not record.log_rows
        record.add_log(iteration, total, scalars)
        if self.idle is not None and record.device == "cpu":
            record.latest["threads"] = float(self.idle.adjust())   # shown beside the device while it trains
        self.writer.flush(force=first)

    def on_metrics(self, iteration: int, metrics: dict[str, float]) -> None:
        self.writer.record.add_metrics(iteration, metrics)
        self.writer.flush()

    def on_snapshot(self, iteration: int, arrays: dict[str, Any]) -> None:
        first = not self.writer.record.snapshots
        self.writer.record.add_snapshot(iteration, arrays)
        self.writer.flush(force=first)

    def should_stop(self) -> bool:
        now = time.monotonic()
        if not self._cancelled and now >= self._next_cancel_poll:
            self._next_cancel_poll = now + CANCEL_POLL_SECONDS
            self._cancelled = self.run_dir.cancel_requested(self.key)
        return self._cancelled or self.stop.terminated or self.writer.error is not None
