"""The runner with real worker processes: launch, cache, attach, queue, cancel, limits."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from gan_engine.config import preset
from gan_engine.errors import ConfigError, DataError, QueueFullError, RunError
from gan_engine.limits import IMAGE_RUN_THREADS, Limits, available_cpus, borrowed_threads, image_run_threads, run_cpus
from gan_engine.runs.runfile import RunFile, RunRecord, write_run_file
from gan_engine.runs.runner import Runner, remaining_seconds
from gan_engine.runs.store import RunStore
from devtools.runs import eventually, tiny, worker_pids, worker_starts, write_finished


def make_runner(runs: Path, max_workers: int = 1, max_queue: int = 10) -> Runner:
    return Runner(RunStore(runs), max_workers=max_workers, max_queue=max_queue, limits=Limits.from_env(local=False))


def test_launch_trains_in_its_own_session_serves_from_cache_and_evicts_old_runs(runs: Path) -> None:
    """A finished worker evicts least-recently-used finished runs over the cache limit, never a live one."""
    old = [write_finished(runs, seed, padding_bytes=400_000) for seed in (900, 901, 902)]
    now = time.time()
    for age, key in zip((300, 200, 100), old):                  # old[0] is the least recently used
        RunStore(runs).dir.used_file(key).touch()
        os.utime(RunStore(runs).dir.used_file(key), (now - age, now - age))
    live = write_finished(runs, 903, padding_bytes=400_000)
    live_lock = RunStore(runs).dir.take_key_lock(live)         # as if a worker were training it
    size = RunStore(runs).run_path(old[0]).stat().st_size
    limits = dataclasses.replace(Limits.from_env(local=False), cache_bytes=int(2.5 * size))
    runner = Runner(RunStore(runs), max_workers=1, limits=limits)
    config = tiny()
    started = time.perf_counter()
    launch = runner.launch(config)
    assert time.perf_counter() - started < 1.0, "launch must return at once"
    assert (launch.key, launch.outcome, launch.status) == (config.key(), "started", "queued")

    sessions = set()       # (mid-run progress is checked on a long run, in the cancel test)
    while (progress := runner.progress(launch.key)).status in ("queued", "running"):
        sessions.update(os.getsid(pid) == pid for pid in worker_pids(runs, launch.key))
        time.sleep(0.05)
    assert progress.status == "done", progress.message
    assert sessions == {True}, "the worker leads its own session, so page reruns cannot stop it"
    assert (progress.iteration, progress.total, progress.fraction, progress.snapshot_count) == (20, 20, 1.0, 2)
    assert progress.device == "cpu" and progress.queue_position is None
    assert runner.store.series(launch.key)["iteration"].tolist() == [5, 10, 15, 20]
    assert runner.store.metric_series(launch.key)["iteration"].tolist() == [0, 20]

    for again in (runner, make_runner(runs)):       # this server, and a second one
        started = time.perf_counter()
        cached = again.launch(tiny())
        assert time.perf_counter() - started < 0.3
        assert (cached.outcome, cached.status) == ("cached", "done")
    assert worker_starts(runs, launch.key) == 1

    expected = {old[2], live, launch.key}         # the two least recently used finished runs go
    assert eventually(lambda: set(RunStore(runs).list_runs()["key"]) == expected), RunStore(runs).list_runs()
    os.close(live_lock)


def test_the_queue_is_fifo_bounded_and_each_outcome_is_kept(runs: Path) -> None:
    """Three runs through one slot: one diverges, one fails, one finishes; none disturbs the next."""
    runner = make_runner(runs, max_workers=1, max_queue=2)
    # Non-finite losses are caught at log steps: logging every 1,000 iterations keeps the
    # first run busy (~1 s) while the queue is inspected, however fast the machine.
    exploding = tiny(1, optimizer="sgd", lr_d=10.0, lr_g=10.0, iterations=3000, log_every=1000, snapshot_every=1000)
    first = runner.launch(exploding)
    second = runner.launch(tiny(2), device="cuda:7")          # fails: no such device here
    third = runner.launch(tiny(3))
    assert [first.outcome, second.outcome, third.outcome] == ["started", "queued", "queued"]
    while runner.progress(first.key).status == "queued":
        time.sleep(0.05)
    assert runner.launch(exploding).outcome == "attached"
    assert runner.launch(tiny(3)).outcome == "attached"
    assert runner.progress(second.key).queue_position == 1
    assert runner.progress(third.key).queue_position == 2
    assert runner.queue() == [second.key, third.key]
    with pytest.raises(QueueFullError, match=r"queue is full \(2 runs waiting for 1 worker"):
        runner.launch(tiny(4))
    assert not runner.store.run_path(tiny(4).key()).exists()

    finals = [runner.wait(launch.key, timeout=120) for launch in (first, second, third)]
    assert [final.status for final in finals] == ["diverged", "failed", "done"], finals
    assert "Try smaller learning rates" in finals[0].message
    assert "cuda" in finals[1].message.lower()
    assert "jsd" in runner.store.summary(first.key).metrics, "a diverged run keeps its partial metrics"
    summaries = [runner.store.summary(launch.key) for launch in (first, second, third)]
    for earlier, later in zip(summaries, summaries[1:]):
        assert later.started >= earlier.finished, "with one worker slot, runs never overlap"

    assert runner.launch(exploding).outcome == "cached", "a seeded divergence is a result"
    assert runner.launch(tiny(2)).outcome in ("started", "queued"), "a failed run is tried afresh"
    assert eventually(lambda: worker_starts(runs, second.key) == 2)


def test_cancel_a_queued_and_a_running_run_then_relaunch(runs: Path) -> None:
    runner = make_runner(runs)
    long_run = tiny(5, iterations=50_000)
    running, waiting = runner.launch(long_run), runner.launch(tiny(6))
    assert runner.cancel(waiting.key)
    assert runner.wait(waiting.key, timeout=30).status == "cancelled"
    assert "waiting in the queue" in runner.progress(waiting.key).message

    while (progress := runner.progress(running.key)).iteration < 10:
        time.sleep(0.05)
    assert progress.status == "running" and 10 <= progress.iteration < 50_000, "progress is visible mid-run"
    assert 0 < progress.fraction < 1
    assert runner.cancel(running.key)
    final = runner.wait(running.key, timeout=30)
    assert final.status == "cancelled" and "Stopped at iteration" in final.message
    assert not runner.cancel(running.key), "nothing left to cancel"
    assert runner.store.series(running.key)["iteration"].iloc[-1] >= 10, "partial curves are kept"

    assert runner.launch(long_run).outcome == "started", "a cancelled run is tried afresh"
    assert runner.progress(running.key).status in ("queued", "running")


def test_visitor_caps_refuse_before_anything_is_written(runs: Path) -> None:
    runner = make_runner(runs)
    with pytest.raises(ConfigError, match="too large for this server"):
        runner.launch(tiny(iterations=1_000_000, batch_size=1000))
    with pytest.raises(ConfigError, match="k must be"):
        runner.launch(tiny().replace(k=0))
    with pytest.raises(ConfigError, match="Unknown device 'tpu'"):
        runner.launch(tiny(), device="tpu")
    with pytest.raises(DataError, match="outside"):
        Runner(runner.store, allow_any_data_path=False).launch(preset("mnist-gan", data_path="/etc/passwd"))
    assert not runs.exists() or not list(runs.glob("*.h5"))


def test_twenty_threads_launching_one_configuration_start_one_worker(runs: Path) -> None:
    config = tiny(10, iterations=50_000)
    barrier = threading.Barrier(20)
    outcomes: list[str] = []

    def click() -> None:
        runner = make_runner(runs)         # each session its own runner, one directory
        barrier.wait()
        outcomes.append(runner.launch(config).outcome)

    threads = [threading.Thread(target=click) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Counter(outcomes) == Counter({"started": 1, "attached": 19})
    assert eventually(lambda: worker_starts(runs, config.key()) == 1)
    time.sleep(0.3)
    assert worker_starts(runs, config.key()) == 1 and len(worker_pids(runs)) == 1


def test_unknown_runs(runs: Path) -> None:
    runner = make_runner(runs)
    with pytest.raises(RunError, match="No run 0123456789abcdef"):
        runner.progress("0123456789abcdef")
    assert runner.cancel("0123456789abcdef") is False
    with pytest.raises(RunError, match="not a run key"):
        runner.cancel("../x")


def test_the_time_left_leaves_out_the_workers_start(tmp_path: Path) -> None:
    """A run that spent 5 s starting, then trains at 10 ms an iteration, is estimated from its pace."""
    config = tiny(seed=7, iterations=1000, log_every=10)
    record = RunRecord(key=config.key(), config=config, status="running", total=1000)
    path = tmp_path / f"{config.key()}.h5"
    record.add_log(10, 1000, {"loss_d": 1.0, "loss_g": 1.0, "seconds": 5.0 + 10 * 0.01})
    write_run_file(path, record)
    assert remaining_seconds(RunFile(path).summary()) is None          # one log step: no pace yet
    record.add_log(100, 1000, {"loss_d": 1.0, "loss_g": 1.0, "seconds": 5.0 + 100 * 0.01})
    write_run_file(path, record)
    summary = RunFile(path).summary()
    assert summary.first_logged == (10, pytest.approx(5.1))
    assert remaining_seconds(summary) == pytest.approx(900 * 0.01)   # 9 s, not 900 × 6 s / 100 = 54 s


def test_toy_runs_train_side_by_side_and_a_run_takes_the_slots_it_trains_on(
        runs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two CPU slots: two one-thread toy runs train at once; a run on two threads waits
    until both slots are free, then holds both."""
    monkeypatch.delenv("GAN_EXPLORER_THREADS")
    assert run_cpus(tiny()) == 1
    assert run_cpus(preset("mnist-gan")) == image_run_threads(available_cpus()) == max(1, min(4, available_cpus() // 2))
    runner = make_runner(runs, max_workers=2)
    toys = [runner.launch(tiny(50 + index, iterations=50_000)) for index in range(2)]
    assert [launch.outcome for launch in toys] == ["started", "started"]
    assert eventually(lambda: all(runner.progress(launch.key).status == "running" for launch in toys), 60)
    assert runner.dir.busy_slots(2) == 2
    monkeypatch.setenv("GAN_EXPLORER_THREADS", "2")
    wide = runner.launch(preset("mnist-gan", iterations=50_000, seed=52))
    assert wide.outcome == "queued" and runner.progress(wide.key).queue_position == 1
    runner.cancel(toys[0].key)
    assert runner.wait(toys[0].key, timeout=30).status == "cancelled"
    time.sleep(1.0)             # one free slot is not enough for it
    assert runner.progress(wide.key).status == "queued"
    runner.cancel(toys[1].key)
    assert eventually(lambda: runner.progress(wide.key).status == "running", 60)
    assert runner.dir.busy_slots(2) == 2
    # numpy's BLAS in the worker gets the run's threads too (else a thread per core spins)
    environment = Path(f"/proc/{runner.store.summary(wide.key).pid}/environ").read_bytes().split(b"\0")
    assert b"OPENBLAS_NUM_THREADS=2" in environment
    assert "waiting for 2 of 2 slot(s)" in (runs / ".logs" / f"{wide.key}.log").read_text()


def test_borrowed_threads_share_the_idle_slots() -> None:
    assert borrowed_threads(1, 2, 1, cpus=2) == 2                    # alone on two slots: both cores
    assert borrowed_threads(1, 2, 2, cpus=2) == 1                    # a second run took the other slot
    assert borrowed_threads(1, 4, 2, cpus=4) == 2                    # two one-slot runs split two idle slots
    assert borrowed_threads(2, 4, 3, cpus=4) == 2                    # one idle slot among 2 + 1 held: less than one each
    assert borrowed_threads(1, 16, 1, cpus=16) == IMAGE_RUN_THREADS  # never more than an image run can use
    assert borrowed_threads(IMAGE_RUN_THREADS + 2, 16, IMAGE_RUN_THREADS + 2, cpus=16) == IMAGE_RUN_THREADS + 2  # nor fewer than its own
    # more slots than cores (GAN_EXPLORER_MAX_WORKERS=8 on two): only the idle cores are lent
    assert borrowed_threads(1, 8, 1, cpus=2) == 2
    assert borrowed_threads(1, 8, 2, cpus=2) == 1
    assert borrowed_threads(1, 8, 5, cpus=2) == 1
    # fewer slots than cores (a server held to two workers on 16): the cores beyond them stay free
    assert borrowed_threads(1, 2, 1, cpus=16) == 2
    assert borrowed_threads(1, 1, 1, cpus=16) == 1


def test_an_image_run_alone_trains_on_the_idle_slot_and_gives_it_back(runs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An image run holding its slots also trains on the threads of an idle one; when a second run
    takes that slot the first drops back to its own threads. A pinned GAN_EXPLORER_THREADS never
    borrows."""
    monkeypatch.delenv("GAN_EXPLORER_THREADS")
    own = image_run_threads(available_cpus())
    runner = make_runner(runs, max_workers=own + 1)
    alone, shared = borrowed_threads(own, own + 1, own, available_cpus()), own       # 2 and 1 on a 2-core machine
    image = runner.launch(preset("mnist-gan", iterations=50_000, seed=60))
    assert image.outcome == "started"
    threads = lambda: runner.progress(image.key).latest.get("threads")   # noqa: E731
    assert eventually(lambda: threads() == alone, 120), threads()
    toy = runner.launch(tiny(61, iterations=50_000))                # takes the idle slot at once
    assert toy.outcome == "started"
    assert eventually(lambda: runner.progress(toy.key).status == "running", 60)
    assert eventually(lambda: threads() == shared, 60), threads()
    for launch in (toy, image):
        runner.cancel(launch.key)
        assert runner.wait(launch.key, timeout=60).status == "cancelled"
    if alone > own:
        log = (runs / ".logs" / f"{image.key}.log").read_text()
        assert f"training on {alone} thread(s)" in log and f"training on {own} thread(s)" in log

    monkeypatch.setenv("GAN_EXPLORER_THREADS", str(own))            # pinned: exactly that, alone or not
    pinned = make_runner(runs, max_workers=own + 1).launch(preset("mnist-gan", iterations=50_000, seed=62))
    assert eventually(lambda: runner.progress(pinned.key).iteration >= 100, 120)
    assert "threads" not in runner.progress(pinned.key).latest
    runner.cancel(pinned.key)
    assert runner.wait(pinned.key, timeout=60).status == "cancelled"


def test_the_backend_is_chosen_by_name_or_environment(runs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert Runner(RunStore(runs)).backend_name == "local"
    monkeypatch.setenv("GAN_EXPLORER_BACKEND", "ray")
    assert Runner(RunStore(runs)).backend_name == "ray"
    assert Runner(RunStore(runs), backend="local").backend_name == "local"
    monkeypatch.setenv("GAN_EXPLORER_BACKEND", "spark")
    with pytest.raises(ConfigError, match="Unknown backend 'spark'"):
        Runner(RunStore(runs))


def test_the_runs_package_needs_neither_torch_nor_ray(runs: Path) -> None:
    """The local default works without Ray installed; choosing Ray without it says what to install."""
    script = f"""
import sys
sys.modules["ray"] = None                       # as if Ray were not installed
from gan_engine.runs import Runner, RunStore
import gan_engine.runs.local, gan_engine.runs.ray_backend, gan_engine.runs.ray_store, gan_engine.runs.ray_task
from gan_engine.errors import RunError
from devtools.runs import tiny
assert Runner(RunStore({str(runs)!r})).launch(tiny(53)).outcome == "started"
try:
    Runner(RunStore({str(runs)!r}), backend="ray").launch(tiny(54))
except RunError as error:
    print(error)
assert "torch" not in sys.modules, "the runner and both backends import without torch"
"""
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parents[1]), str(Path(__file__).parent)])}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=environment, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "The Ray backend needs Ray: pip install -r requirements-ray.txt" in done.stdout
    assert RunStore(runs).summary(tiny(53).key()) is not None and RunStore(runs).summary(tiny(54).key()) is None
