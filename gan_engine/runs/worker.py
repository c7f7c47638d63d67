"""The worker process of one run: `python -m gan_engine worker KEY`, started by the runner.

1. Holding the run's lock (handed over by the launcher), wait in the FIFO queue for a free
   worker slot, leaving early if the run is cancelled. This phase needs the standard library
   only, so a waiting worker costs ~10 MB, not the ~250 MB torch takes.
2. Train, writing the run file about once a second (adaptively less often when writing is
   slow, so saving never costs more than ~5 % of the time) and at once on the first log,
   so a page sees progress as soon as there is some. An MNIST run is scored at each
   snapshot by the judge its launcher hands over (`judge_factory`; the command line's worker
   passes the two shipped classifiers, `judge.quality`), so its quality is in its metrics.
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
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gan_engine.runs.coordination import RunDir
from gan_engine.errors import GanExplorerError, RunError

if TYPE_CHECKING:
    from gan_engine.config import RunConfig
    from gan_engine.runs.runfile import RunRecord

# config -> the judge `train.loop.train` calls at each snapshot, or None (runs cannot import judge)
JudgeFactory = Callable[["RunConfig"], Any]

log = logging.getLogger("gan_engine.runs.worker")
QUEUE_POLL_SECONDS = 0.2
CANCEL_POLL_SECONDS = 0.1
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
               device: str = "auto", cache_bytes: int | None = None,
               judge_factory: JudgeFactory | None = None) -> int:
    """Run `key` from its queued file in `root` to a final state; returns the exit code.

    `lock_fd` is the run's lock descriptor inherited from the launcher; without it the
    worker takes the lock itself and fails if another worker holds it. `judge_factory(config)`
    is called once the run has its slot; what it returns scores the snapshots (None: no judge).
    """
    run_dir = RunDir(root)
    if lock_fd is None:
        with run_dir.runner_lock():     # as a launcher does, so lock files are never swapped under us
            lock_fd = run_dir.take_key_lock(key)
            if lock_fd is None:
                raise RunError(f"Run {key} already has a worker.")
            run_dir.enqueue(key, time.time_ns())
    stop = _Stop()
    signal.signal(signal.SIGTERM, stop.on_sigterm)
    log.info("worker %d: run %s waiting for one of %d slot(s)", os.getpid(), key, max_workers)
    slot_fd = _wait_for_slot(run_dir, key, max_workers, stop)
    try:
        code = _run(run_dir, key, device, stop, slot_fd is not None, judge_factory)
    finally:
        run_dir.dequeue(key)
        if slot_fd is not None:
            os.close(slot_fd)
        # Only now does the run stop looking live: its final state is already on disk.
        os.close(lock_fd)
    if cache_bytes is not None:
        from gan_engine.runs.store import RunStore

        evicted = RunStore(root).evict(cache_bytes, keep=(key,))
        if evicted:
            log.info("evicted least recently used runs: %s", ", ".join(evicted))
    return code


def _wait_for_slot(run_dir: RunDir, key: str, max_workers: int, stop: _Stop) -> int | None:
    """A held slot descriptor once this run is first in line; None if cancelled first."""
    while not (stop.terminated or run_dir.cancel_requested(key)):
        waiting = run_dir.waiting()
        if not waiting or waiting[0] == key or key not in waiting:
            slot_fd = run_dir.take_slot(max_workers)
            if slot_fd is not None:
                run_dir.dequeue(key)
                return slot_fd
        time.sleep(QUEUE_POLL_SECONDS)
    return None


def _run(run_dir: RunDir, key: str, device: str, stop: _Stop, got_slot: bool,
         judge_factory: JudgeFactory | None = None) -> int:
    from gan_engine.runs.runfile import RunFile, RunRecord

    path = run_dir.run_file(key)
    queued = RunFile(path).summary()
    record = RunRecord(key=key, config=queued.config, created=queued.created, total=queued.config.iterations)
    writer = _RunWriter(path, record)
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
    _train(record, writer, run_dir, key, device, stop, judge_factory)
    saved = writer.final()
    run_dir.clear_cancel(key)
    run_dir.mark_used(key)
    log.info("worker %d: run %s ended %s", os.getpid(), key, record.status)
    from gan_engine.runs.runfile import CACHED_STATUSES

    return 0 if saved and record.status in CACHED_STATUSES else 1


def _train(record: "RunRecord", writer: "_RunWriter", run_dir: RunDir, key: str, device: str, stop: _Stop,
           judge_factory: JudgeFactory | None = None) -> None:
    """Train `record.config`, filling `record`; every outcome ends in a final status."""
    from gan_engine.runs.runfile import state_arrays

    try:
        from gan_engine.train.loop import resolve_device, train

        record.device = str(resolve_device(device))
        writer.flush(force=True)
        # train() only calls the four TrainingCallbacks methods, which _StoreCallbacks has;
        # not subclassing keeps this module importable without torch.
        callbacks = _StoreCallbacks(writer, run_dir, key, stop)
        result = train(record.config, device=device, callbacks=callbacks, judge=_judge(judge_factory, record.config))
        record.status, record.message = result.status, result.message
        record.device, record.seconds = result.device, result.seconds
        record.iteration = max(record.iteration, result.iterations)   # a divergence may end between logs
        record.metrics = {**record.metrics, **{name: float(v) for name, v in result.metrics.items()}}
        record.weights = {"generator": state_arrays(result.generator),
                          "discriminator": state_arrays(result.discriminator)}
        if writer.error is not None:
            record.status = "failed"
            record.message = f"The run file could not be written ({writer.error}); training was stopped."
        elif stop.terminated and result.status == "cancelled":
            record.status, record.message = "interrupted", "The worker was terminated (SIGTERM) before the end."
    except GanExplorerError as error:
        record.status, record.message = "failed", str(error)
    except MemoryError:
        record.status, record.message = "failed", "The run ran out of memory; try a smaller batch or model."
    except Exception as error:  # any other crash must still end in a recorded, not-done state
        log.error("training crashed:\n%s", traceback.format_exc())
        record.status, record.message = "failed", f"Training crashed: {type(error).__name__}: {error}"
    record.finished = time.time()


def _judge(factory: JudgeFactory | None, config: "RunConfig") -> Any:
    """The snapshot judge for `config`, or None; a judge that cannot be loaded leaves the run unjudged."""
    if factory is None:
        return None
    try:
        return factory(config)
    except GanExplorerError as error:
        log.warning("run trains without quality scores: %s", error)
        return None


class _RunWriter:
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

    def __init__(self, writer: _RunWriter, run_dir: RunDir, key: str, stop: _Stop) -> None:
        self.writer, self.run_dir, self.key, self.stop = writer, run_dir, key, stop
        self._next_cancel_poll = 0.0
        self._cancelled = False

    def on_log(self, iteration: int, total: int, scalars: dict[str, float]) -> None:
        first = not self.writer.record.log_rows
        self.writer.record.add_log(iteration, total, scalars)
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
