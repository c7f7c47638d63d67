"""The Training page's settings as data: each widget's domain, and the table that ties a
widget key (also its URL query parameter) to the `RunConfig` field it sets.

Nothing here draws or reads a widget: `settings` draws them from these domains, `url`
checks a hand-edited link against them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gan_engine.config import LOSSES, OPTIMIZERS, PRESETS

PRESET_KEY = "train_preset"


def _with_presets(grid: tuple[float, ...], *names: str) -> tuple[Any, ...]:
    """A widget's option grid plus every preset's own value, so each preset's default is offered."""
    return tuple(sorted(set(grid) | {getattr(p, name) for p in PRESETS.values() for name in names}))


LR_OPTIONS = _with_presets((1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 1e-1),
                           "lr_d", "lr_g")
BATCH_OPTIONS = _with_presets((1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024), "batch_size")
LATENT_OPTIONS = _with_presets((1, 2, 4, 8, 16, 32, 64, 100, 128, 256), "latent_dim")
K_RANGE = (1, max(20, *(p.k for p in PRESETS.values())))
ITERATION_RANGE = (10, 1_000_000)
SMOOTHING_RANGE = (0.0, 0.3)
SMOOTHING_STEP = 0.05
SEED_RANGE = (0, 2**31 - 1)


def format_lr(value: float) -> str:
    """Compact, exact scientific form, also the value's spelling in the URL: 0.001 -> "1e-3"."""
    mantissa, exponent = f"{value:e}".split("e")
    return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"


@dataclass(frozen=True)
class Field:
    """One configuration widget: its key (= URL parameter), RunConfig field and domain."""

    key: str
    name: str
    low: float | None = None
    high: float | None = None
    options: tuple[Any, ...] | None = None
    integer: bool = False


FIELDS: tuple[Field, ...] = (
    Field("train_k", "k", *K_RANGE, integer=True),
    Field("train_lr_d", "lr_d", options=LR_OPTIONS),
    Field("train_lr_g", "lr_g", options=LR_OPTIONS),
    Field("train_batch", "batch_size", options=BATCH_OPTIONS),
    Field("train_iterations", "iterations", *ITERATION_RANGE, integer=True),
    Field("train_loss", "loss", options=LOSSES),
    Field("train_smoothing", "label_smoothing", *SMOOTHING_RANGE),
    Field("train_optimizer", "optimizer", options=OPTIMIZERS),
    Field("train_latent", "latent_dim", options=LATENT_OPTIONS),
    Field("train_seed", "seed", *SEED_RANGE, integer=True),
)
