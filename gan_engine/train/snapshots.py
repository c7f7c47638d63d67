"""What a training run shows the pages at each snapshot, and the metrics computed from it.

Every snapshot is drawn from the same fixed noise, made once per run from its own seeded
generator, so consecutive snapshots are comparable and observing a run never changes its
training noise. Models are evaluated in eval mode (batch-norm running statistics), as the
Gallery later uses them.

Arrays (float32 unless stated), per the interface in docs/CONTRACTS.md:

- 1-D: `x` (N,) grid; `p_data` (N,); `p_g` (N,) a KDE of 10,000 generated samples; `d` (N,)
  D(x) as a probability; `d_star` (N,) = p_data / (p_data + p_g), NaN where both are ~0;
  `z` (M,) latent values (first coordinate varied, the others 0) and `g_z` (M,) = G(z).
- 2-D: `samples` (2500, 2); `grid_x` (A,), `grid_y` (B,); `d` (B, A) D as a probability;
  `grad_points` (Q, 2) and `grad` (Q, 2) = -∂L_G/∂x, the direction the generator's loss
  pushes each generated point (gradient of the summed, not averaged, loss).
- images: `images` uint8 (n, H, W) or (n, H, W, 3); conditional runs add `labels` int64 (n,),
  one column per digit. An image run given a judge (`loop.train(judge=...)`) records what it
  returns as the snapshot's metrics: it draws its own samples, many more than the n shown.

A packed discriminator (PacGAN) judges `pack` samples at once; to draw it as a function of
one point, each point is shown to it as a pack of `pack` copies of itself.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from torch import nn

from gan_engine.train import metrics
from gan_engine.config import RunConfig
from gan_engine.theory.distributions import toy_target
from gan_engine.theory.divergences import optimal_discriminator
from gan_engine.train.losses import discriminator_probability, generator_loss

SAMPLES_1D = 10_000
SAMPLES_2D = 2_500
LATENT_GRID = 101
LATENT_RANGE = 3.0          # the latent grid spans ±3 standard deviations of the prior
FIELD_GRID = 64             # D is drawn on a FIELD_GRID x FIELD_GRID grid of the plane
GRAD_POINTS = 256
IMAGES_CONDITIONAL = 100    # 10 per digit
IMAGES_PLAIN = 64
NOISE_SEED_OFFSET = 7919    # snapshot noise is seeded apart from the training noise


class Observer:
    """Fixed inputs for a run's snapshots, and the function that takes one."""

    def __init__(self, config: RunConfig, device: torch.device,
                 judge: Callable[[nn.Module, bool], dict[str, float]] | None = None) -> None:
        self.config, self.device, self.judge = config, device, judge
        self.pack = config.pack
        self.latest_metrics: dict[str, float] = {}
        rng = torch.Generator().manual_seed(config.seed + NOISE_SEED_OFFSET)   # CPU: same noise on any device
        self.labels: torch.Tensor | None = None
        if config.is_toy:
            self.target = toy_target(config.target)
            count = SAMPLES_1D if config.data_dim == 1 else SAMPLES_2D
        else:
            self.target = None
            count = IMAGES_CONDITIONAL if config.conditional else IMAGES_PLAIN
            if config.conditional:
                self.labels = (torch.arange(count) % 10).to(device)
        self.noise = torch.randn(count, config.latent_dim, generator=rng).to(device)   # (n, latent_dim)
        if config.data_dim == 1:
            self.x = metrics.grid_1d(self.target)                                       # (N,) float64
            self.p_data = self.target.pdf(self.x)
            z = torch.zeros(LATENT_GRID, config.latent_dim)
            z[:, 0] = torch.linspace(-LATENT_RANGE, LATENT_RANGE, LATENT_GRID)
            self.latent_grid = z.to(device)                                             # (M, latent_dim)
        elif config.data_dim == 2:
            centers = self.target.centers
            margin = 0.25 * float(np.ptp(centers)) + 6.0 * self.target.sigma
            self.grid_x = np.linspace(centers[:, 0].min() - margin, centers[:, 0].max() + margin, FIELD_GRID)
            self.grid_y = np.linspace(centers[:, 1].min() - margin, centers[:, 1].max() + margin, FIELD_GRID)

    def snapshot(self, iteration: int, generator: nn.Module, discriminator: nn.Module, callbacks,
                 final: bool = False) -> dict:
        """Compute the arrays and metrics at `iteration`, pass them to `callbacks`, return the arrays.

        `final` marks the run's last snapshot (a judge scores more samples there).
        """
        modes = generator.training, discriminator.training
        generator.eval()
        discriminator.eval()
        try:
            if self.config.data_dim == 1:
                arrays, values = self._one_d(generator, discriminator)
            elif self.config.data_dim == 2:
                arrays, values = self._two_d(generator, discriminator)
            else:
                arrays, values = self._images(generator)
                if self.judge is not None:
                    values = {**values, **self.judge(generator, final)}
        finally:
            generator.train(modes[0])
            discriminator.train(modes[1])
        self.latest_metrics = values
        callbacks.on_snapshot(iteration, arrays)
        if values:
            callbacks.on_metrics(iteration, dict(values))
        return arrays

    def _point_probability(self, discriminator: nn.Module, points: torch.Tensor) -> torch.Tensor:
        """D as a probability at each point (P, d): each point judged as a pack of copies of itself."""
        logits = discriminator(points.repeat_interleave(self.pack, dim=0))               # (P,)
        return discriminator_probability(logits, self.config.loss)

    @torch.no_grad()
    def _one_d(self, generator: nn.Module, discriminator: nn.Module) -> tuple[dict, dict]:
        samples = generator(self.noise).squeeze(1).double().cpu().numpy()                # (10000,)
        p_g, off_grid = metrics.estimate_pg(samples, self.target, self.x)
        x_t = torch.from_numpy(self.x).float().to(self.device).unsqueeze(1)              # (N, 1)
        d = self._point_probability(discriminator, x_t).cpu().numpy()
        d_star = optimal_discriminator(self.p_data, p_g).astype(self.p_data.dtype)
        g_z = generator(self.latent_grid).squeeze(1).cpu().numpy()
        arrays = {"x": self.x, "p_data": self.p_data, "p_g": p_g, "d": d, "d_star": d_star,
                  "z": self.latent_grid[:, 0].cpu().numpy(), "g_z": g_z}
        values = {"jsd": metrics.jsd_on_grid(self.p_data, p_g, self.x, off_grid)}
        for metric in metrics.metrics_for("1d"):
            if metric.name != "jsd":   # computed above on the snapshot's own KDE
                values.update(metric.compute(samples, self.target))
        return {name: np.asarray(value, dtype=np.float32) for name, value in arrays.items()}, values

    def _two_d(self, generator: nn.Module, discriminator: nn.Module) -> tuple[dict, dict]:
        with torch.no_grad():
            samples = generator(self.noise)                                              # (2500, 2)
            gx, gy = np.meshgrid(self.grid_x, self.grid_y, indexing="xy")                # (B, A) each
            plane = torch.from_numpy(np.stack([gx.ravel(), gy.ravel()], axis=1)).float().to(self.device)
            d = self._point_probability(discriminator, plane).view(len(self.grid_y), len(self.grid_x))
        count = self.pack * (GRAD_POINTS // self.pack)
        points = samples[:count].detach().clone().requires_grad_(True)                  # (Q, 2)
        loss = generator_loss(discriminator(points), self.config.loss) * (count // self.pack)
        (grad,) = torch.autograd.grad(loss, points)
        samples_np = samples.cpu().numpy()
        arrays = {"samples": samples_np, "grid_x": self.grid_x, "grid_y": self.grid_y, "d": d.cpu().numpy(),
                  "grad_points": points.detach().cpu().numpy(), "grad": (-grad).cpu().numpy()}
        values = metrics.evaluate("2d", samples_np, self.target)
        return {name: np.asarray(value, dtype=np.float32) for name, value in arrays.items()}, values

    @torch.no_grad()
    def _images(self, generator: nn.Module) -> tuple[dict, dict]:
        images = generator(self.noise, self.labels) if self.labels is not None else generator(self.noise)
        images = images.float().clamp(0.0, 1.0).cpu()                                     # (n, C, H, W)
        images = images[:, 0] if images.shape[1] == 1 else images.permute(0, 2, 3, 1)    # (n, H, W[, 3])
        arrays = {"images": (images * 255.0).round().to(torch.uint8).numpy()}
        labels = None
        if self.labels is not None:
            labels = self.labels.cpu().numpy()
            arrays["labels"] = labels
        values = metrics.evaluate("images", images.numpy(), labels) if metrics.metrics_for("images") else {}
        return arrays, values
