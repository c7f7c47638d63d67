"""The local backend: one worker process per run on this machine, no server to start.

A run that must train gets a worker: the engine's own command line (`python -m gan_engine
worker KEY`) in its own process session, so a Streamlit rerun, a closed tab or a stopped
server does not stop it. The check and the spawn happen under the runs directory's lock
file, so concurrent launches from threads, processes or two servers sharing the directory
start exactly one worker per configuration. There is no daemon: each worker waits in a
FIFO line for as many of the machine's CPU slots as it trains on (`limits.run_cpus`: one
for a toy run, its threads for an image run), so two toy runs train side by side on two
cores while an MNIST run has the machine to itself.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from gan_engine.config import RunConfig
from gan_engine.errors import QueueFullError, RunError
from gan_engine.limits import run_cpus
from gan_engine.runs.runfile import RunRecord, write_run_file

if TYPE_CHECKING:
    from gan_engine.runs.runner import ClusterGlance, Launch, Runner

PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])   # the folder that holds gan_engine/
BLAS_THREADS_ENV = "OPENBLAS_NUM_THREADS"   # read by numpy's OpenBLAS when it loads
EXIT_WAIT_SECONDS = 5.0


class LocalBackend:
    """Worker processes on this machine, sharing `runner.max_workers` CPU slots."""

    def __init__(self, runner: "Runner") -> None:
        self.runner = runner
        self.dir = runner.dir
        self._children: list[subprocess.Popen[bytes]] = []
        self._children_lock = threading.Lock()

    def start(self, config: RunConfig, key: str, device: str) -> "Launch":
        from gan_engine.runs.runner import Launch

        runner = self.runner
        with self.dir.runner_lock():
            served = runner.served(key)
            if served is not None:
                return served
            # Runs just launched into free slots are still in line for a moment: only those
            # beyond the free slots will really wait.
            waiting = len(self.dir.waiting()) - self._free_slots()
            if waiting >= runner.max_queue:
                raise QueueFullError(f"The training queue is full ({waiting} runs waiting for "
                                     f"{runner.max_workers} worker slot(s)); try again in a few minutes.")
            cpus = run_cpus(config, runner.max_workers)
            starts_now = waiting < 0 and self._free_slots() >= cpus
            self._spawn(config, key, device, cpus)
        return Launch(key, "started" if starts_now else "queued", "queued")

    def _spawn(self, config: RunConfig, key: str, device: str, cpus: int) -> None:
        """Write the queued run and start its worker; call under the runner lock."""
        runner = self.runner
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
            command = [sys.executable, "-m", "gan_engine", "worker", key, "--runs", str(runner.store.root),
                       "--lock-fd", str(lock_fd), "--max-workers", str(runner.max_workers),
                       "--cpus", str(cpus), "--device", device]
            if runner.limits.cache_bytes is not None:
                command += ["--cache-bytes", str(runner.limits.cache_bytes)]
            environment = dict(os.environ)
            environment["PYTHONPATH"] = os.pathsep.join(
                filter(None, [PACKAGE_PARENT, environment.get("PYTHONPATH")]))
            # numpy's BLAS (the judges' statistics at each snapshot) would otherwise start a
            # thread per core that spins between calls: beside another run on a 2-core
            # machine that made judging 2-5x slower (6% of an MNIST run instead of 1.5%).
            environment[BLAS_THREADS_ENV] = str(cpus)
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
        return self.runner.max_workers - self.dir.busy_slots(self.runner.max_workers)

    def housekeeping(self) -> None:
        """Collect exit statuses of finished workers this runner started (no zombies)."""
        with self._children_lock:
            self._children = [child for child in self._children if child.poll() is None]

    def cancel(self, key: str) -> bool:
        self.dir.request_cancel(key)
        return True

    def queue(self) -> list[str]:
        return self.dir.waiting()

    def queue_position(self, key: str) -> int | None:
        waiting = self.dir.waiting()
        if key not in waiting:
            return None
        return max(1, waiting.index(key) + 1 - self._free_slots())

    def glance(self) -> "ClusterGlance":
        from gan_engine.runs.runner import ClusterGlance, NodeGlance

        slots = self.runner.max_workers
        node = NodeGlance(socket.gethostname(), float(slots), float(self.dir.busy_slots(slots)))
        return ClusterGlance("local", (node,), runs_waiting=len(self.dir.waiting()))
