"""Figures for the Lab page: arrays from `gan_engine.lab.views` in, `plotly.graph_objects.Figure` out.

- `overview_figure`: the model overview graph, z → G → G(z) → D ← x → the two losses,
  drawn with shapes and annotations, live numbers on it and the part the last step updated
  highlighted (its network and loss in colour, the dashed path the gradient flows back).
- `layers_1d_figure`: p_data, p_g, D and D* with G's gradient arrows, over the z → G(z)
  lines of the paper's Figure 1.
- `layers_2d_figure`: D as a heatmap under real and generated samples and G's gradient arrows.
- `manifold_2d_figure`: a grid in z warped by G.
- `curves_figure`: losses, mean D(x) and D(G(z)), and JSD (1-D) or modes captured and the
  high-quality share (2-D) over steps, with their equilibrium references.
- `canvas_figure`: the drawing canvas: drawn points over an invisible fine grid whose points
  a click, box or lasso selects (a chart selection reports points, not coordinates).

Text comes from `DEFAULT_LABELS`, overridden by a caller's (translated) `labels`. Figures
are built from plain dicts without validation and carry the small template of `style`
(draw them with `theme=None`): a Play tick redraws four of them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import plotly.graph_objects as go

from gan_engine.plots.style import TEMPLATE
from gan_engine.plots.training import _COLORS, _D_SCALE, _arrow_segments, _with_gaps, equilibrium_losses

MAX_CURVE_POINTS = 300
# Play redraws the figures five times a second, so the 2-D ones are kept light for a browser
# without a GPU (a headless or small hosted one): sample clouds drawn as SVG, at most this many
# points each (WebGL costs more per redraw than it saves there; the measures use every
# sample), and no legend or colour bar (measured in the browser on every redraw; the views'
# explanations name the colours).
MAX_DRAWN_FAKE, MAX_DRAWN_REAL = 250, 150
DEFAULT_LABELS: dict[str, str] = {
    "noise": "z ~ N(0, I)",
    "generator": "G",
    "generator_sub": "generator",
    "fake": "G(z)",
    "real": "x ~ p_data",
    "discriminator": "D",
    "discriminator_sub": "discriminator",
    "loss_d": "D loss",
    "loss_g": "G loss",
    "d_real": "mean D(x)",
    "d_fake": "mean D(G(z))",
    "updating_d": "last step: D updated (gradient of the D loss)",
    "updating_g": "last step: G updated (gradient of the G loss through D)",
    "updating_round": "last action: k D updates, then one G update",
    "updating_none": "no step yet: press Step D, Step G or One round",
    "x": "x",
    "density": "density",
    "probability": "probability",
    "p_data": "p_data",
    "p_g": "p_g",
    "d": "D(x)",
    "d_star": "D*(x)",
    "gradient": "push on G(z): −∂L_G/∂x",
    "mapping": "z → G(z)",
    "z_axis": "z (bottom) → x (top)",
    "samples": "G(z)",
    "real_samples": "real x",
    "warp_h": "z grid, lines of constant z₂",
    "warp_v": "z grid, lines of constant z₁",
    "step": "step",
    "loss": "loss",
    "equilibrium_d": "D loss at equilibrium",
    "equilibrium_g": "G loss at equilibrium",
    "half": "D = 1/2",
    "jsd": "JSD (nats)",
    "jsd_max": "ln 2",
    "distance": "mean |D − D*|",
    "modes_captured": "modes captured",
    "modes_total": "modes in the data",
    "hq_fraction": "high-quality share",
    "points": "your points",
}


def _compressed(vectors: np.ndarray) -> np.ndarray:
    """Vectors (Q, d) with their lengths square-rooted, directions kept.

    G's gradient is orders of magnitude larger where D is steep than elsewhere; drawn to
    scale, one arrow would hide all the others' directions.
    """
    vectors = np.asarray(vectors, dtype=float)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, np.sqrt(norms), out=np.zeros_like(vectors), where=norms > 0)


def _text(labels: Mapping[str, str] | None, name: str) -> str:
    return (labels or {}).get(name, DEFAULT_LABELS[name])


def _figure(traces: list[dict[str, Any]], layout: dict[str, Any], height: int) -> go.Figure:
    base: dict[str, Any] = {"height": height, "margin": {"l": 55, "r": 55, "t": 30, "b": 45},
                            "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.01, "x": 0},
                            "template": TEMPLATE, "uirevision": "lab"}
    return go.Figure(data=traces, layout={**base, **layout}, _validate=False)


def _hline(y: float, text: str, yref: str) -> tuple[dict, dict]:
    shape = {"type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": yref, "y0": y, "y1": y,
             "line": {"color": _COLORS["grey"], "dash": "dot", "width": 1}}
    note = {"xref": "x domain", "x": 1, "yref": yref, "y": y, "text": text, "showarrow": False,
            "xanchor": "right", "yanchor": "bottom", "font": {"size": 10, "color": _COLORS["grey"]}}
    return shape, note


def _number(value: float) -> str:
    return "—" if value is None or not math.isfinite(value) else f"{value:.3f}"


# ---- model overview ----------------------------------------------------------------------------

# name: (centre x, centre y, width, height) on a 12 x 4 canvas
_NODES = {"noise": (0.9, 3.0, 1.6, 0.8), "generator": (3.2, 3.0, 1.4, 0.9), "fake": (5.6, 3.0, 1.8, 0.9),
          "real": (5.6, 1.0, 1.8, 0.9), "discriminator": (8.0, 2.0, 1.4, 0.9),
          "loss_d": (10.7, 3.0, 1.9, 0.9), "loss_g": (10.7, 1.0, 1.9, 0.9)}
_FLOW = (("noise", "generator"), ("generator", "fake"), ("fake", "discriminator"), ("real", "discriminator"),
         ("discriminator", "loss_d"), ("discriminator", "loss_g"))


def _edge(start: str, end: str) -> tuple[float, float, float, float]:
    """From the right edge of `start` to the left edge of `end` (x0, y0, x1, y1)."""
    sx, sy, sw, _ = _NODES[start]
    ex, ey, ew, _ = _NODES[end]
    return sx + sw / 2, sy, ex - ew / 2, ey


# The overview is drawn about 4.5 times wider (in pixels per unit) than tall; arrowheads are
# shaped in that space so they look the same on both axes.
_ASPECT = 1.45
_MUTED, _FAINT = "#6E6980", "#D4D0DE"


def _arrowhead(x: float, y: float, dx: float, dy: float, size: float = 0.16) -> str:
    """An SVG path (data units) of a filled arrowhead with its tip at (x, y), pointing along (dx, dy)."""
    ux, uy = dx, dy * _ASPECT
    norm = math.hypot(ux, uy) or 1.0
    ux, uy = ux / norm, uy / norm
    back = (x - size * ux, y - size * uy / _ASPECT)
    side = (-uy * size * 0.45, ux * size * 0.45 / _ASPECT)
    return (f"M {x} {y} L {back[0] + side[0]} {back[1] + side[1]} "
            f"L {back[0] - side[0]} {back[1] - side[1]} Z")


def _arrow(points: list[tuple[float, float]], color: str, width: float, dash: str = "solid") -> list[dict]:
    """Shapes of a polyline from the first point to the last, with an arrowhead at the end."""
    path = "M " + " L ".join(f"{x} {y}" for x, y in points)
    (x0, y0), (x1, y1) = points[-2], points[-1]
    return [{"type": "path", "path": path, "line": {"color": color, "width": width, "dash": dash}},
            {"type": "path", "path": _arrowhead(x1, y1, x1 - x0, y1 - y0, 0.12 + 0.02 * width),
             "fillcolor": color, "line": {"color": color, "width": 1}}]


def overview_figure(numbers: Mapping[str, float], highlight: str, labels: Mapping[str, str] | None = None,
                    height: int = 260) -> go.Figure:
    """The data flow of one step with live numbers.

    `numbers`: d_real, d_fake (mean D as a probability), loss_d, loss_g. `highlight`: "d" (the
    last step updated D), "g" (it updated G), "round" (both, k D steps then a G step) or
    anything else (nothing yet). Drawn with shapes and one text trace, no annotations: Play
    redraws it five times a second, and each annotation is measured in the browser.
    """
    d_on, g_on = highlight in ("d", "round"), highlight in ("g", "round")
    colors = {"generator": _COLORS["g"] if g_on else None, "loss_g": _COLORS["g"] if g_on else None,
              "discriminator": _COLORS["d"] if d_on else None, "loss_d": _COLORS["d"] if d_on else None}
    fills = {"noise": "#F4F2F8", "real": "#E6F4E6", "fake": "#EFE8FD"}
    shapes: list[dict] = []
    for name, (cx, cy, w, h) in _NODES.items():
        accent = colors.get(name)
        shapes.append({"type": "rect", "x0": cx - w / 2, "x1": cx + w / 2, "y0": cy - h / 2, "y1": cy + h / 2,
                       "line": {"color": accent or "#B8B3C7", "width": 4 if accent else 1.5},
                       "fillcolor": fills.get(name, "#FFF3E6" if accent == _COLORS["d"] else
                                              "#F1EBFE" if accent else "#FFFFFF"), "layer": "below"})
    for start, end in _FLOW:
        x0, y0, x1, y1 = _edge(start, end)
        shapes += _arrow([(x0, y0), (x1, y1)], _MUTED, 1.5)
    # The gradients' way back: D loss -> D (over the top), G loss -> through D -> G (underneath).
    back_d = [(10.7, 3.45), (10.7, 3.85), (8.0, 3.85), (8.0, 2.45)]
    back_g = [(10.7, 0.55), (10.7, 0.15), (3.2, 0.15), (3.2, 2.55)]
    for points, on, color in ((back_d, d_on, _COLORS["d"]), (back_g, g_on, _COLORS["g"])):
        shapes += _arrow(points, color if on else _FAINT, 3 if on else 1, "dash")
    values = {"fake": f"{_text(labels, 'd_fake')} = {_number(numbers.get('d_fake'))}",
              "real": f"{_text(labels, 'd_real')} = {_number(numbers.get('d_real'))}",
              "loss_d": _number(numbers.get("loss_d")), "loss_g": _number(numbers.get("loss_g")),
              "generator": _text(labels, "generator_sub"), "discriminator": _text(labels, "discriminator_sub")}
    texts = [f"<b>{_text(labels, name)}</b>" + (f"<br><span style='font-size:11px'>{values[name]}</span>"
                                               if name in values else "") for name in _NODES]
    caption = {"d": "updating_d", "g": "updating_g", "round": "updating_round"}.get(highlight, "updating_none")
    traces = [{"type": "scatter", "mode": "text", "x": [n[0] for n in _NODES.values()],
               "y": [n[1] for n in _NODES.values()], "text": texts, "textfont": {"size": 13}, "hoverinfo": "skip"},
              {"type": "scatter", "mode": "text", "x": [-0.05], "y": [3.85], "text": [_text(labels, caption)],
               "textposition": "middle right", "hoverinfo": "skip",
               "textfont": {"size": 12, "color": colors.get("discriminator") or colors.get("generator") or _MUTED}}]
    axis = {"visible": False, "fixedrange": True}
    layout = {"xaxis": {**axis, "range": [-0.1, 11.8]}, "yaxis": {**axis, "range": [0.0, 4.0]},
              "shapes": shapes, "showlegend": False, "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
              "hovermode": False, "dragmode": False}
    return _figure(traces, layout, height)


# ---- layered distributions -----------------------------------------------------------------------

def _line(x: Any, y: Any, name: str, color: str, **extra: Any) -> dict[str, Any]:
    return {"type": "scatter", "mode": "lines", "x": x, "y": y, "name": name,
            "line": {"color": color, **extra.pop("line", {})}, **extra}


def layers_1d_figure(arrays: Mapping[str, np.ndarray], x_range: tuple[float, float],
                     labels: Mapping[str, str] | None = None, height: int = 460) -> go.Figure:
    """Densities and D over x, G's pushes as arrows, and the z → G(z) lines underneath.

    `arrays` from a 1-D `LabView`: x, p_data, p_g, d, d_star (N,), z, g_z (L,), arrow_from (Q, 1),
    arrow (Q, 1). `x_range` (low, high) fixes the x axis so steps do not rescale it.
    """
    x = arrays["x"]
    starts = np.asarray(arrays["arrow_from"])[:, 0]
    push = _compressed(arrays["arrow"])[:, 0]
    largest = float(np.abs(push).max()) if push.size else 0.0
    length = 0.06 * (x_range[1] - x_range[0])
    ends = starts + (push / largest * length if largest > 0 else 0.0)
    level = np.full(len(starts), 0.06)
    # A generator's first, narrow p_g may peak far above the data: the axis stops at three
    # times the data's peak, so p_data stays readable.
    peak = float(np.max(arrays["p_data"]))
    top = 1.1 * max(peak, min(float(np.nanmax(arrays["p_g"])), 3.0 * peak))
    traces = [
        _line(x, arrays["p_data"], _text(labels, "p_data"), _COLORS["data"], fill="tozeroy",
              fillcolor="rgba(44,160,44,0.12)"),
        _line(x, arrays["p_g"], _text(labels, "p_g"), _COLORS["g"], fill="tozeroy", fillcolor="rgba(122,62,240,0.10)"),
        _line(x, arrays["d"], _text(labels, "d"), _COLORS["d"], yaxis="y2", line={"width": 2.5}),
        _line(x, arrays["d_star"], _text(labels, "d_star"), _COLORS["star"], yaxis="y2", connectgaps=False,
              line={"dash": "dash"}),
        _line(_with_gaps(starts, ends), _with_gaps(level, level), _text(labels, "gradient"), "black", yaxis="y2",
              line={"width": 1.5}, legendgroup="arrows"),
        {"type": "scatter", "mode": "markers", "x": ends, "y": level, "yaxis": "y2", "showlegend": False,
         "legendgroup": "arrows", "hoverinfo": "skip",
         "marker": {"symbol": np.where(push >= 0, "triangle-right", "triangle-left"), "size": 7, "color": "black"}},
        _line(_with_gaps(arrays["z"], arrays["g_z"]), _with_gaps(np.zeros(len(arrays["z"])), np.ones(len(arrays["z"]))),
              _text(labels, "mapping"), _COLORS["grey"], yaxis="y3", line={"width": 1}),
    ]
    quarters = [0, 0.25, 0.5, 0.75, 1]
    layout = {
        "xaxis": {"title": {"text": _text(labels, "x")}, "range": list(x_range), "anchor": "y3"},
        "yaxis": {"title": {"text": _text(labels, "density")}, "domain": [0.3, 1.0], "range": [0, top]},
        "yaxis2": {"title": {"text": _text(labels, "probability")}, "domain": [0.3, 1.0], "range": [0, 1.02],
                   "overlaying": "y", "side": "right", "showgrid": False, "tickvals": quarters},
        "yaxis3": {"title": {"text": _text(labels, "z_axis")}, "domain": [0.0, 0.2], "range": [-0.05, 1.05],
                   "showticklabels": False},
    }
    return _figure(traces, layout, height)


def _plane_axes(bounds: tuple[tuple[float, float], ...]) -> dict[str, Any]:
    (x0, x1), (y0, y1) = bounds
    return {"showlegend": False, "margin": {"l": 40, "r": 10, "t": 10, "b": 30},
            "xaxis": {"range": [x0, x1], "constrain": "domain"},
            "yaxis": {"range": [y0, y1], "scaleanchor": "x", "scaleratio": 1, "constrain": "domain"}}


def layers_2d_figure(arrays: Mapping[str, np.ndarray], bounds: tuple[tuple[float, float], ...],
                     labels: Mapping[str, str] | None = None, height: int = 460) -> go.Figure:
    """D as a heatmap (violet = "generated", green = "real"), real and generated samples, G's pushes.

    `arrays` from a 2-D `LabView`: grid_x (A,), grid_y (B,), d (B, A), real (R, 2), fake (S, 2),
    arrow_from (Q, 2), arrow (Q, 2). `bounds` ((x0, x1), (y0, y1)) fixes the axes.
    """
    span = max(bounds[0][1] - bounds[0][0], bounds[1][1] - bounds[1][0])
    arrows_x, arrows_y = _arrow_segments(np.asarray(arrays["arrow_from"]), _compressed(arrays["arrow"]), 0.06 * span)
    real, fake = arrays["real"][:MAX_DRAWN_REAL], arrays["fake"][:MAX_DRAWN_FAKE]
    traces = [
        {"type": "heatmap", "x": arrays["grid_x"], "y": arrays["grid_y"], "z": arrays["d"], "zmin": 0, "zmax": 1,
         "colorscale": _D_SCALE, "name": _text(labels, "d"), "hoverinfo": "skip", "showscale": False},
        {"type": "scatter", "mode": "markers", "x": real[:, 0], "y": real[:, 1], "name": _text(labels, "real_samples"),
         "marker": {"size": 4, "color": "#1B7F1B", "opacity": 0.7}, "hoverinfo": "skip"},
        {"type": "scatter", "mode": "markers", "x": fake[:, 0], "y": fake[:, 1], "name": _text(labels, "samples"),
         "marker": {"size": 3, "color": "#4B1FA8"}, "hoverinfo": "skip"},
        _line(arrows_x, arrows_y, _text(labels, "gradient"), "black", line={"width": 1}, hoverinfo="skip"),
    ]
    return _figure(traces, _plane_axes(bounds), height)


def manifold_2d_figure(arrays: Mapping[str, np.ndarray], bounds: tuple[tuple[float, float], ...],
                       labels: Mapping[str, str] | None = None, height: int = 460) -> go.Figure:
    """G's manifold: the images of a square grid of z (where lines crowd, G puts much mass).

    `arrays`: warp (2, lines, points, 2), the images of the grid's horizontal then vertical lines.
    """
    traces = []
    for family, name, color in ((0, "warp_h", _COLORS["g"]), (1, "warp_v", _COLORS["d"])):
        lines = np.asarray(arrays["warp"][family])                                     # (lines, points, 2)
        gaps = np.full((lines.shape[0], 1, 2), np.nan)
        joined = np.concatenate((lines, gaps), axis=1).reshape(-1, 2)
        traces.append(_line(joined[:, 0], joined[:, 1], _text(labels, name), color, line={"width": 1.2},
                            hoverinfo="skip"))
    return _figure(traces, _plane_axes(bounds), height)


# ---- curves over steps --------------------------------------------------------------------------------

def _thin_rows(step: np.ndarray, *columns: np.ndarray) -> tuple[np.ndarray, ...]:
    """At most MAX_CURVE_POINTS rows: consecutive rows averaged in equal buckets, the last kept."""
    n = len(step)
    if n <= MAX_CURVE_POINTS:
        return (step, *columns)
    bucket = np.arange(n) * (MAX_CURVE_POINTS - 1) // n
    counts = np.bincount(bucket)

    def mean(values: np.ndarray) -> np.ndarray:
        values = np.asarray(values, dtype=float)
        finite = np.isfinite(values)
        sums = np.bincount(bucket, np.where(finite, values, 0.0))
        kept = np.bincount(bucket, finite.astype(float))
        averaged = np.divide(sums, kept, out=np.full(len(kept), np.nan), where=kept > 0)
        return np.append(averaged, values[-1])

    return (np.append(np.bincount(bucket, step) / counts, step[-1]), *(mean(c) for c in columns))


def curves_figure(curves: Mapping[str, np.ndarray], view_log: Mapping[str, np.ndarray], dim: int, loss: str,
                  labels: Mapping[str, str] | None = None, height: int = 520) -> go.Figure:
    """Three panels over steps: the losses, mean D(x) and D(G(z)), and the quality measure.

    `curves`: step, loss_d, loss_g, d_real, d_fake per step (the minibatch values of each
    update). `view_log`: step and, for dim 1, jsd and dstar_distance; for dim 2,
    modes_captured, modes_total and hq_fraction, one row per view. `loss` picks the
    equilibrium references.
    """
    step, loss_d, loss_g, d_real, d_fake = _thin_rows(curves["step"], curves["loss_d"], curves["loss_g"],
                                                      curves["d_real"], curves["d_fake"])
    d_ref, g_ref = equilibrium_losses(loss)
    refs = [_hline(d_ref, f"{_text(labels, 'equilibrium_d')} = {d_ref:.3g}", "y"),
            _hline(g_ref, f"{_text(labels, 'equilibrium_g')} = {g_ref:.3g}", "y"),
            _hline(0.5, _text(labels, "half"), "y2")]
    traces = [_line(step, loss_d, _text(labels, "loss_d"), _COLORS["d"]),
              _line(step, loss_g, _text(labels, "loss_g"), _COLORS["g"]),
              _line(step, d_real, _text(labels, "d_real"), _COLORS["data"], yaxis="y2"),
              _line(step, d_fake, _text(labels, "d_fake"), "#4B1FA8", yaxis="y2")]
    view_step, *measures = _thin_rows(view_log.get("step", np.zeros(0)),
                                      *(view_log.get(name, np.full(len(view_log.get("step", ())), np.nan))
                                        for name in ("jsd", "dstar_distance", "modes_captured", "modes_total",
                                                     "hq_fraction")))
    jsd, distance, captured, totals, hq = measures
    # Markers while there are few views (a single view is a point, not a line); lines after.
    few = {"mode": "lines+markers", "marker": {"size": 5}} if len(view_step) <= 60 else {}
    layout: dict[str, Any] = {
        "xaxis": {"title": {"text": _text(labels, "step")}, "anchor": "y3", "rangemode": "tozero"},
        "yaxis": {"title": {"text": _text(labels, "loss")}, "domain": [0.70, 1.0]},
        "yaxis2": {"title": {"text": _text(labels, "probability")}, "domain": [0.37, 0.64], "range": [0, 1.02],
                   "tickvals": [0, 0.5, 1]},
    }
    if dim == 1:
        refs.append(_hline(math.log(2.0), _text(labels, "jsd_max"), "y3"))
        traces += [_line(view_step, jsd, _text(labels, "jsd"), _COLORS["star"], yaxis="y3", **few),
                   _line(view_step, distance, _text(labels, "distance"), _COLORS["d"], yaxis="y3",
                         line={"dash": "dot"}, **few)]
        layout["yaxis3"] = {"title": {"text": _text(labels, "jsd")}, "domain": [0.0, 0.31], "range": [0, 0.75]}
    else:
        total = float(totals[-1]) if len(totals) else 1.0
        refs.append(_hline(total, f"{_text(labels, 'modes_total')} = {total:g}", "y3"))
        traces += [_line(view_step, captured, _text(labels, "modes_captured"), _COLORS["data"], yaxis="y3", **few),
                   _line(view_step, hq, _text(labels, "hq_fraction"), _COLORS["g"], yaxis="y4", **few)]
        layout["yaxis3"] = {"title": {"text": _text(labels, "modes_captured")}, "domain": [0.0, 0.31],
                            "range": [0, total * 1.1 + 0.5]}
        layout["yaxis4"] = {"title": {"text": _text(labels, "hq_fraction")}, "domain": [0.0, 0.31],
                            "range": [0, 1.05], "overlaying": "y3", "side": "right", "showgrid": False,
                            "tickformat": ".0%", "tickvals": [0, 0.25, 0.5, 0.75, 1]}
    layout["shapes"] = [shape for shape, _ in refs]
    layout["annotations"] = [note for _, note in refs]
    return _figure(traces, layout, height)


# ---- the drawing canvas ---------------------------------------------------------------------------------

def canvas_grid(low: float, high: float, step: float) -> np.ndarray:
    """The selectable grid of the canvas: (P, 2) points `step` apart covering [low, high]²."""
    ticks = np.round(np.arange(low, high + step / 2, step), 6)
    gx, gy = np.meshgrid(ticks, ticks, indexing="xy")
    return np.stack([gx.ravel(), gy.ravel()], axis=1)


def canvas_figure(points: np.ndarray, grid: np.ndarray, bounds: tuple[float, float],
                  labels: Mapping[str, str] | None = None, height: int = 420) -> go.Figure:
    """The drawing canvas: `points` (N, 2) drawn so far over the invisible selectable `grid` (P, 2).

    The grid is the first trace, so a selection's point indices refer to it.
    """
    low, high = bounds
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    traces = [
        {"type": "scattergl", "mode": "markers", "x": grid[:, 0], "y": grid[:, 1], "showlegend": False,
         "marker": {"size": 9, "color": "rgba(0,0,0,0)"}, "hovertemplate": "(%{x:.2f}, %{y:.2f})<extra></extra>"},
        {"type": "scattergl", "mode": "markers", "x": points[:, 0], "y": points[:, 1], "name": _text(labels, "points"),
         "marker": {"size": 6, "color": _COLORS["data"]}, "hoverinfo": "skip"},
    ]
    pad = 0.05 * (high - low)
    layout = {"xaxis": {"range": [low - pad, high + pad], "constrain": "domain", "fixedrange": True},
              "yaxis": {"range": [low - pad, high + pad], "scaleanchor": "x", "scaleratio": 1, "constrain": "domain",
                        "fixedrange": True},
              "shapes": [{"type": "rect", "x0": low, "x1": high, "y0": low, "y1": high,
                          "line": {"color": "#B8B3C7", "dash": "dot"}, "layer": "below"}],
              "hovermode": "closest", "showlegend": True}
    return _figure(traces, layout, height)
