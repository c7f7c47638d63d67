"""Shareable links, shared by every page: a hand-edited address read back safely, explained
in one message, and a page's state written into the address as it changes.

Each page owns its own parameters (`ui/<page>/url.py`): which keys it reads, their domains
and defaults. Here are the pieces they share: reading a number into a slider's domain
(`check_number`), the one summary message for everything a link got wrong
(`show_link_notes`; `language_notes` adds a refused `?lang=`), and writing values into the
address without touching other parameters (`write_params`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import streamlit as st

from ui.i18n import LANG_REFUSED_KEY, t

MAX_SHOWN = 40             # characters of a link's value echoed back in a message


def shown_text(raw: str) -> str:
    """Text a visitor typed (a URL value, a filter), safe inside a code span: printable, no
    backticks, short."""
    text = "".join(ch for ch in str(raw) if ch.isprintable() and ch != "`")
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"


def check_number(raw: str, low: float, high: float, step: float | None = None,
                 integer: bool = False) -> tuple[float | int | None, str | None]:
    """The value a link's `raw` text gives a number widget of domain [low, high] (on a grid
    of `step` from `low`, or whole numbers), and what had to be done to it: None when it was
    usable as given, "clamped" or "rounded" with the value used instead, "ignored" (value
    None) when it is not a number."""
    try:
        number = float(raw) if len(str(raw)) <= MAX_SHOWN else math.nan
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        return None, "ignored"
    value = min(max(number, low), high)
    if integer:
        value = int(round(value))
    elif step:
        value = round(low + round((value - low) / step) * step, 10)
    if not low <= number <= high:
        return value, "clamped"
    return value, None if math.isclose(value, number, rel_tol=0, abs_tol=1e-9) else "rounded"


def note(outcome: str, name: str, raw: str, used: object = None) -> str:
    """One line of the summary: the link's `name` had `raw`, which was clamped, rounded or ignored."""
    return t(f"link.{outcome}", name=name, value=shown_text(raw), used=shown_text(format_value(used)))


def format_value(value: object) -> str:
    """A value as the address spells it: 2.0 -> "2", 0.1 -> "0.1", "s5" -> "s5"."""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def language_notes() -> list[str]:
    """The note for a refused `?lang=` (once per session: the first page that reads its link
    reports it), else nothing."""
    refused = st.session_state.pop(LANG_REFUSED_KEY, None)
    return [] if refused is None else [t("link.language", value=shown_text(refused))]


def show_link_notes(notes: list[str]) -> None:
    """Everything a link got wrong as one warning: a line, then one bullet per value.
    Nothing when the link was clean."""
    if notes:
        st.warning(t("link.summary", count=len(notes)) + "\n\n" + "\n".join(f"- {line}" for line in notes))


def write_params(values: Mapping[str, object]) -> None:
    """Put each value in the address (None: take its parameter out), changing only what differs."""
    for key, value in values.items():
        if value is None:
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get(key) != (text := format_value(value)):
            st.query_params[key] = text


def remember(page: str, keys: list[str]) -> None:
    """Keep a copy of `page`'s widget values (those of `keys` that exist) outside the widgets.

    Streamlit forgets a widget's value after a run that did not draw it, so a visit to
    another page would reset this one; `restore` brings the values back on the way in.
    """
    st.session_state[f"_{page}_saved"] = {key: st.session_state[key] for key in keys if key in st.session_state}


def restore(page: str) -> None:
    """Put back the values `remember` kept for `page` that the widgets have lost since."""
    for key, value in st.session_state.get(f"_{page}_saved", {}).items():
        if key not in st.session_state:
            st.session_state[key] = value
