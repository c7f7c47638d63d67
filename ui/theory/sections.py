"""The Theory page's sections, each drawn from the cached results: numbers, formulas, charts.

Section numbers follow the page: (1) distributions (in `controls`), (2) D*, (3) value
function, (4) divergences, (5) vanishing gradients, (6) generator losses, (7) equilibrium,
(8) Figure 1. Formulas are LaTeX, which reads the same in every language, so they live
here, not in the translation table.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from gan_engine.plots import theory as plots
from gan_engine.theory import divergences as theory
from gan_engine.theory import model as theory_model
from ui.i18n import labelled, t
from ui.theory.results import fixed_results, static_figure


def fmt(value: float, digits: int = 8) -> str:
    """A number for display: fixed digits, ∞ for an infinite divergence."""
    # Adding 0.0 turns a rounded −0.0 (from a value like −1e-16) into 0.0.
    return "∞" if math.isinf(value) else f"{round(value, digits) + 0.0:.{digits}f}"


def chart(figure: go.Figure, key: str) -> None:
    """Draw a figure across the page's width (its key keeps it in place across reruns)."""
    # theme=None: the figures carry their own small template (gan_engine.plots.style), which
    # spares the browser Streamlit's restyling on every redraw.
    st.plotly_chart(figure, width="stretch", key=key, theme=None)


def explain(section: str, *formulas: str) -> None:
    """A section's heading, its formulas and its two-line explanation."""
    st.subheader(t(f"theory.{section}.title"))
    for formula in formulas:
        st.latex(formula)
    st.caption(t(f"theory.{section}.explain"))


def density_notes(result: theory_model.Comparison, build_notes: tuple[tuple[str, str], ...]) -> None:
    """What had to be adjusted to draw the two densities (a widened scale, mass off the grid)."""
    for role, note in build_notes:
        st.warning(t(f"theory.note.{note}", role=t(f"theory.role.{role}")))
    for role, density in (("data", result.p_data), ("g", result.p_g)):
        if density.widened_from is not None:
            st.warning(t("theory.note.widened", role=t(f"theory.role.{role}"), given=f"{density.widened_from:.3g}",
                         used=f"{density.distribution.scale:.3g}"))
        if density.mass_on_grid < 1.0 - 1e-4:
            outside = f"{100 * (1 - density.mass_on_grid):.2g}"
            st.info(t("theory.note.outside", role=t(f"theory.role.{role}"), percent=outside,
                      low=f"{result.x[0]:g}", high=f"{result.x[-1]:g}"))


def identity_at_a_glance(result: theory_model.Comparison) -> None:
    """JSD and both sides of V(D*,G) = −log 4 + 2·JSD, right under the sliders that move them.

    Sent before any chart, so it is also the first thing a slider updates (section 4 has the
    full set).
    """
    glance = st.columns(3)
    glance[0].metric(t("theory.jsd_nats"), fmt(result.jsd))
    glance[1].metric(t("theory.identity_left"), fmt(result.value_optimal, 10))
    glance[2].metric(t("theory.identity_right"), fmt(result.value_identity, 10))


def optimal_discriminator_section(result: theory_model.Comparison, labels: dict[str, str]) -> None:
    """(2) The two densities and D* between them."""
    explain("s2", r"D^*(x) = \frac{p_{data}(x)}{p_{data}(x) + p_g(x)}")
    chart(plots.densities_figure(result.x, result.p_data.values, result.p_g.values, result.d_star, labels),
          "theory_fig_dstar")


def lazy_tabs(sections: dict[str, Callable[[], None]]) -> None:
    """Sections in tabs of which only the open one is computed and drawn.

    A distribution slider then redraws D* plus the open tab's charts (at most two), not all
    five: each live Plotly chart costs the browser ~40-50 ms per move on a small machine.
    """
    tab_labels = {name: t(f"theory.tab.{name}") for name in sections}
    if st.session_state.get("theory_tab") not in tab_labels.values():
        # First visit, or the language changed: open the section that was open (by name).
        st.session_state["theory_tab"] = tab_labels[st.session_state.get("theory_section", "s3")]
    tabs = st.tabs(list(tab_labels.values()), key=labelled("theory_tab"), on_change="rerun")
    for (name, draw), tab in zip(sections.items(), tabs):
        if tab.open:
            st.session_state["theory_section"] = name
            with tab:
                draw()


def value_function_section(result: theory_model.Comparison, labels: dict[str, str]) -> None:
    """(3) V(D,G) for the student's logistic D beside V(D*,G), and the pointwise integrand at x."""
    x, p, q = result.x, result.p_data.values, result.p_g.values
    explain("s3", r"V(D,G) = \int p_{data}(x)\log D(x) + p_g(x)\log\big(1 - D(x)\big)\,dx \;\le\; V(D^*,G)",
            r"D(x) = \sigma(a\,x + b) = \frac{1}{1 + e^{-(a x + b)}}")
    col_a, col_b, col_x = st.columns(3)
    slope = col_a.slider(t("theory.disc_a"), -6.0, 6.0, step=0.1, key="theory_disc_a")
    offset = col_b.slider(t("theory.disc_b"), -10.0, 10.0, step=0.1, key="theory_disc_b")
    point = col_x.slider(t("theory.point_x"), -6.0, 6.0, step=0.1, key="theory_point_x")
    logit, d_student = theory.logistic_discriminator(x, slope, offset)
    value_student = theory.value_function_logit(logit, p, q, x)
    m1, m2, m3 = st.columns(3)
    m1.metric(t("theory.value_student"), fmt(value_student, 6))
    m2.metric(t("theory.value_optimal"), fmt(result.value_optimal, 6))
    m3.metric(t("theory.value_gap"), fmt(result.value_optimal - value_student, 6))
    chart(plots.discriminators_figure(x, p, q, result.d_star, d_student, point, labels), "theory_fig_disc")
    p_at, q_at, d_star_at = result.at(point)
    st.latex(rf"f(y) = p_{{data}}({point:g})\log y + p_g({point:g})\log(1-y) = "
             rf"{p_at:.4f}\,\log y + {q_at:.4f}\,\log(1-y)")
    if math.isnan(d_star_at):
        st.info(t("theory.pointwise_undefined"))
    else:
        y = np.linspace(0.001, 0.999, 999)
        student_at = float(theory.logistic_discriminator(np.array([point]), slope, offset)[1][0])
        integrand = theory.pointwise_value(y, p_at, q_at)
        chart(plots.pointwise_figure(y, integrand, d_star_at, student_at, labels), "theory_fig_pointwise")


def divergences_section(result: theory_model.Comparison) -> None:
    """(4) JSD in nats and bits, both KLs, and V(D*,G) beside −log 4 + 2·JSD."""
    explain("s4", r"\mathrm{JSD}(p_{data}\,\|\,p_g) = \tfrac12\,\mathrm{KL}\big(p_{data}\,\|\,m\big) + "
                  r"\tfrac12\,\mathrm{KL}\big(p_g\,\|\,m\big),\quad m = \tfrac12(p_{data}+p_g)",
            r"\mathrm{KL}(p\,\|\,q) = \int p(x)\log\frac{p(x)}{q(x)}\,dx,\qquad "
            r"V(D^*,G) = -\log 4 + 2\,\mathrm{JSD}(p_{data}\,\|\,p_g)")
    cols = st.columns(4)
    cols[0].metric(t("theory.jsd_nats"), fmt(result.jsd))
    cols[1].metric(t("theory.jsd_bits"), fmt(result.jsd / math.log(2.0)))
    cols[2].metric(t("theory.kl_data_g"), fmt(result.kl_data_g, 6))
    cols[3].metric(t("theory.kl_g_data"), fmt(result.kl_g_data, 6))
    cols = st.columns(3)
    cols[0].metric(t("theory.identity_left"), fmt(result.value_optimal, 10))
    cols[1].metric(t("theory.identity_right"), fmt(result.value_identity, 10))
    cols[2].metric(t("theory.identity_gap"), f"{abs(result.value_optimal - result.value_identity):.1e}")
    if math.isinf(result.kl_data_g) or math.isinf(result.kl_g_data):
        st.caption(t("theory.kl_infinite"))


def gradients_section(sweep: theory_model.ShiftSweep, labels: dict[str, str]) -> None:
    """(5) JSD saturating at log 2 while W1 keeps growing, as p_g slides away."""
    explain("s5", r"W_1(p_{data}, p_g) = \int \big|F_{data}(x) - F_g(x)\big|\,dx, \qquad "
                  r"\mathrm{JSD} \le \log 2")
    chart(plots.shift_sweep_figure(sweep, labels), "theory_fig_sweep")


def losses_section(label_items: tuple[tuple[str, str], ...]) -> None:
    """(6) The minimax and non-saturating generator losses and their gradients (a static figure)."""
    explain("s6", r"\min_G\ \log\big(1 - D(G(z))\big),\quad \frac{\partial}{\partial l} = -D"
                  r"\qquad\qquad \min_G\ -\log D(G(z)),\quad \frac{\partial}{\partial l} = D - 1")
    chart(static_figure("losses", label_items), "theory_fig_losses")


def equilibrium_section(p_data: np.ndarray, x: np.ndarray) -> None:
    """(7) The reference values at p_g = p_data, computed on the grid beside the exact ones."""
    explain("s7", r"p_g = p_{data} \;\Rightarrow\; D^* = \tfrac12,\quad V(D^*,G) = -\log 4,\quad "
                  r"-\log\tfrac12 = \ln 2,\quad \big(1-\tfrac12\big)^2 = 0.25")
    eq = theory.equilibrium(p_data, x)
    st.table({t("theory.eq.quantity"): [t("theory.eq.d"), t("theory.eq.value"), t("theory.eq.bce"), t("theory.eq.mse")],
              t("theory.eq.computed"): [fmt(value, 6) for value in (eq.d, eq.value, eq.bce_per_term, eq.mse_per_term)],
              t("theory.eq.exact"): ["1/2", "−log 4 = −1.386294", "ln 2 = 0.693147", "0.25"]})


def figure1_section(label_items: tuple[tuple[str, str], ...]) -> None:
    """(8) Figure 1 of Goodfellow et al. (2014): the simulation's panels and its stage scrubber."""
    fig1 = fixed_results()[1]
    explain("s8")
    chart(static_figure("panels", label_items), "theory_fig1_panels")
    frame_names = {i: (f"({f.panel})" if f.panel else t("theory.fig1.round", rounds=f.rounds))
                   for i, f in enumerate(fig1.frames)}
    stage = st.select_slider(t("theory.fig1.stage"), options=list(frame_names), format_func=frame_names.get,
                             key=labelled("theory_fig1_stage"))
    frame = fig1.frames[stage]
    st.caption(t("theory.fig1.state", mu=f"{frame.mu:.3f}", sigma=f"{frame.sigma:.3f}",
                 d_min=f"{np.min(frame.d):.3f}", d_max=f"{np.max(frame.d):.3f}"))
    chart(static_figure("frame", label_items, stage), "theory_fig1_frame")
