"""Is the Lab quick and small enough? Engine time per move, session size, updates while playing.

    python benchmarks/lab.py                # engine and memory (~1 min), then the browser (~2 min)
    python benchmarks/lab.py --no-browser   # engine and memory only
    python benchmarks/lab.py --repeats 200  # more samples per figure

Prints, each beside its goal:
- engine milliseconds (median, p90; wall clock and this thread's CPU time, which a busy shared
  machine does not inflate) per D step, G step, round and Play tick, each with
  everything the page redraws after it: the view (`gan_engine.lab.views.compute_view`) and
  the four figures built and serialised as `st.plotly_chart` sends them; for every preset,
  500 drawn points and a composed mixture, one torch thread as the Lab sets it (goal <= 50 ms);
- one session's Lab state in MB after more actions than the history keeps, measured as the
  pickled size of every `lab_*` session-state value of a real page session (AppTest) and as
  the game's own tensor count (goal <= 20 MB);
- with a real browser (headless Chromium against `streamlit run`): updates per second shown
  while playing ring2d, alone and while a ring2d training run (`python -m gan_engine train`)
  runs beside it (goal >= 5/s). Chromium and the server share this machine's cores, which a
  visitor's own browser does not: the browser figures are pessimistic for a hosted demo.
"""

from __future__ import annotations

import argparse
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
import plotly.io  # noqa: E402
import plotly.tools  # noqa: E402

from gan_engine.lab import data as lab_data  # noqa: E402
from gan_engine.lab.game import HISTORY, LabGame, settings_for  # noqa: E402
from gan_engine.lab.views import ViewInputs, compute_view  # noqa: E402
from gan_engine.plots import lab as plots  # noqa: E402

STEP_GOAL_MS = 50.0
STATE_GOAL_MB = 20.0
UPDATES_GOAL = 5.0
PLAY_TICK_ROUNDS = 3          # the page's default: 20 rounds a second in ticks of 0.15 s
MB = 1024 * 1024


def targets() -> dict[str, lab_data.LabTarget]:
    rng = np.random.default_rng(0)
    return {**{name: lab_data.preset_target(name) for name in ("gauss1d", "bimodal1d", "ring2d", "grid2d")},
            "drawn-500": lab_data.drawn_target(rng.uniform(-1.8, 1.8, (lab_data.MAX_POINTS, 2))),
            "mixture-4": lab_data.mixture_target([lab_data.Component(m, 0.4, 1.0) for m in (-3, -1, 1, 3)])}


def redraw(game: LabGame, inputs: ViewInputs) -> int:
    """What the page does after a move: the view, then every figure built and serialised. Returns bytes sent."""
    view = compute_view(game, inputs)
    figures = [plots.overview_figure(view.numbers, game.last.get("action", "start")),
               plots.curves_figure(game.curves(), game.view_curves(), view.dim, game.settings.loss)]
    if view.dim == 1:
        figures.append(plots.layers_1d_figure(view.arrays, game.target.bounds[0]))
    else:
        figures += [plots.layers_2d_figure(view.arrays, game.target.bounds),
                    plots.manifold_2d_figure(view.arrays, game.target.bounds)]
    sent = 0
    for figure in figures:     # as st.plotly_chart does it
        sent += len(plotly.io.to_json(plotly.tools.return_figure_from_figure_or_data(figure, True), validate=False))
    return sent


def timed(move: Callable[[], None], game: LabGame, inputs: ViewInputs,
          repeats: int) -> tuple[list[float], list[float], int]:
    """Wall and CPU milliseconds of `move` + the redraw, `repeats` times (after a warm-up), and the
    bytes of one redraw. With one torch thread the CPU time is the work itself; the wall time
    also holds what other processes on a shared machine took from it."""
    for _ in range(5):
        move()
        redraw(game, inputs)
    wall, cpu, sent = [], [], 0
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.thread_time()
        move()
        sent = redraw(game, inputs)
        wall.append(1000 * (time.perf_counter() - started))
        cpu.append(1000 * (time.thread_time() - started_cpu))
    return wall, cpu, sent


def p90(samples: list[float]) -> float:
    return float(np.percentile(samples, 90))


def engine(repeats: int) -> bool:
    print(f"\nEngine time per move with the page's redraw (view + figures), ms, wall and CPU; "
          f"goal <= {STEP_GOAL_MS:.0f} ms per D or G step")
    print(f"{'data':<11}{'move':<15}{'wall med':>9}{'p90':>7}{'cpu med':>9}{'p90':>7}{'sent kB':>9}   goal")
    ok = True
    for name, target in targets().items():
        game = LabGame(target, settings_for(target.preset))
        inputs = ViewInputs(game)
        moves = {"D step": game.step_d, "G step": game.step_g, "round": game.round,
                 f"tick ({PLAY_TICK_ROUNDS} rnds)": lambda: game.play(PLAY_TICK_ROUNDS)}
        for move_name, move in moves.items():
            wall, cpu, sent = timed(move, game, inputs, repeats)
            if move_name in ("D step", "G step"):
                verdict = "ok" if p90(wall) <= STEP_GOAL_MS else "ok (cpu)" if p90(cpu) <= STEP_GOAL_MS else "OVER"
                ok &= verdict != "OVER"
                goal = f"<= 50 {verdict}"
            else:
                goal = "(k=1: 2 steps)" if move_name == "round" else f"({PLAY_TICK_ROUNDS} rounds)"
            print(f"{name:<11}{move_name:<15}{statistics.median(wall):9.1f}{p90(wall):7.1f}"
                  f"{statistics.median(cpu):9.1f}{p90(cpu):7.1f}{sent / 1000:9.0f}   {goal}")
    return ok


def session_size() -> bool:
    """A real page session (AppTest) after more actions than the history keeps, pickled."""
    from streamlit.testing.v1 import AppTest

    print(f"\nOne session's Lab state after {HISTORY + 5} actions; goal <= {STATE_GOAL_MB:.0f} MB")
    ok = True
    for preset in ("bimodal1d", "ring2d", "grid2d"):
        at = AppTest.from_file(str(REPO / "pages" / "4_Lab.py"), default_timeout=120).run()
        at.selectbox(key="lab_preset").set_value(preset).run()
        for _ in range(HISTORY + 5):
            at.button(key="lab_round").click().run()
        state = {key: at.session_state[key] for key in at.session_state if str(key).startswith("lab_")}
        pickled = len(pickle.dumps(state)) / MB
        tensors = at.session_state["lab_game"].game.memory_bytes() / MB
        verdict = "ok" if max(pickled, tensors) <= STATE_GOAL_MB else "OVER"
        ok &= verdict == "ok"
        print(f"  {preset:<10} pickled session state {pickled:5.1f} MB   game tensors {tensors:5.1f} MB   "
              f"<= {STATE_GOAL_MB:.0f} {verdict}")
    return ok


# ---- the browser ------------------------------------------------------------------------------------

# Counts changes of the shown step counter without polling: a MutationObserver reads the
# metric's text (textContent, which needs no layout) only when the page's DOM changes.
COUNT_UPDATES = """(seconds) => new Promise(resolve => {
    const read = () => {
        for (const metric of document.querySelectorAll("[data-testid='stMetric']")) {
            if (metric.querySelector("[data-testid='stMetricLabel']")?.textContent.trim() === "Step") {
                return metric.querySelector("[data-testid='stMetricValue']")?.textContent;
            }
        }
        return null;
    };
    let last = read(), changes = 0;
    const observer = new MutationObserver(() => {
        const now = read();
        if (now !== null && now !== last) { changes += 1; last = now; }
    });
    observer.observe(document.body, {subtree: true, childList: true, characterData: true});
    setTimeout(() => { observer.disconnect(); resolve(changes); }, seconds * 1000);
})"""


def _process_table() -> dict[int, tuple[int, float]]:
    """pid -> (parent pid, CPU seconds used so far), from /proc (Linux)."""
    table, tick = {}, os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            table[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    return table


def _tree_cpu(table: dict[int, tuple[int, float]], root: int, leave_out: set[int] = frozenset()) -> float:
    """CPU seconds of `root` and its descendants, without the subtrees rooted at `leave_out`."""
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        if pid in leave_out:
            continue
        total += table.get(pid, (0, 0.0))[1]
        todo += children.get(pid, [])
    return total


def updates_per_second(page, url: str, seconds: float, server_pid: int,
                       leave_out: set[int]) -> tuple[float, float, float]:
    """Open the Lab (ring2d), press Play and count the updates of the shown step counter.

    Returns (updates per second, browser CPU ms per update, server CPU ms per update). The
    browser is every process this script started except the server and `leave_out`.
    """
    from devtools.browser import wait_for_app

    page.goto(f"{url}/Lab")
    wait_for_app(page, timeout_ms=120_000)
    page.wait_for_selector(".st-key-lab_play button", timeout=120_000)
    page.locator(".st-key-lab_play button").click()
    page.wait_for_selector(".st-key-lab_pause button", timeout=120_000)
    page.wait_for_timeout(2000)                   # past the first ticks
    before = _process_table()
    changes = page.evaluate(COUNT_UPDATES, seconds)
    after = _process_table()
    page.locator(".st-key-lab_pause button").click()
    page.wait_for_selector(".st-key-lab_play button", timeout=120_000)
    me = os.getpid()
    browser_cpu = (_tree_cpu(after, me, {server_pid, *leave_out}) - _tree_cpu(before, me, {server_pid, *leave_out}))
    server_cpu = _tree_cpu(after, server_pid) - _tree_cpu(before, server_pid)
    per_update = 1000 / max(changes, 1)
    return changes / seconds, browser_cpu * per_update, server_cpu * per_update


def browser(seconds: float) -> bool:
    from playwright.sync_api import sync_playwright

    from devtools.browser import launch_chromium, start_server, stop_server

    print(f"\nUpdates per second shown while playing ring2d (Chromium + server on this machine); "
          f"goal >= {UPDATES_GOAL:.0f}/s")
    print("  the CPU each update costs, and the rate that allows on one free core, do not depend on what "
          "else runs here")
    ok = True
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(Path(tmp) / "runs", Path(tmp) / "streamlit.log")
        try:
            with sync_playwright() as playwright:
                chromium = launch_chromium(playwright)
                page = chromium.new_context(viewport={"width": 1400, "height": 1000}).new_page()
                rows.append(("alone", *updates_per_second(page, server.url, seconds, server.process.pid, set())))
                command = [sys.executable, "-m", "gan_engine", "train", "--preset", "ring2d",
                           "--runs", str(Path(tmp) / "beside")]
                training = subprocess.Popen(
                    command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    env={**os.environ, "GAN_EXPLORER_LOCAL": "1"}, start_new_session=True)
                try:
                    time.sleep(5)                 # the run is past its start-up and training
                    measured = updates_per_second(page, server.url, seconds, server.process.pid, {training.pid})
                    still = training.poll() is None
                finally:
                    training.kill()
                    training.wait()
                rows.append(("beside a ring2d training run" + ("" if still else " (it ended early)"), *measured))
                chromium.close()
        finally:
            stop_server(server)
    load = os.getloadavg()[0]
    for name, rate, browser_ms, server_ms in rows:
        verdict = "ok" if rate >= UPDATES_GOAL else "UNDER"
        ok &= verdict == "ok"
        allowed = 1000 / max(browser_ms + server_ms, 1e-9)
        print(f"  {name:<34}{rate:5.1f} updates/s  >= {UPDATES_GOAL:.0f} {verdict:<6}  CPU per update: browser "
              f"{browser_ms:4.0f} ms + server {server_ms:3.0f} ms = {allowed:4.1f}/s on one free core")
    print(f"  (load average now {load:.1f} on {os.cpu_count()} CPUs)")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=60, help="timed moves per data set and move (default 60)")
    parser.add_argument("--seconds", type=float, default=15.0, help="seconds of Play counted in the browser")
    parser.add_argument("--no-browser", action="store_true", help="skip the browser measurement")
    args = parser.parse_args(argv)
    print(f"GAN Explorer Lab benchmark · {os.cpu_count()} CPUs reported · load {os.getloadavg()[0]:.1f}")
    ok = engine(args.repeats)
    ok &= session_size()
    if not args.no_browser:
        ok &= browser(args.seconds)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
