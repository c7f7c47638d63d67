"""Theory page: V(D,G), the optimal discriminator D* and the Jensen-Shannon divergence, live.

The student picks p_data and p_g from families of 1-D densities; every quantity is computed
by `gan_engine.theory.divergences` on a fine grid (the families, presets and comparison come from
`gan_engine.theory.model`, the Figure-1 simulation from `gan_engine.theory.figure1`) and drawn
by `gan_engine.plots.theory`. Section numbers follow the issue: (1) distributions, (2) D*,
(3) value function, (4) divergences, (5) vanishing gradients, (6) generator losses,
(7) equilibrium, (8) Figure 1.
Formulas are LaTeX, which reads the same in every language, so they live here, not in the
translation table.
"""

import math

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from gan_engine.theory import divergences as theory
from gan_engine.theory import figure1 as theory_figure1
from gan_engine.theory import model as theory_model
from gan_engine.errors import GanExplorerError
from gan_engine.plots import theory as plots
from ui.frame import setup_page
from ui.i18n import labelled, t

ROLES = ("data", "g")
Spec = tuple[tuple[str, object], ...]   # a distribution's family and parameters, hashable for the cache
# Widgets a run may leave undrawn, with their starting values: every family's parameters
# (only the chosen family's are drawn) and the sliders inside the section-3 tab.
HIDDEN_WIDGET_DEFAULTS = {
    **{f"theory_{role}_{param}": value for role in ROLES
       for param, value in theory_model.preset_spec(theory_model.DEFAULT_PRESET, role).items() if param != "family"},
    "theory_disc_a": -1.0, "theory_disc_b": 1.0, "theory_point_x": 0.5,
}
SUBSCRIPTS = {"1": "₁", "2": "₂", "3": "₃"}
FAMILY_LATEX = {
    "normal": r"\frac{1}{\sigma\sqrt{2\pi}}\,e^{-(x-\mu)^2/2\sigma^2}",
    "mixture": r"\sum_i w_i\,\mathcal{N}(x;\mu_i,\sigma_i^2),\ \ \sum_i w_i = 1",
    "uniform": r"\frac{1}{b-a}\ \text{on}\ [a,b]",
    "laplace": r"\frac{1}{2b}\,e^{-|x-\mu|/b}",
    "gamma": r"\frac{(x-\ell)^{k-1}e^{-(x-\ell)/\theta}}{\Gamma(k)\,\theta^k},\ x\ge \ell",
}


def fmt(value: float, digits: int = 8) -> str:
    """A number for display: fixed digits, ∞ for an infinite divergence."""
    # Adding 0.0 turns a rounded −0.0 (from a value like −1e-16) into 0.0.
    return "∞" if math.isinf(value) else f"{round(value, digits) + 0.0:.{digits}f}"


def apply_preset() -> None:
    """Write the chosen preset's family and parameters into both distributions' widgets."""
    name = st.session_state["theory_preset"]
    for role in ROLES:
        for param, value in theory_model.preset_spec(name, role).items():
            st.session_state[f"theory_{role}_{param}"] = value


def init_state() -> None:
    """Starting preset and families (missing keys only); the sliders get their starting values
    from keep_hidden_widgets(), at each run of the fragment that draws them."""
    if "theory_preset" not in st.session_state:
        st.session_state["theory_preset"] = theory_model.DEFAULT_PRESET
    for role in ROLES:
        st.session_state.setdefault(f"theory_{role}_family",
                                    theory_model.preset_spec(theory_model.DEFAULT_PRESET, role)["family"])


def keep_hidden_widgets() -> None:
    """Keep the values of widgets this run may not draw: the other families' parameters
    and the sliders of a closed tab.

    Streamlit forgets a widget's value after a run that did not draw it (so normal → uniform
    → normal brought μ and σ back at their sliders' minimum); writing each value back through
    Session State makes it the app's own, so it survives.
    """
    for key, value in HIDDEN_WIDGET_DEFAULTS.items():
        st.session_state[key] = st.session_state.get(key, value)


def distribution_controls(role: str) -> Spec:
    """Family picker and sliders for p_data or p_g; returns the parameter set as a hashable tuple."""
    # Labels are looked up here, not inside format_func, which may run outside the script run.
    family_names = {name: t(f"theory.family.{name}") for name in theory_model.FAMILIES}
    family = st.selectbox(t("theory.family"), list(family_names), key=labelled(f"theory_{role}_family"),
                          format_func=family_names.get)
    st.latex(("p_{data}" if role == "data" else "p_g") + "(x) = " + FAMILY_LATEX[family])
    params = theory_model.FAMILIES[family]
    if family == "mixture":
        count = st.radio(t("theory.param.components"), (2, 3), horizontal=True, key=f"theory_{role}_components")
        params = tuple(p for p in params if p == "components" or int(p[-1]) <= count)
    columns = st.columns(3 if family == "mixture" else len(params))
    sliders = [p for p in params if p != "components"]
    for index, param in enumerate(sliders):
        low, high, step, _ = theory_model.PARAM_RANGES[param]
        base, sub = (param[:-1], SUBSCRIPTS[param[-1]]) if param[-1].isdigit() else (param, "")
        with columns[index % len(columns)]:
            st.slider(t(f"theory.param.{base}") + sub, float(low), float(high), step=float(step),
                      key=f"theory_{role}_{param}")
    return (("family", family),) + tuple((p, st.session_state[f"theory_{role}_{p}"]) for p in params)


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


@st.fragment
def distributions_and_divergences(label_items: tuple[tuple[str, str], ...]) -> None:
    """Sections 1-7: everything a distribution or discriminator slider changes.

    A fragment, so moving a slider reruns only these sections: the title and the Figure-1
    section (two static figures and the stage scrubber) are not rebuilt or sent again.
    Sections 3-7 sit in tabs that run lazily: only the open one is computed and sent.
    """
    labels = dict(label_items)
    keep_hidden_widgets()
    # ---- (1) the two distributions ----------------------------------------------------------------
    explain("s1")
    preset_names = {name: t(f"theory.preset.{name}") for name in theory_model.PRESETS}
    st.selectbox(t("theory.preset"), list(preset_names), key=labelled("theory_preset"), on_change=apply_preset,
                 format_func=preset_names.get)
    specs = {}
    for role, column in zip(ROLES, st.columns(2, gap="large")):
        with column, st.container(border=True):
            st.markdown(f"**{t(f'theory.role.{role}')}**")
            specs[role] = distribution_controls(role)

    try:
        result, sweep, notes = comparison(specs["data"], specs["g"])
    except GanExplorerError as exc:
        st.error(t("theory.error", detail=str(exc)))
        return

    for role, note in notes:
        st.warning(t(f"theory.note.{note}", role=t(f"theory.role.{role}")))
    for role, density in (("data", result.p_data), ("g", result.p_g)):
        if density.widened_from is not None:
            st.warning(t("theory.note.widened", role=t(f"theory.role.{role}"), given=f"{density.widened_from:.3g}",
                         used=f"{density.distribution.scale:.3g}"))
        if density.mass_on_grid < 1.0 - 1e-4:
            outside = f"{100 * (1 - density.mass_on_grid):.2g}"
            st.info(t("theory.note.outside", role=t(f"theory.role.{role}"), percent=outside,
                      low=f"{result.x[0]:g}", high=f"{result.x[-1]:g}"))
    x, p, q = result.x, result.p_data.values, result.p_g.values
    # The headline identity at a glance, right under the sliders that move it (section 4 has
    # the full set): sent before any chart, so it is also the first thing a slider updates.
    glance = st.columns(3)
    glance[0].metric(t("theory.jsd_nats"), fmt(result.jsd))
    glance[1].metric(t("theory.identity_left"), fmt(result.value_optimal, 10))
    glance[2].metric(t("theory.identity_right"), fmt(result.value_identity, 10))

    # ---- (2) the optimal discriminator ---------------------------------------------------------------
    explain("s2", r"D^*(x) = \frac{p_{data}(x)}{p_{data}(x) + p_g(x)}")
    chart(plots.densities_figure(x, p, q, result.d_star, labels), "theory_fig_dstar")

    # ---- (3)-(7) in lazy tabs: only the open one is computed and drawn -------------------------------
    # A distribution slider redraws D* plus the open tab's charts (at most two), not all five:
    # each live Plotly chart costs the browser ~40-50 ms per move on a small machine.
    sections = {"s3": lambda: value_function_section(result, labels), "s4": lambda: divergences_section(result),
                "s5": lambda: gradients_section(sweep, labels), "s6": lambda: losses_section(label_items),
                "s7": lambda: equilibrium_section(p, x)}
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


@st.fragment
def figure1_section(label_items: tuple[tuple[str, str], ...]) -> None:
    """Section 8: the Figure-1 simulation and its stage scrubber (reruns on its own)."""
    # ---- (8) Figure 1 of Goodfellow et al. (2014) ---------------------------------------------------
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


init_state()
setup_page("nav.theory")
st.title(t("theory.title"))
st.write(t("theory.intro"))
label_items = tuple((key, t(f"theory.plot.{key}")) for key in plots.TEXT_KEYS)

distributions_and_divergences(label_items)
figure1_section(label_items)
