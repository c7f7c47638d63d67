"""Figures for the Theory page. Plain NumPy in, `plotly.graph_objects.Figure` out.

Every builder takes a `text` mapping with the (already translated) labels it needs, listed
in its docstring, so the figures follow the page's language. Colours are fixed across
figures: data dark, generator violet (the app's primary colour), discriminator orange.
NaN values (D* where both densities vanish) are drawn as gaps, never joined.
"""

from __future__ import annotations

import math
from typing import Mapping

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from gan_engine.theory import Figure1Run, GeneratorLossCurves, ShiftSweep

DATA = "#1E1B2E"
GENERATOR = "#7A3EF0"
DISCRIMINATOR = "#F28C28"
STUDENT = "#1F9E89"
MUTED = "#8A8698"
# Every label a builder may ask its `text` mapping for.
TEXT_KEYS = ("p_data", "p_g", "d_star", "d_student", "d", "x", "y", "density", "probability", "point",
             "integrand", "jsd", "w1", "log2", "shift", "nats", "distance", "losses", "gradients", "minimax",
             "nonsaturating", "d_fake", "flat", "mapping", "a", "b", "c", "d_panel")
# Curves are thinned to at most this many points: the browser gains nothing from the full
# grid, and each figure's JSON stays small so a rerun ships quickly.
MAX_DRAWN_POINTS = 1200


def _thin(x: np.ndarray, *ys: np.ndarray) -> tuple[np.ndarray, ...]:
    step = max(1, math.ceil(x.size / MAX_DRAWN_POINTS))
    return (x[::step],) + tuple(y[::step] for y in ys)


def visible_range(x: np.ndarray, *densities: np.ndarray, rel: float = 1e-3) -> tuple[float, float]:
    """The x interval (x units) where any density exceeds `rel` of the largest peak, padded by 10 %."""
    stacked = np.vstack(densities)
    shown = np.flatnonzero(np.any(stacked > rel * stacked.max(), axis=0))
    low, high = float(x[shown[0]]), float(x[shown[-1]])
    pad = 0.1 * max(high - low, 1.0)
    return max(low - pad, float(x[0])), min(high + pad, float(x[-1]))


def _layout(fig: go.Figure, height: int = 340) -> go.Figure:
    fig.update_layout(template="plotly_white", height=height, margin=dict(l=10, r=10, t=40, b=10),
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0.0),
                      hovermode="x unified")
    return fig


def densities_figure(x: np.ndarray, p_data: np.ndarray, p_g: np.ndarray, d_star: np.ndarray,
                     text: Mapping[str, str]) -> go.Figure:
    """p_data and p_g (N,) on the left axis, D* (N,) in [0, 1] on the right axis, over x (N,).

    text keys: p_data, p_g, d_star, x, density, probability.
    """
    xs, p, q, d = _thin(x, p_data, p_g, d_star)
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_scatter(x=xs, y=p, name=text["p_data"], line=dict(color=DATA, width=2), fill="tozeroy",
                    fillcolor="rgba(30,27,46,0.08)")
    fig.add_scatter(x=xs, y=q, name=text["p_g"], line=dict(color=GENERATOR, width=2), fill="tozeroy",
                    fillcolor="rgba(122,62,240,0.10)")
    fig.add_scatter(x=xs, y=d, name=text["d_star"], line=dict(color=DISCRIMINATOR, width=2, dash="dash"),
                    connectgaps=False, secondary_y=True)
    fig.update_xaxes(title_text=text["x"], range=visible_range(x, p_data, p_g))
    fig.update_yaxes(title_text=text["density"], rangemode="tozero", secondary_y=False)
    fig.update_yaxes(title_text=text["probability"], range=[-0.02, 1.02], showgrid=False, secondary_y=True)
    return _layout(fig)


def discriminators_figure(x: np.ndarray, p_data: np.ndarray, p_g: np.ndarray, d_star: np.ndarray,
                          d_student: np.ndarray, point_x: float, text: Mapping[str, str]) -> go.Figure:
    """D* and the student's D (N,) over x (N,), with the chosen point `point_x` marked.

    text keys: d_star, d_student, point, x, probability.
    """
    xs, d, mine = _thin(x, d_star, d_student)
    fig = go.Figure()
    fig.add_scatter(x=xs, y=d, name=text["d_star"], line=dict(color=DISCRIMINATOR, width=2, dash="dash"),
                    connectgaps=False)
    fig.add_scatter(x=xs, y=mine, name=text["d_student"], line=dict(color=STUDENT, width=2))
    fig.add_vline(x=point_x, line=dict(color=MUTED, dash="dot"), annotation_text=text["point"])
    fig.update_xaxes(title_text=text["x"], range=visible_range(x, p_data, p_g))
    fig.update_yaxes(title_text=text["probability"], range=[-0.02, 1.02])
    return _layout(fig)


def pointwise_figure(y: np.ndarray, integrand: np.ndarray, d_star_at_x: float, d_student_at_x: float,
                     text: Mapping[str, str]) -> go.Figure:
    """The integrand p_data(x)·log y + p_g(x)·log(1 − y) (M,) against y (M,), peak and the student's D marked.

    text keys: integrand, y, d_star, d_student. NaN `d_star_at_x` (undefined) leaves the peak unmarked.
    """
    fig = go.Figure()
    fig.add_scatter(x=y, y=integrand, name=text["integrand"], line=dict(color=DATA, width=2))
    if math.isfinite(d_star_at_x):
        fig.add_vline(x=d_star_at_x, line=dict(color=DISCRIMINATOR, dash="dash"), annotation_text=text["d_star"],
                      annotation_position="top left")
    fig.add_vline(x=d_student_at_x, line=dict(color=STUDENT), annotation_text=text["d_student"],
                  annotation_position="bottom right")
    low = float(np.percentile(integrand, 5))
    fig.update_xaxes(title_text=text["y"], range=[0.0, 1.0])
    fig.update_yaxes(title_text=text["integrand"], range=[low, float(integrand.max()) + 0.1 * abs(low) + 1e-3])
    return _layout(fig)


def shift_sweep_figure(sweep: ShiftSweep, text: Mapping[str, str]) -> go.Figure:
    """JSD (nats, left axis, with its ceiling ln 2) and W1 (x units, right axis) against the shift.

    text keys: jsd, w1, log2, shift, nats, distance.
    """
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_scatter(x=sweep.shift, y=sweep.jsd, name=text["jsd"], line=dict(color=GENERATOR, width=3))
    fig.add_scatter(x=sweep.shift, y=sweep.w1, name=text["w1"], line=dict(color=DISCRIMINATOR, width=3),
                    secondary_y=True)
    fig.add_hline(y=math.log(2.0), line=dict(color=MUTED, dash="dot"), annotation_text=text["log2"])
    fig.update_xaxes(title_text=text["shift"])
    fig.update_yaxes(title_text=text["nats"], range=[0.0, 0.75], secondary_y=False)
    fig.update_yaxes(title_text=text["distance"], rangemode="tozero", showgrid=False, secondary_y=True)
    return _layout(fig)


def generator_loss_figure(curves: GeneratorLossCurves, flat_below: float, text: Mapping[str, str]) -> go.Figure:
    """Left: both generator losses; right: their gradients w.r.t. the logit; against D(G(z)).

    The band D(G(z)) < `flat_below` marks where the minimax loss leaves G almost no gradient.
    text keys: losses, gradients, minimax, nonsaturating, d_fake, flat.
    """
    fig = make_subplots(rows=1, cols=2, subplot_titles=(text["losses"], text["gradients"]))
    d = curves.d_fake
    for col, (minimax, nonsat) in enumerate(((curves.minimax, curves.nonsaturating),
                                              (curves.grad_minimax, curves.grad_nonsaturating)), start=1):
        fig.add_scatter(x=d, y=minimax, name=text["minimax"], line=dict(color=GENERATOR, width=2),
                        legendgroup="minimax", showlegend=col == 1, row=1, col=col)
        fig.add_scatter(x=d, y=nonsat, name=text["nonsaturating"], line=dict(color=DISCRIMINATOR, width=2),
                        legendgroup="nonsaturating", showlegend=col == 1, row=1, col=col)
        fig.add_vrect(x0=0.0, x1=flat_below, fillcolor="rgba(138,134,152,0.18)", line_width=0, row=1, col=col)
        fig.update_xaxes(title_text=text["d_fake"], range=[0.0, 1.0], row=1, col=col)
    fig.update_yaxes(range=[-5.0, 5.0], row=1, col=1)
    fig.update_yaxes(range=[-1.05, 0.05], row=1, col=2)
    fig.add_annotation(x=flat_below / 2, y=-0.5, text=text["flat"], showarrow=False, textangle=-90,
                       xref="x2", yref="y2", font=dict(color=MUTED))
    return _layout(fig, height=360)


def _figure1_traces(fig: go.Figure, run: Figure1Run, index: int, text: Mapping[str, str],
                    row: int | None = None, col: int | None = None, legend: bool = True) -> None:
    """Add one frame's traces: the x and z axes, the z → G(z) lines, p_data, p_g and D."""
    frame = run.frames[index]
    low, high = float(run.x[0]), float(run.x[-1])
    z_level = -0.35
    # z ∈ (0, 1) is drawn on its own line below the x axis, spread over the middle of the range.
    z_drawn = low + (high - low) * (0.2 + 0.6 * run.z)
    xs = np.column_stack([z_drawn, frame.g_z, np.full(run.z.size, np.nan)]).ravel()
    ys = np.column_stack([np.full(run.z.size, z_level), np.zeros(run.z.size), np.full(run.z.size, np.nan)]).ravel()
    where = dict(row=row, col=col) if row else {}
    fig.add_scatter(x=[low, high, None, low, high], y=[0, 0, None, z_level, z_level], mode="lines",
                    line=dict(color=MUTED, width=1), hoverinfo="skip", showlegend=False, **where)
    fig.add_scatter(x=xs, y=ys, mode="lines", line=dict(color=MUTED, width=1), name=text["mapping"],
                    connectgaps=False, showlegend=legend, legendgroup="map", hoverinfo="skip", **where)
    fig.add_scatter(x=run.x, y=run.p_data, name=text["p_data"], line=dict(color=DATA, width=2, dash="dot"),
                    showlegend=legend, legendgroup="data", **where)
    fig.add_scatter(x=run.x, y=frame.p_g, name=text["p_g"], line=dict(color=GENERATOR, width=2),
                    showlegend=legend, legendgroup="g", **where)
    fig.add_scatter(x=run.x, y=frame.d, name=text["d"], line=dict(color=DISCRIMINATOR, width=2, dash="dash"),
                    showlegend=legend, legendgroup="d", **where)
    fig.add_annotation(x=low, y=0.0, text="x", showarrow=False, xanchor="right", **where)
    fig.add_annotation(x=low, y=z_level, text="z", showarrow=False, xanchor="right", **where)


def figure1_panels(run: Figure1Run, text: Mapping[str, str]) -> go.Figure:
    """The paper's four panels (a)-(d) side by side. text keys: p_data, p_g, d, mapping, a, b, c, d_panel."""
    names = ("a", "b", "c", "d")
    indices = [next(i for i, f in enumerate(run.frames) if f.panel == name) for name in names]
    titles = [text[name if name != "d" else "d_panel"] for name in names]
    fig = make_subplots(rows=1, cols=4, subplot_titles=titles, horizontal_spacing=0.02, shared_yaxes=True)
    for col, index in enumerate(indices, start=1):
        _figure1_traces(fig, run, index, text, row=1, col=col, legend=col == 1)
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False)
    fig.update_yaxes(range=[-0.45, 1.05], showticklabels=False, showgrid=False, zeroline=False)
    fig.update_layout(hovermode=False)
    return _layout(fig, height=320)


def figure1_frame(run: Figure1Run, index: int, text: Mapping[str, str]) -> go.Figure:
    """One stage of the simulation, large. text keys: p_data, p_g, d, mapping, x."""
    fig = go.Figure()
    _figure1_traces(fig, run, index, text)
    fig.update_xaxes(title_text=text["x"], zeroline=False)
    fig.update_yaxes(range=[-0.45, 1.05], zeroline=False, tickvals=[0, 0.5, 1])
    fig.update_layout(hovermode=False)
    return _layout(fig, height=360)
