"""The Lab page's shareable link, and its settings across a visit to another page.

Parameters are the widgets' own keys: the data source `lab_source` (preset, draw or
mixture), `lab_preset`, the composed mixture (`lab_mix_count` and `lab_mix_{i}_{mean,sd,weight}`),
the game's settings `lab_k`, `lab_lr_d`, `lab_lr_g`, `lab_loss`, `lab_optimizer` and the
speed `lab_speed`. A value equal to its starting value is left out (the settings' starting
values are the preset's), so /Lab is the page as it opens. A link shares the set-up, not a
game: drawn points and the networks' weights stay in the session. On a session's first
visit each value is read into its widget's domain (clamped, rounded or refused), and what a
link got wrong is one summary message; on later visits the values this session left with
are put back (Streamlit forgets the values of widgets a run does not draw).
"""

from __future__ import annotations

import streamlit as st

from gan_engine.config import LOSSES, OPTIMIZERS, TOY_TARGETS
from gan_engine.lab import data as lab_data
from gan_engine.lab.settings import K_RANGE, LR_RANGE
from ui.lab import state
from ui.links import check_number, language_notes, note, remember, restore, write_params

CHECKED = "lab_url_checked"
COMPONENT_RANGES = {"mean": lab_data.MEAN_RANGE, "sd": lab_data.SD_RANGE, "weight": lab_data.WEIGHT_RANGE}
# key -> (low, high, whole number?) for the numbers a link may set
NUMBERS = {
    "lab_k": (*K_RANGE, True),
    "lab_lr_d": (*LR_RANGE, False),
    "lab_lr_g": (*LR_RANGE, False),
    "lab_speed": (*state.SPEED_RANGE, True),
    "lab_mix_count": (1, lab_data.MAX_COMPONENTS, True),
    **{f"lab_mix_{i}_{field}": (*bounds, False) for i in range(lab_data.MAX_COMPONENTS)
       for field, bounds in COMPONENT_RANGES.items()},
}
CHOICES = {"lab_source": state.SOURCES, "lab_preset": TOY_TARGETS, "lab_loss": LOSSES, "lab_optimizer": OPTIMIZERS}
SAVED_KEYS = [*state.WIDGET_DEFAULTS, *state.SETTING_KEYS.values()]


def read_link() -> list[str]:
    """On a session's first visit, set the widgets from the address (the lines of the summary
    message); on later runs put back what the visitor left on a trip to another page."""
    if st.session_state.get(CHECKED):
        restore("lab")
        return []
    st.session_state[CHECKED] = True
    params, notes = st.query_params, language_notes()
    if (raw := params.get("lab_preset")) in TOY_TARGETS:          # the preset's settings first,
        st.session_state.update(state.settings_defaults(raw))      # then the link's own, over them
    for key, options in CHOICES.items():
        if (raw := params.get(key)) is not None:
            if raw in options:
                st.session_state[key] = raw
            else:
                notes.append(note("ignored", key, raw))
    for key, (low, high, integer) in NUMBERS.items():
        if (raw := params.get(key)) is not None:
            value, outcome = check_number(raw, low, high, integer=integer)
            if value is not None:
                st.session_state[key] = value if integer else float(value)
            if outcome is not None:
                notes.append(note(outcome, key, raw, value))
    return notes


def write_link() -> None:
    """Put what differs from the starting values in the address, and keep every value for
    when the visitor comes back from another page."""
    current = st.session_state
    starting = {**state.WIDGET_DEFAULTS, **state.settings_defaults(current.get("lab_preset", state.DEFAULT_PRESET))}
    shown = ["lab_source", "lab_preset", "lab_speed", *state.SETTING_KEYS.values()]
    if current.get("lab_source") == "mixture":
        shown += ["lab_mix_count", *(f"lab_mix_{i}_{field}" for i in range(int(current.get("lab_mix_count", 1)))
                                     for field in COMPONENT_RANGES)]
    values = {key: current[key] if key in current and current[key] != starting.get(key) else None
              for key in [*CHOICES, *NUMBERS]}
    write_params({key: (value if key in shown else None) for key, value in values.items()})
    remember("lab", [key for key in SAVED_KEYS if key in current])
