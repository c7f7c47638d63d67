"""The Theory page's cached work, shared by every visitor of the server: what depends on the
two distributions, the figures a slider position draws, and the figures no slider changes.

Everything is computed by `gan_engine.theory` (divergences on a fine grid, the page
model, the Figure-1 simulation) and drawn by `gan_engine.plots.theory`.

A class explores the same presets and slider positions (the sliders move in steps), so what
a slider position asks for is kept per parameter set, shared by every session of the
server, in bounded caches (least recently used out first), without a copy per visit: the
comparison's arrays are made read-only, and the figures are never changed once built
(`plots.FrozenFigure`, which also keeps the dict form `st.plotly_chart` serialises). With a
class of 30 on one server, building and serialising these figures was about half of the
server's time per slider move (benchmarks/class_pages.py).

These per-position caches are `functools.lru_cache`, not `st.cache_resource`: their keys
are small hashable tuples, which Python hashes in a microsecond, where Streamlit's cache
hashes every argument's bytes (~0.3-0.9 ms a call, several calls a slider move). Worst case
in memory, all caches full (measured with tracemalloc): 31 MB of comparisons (128 × 240 kB:
six grid arrays of 5001 points), 23 MB of D* figures (256 × ~90 kB: four curves of at most
800 points, and their base64 form) and 31 MB of student views (256 × ~120 kB: two figures),
about 85 MB in all, whatever the number of visitors or languages (the labels are part of
the keys). Sessions hold no copies.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from gan_engine.plots import theory as plots
from gan_engine.theory import divergences as theory
from gan_engine.theory import figure1 as theory_figure1
from gan_engine.theory import model as theory_model
from ui.i18n import t
from ui.theory.controls import Spec

Labels = tuple[tuple[str, str], ...]      # (key, text) pairs of the figures' texts, hashable for the caches
COMPARISONS = 128                          # cache sizes, in parameter sets (see the module's docstring)
FIGURES = 256
POINTWISE_Y = np.linspace(0.001, 0.999, 999)   # the discriminator outputs y the section-3 integrand is drawn over


def _read_only(value: object) -> None:
    """Make every array in `value` (a dataclass, nested) read-only: it is shared between sessions."""
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
    elif dataclasses.is_dataclass(value):
        for item in dataclasses.fields(value):
            _read_only(getattr(value, item.name))


@functools.lru_cache(maxsize=COMPARISONS)
def comparison(data_spec: Spec, g_spec: Spec) -> tuple[theory_model.Comparison, theory_model.ShiftSweep,
                                                       tuple[tuple[str, str], ...]]:
    """Everything that depends only on the two distributions, computed once per pair of specs.

    Returns the comparison, the shift sweep and the build notes as (role, note) pairs; their
    arrays are read-only.
    """
    data, data_notes = theory_model.build_distribution(dict(data_spec))
    gen, g_notes = theory_model.build_distribution(dict(g_spec))
    result = theory_model.compare(data, gen)
    sweep = theory_model.divergence_vs_shift(result.p_data.distribution, result.p_g.distribution)
    _read_only(result)
    _read_only(sweep)
    return result, sweep, tuple(("data", n) for n in data_notes) + tuple(("g", n) for n in g_notes)


@functools.lru_cache(maxsize=FIGURES)
def densities_figure(data_spec: Spec, g_spec: Spec, labels: Labels) -> go.Figure:
    """Section 2's figure for a pair of specs: both densities and D* between them."""
    result = comparison(data_spec, g_spec)[0]
    return plots.densities_figure(result.x, result.p_data.values, result.p_g.values, result.d_star, dict(labels))


@dataclass(frozen=True)
class StudentView:
    """Section 3 for one position of its sliders: the student's D = σ(a·x + b) against D*."""

    value: float                          # V(D, G) of the student's D, nats
    figure: go.Figure                     # D* and the student's D over x, the point x marked
    at_point: tuple[float, float, float]  # p_data(x), p_g(x) (per x unit) and D*(x) (NaN where both vanish)
    student_at_point: float               # the student's D(x)
    pointwise: go.Figure | None           # the integrand at x against y; None where D*(x) is undefined


@functools.lru_cache(maxsize=FIGURES)
def student_view(data_spec: Spec, g_spec: Spec, slope: float, offset: float, point: float,
                 labels: Labels) -> StudentView:
    """Section 3's numbers and figures for one pair of specs and one position of its sliders."""
    result = comparison(data_spec, g_spec)[0]
    x, p, q = result.x, result.p_data.values, result.p_g.values
    text = dict(labels)
    logit, d_student = theory.logistic_discriminator(x, slope, offset)
    value = theory.value_function_logit(logit, p, q, x)
    figure = plots.discriminators_figure(x, p, q, result.d_star, d_student, point, text)
    p_at, q_at, d_star_at = result.at(point)
    student_at = float(theory.logistic_discriminator(np.array([point]), slope, offset)[1][0])
    pointwise = None
    if not np.isnan(d_star_at):
        pointwise = plots.pointwise_figure(POINTWISE_Y, theory.pointwise_value(POINTWISE_Y, p_at, q_at), d_star_at,
                                           student_at, text)
    return StudentView(value, figure, (p_at, q_at, d_star_at), student_at, pointwise)


@st.cache_data(show_spinner=False)
def fixed_results() -> tuple[theory.GeneratorLossCurves, theory_figure1.Figure1Run]:
    """The parts that do not depend on any slider: loss curves and the Figure-1 simulation."""
    return theory.generator_loss_curves(np.linspace(0.001, 0.999, 500)), theory_figure1.figure1_run()


@st.cache_resource(show_spinner=False, max_entries=128)
def static_figure(name: str, labels: Labels, stage: int = 0) -> go.Figure:
    """A figure no distribution slider changes ("losses", "panels" or "frame" at `stage`).

    Built once per language (and stage) and shared read-only: building these three costs
    ~40 ms, more than all the maths.
    """
    losses, fig1 = fixed_results()
    text = dict(labels)
    if name == "losses":
        return plots.generator_loss_figure(losses, theory.MINIMAX_FLAT_BELOW, text)
    if name == "panels":
        return plots.figure1_panels(fig1, text)
    return plots.figure1_frame(fig1, stage, text)


def plot_texts() -> Labels:
    """The figures' texts in the session's language, as hashable (key, text) pairs."""
    return tuple((key, t(f"theory.plot.{key}")) for key in plots.TEXT_KEYS)
