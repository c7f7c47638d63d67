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

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

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
}

_COLORS = {"d": "#d62728", "g": "#1f77b4", "data": "#2ca02c", "star": "#9467bd", "grey": "#7f7f7f"}


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

    With the training core's definitions (gan_engine.losses): D's loss is the sum of its
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


def _layout(fig: go.Figure, height: int = 320) -> go.Figure:
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10),
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    return fig


def loss_figure(series: pd.DataFrame, loss: str, labels: Mapping[str, str] | None = None,
                label_smoothing: float = 0.0) -> go.Figure:
    """D and G losses against iteration, with their equilibrium values as dotted lines.

    `series` has columns iteration, loss_d, loss_g (any number of rows).
    """
    data = downsample(series)
    fig = go.Figure()
    fig.add_scatter(x=data["iteration"], y=data["loss_d"], name=_text(labels, "loss_d"),
                    line=dict(color=_COLORS["d"]))
    fig.add_scatter(x=data["iteration"], y=data["loss_g"], name=_text(labels, "loss_g"),
                    line=dict(color=_COLORS["g"]))
    d_ref, g_ref = equilibrium_losses(loss, label_smoothing)
    fig.add_hline(y=d_ref, line=dict(color=_COLORS["d"], dash="dot"),
                  annotation_text=f"{_text(labels, 'equilibrium_d')} = {d_ref:.3g}")
    fig.add_hline(y=g_ref, line=dict(color=_COLORS["g"], dash="dot"),
                  annotation_text=f"{_text(labels, 'equilibrium_g')} = {g_ref:.3g}",
                  annotation_position="bottom right")
    fig.update_xaxes(title_text=_text(labels, "iteration"))
    fig.update_yaxes(title_text=_text(labels, "loss"))
    return _layout(fig)


def discriminator_output_figure(series: pd.DataFrame, labels: Mapping[str, str] | None = None) -> go.Figure:
    """Mean D(x) on real data and D(G(z)) on generated data; both tend to 1/2 at equilibrium."""
    data = downsample(series)
    fig = go.Figure()
    fig.add_scatter(x=data["iteration"], y=data["d_real"], name=_text(labels, "d_real"),
                    line=dict(color=_COLORS["data"]))
    fig.add_scatter(x=data["iteration"], y=data["d_fake"], name=_text(labels, "d_fake"),
                    line=dict(color=_COLORS["g"]))
    fig.add_hline(y=0.5, line=dict(color=_COLORS["grey"], dash="dot"), annotation_text=_text(labels, "half"))
    fig.update_xaxes(title_text=_text(labels, "iteration"))
    fig.update_yaxes(title_text=_text(labels, "probability"), range=[0, 1])
    return _layout(fig)


def _mapping_segments(z: np.ndarray, g_z: np.ndarray) -> tuple[list[float | None], list[float | None]]:
    """Line segments from (z, 0) to (G(z), 1), separated by None for a single trace."""
    step = max(1, math.ceil(len(z) / MAX_MAPPING_LINES))
    xs: list[float | None] = []
    ys: list[float | None] = []
    for z_i, g_i in zip(z[::step], g_z[::step]):
        xs += [float(z_i), float(g_i), None]
        ys += [0.0, 1.0, None]
    return xs, ys


def snapshot_1d_figure(snapshot: Mapping[str, np.ndarray], labels: Mapping[str, str] | None = None) -> go.Figure:
    """The paper's Figure 1 from a real run: densities, D, D* and the z -> G(z) mapping.

    `snapshot` holds `x`, `p_data`, `p_g`, `d`, `d_star` (all (N,), D* NaN where both
    densities vanish, drawn as a gap) and `z`, `g_z` ((M,)). Top panel: densities on the
    left axis, probabilities on the right; bottom panel: each latent value z (bottom
    line) joined to the point G(z) it is mapped to (top line).
    """
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.75, 0.25],
                        vertical_spacing=0.05, specs=[[{"secondary_y": True}], [{}]])
    x = snapshot["x"]
    fig.add_scatter(x=x, y=snapshot["p_data"], name=_text(labels, "p_data"),
                    line=dict(color=_COLORS["data"]), row=1, col=1)
    fig.add_scatter(x=x, y=snapshot["p_g"], name=_text(labels, "p_g"),
                    line=dict(color=_COLORS["g"]), row=1, col=1)
    fig.add_scatter(x=x, y=snapshot["d"], name=_text(labels, "d"), line=dict(color=_COLORS["d"]),
                    row=1, col=1, secondary_y=True)
    fig.add_scatter(x=x, y=snapshot["d_star"], name=_text(labels, "d_star"), connectgaps=False,
                    line=dict(color=_COLORS["star"], dash="dash"), row=1, col=1, secondary_y=True)
    xs, ys = _mapping_segments(np.asarray(snapshot["z"]), np.asarray(snapshot["g_z"]))
    fig.add_scatter(x=xs, y=ys, mode="lines", name=_text(labels, "mapping"),
                    line=dict(color=_COLORS["grey"], width=1), row=2, col=1)
    fig.update_yaxes(title_text=_text(labels, "density"), rangemode="tozero", row=1, col=1, secondary_y=False)
    fig.update_yaxes(title_text=_text(labels, "probability"), range=[0, 1], row=1, col=1, secondary_y=True)
    fig.update_yaxes(title_text=_text(labels, "z_axis"), showticklabels=False, range=[-0.05, 1.05], row=2, col=1)
    fig.update_xaxes(title_text=_text(labels, "x"), row=2, col=1)
    return _layout(fig, height=480)


def jsd_figure(metrics: pd.DataFrame, labels: Mapping[str, str] | None = None) -> go.Figure:
    """JSD(p_data ‖ p_g) in nats against iteration, on a log axis (it spans decades)."""
    data = downsample(metrics[["iteration", "jsd"]].dropna())
    fig = go.Figure()
    fig.add_scatter(x=data["iteration"], y=data["jsd"], name=_text(labels, "jsd"),
                    line=dict(color=_COLORS["star"]), mode="lines+markers")
    fig.add_hline(y=math.log(2.0), line=dict(color=_COLORS["grey"], dash="dot"),
                  annotation_text=_text(labels, "jsd_max"))
    fig.update_xaxes(title_text=_text(labels, "iteration"))
    fig.update_yaxes(title_text=_text(labels, "jsd"), type="log")
    return _layout(fig)


def _arrow_segments(points: np.ndarray, vectors: np.ndarray, length: float) -> tuple[list, list]:
    """Arrows (shaft plus two barbs) for one Scatter trace; the longest is `length` long."""
    norms = np.linalg.norm(vectors, axis=1)
    scale = length / norms.max() if norms.size and norms.max() > 0 else 0.0
    xs: list[float | None] = []
    ys: list[float | None] = []
    cos, sin = math.cos(math.radians(25)), math.sin(math.radians(25))
    for (px, py), (vx, vy) in zip(points, vectors * scale):
        tx, ty = px + vx, py + vy
        xs += [px, tx, None]
        ys += [py, ty, None]
        # Barbs: the reversed shaft rotated by ±25°, a third of its length.
        bx, by = -vx / 3, -vy / 3
        for s in (sin, -sin):
            xs += [tx, tx + bx * cos - by * s, None]
            ys += [ty, ty + bx * s + by * cos, None]
    return xs, ys


def snapshot_2d_figure(snapshot: Mapping[str, np.ndarray], centers: np.ndarray,
                       labels: Mapping[str, str] | None = None) -> go.Figure:
    """Generated samples over the target's mode centres, D as a heatmap, G's gradient as arrows.

    `snapshot`: `samples` (S, 2), `grid_x` (A,), `grid_y` (B,), `d` (B, A) probabilities,
    `grad_points` (Q, 2), `grad` (Q, 2) = −∂L_G/∂x. `centers`: (K, 2).
    """
    grid_x, grid_y = snapshot["grid_x"], snapshot["grid_y"]
    fig = go.Figure()
    fig.add_heatmap(x=grid_x, y=grid_y, z=snapshot["d"], zmin=0, zmax=1, colorscale="RdBu_r", opacity=0.55,
                    colorbar=dict(title=dict(text=_text(labels, "d")), thickness=12), name=_text(labels, "d"))
    samples = np.asarray(snapshot["samples"])[:MAX_SAMPLES]
    fig.add_scattergl(x=samples[:, 0], y=samples[:, 1], mode="markers", name=_text(labels, "samples"),
                      marker=dict(size=3, color=_COLORS["g"]))
    fig.add_scatter(x=centers[:, 0], y=centers[:, 1], mode="markers", name=_text(labels, "centers"),
                    marker=dict(symbol="x", size=10, color=_COLORS["data"], line=dict(width=2)))
    span = max(float(np.ptp(grid_x)), float(np.ptp(grid_y)))
    xs, ys = _arrow_segments(np.asarray(snapshot["grad_points"]), np.asarray(snapshot["grad"]), 0.08 * span)
    fig.add_scatter(x=xs, y=ys, mode="lines", name=_text(labels, "gradient"),
                    line=dict(color="black", width=1))
    fig.update_xaxes(range=[float(grid_x[0]), float(grid_x[-1])], constrain="domain")
    fig.update_yaxes(range=[float(grid_y[0]), float(grid_y[-1])], scaleanchor="x", scaleratio=1)
    return _layout(fig, height=480)


def modes_figure(metrics: pd.DataFrame, n_modes: int, labels: Mapping[str, str] | None = None) -> go.Figure:
    """Modes captured (left axis, out of `n_modes`) and high-quality fraction (right axis)."""
    data = downsample(metrics[["iteration", "modes_captured", "hq_fraction"]].dropna())
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_scatter(x=data["iteration"], y=data["modes_captured"], name=_text(labels, "modes_captured"),
                    mode="lines+markers", line=dict(color=_COLORS["data"]))
    fig.add_scatter(x=data["iteration"], y=data["hq_fraction"], name=_text(labels, "hq_fraction"),
                    mode="lines+markers", line=dict(color=_COLORS["g"]), secondary_y=True)
    fig.add_hline(y=n_modes, line=dict(color=_COLORS["grey"], dash="dot"),
                  annotation_text=f"{_text(labels, 'modes_total')} = {n_modes}")
    fig.update_xaxes(title_text=_text(labels, "iteration"))
    fig.update_yaxes(title_text=_text(labels, "modes_captured"), range=[0, n_modes + 0.5], secondary_y=False)
    fig.update_yaxes(title_text=_text(labels, "hq_fraction"), range=[0, 1.02], secondary_y=True)
    return _layout(fig)


def tile_images(images: np.ndarray, columns: int = 8, pad: int = 2) -> np.ndarray:
    """Tile (n, H, W) or (n, H, W, 3) uint8 images into one (rows·(H+pad), cols·(W+pad), 3) array."""
    images = np.asarray(images)[:MAX_IMAGES]
    if images.ndim == 3:
        images = np.repeat(images[..., None], 3, axis=-1)
    n, height, width, _ = images.shape
    columns = max(1, min(columns, n))
    rows = math.ceil(n / columns)
    canvas = np.full((rows * (height + pad) - pad, columns * (width + pad) - pad, 3), 255, dtype=np.uint8)
    for index, image in enumerate(images):
        r, c = divmod(index, columns)
        top, left = r * (height + pad), c * (width + pad)
        canvas[top:top + height, left:left + width] = image
    return canvas


def image_grid_figure(images: np.ndarray, image_labels: Sequence[int] | None = None,
                      columns: int = 8) -> go.Figure:
    """The fixed-noise image grid of one snapshot, each tile captioned by its class label if given."""
    canvas = tile_images(images, columns)
    fig = go.Figure(go.Image(z=canvas, hoverinfo="skip"))
    if image_labels is not None:
        n = min(len(image_labels), MAX_IMAGES)
        height, width = np.asarray(images).shape[1:3]
        columns = max(1, min(columns, n))
        for index, label in enumerate(list(image_labels)[:n]):
            r, c = divmod(index, columns)
            fig.add_annotation(x=c * (width + 2) + 1, y=r * (height + 2) + 1, text=str(int(label)),
                               showarrow=False, xanchor="left", yanchor="top",
                               font=dict(color="yellow", size=10))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(height=max(240, min(640, 3 * canvas.shape[0])), margin=dict(l=0, r=0, t=10, b=0))
    return fig


def compare_figure(runs: Mapping[str, pd.DataFrame], column: str, reference: float | None = None,
                   labels: Mapping[str, str] | None = None, log_y: bool = False) -> go.Figure:
    """One line per run (legend = the mapping's key) of `column` against iteration."""
    fig = go.Figure()
    for name, frame in runs.items():
        if column not in frame or frame[column].dropna().empty:
            continue
        data = downsample(frame[["iteration", column]].dropna())
        fig.add_scatter(x=data["iteration"], y=data[column], name=name, mode="lines")
    if reference is not None:
        fig.add_hline(y=reference, line=dict(color=_COLORS["grey"], dash="dot"))
    fig.update_xaxes(title_text=_text(labels, "iteration"))
    fig.update_yaxes(title_text=(labels or {}).get(column, DEFAULT_LABELS.get(column, column)),
                     type="log" if log_y else "linear")
    return _layout(fig, height=380)


def sweep_figure(k_values: Sequence[int], lr_values: Sequence[str], values: np.ndarray, keys: np.ndarray,
                 metric_label: str, notes: np.ndarray | None = None,
                 labels: Mapping[str, str] | None = None) -> go.Figure:
    """Heatmap of a final metric over k (rows) × learning rate (columns).

    `values` is (len(k_values), len(lr_values)) with NaN for cells without a result;
    `notes` (same shape, optional) says why, e.g. "running"; `keys` holds each cell's run
    key. A transparent marker sits on each cell carrying its key in `customdata`, because
    a click selects scatter points but not heatmap cells.
    """
    values = np.asarray(values, dtype=float)
    rows = [f"k = {k}" for k in k_values]
    missing = _text(labels, "missing")
    text = [[(f"{v:.3g}" if math.isfinite(v) else (notes[i][j] if notes is not None else missing))
             for j, v in enumerate(row)] for i, row in enumerate(values)]
    fig = go.Figure()
    fig.add_heatmap(x=list(lr_values), y=rows, z=values, text=text, texttemplate="%{text}",
                    colorscale="Viridis", colorbar=dict(title=dict(text=metric_label), thickness=12),
                    hoverinfo="skip")
    grid_x = [lr for _ in rows for lr in lr_values]
    grid_y = [row for row in rows for _ in lr_values]
    fig.add_scatter(x=grid_x, y=grid_y, mode="markers", customdata=np.asarray(keys).ravel(),
                    marker=dict(size=40, symbol="square", color="rgba(0,0,0,0)"),
                    hovertemplate="%{x}, %{y}<extra></extra>", showlegend=False)
    fig.update_xaxes(title_text=_text(labels, "lr"), type="category")
    fig.update_yaxes(title_text=_text(labels, "k"), type="category", autorange="reversed")
    return _layout(fig, height=120 + 60 * len(rows))
