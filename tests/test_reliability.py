"""Faults with real processes: SIGKILLs at random instants, simultaneous launches from many
processes, two servers on one runs directory, a full disk and a read-only runs directory.

The full disk and the read-only directory are real: a small tmpfs and a read-only bind
mount, made in a private user and mount namespace (`unshare`), so no root is needed and
nothing outside the test sees them.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from gan_engine.limits import Limits
from gan_engine.runs.runner import Runner
from gan_engine.runs.store import RunStore
from devtools.faults import FULL_DISK, READ_ONLY, SERVER, in_namespace, make_finished
from devtools.runs import eventually, kill, kill_workers, tiny, worker_pids, worker_starts

REPO = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent
ENV = {**os.environ, "GAN_EXPLORER_THREADS": "1", "PYTHONPATH": str(REPO)}
KILL_CHAINS, KILLS_PER_CHAIN = 2, 10         # 20 killed workers in all
WRITER_KILLS = 12


def local_runner(runs: Path, max_workers: int = 1) -> Runner:
    return Runner(RunStore(runs), max_workers=max_workers, limits=Limits.from_env(local=True))


def assert_complete(store: RunStore, key: str) -> None:
    """A run that reads as done really finished: every iteration, curves and weights."""
    summary = store.summary(key)
    assert summary.status == "done" and summary.iteration == summary.total
    assert store.series(key)["iteration"].iloc[-1] == summary.total
    store.load_models(key)


# ---- writes killed mid-way --------------------------------------------------------------

WRITER = """
import sys
import numpy as np
from devtools.runs import tiny
from gan_engine.runs.runfile import RunRecord, write_run_file
from pathlib import Path
config = tiny(iterations=10**6)
record, path = RunRecord(key=config.key(), config=config, status="running"), Path(sys.argv[1])
record.weights = {"generator": {"w": np.random.rand(1000, 1000).astype(np.float32)}}   # 4 MB: a long write
for i in range(1, 10**6):
    record.add_log(i, 10**6, {"loss_d": float(i)})
    if i % 5 == 0:
        record.add_snapshot(i, {"x": np.random.rand(2000)})
    write_run_file(path, record)
    if i == 1:
        print("ready", flush=True)
"""


def test_a_writer_killed_at_random_instants_leaves_a_consistent_file(tmp_path: Path) -> None:
    store = RunStore(tmp_path)
    store.dir.make_dirs()
    key = tiny(iterations=10**6).key()
    rng = random.Random()
    mid_write = 0
    for attempt in range(WRITER_KILLS):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(store.run_path(key))],
                                  stdout=subprocess.PIPE, text=True, cwd=REPO, env=ENV)
        assert writer.stdout.readline() == "ready\n"
        if attempt % 2:
            time.sleep(rng.uniform(0.0, 0.3))                 # any instant
        else:                                                 # an instant inside a file write
            tmp = tmp_path / f"{key}.h5.tmp-{writer.pid}"
            deadline = time.monotonic() + 10
            while not tmp.exists() and time.monotonic() < deadline:
                pass
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        mid_write += any(tmp_path.glob(f"{key}.h5.tmp-{writer.pid}"))
        summary = store.summary(key)
        assert summary.status == "interrupted"              # running, with no worker alive
        assert summary.snapshot_count == summary.iteration // 5, "never a mix of two writes"
        assert len(store.series(key)) == summary.iteration
    assert list(store.list_runs()["key"]) == [key], "temporary files are never listed"
    assert mid_write >= WRITER_KILLS // 4, f"only {mid_write} of {WRITER_KILLS} kills landed inside a write"
    print(f"\nwrite-kill figures: {WRITER_KILLS} writers SIGKILLed, {mid_write} inside a write; files damaged: 0")


# ---- workers killed at random instants ----------------------------------------------------

def test_workers_killed_at_random_instants_lose_nothing_and_relaunch(runs: Path) -> None:
    seed = random.randrange(2**32)

    def chain(index: int) -> Counter:
        rng = random.Random(seed + index)
        runner = local_runner(runs, max_workers=KILL_CHAINS)
        # Long enough (a few seconds with one thread) that kills land while training too.
        config = tiny(100 + index, iterations=3000, snapshot_every=500)
        key, phases = config.key(), Counter()
        for attempt in itertools.count():
            if sum(phases.values()) - phases["finished first"] >= KILLS_PER_CHAIN:
                break
            assert runner.launch(config).outcome in ("started", "queued"), "a relaunch starts afresh"
            if attempt % 4:
                time.sleep(rng.uniform(0.0, 1.0))             # anywhere: queued, starting, training
            else:
                while (progress := runner.progress(key)).iteration < 1 and progress.status in ("queued", "running"):
                    time.sleep(0.02)
                time.sleep(rng.uniform(0.0, 0.5))             # while training and writing
            before = runner.progress(key)
            # The launcher forks the worker and returns: until the child has exec'd, its command
            # line is the launcher's, and a kill then would find nothing (the run reads queued).
            assert eventually(lambda: bool(worker_pids(runs, key)) or runner.store.summary(key).status == "done",
                              timeout=60), (seed, before)
            kill(worker_pids(runs, key))
            after = runner.store.summary(key)
            if after.status == "done":                        # it finished before the kill
                assert_complete(runner.store, key)
                runner.store.delete(key)
                phases["finished first"] += 1
                continue
            assert after.status == "interrupted", (seed, before, after)
            assert "launch it again" in after.message
            phases["training" if before.status == "running" and before.iteration > 0 else "queued/starting"] += 1
        assert runner.launch(config).outcome in ("started", "queued")
        assert runner.wait(key, timeout=180).status == "done", seed
        assert_complete(runner.store, key)
        return phases

    with ThreadPoolExecutor(KILL_CHAINS) as pool:
        phases = sum(pool.map(chain, range(KILL_CHAINS)), Counter())
    killed = phases["training"] + phases["queued/starting"]
    assert killed >= 20
    assert phases["training"] >= 3 and phases["queued/starting"] >= 3, phases
    frame = RunStore(runs).list_runs()
    assert len(frame) == KILL_CHAINS and set(frame["status"]) == {"done"}
    print(f"\nkill figures (seed {seed}): {killed} workers SIGKILLed ({dict(phases)}); runs lost: 0")


# ---- many processes, two servers -------------------------------------------------------------

LAUNCHER = """
import json, sys, time
from pathlib import Path
from gan_engine.config import RunConfig
from gan_engine.limits import Limits
from gan_engine.runs.runner import Runner
from gan_engine.runs.store import RunStore
runner = Runner(RunStore(sys.argv[1]), limits=Limits.from_env(local=True))
config = RunConfig.from_dict(json.loads(sys.argv[3]))
print("ready", flush=True)
while not Path(sys.argv[2]).exists():
    time.sleep(0.001)
print(runner.launch(config).outcome, flush=True)
"""


def test_twenty_processes_launching_one_configuration_start_one_worker(runs: Path, tmp_path: Path) -> None:
    config = tiny(200, iterations=50_000)
    go = tmp_path / "go"
    launchers = [subprocess.Popen([sys.executable, "-c", LAUNCHER, str(runs), str(go), json.dumps(config.to_dict())],
                                  stdout=subprocess.PIPE, text=True, cwd=REPO, env=ENV) for _ in range(20)]
    for launcher in launchers:
        assert launcher.stdout.readline() == "ready\n"
    go.touch()
    outcomes = Counter(launcher.communicate(timeout=60)[0].strip() for launcher in launchers)
    assert outcomes == Counter({"started": 1, "attached": 19})
    assert eventually(lambda: worker_starts(runs, config.key()) >= 1)
    time.sleep(0.5)
    assert worker_starts(runs, config.key()) == 1
    assert len(worker_pids(runs)) == 1



def test_two_servers_share_one_runs_directory(runs: Path) -> None:
    mine, shared = tiny(300), tiny(301)
    servers = [subprocess.Popen([sys.executable, "-c", SERVER, str(runs), json.dumps([a.to_dict(), b.to_dict()])],
                                stdout=subprocess.PIPE, text=True, cwd=REPO, env=ENV)
               for a, b in ((mine, shared), (shared, mine))]
    results = [json.loads(server.communicate(timeout=300)[0]) for server in servers]
    outcomes = Counter(outcome for result in results for outcome in result["outcomes"])
    assert outcomes["started"] + outcomes["queued"] == 2 and outcomes["attached"] + outcomes["cached"] == 2
    for result in results:
        assert result["statuses"] == ["done", "done"]
        assert result["listed"] == sorted([mine.key(), shared.key()])
    store = RunStore(runs)
    first, second = sorted((store.summary(c.key()) for c in (mine, shared)), key=lambda s: s.started)
    assert second.started >= first.finished, "one worker slot across both servers"
    assert worker_starts(runs, mine.key()) == worker_starts(runs, shared.key()) == 1


# ---- a full disk and a read-only directory (private mount namespace) ------------------------


def test_a_full_disk_fails_the_run_clearly_and_keeps_finished_runs(tmp_path: Path) -> None:
    precious = make_finished(tmp_path / "elsewhere")
    runs = tmp_path / "runs"
    runs.mkdir()
    try:
        result = in_namespace(f"mount -t tmpfs -o size=512k tmpfs {runs}", FULL_DISK, str(runs),
                              str(RunStore(tmp_path / "elsewhere").run_path(precious)))
    finally:
        kill_workers(runs)
    assert result["status"] == "failed" and "No space left on device" in result["message"], result
    assert result["precious_intact"] and result["precious_status"] == "done"
    assert result["listed"] == {precious: "done", tiny(401, iterations=400, snapshot_every=20).key(): "failed"}
    assert result["relaunch"] == "started"



def test_a_read_only_runs_directory_serves_finished_runs_and_refuses_new_ones(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    key = make_finished(runs)
    result = in_namespace(f"mount --bind {runs} {runs} && mount -o remount,bind,ro {runs} {runs}",
                          READ_ONLY, str(runs), key)
    assert (result["summary"], result["listed"], result["series"]) == ("done", ["done"], 1)
    assert result["cached"] == "cached"
    assert "is not writable (Read-only file system)" in result["launch"]
    assert "is not writable" in result["delete"]
    returncode, stderr = result["cli"]
    assert returncode == 2 and stderr.count("\n") == 1 and stderr.startswith("error: The runs directory")
    assert "not writable" in stderr
    assert worker_starts(runs, tiny(402).key()) == 0
