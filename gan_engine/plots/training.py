"""Plotly figures for the Training page, built from plain arrays and DataFrames.

Every builder bounds what it sends to the browser: long metric series are averaged into
at most `MAX_POINTS` buckets, sample clouds and image grids are capped, so a chart update
costs the same after 100 iterations as after 100,000. Text on the figures comes from
`DEFAULT_LABELS`, which a caller overrides (for example with translated strings) by
passing `labels`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from gan_engine.plots import tiles

MAX_POINTS = 400          # per line in a time-series chart
MAX_SAMPLES = 1500        # points in a 2-D sample cloud
MAX_MAPPING_LINES = 60    # z -> G(z) segments in the 1-D figure
MAX_IMAGES = 64           # tiles in an image grid

DEFAULT_LABELS: dict[str, str] = {
    "iteration": "iteration",
    "loss": "loss",
    "loss_d": "D loss",
    "loss_g": "G loss",
    "equilibrium_d": "D loss at equilibrium",
    "equilibrium_g": "G loss at equilibrium",
    "probability": "probability",
    "d_real": "mean D(x)",
    "d_fake": "mean D(G(z))",
    "half": "D = 1/2",
    "density": "density",
    "x": "x",
    "p_data": "p_data",
    "p_g": "p_g",
    "d": "D(x)",
    "d_star": "D*(x)",
    "mapping": "z → G(z)",
    "z_axis": "z (bottom) → x (top)",
    "jsd": "JSD (nats)",
    "jsd_max": "ln 2 (no overlap)",
    "modes_captured": "modes captured",
    "modes_total": "modes in the target",
    "hq_fraction": "high-quality fraction",
    "reverse_kl": "reverse KL (nats)",
    "samples": "G(z)",
    "centers": "mode centres",
    "gradient": "generator gradient",
    "k": "k",
    "lr": "learning rate",
    "missing": "not trained yet",
    "snapshot": "snapshot",
    "digits_produced": "digits produced",
    "min_accuracy": "worst digit recognised",
    "min_share": "rarest digit's share",
    "diversity_ratio": "diversity / real",
    "frechet": "Fréchet distance",
    "frechet_floor": "real-vs-real floor",
    "frechet_ratio": "Fréchet / floor (worse judge)",
    "judge_disagreement": "judges' disagreement",
    "quality_seconds": "seconds spent judging",
    "quality_samples": "samples judged",
    "digit": "digit",
    "bar": "bar",
}

_QUARTERS = [0, 0.25, 0.5, 0.75, 1]
_JSD_TICKS = [1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, round(math.log(2.0), 3)]
# Data green, generator violet (the app's primary colour), discriminator orange.
_COLORS = {"d": "#E8710A", "g": "#7A3EF0", "data": "#2CA02C", "star": "#8C564B", "grey": "#7F7F7F"}
# D on the plane: violet where D says "generated" (0), white at 1/2, green where it says "real" (1).
_D_SCALE = [[0.0, "#B9A0F5"], [0.5, "#FFFFFF"], [1.0, "#9ED89E"]]


def _text(labels: Mapping[str, str] | None, name: str) -> str:
    return (labels or {}).get(name, DEFAULT_LABELS[name])


def downsample(frame: pd.DataFrame, max_points: int = MAX_POINTS) -> pd.DataFrame:
    """At most `max_points` rows: consecutive rows averaged in equal-sized buckets.

    Averaging (rather than taking every n-th row) keeps the trend of a noisy loss curve
    honest. The last row is kept exactly, so the chart ends at the latest value.
    """
    if len(frame) <= max_points:
        return frame
    numeric = frame.select_dtypes("number")
    buckets = np.arange(len(numeric)) * (max_points - 1) // len(numeric)
    averaged = numeric.groupby(buckets).mean()
    return pd.concat([averaged, numeric.iloc[[-1]]], ignore_index=True)


def equilibrium_losses(loss: str, label_smoothing: float = 0.0) -> tuple[float, float]:
    """The (D loss, G loss) values at the game's equilibrium, where D = 1/2 everywhere.

    With the training core's definitions (gan_engine.train.losses): D's loss is the sum of its
    real and fake terms, ln 2 each for cross-entropy, so 2 ln 2; G's is ln 2 for the
    non-saturating loss and log(1 - 1/2) = -ln 2 for minimax. Least squares on a score of
    1/2: D ½[(½ - t)² + ¼] with real target t = 1 - label_smoothing (0.25 for t = 1), G
    ½(½ - 1)² = 0.125. Label smoothing leaves the cross-entropy values unchanged.
    """
    if loss == "lsgan":
        real_target = 1.0 - label_smoothing
        return 0.5 * ((0.5 - real_target) ** 2 + 0.25), 0.125
    if loss == "minimax":
        return 2 * math.log(2.0), -math.log(2.0)
    if loss == "nonsaturating":
        return 2 * math.log(2.0), math.log(2.0)
    raise ValueError(f"unknown loss {loss!r}")


# ---- assembling figures without validation ------------------------------------------------

def _line(x: Any, y: Any, name: str, color: str, **extra: Any) -> dict[str, Any]:
    return {"type": "scatter", "mode": "lines", "x": x, "y": y, "name": name, "line": {"color": color}, **extra}


def _hline(y: float, color: str, text: str, yref: str = "y", position: str = "top",
           log_axis: bool = False) -> tuple[dict, dict]:
    """A dotted horizontal reference line across the plot, with its label at the right end.

    On a log axis (`log_axis`) plotly.js places a shape at the data value but an annotation at
    the value's log10, so the two are given their own coordinates.
    """
    shape = {"type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": yref, "y0": y, "y1": y,
             "line": {"color": color, "dash": "dot"}}
    note = {"xref": "x domain", "x": 1, "yref": yref, "y": math.log10(y) if log_axis else y, "text": text,
            "showarrow": False,
            "xanchor": "right", "yanchor": "bottom" if position == "top" else "top",
            "font": {"size": 11, "color": _COLORS["grey"]}}
    return shape, note


def _cursor_shape(x: float) -> dict[str, Any]:
    """A dashed vertical cursor across the plot at iteration `x` (the snapshot shown)."""
    return {"type": "line", "xref": "x", "x0": x, "x1": x, "yref": "paper", "y0": 0, "y1": 1,
            "line": {"color": _COLORS["grey"], "dash": "dash", "width": 1}}


def _cursor_trace(labels: Mapping[str, str] | None) -> dict[str, Any]:
    """An empty trace that names the cursor in the legend. The cursor is not labelled on the
    plot: the reference lines' labels sit at its right end, exactly where the latest
    snapshot's cursor is."""
    return {"type": "scatter", "x": [None], "y": [None], "mode": "lines", "hoverinfo": "skip",
            "name": _text(labels, "snapshot"), "line": {"color": _COLORS["grey"], "dash": "dash", "width": 1}}


def _figure(traces: list[dict[str, Any]], layout: dict[str, Any], height: int = 320,
            references: Sequence[tuple[dict, dict]] = (), cursor: float | None = None,
            labels: Mapping[str, str] | None = None) -> go.Figure:
    """The figure of `traces` with its reference lines and, at iteration `cursor`, the
    snapshot cursor (named in the legend in `labels`' language)."""
    # An empty template: the page's theme (Streamlit's) styles the chart in the browser, and
    # copying plotly's default template into every figure would triple its build time and
    # add ~6 kB to every chart update.
    base: dict[str, Any] = {"height": height, "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
                            "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
                            "template": {}}
    if references:
        base["shapes"] = [shape for shape, _ in references]
        base["annotations"] = [note for _, note in references]
    if cursor is not None:
        base["shapes"] = [*base.get("shapes", []), _cursor_shape(cursor)]
        traces = [*traces, _cursor_trace(labels)]
    return go.Figure(data=traces, layout={**base, **layout}, _validate=False)


def _axis(title: str, **extra: Any) -> dict[str, Any]:
    return {"title": {"text": title}, **extra}


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    return frame[name].to_numpy(dtype=float)


def _with_gaps(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Interleave segment ends with NaN separators: (n,) × 2 -> (3n,) for one line trace."""
    out = np.full((len(starts), 3), np.nan)
    out[:, 0], out[:, 1] = starts, ends
    return out.ravel()


# ---- time series ----------------------------------------------------------------------------

def loss_figure(series: pd.DataFrame, loss: str, labels: Mapping[str, str] | None = None,
                label_smoothing: float = 0.0, cursor: float | None = None) -> go.Figure:
    """D and G losses against iteration, with their equilibrium values as dotted lines.

    `series` has columns iteration, loss_d, loss_g (any number of rows). `cursor`: the
    iteration of the snapshot shown beside the curves, marked by a dashed vertical line.
    """
    data = downsample(series)
    x = _column(data, "iteration")
    d_ref, g_ref = equilibrium_losses(loss, label_smoothing)
    references = [_hline(d_ref, _COLORS["d"], f"{_text(labels, 'equilibrium_d')} = {d_ref:.3g}"),
                  _hline(g_ref, _COLORS["g"], f"{_text(labels, 'equilibrium_g')} = {g_ref:.3g}", position="bottom")]
    traces = [_line(x, _column(data, "loss_d"), _text(labels, "loss_d"), _COLORS["d"]),
              _line(x, _column(data, "loss_g"), _text(labels, "loss_g"), _COLORS["g"])]
    return _figure(traces, {"xaxis": _axis(_text(labels, "iteration")), "yaxis": _axis(_text(labels, "loss"))},
                   references=references, cursor=cursor, labels=labels)


def discriminator_output_figure(series: pd.DataFrame, labels: Mapping[str, str] | None = None,
                                cursor: float | None = None) -> go.Figure:
    """Mean D(x) on real data and D(G(z)) on generated data; both tend to 1/2 at equilibrium
    (`cursor`: the snapshot's iteration, as in `loss_figure`)."""
    data = downsample(series)
    x = _column(data, "iteration")
    traces = [_line(x, _column(data, "d_real"), _text(labels, "d_real"), _COLORS["data"]),
              _line(x, _column(data, "d_fake"), _text(labels, "d_fake"), _COLORS["g"])]
    layout = {"xaxis": _axis(_text(labels, "iteration")),
              "yaxis": _axis(_text(labels, "probability"), range=[0, 1])}
    return _figure(traces, layout, references=[_hline(0.5, _COLORS["grey"], _text(labels, "half"))],
                   cursor=cursor, labels=labels)


def jsd_figure(metrics: pd.DataFrame, labels: Mapping[str, str] | None = None,
               cursor: float | None = None) -> go.Figure:
    """JSD(p_data ‖ p_g) in nats against iteration, on a log axis (it spans decades);
    `cursor` as in `loss_figure`."""
    data = downsample(metrics[["iteration", "jsd"]].dropna())
    traces = [_line(_column(data, "iteration"), _column(data, "jsd"), _text(labels, "jsd"), _COLORS["star"],
                    mode="lines+markers")]
    layout = {"xaxis": _axis(_text(labels, "iteration")),
              "yaxis": _axis(_text(labels, "jsd"), type="log", tickvals=_JSD_TICKS,
                             ticktext=[f"{v:g}" for v in _JSD_TICKS])}
    references = [_hline(math.log(2.0), _COLORS["grey"], _text(labels, "jsd_max"))]
    return _figure(traces, layout, references=references, cursor=cursor, labels=labels)


def modes_figure(metrics: pd.DataFrame, n_modes: int, labels: Mapping[str, str] | None = None,
                 cursor: float | None = None) -> go.Figure:
    """Modes captured (left axis, out of `n_modes`) and high-quality fraction (right axis);
    `cursor` as in `loss_figure`."""
    data = downsample(metrics[["iteration", "modes_captured", "hq_fraction"]].dropna())
    x = _column(data, "iteration")
    traces = [_line(x, _column(data, "modes_captured"), _text(labels, "modes_captured"), _COLORS["data"],
                    mode="lines+markers"),
              _line(x, _column(data, "hq_fraction"), _text(labels, "hq_fraction"), _COLORS["g"],
                    mode="lines+markers", yaxis="y2")]
    layout = {"xaxis": _axis(_text(labels, "iteration")),
              "yaxis": _axis(_text(labels, "modes_captured"), range=[0, n_modes + 0.5]),
              "yaxis2": _axis(_text(labels, "hq_fraction"), range=[0, 1.02], overlaying="y", side="right",
                              tickformat=".0%", tickvals=_QUARTERS, showgrid=False)}
    total = f"{_text(labels, 'modes_total')} = {n_modes}"
    return _figure(traces, layout, references=[_hline(n_modes, _COLORS["grey"], total)], cursor=cursor, labels=labels)


def quality_figure(metrics: pd.DataFrame, conditional: bool, bars: tuple[float, float],
                   labels: Mapping[str, str] | None = None) -> go.Figure:
    """An MNIST run's quality at each snapshot: one faint line per digit (recognition rate, or
    share of the samples for an unconditional run), the worst digit and the diversity ratio,
    with the bars (`bars`: per-digit bar, diversity bar) as dotted lines. Fractions, 0-1.
    """
    kind = "accuracy" if conditional else "share"
    worst = f"min_{kind}"
    data = downsample(metrics.dropna(subset=[worst, "diversity_ratio"]))
    x = _column(data, "iteration")
    digit = _text(labels, "digit")
    traces = [_line(x, _column(data, f"{kind}_{d}"), f"{digit} {d}", _COLORS["grey"], opacity=0.35,
                    showlegend=False, hovertemplate=f"{digit} {d}: %{{y:.1%}}<extra></extra>")
              for d in range(10) if f"{kind}_{d}" in data]
    traces += [_line(x, _column(data, worst), _text(labels, worst), _COLORS["g"], mode="lines+markers"),
               _line(x, _column(data, "diversity_ratio"), _text(labels, "diversity_ratio"), _COLORS["data"],
                     mode="lines+markers")]
    top = max(1.05, float(np.nanmax(_column(data, "diversity_ratio"), initial=0.0)) + 0.05)
    layout = {"xaxis": _axis(_text(labels, "iteration")), "yaxis": _axis("", range=[0, top], tickformat=".0%")}
    bar = _text(labels, "bar")
    references = [_hline(bars[0], _COLORS["g"], f"{bar} {bars[0]:.0%}", position="bottom"),
                  _hline(bars[1], _COLORS["data"], f"{bar} {bars[1]:.0%}", position="bottom")]
    return _figure(traces, layout, references=references)


def frechet_figure(metrics: pd.DataFrame, labels: Mapping[str, str] | None = None) -> go.Figure:
    """Judge A's Fréchet distance to real digits at each snapshot (log axis) and its real-vs-real floor."""
    data = downsample(metrics[["iteration", "frechet", "frechet_floor"]].dropna())
    traces = [_line(_column(data, "iteration"), _column(data, "frechet"), _text(labels, "frechet"), _COLORS["star"],
                    mode="lines+markers")]
    floor = float(data["frechet_floor"].iloc[-1]) if len(data) else 0.0
    layout = {"xaxis": _axis(_text(labels, "iteration")), "yaxis": _axis(_text(labels, "frechet"), type="log")}
    references = ([_hline(floor, _COLORS["grey"], f"{_text(labels, 'frechet_floor')} {floor:.1f}", log_axis=True)]
                  if floor > 0 else [])
    return _figure(traces, layout, references=references)


def compare_figure(runs: Mapping[str, pd.DataFrame], column: str, reference: float | None = None,
                   labels: Mapping[str, str] | None = None, log_y: bool = False) -> go.Figure:
    """One line per run (legend = the mapping's key) of `column` against iteration."""
    traces = []
    for name, frame in runs.items():
        if column not in frame or frame[column].dropna().empty:
            continue
        data = downsample(frame[["iteration", column]].dropna())
        traces.append({"type": "scatter", "mode": "lines", "x": _column(data, "iteration"),
                       "y": _column(data, column), "name": name})
    title = (labels or {}).get(column, DEFAULT_LABELS.get(column, column))
    layout = {"xaxis": _axis(_text(labels, "iteration")),
              "yaxis": _axis(title, type="log" if log_y else "linear")}
    references = [] if reference is None else [_hline(reference, _COLORS["grey"], f"{reference:.3g}")]
    return _figure(traces, layout, height=380, references=references)


# ---- snapshots --------------------------------------------------------------------------------

def snapshot_1d_figure(snapshot: Mapping[str, np.ndarray], labels: Mapping[str, str] | None = None) -> go.Figure:
    """The paper's Figure 1 from a real run: densities, D, D* and the z -> G(z) mapping.

    `snapshot` holds `x`, `p_data`, `p_g`, `d`, `d_star` (all (N,), D* NaN where both
    densities vanish, drawn as a gap) and `z`, `g_z` ((M,)). Top panel: densities on the
    left axis, probabilities on the right; bottom panel: each latent value z (bottom
    line) joined to the point G(z) it is mapped to (top line), as in the paper.
    """
    x = snapshot["x"]
    step = max(1, math.ceil(len(snapshot["z"]) / MAX_MAPPING_LINES))
    z, g_z = np.asarray(snapshot["z"])[::step], np.asarray(snapshot["g_z"])[::step]
    traces = [
        _line(x, snapshot["p_data"], _text(labels, "p_data"), _COLORS["data"]),
        _line(x, snapshot["p_g"], _text(labels, "p_g"), _COLORS["g"]),
        _line(x, snapshot["d"], _text(labels, "d"), _COLORS["d"], yaxis="y2"),
        _line(x, snapshot["d_star"], _text(labels, "d_star"), _COLORS["star"], yaxis="y2", connectgaps=False,
              line={"color": _COLORS["star"], "dash": "dash"}),
        _line(_with_gaps(z, g_z), _with_gaps(np.zeros(len(z)), np.ones(len(z))), _text(labels, "mapping"),
              _COLORS["grey"], yaxis="y3", line={"color": _COLORS["grey"], "width": 1}),
    ]
    layout = {
        "xaxis": _axis(_text(labels, "x"), anchor="y3"),
        "yaxis": _axis(_text(labels, "density"), domain=[0.3, 1.0], rangemode="tozero"),
        "yaxis2": _axis(_text(labels, "probability"), domain=[0.3, 1.0], range=[0, 1], overlaying="y",
                        side="right", showgrid=False, tickvals=_QUARTERS),
        "yaxis3": _axis(_text(labels, "z_axis"), domain=[0.0, 0.22], range=[-0.05, 1.05], showticklabels=False),
    }
    return _figure(traces, layout, height=480)


def _arrow_segments(points: np.ndarray, vectors: np.ndarray, length: float) -> tuple[np.ndarray, np.ndarray]:
    """Arrows (shaft plus two barbs, NaN-separated) for one line trace; the longest is `length` long."""
    norms = np.linalg.norm(vectors, axis=1)
    scale = length / norms.max() if norms.size and norms.max() > 0 else 0.0
    shafts = vectors * scale
    tips = points + shafts
    # Barbs: the reversed shaft, a third as long, rotated by ±25°.
    back = -shafts / 3
    cos, sin = math.cos(math.radians(25)), math.sin(math.radians(25))
    barbs = [np.stack([back[:, 0] * cos - back[:, 1] * s, back[:, 0] * s + back[:, 1] * cos], axis=1)
             for s in (sin, -sin)]
    starts = np.stack([points, tips, tips], axis=1)                  # (Q, 3, 2)
    ends = np.stack([tips, tips + barbs[0], tips + barbs[1]], axis=1)
    xs = _with_gaps(starts[..., 0].ravel(), ends[..., 0].ravel())
    ys = _with_gaps(starts[..., 1].ravel(), ends[..., 1].ravel())
    return xs, ys


def snapshot_2d_figure(snapshot: Mapping[str, np.ndarray], centers: np.ndarray,
                       labels: Mapping[str, str] | None = None) -> go.Figure:
    """Generated samples over the target's mode centres, D as a heatmap, G's gradient as arrows.

    `snapshot`: `samples` (S, 2), `grid_x` (A,), `grid_y` (B,), `d` (B, A) probabilities,
    `grad_points` (Q, 2), `grad` (Q, 2) = −∂L_G/∂x. `centers`: (K, 2).
    """
    grid_x, grid_y = np.asarray(snapshot["grid_x"]), np.asarray(snapshot["grid_y"])
    samples = np.asarray(snapshot["samples"])[:MAX_SAMPLES]
    span = max(float(np.ptp(grid_x)), float(np.ptp(grid_y)))
    arrows_x, arrows_y = _arrow_segments(np.asarray(snapshot["grad_points"]), np.asarray(snapshot["grad"]),
                                         0.08 * span)
    traces = [
        {"type": "heatmap", "x": grid_x, "y": grid_y, "z": snapshot["d"], "zmin": 0, "zmax": 1,
         "colorscale": _D_SCALE, "name": _text(labels, "d"),
         "colorbar": {"title": {"text": _text(labels, "d")}, "thickness": 12}},
        {"type": "scattergl", "mode": "markers", "x": samples[:, 0], "y": samples[:, 1],
         "name": _text(labels, "samples"), "marker": {"size": 3, "color": "#4B1FA8"}},
        {"type": "scatter", "mode": "markers", "x": centers[:, 0], "y": centers[:, 1],
         "name": _text(labels, "centers"),
         "marker": {"symbol": "x", "size": 10, "color": _COLORS["data"], "line": {"width": 2}}},
        _line(arrows_x, arrows_y, _text(labels, "gradient"), "black", line={"color": "black", "width": 1}),
    ]
    layout = {"xaxis": {"range": [float(grid_x[0]), float(grid_x[-1])], "constrain": "domain"},
              "yaxis": {"range": [float(grid_y[0]), float(grid_y[-1])], "scaleanchor": "x", "scaleratio": 1,
                        "constrain": "domain"}}
    return _figure(traces, layout, height=480)


def tile_images(images: np.ndarray, columns: int = 8, pad: int = 2) -> np.ndarray:
    """The first MAX_IMAGES of (n, H, W) or (n, H, W, 3) uint8 images as one RGB sheet
    (rows·(H+pad)−pad, cols·(W+pad)−pad, 3), for plotly's image trace."""
    images = np.asarray(images)[:MAX_IMAGES]
    if images.ndim == 3:
        images = np.repeat(images[..., None], 3, axis=-1)
    return tiles.tile_images(images, max(1, min(columns, len(images))), pad)


def image_grid_figure(images: np.ndarray, image_labels: Sequence[int] | None = None,
                      columns: int = 8) -> go.Figure:
    """The fixed-noise image grid of one snapshot, each tile captioned by its class label if given."""
    canvas = tile_images(images, columns)
    annotations = []
    if image_labels is not None:
        n = min(len(image_labels), MAX_IMAGES)
        height, width = np.asarray(images).shape[1:3]
        columns = max(1, min(columns, n))
        for index, label in enumerate(list(image_labels)[:n]):
            r, c = divmod(index, columns)
            annotations.append({"x": c * (width + 2) + 1, "y": r * (height + 2) + 1, "text": str(int(label)),
                                "showarrow": False, "xanchor": "left", "yanchor": "top",
                                "font": {"color": "yellow", "size": 10}})
    layout = {"xaxis": {"visible": False}, "yaxis": {"visible": False}, "annotations": annotations,
              "margin": {"l": 0, "r": 0, "t": 10, "b": 0}}
    return _figure([{"type": "image", "z": canvas, "hoverinfo": "skip"}], layout,
                   height=max(240, min(640, 3 * canvas.shape[0])))


def sweep_figure(k_values: Sequence[int], lr_values: Sequence[str], values: np.ndarray, keys: np.ndarray,
                 metric_label: str, notes: np.ndarray | None = None,
                 labels: Mapping[str, str] | None = None) -> go.Figure:
    """Heatmap of a final metric over k (rows) × learning rate (columns).

    `values` is (len(k_values), len(lr_values)) with NaN for cells without a result;
    `notes` (same shape, optional) says why, e.g. "running"; `keys` holds each cell's run
    key. A marker trace sits on the cells: it carries each cell's text (plotly draws no
    heatmap text on empty cells) and its key in `customdata`, because a click selects
    scatter points but not heatmap cells.
    """
    values = np.asarray(values, dtype=float)
    rows = [f"k = {k}" for k in k_values]
    missing = _text(labels, "missing")
    text = [f"{v:.3g}" if math.isfinite(v) else (notes[i][j] if notes is not None else missing)
            for i, row in enumerate(values) for j, v in enumerate(row)]
    # Light text on the dark (low) end of Viridis, dark text elsewhere and on empty cells.
    finite = values[np.isfinite(values)]
    low, high = (finite.min(), finite.max()) if finite.size else (0.0, 1.0)
    shade = (values.ravel() - low) / (high - low) if high > low else np.full(values.size, 0.5)
    colors = ["white" if math.isfinite(v) and v < 0.45 else "#1E1B2E" for v in shade]
    traces = [
        {"type": "heatmap", "x": list(lr_values), "y": rows, "z": values, "colorscale": "Viridis",
         "hoverinfo": "skip", "colorbar": {"title": {"text": metric_label}, "thickness": 12}},
        {"type": "scatter", "mode": "markers+text", "x": [lr for _ in rows for lr in lr_values],
         "y": [row for row in rows for _ in lr_values], "text": text, "customdata": list(np.asarray(keys).ravel()),
         "textfont": {"color": colors}, "marker": {"size": 40, "symbol": "square", "color": "rgba(0,0,0,0)"},
         "hovertemplate": "%{x}, %{y}: %{text}<extra></extra>", "showlegend": False},
    ]
    layout = {"xaxis": _axis(_text(labels, "lr"), type="category"),
              "yaxis": _axis(_text(labels, "k"), type="category", autorange="reversed")}
    for axis in ("xaxis", "yaxis"):
        layout[axis]["title"]["font"] = {"size": 15}      # a one-letter title ("k") was easy to miss
    return _figure(traces, layout, height=120 + 60 * len(rows))
