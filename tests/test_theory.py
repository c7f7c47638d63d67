"""The mathematics of the Theory page, checked against identities and known results.

Every test runs with warnings as errors: a degenerate input must give a defined value or a
ConfigError, never a RuntimeWarning from NumPy.
"""

import math

import numpy as np
import pytest
from scipy import integrate, stats

from gan_engine.theory import divergences as theory
from gan_engine.theory import figure1 as theory_figure1
from gan_engine.theory import model as theory_model
from gan_engine.theory.distributions import Distribution1D, Gamma, Laplace, Mixture, Normal, Uniform
from gan_engine.errors import ConfigError
from ui.theory.sections import fmt

pytestmark = pytest.mark.filterwarnings("error")

X = theory.default_grid()
LOG4 = math.log(4.0)


def random_distribution(rng: np.random.Generator) -> Distribution1D:
    """Any family the page offers, with parameters anywhere in the page's slider ranges."""
    kind = int(rng.integers(5))
    if kind == 0:
        return Normal(rng.uniform(-5, 5), rng.uniform(0.05, 2.5))
    if kind == 1:
        low, high = sorted(rng.uniform(-8, 8, 2))
        return Uniform(low, high + 0.05)
    if kind == 2:
        return Laplace(rng.uniform(-5, 5), rng.uniform(0.05, 1.5))
    if kind == 3:
        return Gamma(rng.uniform(1, 5), rng.uniform(0.1, 1), rng.uniform(-6, 2))
    count = int(rng.integers(2, 4))
    return Mixture([Normal(rng.uniform(-5, 5), rng.uniform(0.05, 2.5)) for _ in range(count)],
                   rng.uniform(0.05, 1, count))


def random_pairs(count: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed)
    return [(theory.density_on_grid(random_distribution(rng), X).values,
             theory.density_on_grid(random_distribution(rng), X).values) for _ in range(count)]


def on_grid(dist: Distribution1D) -> np.ndarray:
    return theory.density_on_grid(dist, X).values


# ---- accuracy against adaptive quadrature -------------------------------------------------

def test_jsd_of_two_unit_normals_matches_adaptive_quadrature() -> None:
    def integrand(t: float) -> float:
        log_p, log_q = stats.norm.logpdf(t, 0, 1), stats.norm.logpdf(t, 2, 1)
        # ½ p log(2p/(p+q)) + ½ q log(2q/(p+q)), written with logaddexp to stay finite in the tails.
        return 0.5 * (math.exp(log_p) * (math.log(2) - np.logaddexp(0, log_q - log_p))
                      + math.exp(log_q) * (math.log(2) - np.logaddexp(0, log_p - log_q)))

    reference, error = integrate.quad(integrand, -np.inf, np.inf, epsabs=1e-13, epsrel=1e-13)
    assert error < 1e-10
    p, q = Normal(0, 1).pdf(X), Normal(2, 1).pdf(X)
    assert abs(theory.jsd(p, q, X) - reference) < 1e-6
    assert abs(theory.jsd(p, q, X) - reference) < 1e-12    # what the trapezoid rule really achieves


def test_kl_of_normals_equals_the_closed_form() -> None:
    for mu1, s1, mu2, s2 in [(0, 1, 2, 1), (-1, 0.5, 1, 2), (3, 2.5, -2, 0.3), (0, 0.05, 0.1, 0.07)]:
        closed = math.log(s2 / s1) + (s1 ** 2 + (mu1 - mu2) ** 2) / (2 * s2 ** 2) - 0.5
        a, b = theory.density_on_grid(Normal(mu1, s1), X), theory.density_on_grid(Normal(mu2, s2), X)
        assert theory.kl_from_log(a.log_values, b.log_values, X) == pytest.approx(closed, rel=1e-9)
        if np.any((a.values > 0.0) & (b.values == 0.0)):
            # b underflowed to 0 where a did not: from the densities alone KL looks infinite.
            assert theory.kl(a.values, b.values, X) == math.inf
        else:
            assert theory.kl(a.values, b.values, X) == pytest.approx(closed, rel=1e-9)


def test_wasserstein_matches_known_values() -> None:
    # A translation by δ moves every unit of mass by δ; equal means, different σ: |σ1 − σ2|·E|Z|.
    assert theory.wasserstein1(on_grid(Normal(0, 1)), on_grid(Normal(3, 1)), X) == pytest.approx(3.0, abs=1e-6)
    assert theory.wasserstein1(on_grid(Normal(0, 1)), on_grid(Normal(0, 2)), X) == pytest.approx(
        math.sqrt(2 / math.pi), abs=1e-5)
    assert theory.wasserstein1(on_grid(Uniform(-3, -1)), on_grid(Uniform(1, 3)), X) == pytest.approx(4.0, abs=1e-3)


# ---- the paper's identities -----------------------------------------------------------------

def test_value_at_the_optimal_discriminator_is_minus_log4_plus_twice_jsd() -> None:
    for p, q in random_pairs(120, seed=1):
        value = theory.value_function(theory.optimal_discriminator(p, q), p, q, X)
        assert value == pytest.approx(-LOG4 + 2 * theory.jsd(p, q, X), abs=1e-9)


def test_perturbing_the_optimal_discriminator_never_raises_the_value() -> None:
    rng = np.random.default_rng(2)
    for p, q in random_pairs(40, seed=3):
        d_star = theory.optimal_discriminator(p, q)
        best = theory.value_function(d_star, p, q, X)
        for scale in (1e-4, 0.01, 0.2):
            perturbed = np.clip(d_star + rng.normal(0, scale, X.shape), 0.0, 1.0)
            assert theory.value_function(perturbed, p, q, X) <= best + 1e-12


def test_a_logistic_discriminator_never_beats_d_star() -> None:
    p, q = on_grid(Normal(0, 1)), on_grid(Normal(2, 1))
    best = theory.value_function(theory.optimal_discriminator(p, q), p, q, X)
    for slope in np.linspace(-6, 6, 13):
        for offset in np.linspace(-10, 10, 11):
            logit, _ = theory.logistic_discriminator(X, slope, offset)
            assert theory.value_function_logit(logit, p, q, X) <= best + 1e-12
    # Here D* is itself logistic, σ(−2x + 2), so that choice attains the optimum.
    logit, _ = theory.logistic_discriminator(X, -2.0, 2.0)
    assert theory.value_function_logit(logit, p, q, X) == pytest.approx(best, abs=1e-12)


def test_value_from_logits_agrees_with_probabilities_and_stays_finite() -> None:
    p, q = on_grid(Normal(0, 1)), on_grid(Laplace(1, 0.5))
    logit, probability = theory.logistic_discriminator(X, 0.7, -0.3)
    assert theory.value_function_logit(logit, p, q, X) == pytest.approx(
        theory.value_function(probability, p, q, X), abs=1e-12)
    steep, _ = theory.logistic_discriminator(X, 200.0, 0.0)    # D rounds to 0 and 1 in float64
    assert math.isfinite(theory.value_function_logit(steep, p, q, X))


def test_pointwise_integrand_peaks_at_d_star() -> None:
    y = np.linspace(1e-4, 1 - 1e-4, 99_999)
    for p_x, q_x in [(0.3, 0.1), (0.05, 0.4), (0.2, 0.2)]:
        peak = y[np.argmax(theory.pointwise_value(y, p_x, q_x))]
        assert peak == pytest.approx(p_x / (p_x + q_x), abs=1e-4)


# ---- properties of the divergences -----------------------------------------------------------

def test_jsd_is_symmetric_bounded_and_zero_only_for_equal_densities() -> None:
    for p, q in random_pairs(80, seed=4):
        forward, backward = theory.jsd(p, q, X), theory.jsd(q, p, X)
        assert forward == backward
        assert 0.0 <= forward <= math.log(2)
        assert theory.jsd(p, p, X) == 0.0
        if not np.allclose(p, q):
            assert forward > 0.0
    slightly = theory.jsd(on_grid(Normal(0, 1)), on_grid(Normal(1e-3, 1)), X)
    assert 0.0 < slightly < 1e-6


@pytest.mark.parametrize("p, q", [(Uniform(-3, -1), Uniform(1, 3)), (Normal(-5, 0.05), Normal(5, 0.05)),
                                  (Uniform(-1, 0), Gamma(1.0, 0.3, 0.5))])
def test_disjoint_supports_give_log2_and_a_finite_value(p: Distribution1D, q: Distribution1D) -> None:
    p, q = on_grid(p), on_grid(q)
    assert theory.jsd(p, q, X) == pytest.approx(math.log(2), abs=1e-15)
    d_star = theory.optimal_discriminator(p, q)
    assert np.isnan(d_star).any()                        # between the supports D* is undefined
    assert set(np.unique(d_star[~np.isnan(d_star)])) <= {0.0, 1.0}
    assert theory.value_function(d_star, p, q, X) == pytest.approx(0.0, abs=1e-12)


def test_kl_is_nonnegative_asymmetric_and_infinite_off_the_support() -> None:
    for p, q in random_pairs(60, seed=5):
        assert theory.kl(p, q, X) >= 0.0 and theory.kl(q, p, X) >= 0.0
    data = theory.density_on_grid(Mixture([Normal(-2, 0.5), Normal(2, 0.5)]), X)
    one_mode = theory.density_on_grid(Normal(2, 0.5), X)
    forward = theory.kl_from_log(data.log_values, one_mode.log_values, X)
    backward = theory.kl_from_log(one_mode.log_values, data.log_values, X)
    # Forward KL punishes the dropped mode hard; reverse KL barely: about ln 2 (less the modes' overlap).
    assert forward > 10.0 and backward == pytest.approx(math.log(2), abs=1e-3)
    assert theory.kl(on_grid(Uniform(0, 2)), on_grid(Uniform(0, 1)), X) == math.inf


# ---- degenerate input -----------------------------------------------------------------------

def test_a_too_narrow_density_is_widened_and_reported() -> None:
    narrow = theory.density_on_grid(Normal(0.0, 1e-6), X)
    assert narrow.widened_from == 1e-6
    assert narrow.distribution.scale == pytest.approx(theory.MIN_POINTS_PER_SCALE * (X[1] - X[0]))
    assert np.trapezoid(narrow.values, X) == pytest.approx(1.0, abs=1e-12)
    assert theory.density_on_grid(Normal(0.0, 1.0), X).widened_from is None


def test_mass_outside_the_grid_is_reported_and_renormalised() -> None:
    cut = theory.density_on_grid(Normal(19.0, 1.0), X)
    assert cut.mass_on_grid == pytest.approx(stats.norm.cdf(1.0), abs=1e-5)
    assert np.trapezoid(cut.values, X) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("call, words", [
    (lambda: theory.jsd(np.zeros_like(X), Normal().pdf(X), X), "zero everywhere"),
    (lambda: theory.jsd(-Normal().pdf(X), Normal().pdf(X), X), "≥ 0"),
    (lambda: theory.kl(np.full(X.shape, np.nan), Normal().pdf(X), X), "finite"),
    (lambda: theory.jsd(Normal().pdf(X)[:10], Normal().pdf(X), X), "shape"),
    (lambda: theory.jsd(np.ones(3), np.ones(3), np.array([0.0, 2.0, 1.0])), "increasing"),
    (lambda: theory.value_function(np.full(X.shape, 1.5), Normal().pdf(X), Normal().pdf(X), X), "[0, 1]"),
    (lambda: theory.density_on_grid(Normal(100.0, 0.5), X), "outside the grid"),
    (lambda: theory.kl_from_log(np.full(X.shape, -np.inf), np.zeros(X.shape), X), "-inf everywhere"),
    (lambda: theory.generator_loss_curves(np.array([0.0, 0.5])), "strictly between 0 and 1"),
    (lambda: theory_model.build_distribution({"family": "cauchy"}), "Unknown family"),
    (lambda: theory_model.build_distribution({"family": "normal", "mu": 0.0}), "sigma"),
])
def test_bad_input_raises_one_clear_config_error(call, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        call()
    assert words in str(caught.value)


def test_all_zero_mixture_weights_fall_back_to_equal_weights_with_a_note() -> None:
    spec = theory_model.preset_spec("one_mode", "data") | {"w1": 0.0, "w2": 0.0}
    mixture, notes = theory_model.build_distribution(spec)
    assert notes == ("equal_weights",) and mixture.weights == (0.5, 0.5)


def test_a_zero_width_uniform_is_widened_not_rejected() -> None:
    spec = {"family": "uniform", "low": 1.0, "high": 1.0}
    result = theory_model.compare(theory_model.build_distribution(spec)[0], Normal(0, 1))
    assert result.p_data.widened_from is not None
    assert all(math.isfinite(v) for v in (result.jsd, result.kl_data_g, result.value_optimal, result.w1))


@pytest.mark.parametrize("name", list(theory_model.PRESETS))
def test_every_preset_gives_finite_consistent_numbers(name: str) -> None:
    data, _ = theory_model.build_distribution(theory_model.preset_spec(name, "data"))
    gen, _ = theory_model.build_distribution(theory_model.preset_spec(name, "g"))
    result = theory_model.compare(data, gen)
    assert result.value_optimal == pytest.approx(result.value_identity, abs=1e-9)
    assert fmt(result.value_optimal) == fmt(result.value_identity)   # as the page prints them (-0 shown as 0)
    assert np.all(np.isfinite(result.p_data.values)) and np.all(np.isfinite(result.p_g.values))
    expected_jsd = {"equal": 0.0, "disjoint": math.log(2), "shifted": 0.3368308203}
    if name in expected_jsd:
        assert result.jsd == pytest.approx(expected_jsd[name], abs=1e-9)


# ---- the sweep, the generator losses, equilibrium and Figure 1 ---------------------------------

def test_jsd_saturates_while_w1_keeps_growing_with_the_shift() -> None:
    sweep = theory_model.divergence_vs_shift(Normal(0, 1), Mixture([Normal(-1, 0.3), Normal(1, 0.3)]), max_shift=12.0)
    assert sweep.shift[0] == 0.0 and sweep.shift[-1] == pytest.approx(12.0, abs=0.01)
    assert np.all(np.diff(sweep.w1[5:]) > 0)
    np.testing.assert_allclose(sweep.w1[-10:], sweep.w1[-11] + (sweep.shift[-10:] - sweep.shift[-11]), atol=1e-6)
    assert sweep.jsd[-1] == pytest.approx(math.log(2), abs=1e-9)
    assert np.all(np.diff(sweep.jsd[-10:]) < 1e-9)         # flat: no signal left for the generator


def test_generator_loss_gradients_match_finite_differences() -> None:
    d = np.linspace(0.01, 0.99, 99)
    curves = theory.generator_loss_curves(d)
    np.testing.assert_allclose(curves.minimax, np.log(1 - d))
    np.testing.assert_allclose(curves.nonsaturating, -np.log(d))
    logit, h = np.log(d / (1 - d)), 1e-6
    up, down = 1 / (1 + np.exp(-(logit + h))), 1 / (1 + np.exp(-(logit - h)))
    np.testing.assert_allclose(curves.grad_minimax, (np.log1p(-up) - np.log1p(-down)) / (2 * h), atol=1e-6)
    np.testing.assert_allclose(curves.grad_nonsaturating, (-np.log(up) + np.log(down)) / (2 * h), atol=1e-6)
    flat = d < theory.MINIMAX_FLAT_BELOW
    assert flat.sum() >= 9
    assert np.all(np.abs(curves.grad_minimax[flat]) <= 0.1) and np.all(np.abs(curves.grad_nonsaturating[flat]) >= 0.9)


def test_equilibrium_reference_values() -> None:
    eq = theory.equilibrium(on_grid(Mixture([Normal(-2, 0.5), Laplace(2, 0.7)])), X)
    assert eq.d == 0.5
    assert eq.value == pytest.approx(-LOG4, abs=1e-12)
    assert eq.bce_per_term == pytest.approx(0.693147, abs=1e-6)
    assert eq.mse_per_term == 0.25


def test_figure1_generator_converges_and_d_becomes_one_half() -> None:
    run = theory_figure1.figure1_run()
    panels = {name: run.panel(name) for name in "abcd"}
    start = panels["a"]
    assert (start.mu, start.sigma) == (panels["b"].mu, panels["b"].sigma)
    d_star = theory.optimal_discriminator(run.p_data, start.p_g)
    np.testing.assert_allclose(panels["b"].d, d_star, atol=1e-9)                 # (b): D = D*
    assert np.max(np.abs(panels["a"].d - d_star)) > 0.1                           # (a): only partly trained
    assert abs(panels["c"].mu - 1.0) < abs(start.mu - 1.0)                        # (c): G moved towards data
    final = panels["d"]
    assert final.mu == pytest.approx(1.0, abs=1e-3) and final.sigma == pytest.approx(0.5, abs=1e-3)
    assert np.max(np.abs(final.d - 0.5)) < 0.01
    divergences = [theory.jsd(run.p_data, frame.p_g, run.x) for frame in run.frames[1:]]
    assert np.all(np.diff(divergences) <= 1e-12)
    assert np.all(np.diff(final.g_z) > 0) and np.all((run.z > 0) & (run.z < 1))


def test_comparison_at_a_point() -> None:
    result = theory_model.compare(Normal(0, 1), Normal(2, 1))
    p_at, q_at, d_at = result.at(1.0)
    assert p_at == pytest.approx(stats.norm.pdf(1.0), rel=1e-6) and d_at == pytest.approx(0.5, abs=1e-9)
    assert math.isnan(theory_model.compare(Uniform(-3, -1), Uniform(1, 3)).at(0.0)[2])
