"""Run-cache figures, each printed beside a baseline measured in the same run.

    python benchmarks/cache.py [--runs-count 500] [--repeats 3]

1. Launch to first visible progress (a real worker process, a tiny gauss1d run): when
   `launch()` returns, when the page first sees "running", and when it sees the first
   logged iteration; baseline: the bare cost of a worker interpreter importing the trainer.
2. A cached run's summary (an MNIST-sized conditional run file: 16 image snapshots, the
   mnist-cgan weights): `RunStore.summary` on a cold store; baseline: reading the whole file.
3. Polling a run (what the Training page does every second): `Runner.progress`.
4. Listing N runs: `RunStore.list_runs` cold (a fresh store) and warm (the same store);
   baseline: a naive listing that opens each file and reads its curves and metrics.

Goals (issue 4): first progress < 3 s on CPU, cached summary < 0.3 s, listing 500 < 1 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import h5py
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gan_engine.config import preset  # noqa: E402
from gan_engine.limits import Limits  # noqa: E402
from gan_engine.runs.runfile import RunRecord, state_arrays, write_run_file  # noqa: E402
from gan_engine.runs.runner import Runner  # noqa: E402
from gan_engine.runs.store import RunStore  # noqa: E402

TINY = {"iterations": 200, "batch_size": 32, "snapshot_every": 100, "log_every": 5}


def timed(action, repeats: int) -> float:
    """Median wall seconds of `action()` over `repeats` calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def row(name: str, ours: float, baseline_name: str, baseline: float) -> None:
    print(f"{name:<38} {ours * 1000:10.1f} ms   {baseline_name:<34} {baseline * 1000:10.1f} ms   "
          f"x{baseline / ours:8.1f}")


def launch_to_progress(root: Path, repeats: int) -> None:
    runner = Runner(RunStore(root), max_workers=1, limits=Limits.from_env(local=True))
    returned, running, first_log = [], [], []
    for seed in range(repeats):
        start = time.perf_counter()
        launch = runner.launch(preset("gauss1d", seed=1000 + seed, **TINY))
        returned.append(time.perf_counter() - start)
        while (progress := runner.progress(launch.key)).status == "queued":
            time.sleep(0.01)
        running.append(time.perf_counter() - start)
        while (progress := runner.progress(launch.key)).iteration < 1 and progress.status == "running":
            time.sleep(0.01)
        first_log.append(time.perf_counter() - start)
        runner.wait(launch.key)
    bare = timed(lambda: subprocess.run([sys.executable, "-c", "import gan_engine.train.loop"], check=True,
                                        cwd=Path(__file__).resolve().parents[1]), repeats)
    median = statistics.median
    row("launch() returns", median(returned), "worker interpreter + torch import", bare)
    row("launch -> status running", median(running), "worker interpreter + torch import", bare)
    row("launch -> first logged iteration", median(first_log), "worker interpreter + torch import", bare)


def mnist_sized_record() -> RunRecord:
    from gan_engine.train.models import build_models

    config = preset("mnist-cgan")
    record = RunRecord(key=config.key(), config=config, status="done", total=config.iterations,
                       iteration=config.iterations, device="cpu", started=1.0, finished=2.0)
    rng = np.random.default_rng(0)
    for iteration in range(0, config.iterations + 1, config.log_every):
        record.add_log(iteration, config.iterations, {"loss_d": 1.3, "loss_g": 0.7, "d_real": 0.5,
                                                      "d_fake": 0.5, "seconds": iteration / 100})
    for iteration in range(0, config.iterations + 1, config.snapshot_every):
        record.add_snapshot(iteration, {"images": rng.integers(0, 255, (100, 28, 28), dtype=np.uint8),
                                        "labels": np.repeat(np.arange(10), 10)})
        record.add_metrics(iteration, {"classifier_accuracy": 0.9})
    generator, discriminator = build_models(config)
    record.weights = {"generator": state_arrays(generator), "discriminator": state_arrays(discriminator)}
    return record


def read_everything(path: Path) -> int:
    """Read every dataset and attribute of a run file; the number of bytes read."""
    arrays = []

    def read(name: str, item: object) -> None:     # visititems stops at the first non-None return
        if isinstance(item, h5py.Dataset):
            arrays.append(item[()])

    with h5py.File(path, "r", locking=False) as handle:
        handle.visititems(read)
        dict(handle.attrs)
    return sum(np.asarray(array).nbytes for array in arrays)


def cached_summary(root: Path, repeats: int) -> None:
    store = RunStore(root)
    store.dir.make_dirs()
    record = mnist_sized_record()
    path = store.run_path(record.key)
    write_run_file(path, record)
    ours = timed(lambda: RunStore(root).summary(record.key), repeats * 10)
    baseline = timed(lambda: read_everything(path), repeats * 10)
    print(f"(run file of {path.stat().st_size / 1e6:.1f} MB)")
    row("cached summary (cold store)", ours, "read the whole run file", baseline)
    runner = Runner(store, limits=Limits.from_env(local=True))
    ours = timed(lambda: runner.launch(record.config), repeats * 10)
    row("launch of a cached configuration", ours, "read the whole run file", baseline)


def polling(root: Path, repeats: int) -> None:
    runner = Runner(RunStore(root), max_workers=1, limits=Limits.from_env(local=True))
    launch = runner.launch(preset("gauss1d", seed=2000, **{**TINY, "iterations": 20_000}))
    while runner.progress(launch.key).iteration < 1:
        time.sleep(0.05)
    ours = timed(lambda: runner.progress(launch.key), repeats * 30)
    baseline = timed(lambda: read_everything(runner.store.run_path(launch.key)), repeats * 30)
    runner.cancel(launch.key)
    runner.wait(launch.key)
    row("progress() of a training run", ours, "read the whole run file", baseline)


def listing(root: Path, count: int, repeats: int) -> None:
    store = RunStore(root)
    store.dir.make_dirs()
    rng = np.random.default_rng(0)
    for index in range(count):
        config = preset("ring2d", seed=index, k=1 + index % 5)
        record = RunRecord(key=config.key(), config=config, status="done", total=3000, iteration=3000,
                           device="cpu", started=1.0, finished=2.0)
        for iteration in range(0, 3001, 10):
            record.add_log(iteration, 3000, {"loss_d": 1.3, "loss_g": 0.7, "d_real": 0.5, "d_fake": 0.5,
                                             "seconds": iteration / 100})
        for iteration in range(0, 3001, 1000):
            record.add_snapshot(iteration, {"samples": rng.normal(size=(2500, 2)).astype(np.float32)})
            record.add_metrics(iteration, {"modes_captured": 8.0, "hq_fraction": 0.9})
        write_run_file(store.run_path(config.key()), record)

    def naive() -> list[dict]:
        rows = []
        for path in sorted(root.glob("*.h5")):
            with h5py.File(path, "r", locking=False) as handle:
                rows.append({"summary": handle.attrs["summary"],
                             **{name: handle["series"][name][-1] for name in handle["series"]},
                             **{name: handle["metrics"][name][-1] for name in handle["metrics"]}})
        return rows

    cold = timed(lambda: RunStore(root).list_runs(), repeats)
    warm_store = RunStore(root)
    warm_store.list_runs()
    warm = timed(warm_store.list_runs, repeats)
    baseline = timed(naive, repeats)
    row(f"list {count} runs (cold store)", cold, "naive: open each, read curves", baseline)
    row(f"list {count} runs (warm store)", warm, "naive: open each, read curves", baseline)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs-count", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("GAN_EXPLORER_THREADS", "1")
    print(f"{'measure':<38} {'ours':>13}   {'baseline':<34} {'baseline':>13}   ratio")
    with tempfile.TemporaryDirectory() as tmp:
        launch_to_progress(Path(tmp) / "launch", args.repeats)
        cached_summary(Path(tmp) / "summary", args.repeats)
        polling(Path(tmp) / "poll", args.repeats)
        listing(Path(tmp) / "list", args.runs_count, args.repeats)


if __name__ == "__main__":
    main()
