"""The Theory page's session state: the starting preset, a preset applied to both
distributions, and the values of widgets a run does not draw.

Keys are `theory_<role>_<param>` for the distributions (role "data" or "g"), plus
`theory_preset` and the section-3 sliders `theory_disc_a`, `theory_disc_b`, `theory_point_x`.
"""

from __future__ import annotations

import streamlit as st

from gan_engine.theory import model as theory_model

ROLES = ("data", "g")
# Widgets a run may leave undrawn, with their starting values: every family's parameters
# (only the chosen family's are drawn) and the sliders inside the section-3 tab.
HIDDEN_WIDGET_DEFAULTS = {
    **{f"theory_{role}_{param}": value for role in ROLES
       for param, value in theory_model.preset_spec(theory_model.DEFAULT_PRESET, role).items() if param != "family"},
    "theory_disc_a": -1.0, "theory_disc_b": 1.0, "theory_point_x": 0.5,
}


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
