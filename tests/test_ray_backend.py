"""The Ray backend on a real multi-node Ray cluster on this machine (no mocks), and the runner
contract checked against both backends.

One cluster serves the module (`ray.cluster_utils.Cluster`): a head that holds the run-store
resource and has no CPUs (it trains nothing), node A with one CPU, and node B with one CPU
and one logical GPU (Ray schedules on it; torch sees no CUDA there). Health checks are
shortened so a removed node is noticed in about two seconds. Every wait polls a condition
under a generous deadline; nothing here asserts a duration.

Without Ray installed these tests fail (they never skip): CI installs requirements-ray.txt.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from gan_engine.config import preset
from gan_engine.errors import ConfigError, DataError, QueueFullError, RunError
from gan_engine.limits import Limits
from gan_engine.runs.runner import Runner
from gan_engine.runs.store import RunStore
from devtools.runs import eventually, tiny, worker_starts

try:
    import ray
    from ray.cluster_utils import Cluster
except ImportError as missing:
    ray = None
    RAY_MISSING = (f"Ray is not installed ({missing}): the Ray backend's tests need it; "
                   f"run `pip install -r requirements-ray.txt`.")

pytestmark = pytest.mark.ray
REPO = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent
BACKENDS = ("local", "ray")
LONG = {"iterations": 50_000}
# Shortened from Ray's defaults (a node is declared dead after ~30 s) to ~2 s.
HEALTH_CHECKS = {"health_check_initial_delay_ms": 0, "health_check_period_ms": 500,
                 "health_check_timeout_ms": 500, "health_check_failure_threshold": 3}


class RayCluster:
    """The module's cluster: its address and the two worker nodes."""

    def __init__(self, tmp: Path) -> None:
        self.cluster = Cluster(initialize_head=True, head_node_args={
            "num_cpus": 0, "resources": {"gan_explorer_store": 1000}, "include_dashboard": False,
            "_system_config": HEALTH_CHECKS})
        self.node_a = self.cluster.add_node(num_cpus=1)
        self.node_b = self.cluster.add_node(num_cpus=1, num_gpus=1)    # the logical GPU
        self.address = self.cluster.address
        self.data_cache = tmp

    def shutdown(self) -> None:
        session = self.cluster.head_node.get_session_dir_path()
        ray.shutdown()
        self.cluster.shutdown()
        shutil.rmtree(session, ignore_errors=True)     # the cluster's logs (kept by Ray under /tmp/ray)


@pytest.fixture(scope="session")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> RayCluster:
    if ray is None:
        pytest.fail(RAY_MISSING)
    from gan_engine.runs import ray_backend

    data_cache = tmp_path_factory.mktemp("ray-data")
    saved = {name: os.environ.get(name) for name in ("PYTHONPATH", "GAN_EXPLORER_RAY_ADDRESS",
                                                     "GAN_EXPLORER_RAY_DATA_CACHE")}
    # The nodes inherit this environment, as `ray start` run from the checkout would give them.
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), saved["PYTHONPATH"]]))
    os.environ["GAN_EXPLORER_RAY_DATA_CACHE"] = str(data_cache)
    started = RayCluster(data_cache)
    os.environ["GAN_EXPLORER_RAY_ADDRESS"] = started.address
    try:
        ray_backend.connect(started.address)
        yield started
    finally:
        ray_backend._actors.clear()
        started.shutdown()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class Runners:
    """Runners of one backend for one test; at the end their live runs are cancelled and,
    on Ray, their store actors stopped (each runs directory has its own)."""

    def __init__(self, backend: str, runs: Path) -> None:
        self.backend, self.runs, self.made = backend, runs, []

    def __call__(self, max_workers: int = 1, max_queue: int = 10, runs: Path | None = None) -> Runner:
        runner = Runner(RunStore(runs or self.runs), max_workers=max_workers, max_queue=max_queue,
                        limits=Limits.from_env(local=False), backend=self.backend)
        self.made.append(runner)
        return runner

    @property
    def capacity(self) -> int:
        """Runs that train at once: the local runner's one slot, or the cluster's two CPUs."""
        return 1 if self.backend == "local" else 2

    def close(self) -> None:
        for runner in self.made:
            for path in runner.store.root.glob("*.h5"):
                if runner.dir.is_live(path.stem):
                    runner.cancel(path.stem)
        if self.backend == "ray":
            from gan_engine.runs import ray_backend

            for runner in self.made:
                eventually(lambda: not any(runner.dir.is_live(p.stem) for p in runner.store.root.glob("*.h5")), 60)
            for name in {runner.backend.actor_name for runner in self.made}:
                ray_backend._actors.pop(name, None)
                try:       # whichever driver created it: this process, a subprocess, the command line
                    ray.kill(ray.get_actor(name, namespace=ray_backend.NAMESPACE))
                except ValueError:
                    pass


@pytest.fixture(params=BACKENDS)
def runners(request: pytest.FixtureRequest, runs: Path) -> Runners:
    if request.param == "ray":
        request.getfixturevalue("cluster")
    made = Runners(request.param, runs)
    yield made
    made.close()


@pytest.fixture
def on_ray(cluster: RayCluster, runs: Path) -> Runners:
    made = Runners("ray", runs)
    yield made
    made.close()


def trainings(runner: Runner, key: str) -> int:
    """How many trainings of `key` were started: worker processes, or Ray tasks."""
    if runner.backend_name == "ray":
        return runner.backend.call("tasks_submitted", key)
    return worker_starts(runner.store.root, key)


def node_id(node: object) -> str:
    return node.node_id[:8]


# ---- the runner contract, on both backends -----------------------------------------------

def test_launch_attach_progress_and_cache(runners: Runners) -> None:
    runner = runners()
    config = tiny(20)
    launch = runner.launch(config)
    assert (launch.key, launch.outcome, launch.status) == (config.key(), "started", "queued")
    assert runner.launch(config).outcome == "attached"
    final = runner.wait(launch.key, timeout=120)
    assert final.status == "done", final.message
    assert (final.iteration, final.total, final.fraction, final.snapshot_count) == (20, 20, 1.0, 2)
    assert final.device == "cpu" and final.queue_position is None and final.node
    assert runner.store.series(launch.key)["iteration"].tolist() == [5, 10, 15, 20]
    assert runner.store.metric_series(launch.key)["iteration"].tolist() == [0, 20]
    _, generator, _ = runner.store.load_models(launch.key)
    assert sum(parameter.numel() for parameter in generator.parameters()) > 0
    for again in (runner, runners()):       # this server, and a second one
        assert (again.launch(tiny(20)).outcome, again.progress(launch.key).status) == ("cached", "done")
    assert trainings(runner, launch.key) == 1


def test_each_outcome_is_kept(runners: Runners) -> None:
    """One diverges, one fails (CUDA where torch has none), one finishes; none disturbs the next."""
    runner = runners()
    exploding = tiny(21, optimizer="sgd", lr_d=10.0, lr_g=10.0, iterations=3000, log_every=1000, snapshot_every=1000)
    first, second, third = runner.launch(exploding), runner.launch(tiny(22), device="cuda:7"), runner.launch(tiny(23))
    finals = [runner.wait(launch.key, timeout=120) for launch in (first, second, third)]
    assert [final.status for final in finals] == ["diverged", "failed", "done"], finals
    assert "Try smaller learning rates" in finals[0].message
    assert "cuda" in finals[1].message.lower()
    assert "jsd" in runner.store.summary(first.key).metrics, "a diverged run keeps its partial metrics"
    assert runner.launch(exploding).outcome == "cached", "a seeded divergence is a result"
    assert runner.launch(tiny(22)).outcome in ("started", "queued"), "a failed run is tried afresh"
    assert runner.wait(second.key, timeout=120).status == "done"
    assert trainings(runner, second.key) == 2


def test_cancel_a_queued_and_a_running_run_then_relaunch(runners: Runners) -> None:
    runner = runners(max_queue=1)
    busy = [runner.launch(tiny(30 + index, **LONG)) for index in range(runners.capacity)]
    waiting = runner.launch(tiny(39))
    assert eventually(lambda: all(runner.progress(b.key).status == "running" for b in busy), 120)
    assert runner.progress(waiting.key).status == "queued"
    assert runner.progress(waiting.key).queue_position == 1 and runner.queue() == [waiting.key]
    with pytest.raises(QueueFullError, match="queue is full"):
        runner.launch(tiny(40))
    assert not runner.store.run_path(tiny(40).key()).exists()

    assert runner.cancel(waiting.key)
    final = runner.wait(waiting.key, timeout=60)
    assert final.status == "cancelled" and "waiting in the queue" in final.message

    running = busy[0]
    assert eventually(lambda: runner.progress(running.key).iteration >= 10, 60)
    progress = runner.progress(running.key)
    assert progress.status == "running" and 0 < progress.fraction < 1, "progress is visible mid-run"
    assert runner.cancel(running.key)
    final = runner.wait(running.key, timeout=60)
    assert final.status == "cancelled" and "Stopped at iteration" in final.message
    assert not runner.cancel(running.key), "nothing left to cancel"
    assert runner.store.series(running.key)["iteration"].iloc[-1] >= 10, "partial curves are kept"
    for launch in busy[1:]:
        runner.cancel(launch.key)
        assert runner.wait(launch.key, timeout=60).status == "cancelled"

    assert runner.launch(tiny(39)).outcome in ("started", "queued"), "a cancelled queued run is tried afresh"
    assert runner.wait(waiting.key, timeout=120).status == "done"
    assert runner.launch(tiny(30, **LONG)).outcome in ("started", "queued"), "a cancelled running run is tried afresh"
    assert eventually(lambda: runner.progress(running.key).iteration >= 10, 60)


def test_visitor_caps_refuse_before_anything_is_written(runners: Runners) -> None:
    runner = runners()
    with pytest.raises(ConfigError, match="too large for this server"):
        runner.launch(tiny(iterations=1_000_000, batch_size=1000))
    with pytest.raises(ConfigError, match="k must be"):
        runner.launch(tiny().replace(k=0))
    with pytest.raises(ConfigError, match="Unknown device 'tpu'"):
        runner.launch(tiny(), device="tpu")
    with pytest.raises(DataError, match="outside"):
        Runner(runner.store, allow_any_data_path=False, backend=runners.backend).launch(
            preset("mnist-gan", data_path="/etc/passwd"))
    assert not runner.store.root.exists() or not list(runner.store.root.glob("*.h5"))


def test_twenty_threads_launching_one_configuration_train_it_once(runners: Runners) -> None:
    config = tiny(41, **LONG)
    made = [runners() for _ in range(20)]       # each session its own runner, one directory
    barrier = threading.Barrier(20)
    outcomes: list[str] = []

    def click(runner: Runner) -> None:
        barrier.wait()
        outcomes.append(runner.launch(config).outcome)

    threads = [threading.Thread(target=click, args=(runner,)) for runner in made]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Counter(outcomes) == Counter({"started": 1, "attached": 19})
    assert eventually(lambda: made[0].progress(config.key()).status == "running", 60)
    assert trainings(made[0], config.key()) == 1


def test_unknown_runs(runners: Runners) -> None:
    runner = runners()
    with pytest.raises(RunError, match="No run 0123456789abcdef"):
        runner.progress("0123456789abcdef")
    assert runner.cancel("0123456789abcdef") is False
    with pytest.raises(RunError, match="not a run key"):
        runner.cancel("../x")


# ---- Ray only ------------------------------------------------------------------------------

LAUNCHER = """
import sys, time
from pathlib import Path
from gan_engine.limits import Limits
from gan_engine.runs.runner import Runner
from gan_engine.runs.store import RunStore
from devtools.runs import tiny
runs, signals = Path(sys.argv[1]), Path(sys.argv[2])
runner = Runner(RunStore(runs), limits=Limits.from_env(local=True), backend="ray")
runner.backend.store_actor()                       # connected, with the actor, before the signal
(signals / f"ready-{sys.argv[3]}").touch()
while not (signals / "go").exists():
    time.sleep(0.002)
print(runner.launch(tiny(42, iterations=50_000)).outcome)
"""


def test_twenty_processes_launching_one_configuration_train_it_once(on_ray: Runners, runs: Path,
                                                                    tmp_path: Path) -> None:
    """Twenty separate processes (twenty Ray drivers; the first to ask creates the store
    actor, and its driver exits before the run ends): one training task."""
    signals = tmp_path / "signals"
    signals.mkdir()
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(TESTS), os.environ["PYTHONPATH"]])}
    processes = [subprocess.Popen([sys.executable, "-c", LAUNCHER, str(runs), str(signals), str(index)],
                                  cwd=REPO, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for index in range(20)]
    try:
        assert eventually(lambda: len(list(signals.glob("ready-*"))) == 20
                          or any(process.poll() is not None for process in processes), 180)
        (signals / "go").touch()
        results = [process.communicate(timeout=120) for process in processes]
    finally:
        for process in processes:
            process.kill()
    assert all(process.returncode == 0 for process in processes), [err[-2000:] for _, err in results]
    assert all(err == "" for _, err in results), "Ray's own output stays out of the driver's stderr"
    outcomes = Counter(out.strip() for out, _ in results)
    assert outcomes == Counter({"started": 1, "attached": 19}), outcomes

    runner = on_ray()                 # a twenty-first driver: the pytest process
    key = tiny(42, **LONG).key()
    assert eventually(lambda: runner.progress(key).iteration >= 10, 60), "it trains after its drivers left"
    assert trainings(runner, key) == 1


def test_a_gpu_run_lands_on_the_gpu_node_and_its_data_travels_by_hash(cluster: RayCluster, on_ray: Runners) -> None:
    """An MNIST run with device auto asks for a GPU when the cluster has one: it trains on
    node B. B's GPU is logical (torch has no CUDA there), so it trains on B's CPU, and the
    run says so. Its MNIST files reach B as a copy named by their hashes, and copies no run
    has used for over a week (an upload from long ago, a half-written copy) are removed."""
    from gan_engine.runs.ray_task import DATA_CACHE_KEEP_SECONDS

    stale, recent, half = (cluster.data_cache / name for name in ("0" * 32, "1" * 32, ".2222-partial"))
    for folder in (stale, recent, half):
        folder.mkdir()
        (folder / "faces.h5").write_bytes(b"x")
    week_ago = time.time() - DATA_CACHE_KEEP_SECONDS - 3600
    for folder in (stale, half):
        os.utime(folder, (week_ago, week_ago))
    runner = on_ray()
    config = preset("mnist-gan", iterations=20, batch_size=32, snapshot_every=20, log_every=5, seed=43)
    final = runner.wait(runner.launch(config).key, timeout=120)
    assert final.status == "done", final.message
    assert node_id(cluster.node_b) in final.node and final.device == "cpu"
    copies = [path.name for path in cluster.data_cache.glob("*/*")]
    assert "t10k-images-idx3-ubyte.gz" in copies and "t10k-labels-idx1-ubyte.gz" in copies
    assert not stale.exists() and not half.exists() and recent.is_dir()
    used = next(cluster.data_cache.glob("*/t10k-images-idx3-ubyte.gz")).parent
    assert time.time() - used.stat().st_mtime < DATA_CACHE_KEEP_SECONDS
    assert runner.store.summary(final.key).config.data_path == "", "the key still names the dashboard's data"


def test_a_killed_training_process_reads_interrupted_and_trains_afresh(on_ray: Runners) -> None:
    runner = on_ray()
    config = tiny(44, iterations=4000, log_every=5, snapshot_every=1000)
    launch = runner.launch(config)
    assert eventually(lambda: runner.progress(launch.key).iteration >= 5, 120)
    summary = runner.store.summary(launch.key)
    os.kill(summary.pid, signal.SIGKILL)
    final = runner.wait(launch.key, timeout=60)
    assert final.status == "interrupted", final
    assert f"pid {summary.pid}" in final.message and summary.node in final.message
    with pytest.raises(RunError, match="no trained weights"):
        runner.store.load_models(launch.key)
    assert runner.launch(config).outcome in ("started", "queued")
    assert runner.wait(launch.key, timeout=180).status == "done"
    assert trainings(runner, launch.key) == 2


def test_the_command_line_trains_on_ray_with_nothing_from_ray_on_its_output(on_ray: Runners, runs: Path) -> None:
    on_ray()                 # stops the store actor that the command creates, at the end
    command = [sys.executable, "-m", "gan_engine", "train", "--preset", "gauss1d", "--iterations", "20",
               "--batch-size", "32", "--seed", "45", "--backend", "ray", "--json", "--runs", str(runs)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 1 and '"status": "done"' in done.stdout
    assert all(line.startswith("  ") for line in done.stderr.splitlines()), \
        f"only the command's progress lines, nothing from Ray: {done.stderr!r}"
    command[command.index("45")] = "48"     # a run not in the cache, so it must reach the cluster
    unreachable = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120,
                                 env={**os.environ, "GAN_EXPLORER_RAY_ADDRESS": "127.0.0.1:9"})
    assert unreachable.returncode == 2
    assert unreachable.stderr.startswith("error: No Ray cluster is reachable at 127.0.0.1:9")
    assert "ray start --head" in unreachable.stderr and unreachable.stderr.count("\n") == 1
    assert len(list(runs.glob("*.h5"))) == 1, "nothing was written for the refused run"


def test_the_training_page_trains_on_ray_and_shows_where(on_ray: Runners, runs: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The page is unchanged above the seam: with GAN_EXPLORER_BACKEND=ray its Train button
    trains on the cluster; it shows the cluster at a glance and the node a run trained on."""
    from apphelpers import app_session
    from ui.strings import training as strings

    monkeypatch.setenv("GAN_EXPLORER_BACKEND", "ray")
    monkeypatch.setenv("GAN_EXPLORER_RUNS", str(runs))
    on_ray()                 # stops this runs directory's store actor at the end
    at = app_session("pages/2_Training.py", {"train_iterations": "30", "train_batch": "64", "train_seed": "49"}).run()
    glance = strings.EN["training.cluster"].format(nodes=2, cpus_busy=0, cpus=2, gpus_busy=0, gpus=1, waiting=0)
    assert glance in [caption.value for caption in at.caption]
    at.button(key="train_launch").click().run()
    assert not at.exception, [error.value for error in at.exception]
    key = at.session_state["train_active_key"]
    assert Runner(RunStore(runs), backend="ray").wait(key, timeout=120).status == "done"
    at.run()
    node = RunStore(runs).summary(key).node
    assert "Ray node" in node
    assert strings.EN["training.where"].format(node=node, device="cpu") in [caption.value for caption in at.caption]


def test_a_node_lost_mid_run_reads_interrupted_and_the_run_trains_on_another(cluster: RayCluster, on_ray: Runners) -> None:
    """Node B (the GPU node) is removed while it trains: the run reads interrupted naming B,
    the relaunch trains on node A, and with no GPU left a CUDA run is refused at once.
    Last in the module: B does not come back."""
    runner = on_ray()
    config = preset("mnist-gan", iterations=1500, batch_size=32, snapshot_every=1500, log_every=5, seed=46)
    launch = runner.launch(config)
    assert eventually(lambda: runner.progress(launch.key).iteration >= 5, 120)
    assert node_id(cluster.node_b) in runner.progress(launch.key).node
    cluster.cluster.remove_node(cluster.node_b, allow_graceful=False)
    final = runner.wait(launch.key, timeout=60)
    assert final.status == "interrupted", final
    assert node_id(cluster.node_b) in final.message and "left the cluster" in final.message
    assert runner.store.summary(launch.key).finished is not None
    with pytest.raises(RunError, match="no trained weights"):
        runner.store.load_models(launch.key)

    assert eventually(lambda: ray.cluster_resources().get("GPU", 0) == 0, 60)
    assert runner.launch(config).outcome in ("started", "queued")
    final = runner.wait(launch.key, timeout=240)
    assert final.status == "done", final.message
    assert node_id(cluster.node_a) in final.node

    with pytest.raises(ConfigError, match="no node of the Ray cluster has a GPU"):
        runner.launch(tiny(47), device="cuda")
    assert not runner.store.run_path(tiny(47).key()).exists()
