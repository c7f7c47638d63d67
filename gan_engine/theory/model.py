"""The Theory page's model: the distributions a student picks and everything compared between them.

A distribution is chosen as a family from FAMILIES plus that family's parameters (slider
ranges in PARAM_RANGES, starting points in PRESETS); `build_distribution` turns such a
parameter set into a `Distribution1D`. `compare` evaluates a (p_data, p_g) pair on the
page's grid and computes D*, V(D*, G), the divergences and the identity V(D*, G) =
−log 4 + 2·JSD with the primitives of `gan_engine.theory.divergences`; `divergence_vs_shift` is the
sweep behind "why gradients vanish".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gan_engine.theory.distributions import Distribution1D, Gamma, Laplace, Mixture, Normal, Uniform
from gan_engine.errors import ConfigError
from gan_engine.theory.divergences import (LOG4, MIN_POINTS_PER_SCALE, VANISH_REL_TOL, GridDensity, cdf_rows, default_grid,
                               density_on_grid, jsd, jsd_rows, kl_from_log, optimal_discriminator, trapezoid_weights,
                               unit_mass, validated_grid, value_function, wasserstein1)


# ---- families and presets ---------------------------------------------------------------------

# Parameters of each family a student can pick, in slider order; a mixture has up to three
# normal components (i = 1, 2, 3), of which the first `components` are used.
FAMILIES: dict[str, tuple[str, ...]] = {
    "normal": ("mu", "sigma"),
    "mixture": ("components", "mu1", "sigma1", "w1", "mu2", "sigma2", "w2", "mu3", "sigma3", "w3"),
    "uniform": ("low", "high"),
    "laplace": ("mu", "b"),
    "gamma": ("shape", "theta", "loc"),
}

# (min, max, step, default) of every parameter, chosen so that every setting keeps all but
# ~1e-4 of its mass inside the page's grid (`theory.DEFAULT_X_RANGE`) and is at least 4 grid
# steps wide (a uniform whose two ends meet is the exception: `density_on_grid` widens it,
# with a note).
PARAM_RANGES: dict[str, tuple[float, float, float, float]] = {
    "mu": (-5.0, 5.0, 0.1, 0.0), "sigma": (0.05, 2.5, 0.05, 1.0),
    "components": (2, 3, 1, 2),
    "mu1": (-5.0, 5.0, 0.1, -2.0), "sigma1": (0.05, 2.5, 0.05, 0.5), "w1": (0.0, 1.0, 0.05, 0.5),
    "mu2": (-5.0, 5.0, 0.1, 2.0), "sigma2": (0.05, 2.5, 0.05, 0.5), "w2": (0.0, 1.0, 0.05, 0.5),
    "mu3": (-5.0, 5.0, 0.1, 0.0), "sigma3": (0.05, 2.5, 0.05, 0.5), "w3": (0.0, 1.0, 0.05, 0.0),
    "low": (-8.0, 8.0, 0.1, -1.0), "high": (-8.0, 8.0, 0.1, 1.0),
    "b": (0.05, 1.5, 0.05, 1.0),
    "shape": (1.0, 5.0, 0.25, 2.0), "theta": (0.1, 1.0, 0.05, 0.5), "loc": (-6.0, 2.0, 0.1, -1.0),
}

# Presets: (p_data, p_g) as family + parameters; unnamed parameters take their defaults.
PRESETS: dict[str, tuple[dict[str, float | str], dict[str, float | str]]] = {
    "equal": ({"family": "normal", "mu": 0.0, "sigma": 1.0}, {"family": "normal", "mu": 0.0, "sigma": 1.0}),
    "shifted": ({"family": "normal", "mu": 0.0, "sigma": 1.0}, {"family": "normal", "mu": 2.0, "sigma": 1.0}),
    "disjoint": ({"family": "uniform", "low": -3.0, "high": -1.0}, {"family": "uniform", "low": 1.0, "high": 3.0}),
    "one_mode": ({"family": "mixture", "components": 2, "mu1": -2.0, "sigma1": 0.5, "w1": 0.5,
                  "mu2": 2.0, "sigma2": 0.5, "w2": 0.5},
                 {"family": "normal", "mu": 2.0, "sigma": 0.5}),
}
DEFAULT_PRESET = "shifted"


def preset_spec(name: str, role: str) -> dict[str, float | str]:
    """The full parameter set (family plus every parameter) of `role` ("data" or "g") in preset `name`."""
    if name not in PRESETS or role not in ("data", "g"):
        raise ConfigError(f"Unknown preset {name!r} or role {role!r}: presets are {', '.join(PRESETS)}.")
    given = PRESETS[name][0 if role == "data" else 1]
    spec: dict[str, float | str] = {param: limits[3] for param, limits in PARAM_RANGES.items()}
    spec.update(given)
    return spec


def build_distribution(spec: dict[str, float | str]) -> tuple[Distribution1D, tuple[str, ...]]:
    """The distribution a page's parameter set describes, and notes on what was adjusted.

    `spec` holds "family" (a key of FAMILIES) and that family's parameters. Notes:
    "equal_weights" when every mixture weight was 0 (equal weights are used instead).
    A uniform with low ≥ high is read with its ends swapped (a zero width is later
    widened by `density_on_grid`).
    """
    family = spec.get("family")
    if family not in FAMILIES:
        raise ConfigError(f"Unknown family {family!r}: choose one of {', '.join(FAMILIES)}.")
    needed = FAMILIES[family]
    if family == "mixture":   # only the components in use need parameters
        count = int(spec.get("components", 0))
        needed = tuple(name for name in needed if name == "components" or int(name[-1]) <= count)
    missing = [name for name in needed if name not in spec]
    if missing:
        raise ConfigError(f"The {family} family needs the parameter(s) {', '.join(missing)}.")
    value = {name: float(spec[name]) for name in needed}
    if family == "normal":
        return Normal(value["mu"], value["sigma"]), ()
    if family == "uniform":
        low, high = sorted((value["low"], value["high"]))
        return Uniform(low, max(high, low + 1e-9)), ()
    if family == "laplace":
        return Laplace(value["mu"], value["b"]), ()
    if family == "gamma":
        return Gamma(value["shape"], value["theta"], value["loc"]), ()
    count = int(value["components"])
    if count not in (2, 3):
        raise ConfigError(f"A mixture here has 2 or 3 components; got {count}.")
    parts = [Normal(value[f"mu{i}"], value[f"sigma{i}"]) for i in range(1, count + 1)]
    weights = [value[f"w{i}"] for i in range(1, count + 1)]
    if sum(weights) <= 0.0:
        return Mixture(parts), ("equal_weights",)
    return Mixture(parts, weights), ()


@dataclass(frozen=True)
class Comparison:
    """Everything the page shows about one (p_data, p_g) pair on the grid x (N,).

    Divergences in nats (KL may be math.inf); `value_optimal` is V(D*, G) from the value
    function and `value_identity` is −log 4 + 2·JSD from the JSD, computed independently.
    """

    x: np.ndarray
    p_data: GridDensity
    p_g: GridDensity
    d_star: np.ndarray
    jsd: float
    kl_data_g: float
    kl_g_data: float
    w1: float
    value_optimal: float
    value_identity: float

    def at(self, point: float) -> tuple[float, float, float]:
        """p_data(point), p_g(point) (per x unit, interpolated) and D*(point) (NaN where both vanish)."""
        p = float(np.interp(point, self.x, self.p_data.values))
        q = float(np.interp(point, self.x, self.p_g.values))
        peak = float(np.max(self.p_data.values + self.p_g.values))
        return p, q, (p / (p + q) if p + q > VANISH_REL_TOL * peak else math.nan)


def compare(p_data: Distribution1D, p_g: Distribution1D, x: np.ndarray | None = None) -> Comparison:
    """Evaluate both distributions on the grid x (default: `default_grid()`) and every quantity between them."""
    x = default_grid() if x is None else validated_grid(x)
    data, gen = density_on_grid(p_data, x), density_on_grid(p_g, x)
    p, q = data.values, gen.values
    d_star = optimal_discriminator(p, q)
    divergence = jsd(p, q, x)
    return Comparison(
        x=x, p_data=data, p_g=gen, d_star=d_star, jsd=divergence,
        kl_data_g=kl_from_log(data.log_values, gen.log_values, x),
        kl_g_data=kl_from_log(gen.log_values, data.log_values, x), w1=wasserstein1(p, q, x),
        value_optimal=value_function(d_star, p, q, x), value_identity=-LOG4 + 2.0 * divergence,
    )


# ---- why gradients vanish: divergences as p_g slides away -------------------------------------

@dataclass(frozen=True)
class ShiftSweep:
    """JSD and W1 between p_data and a translated copy of p_g, per translation.

    shift (S,): mean(p_g) − mean(p_data) in x units; jsd (S,) in nats; w1 (S,) in x units.
    """

    shift: np.ndarray
    jsd: np.ndarray
    w1: np.ndarray


def divergence_vs_shift(p_data: Distribution1D, p_g: Distribution1D, max_shift: float = 10.0,
                        steps: int = 41, max_points: int = 6001) -> ShiftSweep:
    """Slide p_g so its mean runs from p_data's mean to `max_shift` beyond it, in `steps` steps.

    On a uniform grid a translation by whole grid steps is an index shift, so p_g is
    evaluated once on an extended grid and each translated copy is a view into it; the
    shifts are rounded to whole steps (the returned `shift` holds the exact values used).
    """
    if not (math.isfinite(max_shift) and max_shift > 0.0) or not 2 <= steps <= 1000:
        raise ConfigError("The sweep needs max_shift > 0 and between 2 and 1000 steps.")
    spread = 8.0 * max(p_data.std, p_g.std)
    low, high = p_data.mean - spread, p_data.mean + max_shift + spread
    dx = max(min(p_data.scale, p_g.scale) / MIN_POINTS_PER_SCALE, (high - low) / (max_points - 1))
    x = low + dx * np.arange(int(math.ceil((high - low) / dx)) + 1)               # (N,)
    offsets = np.rint(np.linspace(0.0, max_shift, steps) / dx).astype(int)        # (S,) grid steps
    most = int(offsets[-1])
    # q at shift k·dx on x[i] is the centred copy at x[i] − k·dx = x_ext[i − k + most].
    x_ext = low + dx * np.arange(-most, x.size)                                    # (N + most,)
    centred = p_g.shifted(p_data.mean - p_g.mean).pdf(x_ext)
    q = np.lib.stride_tricks.sliding_window_view(centred, x.size)[most - offsets]  # (S, N)
    weights = trapezoid_weights(x)
    p = unit_mass("p_data", p_data.pdf(x), weights)                               # (N,)
    q = unit_mass("p_g", q, weights)
    w1 = np.abs(cdf_rows(q, x) - cdf_rows(p, x)) @ weights
    return ShiftSweep(offsets * dx, jsd_rows(p[None, :], q, weights), w1)
