"""The Gallery's controls as data: each widget key (also its URL parameter), the view that
draws it, its domain and its starting value.

The views draw their widgets from this table (`ui/gallery/views.py`) and the link reads
and writes the same table (`ui/gallery/url.py`), so a control and its parameter cannot
drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from gan_engine.judge.sampling import MAX_SEED

ALL_DIGITS = "all"       # the Samples view's digit choice for a row per digit


@dataclass(frozen=True)
class Control:
    """One Gallery widget: `kind` is "seed", "digit" (0-9; conditional generators only),
    "count" (a slider from `low` to `high`) or "choice" (one of `choices`)."""

    key: str
    view: str | None            # the view that draws it; None: every view
    kind: str
    default: int | str
    low: int = 0
    high: int = 9
    choices: tuple[str, ...] = ()


CONTROLS: dict[str, Control] = {control.key: control for control in (
    Control("gallery_seed", None, "seed", 0, 0, MAX_SEED),
    Control("gallery_digit", "sample", "digit", ALL_DIGITS, choices=(ALL_DIGITS,)),
    Control("gallery_size", "sample", "count", 10, 2, 10),
    Control("gallery_rows", "same_z", "count", 5, 1, 10),
    Control("gallery_seed_b", "interpolate", "seed", 1, 0, MAX_SEED),
    Control("gallery_steps", "interpolate", "count", 9, 3, 16),
    Control("gallery_path_digit", "interpolate", "digit", 3),
    Control("gallery_corner_tr", "corners", "seed", 1, 0, MAX_SEED),
    Control("gallery_corner_bl", "corners", "seed", 2, 0, MAX_SEED),
    Control("gallery_corner_br", "corners", "seed", 3, 0, MAX_SEED),
    Control("gallery_corner_size", "corners", "count", 7, 3, 10),
    Control("gallery_corner_method", "corners", "choice", "slerp", choices=("slerp", "lerp")),
    Control("gallery_corner_digit", "corners", "digit", 8),
    Control("gallery_morph_from", "morph", "digit", 1),
    Control("gallery_morph_to", "morph", "digit", 7),
    Control("gallery_morph_steps", "morph", "count", 9, 3, 16),
    Control("gallery_nearest_digit", "diagnostics", "digit", 2),
)}
