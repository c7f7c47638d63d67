"""The training task of the Ray backend: one run, on whichever node Ray picks.

`train_task` is a Ray generator task (the store actor wraps it with `ray.remote` and
submits it with `max_retries=0`). It streams plain values back to the actor that submitted
it, which folds them into the run file on the dashboard's machine:

    {"kind": "started", "node", "pid", "device"}   first, before torch is imported
    {"kind": "device", "device"}                   the device training really uses
    {"kind": "progress", "logs", "metrics", "snapshots"}   batched, about twice a second
    {"kind": "final", "outcome"}                   a `worker.TrainingOutcome` as a dict

The first log step and the first snapshot go out at once, so a page shows them as soon as
they exist. Training runs in a thread of the task; the task's own thread batches what the
callbacks queue, and asks the actor whether the run was cancelled (one question in flight,
its answer read when it has come: about twice a second).

Data files arrive as Ray objects named by their SHA-256 (the store puts each once): they are
written once per node into a folder named by their hashes (`$GAN_EXPLORER_RAY_DATA_CACHE`, else the temporary folder),
checked against the hash, and the run trains on that copy; its configuration, and so its
key, still names the file on the dashboard's machine. A node removes the copies no run has
used for a week.

Devices, honestly: Ray hands a task the GPUs it asked for through CUDA_VISIBLE_DEVICES, so
"cuda:N" becomes "cuda" (the one GPU Ray gave it). "auto" without a GPU from Ray trains on
the CPU; with one it takes CUDA when torch sees it, else the CPU, and the run file says
which. A node that declares a GPU torch cannot use (a logical GPU) fails an explicit
"cuda" run with the node named.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import queue
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from gan_engine.limits import THREADS_ENV

BATCH_SECONDS = 0.5
DATA_CACHE_ENV = "GAN_EXPLORER_RAY_DATA_CACHE"
DATA_CACHE_KEEP_SECONDS = 7 * 24 * 3600   # a node forgets data files no run has used for a week


def node_label(hostname: str, address: str, node_id: str) -> str:
    """How a run names the node it trains on: host, IP and the start of Ray's node id."""
    return f"{hostname} ({address}, Ray node {node_id[:8]})"


def train_task(store: Any, key: str, config_values: dict, device: str, cpus: int, versions: dict,
               data_names: list[tuple[str, str]], *data_contents: bytes) -> Iterator[dict]:
    """Train run `key` here, streaming updates to the store actor (see the module docstring).

    `data_contents` are the data files' bytes, one per (name, sha256) of `data_names`: passed
    as top-level object refs, Ray fetches them before the task starts. Nothing here blocks in
    `ray.get` while training: a task blocked there lends its CPU to another task, which would
    then share the node's cores with this one.
    """
    import ray

    from gan_engine import __version__
    from gan_engine.config import ENGINE_FORMAT_VERSION, RunConfig
    from gan_engine.errors import GanExplorerError
    from gan_engine.runs.worker import TrainingOutcome

    node = node_label(socket.gethostname(), ray.util.get_node_ip_address(), ray.get_runtime_context().get_node_id())
    yield {"kind": "started", "node": node, "pid": os.getpid(), "device": ""}
    here = {"version": __version__, "format": ENGINE_FORMAT_VERSION}
    if here != versions:
        message = (f"Ray node {node} runs GAN Explorer {here['version']} (engine format {here['format']}), "
                   f"the dashboard {versions['version']} ({versions['format']}): install the same version there.")
        yield {"kind": "final", "outcome": asdict(TrainingOutcome("failed", message))}
        return
    try:
        config = RunConfig.from_dict(config_values)
        if data_names:
            config = config.replace(data_path=str(_materialize(data_names, data_contents)))
    except (GanExplorerError, OSError) as error:
        yield {"kind": "final", "outcome": asdict(TrainingOutcome("failed", f"On Ray node {node}: {error}"))}
        return
    os.environ[THREADS_ENV] = str(cpus)       # the threads it trains on are the CPUs Ray gave it
    stream = _Stream(config, _device_here(device, ray.get_gpu_ids()), node)
    thread = threading.Thread(target=stream.train, name=f"train-{key}", daemon=True)
    thread.start()
    asked = store.should_stop.remote(key)       # one question to the store in flight at a time
    try:
        while True:
            update, final = stream.collect(BATCH_SECONDS)
            if update is not None:
                yield update
            if final is not None:
                yield final
                return
            if ray.wait([asked], timeout=0)[0]:     # answered: read it without waiting
                if ray.get(asked):
                    stream.stop.set()
                asked = store.should_stop.remote(key)
    finally:
        # However the task ends (cancelled, its owner gone), training stops with it.
        stream.stop.set()
        thread.join(timeout=30)


def _device_here(device: str, gpu_ids: list) -> str:
    if device.startswith("cuda"):
        return "cuda"
    if device == "auto" and not gpu_ids:
        return "cpu"
    return device


class _Stream:
    """Training in a thread, its callbacks queued for the task's thread to batch."""

    def __init__(self, config: Any, device: str, node: str) -> None:
        self.config, self.device, self.node = config, device, node
        self.stop = threading.Event()
        self.items: queue.Queue[tuple] = queue.Queue()
        self._logged = self._snapshotted = False

    # -- TrainingCallbacks (called from the training thread) --
    def on_log(self, iteration: int, total: int, scalars: dict[str, float]) -> None:
        self.items.put(("log", iteration, total, dict(scalars)))

    def on_metrics(self, iteration: int, metrics: dict[str, float]) -> None:
        self.items.put(("metrics", iteration, dict(metrics)))

    def on_snapshot(self, iteration: int, arrays: dict) -> None:
        import numpy as np

        self.items.put(("snapshot", iteration, {name: np.array(value) for name, value in arrays.items()}))

    def should_stop(self) -> bool:
        return self.stop.is_set()

    def train(self) -> None:
        from gan_engine.runs.worker import run_training

        outcome = run_training(self.config, self.device, self,
                               on_device=lambda name: self.items.put(("device", name)))
        if outcome.status == "failed":
            outcome.message = f"{outcome.message} (on Ray node {self.node})"
        self.items.put(("final", asdict(outcome)))

    # -- the task's thread --
    def collect(self, seconds: float) -> tuple[dict | None, dict | None]:
        """What arrived within `seconds` (less when something must go at once): a progress
        or device update, and the final update once training has ended."""
        logs: list = []
        metrics: list = []
        snapshots: list = []
        deadline = time.monotonic() + seconds
        while True:
            try:
                item = self.items.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            kind = item[0]
            if kind == "device":
                return {"kind": "device", "device": item[1]}, None
            if kind == "final":
                return _progress(logs, metrics, snapshots), {"kind": "final", "outcome": item[1]}
            urgent = False
            if kind == "log":
                logs.append(item[1:])
                urgent, self._logged = not self._logged, True
            elif kind == "metrics":
                metrics.append(item[1:])
            else:
                snapshots.append(item[1:])
                urgent, self._snapshotted = not self._snapshotted, True
            if urgent:
                break
        return _progress(logs, metrics, snapshots), None


def _progress(logs: list, metrics: list, snapshots: list) -> dict | None:
    if not (logs or metrics or snapshots):
        return None
    return {"kind": "progress", "logs": logs, "metrics": metrics, "snapshots": snapshots}


def _materialize(names: list[tuple[str, str]], contents: tuple[bytes, ...]) -> Path:
    """This node's copy of the run's data files; the path of the first one.

    The folder is named by the files' hashes and appears whole (renamed into place), so a
    second run on this node, or one racing this one, never reads a half-written copy. Each
    use marks the folder as used now; folders no run has used for `DATA_CACHE_KEEP_SECONDS`
    (files uploaded once, weeks ago, on a long-lived class cluster) are removed here, under
    the cache's lock, so a folder is never removed between a run finding it and reading it
    (runs read their data whole when they start).
    """
    digest = hashlib.sha256("".join(f"{name}\0{sha}\0" for name, sha in names).encode()).hexdigest()[:32]
    root = Path(os.environ.get(DATA_CACHE_ENV) or Path(tempfile.gettempdir()) / "gan-explorer-data")
    folder = root / digest
    root.mkdir(parents=True, exist_ok=True)
    with _cache_lock(root):
        _forget_unused(root, keep=folder)
        if folder.is_dir():
            os.utime(folder)                     # used now: kept for another DATA_CACHE_KEEP_SECONDS
            return folder / names[0][0]
    partial = Path(tempfile.mkdtemp(prefix=f".{digest}-", dir=root))
    try:
        for (name, sha), content in zip(names, contents):
            if hashlib.sha256(content).hexdigest() != sha:
                raise OSError(f"the data file {name} arrived damaged (its SHA-256 does not match)")
            (partial / name).write_bytes(content)
    except OSError:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    with _cache_lock(root):
        try:
            partial.rename(folder)
        except OSError:          # another task put the same files in place first
            shutil.rmtree(partial, ignore_errors=True)
            os.utime(folder)
    return folder / names[0][0]


@contextlib.contextmanager
def _cache_lock(root: Path) -> Iterator[None]:
    """Exclusive lock on this node's data cache (held for a directory listing, not a copy)."""
    fd = os.open(root / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _forget_unused(root: Path, keep: Path) -> None:
    """Remove the cache's folders (and copies a crashed task left half-written) that no run
    has used for `DATA_CACHE_KEEP_SECONDS`; call with the cache's lock held."""
    now = time.time()
    for entry in root.iterdir():
        if entry == keep or not entry.is_dir():
            continue
        try:
            unused = now - entry.stat().st_mtime
        except OSError:          # gone meanwhile
            continue
        if unused > DATA_CACHE_KEEP_SECONDS:
            shutil.rmtree(entry, ignore_errors=True)
