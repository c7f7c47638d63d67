"""Is the Lab quick and small enough? Engine time per move, session size, updates while playing.

    python benchmarks/lab.py                # engine and memory (~1 min), then the browser (~2 min)
    python benchmarks/lab.py --no-browser   # engine and memory only
    python benchmarks/lab.py --repeats 200  # more samples per figure

Prints, each beside its goal:
- engine milliseconds (median, p90) per D step, G step, round and Play tick, each with
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
PLAY_TICK_ROUNDS = 4          # the page's default: 20 rounds a second in ticks of 0.2 s
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


def timed(move: Callable[[], None], game: LabGame, inputs: ViewInputs, repeats: int) -> tuple[list[float], int]:
    """Milliseconds of `move` + the redraw, `repeats` times (after a warm-up), and the bytes of one redraw."""
    for _ in range(5):
        move()
        redraw(game, inputs)
    samples, sent = [], 0
    for _ in range(repeats):
        started = time.perf_counter()
        move()
        sent = redraw(game, inputs)
        samples.append(1000 * (time.perf_counter() - started))
    return samples, sent


def p90(samples: list[float]) -> float:
    return float(np.percentile(samples, 90))


def engine(repeats: int) -> bool:
    print(f"\nEngine time per move with the page's redraw (view + figures), ms; goal <= {STEP_GOAL_MS:.0f} ms")
    print(f"{'data':<11}{'move':<16}{'median':>8}{'p90':>8}{'sent kB':>9}   goal")
    ok = True
    for name, target in targets().items():
        game = LabGame(target, settings_for(target.preset))
        inputs = ViewInputs(game)
        moves = {"D step": game.step_d, "G step": game.step_g, "round": game.round,
                 f"tick ({PLAY_TICK_ROUNDS} rnds)": lambda: game.play(PLAY_TICK_ROUNDS)}
        for move_name, move in moves.items():
            samples, sent = timed(move, game, inputs, repeats)
            goal = STEP_GOAL_MS if move_name in ("D step", "G step") else None
            verdict = "" if goal is None else ("ok" if p90(samples) <= goal else "OVER")
            ok &= verdict != "OVER"
            print(f"{name:<11}{move_name:<16}{statistics.median(samples):8.1f}{p90(samples):8.1f}{sent / 1000:9.0f}"
                  f"   {'<= 50 ' + verdict if goal else '(k=1: 2 steps)' if move_name == 'round' else '(4 rounds)'}")
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

COUNT_UPDATES = """(seconds) => new Promise(resolve => {
    const read = () => [...document.querySelectorAll("[data-testid='stMetric']")]
        .find(e => e.querySelector("[data-testid='stMetricLabel']")?.innerText.trim() === "Step")
        ?.querySelector("[data-testid='stMetricValue']").innerText;
    let last = read(), changes = 0;
    const start = performance.now();
    const poll = () => {
        const now = read();
        if (now !== last) { changes += 1; last = now; }
        if (performance.now() - start < seconds * 1000) requestAnimationFrame(poll); else resolve(changes);
    };
    requestAnimationFrame(poll);
})"""


def updates_per_second(page, url: str, seconds: float) -> float:
    """Open the Lab (ring2d), press Play and count the updates of the shown step counter."""
    from tests.browser.conftest import wait_for_app

    page.goto(f"{url}/Lab")
    wait_for_app(page, timeout_ms=120_000)
    page.wait_for_selector(".st-key-lab_fig_layers .main-svg", timeout=120_000)
    page.locator(".st-key-lab_play button").click()
    page.wait_for_selector(".st-key-lab_pause button", timeout=120_000)
    page.wait_for_timeout(2000)                   # past the first ticks
    changes = page.evaluate(COUNT_UPDATES, seconds)
    page.locator(".st-key-lab_pause button").click()
    page.wait_for_selector(".st-key-lab_play button", timeout=120_000)
    return changes / seconds


def browser(seconds: float) -> bool:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS, chromium_path, start_server, stop_server

    print(f"\nUpdates per second shown while playing ring2d (Chromium + server on this machine); "
          f"goal >= {UPDATES_GOAL:.0f}/s")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(Path(tmp) / "runs", Path(tmp) / "streamlit.log")
        try:
            with sync_playwright() as playwright:
                chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
                page = chromium.new_context(viewport={"width": 1400, "height": 1000}).new_page()
                alone = updates_per_second(page, server.url, seconds)
                training = subprocess.Popen(
                    [sys.executable, "-m", "gan_engine", "train", "--preset", "ring2d", "--runs", str(Path(tmp) / "beside")],
                    cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    env={**os.environ, "GAN_EXPLORER_LOCAL": "1"})
                try:
                    time.sleep(5)                 # the run is past its start-up and training
                    beside = updates_per_second(page, server.url, seconds)
                    still_training = training.poll() is None
                finally:
                    training.kill()
                    training.wait()
                chromium.close()
        finally:
            stop_server(server)
    for name, rate in (("alone", alone), ("beside a ring2d training run" + ("" if still_training else
                                                                             " (it ended early)"), beside)):
        verdict = "ok" if rate >= UPDATES_GOAL else "UNDER"
        ok &= verdict == "ok"
        print(f"  {name:<40}{rate:5.1f} updates/s   >= {UPDATES_GOAL:.0f} {verdict}")
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
