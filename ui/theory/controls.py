"""The Theory page's inputs: the preset picker and, for p_data and p_g, a family picker with
its density's formula and one slider per parameter.

A distribution's choice is returned as a `Spec`, a hashable tuple of its family and
parameter values, so the cached computations in `results` can key on it.
"""

from __future__ import annotations

import streamlit as st

from gan_engine.theory import model as theory_model
from ui.i18n import labelled, t
from ui.theory.state import ROLES, apply_preset

Spec = tuple[tuple[str, object], ...]   # a distribution's family and parameters, hashable for the cache
SUBSCRIPTS = {"1": "₁", "2": "₂", "3": "₃"}
# Formulas are LaTeX, which reads the same in every language, so they live here, not in the
# translation table.
FAMILY_LATEX = {
    "normal": r"\frac{1}{\sigma\sqrt{2\pi}}\,e^{-(x-\mu)^2/2\sigma^2}",
    "mixture": r"\sum_i w_i\,\mathcal{N}(x;\mu_i,\sigma_i^2),\ \ \sum_i w_i = 1",
    "uniform": r"\frac{1}{b-a}\ \text{on}\ [a,b]",
    "laplace": r"\frac{1}{2b}\,e^{-|x-\mu|/b}",
    "gamma": r"\frac{(x-\ell)^{k-1}e^{-(x-\ell)/\theta}}{\Gamma(k)\,\theta^k},\ x\ge \ell",
}


def preset_picker() -> None:
    """The preset selectbox; choosing one sets both distributions (`state.apply_preset`)."""
    preset_names = {name: t(f"theory.preset.{name}") for name in theory_model.PRESETS}
    st.selectbox(t("theory.preset"), list(preset_names), key=labelled("theory_preset"), on_change=apply_preset,
                 format_func=preset_names.get)


def both_distributions() -> dict[str, Spec]:
    """p_data and p_g side by side, each in its bordered box; their specs by role."""
    specs = {}
    for role, column in zip(ROLES, st.columns(2, gap="large")):
        with column, st.container(border=True):
            st.markdown(f"**{t(f'theory.role.{role}')}**")
            specs[role] = distribution_controls(role)
    return specs


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
