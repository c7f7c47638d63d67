"""What the student may change between two steps of the Lab's game, kept in range.

k and both learning rates are clamped (k to K_RANGE, learning rates to LR_RANGE: a rate of
10 is allowed, to watch a game diverge); a value that is not a number, or an unknown loss or
optimizer, keeps the previous setting. Each change is reported as a note for the page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from gan_engine.config import LOSSES, OPTIMIZERS, PRESETS

K_RANGE = (1, 20)
LR_RANGE = (1e-5, 10.0)


@dataclass(frozen=True)
class LabSettings:
    """What the student may change between steps. Learning rates per optimiser step."""

    k: int = 1
    lr_d: float = 1e-3
    lr_g: float = 1e-3
    loss: str = "nonsaturating"
    optimizer: str = "adam"


def settings_for(preset: str) -> LabSettings:
    """The preset's own k, learning rates, loss and optimiser."""
    config = PRESETS[preset]
    return LabSettings(config.k, config.lr_d, config.lr_g, config.loss, config.optimizer)


def clamp_settings(k: object, lr_d: object, lr_g: object, loss: object, optimizer: object,
                   fallback: LabSettings = LabSettings()) -> tuple[LabSettings, tuple[tuple[str, dict], ...]]:
    """Settings brought into range, and a note for each value that had to change.

    k is rounded and clamped to K_RANGE, learning rates clamped to LR_RANGE; a value that is
    not a number, or an unknown loss or optimiser, takes `fallback`'s. Notes are
    ("clamped", {name, given, used}) or ("ignored", {name, used}).
    """
    notes: list[tuple[str, dict]] = []

    def number(name: str, value: object, low: float, high: float, default: float, integer: bool) -> float:
        try:
            number = float(value)                                  # type: ignore[arg-type]
        except (TypeError, ValueError):
            number = math.nan
        if not math.isfinite(number):
            notes.append(("ignored", {"name": name, "used": default}))
            return default
        used = min(max(number, low), high)
        used = int(round(used)) if integer else used
        if used != number:
            notes.append(("clamped", {"name": name, "given": f"{number:g}", "used": f"{used:g}"}))
        return used

    result = LabSettings(
        k=int(number("k", k, *K_RANGE, fallback.k, True)),
        lr_d=number("lr_d", lr_d, *LR_RANGE, fallback.lr_d, False),
        lr_g=number("lr_g", lr_g, *LR_RANGE, fallback.lr_g, False),
        loss=loss if loss in LOSSES else fallback.loss,
        optimizer=optimizer if optimizer in OPTIMIZERS else fallback.optimizer,
    )
    for name, given, used in (("loss", loss, result.loss), ("optimizer", optimizer, result.optimizer)):
        if given != used:
            notes.append(("ignored", {"name": name, "used": used}))
    return result, tuple(notes)
