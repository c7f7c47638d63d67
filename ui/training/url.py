"""The Training page's shared links: a hand-edited URL's values checked, corrected and explained.

Every setting lives in a URL query parameter of its widget's key (`fields.FIELDS`), so
`/Training?train_preset=ring2d&train_k=5&train_lr_d=1e-3` opens with those values set, and
`train_view` (compare, sweep or library; absent for Train) opens that view.
Most widgets are bound by Streamlit; the loss and optimizer (shown by translated label)
and the typed boxes are written by `write_unbound_parameters`. On a session's first visit
each readable value is clamped or rounded into its widget's domain, with one line per
change or refusal in one summary message (`ui.links`); when a bound value was corrected,
the page reruns once the widgets exist, so the address shows the values in use (a state
machine in session state, keys `URL_FIX_*`).
"""

from __future__ import annotations

import math
from typing import Any

import streamlit as st

from gan_engine.config import PRESETS
from ui.i18n import t
from ui.inputs import whole_number
from ui.links import language_notes, shown_text, write_params
from ui.training.fields import FIELDS, PRESET_KEY, SMOOTHING_STEP, Field
from ui.training.settings import faces_file, preset_names

MAX_URL_VALUE = 40   # characters of a URL value echoed back in a message
URL_FIX_PENDING = "train_url_corrected"   # {widget key: corrected value}, for the run after the first
URL_FIX_NOTES = "train_url_notes"         # that first run's messages, shown again by the second
URL_FIX_ARMED = "train_url_fix_armed"     # the rerun timer has ticked once (the first tick is the page's own run)
URL_FIX_RERUN = "train_url_fix_rerun"     # the run after the first is that timer's, not the visitor's
OPEN_LINKED = "train_open_linked"         # first visit: show the run the link's settings describe, if cached
# Written into the address by the page, not by Streamlit's binding (see write_unbound_parameters).
NAMED_OPTIONS = ("train_loss", "train_optimizer")
UNBOUND = (*NAMED_OPTIONS, *(field.key for field in FIELDS if field.typed))
VIEW_KEY = "train_view"
VIEWS = ("train", "compare", "sweep", "library")   # the page's views; the first is where it opens


def _parse_number(raw: str) -> float | None:
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _nearest_option(options: tuple[float, ...], value: float) -> float:
    """Nearest option on a log scale (learning rates, batch and latent sizes span decades)."""
    return min(options, key=lambda option: abs(math.log(option) - math.log(value)))


def check_url_value(field: Field, raw: str) -> tuple[Any, str | None]:
    """The value a hand-edited URL parameter gives `field`, and what had to be done to it.

    Returns (value, outcome): outcome None when `raw` means a valid value (however it is
    spelled: 0.001 is the learning rate 1e-3), "clamped" or "rounded" with the value to
    use instead, or "ignored" (value None) when nothing sensible can be read from it.
    """
    if field.options is not None and isinstance(field.options[0], str):
        return (raw, None) if raw in field.options else (None, "ignored")
    number = _parse_number(raw) if len(raw) <= MAX_URL_VALUE else None
    if number is None or (field.options is not None and number <= 0):
        return None, "ignored"
    if field.options is not None:
        low, high = field.options[0], field.options[-1]
        value = _nearest_option(field.options, min(max(number, low), high))
        if not low <= number <= high:
            return value, "clamped"
        return value, None if math.isclose(value, number, rel_tol=1e-9) else "rounded"
    value = min(max(number, field.low), field.high)
    if value != number:
        return (int(round(value)) if field.integer else value), "clamped"
    rounded = int(round(value)) if field.integer else round(round(value / SMOOTHING_STEP) * SMOOTHING_STEP, 2)
    return rounded, None if math.isclose(rounded, number, abs_tol=1e-9) else "rounded"


def apply_url_parameters() -> list[str]:
    """On a session's first visit, turn the URL's parameters into widget values, and explain.

    The widgets' own URL binding silently drops what it cannot use (k = -3, lr = 1e9,
    0.001 for the option 1e-3); here every readable value is clamped or rounded into the
    widget's domain and set before the widgets exist, and each change or refusal gives one
    message. The raw value is echoed inside a code span, shortened, so nothing in it
    renders as Markdown or HTML.
    """
    if st.session_state.get("train_url_checked"):
        # The run after the first (see finish_url_correction): the corrected values are
        # written again now that their widgets exist, so the widgets' URL binding puts them
        # in the address; on the first run Streamlit only drops the unusable parameters.
        for key, value in st.session_state.pop(URL_FIX_PENDING, {}).items():
            if st.session_state.get(key) == value:        # unless the visitor has changed it since
                st.session_state[key] = value
        st.session_state.pop(URL_FIX_ARMED, None)
        notes = st.session_state.pop(URL_FIX_NOTES, [])
        return notes if st.session_state.pop(URL_FIX_RERUN, False) else []
    st.session_state["train_url_checked"] = True
    st.session_state[OPEN_LINKED] = True
    notes: list[str] = language_notes()
    corrected: dict[str, Any] = {}
    params = st.query_params
    raw_preset = params.get(PRESET_KEY)
    if raw_preset is not None and raw_preset not in preset_names():
        hidden_faces = raw_preset == "faces" and faces_file() is None
        notes.append(t("training.url.preset_faces" if hidden_faces else "training.url.preset",
                       value=shown_text(raw_preset), default=preset_names()[0]))
    if (raw_view := params.get(VIEW_KEY)) is not None:
        if raw_view in VIEWS:
            st.session_state[VIEW_KEY] = raw_view
        else:
            notes.append(t("training.url.view", value=shown_text(raw_view)))
    for field in FIELDS:
        raw = params.get(field.key)
        if raw is None:
            continue
        value, outcome = check_url_value(field, raw)
        if value is not None:
            st.session_state[field.key] = field.state(value)
            if outcome is not None and field.key not in UNBOUND:    # those are written by the page itself
                corrected[field.key] = field.state(value)
        if outcome is not None:
            notes.append(t(f"training.url.{outcome}", name=field.name, value=shown_text(raw),
                           used=shown_text(str(value))))
    if corrected:
        st.session_state[URL_FIX_PENDING], st.session_state[URL_FIX_NOTES] = corrected, notes
    return notes




def write_unbound_parameters(preset_name: str) -> None:
    """Keep in the address the settings Streamlit's binding cannot: the widgets shown by
    translated label, by their option's name (`train_loss=lsgan` in every language), and the
    typed boxes, by the number in use (not the text typed). A value equal to the preset's own
    is left out, as the bound widgets do."""
    defaults = PRESETS[preset_name]
    for field in FIELDS:
        if field.key not in UNBOUND:
            continue
        value = st.session_state.get(field.key)
        if field.typed and value is not None:
            value = whole_number(field.key, int(field.low), int(field.high), getattr(defaults, field.name))
        write_params({field.key: None if value is None or value == getattr(defaults, field.name) else value})


def write_view(view: str) -> None:
    """Keep the view in use in the address (by name, in every language), so a shared link
    opens it; the Train view, where the page opens, is left out."""
    write_params({VIEW_KEY: None if view == VIEWS[0] else view})


def finish_url_correction() -> None:
    """Call once the settings widgets exist: rerun at once when a link's values were
    corrected, so the address shows what the widgets use (a link shared from it then
    opens the same settings)."""
    if URL_FIX_PENDING in st.session_state:
        _rerun_soon()


@st.fragment(run_every=0.1)
def _rerun_soon() -> None:
    """Rerun the whole page once this run has finished (st.rerun() inside the first run
    comes before Streamlit has recorded the widgets, and the URL would stay unsynced)."""
    if URL_FIX_PENDING in st.session_state and st.session_state.get(URL_FIX_ARMED):
        st.session_state[URL_FIX_RERUN] = True      # this rerun shows the first run's messages again
        st.rerun(scope="app")
    st.session_state[URL_FIX_ARMED] = True


