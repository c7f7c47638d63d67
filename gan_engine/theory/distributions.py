"""Toy target distributions with both a density and a sampler.

1-D families (`Normal`, `Uniform`, `Laplace`, `Gamma`, `Mixture`) are what the Theory page
plots on a grid and what the 1-D training targets draw from; 2-D Gaussian mixtures
(`Ring2D`, `Grid2D`) are the classic mode-collapse benchmarks. Every object is a frozen,
hashable dataclass, so equal parameters compare equal and can key a cache.

Conventions: `pdf` takes any array of positions and returns densities of the same shape
(per unit of x, or per unit area in 2-D); `sample(n, generator)` draws with the given
`numpy.random.Generator` only, so a seeded generator reproduces the draw exactly.
Impossible parameters raise `ConfigError` naming the parameter.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace
from typing import Sequence

import numpy as np

from gan_engine.errors import ConfigError

_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)


def _finite(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise ConfigError(f"{name} must be a number; got {value!r}.")
    value = float(value)
    if not math.isfinite(value):
        raise ConfigError(f"{name} must be a finite number; got {value!r}.")
    return value


def _positive(name: str, value: float) -> float:
    value = _finite(name, value)
    if value <= 0.0:
        raise ConfigError(f"{name} must be greater than 0; got {value!r}.")
    return value


def _sample_count(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ConfigError(f"The number of samples must be a whole number ≥ 0; got {n!r}.")
    return int(n)


class Distribution1D(ABC):
    """A probability distribution on the real line."""

    @abstractmethod
    def pdf(self, x: np.ndarray) -> np.ndarray:
        """Density at positions `x` (any shape), per unit of x; same shape as `x`."""

    def logpdf(self, x: np.ndarray) -> np.ndarray:
        """Natural log of the density at `x`, -inf outside the support; same shape as `x`.

        Exact far into the tails, where `pdf` underflows to 0 (needed for finite KL values).
        """
        density = self.pdf(x)
        return np.log(density, out=np.full(density.shape, -np.inf), where=density > 0.0)

    @abstractmethod
    def sample(self, n: int, generator: np.random.Generator) -> np.ndarray:
        """`n` independent draws, shape (n,), float64."""

    @property
    @abstractmethod
    def mean(self) -> float:
        """Expected value."""

    @property
    @abstractmethod
    def std(self) -> float:
        """Standard deviation."""

    @property
    @abstractmethod
    def scale(self) -> float:
        """Width of the narrowest feature (a sigma, a Laplace b, a uniform's length), in x units.

        A grid must be several times finer than this to integrate the density accurately.
        """

    @abstractmethod
    def widened(self, min_scale: float) -> "Distribution1D":
        """A copy whose narrowest feature is at least `min_scale` wide (self if it already is)."""

    def shifted(self, delta: float) -> "Distribution1D":
        """The same shape translated by `delta` along x."""
        return Shifted(self, _finite("delta", delta))


@dataclass(frozen=True)
class Normal(Distribution1D):
    """N(mu, sigma²)."""

    mu: float = 0.0
    sigma: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "mu", _finite("mu", self.mu))
        object.__setattr__(self, "sigma", _positive("sigma", self.sigma))

    def pdf(self, x: np.ndarray) -> np.ndarray:
        return np.exp(self.logpdf(x))

    def logpdf(self, x: np.ndarray) -> np.ndarray:
        u = (np.asarray(x, dtype=float) - self.mu) / self.sigma
        return -0.5 * u * u - (_LOG_SQRT_2PI + math.log(self.sigma))

    def sample(self, n: int, generator: np.random.Generator) -> np.ndarray:
        return generator.normal(self.mu, self.sigma, _sample_count(n))

    @property
    def mean(self) -> float:
        return self.mu

    @property
    def std(self) -> float:
        return self.sigma

    @property
    def scale(self) -> float:
        return self.sigma

    def widened(self, min_scale: float) -> "Normal":
        return self if self.sigma >= min_scale else replace(self, sigma=float(min_scale))


@dataclass(frozen=True)
class Uniform(Distribution1D):
    """Uniform on the closed interval [low, high]."""

    low: float = -1.0
    high: float = 1.0

    def __post_init__(self) -> None:
        low, high = _finite("low", self.low), _finite("high", self.high)
        if high <= low:
            raise ConfigError(f"A uniform distribution needs low < high; got low={low:g}, high={high:g}.")
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)

    def pdf(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        return np.where((x >= self.low) & (x <= self.high), 1.0 / (self.high - self.low), 0.0)

    def sample(self, n: int, generator: np.random.Generator) -> np.ndarray:
        return generator.uniform(self.low, self.high, _sample_count(n))

    @property
    def mean(self) -> float:
        return 0.5 * (self.low + self.high)

    @property
    def std(self) -> float:
        return (self.high - self.low) / math.sqrt(12.0)

    @property
    def scale(self) -> float:
        return self.high - self.low

    def widened(self, min_scale: float) -> "Uniform":
        if self.high - self.low >= min_scale:
            return self
        centre = self.mean
        return Uniform(centre - 0.5 * min_scale, centre + 0.5 * min_scale)


@dataclass(frozen=True)
class Laplace(Distribution1D):
    """Laplace(mu, b): density exp(-|x - mu| / b) / (2b); heavier tails than a normal."""

    mu: float = 0.0
    b: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "mu", _finite("mu", self.mu))
        object.__setattr__(self, "b", _positive("b", self.b))

    def pdf(self, x: np.ndarray) -> np.ndarray:
        return np.exp(self.logpdf(x))

    def logpdf(self, x: np.ndarray) -> np.ndarray:
        return -np.abs(np.asarray(x, dtype=float) - self.mu) / self.b - math.log(2.0 * self.b)

    def sample(self, n: int, generator: np.random.Generator) -> np.ndarray:
        return generator.laplace(self.mu, self.b, _sample_count(n))

    @property
    def mean(self) -> float:
        return self.mu

    @property
    def std(self) -> float:
        return math.sqrt(2.0) * self.b

    @property
    def scale(self) -> float:
        return self.b

    def widened(self, min_scale: float) -> "Laplace":
        return self if self.b >= min_scale else replace(self, b=float(min_scale))


@dataclass(frozen=True)
class Gamma(Distribution1D):
    """Gamma(shape k, scale theta) moved right by `loc`: the skewed family (right tail).

    Density (x - loc)^(k-1) exp(-(x - loc)/theta) / (Gamma(k) theta^k) for x ≥ loc. Shapes
    below 1 have an infinite density at `loc`, which no grid can integrate, so k ≥ 1.
    Skewness is 2/sqrt(k): k = 1 is the exponential, large k approaches a normal.
    """

    shape: float = 2.0
    theta: float = 1.0
    loc: float = 0.0

    def __post_init__(self) -> None:
        shape = _finite("shape", self.shape)
        if shape < 1.0:
            raise ConfigError(f"Gamma shape must be at least 1 (below 1 the density is infinite at loc); got {shape:g}.")
        object.__setattr__(self, "shape", shape)
        object.__setattr__(self, "theta", _positive("theta", self.theta))
        object.__setattr__(self, "loc", _finite("loc", self.loc))

    def pdf(self, x: np.ndarray) -> np.ndarray:
        return np.exp(self.logpdf(x))

    def logpdf(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        t = np.maximum(x - self.loc, 0.0)   # 0 left of loc; masked below
        if self.shape == 1.0:
            log_power = np.zeros(t.shape)       # t^0 = 1, also at t = 0
        else:
            log_power = (self.shape - 1.0) * np.log(t, where=t > 0.0, out=np.full(t.shape, -np.inf))
        log_norm = math.lgamma(self.shape) + self.shape * math.log(self.theta)
        return np.where(x >= self.loc, log_power - t / self.theta - log_norm, -np.inf)

    def sample(self, n: int, generator: np.random.Generator) -> np.ndarray:
        return self.loc + generator.gamma(self.shape, self.theta, _sample_count(n))

    @property
    def mean(self) -> float:
        return self.loc + self.shape * self.theta

    @property
    def std(self) -> float:
        return math.sqrt(self.shape) * self.theta

    @property
    def scale(self) -> float:
        return self.std

    def widened(self, min_scale: float) -> "Gamma":
        return self if self.std >= min_scale else replace(self, theta=float(min_scale) / math.sqrt(self.shape))


@dataclass(frozen=True)
class Mixture(Distribution1D):
    """Σ_i w_i · component_i, with the weights normalised to sum to 1."""

    components: tuple[Distribution1D, ...]
    weights: tuple[float, ...] = field(default=())

    def __init__(self, components: Sequence[Distribution1D], weights: Sequence[float] | None = None) -> None:
        components = tuple(components)
        if not components:
            raise ConfigError("A mixture needs at least one component.")
        if not all(isinstance(c, Distribution1D) for c in components):
            raise ConfigError("Every mixture component must be a 1-D distribution (Normal, Uniform, ...).")
        raw = [1.0] * len(components) if weights is None else [_finite("weight", w) for w in weights]
        if len(raw) != len(components):
            raise ConfigError(f"A mixture of {len(components)} components needs {len(components)} weights; got {len(raw)}.")
        if any(w < 0.0 for w in raw):
            raise ConfigError(f"Mixture weights must be ≥ 0; got {raw}.")
        total = math.fsum(raw)
        if total <= 0.0:
            raise ConfigError("Mixture weights sum to 0: give at least one component a positive weight.")
        object.__setattr__(self, "components", components)
        object.__setattr__(self, "weights", tuple(w / total for w in raw))

    def pdf(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        total = np.zeros(x.shape)
        for weight, component in zip(self.weights, self.components):
            if weight > 0.0:
                total += weight * component.pdf(x)
        return total

    def logpdf(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        total = np.full(x.shape, -np.inf)
        for weight, component in zip(self.weights, self.components):
            if weight > 0.0:
                total = np.logaddexp(total, math.log(weight) + component.logpdf(x))
        return total

    def sample(self, n: int, generator: np.random.Generator) -> np.ndarray:
        n = _sample_count(n)
        which = generator.choice(len(self.components), size=n, p=np.asarray(self.weights))
        out = np.empty(n)
        for index, component in enumerate(self.components):
            chosen = which == index
            out[chosen] = component.sample(int(chosen.sum()), generator)
        return out

    @property
    def mean(self) -> float:
        return math.fsum(w * c.mean for w, c in zip(self.weights, self.components))

    @property
    def std(self) -> float:
        second = math.fsum(w * (c.std ** 2 + c.mean ** 2) for w, c in zip(self.weights, self.components))
        return math.sqrt(max(second - self.mean ** 2, 0.0))

    @property
    def scale(self) -> float:
        return min(c.scale for w, c in zip(self.weights, self.components) if w > 0.0)

    def widened(self, min_scale: float) -> "Mixture":
        return Mixture([c.widened(min_scale) for c in self.components], self.weights)


@dataclass(frozen=True)
class Shifted(Distribution1D):
    """`base` translated by `delta`: density base.pdf(x - delta)."""

    base: Distribution1D
    delta: float

    def pdf(self, x: np.ndarray) -> np.ndarray:
        return self.base.pdf(np.asarray(x, dtype=float) - self.delta)

    def logpdf(self, x: np.ndarray) -> np.ndarray:
        return self.base.logpdf(np.asarray(x, dtype=float) - self.delta)

    def sample(self, n: int, generator: np.random.Generator) -> np.ndarray:
        return self.base.sample(n, generator) + self.delta

    @property
    def mean(self) -> float:
        return self.base.mean + self.delta

    @property
    def std(self) -> float:
        return self.base.std

    @property
    def scale(self) -> float:
        return self.base.scale

    def widened(self, min_scale: float) -> "Shifted":
        return Shifted(self.base.widened(min_scale), self.delta)


# ---- 2-D mixtures -----------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class GaussianMixture2D:
    """Equal-weight mixture of isotropic 2-D normals N(center_k, sigma² I)."""

    centers: np.ndarray   # (K, 2)
    sigma: float

    def __post_init__(self) -> None:
        centers = np.array(self.centers, dtype=float)   # a private copy, frozen below
        if centers.ndim != 2 or centers.shape[1] != 2 or len(centers) == 0:
            raise ConfigError(f"Mixture centres must have shape (K, 2); got {centers.shape}.")
        centers.setflags(write=False)
        object.__setattr__(self, "centers", centers)
        object.__setattr__(self, "sigma", _positive("sigma", self.sigma))

    def pdf(self, xy: np.ndarray) -> np.ndarray:
        """Density per unit area at points `xy` of shape (N, 2); returns (N,)."""
        xy = np.asarray(xy, dtype=float)
        if xy.ndim != 2 or xy.shape[1] != 2:
            raise ConfigError(f"Points must have shape (N, 2); got {xy.shape}.")
        sq = ((xy[:, None, :] - self.centers[None, :, :]) ** 2).sum(axis=2)   # (N, K)
        var = self.sigma ** 2
        return np.exp(-0.5 * sq / var).mean(axis=1) / (2.0 * math.pi * var)

    def sample(self, n: int, generator: np.random.Generator) -> np.ndarray:
        """`n` draws, shape (n, 2): a uniformly chosen centre plus isotropic noise."""
        n = _sample_count(n)
        which = generator.integers(len(self.centers), size=n)
        return self.centers[which] + self.sigma * generator.standard_normal((n, 2))

    @property
    def n_modes(self) -> int:
        return len(self.centers)


class Ring2D(GaussianMixture2D):
    """`n_modes` normals at radius `radius`, angles 2πk/n_modes (k = 0 … n_modes-1): 8 distinct modes by default."""

    def __init__(self, n_modes: int = 8, radius: float = 1.0, sigma: float = 0.01) -> None:
        if isinstance(n_modes, bool) or not isinstance(n_modes, (int, np.integer)) or n_modes < 1:
            raise ConfigError(f"n_modes must be a whole number ≥ 1; got {n_modes!r}.")
        angles = 2.0 * np.pi * np.arange(n_modes) / n_modes
        radius = _positive("radius", radius)
        super().__init__(radius * np.stack([np.cos(angles), np.sin(angles)], axis=1), sigma)


class Grid2D(GaussianMixture2D):
    """`side`² normals on a square lattice of the given spacing centred at 0: {-4,-2,0,2,4}² by default."""

    def __init__(self, side: int = 5, spacing: float = 2.0, sigma: float = 0.05) -> None:
        if isinstance(side, bool) or not isinstance(side, (int, np.integer)) or side < 1:
            raise ConfigError(f"side must be a whole number ≥ 1; got {side!r}.")
        ticks = _positive("spacing", spacing) * (np.arange(side) - (side - 1) / 2.0)
        gx, gy = np.meshgrid(ticks, ticks, indexing="xy")
        super().__init__(np.stack([gx.ravel(), gy.ravel()], axis=1), sigma)


# ---- named training targets ---------------------------------------------------------------

def toy_target(name: str) -> Distribution1D | GaussianMixture2D:
    """The distribution behind a toy training target.

    - "gauss1d": N(2, 0.5²). Off-centre and narrow on purpose: a freshly initialised generator
      outputs values near 0 with a spread near 1, so it must both move and contract.
    - "bimodal1d": 0.5·N(-2, 0.5²) + 0.5·N(2, 0.5²). The modes are 8 sigmas apart, so a
      generator that covers only one of them is plainly visible (JSD ≈ 0.22 nats).
    - "ring2d": `Ring2D()`, 8 normals on the unit circle, sigma 0.01.
    - "grid2d": `Grid2D()`, 25 normals at {-4,-2,0,2,4}², sigma 0.05.
    """
    if name == "gauss1d":
        return Normal(2.0, 0.5)
    if name == "bimodal1d":
        return Mixture([Normal(-2.0, 0.5), Normal(2.0, 0.5)], [0.5, 0.5])
    if name == "ring2d":
        return Ring2D()
    if name == "grid2d":
        return Grid2D()
    raise ConfigError(f"Unknown toy target {name!r}: choose one of gauss1d, bimodal1d, ring2d, grid2d.")
