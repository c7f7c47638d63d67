"""Figures for the Theory page. Plain NumPy in, `plotly.graph_objects.Figure` out.

Every builder takes a `text` mapping with the (already translated) labels it needs, listed
in its docstring, so the figures follow the page's language. Colours are fixed across
figures: data dark, generator violet (the app's primary colour), discriminator orange.
NaN values (D* where both densities vanish) are drawn as gaps, never joined.

Figures are assembled as plain dicts and validated once by `go.Figure(data, layout)`, with
the small template of `style` (the page draws them with `theme=None`): building through
`make_subplots`, `add_*` and plotly's default template costs 20-80 ms per figure against
~2 ms this way, on every rerun.
"""

from __future__ import annotations

import math
from typing import Mapping

import numpy as np
import plotly.graph_objects as go

from gan_engine.plots.style import TEMPLATE
from gan_engine.theory.divergences import GeneratorLossCurves
from gan_engine.theory.figure1 import Figure1Run
from gan_engine.theory.model import ShiftSweep

DATA = "#1E1B2E"
GENERATOR = "#7A3EF0"
DISCRIMINATOR = "#F28C28"
STUDENT = "#1F9E89"
MUTED = "#8A8698"
# Every label a builder may ask its `text` mapping for.
TEXT_KEYS = ("p_data", "p_g", "d_star", "d_student", "d", "x", "y", "density", "probability", "point",
             "integrand", "jsd", "w1", "log2", "shift", "nats", "distance", "losses", "gradients", "minimax",
             "nonsaturating", "d_fake", "flat", "mapping", "a", "b", "c", "d_panel")
# Curves over x are cut to the plotted range and thinned to at most this many points: the
# browser gains nothing from the full grid, and each redraw stays cheap (every point is
# SVG path work on every slider move).
MAX_DRAWN_POINTS = 800


def _thin(x: np.ndarray, *ys: np.ndarray, within: tuple[float, float] | None = None) -> tuple[np.ndarray, ...]:
    """x and ys cut to the interval `within` (plus one grid step each side), then every k-th point."""
    if within is not None:
        inside = np.flatnonzero((x >= within[0]) & (x <= within[1]))
        start, stop = max(int(inside[0]) - 1, 0), min(int(inside[-1]) + 2, x.size)
        x, ys = x[start:stop], tuple(y[start:stop] for y in ys)
    step = max(1, math.ceil(x.size / MAX_DRAWN_POINTS))
    return (x[::step],) + tuple(y[::step] for y in ys)


def visible_range(x: np.ndarray, *densities: np.ndarray, rel: float = 1e-3) -> tuple[float, float]:
    """The x interval (x units) where any density exceeds `rel` of the largest peak, padded by 10 %."""
    stacked = np.vstack(densities)
    shown = np.flatnonzero(np.any(stacked > rel * stacked.max(), axis=0))
    low, high = float(x[shown[0]]), float(x[shown[-1]])
    pad = 0.1 * max(high - low, 1.0)
    return max(low - pad, float(x[0])), min(high + pad, float(x[-1]))


def _line(x: np.ndarray, y: np.ndarray, name: str, color: str, dash: str = "solid", width: float = 2,
          **extra: object) -> dict:
    return dict(type="scatter", mode="lines", x=x, y=y, name=name, line=dict(color=color, width=width, dash=dash),
                **extra)


def _vline(x: float, color: str, dash: str, label: str, xref: str = "x", position: str = "right") -> tuple[dict, dict]:
    """A full-height vertical line at `x` and its label (a shape and an annotation)."""
    shape = dict(type="line", xref=xref, yref="paper", x0=x, x1=x, y0=0, y1=1, line=dict(color=color, dash=dash))
    note = dict(xref=xref, yref="paper", x=x, y=1.0, text=label, showarrow=False, yanchor="bottom",
                xanchor="left" if position == "right" else "right", font=dict(color=color))
    return shape, note


def _figure(data: list[dict], height: int = 340, **layout: object) -> go.Figure:
    # Fixed margins wide enough for the tick labels and axis titles: plotly's automargin
    # would redraw every chart a second time to measure them (~10 ms a chart a move).
    right_axis = any(isinstance(axis, dict) and axis.get("side") == "right" for axis in layout.values())
    base = dict(height=height, margin=dict(l=64, r=64 if right_axis else 16, t=50, b=48), template=TEMPLATE,
                legend=dict(orientation="h", yanchor="bottom", y=1.06, x=0.0))
    base.update(layout)
    return go.Figure(data=data, layout=base)


def densities_figure(x: np.ndarray, p_data: np.ndarray, p_g: np.ndarray, d_star: np.ndarray,
                     text: Mapping[str, str]) -> go.Figure:
    """p_data and p_g (N,) on the left axis, D* (N,) in [0, 1] on the right axis, over x (N,).

    text keys: p_data, p_g, d_star, x, density, probability.
    """
    shown = visible_range(x, p_data, p_g)
    xs, p, q, d = _thin(x, p_data, p_g, d_star, within=shown)
    data = [_line(xs, p, text["p_data"], DATA, fill="tozeroy", fillcolor="rgba(30,27,46,0.08)"),
            _line(xs, q, text["p_g"], GENERATOR, fill="tozeroy", fillcolor="rgba(122,62,240,0.10)"),
            _line(xs, d, text["d_star"], DISCRIMINATOR, "dash", connectgaps=False, yaxis="y2")]
    return _figure(data, hovermode="x unified",
                   xaxis=dict(title=dict(text=text["x"]), range=shown),
                   yaxis=dict(title=dict(text=text["density"]), rangemode="tozero"),
                   yaxis2=dict(title=dict(text=text["probability"]), range=[-0.02, 1.02], overlaying="y",
                               side="right", showgrid=False, tickmode="array", tickvals=[0, 0.25, 0.5, 0.75, 1]))


def discriminators_figure(x: np.ndarray, p_data: np.ndarray, p_g: np.ndarray, d_star: np.ndarray,
                          d_student: np.ndarray, point_x: float, text: Mapping[str, str]) -> go.Figure:
    """D* and the student's D (N,) over x (N,), with the chosen point `point_x` marked.

    text keys: d_star, d_student, point, x, probability.
    """
    shown = visible_range(x, p_data, p_g)
    xs, d, mine = _thin(x, d_star, d_student, within=shown)
    shape, note = _vline(point_x, MUTED, "dot", text["point"])
    data = [_line(xs, d, text["d_star"], DISCRIMINATOR, "dash", connectgaps=False),
            _line(xs, mine, text["d_student"], STUDENT)]
    return _figure(data, hovermode="x unified", shapes=[shape], annotations=[note],
                   xaxis=dict(title=dict(text=text["x"]), range=shown),
                   yaxis=dict(title=dict(text=text["probability"]), range=[-0.02, 1.02]))


def pointwise_figure(y: np.ndarray, integrand: np.ndarray, d_star_at_x: float, d_student_at_x: float,
                     text: Mapping[str, str]) -> go.Figure:
    """The integrand p_data(x)·log y + p_g(x)·log(1 − y) (M,) against y (M,), peak and the student's D marked.

    text keys: integrand, y, d_star, d_student. NaN `d_star_at_x` (undefined) leaves the peak unmarked.
    """
    marks = [_vline(d_student_at_x, STUDENT, "solid", text["d_student"],
                    position="left" if d_student_at_x > 0.5 else "right")]
    if math.isfinite(d_star_at_x):
        marks.append(_vline(d_star_at_x, DISCRIMINATOR, "dash", text["d_star"],
                            position="right" if d_student_at_x > 0.5 else "left"))
    low = float(np.percentile(integrand, 5))
    high = float(integrand.max())
    return _figure([_line(y, integrand, text["integrand"], DATA)], shapes=[m[0] for m in marks],
                   annotations=[m[1] for m in marks], showlegend=False,
                   xaxis=dict(title=dict(text=text["y"]), range=[0.0, 1.0]),
                   yaxis=dict(title=dict(text=text["integrand"]), range=[low, high + 0.1 * (high - low) + 1e-3]))


def shift_sweep_figure(sweep: ShiftSweep, text: Mapping[str, str]) -> go.Figure:
    """JSD (nats, left axis, with its ceiling ln 2) and W1 (x units, right axis) against the shift.

    text keys: jsd, w1, log2, shift, nats, distance.
    """
    ceiling = dict(type="line", xref="paper", yref="y", x0=0, x1=1, y0=math.log(2.0), y1=math.log(2.0),
                   line=dict(color=MUTED, dash="dot"))
    note = dict(xref="paper", yref="y", x=0.0, y=math.log(2.0), text=text["log2"], showarrow=False,
                xanchor="left", yanchor="bottom", font=dict(color=MUTED))
    data = [_line(sweep.shift, sweep.jsd, text["jsd"], GENERATOR, width=3),
            _line(sweep.shift, sweep.w1, text["w1"], DISCRIMINATOR, width=3, yaxis="y2")]
    return _figure(data, hovermode="x unified", shapes=[ceiling], annotations=[note],
                   xaxis=dict(title=dict(text=text["shift"])),
                   yaxis=dict(title=dict(text=text["nats"]), range=[0.0, 0.75]),
                   yaxis2=dict(title=dict(text=text["distance"]), range=[0.0, 1.1 * float(np.max(sweep.w1))],
                               overlaying="y", side="right", showgrid=False,
                               # no "0" label: in the corner it sat on the shift axis's last label
                               tickvals=positive_ticks(1.1 * float(np.max(sweep.w1)))))


def positive_ticks(top: float, count: int = 4) -> list[float]:
    """About `count` round tick values in (0, top]: 1, 2, 2.5 or 5 times a power of ten apart."""
    if not top > 0.0:
        return []
    raw = top / count
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * power >= raw)
    return [round(step * i, 10) for i in range(1, int(top / step + 1e-9) + 1)]


def _title(text: str, domain: list[float]) -> dict:
    """A subplot title centred over the x-axis domain."""
    return dict(xref="paper", yref="paper", x=sum(domain) / 2, y=1.0, text=f"<b>{text}</b>", showarrow=False,
                xanchor="center", yanchor="bottom")


def generator_loss_figure(curves: GeneratorLossCurves, flat_below: float, text: Mapping[str, str]) -> go.Figure:
    """Left: both generator losses; right: their gradients w.r.t. the logit; against D(G(z)).

    The band D(G(z)) < `flat_below` marks where the minimax loss leaves G almost no gradient.
    text keys: losses, gradients, minimax, nonsaturating, d_fake, flat.
    """
    d = curves.d_fake
    domains = ([0.0, 0.45], [0.55, 1.0])
    data, shapes = [], []
    for axis, (minimax, nonsat) in (("", (curves.minimax, curves.nonsaturating)),
                                    ("2", (curves.grad_minimax, curves.grad_nonsaturating))):
        where = dict(xaxis=f"x{axis}", yaxis=f"y{axis}")
        data.append(_line(d, minimax, text["minimax"], GENERATOR, legendgroup="minimax", showlegend=not axis, **where))
        data.append(_line(d, nonsat, text["nonsaturating"], DISCRIMINATOR, legendgroup="ns", showlegend=not axis,
                          **where))
        shapes.append(dict(type="rect", xref=f"x{axis}", yref="paper", x0=0.0, x1=flat_below, y0=0, y1=1,
                           fillcolor="rgba(138,134,152,0.18)", line=dict(width=0), layer="below"))
    flat = dict(xref="x2", yref="y2", x=flat_below / 2, y=-0.5, text=text["flat"], showarrow=False, textangle=-90,
                font=dict(color=MUTED))
    axis_x = dict(title=dict(text=text["d_fake"]), range=[0.0, 1.0])
    return _figure(data, height=370, shapes=shapes,
                   annotations=[_title(text["losses"], domains[0]), _title(text["gradients"], domains[1]), flat],
                   legend=dict(orientation="h", yanchor="bottom", y=1.12, x=0.0),
                   xaxis=dict(axis_x, domain=domains[0]), xaxis2=dict(axis_x, domain=domains[1]),
                   yaxis=dict(range=[-5.0, 5.0]), yaxis2=dict(range=[-1.05, 0.05], anchor="x2"))


def _figure1_traces(run: Figure1Run, index: int, text: Mapping[str, str], axis: str = "",
                    legend: bool = True) -> tuple[list[dict], list[dict]]:
    """One frame's traces and axis labels: the x and z lines, the z → G(z) lines, p_data, p_g and D."""
    frame = run.frames[index]
    low, high = float(run.x[0]), float(run.x[-1])
    z_level = -0.35
    # z ∈ (0, 1) is drawn on its own line below the x axis, spread over the middle of the range.
    z_drawn = low + (high - low) * (0.2 + 0.6 * run.z)
    gap = np.full(run.z.size, np.nan)
    xs = np.column_stack([z_drawn, frame.g_z, gap]).ravel()
    ys = np.column_stack([np.full(run.z.size, z_level), np.zeros(run.z.size), gap]).ravel()
    where = dict(xaxis=f"x{axis}", yaxis=f"y{axis}")
    data = [
        dict(type="scatter", mode="lines", x=[low, high, None, low, high], y=[0, 0, None, z_level, z_level],
             line=dict(color=MUTED, width=1), hoverinfo="skip", showlegend=False, **where),
        _line(xs, ys, text["mapping"], MUTED, width=1, connectgaps=False, showlegend=legend, legendgroup="map",
              hoverinfo="skip", **where),
        _line(run.x, run.p_data, text["p_data"], DATA, "dot", showlegend=legend, legendgroup="data", **where),
        _line(run.x, frame.p_g, text["p_g"], GENERATOR, showlegend=legend, legendgroup="g", **where),
        _line(run.x, frame.d, text["d"], DISCRIMINATOR, "dash", showlegend=legend, legendgroup="d", **where),
    ]
    notes = [dict(xref=f"x{axis}", yref=f"y{axis}", x=low, y=level, text=name, showarrow=False, xanchor="right")
             for name, level in (("x", 0.0), ("z", z_level))]
    return data, notes


def figure1_panels(run: Figure1Run, text: Mapping[str, str]) -> go.Figure:
    """The paper's four panels (a)-(d) side by side. text keys: p_data, p_g, d, mapping, a, b, c, d_panel."""
    names = ("a", "b", "c", "d")
    data, notes, layout = [], [], {}
    width, space = 0.235, (1.0 - 4 * 0.235) / 3
    for position, name in enumerate(names):
        index = next(i for i, f in enumerate(run.frames) if f.panel == name)
        axis = "" if position == 0 else str(position + 1)
        traces, labels = _figure1_traces(run, index, text, axis, legend=position == 0)
        data += traces
        domain = [position * (width + space), position * (width + space) + width]
        notes += labels + [_title(text[name if name != "d" else "d_panel"], domain)]
        hidden = dict(showticklabels=False, showgrid=False, zeroline=False)
        layout[f"xaxis{axis}"] = dict(hidden, domain=domain)
        layout[f"yaxis{axis}"] = dict(hidden, range=[-0.45, 1.05], anchor=f"x{axis}")
    return _figure(data, height=330, annotations=notes, hovermode=False,
                   legend=dict(orientation="h", yanchor="bottom", y=1.12, x=0.0), **layout)


def figure1_frame(run: Figure1Run, index: int, text: Mapping[str, str]) -> go.Figure:
    """One stage of the simulation, large. text keys: p_data, p_g, d, mapping, x."""
    data, notes = _figure1_traces(run, index, text)
    return _figure(data, height=360, annotations=notes, hovermode=False,
                   xaxis=dict(title=dict(text=text["x"]), zeroline=False),
                   yaxis=dict(range=[-0.45, 1.05], zeroline=False, tickvals=[0, 0.5, 1]))
