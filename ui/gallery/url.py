"""The Gallery page's shareable link: the generator, the view, and the seeds, digits and
other controls of that view live in the address.

Parameters are the widgets' own keys: `gallery_generator` (a shipped generator
`pretrained:NAME` or a run key), `gallery_view`, and each control of `fields.CONTROLS` that
the view in use draws. A value equal to its starting value is left out, so /Gallery is the
page as it opens. On a session's first visit each value is read into its control's domain
(clamped, rounded or refused), and what a link got wrong is one summary message: a
generator this server does not have, or a view the chosen generator cannot show, included.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from gan_engine.judge.sampling import GeneratorSource
from ui.gallery.fields import CONTROLS, Control
from ui.gallery.views import CONDITIONAL_ONLY, VIEWS
from ui.gallery.widgets import describe
from ui.i18n import t
from ui.inputs import whole_number
from ui.links import check_number, language_notes, note, remember, restore, shown_text, write_params

CHECKED = "gallery_url_checked"
DEFAULT_VIEW = "sample"


def _read_control(control: Control, raw: str, notes: list[str]) -> None:
    if raw in control.choices:
        st.session_state[control.key] = raw
        return
    if control.kind == "choice":
        notes.append(note("ignored", control.key, raw))
        return
    value, outcome = check_number(raw, control.low, control.high, integer=True)
    if value is not None:
        st.session_state[control.key] = str(value) if control.kind == "seed" else value
    if outcome is not None:
        notes.append(note(outcome, control.key, raw, value))


def read_link(sources: Mapping[str, GeneratorSource]) -> list[str]:
    """On a session's first visit, set the widgets from the address; the lines of the
    summary message (empty for a clean link, and on every later run, which instead puts back
    what the visitor left on a trip to another page). `sources`: the generators on offer, by
    spec, the first being the page's default."""
    if st.session_state.get(CHECKED):
        restore("gallery")          # back from another page: the values this session left with
        return []
    st.session_state[CHECKED] = True
    params, notes = st.query_params, language_notes()
    chosen = next(iter(sources.values()))
    if (raw := params.get("gallery_generator")) is not None:
        if raw in sources:
            chosen = sources[raw]
            st.session_state["gallery_generator"] = raw
        else:
            notes.append(t("gallery.link_generator", value=shown_text(raw), shown=describe(chosen)))
    if (raw := params.get("gallery_view")) is not None:
        if raw not in VIEWS:
            notes.append(note("ignored", "gallery_view", raw))
        elif raw in CONDITIONAL_ONLY and not chosen.config.conditional:
            notes.append(t("gallery.link_view", value=shown_text(raw), generator=describe(chosen)))
        else:
            st.session_state["gallery_view"] = raw
    for control in CONTROLS.values():
        if (raw := params.get(control.key)) is not None:
            _read_control(control, raw, notes)
    return notes


def _current(control: Control) -> object:
    if control.kind == "seed":
        return whole_number(control.key, control.low, control.high, int(control.default))
    return st.session_state.get(control.key, control.default)


def write_link(spec: str, default_spec: str, view: str, conditional: bool) -> None:
    """Put the generator, the view and the controls it draws in the address (call once the
    view is drawn), and keep them for when the visitor comes back from another page."""
    values: dict[str, object] = {"gallery_generator": spec if spec != default_spec else None,
                                 "gallery_view": view if view != DEFAULT_VIEW else None}
    for control in CONTROLS.values():
        drawn = control.view in (None, view) and (control.kind != "digit" or conditional)
        value = _current(control) if drawn else control.default
        values[control.key] = value if value != control.default else None
    write_params(values)
    remember("gallery", ["gallery_generator", "gallery_view", *CONTROLS])
