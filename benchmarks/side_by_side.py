"""Two runs one after the other against two runs side by side, on this machine's cores.

The local backend's worker slots are CPU-aware (`gan_engine.limits.run_cpus`): a run takes
as many slots as it uses threads, and the machine has `available_cpus()` slots. This script
measures what that choice rests on, for two toy runs and for two MNIST runs:

- one after the other: each run alone, with the threads it would get alone;
- side by side: both at once, each with one thread (what two slots on two cores give);
- side by side, oversubscribed (MNIST only): both at once with the threads each would get
  alone, which is what one worker per run without CPU-aware slots would do.

Each run is a real process (`python -c` calling `train`), as a worker is, so its figure
includes starting Python and importing torch. Printed: wall seconds for both runs to end
(the makespan), and each mode's makespan against one-after-another's. Runs differ by seed.
The modes alternate within each round, so a machine whose load drifts (a shared one) biases
no mode; the ratio column is the median of the per-round ratios. CPU seconds per run (user +
system, every thread) are printed too: on a machine that other work keeps busy, wall times
say more about that work than about the runs, while a run that costs as much CPU side by
side as alone is one that two free cores would finish in half the time.

    python benchmarks/side_by_side.py [--toy-preset gauss1d] [--mnist-iterations 600] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED_MNIST = REPO.parent / "shared" / "data" / "mnist"     # the tests' offline copy, when there
if "GAN_EXPLORER_DATA" not in os.environ and SHARED_MNIST.is_dir():
    os.environ["GAN_EXPLORER_DATA"] = str(SHARED_MNIST)

from gan_engine.limits import IMAGE_RUN_THREADS, available_cpus  # noqa: E402

RUN = """
import json, resource, sys, time
from gan_engine.config import preset
from gan_engine.train.loop import train
config = preset(sys.argv[1], **json.loads(sys.argv[2]))
result = train(config, device="cpu")
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"status": result.status, "seconds": result.seconds, "cpu": usage.ru_utime + usage.ru_stime}))
"""


def _start(name: str, overrides: dict, threads: int) -> subprocess.Popen[str]:
    environment = dict(os.environ, GAN_EXPLORER_THREADS=str(threads),
                       PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    return subprocess.Popen([sys.executable, "-c", RUN, name, json.dumps(overrides)], env=environment,
                            stdout=subprocess.PIPE, text=True)


def _finish(process: subprocess.Popen[str]) -> float:
    """The run's CPU seconds (all its threads, from starting Python to the end)."""
    out, _ = process.communicate()
    if process.returncode:
        raise SystemExit(f"a run failed (exit code {process.returncode})")
    result = json.loads(out.strip().splitlines()[-1])
    if result["status"] != "done":
        raise SystemExit(f"a run ended {result['status']}")
    return result["cpu"]


def one_after_another(name: str, overrides: list[dict], threads: int) -> tuple[float, float]:
    """(makespan, CPU seconds per run)."""
    started = time.perf_counter()
    cpu = [_finish(_start(name, each, threads)) for each in overrides]
    return time.perf_counter() - started, statistics.mean(cpu)


def side_by_side(name: str, overrides: list[dict], threads: int) -> tuple[float, float]:
    """(makespan, CPU seconds per run)."""
    started = time.perf_counter()
    processes = [_start(name, each, threads) for each in overrides]
    cpu = [_finish(process) for process in processes]
    return time.perf_counter() - started, statistics.mean(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--toy-preset", default="gauss1d")
    parser.add_argument("--mnist-preset", default="mnist-gan")
    parser.add_argument("--mnist-iterations", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=2, help="repeat each measurement; the median is printed")
    args = parser.parse_args()
    cpus = available_cpus()
    image_threads = min(IMAGE_RUN_THREADS, cpus)
    cases = [
        (f"2 x {args.toy_preset}", args.toy_preset, {}, [("one after the other, 1 thread each", one_after_another, 1),
                                                         ("side by side, 1 thread each", side_by_side, 1)]),
        (f"2 x {args.mnist_preset} ({args.mnist_iterations} it.)", args.mnist_preset,
         {"iterations": args.mnist_iterations},
         [(f"one after the other, {image_threads} threads each", one_after_another, image_threads),
          ("side by side, 1 thread each", side_by_side, 1),
          (f"side by side, {image_threads} threads each", side_by_side, image_threads)]),
    ]
    print(f"{cpus} CPU(s) available; {args.rounds} round(s), the modes of a case alternating within each "
          f"round; median makespan, and the median of each round's ratio to one-after-another")
    print(f"load average {os.getloadavg()[0]:.1f} at the start")
    print("| runs | mode | makespan (s) | vs one after the other | CPU s per run |")
    print("| --- | --- | ---: | ---: | ---: |")
    for label, name, base, modes in cases:
        overrides = [{**base, "seed": 11}, {**base, "seed": 12}]
        rounds = [[function(name, overrides, threads) for _, function, threads in modes] for _ in range(args.rounds)]
        for index, (mode, _, _) in enumerate(modes):
            seconds = statistics.median(each[index][0] for each in rounds)
            ratio = statistics.median(each[index][0] / each[0][0] for each in rounds)
            cpu = statistics.median(each[index][1] for each in rounds)
            print(f"| {label} | {mode} | {seconds:.1f} | {ratio:.2f}x | {cpu:.1f} |", flush=True)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
