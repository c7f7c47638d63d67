"""The Theory page's cached work: what depends on the two distributions, and the figures
that depend on nothing a slider moves.

Everything is computed by `gan_engine.theory` (divergences on a fine grid, the page
model, the Figure-1 simulation) and drawn by `gan_engine.plots.theory`.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from gan_engine.plots import theory as plots
from gan_engine.theory import divergences as theory
from gan_engine.theory import figure1 as theory_figure1
from gan_engine.theory import model as theory_model
from ui.i18n import t
from ui.theory.controls import Spec


@st.cache_data(show_spinner=False, max_entries=128)
def comparison(data_spec: Spec, g_spec: Spec) -> tuple[theory_model.Comparison, theory_model.ShiftSweep,
                                                       tuple[tuple[str, str], ...]]:
    """Everything that depends only on the two distributions (cached: D sliders reuse it).

    Returns the comparison, the shift sweep and the build notes as (role, note) pairs.
    """
    data, data_notes = theory_model.build_distribution(dict(data_spec))
    gen, g_notes = theory_model.build_distribution(dict(g_spec))
    result = theory_model.compare(data, gen)
    sweep = theory_model.divergence_vs_shift(result.p_data.distribution, result.p_g.distribution)
    return result, sweep, tuple(("data", n) for n in data_notes) + tuple(("g", n) for n in g_notes)


@st.cache_data(show_spinner=False)
def fixed_results() -> tuple[theory.GeneratorLossCurves, theory_figure1.Figure1Run]:
    """The parts that do not depend on any slider: loss curves and the Figure-1 simulation."""
    return theory.generator_loss_curves(np.linspace(0.001, 0.999, 500)), theory_figure1.figure1_run()


@st.cache_resource(show_spinner=False, max_entries=128)
def static_figure(name: str, labels: tuple[tuple[str, str], ...], stage: int = 0) -> go.Figure:
    """A figure no distribution slider changes ("losses", "panels" or "frame" at `stage`).

    Built once per language (and stage) and shared read-only: st.plotly_chart copies a figure
    before serialising it, and building these three costs ~40 ms, more than all the maths.
    """
    losses, fig1 = fixed_results()
    text = dict(labels)
    if name == "losses":
        return plots.generator_loss_figure(losses, theory.MINIMAX_FLAT_BELOW, text)
    if name == "panels":
        return plots.figure1_panels(fig1, text)
    return plots.figure1_frame(fig1, stage, text)


def plot_texts() -> tuple[tuple[str, str], ...]:
    """The figures' texts in the session's language, as hashable (key, text) pairs."""
    return tuple((key, t(f"theory.plot.{key}")) for key in plots.TEXT_KEYS)
