"""Plotly figures for the Gallery page. Each takes plain arrays and the (translated) texts.

The engine never imports the translation table, so every visible word arrives as an
argument; the page passes `t(...)` results.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

GENERATED_COLOUR = "#e4572e"
REAL_COLOUR = "#4c78a8"
SLERP_COLOUR = "#54a24b"
_DIGITS = [str(d) for d in range(10)]


def _layout(figure: go.Figure, title: str, x_title: str, y_title: str, height: int = 320) -> go.Figure:
    figure.update_layout(title=title, xaxis_title=x_title, yaxis_title=y_title, height=height,
                         margin=dict(l=50, r=20, t=50, b=45), legend=dict(orientation="h", y=-0.25),
                         template="plotly_white")
    return figure


def path_norms(fraction: np.ndarray, lerp_norms: np.ndarray, slerp_norms: np.ndarray, latent_dim: int,
               *, title: str, x_title: str, y_title: str, shell_label: str) -> go.Figure:
    """‖z‖ along the straight and the spherical path, against the Gaussian shell radius √d.

    `fraction` (T,) is the position along the path in [0, 1]; the norms are (T,).
    """
    figure = go.Figure()
    figure.add_scatter(x=fraction, y=lerp_norms, mode="lines+markers", name="lerp",
                       line=dict(color=GENERATED_COLOUR))
    figure.add_scatter(x=fraction, y=slerp_norms, mode="lines+markers", name="slerp",
                       line=dict(color=SLERP_COLOUR))
    figure.add_hline(y=float(np.sqrt(latent_dim)), line_dash="dash", line_color="grey",
                     annotation_text=shell_label, annotation_position="bottom right")
    low = min(float(np.min(lerp_norms)), float(np.min(slerp_norms)), np.sqrt(latent_dim))
    figure.update_yaxes(range=[0.0, 1.15 * max(float(np.max(lerp_norms)), float(np.max(slerp_norms)), low)])
    return _layout(figure, title, x_title, y_title)


def class_histogram(fractions: np.ndarray, *, title: str, x_title: str, y_title: str,
                    reference: np.ndarray | None = None, generated_name: str = "",
                    reference_name: str = "") -> go.Figure:
    """Bars of the fraction of samples classified as each digit (10,), optionally beside a reference (10,)."""
    figure = go.Figure()
    figure.add_bar(x=_DIGITS, y=fractions, name=generated_name, marker_color=GENERATED_COLOUR)
    if reference is not None:
        figure.add_bar(x=_DIGITS, y=reference, name=reference_name, marker_color=REAL_COLOUR)
    figure.update_layout(barmode="group", showlegend=reference is not None)
    figure.update_yaxes(tickformat=".0%", rangemode="tozero")
    return _layout(figure, title, x_title, y_title)


def per_class_comparison(generated: np.ndarray, real: np.ndarray, *, title: str, x_title: str,
                         y_title: str, generated_name: str, real_name: str, percent: bool = False,
                         threshold: float | None = None, threshold_label: str = "") -> go.Figure:
    """Grouped bars per digit: a generator's score (10,) beside real digits' (10,).

    With `threshold` a dashed line marks the bar a good generator should clear.
    """
    figure = go.Figure()
    figure.add_bar(x=_DIGITS, y=generated, name=generated_name, marker_color=GENERATED_COLOUR)
    figure.add_bar(x=_DIGITS, y=real, name=real_name, marker_color=REAL_COLOUR)
    if threshold is not None:
        # The bar to clear is a dashed line named in the legend: a label on the plot sat on the bars.
        figure.add_scatter(x=[-0.5, len(_DIGITS) - 0.5], y=[threshold, threshold], mode="lines", name=threshold_label,
                           line={"color": "grey", "dash": "dash"}, hoverinfo="skip", xaxis="x2")
        figure.update_layout(xaxis2={"range": [-0.5, len(_DIGITS) - 0.5], "overlaying": "x", "visible": False})
    figure.update_layout(barmode="group")
    if percent:
        low = float(np.nanmin(np.concatenate([generated, real, [threshold or 1.0]])))
        figure.update_yaxes(tickformat=".0%", range=[max(0.0, min(low, 1.0) - 0.05), 1.005])
    return _layout(figure, title, x_title, y_title)
