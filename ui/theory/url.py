"""The Theory page's shareable link: the two distributions, the section-3 discriminator,
the open section and the Figure-1 stage live in the address.

Parameters are the widgets' own keys. A state that matches a preset is written as
`theory_preset=NAME` alone (the starting preset as nothing at all, so /Theory is the page as
it opens); a custom state as each value that differs from the starting state: the families
`theory_{data,g}_family` and the shown parameters `theory_{data,g}_{param}`, plus
`theory_disc_a`, `theory_disc_b`, `theory_point_x`, `theory_section` (s3-s7) and
`theory_fig1_stage`. On a session's first visit each value is read into its widget's
domain (clamped, rounded or refused), and what a link got wrong is one summary message.
"""

from __future__ import annotations

import streamlit as st

from gan_engine.theory import model as theory_model
from ui.links import check_number, language_notes, note, write_params
from ui.theory.results import fixed_results
from ui.theory.state import (CUSTOM, DEFAULT_FAMILIES, DISCRIMINATOR_SLIDERS, HIDDEN_WIDGET_DEFAULTS, ROLES,
                             matching_preset, shown_parameters)

CHECKED = "theory_url_checked"
SECTIONS = ("s3", "s4", "s5", "s6", "s7")
DEFAULT_SECTION = "s3"
STAGE_KEY = "theory_fig1_stage"


def _apply_preset(name: str) -> None:
    for role in ROLES:
        for param, value in theory_model.preset_spec(name, role).items():
            st.session_state[f"theory_{role}_{param}"] = value


def _read_number(key: str, raw: str, low: float, high: float, step: float | None, integer: bool,
                 notes: list[str]) -> None:
    value, outcome = check_number(raw, low, high, step, integer)
    if value is not None:
        st.session_state[key] = value if integer else float(value)
    if outcome is not None:
        notes.append(note(outcome, key, raw, value))


def read_link() -> list[str]:
    """On a session's first visit, set the widgets from the address; the lines of the
    summary message (empty for a clean link, and on every later run)."""
    if st.session_state.get(CHECKED):
        return []
    st.session_state[CHECKED] = True
    params, notes = st.query_params, language_notes()
    if (raw := params.get("theory_preset")) is not None:
        if raw in theory_model.PRESETS:
            _apply_preset(raw)
        elif raw != CUSTOM:
            notes.append(note("ignored", "theory_preset", raw))
    for role in ROLES:
        key = f"theory_{role}_family"
        if (raw := params.get(key)) is not None:
            if raw in theory_model.FAMILIES:
                st.session_state[key] = raw
            else:
                notes.append(note("ignored", key, raw))
        for param, (low, high, step, _) in theory_model.PARAM_RANGES.items():
            key = f"theory_{role}_{param}"
            if (raw := params.get(key)) is not None:
                _read_number(key, raw, low, high, step, param == "components", notes)
    for key, (low, high, step, _) in DISCRIMINATOR_SLIDERS.items():
        if (raw := params.get(key)) is not None:
            _read_number(key, raw, low, high, step, False, notes)
    if (raw := params.get("theory_section")) is not None:
        if raw in SECTIONS:
            st.session_state["theory_section"] = raw
            st.session_state.pop("theory_tab", None)       # the tabs open the section by name
        else:
            notes.append(note("ignored", "theory_section", raw))
    if (raw := params.get(STAGE_KEY)) is not None:
        _read_number(STAGE_KEY, raw, 0, len(fixed_results()[1].frames) - 1, None, True, notes)
    return notes


def write_link() -> None:
    """Put sections 1-7's state in the address (call once their widgets are drawn)."""
    preset = matching_preset()
    values: dict[str, object] = {"theory_preset": preset if preset not in (CUSTOM, theory_model.DEFAULT_PRESET)
                                 else None}
    for role in ROLES:
        family = st.session_state.get(f"theory_{role}_family", DEFAULT_FAMILIES[role])
        values[f"theory_{role}_family"] = family if preset == CUSTOM and family != DEFAULT_FAMILIES[role] else None
        shown = shown_parameters(role) if preset == CUSTOM else ()
        for param in theory_model.PARAM_RANGES:
            key = f"theory_{role}_{param}"
            value = st.session_state.get(key, HIDDEN_WIDGET_DEFAULTS[key])
            values[key] = value if param in shown and value != HIDDEN_WIDGET_DEFAULTS[key] else None
    for key in DISCRIMINATOR_SLIDERS:
        value = st.session_state.get(key, HIDDEN_WIDGET_DEFAULTS[key])
        values[key] = value if value != HIDDEN_WIDGET_DEFAULTS[key] else None
    section = st.session_state.get("theory_section", DEFAULT_SECTION)
    values["theory_section"] = section if section != DEFAULT_SECTION else None
    write_params(values)


def write_stage() -> None:
    """Put the Figure-1 stage in the address (call from section 8, once its slider is drawn)."""
    stage = st.session_state.get(STAGE_KEY, 0)
    write_params({STAGE_KEY: stage or None})
