"""What the Lab page draws after every step, computed from a `LabGame` (plain arrays out).

Every view uses the game's fixed view noise and fixed real samples (drawn once per game),
so two consecutive views differ only by what the step changed.

- Both: the live numbers of the model overview (mean D(x), mean D(G(z)), both losses, on
  the view samples and the current weights); generated and real samples; the direction
  each generated sample is pushed by G's gradient, -∂L_G/∂x (gradient of the summed loss).
- 1-D: p_data and a KDE of p_g on the Training page's grid (`gan_engine.train.metrics`),
  D(x), D*(x) = p_data / (p_data + p_g) of the current p_g
  (`gan_engine.theory.divergences.optimal_discriminator`), the distance between D and D*
  (their mean absolute difference weighted by (p_data + p_g) / 2, where the samples are),
  JSD(p_data ‖ p_g) and the z → G(z) lines of the paper's Figure 1.
- 2-D: D on a grid over the view's plane, a grid in z warped by G, and the PacGAN mode
  statistics (`gan_engine.train.metrics.mode_statistics`): modes captured (for drawn data,
  drawn points covered) and the high-quality share.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch

from gan_engine.lab.game import LabGame
from gan_engine.theory.divergences import optimal_discriminator
from gan_engine.train import metrics
from gan_engine.train.losses import discriminator_loss, discriminator_probability, generator_loss

VIEW_SAMPLES = {1: 2000, 2: 1000}    # generated samples per view
REAL_SAMPLES = {1: 2000, 2: 500}     # real samples per view (the live numbers; the 2-D scatter)
ARROWS = {1: 24, 2: 120}             # generated samples that carry a gradient arrow
GRID_1D = metrics.GRID_POINTS        # positions of the 1-D curves
FIELD = 48                           # the 2-D heatmap is FIELD x FIELD
LATENT_LINES_1D = 41                 # z -> G(z) lines
WARP_LINES, WARP_POINTS = 11, 25     # warped z grid: lines per direction, points per line
LATENT_SPAN = 2.5                    # the latent grids span ±2.5 prior standard deviations
VIEW_SEED_OFFSET = 7919              # view noise is seeded apart from the game's own


@dataclass
class LabView:
    """One step's picture. Arrays are float32 numpy; `numbers` and `metrics` plain floats.

    numbers: d_real, d_fake (mean D as a probability), loss_d, loss_g.
    Both: `fake` (S, dim), `real` (R, dim), `arrow_from` (Q, dim), `arrow` (Q, dim).
    1-D: `x` (N,), `p_data`, `p_g`, `d`, `d_star` (N,; NaN where undefined), `z` (L,), `g_z` (L,);
    metrics jsd (nats), dstar_distance.
    2-D: `grid_x` (A,), `grid_y` (B,), `d` (B, A), `warp` (2, WARP_LINES, WARP_POINTS, 2) the
    images of the z grid's horizontal then vertical lines; metrics modes_captured, modes_total,
    hq_fraction.
    """

    dim: int
    step: int
    rounds: int
    numbers: dict[str, float]
    metrics: dict[str, float]
    arrays: dict[str, np.ndarray] = field(default_factory=dict)


class ViewInputs:
    """The fixed inputs of a game's views (built once per game, a few hundred kB)."""

    def __init__(self, game: LabGame) -> None:
        target = game.target
        dim, latent = target.dim, game.latent_dim
        rng = torch.Generator().manual_seed(game.seed + VIEW_SEED_OFFSET)
        self.noise = torch.randn(VIEW_SAMPLES[dim], latent, generator=rng)                # (S, latent)
        numpy_rng = np.random.default_rng(game.seed + VIEW_SEED_OFFSET)
        self.real = torch.from_numpy(target.sample(REAL_SAMPLES[dim], numpy_rng))       # (R, dim)
        line = torch.linspace(-LATENT_SPAN, LATENT_SPAN, LATENT_LINES_1D if dim == 1 else WARP_LINES)
        if dim == 1:
            self.x = metrics.grid_1d(target.distribution, GRID_1D)                       # (N,) float64
            self.p_data = target.distribution.pdf(self.x)
            self.x_tensor = torch.from_numpy(self.x).float().unsqueeze(1)               # (N, 1)
            self.latent_line = torch.zeros(len(line), latent)
            self.latent_line[:, 0] = line                                                # first z coordinate varied
        else:
            (x0, x1), (y0, y1) = target.bounds
            self.grid_x, self.grid_y = np.linspace(x0, x1, FIELD), np.linspace(y0, y1, FIELD)
            gx, gy = np.meshgrid(self.grid_x, self.grid_y, indexing="xy")               # (B, A)
            self.plane = torch.from_numpy(np.stack([gx.ravel(), gy.ravel()], axis=1)).float()
            along = torch.linspace(-LATENT_SPAN, LATENT_SPAN, WARP_POINTS)
            grid = torch.zeros(2, len(line), WARP_POINTS, latent)                       # (2, lines, points, latent)
            grid[0, :, :, 0], grid[0, :, :, 1] = along[None, :], line[:, None]          # horizontal lines
            grid[1, :, :, 0], grid[1, :, :, 1] = line[:, None], along[None, :]          # vertical lines
            self.warp_grid = grid.reshape(-1, latent) if latent >= 2 else grid[..., :1].reshape(-1, 1)


def compute_view(game: LabGame, inputs: ViewInputs) -> LabView:
    """The picture of `game`'s current state; its quality measures go to the game's curves.

    The weights are not changed (the models run in eval mode and are put back as they were).
    """
    G, D, loss = game.G, game.D, game.settings.loss
    modes = G.training, D.training
    G.eval(), D.eval()
    try:
        with torch.no_grad():
            fake = G(inputs.noise)                                                         # (S, dim)
            real_logits, fake_logits = D(inputs.real), D(fake)
            numbers = {"d_real": float(discriminator_probability(real_logits, loss).mean()),
                       "d_fake": float(discriminator_probability(fake_logits, loss).mean()),
                       "loss_d": float(discriminator_loss(real_logits, fake_logits, loss)),
                       "loss_g": float(generator_loss(fake_logits, loss))}
        arrow_from, arrow = _gradient_arrows(D, fake[: ARROWS[game.target.dim]], loss)
        view = LabView(game.target.dim, game.steps, game.rounds, numbers, {})
        if game.target.dim == 1:
            _one_d(view, game, inputs, fake)
        else:
            _two_d(view, game, inputs, fake)
        view.arrays.update(fake=fake.numpy(), real=inputs.real.numpy(), arrow_from=arrow_from, arrow=arrow)
        view.arrays = {name: np.asarray(value, dtype=np.float32) for name, value in view.arrays.items()}
        game.record_view(view.step, view.metrics)
        return view
    finally:
        G.train(modes[0]), D.train(modes[1])


def _gradient_arrows(D: torch.nn.Module, points: torch.Tensor, loss: str) -> tuple[np.ndarray, np.ndarray]:
    """(points, -∂L_G/∂x at each): where G's loss pushes each generated sample (Q, dim) each."""
    points = points.detach().clone().requires_grad_(True)
    D.requires_grad_(False)
    try:
        total = generator_loss(D(points), loss) * len(points)     # summed: per-sample gradients
        (grad,) = torch.autograd.grad(total, points)
    finally:
        D.requires_grad_(True)
    return points.detach().numpy(), (-grad).numpy()


@torch.no_grad()
def _one_d(view: LabView, game: LabGame, inputs: ViewInputs, fake: torch.Tensor) -> None:
    distribution, loss = game.target.distribution, game.settings.loss
    samples = fake[:, 0].double().numpy()
    p_g, off_grid = metrics.estimate_pg(samples, distribution, inputs.x)
    d = discriminator_probability(game.D(inputs.x_tensor), loss).double().numpy()       # (N,)
    d_star = optimal_discriminator(inputs.p_data, p_g)
    view.metrics = {"jsd": metrics.jsd_on_grid(inputs.p_data, p_g, inputs.x, off_grid),
                    "dstar_distance": dstar_distance(d, d_star, inputs.p_data, p_g)}
    view.arrays.update(x=inputs.x, p_data=inputs.p_data, p_g=p_g, d=d, d_star=d_star,
                       z=inputs.latent_line[:, 0].numpy(), g_z=game.G(inputs.latent_line)[:, 0].numpy())


def dstar_distance(d: np.ndarray, d_star: np.ndarray, p_data: np.ndarray, p_g: np.ndarray) -> float:
    """Mean |D − D*| under the mixture (p_data + p_g) / 2, over the grid points where D* is defined.

    All arrays (N,) on one even grid. 0 when D is optimal; at most 1.
    """
    weight = 0.5 * (np.asarray(p_data) + np.asarray(p_g))
    defined = np.isfinite(d_star) & (weight > 0.0)
    if not defined.any():
        return float("nan")
    return float(np.sum(weight[defined] * np.abs(d[defined] - d_star[defined])) / np.sum(weight[defined]))


@torch.no_grad()
def _two_d(view: LabView, game: LabGame, inputs: ViewInputs, fake: torch.Tensor) -> None:
    target, loss = game.target, game.settings.loss
    d = discriminator_probability(game.D(inputs.plane), loss).view(FIELD, FIELD)         # (B, A)
    warp = game.G(inputs.warp_grid).view(2, WARP_LINES, WARP_POINTS, target.dim)
    samples = fake.double().numpy()
    stats = metrics.mode_statistics(samples, target.centers, target.distribution.sigma)
    view.metrics = {"modes_captured": stats["modes_captured"], "modes_total": float(len(target.centers)),
                    "hq_fraction": stats["hq_fraction"]}
    view.arrays.update(grid_x=inputs.grid_x, grid_y=inputs.grid_y, d=d.numpy(), warp=warp.numpy())
