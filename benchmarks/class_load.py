"""A whole class at once: N students launch their runs at the same moment, the way the page does.

Each student is a thread of one "server" that shares one Runner, as the Training page's
sessions do. At one instant all of them call `launch` (which returns at once: it never
waits for a slot as the command line's `train` does), then poll their run's progress once a
second, as the page does, until it ends. Most configurations are distinct (seeds); a few students pick the
same configuration as a classmate, and are attached to that run.

For each backend it prints: launches accepted and refused ("the training queue is full"),
the median and worst time from the click to a finished run, the makespan (click to the last
run done) and its ideal, the sum of single-run times of the distinct runs accepted divided
by the slots (local) or the cluster's CPUs (Ray). The single-run time is one run of the same
preset timed alone on the same backend, from launch to done, after one warm-up run; it is
timed before and after the class and the mean is used, so a machine whose other load drifts
biases the ratio less (both are printed, with the load average).

- local: today's default, under the hosted limits (CPU slots = the available CPUs, a
  waiting line of 12), in a fresh runs directory.
- ray: a multi-node cluster started on this machine for the measurement (`ray.cluster_utils`:
  a head with the run-store resource and no CPUs, and `--nodes` worker nodes with
  `--cpus-per-node` CPUs each), with the Ray backend's hosted limits (a line of 100).

    python benchmarks/class_load.py [--students 30] [--duplicates 4] [--preset gauss1d]
                                    [--backends local,ray] [--nodes 2] [--cpus-per-node 1] [--address HOST:PORT]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))

from gan_engine.config import RunConfig, preset  # noqa: E402
from gan_engine.errors import QueueFullError  # noqa: E402
from gan_engine.limits import Limits  # noqa: E402
from gan_engine.runs.runfile import ACTIVE  # noqa: E402
from gan_engine.runs.runner import Runner  # noqa: E402
from gan_engine.runs.store import RunStore  # noqa: E402

POLL_SECONDS = 1.0        # as the Training page polls a run (ui.training_view.POLL_SECONDS)


@dataclass
class Result:
    backend: str
    capacity: float
    accepted: int
    refused: int
    finished: list[float]        # seconds from the click to a finished run, per accepted student
    makespan: float
    single_before: float
    single_after: float
    distinct_accepted: int
    failed: int

    @property
    def single(self) -> float:
        return (self.single_before + self.single_after) / 2

    @property
    def ideal(self) -> float:
        return self.single * self.distinct_accepted / self.capacity


def class_configs(name: str, students: int, duplicates: int) -> list[RunConfig]:
    """`students` configurations: distinct seeds, the last `duplicates` copying earlier ones."""
    distinct = [preset(name, seed=1000 + index) for index in range(students - duplicates)]
    return distinct + [distinct[index * 3 % len(distinct)] for index in range(duplicates)]


def single_run_seconds(runner: Runner, name: str, seeds: tuple[int, ...]) -> float:
    """One run of the preset alone, launch to done, after the first of `seeds` as a warm-up."""
    seconds = 0.0
    for seed in seeds:
        started = time.perf_counter()
        final = runner.wait(runner.launch(preset(name, seed=seed)).key, poll=0.1)
        seconds = time.perf_counter() - started
        if final.status != "done":
            raise SystemExit(f"the single run ended {final.status}: {final.message}")
    return seconds


def the_class(runner: Runner, configs: list[RunConfig]) -> tuple[list[float | None], list[str], float]:
    """All students click at once; per student the seconds to a finished run (None when
    refused or not done), their final statuses, and the makespan."""
    barrier = threading.Barrier(len(configs) + 1)
    done: list[float | None] = [None] * len(configs)
    statuses = [""] * len(configs)
    clicked = [0.0]

    def student(index: int) -> None:
        barrier.wait()
        try:
            key = runner.launch(configs[index]).key
        except QueueFullError:
            statuses[index] = "refused"
            return
        while (progress := runner.progress(key)).status in ACTIVE:
            time.sleep(POLL_SECONDS)
        statuses[index] = progress.status
        if progress.status == "done":
            done[index] = time.perf_counter() - clicked[0]

    threads = [threading.Thread(target=student, args=(index,)) for index in range(len(configs))]
    for thread in threads:
        thread.start()
    clicked[0] = time.perf_counter()
    barrier.wait()
    for thread in threads:
        thread.join()
    finished = [seconds for seconds in done if seconds is not None]
    return done, statuses, max(finished, default=0.0)


def measure(backend: str, runner: Runner, capacity: float, args: argparse.Namespace) -> Result:
    before = single_run_seconds(runner, args.preset, (900, 901))
    configs = class_configs(args.preset, args.students, args.duplicates)
    done, statuses, makespan = the_class(runner, configs)
    after = single_run_seconds(runner, args.preset, (902,))
    accepted = [config for config, status in zip(configs, statuses) if status != "refused"]
    return Result(backend, capacity, len(accepted), statuses.count("refused"),
                  [seconds for seconds in done if seconds is not None], makespan, before, after,
                  len({config.key() for config in accepted}),
                  sum(status not in ("done", "refused") for status in statuses))


def run_local(args: argparse.Namespace) -> Result:
    with tempfile.TemporaryDirectory(prefix="class-local-") as runs:
        runner = Runner(RunStore(runs), limits=Limits.from_env(local=False), backend="local")
        return measure("local", runner, runner.max_workers, args)


def run_ray(args: argparse.Namespace) -> Result:
    import ray
    from ray.cluster_utils import Cluster

    from gan_engine.runs import ray_backend

    cluster = None
    if args.address is None:
        cluster = Cluster(initialize_head=True, head_node_args={
            "num_cpus": 0, "resources": {"gan_explorer_store": 1000}, "include_dashboard": False})
    try:
        if cluster is not None:
            for _ in range(args.nodes):
                cluster.add_node(num_cpus=args.cpus_per_node)
        address = args.address or cluster.address
        with tempfile.TemporaryDirectory(prefix="class-ray-") as runs:
            runner = Runner(RunStore(runs), limits=Limits.from_env(local=False, backend="ray"), backend="ray",
                            ray_address=address)
            ray_backend.connect(address)
            try:
                return measure("ray", runner, ray.cluster_resources().get("CPU", 0.0), args)
            finally:       # on a cluster that stays up, its store actor for this directory goes
                ray.kill(runner.backend.store_actor())
    finally:
        ray.shutdown()
        if cluster is not None:
            session = cluster.head_node.get_session_dir_path()
            cluster.shutdown()
            shutil.rmtree(session, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--duplicates", type=int, default=4, help="students who pick a classmate's configuration")
    parser.add_argument("--preset", default="gauss1d")
    parser.add_argument("--backends", default="local,ray")
    parser.add_argument("--nodes", type=int, default=2, help="Ray worker nodes started on this machine")
    parser.add_argument("--cpus-per-node", type=int, default=1)
    parser.add_argument("--address", help="use the running cluster at this address (as the README's "
                        "`ray start` commands make) instead of starting one")
    args = parser.parse_args()
    os.environ.pop("GAN_EXPLORER_LOCAL", None)
    results = [{"local": run_local, "ray": run_ray}[name](args) for name in args.backends.split(",")]
    print(f"{args.students} students ({args.students - args.duplicates} distinct configurations), preset "
          f"{args.preset}, {os.cpu_count()} CPU(s) on this machine, load average {os.getloadavg()[0]:.1f} "
          f"at the end")
    print("| backend | slots / CPUs | accepted | refused | median to done (s) | worst (s) | makespan (s) "
          "| ideal (s) | makespan / ideal | single run before, after (s) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for result in results:
        median = statistics.median(result.finished) if result.finished else float("nan")
        worst = max(result.finished, default=float("nan"))
        failed = f" ({result.failed} not done)" if result.failed else ""
        print(f"| {result.backend} | {result.capacity:g} | {result.accepted}{failed} | {result.refused} | "
              f"{median:.1f} | {worst:.1f} | {result.makespan:.1f} | {result.ideal:.1f} | "
              f"{result.makespan / result.ideal:.2f}x | {result.single_before:.1f}, {result.single_after:.1f} |",
              flush=True)


if __name__ == "__main__":
    main()
