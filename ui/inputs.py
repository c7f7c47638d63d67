"""A box for a whole number that accepts what a person types and says what it did with it.

Streamlit's number input cannot do this: with bounds, a value outside them (−5 iterations,
99999999) or one it cannot parse (1e3, 3.7) leaves a red box and "Press Enter to apply",
the old value silently in use; without bounds, 1e3 arrives as 1 and 3.7 as 3. Here the box
is a text input: its text is read on the server (1000, 1e3, 1,000 and 1 000 are all 1000),
moved into [low, high] and rounded to a whole number, written back into the box, and every
change is explained once, under the box: what is allowed and what is used. Text that is no
number keeps the value in use.

The widget's value in Session State is its text; `whole_number(key, ...)` reads it as an int.
"""

from __future__ import annotations

import math

import streamlit as st

from ui.i18n import t
from ui.links import shown_text


def parse_whole_number(text: str, low: int, high: int) -> tuple[int | None, str | None]:
    """(value, outcome) for typed `text`: outcome None when it is a whole number in
    [low, high] however spelled, "clamped" or "rounded" with the value to use, "ignored"
    (value None) when it is not a number."""
    cleaned = str(text).strip().replace(",", "").replace(" ", "").replace("_", "")
    try:
        number = float(cleaned) if 0 < len(cleaned) <= 40 else math.nan
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        return None, "ignored"
    value = int(min(max(round(number), low), high))
    if not low <= number <= high:
        return value, "clamped"
    return value, None if value == number else "rounded"


def _last_key(key: str) -> str:
    return f"_{key}_last"


def _note_key(key: str) -> str:
    return f"_{key}_note"


def whole_number(key: str, low: int, high: int, default: int) -> int:
    """The value the box `key` stands for (its text read as in `parse_whole_number`; the
    last usable value, else `default`, while it holds no number)."""
    value, _ = parse_whole_number(st.session_state.get(key, str(default)), low, high)
    return value if value is not None else st.session_state.get(_last_key(key), default)


def _normalise(key: str, low: int, high: int, default: int) -> None:
    """on_change: write the value used back into the box, and keep the note that explains it."""
    text = st.session_state[key]
    value, outcome = parse_whole_number(text, low, high)
    if value is None:
        value = st.session_state.get(_last_key(key), default)
    st.session_state[key] = str(value)
    st.session_state[_last_key(key)] = value
    if outcome is not None:
        st.session_state[_note_key(key)] = t(f"input.{outcome}", value=shown_text(text), low=f"{low:,}",
                                             high=f"{high:,}", used=f"{value:,}")
    else:
        st.session_state.pop(_note_key(key), None)


def whole_number_input(label: str, key: str, low: int, high: int, default: int, help: str | None = None,
                       container=st, **widget: object) -> int:
    """A whole-number box (see the module's docstring); returns the value in use.

    `widget` passes on to st.text_input (for example `bind="query-params"`). The box starts
    at `default` unless Session State already holds its text.
    """
    st.session_state.setdefault(key, str(default))
    container.text_input(label, key=key, help=help or t("input.help", low=f"{low:,}", high=f"{high:,}"),
                         on_change=_normalise, args=(key, low, high, default), **widget)
    if note := st.session_state.pop(_note_key(key), None):
        container.warning(note)
    value = whole_number(key, low, high, default)
    st.session_state[_last_key(key)] = value
    return value
