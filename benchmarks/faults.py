"""Fault figures from real processes: bad inputs, killed workers, a full disk, a read-only
runs directory and two servers on one runs directory. Prints one table (docs/RELIABILITY.md).

    python benchmarks/faults.py [--kills 20] [--seed N]

1. Every file of the malformed corpus (tests/malformed) through each door: the loaders, the
   command line (a real `python -m gan_engine` process per input), `Runner.launch`, and the
   Training page's upload control (AppTest). Counted: refused with one clear message, and
   anything that went wrong instead (a traceback, more than one line, a file in the runs
   directory or left in the uploads folder).
2. Workers SIGKILLed at random instants (queued, starting, training, writing) while three
   finished runs sit in the same directory. A kill is survived when the run reads as
   "interrupted" and its relaunch finishes; a run is lost when a finished one changed or
   cannot be loaded, or a killed one never finishes.
3. The disk filling during a run, a read-only runs directory and two servers sharing a runs
   directory: the scenarios of tests/test_reliability.py (a tmpfs and a read-only bind
   mount in a private user namespace), run once each and summarised.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("GAN_EXPLORER_THREADS", "1")
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))

from devtools import faults as reliability  # noqa: E402
from devtools.runs import kill, malformed_cli_argv, tiny, worker_pids, worker_starts  # noqa: E402

from gan_engine.config import preset  # noqa: E402
from gan_engine.data import images_to_hdf5, load_faces, load_mnist  # noqa: E402
from gan_engine.errors import DataError, GanExplorerError  # noqa: E402
from gan_engine.limits import Limits  # noqa: E402
from gan_engine.runs.runner import Runner  # noqa: E402
from gan_engine.runs.store import RunStore, open_run  # noqa: E402

CORPUS = REPO / "tests" / "malformed"
MANIFEST: list[dict[str, str]] = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
ROWS: list[tuple[str, str, str]] = []


def report(scenario: str, tried: object, outcome: str) -> None:
    ROWS.append((scenario, str(tried), outcome))
    print(f"  {scenario}: {tried} -> {outcome}", file=sys.stderr, flush=True)


def expected(case: dict[str, str]) -> str:
    return "pickle" if case["loader"] == "weights" else case["expect"]


# ---- 1. malformed inputs ------------------------------------------------------------------

def through_api(tmp: Path) -> None:
    clear = 0
    for case in MANIFEST:
        path = CORPUS / case["path"]
        try:
            {"load_mnist": lambda: load_mnist(path, download=False), "load_faces": lambda: load_faces(path),
             "images_to_hdf5": lambda: images_to_hdf5(path, tmp / "out.h5"),
             "weights": lambda: open_run(str(path)).load_models()}[case["loader"]]()
        except GanExplorerError as error:
            clear += expected(case) in str(error) and error.__cause__ is None
    report("malformed inputs, engine API", len(MANIFEST), f"{clear} refused with one specific error")


def through_cli(tmp: Path) -> None:
    clear, problems = 0, Counter()
    for index, case in enumerate(MANIFEST):
        runs, out = tmp / f"cli-runs-{index}", tmp / f"cli-out-{index}"
        out.mkdir()
        done = subprocess.run([sys.executable, "-m", "gan_engine", *malformed_cli_argv(case, runs, out)], cwd=REPO, capture_output=True, text=True,
                              timeout=120)
        problems["traceback"] += "Traceback" in done.stderr
        problems["not one line"] += done.stderr.count("\n") != 1
        problems["runs dir written"] += runs.exists()
        problems["output written"] += any(out.iterdir())
        clear += done.returncode == 2 and expected(case) in done.stderr and done.stderr.count("\n") == 1
    report("malformed inputs, command line (real processes)", len(MANIFEST),
           f"{clear} exit 2 with one line naming the problem; " + _problems(problems))


def through_runner(tmp: Path) -> None:
    cases = [case for case in MANIFEST if case["loader"] in ("load_mnist", "load_faces")]
    runs, refused = tmp / "runner-runs", 0
    runner = Runner(RunStore(runs), allow_any_data_path=True)
    for case in cases:
        name = "mnist-gan" if case["loader"] == "load_mnist" else "faces"
        try:
            runner.launch(preset(name, iterations=20, batch_size=32, data_path=str(CORPUS / case["path"])))
        except DataError as error:
            refused += case["expect"] in str(error)
    report("malformed data files, Runner.launch", len(cases),
           f"{refused} refused before anything was written; runs directory " + ("written" if runs.exists() else
                                                                                "untouched"))


def through_page(tmp: Path) -> None:
    from streamlit.testing.v1 import AppTest

    from gan_engine.data.uploads import uploads_dir

    os.environ["GAN_EXPLORER_DATA"], os.environ["GAN_EXPLORER_RUNS"] = str(tmp / "page-data"), str(tmp / "page-runs")
    at = AppTest.from_file(str(REPO / "pages" / "2_Training.py"), default_timeout=120).run()
    one_error, problems = 0, Counter()
    for case in MANIFEST:
        path = CORPUS / case["path"]
        folder = path if path.is_dir() else path.parent
        files = [(p.name, p.read_bytes(), "application/octet-stream") for p in sorted(folder.rglob("*")) if p.is_file()]
        kind = "mnist" if case["loader"] in ("load_mnist", "weights") else "faces"
        at.file_uploader(key="train_upload_" + ("faces" if kind == "mnist" else "mnist")).set_value(None)
        at.file_uploader(key=f"train_upload_{kind}").set_value(files)
        at.run()
        problems["exception"] += len(at.exception)
        problems["upload kept"] += uploads_dir().exists() and any(uploads_dir().iterdir())
        problems["runs dir written"] += (tmp / "page-runs").exists()
        one_error += len(at.error) == 1 and any(f"`{name}`" in at.error[0].value for name, _, _ in files)
    report("malformed inputs, Training page upload (AppTest)", len(MANIFEST),
           f"{one_error} one error naming the file; " + _problems(problems))


def _problems(problems: Counter) -> str:
    return ", ".join(f"{count} {name}" for name, count in problems.items())


# ---- 2. workers killed at random instants --------------------------------------------------

def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def kills(tmp: Path, count: int, seed: int) -> None:
    rng = random.Random(seed)
    runs = tmp / "kill-runs"
    runner = Runner(RunStore(runs), limits=Limits.from_env(local=True))
    finished = [tiny(500 + i) for i in range(3)]
    for config in finished:
        runner.launch(config)
        runner.wait(config.key(), timeout=180)
    before = {c.key(): digest(runner.store.run_path(c.key())) for c in finished}
    phases, survived, attempt = Counter(), 0, 0
    while sum(phases.values()) - phases["finished first"] < count:
        config = tiny(600 + attempt, iterations=2000, snapshot_every=100)
        attempt += 1
        runner.launch(config)
        if attempt % 2:                                   # at any instant: queued, starting, training
            time.sleep(rng.uniform(0.0, 2.5))
        else:                                             # while training (and writing the run file)
            while (now := runner.progress(config.key())).iteration < 1 and now.status in ("queued", "running"):
                time.sleep(0.02)
            time.sleep(rng.uniform(0.0, 0.5))
        status = runner.progress(config.key())
        kill(worker_pids(runs, config.key()))
        if runner.store.summary(config.key()).status == "done":
            phases["finished first"] += 1                 # the run ended before the kill landed: no kill
            continue
        phases["training" if status.status == "running" and status.iteration > 0 else "queued/starting"] += 1
        interrupted = runner.store.summary(config.key()).status == "interrupted"
        runner.launch(config)
        survived += interrupted and runner.wait(config.key(), timeout=240).status == "done"
    lost = sum(digest(runner.store.run_path(key)) != value or runner.store.summary(key).status != "done"
               for key, value in before.items())
    for key in before:
        runner.store.load_models(key)
    killed = phases["training"] + phases["queued/starting"]
    report("workers SIGKILLed at random instants", f"{killed} ({dict(phases)}, seed {seed})",
           f"{survived} survived (read as interrupted, relaunched, finished)")
    report("finished runs lost", f"{len(before)} finished + {killed} killed runs", str(lost + killed - survived))


# ---- 3. full disk, read-only directory, two servers -------------------------------------

def full_disk(tmp: Path) -> None:
    precious = reliability.make_finished(tmp / "elsewhere")
    runs = tmp / "tmpfs-runs"
    runs.mkdir()
    result = reliability.in_namespace(f"mount -t tmpfs -o size=512k tmpfs {runs}", reliability.FULL_DISK,
                                      str(runs), str(RunStore(tmp / "elsewhere").run_path(precious)))
    report("disk fills during a run (512 KB tmpfs)", 1,
           f"run {result['status']}: \"{result['message'][:60]}…\"; finished run intact: "
           f"{result['precious_intact']}; relaunch after freeing space: {result['relaunch']}")


def read_only(tmp: Path) -> None:
    runs = tmp / "ro-runs"
    key = reliability.make_finished(runs)
    result = reliability.in_namespace(f"mount --bind {runs} {runs} && mount -o remount,bind,ro {runs} {runs}",
                                      reliability.READ_ONLY, str(runs), key)
    refused = "not writable" in result["launch"] and "not writable" in result["delete"]
    code, stderr = result["cli"]
    report("runs directory read-only (bind mount)", 1,
           f"finished run served ({result['cached']}, {result['summary']}, {result['series']} curve row); new "
           f"launch and delete refused as not writable: {refused}; CLI exit {code} in {stderr.count(chr(10))} line(s)")


def two_servers(tmp: Path) -> None:
    runs = tmp / "shared-runs"
    mine, shared = tiny(700), tiny(701)
    servers = [subprocess.Popen([sys.executable, "-c", reliability.SERVER, str(runs),
                                 json.dumps([a.to_dict(), b.to_dict()])], stdout=subprocess.PIPE, text=True, cwd=REPO)
               for a, b in ((mine, shared), (shared, mine))]
    results = [json.loads(server.communicate(timeout=300)[0]) for server in servers]
    outcomes = Counter(outcome for result in results for outcome in result["outcomes"])
    statuses = Counter(status for result in results for status in result["statuses"])
    report("two servers share one runs directory", "2 servers x 2 launches",
           f"outcomes {dict(outcomes)}; both see {dict(statuses)}; workers started: "
           f"{sum(worker_starts(runs, c.key()) for c in (mine, shared))}")


GROUPS = ("inputs", "kills", "disk")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=random.randrange(2**32))
    parser.add_argument("--only", choices=GROUPS, action="append",
                        help="run only these groups: inputs, kills, disk (default: all)")
    args = parser.parse_args()
    scenarios = {"inputs": (through_api, through_cli, through_runner, through_page),
                 "kills": (functools.partial(kills, count=args.kills, seed=args.seed),),
                 "disk": (full_disk, read_only, two_servers)}
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        try:
            for group in args.only or GROUPS:
                for step in scenarios[group]:
                    step(tmp)
        finally:
            for runs in tmp.glob("*runs*"):
                kill(worker_pids(runs))
    width = max(len(scenario) for scenario, _, _ in ROWS)
    print(f"| {'scenario':<{width}} | tried | outcome |\n| {'-' * width} | --- | --- |")
    for scenario, tried, outcome in ROWS:
        print(f"| {scenario:<{width}} | {tried} | {outcome} |")


if __name__ == "__main__":
    main()
