"""The Theory page's session state: the starting preset, a preset applied to both
distributions (and which preset the widgets still match, if any), and the values of
widgets a run does not draw.

Keys are `theory_<role>_<param>` for the distributions (role "data" or "g"), plus
`theory_preset` and the section-3 sliders `theory_disc_a`, `theory_disc_b`, `theory_point_x`.
"""

from __future__ import annotations

import streamlit as st

from gan_engine.theory import model as theory_model
from ui import links

ROLES = ("data", "g")
CUSTOM = "custom"      # the preset box's entry once the families or sliders were changed by hand
# The section-3 sliders: (min, max, step, starting value).
DISCRIMINATOR_SLIDERS = {"theory_disc_a": (-6.0, 6.0, 0.1, -1.0), "theory_disc_b": (-10.0, 10.0, 0.1, 1.0),
                         "theory_point_x": (-6.0, 6.0, 0.1, 0.5)}
# Widgets a run may leave undrawn, with their starting values: every family's parameters
# (only the chosen family's are drawn) and the sliders inside the section-3 tab.
HIDDEN_WIDGET_DEFAULTS = {
    **{f"theory_{role}_{param}": value for role in ROLES
       for param, value in theory_model.preset_spec(theory_model.DEFAULT_PRESET, role).items() if param != "family"},
    **{key: limits[3] for key, limits in DISCRIMINATOR_SLIDERS.items()},
}
DEFAULT_FAMILIES = {role: theory_model.preset_spec(theory_model.DEFAULT_PRESET, role)["family"] for role in ROLES}


def shown_parameters(role: str) -> tuple[str, ...]:
    """The parameters of `role`'s chosen family that the page draws (a mixture: its components in use)."""
    family = st.session_state.get(f"theory_{role}_family", DEFAULT_FAMILIES[role])
    params = theory_model.FAMILIES[family]
    if family == "mixture":
        count = int(st.session_state.get(f"theory_{role}_components", 2))
        params = tuple(p for p in params if p == "components" or int(p[-1]) <= count)
    return params


def matching_preset() -> str:
    """The preset whose two distributions the widgets hold now, else `CUSTOM`."""
    for name in theory_model.PRESETS:
        if all(_role_matches(name, role) for role in ROLES):
            return name
    return CUSTOM


def _role_matches(name: str, role: str) -> bool:
    spec = theory_model.preset_spec(name, role)
    if st.session_state.get(f"theory_{role}_family", DEFAULT_FAMILIES[role]) != spec["family"]:
        return False
    return all(abs(float(st.session_state.get(f"theory_{role}_{param}", spec[param])) - float(spec[param])) < 1e-9
               for param in shown_parameters(role))


def apply_preset() -> None:
    """Write the chosen preset's family and parameters into both distributions' widgets."""
    name = st.session_state["theory_preset"]
    if name not in theory_model.PRESETS:        # "custom" is where the student is, not a setting
        return
    for role in ROLES:
        for param, value in theory_model.preset_spec(name, role).items():
            st.session_state[f"theory_{role}_{param}"] = value


SAVED_KEYS = [*(f"theory_{role}_family" for role in ROLES), *HIDDEN_WIDGET_DEFAULTS, "theory_section",
              "theory_fig1_stage"]


def remember() -> None:
    """Keep the page's values while the visitor is on another page (`init_state` restores them)."""
    links.remember("theory", SAVED_KEYS)


def init_state() -> None:
    """The values this session had when it left the page, else the starting preset and
    families (missing keys only); the sliders get their starting values from
    keep_hidden_widgets(), at each run of the fragment that draws them."""
    links.restore("theory")
    if "theory_preset" not in st.session_state:
        st.session_state["theory_preset"] = theory_model.DEFAULT_PRESET
    for role in ROLES:
        st.session_state.setdefault(f"theory_{role}_family", DEFAULT_FAMILIES[role])


# What decides which of those widgets a run draws: the families, the mixtures' component
# counts and the open tab.
LAYOUT_KEYS = tuple(f"theory_{role}_{name}" for role in ROLES for name in ("family", "components")) + ("theory_tab",)
_LAST_LAYOUT = "theory_kept_for_layout"


def keep_hidden_widgets(force: bool = False) -> None:
    """Keep the values of widgets this run may not draw: the other families' parameters
    and the sliders of a closed tab.

    Streamlit forgets a widget's value after a run that did not draw it (so normal → uniform
    → normal brought μ and σ back at their sliders' minimum); writing each value back through
    Session State makes it the app's own, so it survives. The values are written when the
    set of drawn widgets may change (a family, a component count or the tab changed, or
    `force`: a run that stops before drawing them all); a value written then stays the app's
    own while its widget is not drawn. Writing all forty at every slider move cost ~1 ms.
    """
    layout = tuple(st.session_state.get(key) for key in LAYOUT_KEYS)
    if not force and st.session_state.get(_LAST_LAYOUT) == layout:
        return
    st.session_state[_LAST_LAYOUT] = layout
    for key, value in HIDDEN_WIDGET_DEFAULTS.items():
        st.session_state[key] = st.session_state.get(key, value)
