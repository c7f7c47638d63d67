"""A class on one server: N simulated visitors speaking Streamlit's websocket protocol.

    python benchmarks/class_pages.py                              # Theory: 1 and 30 visitors, saturation
    python benchmarks/class_pages.py --baseline /tmp/load-base    # the same for a baseline checkout, side by side
    python benchmarks/class_pages.py --scenario training          # Training with a run being watched
    python benchmarks/class_pages.py --profile /tmp/prof          # also sample the server with py-spy

(py-spy is not a dependency: `pip install --target /tmp/pyspy py-spy`, then PY_SPY=/tmp/pyspy/bin/py-spy.
It samples the thread holding the GIL, the server's bottleneck, and the benchmark prints the
functions with most samples; the profiled server runs slower, so take figures without it.)

No browsers: each visitor is a `devtools.visitors.Visitor`, a client of the websocket
protocol whose message classes ship with streamlit, so the figures are the server's alone
(the client shares the machine's cores, as the server's own visitors' browsers would not).

Theory: each visitor opens /Theory (the visitors arrive spread over --ramp seconds), then
drags a slider: every --period seconds (±20 %) it moves one slider by one to three steps
(a seeded random walk) and sends the rerun request the frontend sends for it (a fragment
rerun, with the slider's fragment id). The visitors take turns among --sliders (by default
p_g's mean, p_g's spread and the student's discriminator slope, so the mix asks for new
distributions and for new discriminators). A visitor whose previous move has not come
back yet waits for it before moving again, as the slider lags for a person; an overloaded
server therefore sees fewer moves, and the reruns per second show it.
Measured: per rerun, the seconds from sending the request to the script_finished message
(median, p90, max); the first render (connect to the first finished run) of --probes
newcomers who open the page one by one while the class works; reruns per second; the
server's CPU milliseconds per rerun (and the client's, which shares the machine). For 1
visitor, for N, and at saturation (N visitors moving again as soon as each move came back:
the reruns per second the server can do).

Training: N visitors open /Training with one long ring2d run's settings in the address
and press Train (the first launches the run, the others attach to it); the live view then
asks for a fragment rerun every second (`st.fragment(run_every=1)`), which each visitor
sends as the frontend does, while every third visitor also drags the k slider (a full
rerun) twice a second. The run is cancelled at the end. A full rerun that Streamlit merges
into the live view's timed rerun never reports back; such requests are counted as dropped.

Each measurement starts a fresh server (`streamlit run streamlit_app.py`, as the README
says) on 127.0.0.1, warms it with one visit, measures and stops it; with --baseline the
baseline checkout's server is measured in turn (alternating which goes first), so both
see the same machine load, which is printed beside each figure (1-minute load average at
the start and the end). Everything is bounded in time and count; servers and runs are
cleaned up on exit.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from devtools.browser import start_server, stop_server  # noqa: E402
from devtools.runs import worker_pids  # noqa: E402
from devtools.visitors import Visitor  # noqa: E402

THEORY_SLIDERS = ("theory_g_mu", "theory_g_sigma", "theory_disc_a")
TRAINING_QUERY = "train_preset=ring2d&train_iterations=1000000&train_seed=7"
# The run must outlast the measurement at any k the visitors drag to: lift the hosted size cap.
TRAINING_ENV = {"GAN_EXPLORER_MAX_RUN_EXAMPLES": str(10**12)}


@dataclass
class Figures:
    """What one measurement found."""

    latencies: list[float] = field(default_factory=list)        # seconds per rerun (in the window)
    polls: list[float] = field(default_factory=list)            # seconds per timed fragment rerun (Training)
    first_renders: list[float] = field(default_factory=list)    # seconds per newcomer
    window: float = 0.0                                         # seconds measured
    server_cpu: float = 0.0                                     # server CPU seconds in the window
    client_cpu: float = 0.0                                     # this process's CPU seconds in the window
    dropped: int = 0                                            # reruns that never came back (see drag, poll)
    load: tuple[float, float] = (0.0, 0.0)                      # 1-minute load average at start and end
    errors: Counter = field(default_factory=Counter)

    @property
    def reruns(self) -> int:
        """Script runs measured in the window: moves, timed reruns and newcomers' page loads."""
        return len(self.latencies) + len(self.polls) + len(self.first_renders)


def pct(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of `values`, nearest rank; NaN for none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its threads (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# ---- the visitors' behaviour -----------------------------------------------------------------------

@dataclass
class Window:
    """The measured interval: it opens once every visitor is in, and closes `seconds` later."""

    start: float = math.inf
    stop: float = math.inf
    opened: asyncio.Event = field(default_factory=asyncio.Event)

    def open(self, seconds: float) -> None:
        self.start = time.perf_counter()
        self.stop = self.start + seconds
        self.opened.set()

    def over(self) -> bool:
        return time.perf_counter() >= self.stop


async def drag(visitor: Visitor, key: str, rng: random.Random, window: Window, period: float, figures: Figures,
               fragment: bool = True, lost_after: float = 10.0) -> None:
    """Move slider `key` every `period` s (±20 %) until the window closes; keep the latencies of
    the moves sent inside it.

    A move that has not come back after `lost_after` s is counted as dropped (on the Training
    page a full rerun can be merged into the live view's timed fragment rerun and never
    report), and the visitor moves on.
    """
    widget = visitor.slider(key)
    while not window.over():
        sent = time.perf_counter()
        value = widget.value[0] + widget.step * rng.choice((-3, -2, -1, 1, 2, 3))
        if not widget.low <= value <= widget.high:
            value = widget.value[0] - (value - widget.value[0])
        try:
            latency = await visitor.rerun({key: round(value, 6)},
                                          fragment_id=widget.fragment_id if fragment else "", timeout=lost_after)
        except asyncio.TimeoutError:
            figures.dropped += sent >= window.start
            continue
        except OSError as exc:
            figures.errors[type(exc).__name__] += 1
            return
        if sent >= window.start:
            figures.latencies.append(latency)
        widget = visitor.slider(key)
        pause = period * rng.uniform(0.8, 1.2) - (time.perf_counter() - sent)
        if pause > 0:
            await asyncio.sleep(pause)


async def poll(visitor: Visitor, window: Window, figures: Figures, lost_after: float = 5.0) -> None:
    """Send the timed fragment reruns the server asked for (`st.fragment(run_every=...)`), as the
    frontend's timer does: one every interval, whether or not the last has come back (a pending
    one is not doubled: the server would merge them). A request still pending after `lost_after`
    s is counted as dropped: the server discards a fragment rerun whose fragment a full rerun
    has just replaced, and the next tick asks again."""
    pending: asyncio.Task | None = None
    while not window.over():
        if not visitor.timers:
            await asyncio.sleep(0.1)
            continue
        fragment, interval = next(iter(visitor.timers.items()))
        await asyncio.sleep(interval)
        if pending is not None and not pending.done():
            if time.perf_counter() - pending.sent < lost_after:
                continue
            pending.cancel()
            figures.dropped += pending.sent >= window.start
        sent = time.perf_counter()
        pending = asyncio.create_task(_timed_poll(visitor, fragment, sent >= window.start, figures, lost_after))
        pending.sent = sent
    if pending is not None:
        try:
            await asyncio.wait_for(pending, lost_after)
        except (asyncio.TimeoutError, asyncio.CancelledError):
            figures.dropped += 1


async def _timed_poll(visitor: Visitor, fragment: str, counted: bool, figures: Figures, lost_after: float) -> None:
    try:
        latency = await visitor.rerun(fragment_id=fragment, auto=True, timeout=10 * lost_after)
    except OSError as exc:
        figures.errors[type(exc).__name__] += 1
        return
    if counted:
        figures.polls.append(latency)


async def newcomers(port: int, page: str, query: str, window: Window, count: int, figures: Figures) -> None:
    """`count` more visitors open the page one by one, spread over the window, while the class
    works: the first render a student arriving late sees. Each leaves once the page is drawn."""
    await window.opened.wait()
    for index in range(count):
        await asyncio.sleep(max(0.0, window.start + (index + 0.5) * (window.stop - window.start) / count
                                - time.perf_counter()))
        late = Visitor(port, page, query)
        try:
            figures.first_renders.append(await late.open())
            figures.errors.update(late.errors)
        finally:
            await late.close()


async def run_class(port: int, page: str, query: str, visitors: int, seconds: float, ramp: float, server_pid: int,
                    behave, probes: int) -> Figures:
    """`visitors` visitors arrive over `ramp` s, open `page` and each does `behave(index, visitor,
    window, figures)` from then on; the window opens when the last has arrived. Meanwhile
    `probes` newcomers measure the first render."""
    figures = Figures()
    window = Window()
    people = [Visitor(port, page, query) for _ in range(visitors)]
    arrived = []

    async def visit(index: int, person: Visitor) -> None:
        await asyncio.sleep(ramp * index / max(1, visitors - 1) if visitors > 1 else 0.0)
        await person.open()
        arrived.append(index)
        if len(arrived) == visitors:
            window.open(seconds)
        await behave(index, person, window, figures)

    tasks = [asyncio.create_task(visit(i, p)) for i, p in enumerate(people)]
    tasks.append(asyncio.create_task(newcomers(port, page, query, window, probes, figures)))
    await window.opened.wait()
    load_start, cpu_start, client_start = os.getloadavg()[0], cpu_seconds(server_pid), time.process_time()
    try:
        await asyncio.gather(*tasks)
    finally:
        figures.window = time.perf_counter() - window.start
        figures.server_cpu = cpu_seconds(server_pid) - cpu_start
        figures.client_cpu = time.process_time() - client_start
        figures.load = (load_start, os.getloadavg()[0])
        for person in people:
            figures.errors.update(person.errors)
            await person.close()
    return figures


def theory_class(port: int, visitors: int, args: argparse.Namespace, period: float, server_pid: int):
    """Each visitor drags one of `args.sliders` (taking turns) from the moment it has the page."""
    async def behave(index: int, person: Visitor, window: Window, figures: Figures) -> None:
        await drag(person, args.sliders[index % len(args.sliders)], random.Random(args.seed * 1000 + index), window,
                   period, figures)

    return run_class(port, "Theory", "", visitors, args.seconds, args.ramp, server_pid, behave, args.probes)


def training_class(port: int, visitors: int, args: argparse.Namespace, server_pid: int):
    """Each visitor presses Train (the first launches the run, the others attach to it) and
    then watches it; every third also drags k."""
    async def behave(index: int, person: Visitor, window: Window, figures: Figures) -> None:
        await person.rerun(triggers=("train_launch",))
        jobs = [poll(person, window, figures)]
        if index % 3 == 0:
            jobs.append(drag(person, "train_k", random.Random(args.seed * 1000 + index), window, args.period, figures,
                             fragment=False))
        await asyncio.gather(*jobs)

    return run_class(port, "Training", TRAINING_QUERY, visitors, args.seconds, args.ramp, server_pid, behave,
                     args.probes)


# ---- servers -----------------------------------------------------------------------------------------

def measure(root: Path, scenario: str, visitors: int, args: argparse.Namespace, profile: Path | None = None
            ) -> Figures:
    """Start a fresh server for checkout `root`, warm it with one visit, run one scenario, stop it."""
    work = Path(tempfile.mkdtemp(prefix="gan-class-"))
    runs = work / "runs"
    server = start_server(runs, work / "streamlit.log", TRAINING_ENV if scenario == "training" else None, root=root)
    spy = None
    try:
        page = "Training" if scenario == "training" else "Theory"

        async def warm() -> None:
            first = Visitor(server.port, page, TRAINING_QUERY if page == "Training" else "")
            await first.open()
            await first.close()

        asyncio.run(warm())
        if profile is not None:
            spy = subprocess.Popen([args.py_spy, "record", "--pid", str(server.process.pid), "--rate", "200",
                                    "--duration", str(int(args.seconds + args.ramp + 5)), "--format", "raw", "--gil",
                                    "--nonblocking", "-o", str(profile)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        if scenario == "training":
            run = training_class(server.port, visitors, args, server.process.pid)
        else:
            run = theory_class(server.port, visitors, args, 0.0 if scenario == "saturation" else args.period,
                               server.process.pid)
        figures = asyncio.run(asyncio.wait_for(run, args.seconds + args.ramp + 300))
        if figures.errors:
            print(f"server log ({root}):\n" + (work / "streamlit.log").read_text()[-3000:], file=sys.stderr)
        return figures
    finally:
        if spy is not None:
            spy.wait(timeout=120)
        stop_server(server)
        if scenario == "training":
            cancel_runs(runs)
        shutil.rmtree(work, ignore_errors=True)


def cancel_runs(runs: Path) -> None:
    """Cancel every run of `runs` (the benchmark's own directory) and wait for its workers to go."""
    from gan_engine.runs.runner import Runner
    from gan_engine.runs.store import RunStore

    runner = Runner(RunStore(runs))
    for key in runner.store.list_runs()["key"]:
        runner.cancel(key)
    deadline = time.monotonic() + 30
    while worker_pids(runs) and time.monotonic() < deadline:
        time.sleep(0.5)
    for pid in worker_pids(runs):
        os.kill(pid, 9)


# ---- the profile ----------------------------------------------------------------------------------

def summarise_profile(raw: Path, top: int = 25) -> None:
    """Print where the sampled server time went: the functions with the most samples on the
    stack (inclusive) and on top of it (self), from py-spy's collapsed stacks."""
    inclusive: Counter = Counter()
    own: Counter = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        samples = int(count)
        frames = [frame.split(" (")[0] + " (" + frame.split(" (")[-1].split(":")[0].rsplit("/", 1)[-1] + ")"
                  for frame in stack.split(";")[1:]]
        if not frames:
            continue
        total += samples
        own[frames[-1]] += samples
        for frame in set(frames):
            inclusive[frame] += samples
    print(f"\nprofile {raw} ({total} samples of busy threads)")
    print(f"  {'inclusive %':>11}  function")
    for frame, samples in inclusive.most_common(top):
        print(f"  {100 * samples / total:11.1f}  {frame}")
    print(f"  {'self %':>11}  function")
    for frame, samples in own.most_common(top):
        print(f"  {100 * samples / total:11.1f}  {frame}")


# ---- the report -----------------------------------------------------------------------------------

def row(figures: Figures, poll_only: bool = False) -> str:
    values = figures.polls if poll_only else figures.latencies
    per_rerun = 1000 * figures.server_cpu / max(1, figures.reruns)
    client = 1000 * figures.client_cpu / max(1, figures.reruns)
    notes = dict(figures.errors, **({"dropped": figures.dropped} if figures.dropped else {}))
    return (f"{1000 * statistics.median(values) if values else float('nan'):7.0f} {1000 * pct(values, 0.9):6.0f} "
            f"{1000 * max(values, default=float('nan')):6.0f} {statistics.median(figures.first_renders):6.2f} "
            f"{max(figures.first_renders):5.2f} {figures.reruns / figures.window:6.1f} {per_rerun:6.1f} {client:6.1f} "
            f"{figures.load[0]:5.1f}-{figures.load[1]:<4.1f}{' ' + str(notes) if notes else ''}")


HEADER = (f"{'median':>7} {'p90':>6} {'max':>6} {'first':>6} {'max':>5} {'rr/s':>6} {'cpu/rr':>6} {'client':>6} "
          f"{'load':>9}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=30.0, help="measured window per measurement")
    parser.add_argument("--ramp", type=float, default=3.0, help="visitors arrive over this many seconds")
    parser.add_argument("--period", type=float, default=0.5, help="seconds between one visitor's moves")
    parser.add_argument("--sliders", nargs="+", default=list(THEORY_SLIDERS))
    parser.add_argument("--probes", type=int, default=10, help="newcomers timing the first render in the window")
    parser.add_argument("--scenario", choices=("theory", "training", "all"), default="theory")
    parser.add_argument("--baseline", type=Path, help="a checkout of the code before the change")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", type=Path, help="folder for py-spy profiles of this tree's N-visitor runs")
    parser.add_argument("--py-spy", default=os.environ.get("PY_SPY", shutil.which("py-spy") or "py-spy"))
    args = parser.parse_args(argv)
    if not 1 <= args.visitors <= 200 or not 1 <= args.seconds <= 600:
        parser.error("between 1 and 200 visitors, and 1 to 600 seconds")
    trees = [("this tree", REPO)] + ([("baseline", args.baseline.resolve())] if args.baseline else [])
    plan = []
    if args.scenario in ("theory", "all"):
        plan += [("theory", 1), ("theory", args.visitors), ("saturation", args.visitors)]
    if args.scenario in ("training", "all"):
        plan += [("training", args.visitors)]
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    print(f"{os.cpu_count()} CPUs; load average now {os.getloadavg()[0]:.1f}; {args.seconds:.0f} s per measurement; "
          f"sliders {', '.join(args.sliders)}")
    print("latency: rerun request -> script_finished, ms; first: a newcomer's first render, s; rr/s: script runs a second; "
          "cpu/rr: server CPU ms per script run (page loads included); client: the visitors' (this process's) CPU ms "
          "per run; "
          "load: 1-min load average at start-end\n")
    results: dict[tuple[str, int, str], Figures] = {}
    for index, (scenario, visitors) in enumerate(plan):
        for name, root in (trees if index % 2 == 0 else trees[::-1]):
            profile = None
            if args.profile and name == "this tree" and visitors > 1:
                profile = args.profile / f"{scenario}-{visitors}.txt"
            figures = measure(root, scenario, visitors, args, profile)
            results[(scenario, visitors, name)] = figures
            label = f"{scenario} x{visitors} [{name}]"
            print(f"{label:<32} {HEADER}\n{'':<32} {row(figures)}", flush=True)
            if scenario == "training":
                print(f"{'':<32} {row(figures, poll_only=True)}   (timed polls)", flush=True)
            if profile is not None and profile.exists():
                summarise_profile(profile)
    if len(trees) > 1:
        print("\nside by side (median / p90 ms, first render median s, reruns/s)")
        for scenario, visitors in plan:
            cells = []
            for name, _ in trees[::-1]:
                f = results[(scenario, visitors, name)]
                values = f.polls if scenario == "training" else f.latencies
                cells.append(f"{name}: {1000 * statistics.median(values):5.0f} / {1000 * pct(values, 0.9):5.0f}, "
                             f"{statistics.median(f.first_renders):4.2f} s, {f.reruns / f.window:5.1f}/s "
                             f"(load {f.load[0]:.1f})")
            print(f"  {scenario} x{visitors:<3} " + "  |  ".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
