"""The mathematics of Goodfellow et al. (2014) on a fine 1-D grid, in pure NumPy.

Densities are arrays sampled on an increasing grid `x` of shape (N,); integrals use the
trapezoidal rule (exponentially accurate for smooth densities that vanish at the ends).
Natural logarithms throughout, so divergences are in nats (divide by ln 2 for bits).

Every integral normalises its densities to unit mass on the grid first: a density cut
off by the grid's ends, or evaluated on a coarse grid, is then still a probability
distribution, and the paper's identities hold exactly on the grid instead of up to the
truncation error. Degenerate inputs have defined answers rather than NaN or warnings:
0·log 0 = 0, JSD = ln 2 for disjoint supports, KL = ∞ where the second density vanishes
under the first, and D* is NaN (undefined, drawn as a gap) only where both densities do.

The Theory page's model is built on these primitives in two modules beside this one:
`gan_engine.theory.model` (the families a student picks from, their presets, `compare` and
the sweep behind "why gradients vanish") and `gan_engine.theory.figure1` (the Figure-1
simulation).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gan_engine.theory.distributions import Distribution1D
from gan_engine.errors import ConfigError

LOG2 = math.log(2.0)
LOG4 = math.log(4.0)

# The page's grid: wide enough to hold all but ~1e-4 of every slider setting's mass (see
# `theory_model.PARAM_RANGES`), fine enough (dx = 0.008) for the narrowest allowed scale,
# 0.05, to span 6 steps.
DEFAULT_X_RANGE = (-20.0, 20.0)
DEFAULT_GRID_POINTS = 5001
# A density narrower than this many grid steps is widened (see `density_on_grid`).
MIN_POINTS_PER_SCALE = 4.0
# D* is undefined where p_data + p_g falls below this fraction of its peak.
VANISH_REL_TOL = 1e-12
# The float64 probabilities nearest to 0 and 1 (the smallest subnormal and 1 − 2⁻⁵³).
_SMALLEST_PROBABILITY = float(np.nextafter(0.0, 1.0))
_LARGEST_PROBABILITY = float(np.nextafter(1.0, 0.0))


def default_grid(points: int = DEFAULT_GRID_POINTS) -> np.ndarray:
    """The page's evaluation grid: `points` evenly spaced x values over DEFAULT_X_RANGE, shape (points,)."""
    return np.linspace(*DEFAULT_X_RANGE, points)


# ---- validation and quadrature --------------------------------------------------------------

def validated_grid(x: np.ndarray) -> np.ndarray:
    """x (N,) as a float array; ConfigError unless it is 1-D, finite, strictly increasing, N ≥ 2."""
    x = np.asarray(x, dtype=float)
    if x.ndim != 1 or x.size < 2:
        raise ConfigError(f"The grid x must be a 1-D array of at least 2 points; got shape {x.shape}.")
    if not np.all(np.isfinite(x)) or not np.all(np.diff(x) > 0.0):
        raise ConfigError("The grid x must hold finite, strictly increasing values.")
    return x


def _density(name: str, p: np.ndarray, x: np.ndarray) -> np.ndarray:
    p = np.asarray(p, dtype=float)
    if p.shape != x.shape:
        raise ConfigError(f"{name} must have the grid's shape {x.shape}; got {p.shape}.")
    if not np.all(np.isfinite(p)) or np.any(p < 0.0):
        raise ConfigError(f"{name} must hold finite values ≥ 0 (a density).")
    return p


def trapezoid_weights(x: np.ndarray) -> np.ndarray:
    """Weights w (N,) such that w @ f is the trapezoidal integral of f over the grid x (N,)."""
    step = np.diff(validated_grid(x))
    weights = np.zeros(x.shape)
    weights[:-1] += 0.5 * step
    weights[1:] += 0.5 * step
    return weights


def unit_mass(name: str, p: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """p (..., N) scaled to integrate to 1 along its last axis; ConfigError if a row has no mass.

    `weights` (N,) are the grid's `trapezoid_weights`; `name` names p in the error message.
    """
    mass = p @ weights
    if np.any(mass <= 0.0):
        raise ConfigError(f"{name} is zero everywhere on the grid, so it is not a density there.")
    return p / np.asarray(mass)[..., None]


def _unit_pair(p: np.ndarray, q: np.ndarray, x: np.ndarray, names: tuple[str, str] = ("p", "q"),
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate the grid x (N,) and two densities on it; return (weights, p, q) with unit-mass p, q."""
    x = validated_grid(x)
    weights = trapezoid_weights(x)
    return (weights, unit_mass(names[0], _density(names[0], p, x), weights),
            unit_mass(names[1], _density(names[1], q, x), weights))


def _xlog_ratio(a: np.ndarray, log_a: np.ndarray, log_b: np.ndarray) -> np.ndarray:
    """a·(log a − log b) with 0·(anything) = 0; log arrays may hold -inf where a or b is 0."""
    out = np.zeros(np.broadcast_shapes(a.shape, log_b.shape))
    np.subtract(log_a, log_b, out=out, where=a > 0.0)   # skips -inf − -inf where a = 0
    out *= a
    return out


def _log(p: np.ndarray) -> np.ndarray:
    """Natural log with log 0 = -inf and no floating-point warning."""
    return np.log(p, out=np.full(p.shape, -np.inf), where=p > 0.0)


# ---- grid densities ---------------------------------------------------------------------------

@dataclass(frozen=True)
class GridDensity:
    """A distribution evaluated on a grid and normalised there.

    `values` (N,) integrates to 1 on the grid and `log_values` (N,) is its logarithm, exact
    where `values` underflows to 0 (-inf only outside the support); `mass_on_grid` is the
    fraction of the distribution's own mass the grid held before normalising (1 when nothing
    was cut off); `distribution` is what was evaluated, and `widened_from` is its original
    narrowest scale when that was too narrow for the grid (None otherwise).
    """

    values: np.ndarray
    log_values: np.ndarray
    mass_on_grid: float
    distribution: Distribution1D
    widened_from: float | None = None


def density_on_grid(distribution: Distribution1D, x: np.ndarray) -> GridDensity:
    """Evaluate `distribution` on the grid x (N,), widened if the grid cannot resolve it.

    A feature narrower than MIN_POINTS_PER_SCALE grid steps (sigma → 0) would fall between
    grid points and its integral would be garbage, so its scale is clamped to that width
    and `widened_from` records the original for the caller to report.
    """
    x = validated_grid(x)
    min_scale = MIN_POINTS_PER_SCALE * float(np.max(np.diff(x)))
    widened_from = None
    if distribution.scale < min_scale:
        widened_from = distribution.scale
        distribution = distribution.widened(min_scale)
    log_raw = distribution.logpdf(x)
    mass = float(np.exp(log_raw) @ trapezoid_weights(x))
    if not mass > 0.0:
        raise ConfigError(f"The distribution lies entirely outside the grid [{x[0]:g}, {x[-1]:g}].")
    log_values = log_raw - math.log(mass)
    return GridDensity(np.exp(log_values), log_values, min(mass, 1.0), distribution, widened_from)


# ---- the optimal discriminator and the value function --------------------------------------

def optimal_discriminator(p_data: np.ndarray, p_g: np.ndarray, rel_tol: float = VANISH_REL_TOL) -> np.ndarray:
    """D*(x) = p_data / (p_data + p_g), shape (N,), for densities (N,) normalised on one grid.

    NaN where both densities vanish (p_data + p_g ≤ rel_tol · its maximum): there D* is
    undefined, any value is optimal, and a plot should show a gap.
    """
    p_data, p_g = np.asarray(p_data, dtype=float), np.asarray(p_g, dtype=float)
    if p_data.shape != p_g.shape:
        raise ConfigError(f"p_data and p_g must have the same shape; got {p_data.shape} and {p_g.shape}.")
    total = p_data + p_g
    defined = total > rel_tol * (np.max(total) if total.size else 0.0)
    return np.divide(p_data, total, out=np.full(total.shape, np.nan), where=defined)


def _value(log_d: np.ndarray, log_1md: np.ndarray, p: np.ndarray, q: np.ndarray, weights: np.ndarray) -> float:
    integrand = np.zeros(p.shape)
    np.multiply(p, log_d, out=integrand, where=p > 0.0)
    fake_term = np.zeros(q.shape)
    np.multiply(q, log_1md, out=fake_term, where=q > 0.0)
    integrand += fake_term
    return float(integrand @ weights)


def value_function(d: np.ndarray, p_data: np.ndarray, p_g: np.ndarray, x: np.ndarray) -> float:
    """V(D,G) = ∫ p_data log D + p_g log(1 − D) dx, in nats; D (N,) probabilities on the grid x (N,).

    NaN entries of `d` mark points where D is undefined (as `optimal_discriminator` gives
    where both densities vanish); they contribute nothing. A D of exactly 0 or 1 is read as
    the nearest float64 probability inside (0, 1): D* rounds to 1 wherever p_g is below
    2⁻⁵³·p_data, and reading that as certainty would make V = -inf for a value that is
    in truth finite (the error of the rounding is below 1e-13 there). For discriminators more
    confident than float64 probabilities can say, use `value_function_logit`.
    Densities are normalised first.
    """
    weights, p, q = _unit_pair(p_data, p_g, x, ("p_data", "p_g"))
    d = np.asarray(d, dtype=float)
    if d.shape != weights.shape:
        raise ConfigError(f"D must have the grid's shape {weights.shape}; got {d.shape}.")
    undefined = np.isnan(d)
    if np.any((d[~undefined] < 0.0) | (d[~undefined] > 1.0)):
        raise ConfigError("D must hold probabilities in [0, 1] (or NaN where undefined).")
    p, q = np.where(undefined, 0.0, p), np.where(undefined, 0.0, q)
    d = np.clip(np.where(undefined, 0.5, d), _SMALLEST_PROBABILITY, _LARGEST_PROBABILITY)
    return _value(np.log(d), np.log1p(-d), p, q, weights)


def value_function_logit(logit: np.ndarray, p_data: np.ndarray, p_g: np.ndarray, x: np.ndarray) -> float:
    """V(D,G) for D = sigmoid(logit), logit (N,): exact even where D rounds to 0 or 1 in floating point.

    Uses log D = −softplus(−logit) and log(1 − D) = −softplus(logit).
    """
    weights, p, q = _unit_pair(p_data, p_g, x, ("p_data", "p_g"))
    logit = np.asarray(logit, dtype=float)
    if logit.shape != weights.shape or not np.all(np.isfinite(logit)):
        raise ConfigError(f"The logit must be finite with the grid's shape {weights.shape}.")
    return _value(-np.logaddexp(0.0, -logit), -np.logaddexp(0.0, logit), p, q, weights)


def logistic_discriminator(x: np.ndarray, slope: float, offset: float) -> tuple[np.ndarray, np.ndarray]:
    """D(x) = sigmoid(slope·x + offset) on x (N,): returns (logit, probability), both (N,).

    The probability is computed without overflow for any logit (exp of −|logit| only).
    """
    logit = slope * np.asarray(x, dtype=float) + offset
    small = np.exp(-np.abs(logit))
    return logit, np.where(logit >= 0.0, 1.0 / (1.0 + small), small / (1.0 + small))


def pointwise_value(y: np.ndarray, p_data_at_x: float, p_g_at_x: float) -> np.ndarray:
    """The integrand of V at one x as a function of the discriminator's output y (M,) in (0, 1).

    p_data(x)·log y + p_g(x)·log(1 − y), shape (M,); it peaks at y = D*(x).
    """
    y = np.asarray(y, dtype=float)
    if np.any((y <= 0.0) | (y >= 1.0)):
        raise ConfigError("y must lie strictly between 0 and 1.")
    return p_data_at_x * np.log(y) + p_g_at_x * np.log1p(-y)


# ---- divergences -------------------------------------------------------------------------------

def jsd_rows(p: np.ndarray, q: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """JSD along the last axis of unit-mass densities p, q (..., N); nats, clipped to [0, ln 2].

    `weights` (N,) are the grid's `trapezoid_weights`; the result has shape (...,).
    """
    # Halving p + q is exact (so JSD(p, p) is exactly 0) unless it underflows to 0 for a
    # subnormal p + q; there log m is log(p + q) − log 2 instead of -inf.
    half = 0.5 * (p + q)
    log_m = np.where(half > 0.0, _log(half), _log(p + q) - LOG2)
    terms = 0.5 * (_xlog_ratio(p, _log(p), log_m) + _xlog_ratio(q, _log(q), log_m))
    # The grid sums are a JSD of discrete distributions, so the bounds hold up to rounding.
    return np.clip(terms @ weights, 0.0, LOG2)


def jsd(p: np.ndarray, q: np.ndarray, x: np.ndarray) -> float:
    """Jensen-Shannon divergence of densities p, q (N,) on the grid x (N,), in nats, within [0, ln 2].

    JSD = ½ KL(p ‖ m) + ½ KL(q ‖ m), m = (p + q)/2. Symmetric; 0 only for equal densities;
    ln 2 exactly when the supports are disjoint.
    """
    weights, p, q = _unit_pair(p, q, x)
    return float(jsd_rows(p, q, weights))


def _kl_from_log(log_p: np.ndarray, log_q: np.ndarray, weights: np.ndarray) -> float:
    p = np.exp(log_p)
    if np.any((p > 0.0) & np.isneginf(log_q)):
        return math.inf
    return max(float(_xlog_ratio(p, log_p, log_q) @ weights), 0.0)


def kl(p: np.ndarray, q: np.ndarray, x: np.ndarray) -> float:
    """Kullback-Leibler divergence KL(p ‖ q) = ∫ p log(p/q) dx in nats, p, q (N,) on the grid x (N,).

    ≥ 0; math.inf when q is 0 somewhere p is not. Where q has merely underflowed to 0 far in
    a tail, that is wrong: pass log densities to `kl_from_log` instead.
    """
    weights, p, q = _unit_pair(p, q, x)
    return _kl_from_log(_log(p), _log(q), weights)


def kl_from_log(log_p: np.ndarray, log_q: np.ndarray, x: np.ndarray) -> float:
    """KL(p ‖ q) in nats from log densities (N,) on the grid x (N,) (-inf where a density is 0).

    Finite wherever the true KL is, however small the densities get in the tails; both are
    normalised to unit mass on the grid first.
    """
    x = validated_grid(x)
    weights = trapezoid_weights(x)
    logs = []
    for name, log_density in (("log p", log_p), ("log q", log_q)):
        log_density = np.asarray(log_density, dtype=float)
        if log_density.shape != x.shape or np.any(np.isnan(log_density) | (log_density == np.inf)):
            raise ConfigError(f"{name} must have the grid's shape {x.shape} and no NaN or +inf.")
        top = float(np.max(log_density))
        if top == -np.inf:
            raise ConfigError(f"{name} is -inf everywhere, so its density is zero on the grid.")
        # Subtract the peak before exponentiating so the mass neither overflows nor underflows.
        logs.append(log_density - (top + math.log(float(np.exp(log_density - top) @ weights))))
    return _kl_from_log(logs[0], logs[1], weights)


def cdf_rows(p: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Cumulative trapezoidal integral of p (..., N) along its last axis over the grid x (N,); p's shape.

    Starts at 0, so it is the distribution function on the grid when p has unit mass.
    """
    pieces = 0.5 * (p[..., 1:] + p[..., :-1]) * np.diff(x)
    cdf = np.zeros(p.shape)
    np.cumsum(pieces, axis=-1, out=cdf[..., 1:])
    return cdf


def wasserstein1(p: np.ndarray, q: np.ndarray, x: np.ndarray) -> float:
    """Wasserstein-1 (earth mover's) distance ∫ |F_p − F_q| dx in x units, p, q (N,) on the grid x (N,)."""
    x = validated_grid(x)
    weights, p, q = _unit_pair(p, q, x)
    return float(np.abs(cdf_rows(p, x) - cdf_rows(q, x)) @ weights)


# ---- generator losses -------------------------------------------------------------------------

@dataclass(frozen=True)
class GeneratorLossCurves:
    """The two generator losses and their gradients w.r.t. the discriminator's logit l, on D(G(z)) values.

    With D = sigmoid(l): d/dl log(1 − D) = −D (vanishes as D(G(z)) → 0) while
    d/dl (−log D) = D − 1 (largest there). All arrays have the shape of `d_fake` (M,).
    """

    d_fake: np.ndarray
    minimax: np.ndarray              # log(1 − D(G(z))): the paper's loss, minimised by G
    nonsaturating: np.ndarray        # −log D(G(z)): the heuristic the notebooks train with
    grad_minimax: np.ndarray         # ∂ minimax / ∂ l = −D
    grad_nonsaturating: np.ndarray   # ∂ nonsaturating / ∂ l = D − 1


# Below this D(G(z)) ("a confident discriminator") the minimax loss's logit gradient is
# under 0.1 in size (|−D| < 0.1) while the non-saturating one is over 0.9 (|D − 1| > 0.9).
MINIMAX_FLAT_BELOW = 0.1


def generator_loss_curves(d_fake: np.ndarray) -> GeneratorLossCurves:
    """Both generator losses and their logit gradients at discriminator outputs d_fake (M,) in (0, 1)."""
    d = np.asarray(d_fake, dtype=float)
    if d.ndim != 1 or np.any((d <= 0.0) | (d >= 1.0)):
        raise ConfigError("D(G(z)) values must form a 1-D array strictly between 0 and 1.")
    return GeneratorLossCurves(d, np.log1p(-d), -np.log(d), -d, d - 1.0)


# ---- equilibrium ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Equilibrium:
    """Reference values at the global optimum p_g = p_data, each computed on the grid.

    d: D* (= 1/2 everywhere); value: V(D*, G) (= −log 4); bce_per_term: the
    discriminator's cross-entropy on one real or one fake sample (= ln 2 ≈ 0.693);
    mse_per_term: squared error of D = 1/2 against a 0/1 label (= 0.25).
    """

    d: float
    value: float
    bce_per_term: float
    mse_per_term: float


def equilibrium(p_data: np.ndarray, x: np.ndarray) -> Equilibrium:
    """Evaluate the equilibrium references for p_g = p_data (N,) on the grid x (N,)."""
    d_star = optimal_discriminator(p_data, p_data)
    defined = d_star[~np.isnan(d_star)]
    d_mean = float(np.mean(defined))
    return Equilibrium(
        d=d_mean,
        value=value_function(d_star, p_data, p_data, x),
        bce_per_term=-math.log(d_mean),
        mse_per_term=(1.0 - d_mean) ** 2,
    )

