"""How good are the shipped presets? Train each over several seeds and compare with the papers.

    python benchmarks/quality.py                       # all toy presets, 5 seeds each
    python benchmarks/quality.py --presets ring2d --seeds 3
    python benchmarks/quality.py --presets mnist-cgan --seeds 1
    python benchmarks/quality.py --presets ring2d --set iterations=4000   # a variant

Prints, per preset, the mean and the worst over seeds of each metric, the wall time per run
and the device, then the published rows (PacGAN, VEEGAN, GDPP) and the project's goals for the
same targets, side by side. The protocol is the training core's: 2,500 samples for the 2-D
targets (high quality within 3σ of a centre; captured = at least one high-quality sample;
reverse KL over the high-quality samples' mode histogram); JSD from 10,000 samples for 1-D.
For `bimodal1d` the mass the generator puts on each side of 0 is compared with the true
weights; for MNIST presets the shipped classifier scores 1,000 samples per digit.

This is a benchmark, not a test: it takes minutes, and its figures go in the README.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gan_engine.train import anchors  # noqa: E402
from gan_engine import judge  # noqa: E402
from gan_engine.config import RunConfig, preset  # noqa: E402
from gan_engine.theory.distributions import toy_target  # noqa: E402
from gan_engine.train.loop import train  # noqa: E402

TOY_PRESETS = ("gauss1d", "bimodal1d", "ring2d", "grid2d", "seed-notebook-gauss1d")
# Lower is better for these; the "worst" seed is then the highest value.
LOWER_IS_BETTER = {"reverse_kl", "jsd", "mass_error", "frechet"}


def bimodal_mass_error(generator: torch.nn.Module, latent_dim: int, seed: int) -> dict[str, float]:
    """Mass of 10,000 samples on each side of 0 against the target's component weights."""
    target = toy_target("bimodal1d")
    weights = np.asarray(target.weights, dtype=np.float64)
    with torch.no_grad():
        z = torch.randn(10_000, latent_dim, generator=torch.Generator().manual_seed(seed + 1))
        x = generator(z).reshape(-1).numpy()
    mass_left = float(np.mean(x < 0.0))
    error = max(abs(mass_left - weights[0]), abs((1.0 - mass_left) - weights[1])) / float(weights.min())
    return {"mass_left": mass_left, "mass_error": error}


@functools.cache
def classifier() -> torch.nn.Module:
    """The shipped classifier, read once for all seeds."""
    return judge.load_classifier()


def mnist_scores(generator: torch.nn.Module, latent_dim: int) -> dict[str, float]:
    """The shipped classifier's verdict: worst per-digit accuracy and worst diversity ratio."""
    scores = judge.score_generator(generator.cpu(), latent_dim, classifier(), per_class=1000)
    result = {"frechet": scores.frechet, "frechet_floor": scores.frechet_floor}
    if scores.conditional:
        result["min_accuracy"] = float(np.nanmin(scores.accuracy))
        result["min_diversity_ratio"] = float(np.min(scores.diversity / scores.real_diversity))
    return result


def run_preset(name: str, seeds: int, overrides: dict[str, str] | None = None,
               first_seed: int = 0) -> list[dict[str, float | str]]:
    rows = []
    for seed in range(first_seed, first_seed + seeds):
        config = RunConfig.from_dict({**preset(name).to_dict(), **(overrides or {}), "seed": seed}).validate()
        started = time.perf_counter()
        result = train(config)
        seconds = time.perf_counter() - started
        row: dict[str, float | str] = {"seed": seed, "status": result.status, "seconds": seconds,
                                       "device": result.device, **result.metrics}
        if config.target == "bimodal1d":
            row.update(bimodal_mass_error(result.generator.cpu(), config.latent_dim, seed))
        if config.target == "mnist":
            row.update(mnist_scores(result.generator, config.latent_dim))
        rows.append(row)
        print(f"  {name} seed {seed}: {result.status} in {seconds:.1f} s  "
              + "  ".join(f"{k}={v:.4g}" for k, v in row.items() if isinstance(v, float) and k != "seconds"),
              flush=True)
    return rows


def summarise(name: str, rows: list[dict[str, float | str]]) -> None:
    metrics = [k for k, v in rows[0].items() if isinstance(v, float) and k not in ("seed",)]
    print(f"\n{name}: {len(rows)} seed(s), device {rows[0]['device']}, "
          f"statuses {sorted({str(r['status']) for r in rows})}")
    print(f"  {'metric':<22}{'mean':>12}{'worst':>12}")
    for metric in metrics:
        values = [float(r[metric]) for r in rows if isinstance(r.get(metric), float)]
        worst = max(values) if metric in LOWER_IS_BETTER or metric == "seconds" else min(values)
        print(f"  {metric:<22}{statistics.fmean(values):>12.4g}{worst:>12.4g}")
    target = preset(name).target
    reference = anchors.anchors_for(target)
    if reference:
        print(f"  published and goal rows for {target}:")
        for anchor in reference:
            cells = "  ".join(f"{m}={getattr(anchor, m)}" for m in anchors.METRIC_COLUMNS
                              if getattr(anchor, m) is not None)
            print(f"    {anchor.method:<10} {cells}   [{anchor.source}]")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--presets", nargs="+", default=list(TOY_PRESETS))
    parser.add_argument("--seeds", type=int, default=5, help="how many seeds")
    parser.add_argument("--first-seed", type=int, default=0, help="seeds first-seed, first-seed + 1, ...")
    parser.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                        help="override a field of every preset run, e.g. --set iterations=12000 (repeatable)")
    args = parser.parse_args(argv)
    overrides = dict(item.split("=", 1) for item in args.set)
    if overrides:
        print(f"overrides: {overrides}")
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, "
          f"cuda={'yes' if torch.cuda.is_available() else 'no'}")
    for name in args.presets:
        summarise(name, run_preset(name, args.seeds, overrides, args.first_seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
