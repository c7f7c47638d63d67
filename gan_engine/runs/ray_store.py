"""The Ray backend's run store: one long-lived named actor on the dashboard's machine.

It is the only writer of the runs directory for Ray runs, and it lives where the pages read
it: the head node advertises a custom resource (`gan_explorer_store`) and the actor asks for
a sliver of it, so Ray can place it nowhere else. One actor per runs directory.

- **Launch** (`launch`): under a lock of the actor and the runs directory's own lock file
  (shared with the local backend), a finished run is served, a live one attached to, else
  the queued run file is written, the run's lock taken and one training task submitted
  (`ray_task.train_task`, `max_retries=0`): one task per configuration however many
  launches race, from threads or from processes, since they all end here.
- **Liveness**: the actor holds each active run's lock file (`coordination.RunDir`), as a
  local worker does, so the store reads a run as interrupted if the actor itself dies.
- **Updates**: a thread per run iterates the task's stream and folds it into a `RunRecord`,
  saved with the local worker's `RunWriter` (atomic, about once a second, synced at the
  end): the same run file, the same format.
- **Endings**: the final update holds the weights; a cancelled task ends "cancelled"; a task
  lost with its worker process or its node ends "interrupted" with the node named, and a
  later launch trains it afresh wherever Ray finds room.
- **Cancel**: a queued task is cancelled in Ray's queue; a running one sees the request at
  its next poll (`should_stop`, twice a second) and ends as a local run does.
- **Watchdog**: a queued run that no live node could ever take (its GPU node left) fails
  with a message after `INFEASIBLE_SECONDS`, rather than waiting forever.
"""

from __future__ import annotations

import hashlib
import os
import socket
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gan_engine import __version__
from gan_engine.config import ENGINE_FORMAT_VERSION, RunConfig
from gan_engine.errors import ConfigError, GanExplorerError, QueueFullError, RunError
from gan_engine.limits import image_run_threads
from gan_engine.runs.runfile import ACTIVE, RunRecord, write_run_file
from gan_engine.runs.store import CACHED_STATUSES, RunStore
from gan_engine.runs.worker import TrainingOutcome, RunWriter, fold_outcome

STORE_RESOURCE = "gan_explorer_store"
KEY_LOCK_WAIT_SECONDS = 5.0
WATCH_SECONDS = 2.0
INFEASIBLE_SECONDS = 10.0
DATA_OBJECTS_KEPT = 4
JOIN_COMMAND = "ray start --address=<head address>:6379"


@dataclass
class _ActiveRun:
    key: str
    record: RunRecord
    writer: RunWriter
    lock_fd: int
    cpus: int
    gpus: int
    cache_bytes: int | None
    generator: Any = None
    started: bool = False
    stop: bool = False
    failure: str = ""                 # set by the watchdog: why it can never start
    infeasible_since: float | None = None
    submitted: float = field(default_factory=time.monotonic)


class RunStoreActor:
    """The Ray actor that launches, watches and records runs of one runs directory."""

    def __init__(self, root: str) -> None:
        import ray

        from gan_engine.runs.ray_task import train_task

        self._ray = ray
        self.store = RunStore(root)
        self.dir = self.store.dir
        self._lock = threading.Lock()
        self._runs: dict[str, _ActiveRun] = {}
        self._tasks_submitted: dict[str, int] = {}
        self._data = _DataShelf(ray)
        self._task = ray.remote(train_task)
        self._handle = ray.get_runtime_context().current_actor
        threading.Thread(target=self._watch, name="watchdog", daemon=True).start()

    def hello(self) -> dict:
        """Who and where this actor is, for the dashboard to check it shares its machine."""
        return {"host": socket.gethostname(), "version": __version__, "format": ENGINE_FORMAT_VERSION,
                "pid": os.getpid(), "root": str(self.store.root)}

    def tasks_submitted(self, key: str) -> int:
        """How many training tasks this actor has submitted for `key` (tests count them)."""
        return self._tasks_submitted.get(key, 0)

    # ---- launch --------------------------------------------------------------------------

    def launch(self, request: dict) -> dict:
        """Serve, attach or start; {"outcome", "status"} or {"error": class name, "message"}."""
        try:
            with self._lock, self.dir.runner_lock():
                return self._launch(request)
        except GanExplorerError as error:
            return {"error": type(error).__name__, "message": str(error)}

    def _launch(self, request: dict) -> dict:
        key = request["key"]
        served = self._served(key)
        if served is not None:
            return {"outcome": served[0], "status": served[1]}
        waiting, free = self._line()
        if waiting >= request["max_queue"]:
            raise QueueFullError(f"The training queue is full ({waiting} runs waiting for the Ray cluster); "
                                 f"try again in a few minutes.")
        config = RunConfig.from_dict(request["config"])
        cpus, gpus = self._resources(config, request["device"], request["cpus"])
        data = self._data.spec([Path(path) for path in request["data_files"]])
        deadline = time.monotonic() + KEY_LOCK_WAIT_SECONDS
        while (lock_fd := self.dir.take_key_lock(key)) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        if lock_fd is None:
            raise RunError(f"Run {key} is still held by another worker; try again in a moment.")
        starts_now = waiting == 0 and free >= cpus
        try:
            path = self.dir.run_file(key)
            for leftover in path.parent.glob(f"{path.name}.tmp-*"):
                leftover.unlink(missing_ok=True)
            self.dir.clear_cancel(key)
            record = RunRecord(key=key, config=config, total=config.iterations)
            write_run_file(path, record)
            self.dir.enqueue(key, time.time_ns())
        except OSError as error:
            os.close(lock_fd)
            raise RunError(f"Could not write run {key} in {self.store.root}: {error}.") from None
        run = _ActiveRun(key, record, RunWriter(path, record), lock_fd, cpus, gpus, request.get("cache_bytes"))
        try:
            run.generator = self._task.options(
                num_cpus=cpus, num_gpus=gpus, max_retries=0, retry_exceptions=False, name=f"gan-explorer {key}",
            ).remote(self._handle, key, request["config"], request["device"], cpus,
                     {"version": __version__, "format": ENGINE_FORMAT_VERSION},
                     [(name, sha) for name, sha, _ in data], *(ref for _, _, ref in data))
        except Exception as error:    # nothing may stay behind that looks queued
            self.dir.dequeue(key)
            path.unlink(missing_ok=True)
            os.close(lock_fd)
            raise RunError(f"Ray refused the training task of run {key}: {type(error).__name__}: {error}") from None
        self._tasks_submitted[key] = self._tasks_submitted.get(key, 0) + 1
        self._runs[key] = run
        threading.Thread(target=self._follow, args=(run,), name=f"follow-{key}", daemon=True).start()
        return {"outcome": "started" if starts_now else "queued", "status": "queued"}

    def _served(self, key: str) -> tuple[str, str] | None:
        try:
            summary = self.store.summary(key)
        except RunError:
            return None
        if summary is None:
            return None
        if summary.status in CACHED_STATUSES:
            self.store.mark_used(key)
            return "cached", summary.status
        if summary.status in ACTIVE:
            return "attached", summary.status
        return None

    def _resources(self, config: RunConfig, device: str, cpus: int | None) -> tuple[int, int]:
        """(num_cpus, num_gpus) for the run's task; ConfigError/RunError when no node can take it.

        `cpus` None (an image run): half the CPUs of the largest node that can take it, at
        most IMAGE_RUN_THREADS (`limits.image_run_threads`), as locally."""
        nodes = [node["Resources"] for node in self._ray.nodes() if node.get("Alive")]
        if not any(node.get("CPU", 0) >= 1 for node in nodes):
            raise RunError(f"No node of the Ray cluster can train runs (no CPUs beside the head's). Start one "
                           f"on each training machine with `{JOIN_COMMAND}`.")
        has_gpu = any(node.get("GPU", 0) >= 1 for node in nodes)
        if device.startswith("cuda") and not has_gpu:
            raise ConfigError(f"The device {device} was asked for, but no node of the Ray cluster has a GPU. "
                              f"Add a GPU machine with `{JOIN_COMMAND} --num-gpus=1`, or use auto or cpu.")
        gpus = 1 if device.startswith("cuda") or (device == "auto" and not config.is_toy and has_gpu) else 0
        largest = int(max(node.get("CPU", 0) for node in nodes if node.get("GPU", 0) >= gpus))
        cpus = image_run_threads(largest) if cpus is None else cpus
        return max(1, min(cpus, largest)), gpus

    def _line(self) -> tuple[int, float]:
        """(runs that wait for CPUs, CPUs left for one more run), from the cluster's CPUs and
        this store's runs: queued runs that fit beside the running ones are about to start.
        Other users of the cluster are not counted: the figure bounds the line, loosely."""
        free = self._ray.cluster_resources().get("CPU", 0.0)
        free -= sum(run.cpus for run in self._runs.values() if run.started)
        waiting = 0
        for run in sorted((run for run in self._runs.values() if not run.started), key=lambda run: run.submitted):
            if run.cpus <= free:
                free -= run.cpus
            else:
                waiting += 1
        return waiting, free

    # ---- requests from the dashboard and from tasks --------------------------------------

    def cancel(self, key: str) -> bool:
        """Stop run `key`: a queued task is dropped from Ray's queue, a running one stops at
        its next poll. False when this actor has no such live run."""
        with self._lock:
            run = self._runs.get(key)
            if run is None:
                return False
            run.stop = True
            if not run.started:
                self._ray.cancel(run.generator)
        return True

    def should_stop(self, key: str) -> bool:
        """Polled by the training task: cancelled, no longer ours, or its file unwritable.

        Under the lock: `launch` registers a run only after submitting its task, and a task that
        starts at once on a warm worker could otherwise ask before that and read "not ours"
        (a relaunched run then ended "cancelled" on a loaded machine)."""
        with self._lock:
            run = self._runs.get(key)
        return run is None or run.stop or run.writer.error is not None or self.dir.cancel_requested(key)

    # ---- following a task ------------------------------------------------------------------

    def _follow(self, run: _ActiveRun) -> None:
        ray, record = self._ray, run.record
        try:
            for ref in run.generator:
                self._fold(run, ray.get(ref))
            if record.status in ACTIVE:
                record.status, record.message = "failed", "The training task ended without a result."
        except ray.exceptions.TaskCancelledError:
            if run.failure:
                record.status, record.message = "failed", run.failure
            elif run.started:
                record.status, record.message = "cancelled", f"Stopped at iteration {record.iteration} of {record.total}."
            else:
                record.status, record.message = "cancelled", "Cancelled while waiting in the queue."
        except ray.exceptions.RayError as error:
            record.status, record.message = "interrupted", _lost_message(run, error)
        except Exception as error:  # the run must still end in a recorded, not-done state
            record.status, record.message = "failed", f"Recording the run failed: {type(error).__name__}: {error}"
        finally:
            record.finished = record.finished or time.time()
            run.writer.final()
            self.dir.dequeue(run.key)
            self.dir.clear_cancel(run.key)
            os.close(run.lock_fd)         # only now does the run stop looking live
            with self._lock:
                if self._runs.get(run.key) is run:
                    del self._runs[run.key]
            if run.cache_bytes is not None:
                RunStore(self.store.root).evict(run.cache_bytes, keep=(run.key,))

    def _fold(self, run: _ActiveRun, update: dict) -> None:
        record, writer = run.record, run.writer
        kind = update["kind"]
        if kind == "started":
            run.started = True
            record.status, record.started = "running", time.time()
            record.node, record.pid = update["node"], update["pid"]
            self.dir.dequeue(run.key)
            writer.flush(force=True)
        elif kind == "device":
            record.device = update["device"]
            writer.flush(force=True)
        elif kind == "progress":
            first = not record.log_rows and update["logs"] or not record.snapshots and update["snapshots"]
            for iteration, total, scalars in update["logs"]:
                record.add_log(iteration, total, scalars)
            for iteration, metrics in update["metrics"]:
                record.add_metrics(iteration, metrics)
            for iteration, arrays in update["snapshots"]:
                record.add_snapshot(iteration, arrays)
            writer.flush(force=bool(first))
        elif kind == "final":
            fold_outcome(record, TrainingOutcome(**update["outcome"]), writer.error)

    # ---- watchdog ---------------------------------------------------------------------------

    def _watch(self) -> None:
        """Fail queued runs that no live node can take (a GPU run whose GPU node left)."""
        while True:
            time.sleep(WATCH_SECONDS)
            waiting = [run for run in list(self._runs.values()) if not run.started and not run.stop]
            if not waiting:
                continue
            try:
                nodes = [node["Resources"] for node in self._ray.nodes() if node.get("Alive")]
            except Exception:   # the GCS briefly unreachable: look again next time
                continue
            for run in waiting:
                feasible = any(node.get("CPU", 0) >= run.cpus and node.get("GPU", 0) >= run.gpus for node in nodes)
                if feasible:
                    run.infeasible_since = None
                    continue
                run.infeasible_since = run.infeasible_since or time.monotonic()
                if time.monotonic() - run.infeasible_since >= INFEASIBLE_SECONDS:
                    needs = f"{run.cpus} CPU(s)" + (f" and {run.gpus} GPU" if run.gpus else "")
                    run.failure = (f"No node of the Ray cluster can take this run any more (it needs {needs}); "
                                   f"launch it again to train it on what the cluster has now.")
                    with self._lock:
                        if not run.started:
                            self._ray.cancel(run.generator)


def _lost_message(run: _ActiveRun, error: Exception) -> str:
    """Why a run was lost with its task, naming the node (and process) it trained on."""
    ray = __import__("ray")
    where = f"Ray node {run.record.node}" if run.record.node else "its Ray node (not yet known)"
    if isinstance(error, ray.exceptions.NodeDiedError):
        what = f"{where} left the cluster (its machine stopped or lost the network)"
    elif isinstance(error, ray.exceptions.WorkerCrashedError):
        pid = f" (pid {run.record.pid})" if run.record.pid else ""
        what = f"the training process{pid} on {where} died (killed, or out of memory)"
    else:
        what = f"the training task on {where} was lost ({type(error).__name__})"
    return f"The run stopped before it finished: {what}. Launch it again to train it afresh."


class _DataShelf:
    """Data files as Ray objects, by content hash: each file is read and sent once while
    unchanged (same path, size and modification time), and a few stay in the object store."""

    def __init__(self, ray: Any) -> None:
        self._ray = ray
        self._hashes: dict[tuple[str, int, int], str] = {}
        self._objects: OrderedDict[str, Any] = OrderedDict()

    def spec(self, paths: list[Path]) -> list[tuple[str, str, Any]]:
        """(file name, SHA-256, object ref) per file, for `ray_task._materialize`."""
        spec = []
        for path in paths:
            try:
                info = path.stat()
                identity = (str(path), info.st_size, info.st_mtime_ns)
                sha = self._hashes.get(identity)
                content = None
                if sha is None or sha not in self._objects:
                    content = path.read_bytes()
                    sha = hashlib.sha256(content).hexdigest()
                    self._hashes[identity] = sha
            except OSError as error:
                raise RunError(f"The data file {path} cannot be read on the dashboard's machine ({error}).") from None
            if sha not in self._objects:
                self._objects[sha] = self._ray.put(content)
            self._objects.move_to_end(sha)
            spec.append((path.name, sha, self._objects[sha]))
        while len(self._objects) > DATA_OBJECTS_KEPT:
            self._objects.popitem(last=False)
        return spec
