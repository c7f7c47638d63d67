"""What the Lab's game is played on: a toy preset's target, or data the student makes.

A `LabTarget` is the real distribution of one game: its dimension (1 or 2), its density
object from `gan_engine.theory.distributions` (so D* and JSD can be computed in 1-D and
modes counted in 2-D), the plane or line the views draw, and the notes that say what had to
be done to the student's input (points dropped, the count capped, a value clamped).

- Presets: the four toy targets of the Training page (gauss1d, bimodal1d, ring2d, grid2d).
- Drawn 2-D data: points on the canvas [-2, 2]², each the centre of a small normal blob
  (sigma `DRAWN_SIGMA`), so the data is a `GaussianMixture2D` and the PacGAN mode counts
  apply: "modes captured" then reads "drawn points covered".
- Composed 1-D data: a mixture of up to `MAX_COMPONENTS` normals (mean, sd, weight).

Bad input never raises past this module except as a `LabDataError` whose message (and
`message_id`, for the page's translation) says what to do.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from gan_engine.config import TOY_TARGETS
from gan_engine.errors import GanExplorerError
from gan_engine.train.metrics import grid_1d
from gan_engine.theory.distributions import Distribution1D, GaussianMixture2D, Mixture, Normal, toy_target

CANVAS = (-2.0, 2.0)            # the drawing canvas, both axes, in data units
DRAWN_SIGMA = 0.05              # width of the blob around each drawn point
MAX_POINTS = 500                # drawn points kept (more are thinned evenly)
MAX_SHAPE_POINTS = 200          # points one placed shape may add
MAX_COMPONENTS = 4              # components of a composed 1-D mixture
MEAN_RANGE = (-4.0, 4.0)        # a composed component's mean
SD_RANGE = (0.1, 2.0)           # ... its standard deviation
WEIGHT_RANGE = (0.0, 10.0)      # ... its (unnormalised) weight
SHAPES = ("cluster", "ring", "line")

# Which preset's networks and optimiser settings a game on the student's own data uses.
BASE_PRESET = {1: "bimodal1d", 2: "ring2d"}


class LabDataError(GanExplorerError):
    """Data the game cannot be played on (no points, no component with weight)."""


@dataclass(frozen=True, eq=False)
class LabTarget:
    """The real distribution of one game.

    `dim` is 1 or 2; `distribution` a `Distribution1D` (dim 1) or `GaussianMixture2D` (dim 2);
    `preset` the preset whose networks the game uses; `source` "preset", "drawn" or "mixture";
    `bounds` the view's range per axis ((low, high) for x, and for y in 2-D); `notes` the
    (note id, values) pairs describing what was done to the input.
    """

    dim: int
    distribution: Distribution1D | GaussianMixture2D
    preset: str
    source: str
    bounds: tuple[tuple[float, float], ...]
    notes: tuple[tuple[str, dict], ...] = field(default=())

    def sample(self, n: int, generator: np.random.Generator) -> np.ndarray:
        """`n` real samples, float32 (n, dim)."""
        return np.asarray(self.distribution.sample(n, generator), dtype=np.float32).reshape(n, self.dim)

    @property
    def centers(self) -> np.ndarray | None:
        """Mode centres (K, 2) of a 2-D target; None in 1-D."""
        return self.distribution.centers if self.dim == 2 else None


def preset_target(name: str) -> LabTarget:
    """The toy target of preset `name` (one of config.TOY_TARGETS)."""
    if name not in TOY_TARGETS:
        raise LabDataError(f"The Lab plays the toy targets only ({', '.join(TOY_TARGETS)}); got {name!r}.",
                           message_id="lab_unknown_target", name=str(name)[:40])
    distribution = toy_target(name)
    if isinstance(distribution, GaussianMixture2D):
        centers = distribution.centers
        margin = 0.25 * float(np.ptp(centers)) + 6.0 * distribution.sigma
        bounds = tuple((float(centers[:, axis].min() - margin), float(centers[:, axis].max() + margin))
                       for axis in (0, 1))
        return LabTarget(2, distribution, name, "preset", bounds)
    return LabTarget(1, distribution, name, "preset", (_line_bounds(distribution),))


def _line_bounds(distribution: Distribution1D) -> tuple[float, float]:
    """The 1-D view's range: the Training page's grid for this target (`metrics.grid_1d`)."""
    grid = grid_1d(distribution, points=2)
    return float(grid[0]), float(grid[-1])


# ---- drawn 2-D data ------------------------------------------------------------------------

def clean_points(points: object) -> tuple[np.ndarray, tuple[tuple[str, dict], ...]]:
    """Drawn points as float64 (N, 2) on the canvas, and notes on what was removed or thinned.

    Rows that are not two finite numbers are dropped ("invalid"), points outside the canvas
    are dropped ("outside"), and more than MAX_POINTS are thinned evenly ("capped").
    """
    notes: list[tuple[str, dict]] = []
    array = np.asarray(points if points is not None else [], dtype=object)
    try:
        array = np.asarray(array.tolist(), dtype=np.float64)
    except (TypeError, ValueError):
        array = np.empty((0, 2))
        notes.append(("invalid", {"count": len(points) if hasattr(points, "__len__") else 1}))
    if array.size == 0:
        return np.empty((0, 2)), tuple(notes)
    if array.ndim != 2 or array.shape[1] != 2:
        notes.append(("invalid", {"count": int(array.shape[0]) if array.ndim else 1}))
        return np.empty((0, 2)), tuple(notes)
    finite = np.isfinite(array).all(axis=1)
    if not finite.all():
        notes.append(("invalid", {"count": int((~finite).sum())}))
    array = array[finite]
    low, high = CANVAS
    inside = ((array >= low) & (array <= high)).all(axis=1)
    if not inside.all():
        notes.append(("outside", {"count": int((~inside).sum()), "low": low, "high": high}))
    array = array[inside]
    if len(array) > MAX_POINTS:
        notes.append(("capped", {"count": len(array), "limit": MAX_POINTS}))
        array = array[np.linspace(0, len(array) - 1, MAX_POINTS).round().astype(int)]
    return array, tuple(notes)


def drawn_target(points: object) -> LabTarget:
    """The game's target for drawn points (N, 2): a blob of width DRAWN_SIGMA on each point.

    LabDataError when no usable point is left; a single point gives a game with a note.
    """
    array, notes = clean_points(points)
    if len(array) == 0:
        raise LabDataError("There are no points to learn: click or lasso on the canvas, or place a shape.",
                           message_id="lab_no_points")
    if len(array) == 1:
        notes = notes + (("single", {}),)
    bounds = (CANVAS, CANVAS)
    return LabTarget(2, GaussianMixture2D(array, DRAWN_SIGMA), BASE_PRESET[2], "drawn", bounds, notes)


def shape_points(shape: str, center: tuple[float, float], size: float, count: int,
                 seed: int = 0, angle: float = 0.0) -> np.ndarray:
    """Points (count, 2) of a placed shape, before cleaning (`clean_points` drops what is off the canvas).

    "cluster": normal around `center` with standard deviation `size`; "ring": evenly spaced on
    a circle of radius `size` around `center`; "line": evenly spaced on a segment of length
    2·`size` through `center` at `angle` degrees. `count` is clamped to 1..MAX_SHAPE_POINTS.
    """
    if shape not in SHAPES:
        raise LabDataError(f"Unknown shape {shape!r}: choose one of {', '.join(SHAPES)}.")
    count = int(min(max(int(count), 1), MAX_SHAPE_POINTS))
    middle = np.array([float(center[0]), float(center[1])])
    size = abs(float(size))
    if shape == "cluster":
        return middle + size * np.random.default_rng(seed).standard_normal((count, 2))
    if shape == "ring":
        angles = 2.0 * np.pi * np.arange(count) / count
        return middle + size * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    direction = np.array([math.cos(math.radians(angle)), math.sin(math.radians(angle))])
    return middle + np.linspace(-size, size, count)[:, None] * direction


def points_in_selection(selection: dict, grid_step: float, seed: int = 0,
                        max_points: int = MAX_SHAPE_POINTS) -> np.ndarray:
    """Points (P, 2) to add for one chart selection on the drawing canvas.

    `selection` is what `st.plotly_chart(on_select=...)` reports: its `points` (clicked or
    enclosed canvas-grid points, each with x, y). A click on one grid point adds that point;
    a box or lasso adds the enclosed grid points, jittered by up to half a grid step so the
    result does not look like a lattice, and thinned evenly to `max_points`.
    """
    raw = [(p.get("x"), p.get("y")) for p in (selection or {}).get("points", []) if isinstance(p, dict)]
    xy = np.array([(x, y) for x, y in raw if isinstance(x, (int, float)) and isinstance(y, (int, float))],
                  dtype=np.float64).reshape(-1, 2)
    if len(xy) <= 1:
        return xy
    if len(xy) > max_points:
        xy = xy[np.linspace(0, len(xy) - 1, max_points).round().astype(int)]
    jitter = np.random.default_rng(seed).uniform(-0.5, 0.5, xy.shape) * grid_step
    return xy + jitter


# ---- composed 1-D data ---------------------------------------------------------------------

@dataclass(frozen=True)
class Component:
    """One normal of a composed mixture: mean and standard deviation in x units, weight ≥ 0."""

    mean: float
    sd: float
    weight: float = 1.0


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def mixture_target(components: Sequence[Component]) -> LabTarget:
    """The game's target for composed components, each clamped into range (with a note).

    LabDataError when there is no component, more than MAX_COMPONENTS, or no positive weight.
    """
    notes: list[tuple[str, dict]] = []
    if not components:
        raise LabDataError("Add at least one component to the mixture.", message_id="lab_no_components")
    if len(components) > MAX_COMPONENTS:
        notes.append(("components_capped", {"count": len(components), "limit": MAX_COMPONENTS}))
        components = list(components)[:MAX_COMPONENTS]
    kept: list[Component] = []
    for index, c in enumerate(components, start=1):
        values = [float(c.mean), float(c.sd), float(c.weight)]
        if not all(math.isfinite(v) for v in values):
            notes.append(("component_invalid", {"index": index}))
            continue
        fixed = Component(_clamp(values[0], *MEAN_RANGE), _clamp(values[1], *SD_RANGE),
                          _clamp(values[2], *WEIGHT_RANGE))
        if fixed != Component(*values):
            notes.append(("component_clamped", {"index": index}))
        kept.append(fixed)
    if not kept or sum(c.weight for c in kept) <= 0.0:
        raise LabDataError("Every component has weight 0: give at least one a positive weight.",
                           message_id="lab_no_weight")
    live = [c for c in kept if c.weight > 0.0]
    distribution = Mixture([Normal(c.mean, c.sd) for c in live], [c.weight for c in live])
    return LabTarget(1, distribution, BASE_PRESET[1], "mixture", (_line_bounds(distribution),), tuple(notes))
