"""Figure 1 of Goodfellow et al. (2014), computed: a 1-D Gaussian generator trained against D*.

`figure1_run` plays the paper's game on a small grid of its own, one round being "D ← D*,
one generator step", and keeps every round as a frame: the figure's four panels (a)-(d)
and the rounds between them, which the page steps through.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gan_engine.errors import ConfigError
from gan_engine.theory.divergences import cdf_rows


@dataclass(frozen=True)
class Figure1Frame:
    """One moment of the game: generator N(mu, sigma²) and discriminator D on the grid.

    `panel` is "a"-"d" for the paper's four panels, "" for the rounds between; `rounds` counts
    generator updates so far; p_g, d (N,) on the run's grid; g_z (M,) = G(z) for the run's z.
    """

    panel: str
    rounds: int
    mu: float
    sigma: float
    p_g: np.ndarray
    d: np.ndarray
    g_z: np.ndarray


@dataclass(frozen=True)
class Figure1Run:
    """The simulation: grid x (N,), p_data (N,), latent values z (M,) in (0, 1) and the frames."""

    x: np.ndarray
    p_data: np.ndarray
    z: np.ndarray
    frames: tuple[Figure1Frame, ...]

    def panel(self, name: str) -> Figure1Frame:
        """The frame shown as the paper's panel `name` ("a", "b", "c" or "d")."""
        return next(frame for frame in self.frames if frame.panel == name)


def _normal_log_pdf(x: np.ndarray, mu: float, sigma: float) -> np.ndarray:
    return -0.5 * ((x - mu) / sigma) ** 2 - math.log(sigma) - 0.5 * math.log(2.0 * math.pi)


def _standard_normal_quantile(u: np.ndarray) -> np.ndarray:
    """Φ⁻¹(u) for u (M,) in (0, 1), by inverting the tabulated normal CDF (no SciPy at run time)."""
    t = np.linspace(-9.0, 9.0, 18001)
    cdf = cdf_rows(np.exp(_normal_log_pdf(t, 0.0, 1.0)), t)
    return np.interp(u, cdf / cdf[-1], t)


def figure1_run(data_mu: float = 1.0, data_sigma: float = 0.5, start_mu: float = -0.4,
                start_sigma: float = 0.9, rounds: int = 30, learning_rate: float = 0.15,
                lines: int = 15, x_range: tuple[float, float] = (-3.0, 4.0), points: int = 701) -> Figure1Run:
    """Recreate Figure 1: a 1-D generator G(z) = mu + sigma·Φ⁻¹(z), z ~ U(0, 1), trained against D*.

    Panels: (a) the start, with D after three steps of gradient ascent on V from D = 1/2
    (a partially accurate classifier); (b) D converged to D*; (c) after one generator update,
    G(z) has moved where D* is higher; (d) after `rounds` rounds of "D ← D*, one generator
    step", p_g ≈ p_data and D ≈ 1/2. The generator step descends the non-saturating loss
    E_z[−log D(G(z))] in (mu, log sigma) with D held fixed; its gradient is taken by
    Gauss-Hermite quadrature over z using the closed-form slope of D*'s logit.
    """
    if data_sigma <= 0.0 or start_sigma <= 0.0 or rounds < 2 or lines < 2 or points < 10:
        raise ConfigError("Figure 1 needs positive sigmas, at least 2 rounds, 2 lines and 10 points.")
    x = np.linspace(*x_range, points)
    log_p = _normal_log_pdf(x, data_mu, data_sigma)
    z = (np.arange(lines) + 0.5) / lines
    z_normal = _standard_normal_quantile(z)
    nodes, node_weights = np.polynomial.hermite_e.hermegauss(40)
    node_weights = node_weights / node_weights.sum()          # expectation over N(0, 1)

    def frame(panel: str, done: int, mu: float, sigma: float, logit: np.ndarray) -> Figure1Frame:
        return Figure1Frame(panel, done, mu, sigma, np.exp(_normal_log_pdf(x, mu, sigma)),
                            1.0 / (1.0 + np.exp(-logit)), mu + sigma * z_normal)

    def generator_step(mu: float, sigma: float) -> tuple[float, float]:
        # D = D* of the current generator is frozen: logit(x) = log p_data − log p_g, whose
        # slope is linear in x; ∂(−log D)/∂x = −(1 − D)·slope.
        g = mu + sigma * nodes
        logit = _normal_log_pdf(g, data_mu, data_sigma) - _normal_log_pdf(g, mu, sigma)
        slope = -(g - data_mu) / data_sigma ** 2 + (g - mu) / sigma ** 2
        pull = -(1.0 - 1.0 / (1.0 + np.exp(-logit))) * slope       # ∂loss/∂x at each node
        grad_mu = float(pull @ node_weights)
        grad_log_sigma = float((pull * nodes) @ node_weights) * sigma
        return mu - learning_rate * grad_mu, sigma * math.exp(-learning_rate * grad_log_sigma)

    mu, sigma = start_mu, start_sigma
    p, q = np.exp(log_p), np.exp(_normal_log_pdf(x, mu, sigma))
    partial = np.zeros(points)
    for _ in range(3):   # functional gradient ascent on V: ∂V/∂logit = p − (p + q)·D
        partial += 1.5 * (p - (p + q) / (1.0 + np.exp(-partial)))
    d_star_logit = log_p - _normal_log_pdf(x, mu, sigma)
    frames = [frame("a", 0, mu, sigma, partial), frame("b", 0, mu, sigma, d_star_logit)]
    mu, sigma = generator_step(mu, sigma)
    frames.append(frame("c", 1, mu, sigma, d_star_logit))
    for done in range(1, rounds):
        logit = log_p - _normal_log_pdf(x, mu, sigma)
        frames.append(frame("", done, mu, sigma, logit))
        mu, sigma = generator_step(mu, sigma)
    frames.append(frame("d", rounds, mu, sigma, log_p - _normal_log_pdf(x, mu, sigma)))
    return Figure1Run(x, p, z, tuple(frames))
