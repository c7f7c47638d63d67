"""GAN losses, all computed from the discriminator's logits (its raw scores).

With D(x) = sigmoid(s(x)) for a logit s, the cross-entropy terms are softplus functions of
the logit, which never overflow or take log(0):

    -log D(x)      = softplus(-s)        -log(1 - D(x)) = softplus(s)

- "minimax": the paper's game. D minimises -[log D(x) + log(1 - D(G(z)))]; G minimises
  log(1 - D(G(z))) = -softplus(s), which saturates (its gradient vanishes) while D easily
  rejects the fakes, early in training.
- "nonsaturating": same D loss; G minimises -log D(G(z)) = softplus(-s), the paper's own
  suggested fix and the notebooks' practice (fakes labelled "real" in a BCE loss).
- "lsgan": least squares (Mao et al. 2017) on the raw score: D minimises
  ½[(s(x) - 1)² + s(G(z))²], G minimises ½(s(G(z)) - 1)². Here the score itself plays the
  role of a probability (its optimum is p_data / (p_data + p_g), like D*), so it is shown
  clamped to [0, 1] rather than through a sigmoid.

One-sided label smoothing (Salimans et al. 2016, seed text 003): the real target becomes
1 - label_smoothing (0.9 for 0.1); the fake target stays 0, so D is never pushed to
reward a region where only fakes are.

The discriminator loss is the sum of a mean over real samples and a mean over fakes, as in
the seed's d_loss = d_loss_real + d_loss_fake; at the equilibrium D = ½ everywhere it is
2·log 2 ≈ 1.386 for the cross-entropy losses and 0.25 for lsgan.

Losses are computed in float32 (or float64 when given it) whatever the logits' precision,
so a bfloat16 forward pass does not round the loss.
"""

from __future__ import annotations

import torch
from torch.nn import functional as F

from gan_engine.config import LOSSES
from gan_engine.errors import ConfigError


def _check(kind: str) -> None:
    if kind not in LOSSES:
        raise ConfigError(f"Unknown loss {kind!r}: choose one of {', '.join(LOSSES)}.")


def _wide(logits: torch.Tensor) -> torch.Tensor:
    """Half-precision logits as float32; float32 and float64 unchanged."""
    return logits.float() if logits.dtype in (torch.bfloat16, torch.float16) else logits


def discriminator_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor, kind: str,
                       label_smoothing: float = 0.0) -> torch.Tensor:
    """The discriminator's loss (a scalar, nats for the cross-entropy kinds).

    real_logits: (B,) scores of real samples; fake_logits: (B',) scores of generated ones.
    """
    _check(kind)
    if not 0.0 <= label_smoothing < 1.0:
        raise ConfigError(f"label_smoothing must be in [0, 1); got {label_smoothing!r}.")
    real_logits, fake_logits = _wide(real_logits), _wide(fake_logits)
    real_target = 1.0 - label_smoothing
    if kind == "lsgan":
        return 0.5 * ((real_logits - real_target).pow(2).mean() + fake_logits.pow(2).mean())
    # cross-entropy with target t: t·softplus(-s) + (1 - t)·softplus(s)
    real_term = real_target * F.softplus(-real_logits) + label_smoothing * F.softplus(real_logits)
    return real_term.mean() + F.softplus(fake_logits).mean()


def generator_loss(fake_logits: torch.Tensor, kind: str) -> torch.Tensor:
    """The generator's loss (a scalar) from the discriminator's scores of its samples (B,)."""
    _check(kind)
    fake_logits = _wide(fake_logits)
    if kind == "minimax":
        return -F.softplus(fake_logits).mean()        # log(1 - D(G(z))): to be minimised
    if kind == "nonsaturating":
        return F.softplus(-fake_logits).mean()        # -log D(G(z))
    return 0.5 * (fake_logits - 1.0).pow(2).mean()


def discriminator_probability(logits: torch.Tensor, kind: str) -> torch.Tensor:
    """What D's scores mean as "probability real", same shape: sigmoid, or clamp for lsgan."""
    _check(kind)
    logits = _wide(logits)
    return logits.clamp(0.0, 1.0) if kind == "lsgan" else torch.sigmoid(logits)


def r1_penalty(real: torch.Tensor, real_logits: torch.Tensor, gamma: float) -> torch.Tensor:
    """R1 (Mescheder et al. 2018): γ/2 · E‖∇_x D(x)‖² over real x, averaged per logit (pack).

    `real` (m, ...) must require grad and `real_logits` (m / pack,) come from it. Flattening
    D's slopes at the data stops the players circling the equilibrium, so the generator
    settles on the modes instead of orbiting them. The graph is kept for D's backward pass.
    """
    (slopes,) = torch.autograd.grad(_wide(real_logits).sum(), real, create_graph=True)   # (m, ...)
    return 0.5 * gamma * slopes.float().pow(2).sum() / real_logits.shape[0]


def mode_seeking_penalty(z: torch.Tensor, fake: torch.Tensor, weight: float) -> torch.Tensor:
    """MSGAN (Mao et al. 2019): `weight` / (mean over pairs of |G(z1) - G(z2)| / |z1 - z2|).

    Samples 2i and 2i + 1 of `fake` (m, ...) and `z` (m, latent) form the pairs (of one digit in
    a conditional run). A generator that draws different z alike, which a classifier's reward
    invites (every "2" its most recognisable one), has a small ratio and a large penalty.
    """
    drawn = (fake[0::2].float() - fake[1::2].float()).abs().flatten(1).mean(1)           # (m / 2,)
    apart = (z[0::2] - z[1::2]).abs().mean(1)                                            # (m / 2,)
    return weight / ((drawn / apart).mean() + 1e-5)
