"""How long the Theory page's engine work takes when a slider moves.

Times, without any caching, everything the page recomputes on a rerun (both distributions,
D*, V, the divergences, the shift sweep, the generator-loss curves, the equilibrium values
and the Figure-1 simulation), step by step and in total, for each preset. The goal is a
total under 50 ms. Two baselines are printed beside it, measured in the same run:

- the figure building (Plotly), which also runs on every rerun but is not engine time;
- a naive implementation of the headline numbers (JSD, both KLs, V(D*,G)) as a Python loop
  over the grid points, the way one might first write the integrals.

Last, the whole page rerun after a slider move is timed through Streamlit's AppTest (script
run plus element serialisation, without a browser), with the page's caches warm.

Run: python benchmarks/theory_latency.py [--repeats N]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gan_engine.theory import divergences as theory  # noqa: E402
from gan_engine.theory import figure1 as theory_figure1  # noqa: E402
from gan_engine.theory import model as theory_model  # noqa: E402
from gan_engine.plots import theory as plots  # noqa: E402
from ui.strings.theory import EN  # noqa: E402

LABELS = {key: EN[f"theory.plot.{key}"] for key in plots.TEXT_KEYS}


def engine_steps(preset: str) -> dict[str, Callable[[], object]]:
    """The page's engine calls for one rerun, in order, as named thunks."""
    state: dict[str, object] = {}

    def build() -> None:
        state["data"] = theory_model.build_distribution(theory_model.preset_spec(preset, "data"))[0]
        state["g"] = theory_model.build_distribution(theory_model.preset_spec(preset, "g"))[0]

    def compare() -> None:
        state["cmp"] = theory_model.compare(state["data"], state["g"])

    def student() -> None:
        cmp = state["cmp"]
        logit, _ = theory.logistic_discriminator(cmp.x, -1.0, 1.0)
        theory.value_function_logit(logit, cmp.p_data.values, cmp.p_g.values, cmp.x)
        p_at, q_at, _ = cmp.at(0.5)
        theory.pointwise_value(np.linspace(0.001, 0.999, 999), p_at, q_at)

    def sweep() -> None:
        cmp = state["cmp"]
        state["sweep"] = theory_model.divergence_vs_shift(cmp.p_data.distribution, cmp.p_g.distribution)

    def fixed() -> None:
        state["losses"] = theory.generator_loss_curves(np.linspace(0.001, 0.999, 500))
        state["fig1"] = theory_figure1.figure1_run()

    def equilibrium() -> None:
        cmp = state["cmp"]
        theory.equilibrium(cmp.p_data.values, cmp.x)

    return {"distributions": build, "compare (D*, V, JSD, KL, W1)": compare, "student D and integrand": student,
            "shift sweep": sweep, "loss curves + Figure 1": fixed, "equilibrium": equilibrium}, state


def figure_steps(state: dict[str, object]) -> Callable[[], None]:
    def build_figures() -> None:
        cmp = state["cmp"]
        x, p, q = cmp.x, cmp.p_data.values, cmp.p_g.values
        _, d_student = theory.logistic_discriminator(x, -1.0, 1.0)
        plots.densities_figure(x, p, q, cmp.d_star, LABELS)
        plots.discriminators_figure(x, p, q, cmp.d_star, d_student, 0.5, LABELS)
        y = np.linspace(0.001, 0.999, 999)
        plots.pointwise_figure(y, theory.pointwise_value(y, 0.3, 0.1), 0.75, 0.6, LABELS)
        plots.shift_sweep_figure(state["sweep"], LABELS)
        plots.generator_loss_figure(state["losses"], theory.MINIMAX_FLAT_BELOW, LABELS)
        plots.figure1_panels(state["fig1"], LABELS)
        plots.figure1_frame(state["fig1"], 3, LABELS)
    return build_figures


def naive_headline(preset: str) -> None:
    """JSD, KL both ways and V(D*,G) with a Python loop over the grid (the baseline)."""
    x = theory.default_grid()
    p = theory_model.build_distribution(theory_model.preset_spec(preset, "data"))[0].pdf(x)
    q = theory_model.build_distribution(theory_model.preset_spec(preset, "g"))[0].pdf(x)
    dx = float(x[1] - x[0])
    jsd = kl_pq = kl_qp = value = 0.0
    for pi, qi in zip(p.tolist(), q.tolist()):
        m = 0.5 * (pi + qi)
        if pi > 0.0:
            jsd += 0.5 * pi * math.log(pi / m) * dx
            kl_pq += pi * (math.log(pi / qi) if qi > 0.0 else math.inf) * dx
            value += pi * math.log(pi / (pi + qi)) * dx
        if qi > 0.0:
            jsd += 0.5 * qi * math.log(qi / m) * dx
            kl_qp += qi * (math.log(qi / pi) if pi > 0.0 else math.inf) * dx
            value += qi * math.log(qi / (pi + qi)) * dx


def median_ms(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def page_rerun_ms(repeats: int) -> float:
    """Median time of a full Theory-page rerun after moving p_g's mean, through AppTest."""
    from streamlit.testing.v1 import AppTest

    page = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "pages" / "1_Theory.py"),
                             default_timeout=120)
    page.run()
    means = [1.0, 2.0]      # alternate, so each rerun is a real change served from a warm cache
    page.slider(key="theory_g_mu").set_value(1.0).run()
    times = []
    for index in range(repeats):
        page.slider(key="theory_g_mu").set_value(means[index % 2])
        start = time.perf_counter()
        page.run()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="timed repetitions per step (median reported)")
    args = parser.parse_args()
    print(f"grid: {theory.DEFAULT_GRID_POINTS} points on {theory.DEFAULT_X_RANGE}; median of {args.repeats} runs, ms\n")
    for preset in theory_model.PRESETS:
        steps, state = engine_steps(preset)
        for step in steps.values():       # warm-up, and fills `state` for the figure step
            step()
        per_step = {name: median_ms(step, args.repeats) for name, step in steps.items()}
        total = median_ms(lambda: [step() for step in steps.values()], args.repeats)
        figures = median_ms(figure_steps(state), max(3, args.repeats // 3))
        naive = median_ms(lambda: naive_headline(preset), max(3, args.repeats // 3))
        print(f"preset {preset!r}")
        for name, ms in per_step.items():
            print(f"  {name:<32}{ms:8.2f}")
        verdict = "OK" if total < 50.0 else "OVER"
        print(f"  {'ENGINE TOTAL (goal < 50 ms)':<32}{total:8.2f}  {verdict}")
        print(f"  {'baseline: Plotly figures':<32}{figures:8.2f}")
        print(f"  {'baseline: naive loop, 4 numbers':<32}{naive:8.2f}\n")
    print(f"whole page rerun through AppTest (warm caches): {page_rerun_ms(max(5, args.repeats // 2)):.1f} ms")


if __name__ == "__main__":
    main()
