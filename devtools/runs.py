"""Tiny run configurations and the worker processes of a runs folder: shared by the runner,
CLI and reliability tests and the fault and hosted benchmarks."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

from gan_engine.config import RunConfig, preset

# Well under a second of training: 20 generator steps, snapshots at 0 and 20.
TINY = {"iterations": 20, "batch_size": 32, "snapshot_every": 20, "log_every": 5}
TINY_CLI = ["--iterations", "20", "--batch-size", "32"]
MALFORMED = Path(__file__).resolve().parents[1] / "tests" / "malformed"      # the corpus of bad inputs


def tiny(seed: int = 0, **overrides: object) -> RunConfig:
    """A gauss1d run small enough for tests; `seed` makes a distinct configuration."""
    return preset("gauss1d", **{**TINY, "seed": seed, **overrides})


def malformed_cli_argv(case: dict[str, str], runs: Path, out: Path) -> list[str]:
    """The `python -m gan_engine` arguments that feed corpus file `case` through its loader's door."""
    path = str(MALFORMED / case["path"])
    return {"load_mnist": ["train", "--preset", "mnist-gan", *TINY_CLI, "--data", path, "--runs", str(runs)],
            "load_faces": ["train", "--preset", "faces", *TINY_CLI, "--data", path, "--runs", str(runs)],
            "images_to_hdf5": ["convert-faces", path, "--out", str(out / "faces.h5")],
            "weights": ["sample", "--run", path, "--n", "4", "--out", str(out / "samples.npy"), "--runs", str(runs)],
            }[case["loader"]]


def worker_pids(runs: Path, key: str | None = None) -> list[int]:
    """Live (not zombie) worker processes of runs directory `runs` (and of `key`, if given).

    A process the worker starts (an import runs `uname -p`, found by trying each folder of
    PATH in turn) shows the worker's command line until its exec succeeds; such a child of a
    worker is not counted (it once failed the session check, being in the worker's session).
    """
    found: dict[int, int] = {}      # pid -> parent pid
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            args = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        text = [arg.decode(errors="replace") for arg in args]
        if fields[0] != "Z" and "worker" in text and "gan_engine" in text and str(runs) in text \
                and (key is None or key in text):
            found[int(entry)] = int(fields[1])
    return [pid for pid, parent in found.items() if parent not in found]


def _exited(pid: int) -> bool:
    """Whether `pid` has let go of its files (and so of its locks).

    Neither the command line (gone first) nor the leader's zombie state tells: a process's
    files are closed when its last thread exits, and torch's threads may outlive the leader.
    """
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return state in ("Z", "X") and len(os.listdir(f"/proc/{pid}/task")) <= 1
    except OSError:
        return True


def kill(pids: list[int]) -> None:
    """SIGKILL `pids` and wait until each has exited (so its locks are released)."""
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 10
    while not all(_exited(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.005)


def kill_workers(runs: Path) -> None:
    """SIGKILL every worker of `runs` (test teardown) and wait until they are gone."""
    kill(worker_pids(runs))


def worker_starts(runs: Path, key: str) -> int:
    """How many worker processes ever ran for `key` (each logs one 'waiting for' line)."""
    log = runs / ".logs" / f"{key}.log"
    return log.read_text().count("waiting for") if log.exists() else 0


def eventually(condition: Callable[[], bool], timeout: float = 30.0) -> bool:
    """Poll `condition` until it holds or `timeout` seconds pass; its last value."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def write_finished(runs: Path, seed: int, padding_bytes: int = 0) -> str:
    """A finished run file (no weights) of about `padding_bytes` plus ~10 KB; its key."""
    import numpy as np

    from gan_engine.runs.runfile import RunRecord, write_run_file
    from gan_engine.runs.store import RunStore

    config = tiny(seed)
    record = RunRecord(key=config.key(), config=config, status="done", iteration=20, total=20, device="cpu")
    record.add_snapshot(20, {"x": np.zeros(padding_bytes // 8)})
    store = RunStore(runs)
    store.dir.make_dirs()
    write_run_file(store.run_path(config.key()), record)
    return config.key()
