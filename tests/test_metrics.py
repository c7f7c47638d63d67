"""Metrics on hand-made samples, the JSD estimator's bias, and the registry."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gan_engine.train import metrics
from gan_engine.theory.distributions import Normal, toy_target
from gan_engine.errors import ConfigError

RING = toy_target("ring2d")
GRID = toy_target("grid2d")


def _rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


# ---- 1-D ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["gauss1d", "bimodal1d"])
def test_jsd_bias_at_equal_distributions_is_small(name):
    target = toy_target(name)
    values = [metrics.jsd_1d(target.sample(10_000, _rng(seed)), target) for seed in range(5)]
    assert 0.0 < np.mean(values) < 1e-3     # documented: 2.2e-4 (gauss1d), 4.0e-4 (bimodal1d)


def test_jsd_extremes():
    target = toy_target("gauss1d")
    assert metrics.jsd_1d(np.full(10_000, 500.0), target) == pytest.approx(math.log(2), abs=1e-9)   # all off-grid
    far = Normal(-20.0, 0.5)
    x = np.linspace(-30, 10, 4001)
    assert metrics.jsd_on_grid(target.pdf(x), far.pdf(x), x) == pytest.approx(math.log(2), abs=1e-6)
    assert metrics.jsd_on_grid(target.pdf(x), target.pdf(x), x) == pytest.approx(0.0, abs=1e-12)


def test_jsd_matches_a_closed_form_case():
    # two uniforms overlapping on half their width: JSD = ½ log 2 exactly
    x = np.linspace(-1, 3, 40_001)
    p = ((x >= 0) & (x < 1)).astype(float)
    q = ((x >= 0.5) & (x < 1.5)).astype(float)
    assert metrics.jsd_on_grid(p, q, x) == pytest.approx(0.5 * math.log(2), abs=1e-3)
    assert metrics.jsd_on_grid(p, q, x) == pytest.approx(metrics.jsd_on_grid(q, p, x), abs=1e-3)   # symmetric


def test_jsd_orders_worse_fits_higher():
    target = toy_target("gauss1d")
    rng = _rng(1)
    close = metrics.jsd_1d(rng.normal(2.05, 0.5, 10_000), target)
    farther = metrics.jsd_1d(rng.normal(2.5, 0.5, 10_000), target)
    one_mode = metrics.jsd_1d(toy_target("bimodal1d").sample(10_000, rng), target)
    assert close < farther < one_mode


def test_kde_integrates_to_the_on_grid_mass():
    x = np.linspace(-3, 3, 301)
    samples = np.concatenate([np.zeros(900), np.full(100, 10.0)])   # 10% off the grid
    density, off = metrics.kde_on_grid(samples, x, bandwidth=0.2)
    assert off == pytest.approx(0.1)
    assert density.sum() * (x[1] - x[0]) == pytest.approx(0.9)
    assert x[density.argmax()] == pytest.approx(0.0)


def test_grid_covers_target_and_untrained_generator():
    x = metrics.grid_1d(toy_target("gauss1d"))
    assert x[0] <= -3.0 and x[-1] >= 2.0 + 4 * 0.5
    assert len(x) == metrics.GRID_POINTS


# ---- 2-D ------------------------------------------------------------------------------------

def _near(centers: np.ndarray, per_mode: int, sigma: float, rng: np.random.Generator) -> np.ndarray:
    return np.repeat(centers, per_mode, axis=0) + sigma * rng.standard_normal((len(centers) * per_mode, 2))


def test_ring_has_eight_distinct_modes():
    separation = np.linalg.norm(RING.centers[:, None] - RING.centers[None], axis=2) + np.eye(8) * 9
    assert len(RING.centers) == 8 and separation.min() > 0.7   # no repeated centre (linspace off-by-one)


def test_all_modes_captured():
    stats = metrics.mode_statistics(_near(RING.centers, 300, 0.002, _rng()), RING.centers, RING.sigma)
    assert stats == {"modes_captured": 8.0, "hq_fraction": 1.0, "reverse_kl": pytest.approx(0.0, abs=1e-12)}


def test_one_mode_only():
    samples = _near(RING.centers[2:3], 2500, 0.002, _rng())
    stats = metrics.mode_statistics(samples, RING.centers, RING.sigma)
    assert stats == {"modes_captured": 1.0, "hq_fraction": 1.0, "reverse_kl": pytest.approx(math.log(8))}


def test_no_mode_captured():
    samples = 0.1 * _rng().standard_normal((2500, 2))   # a blob at the centre of the ring
    stats = metrics.mode_statistics(samples, RING.centers, RING.sigma)
    assert stats == {"modes_captured": 0.0, "hq_fraction": 0.0, "reverse_kl": pytest.approx(math.log(8))}


def test_quality_threshold_is_three_sigma_and_counts_by_hand():
    # 2 HQ samples on mode 0 (at 2.9σ), 1 on mode 1, and 1 just outside 3σ of mode 0
    sigma = GRID.sigma
    c0, c1 = GRID.centers[0], GRID.centers[1]
    samples = np.array([c0 + [2.9 * sigma, 0], c0 - [0, 2.9 * sigma], c1, c0 + [3.1 * sigma, 0]])
    stats = metrics.mode_statistics(samples, GRID.centers, sigma)
    share = np.array([2 / 3, 1 / 3])
    assert stats["modes_captured"] == 2.0
    assert stats["hq_fraction"] == pytest.approx(0.75)
    assert stats["reverse_kl"] == pytest.approx(float(np.sum(share * np.log(25 * share))))


def test_nan_samples_are_low_quality():
    samples = np.array([[np.nan, np.nan], RING.centers[0]])
    assert metrics.mode_statistics(samples, RING.centers, RING.sigma)["hq_fraction"] == 0.5


# ---- images and the registry ----------------------------------------------------------------

def _brightness_scorer(images: np.ndarray) -> np.ndarray:
    """A stand-in classifier: the class is the image's mean brightness in tenths (logits)."""
    level = np.clip((images.reshape(len(images), -1).mean(axis=1) * 10).astype(int), 0, 9)
    return np.eye(10)[level] * 5.0


def test_classifier_scores_by_hand():
    images = np.stack([np.full((28, 28), v) for v in (0.05, 0.15, 0.15, 0.95)]).astype(np.float32)
    scores = metrics.classifier_scores(images, _brightness_scorer, labels=np.array([0, 1, 2, 9]))
    histogram = np.array([0.25, 0.5, 0.25])
    assert scores["class_accuracy"] == pytest.approx(0.75)
    assert scores["classes_covered"] == 3.0
    assert scores["class_kl"] == pytest.approx(float(np.sum(histogram * np.log(10 * histogram))))
    assert scores["classifier_confidence"] == pytest.approx(np.exp(5) / (np.exp(5) + 9))   # softmax of the logits
    with pytest.raises(ConfigError, match=r"\(N, classes\)"):
        metrics.classifier_scores(images, lambda batch: np.zeros(3))


def test_registry_lookup_and_classifier_hook():
    assert metrics.get_metric("jsd").kind == "1d"
    assert {m.name for m in metrics.metrics_for("2d")} >= {"modes"}
    with pytest.raises(ConfigError, match="Unknown metric 'fid'"):
        metrics.get_metric("fid")
    with pytest.raises(ConfigError, match="kind"):
        metrics.register_metric(metrics.Metric("x", "3d", lambda s, c: {}, ""))
    name = "test_brightness"
    try:
        metrics.register_classifier_metric(_brightness_scorer, name)
        images = np.full((4, 28, 28), 0.55, dtype=np.float32)
        assert metrics.evaluate("images", images, np.array([5, 5, 5, 1]))["class_accuracy"] == 0.75
    finally:
        metrics.METRICS.pop(name, None)
    samples = _near(RING.centers, 10, 0.001, _rng())
    assert metrics.evaluate("2d", samples, RING)["modes_captured"] == 8.0
