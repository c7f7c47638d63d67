"""Toy distributions: densities integrate to 1 and match their moments, samplers agree with
their densities and are reproducible, 2-D mixtures have the documented centres, and impossible
parameters raise ConfigError naming the parameter."""

import math

import numpy as np
import pytest

from gan_engine.theory.distributions import (Distribution1D, Gamma, Grid2D, Laplace, Mixture, Normal, Ring2D, Uniform,
                                      toy_target)
from gan_engine.errors import ConfigError

pytestmark = pytest.mark.filterwarnings("error")

GRID = np.linspace(-40.0, 40.0, 160_001)   # dx = 5e-4

FAMILIES = [
    Normal(1.5, 0.7),
    Uniform(-2.0, 3.0),
    Laplace(-1.0, 0.4),
    Gamma(1.0, 0.8, -2.0),
    Gamma(3.5, 0.6, 1.0),
    Mixture([Normal(-2.0, 0.5), Laplace(3.0, 0.3), Uniform(0.0, 1.0)], [2.0, 1.0, 1.0]),
    Normal(0.0, 2.0).shifted(3.0),
]


def moments_on_grid(dist: Distribution1D) -> tuple[float, float, float]:
    density = dist.pdf(GRID)
    mass = np.trapezoid(density, GRID)
    mean = np.trapezoid(GRID * density, GRID)
    var = np.trapezoid((GRID - mean) ** 2 * density, GRID)
    return float(mass), float(mean), math.sqrt(var)


@pytest.mark.parametrize("dist", FAMILIES, ids=lambda d: type(d).__name__)
def test_density_integrates_to_one_and_matches_moments(dist: Distribution1D) -> None:
    mass, mean, std = moments_on_grid(dist)
    # Uniform and the shape-1 gamma jump at an end, which costs the trapezoid rule O(dx).
    assert mass == pytest.approx(1.0, abs=1e-3)
    assert mean == pytest.approx(dist.mean, abs=2e-3)
    assert std == pytest.approx(dist.std, abs=2e-3)
    assert dist.pdf(GRID).shape == GRID.shape and np.all(dist.pdf(GRID) >= 0.0)


@pytest.mark.parametrize("dist", FAMILIES, ids=lambda d: type(d).__name__)
def test_sampler_agrees_with_the_density_and_is_reproducible(dist: Distribution1D) -> None:
    n = 40_000
    draws = dist.sample(n, np.random.default_rng(7))
    assert draws.shape == (n,) and draws.dtype == np.float64
    np.testing.assert_array_equal(draws, dist.sample(n, np.random.default_rng(7)))
    assert not np.array_equal(draws, dist.sample(n, np.random.default_rng(8)))
    assert abs(draws.mean() - dist.mean) < 5 * dist.std / math.sqrt(n)
    # Histogram against the density: the fraction of draws in each of a few bins.
    edges = np.quantile(draws, [0.1, 0.3, 0.5, 0.7, 0.9])
    for low, high in zip(edges[:-1], edges[1:]):
        inside = (GRID >= low) & (GRID <= high)
        expected = np.trapezoid(dist.pdf(GRID[inside]), GRID[inside])
        assert np.mean((draws >= low) & (draws <= high)) == pytest.approx(expected, abs=0.015)


@pytest.mark.parametrize("dist", FAMILIES, ids=lambda d: type(d).__name__)
def test_logpdf_is_the_log_of_pdf(dist: Distribution1D) -> None:
    density, log_density = dist.pdf(GRID), dist.logpdf(GRID)
    positive = density > 1e-300
    np.testing.assert_allclose(log_density[positive], np.log(density[positive]), rtol=1e-10, atol=1e-10)
    assert np.all(np.isneginf(log_density[density == 0.0]) | (log_density[density == 0.0] < -690.0))


def test_logpdf_stays_exact_where_pdf_underflows() -> None:
    assert Normal(0.0, 1.0).pdf(np.array([60.0]))[0] == 0.0
    assert Normal(0.0, 1.0).logpdf(np.array([60.0]))[0] == pytest.approx(-1800.0 - 0.5 * math.log(2 * math.pi))
    mixture = Mixture([Normal(-2.0, 0.5), Normal(2.0, 0.5)])
    assert mixture.logpdf(np.array([-40.0]))[0] == pytest.approx(math.log(0.5) - 0.5 * (38.0 / 0.5) ** 2
                                                                 - math.log(0.5 * math.sqrt(2 * math.pi)))
    assert np.isneginf(Uniform(0.0, 1.0).logpdf(np.array([2.0]))[0])


def test_mixture_normalises_weights_and_compares_by_value() -> None:
    mixture = Mixture([Normal(0.0, 1.0), Normal(3.0, 1.0)], [3.0, 1.0])
    assert mixture.weights == (0.75, 0.25)
    assert mixture == Mixture([Normal(0.0, 1.0), Normal(3.0, 1.0)], [0.75, 0.25])
    assert hash(mixture) == hash(Mixture([Normal(0.0, 1.0), Normal(3.0, 1.0)], [0.75, 0.25]))
    assert Mixture([Normal(), Normal(1.0)]).weights == (0.5, 0.5)


def test_widened_clamps_only_narrow_features() -> None:
    assert Normal(0.0, 1e-6).widened(0.03) == Normal(0.0, 0.03)
    assert Normal(0.0, 1.0).widened(0.03) == Normal(0.0, 1.0)
    assert Uniform(1.0, 1.0 + 1e-9).widened(0.1).scale == pytest.approx(0.1)
    assert Uniform(1.0, 1.0 + 1e-9).widened(0.1).mean == pytest.approx(1.0)
    assert Laplace(0.0, 1e-4).widened(0.05).b == 0.05
    assert Gamma(4.0, 1e-4).widened(0.2).std == pytest.approx(0.2)
    narrow = Mixture([Normal(0.0, 1e-5), Normal(2.0, 1.0)]).widened(0.05)
    assert narrow.scale == pytest.approx(0.05) and narrow.weights == (0.5, 0.5)


@pytest.mark.parametrize("make, words", [
    (lambda: Normal(0.0, 0.0), "sigma"),
    (lambda: Normal(0.0, -1.0), "sigma"),
    (lambda: Normal(float("nan"), 1.0), "mu"),
    (lambda: Normal(0.0, float("inf")), "sigma"),
    (lambda: Normal("zero", 1.0), "mu"),
    (lambda: Uniform(1.0, 1.0), "low < high"),
    (lambda: Uniform(2.0, 1.0), "low < high"),
    (lambda: Laplace(0.0, 0.0), "b"),
    (lambda: Gamma(0.5, 1.0), "shape"),
    (lambda: Gamma(2.0, 0.0), "theta"),
    (lambda: Mixture([Normal(), Normal()], [0.0, 0.0]), "sum to 0"),
    (lambda: Mixture([Normal(), Normal()], [1.0, -0.5]), "≥ 0"),
    (lambda: Mixture([Normal(), Normal()], [1.0]), "needs 2 weights"),
    (lambda: Mixture([]), "at least one"),
    (lambda: Mixture([Normal(), "normal"]), "1-D distribution"),
    (lambda: Normal().sample(-1, np.random.default_rng(0)), "number of samples"),
    (lambda: Ring2D(sigma=0.0), "sigma"),
    (lambda: Ring2D(n_modes=0), "n_modes"),
    (lambda: Grid2D(side=0), "side"),
    (lambda: Ring2D().pdf(np.zeros((3, 3))), "(N, 2)"),
    (lambda: toy_target("gauss3d"), "gauss1d, bimodal1d, ring2d, grid2d"),
])
def test_impossible_parameters_raise_a_named_config_error(make, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        make()
    assert words in str(caught.value)


def test_ring_has_eight_distinct_unit_circle_centres() -> None:
    ring = Ring2D()
    angles = 2 * np.pi * np.arange(8) / 8
    np.testing.assert_allclose(ring.centers, np.column_stack([np.cos(angles), np.sin(angles)]), atol=1e-12)
    distances = np.linalg.norm(ring.centers[:, None] - ring.centers[None], axis=2) + np.eye(8)
    assert distances.min() > 0.7          # neighbours are 2·sin(π/8) ≈ 0.765 apart: none repeated
    assert ring.sigma == 0.01 and ring.n_modes == 8
    peak = ring.pdf(ring.centers)
    np.testing.assert_allclose(peak, (1 / 8) / (2 * np.pi * 0.01 ** 2), rtol=1e-9)


def test_grid_has_the_25_lattice_centres() -> None:
    grid = Grid2D()
    expected = {(float(a), float(b)) for a in (-4, -2, 0, 2, 4) for b in (-4, -2, 0, 2, 4)}
    assert {tuple(c) for c in grid.centers.tolist()} == expected
    assert grid.centers.shape == (25, 2) and grid.sigma == 0.05


@pytest.mark.parametrize("mixture", [Ring2D(sigma=0.15), Grid2D(sigma=0.3)], ids=["ring", "grid"])
def test_2d_density_integrates_to_one(mixture) -> None:
    axis = np.linspace(-6.0, 6.0, 601)
    gx, gy = np.meshgrid(axis, axis)
    density = mixture.pdf(np.column_stack([gx.ravel(), gy.ravel()])).reshape(gx.shape)
    assert np.trapezoid(np.trapezoid(density, axis, axis=1), axis) == pytest.approx(1.0, abs=1e-6)


@pytest.mark.parametrize("mixture", [Ring2D(), Grid2D()], ids=["ring", "grid"])
def test_2d_samples_hit_every_mode_near_its_centre(mixture) -> None:
    samples = mixture.sample(20_000, np.random.default_rng(3))
    assert samples.shape == (20_000, 2)
    np.testing.assert_array_equal(samples, mixture.sample(20_000, np.random.default_rng(3)))
    distance = np.linalg.norm(samples[:, None] - mixture.centers[None], axis=2)   # (n, K)
    assert distance.min(axis=1).max() < 6 * mixture.sigma
    counts = np.bincount(distance.argmin(axis=1), minlength=mixture.n_modes)
    expected = 20_000 / mixture.n_modes
    assert np.all(np.abs(counts - expected) < 5 * math.sqrt(expected))


def test_toy_targets_are_the_documented_distributions() -> None:
    assert toy_target("gauss1d") == Normal(2.0, 0.5)
    bimodal = toy_target("bimodal1d")
    assert bimodal == Mixture([Normal(-2.0, 0.5), Normal(2.0, 0.5)], [0.5, 0.5])
    assert bimodal.mean == 0.0 and bimodal.std == pytest.approx(math.sqrt(4.25))
    assert isinstance(toy_target("ring2d"), Ring2D) and toy_target("ring2d").n_modes == 8
    assert isinstance(toy_target("grid2d"), Grid2D) and toy_target("grid2d").n_modes == 25
