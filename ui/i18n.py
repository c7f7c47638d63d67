"""One translation table for every user-visible string, English and Simplified Chinese.

Pages call `t("page.key")`. The tables live in `ui/strings/<page>.py` (each with EN and
ZH dicts) and are merged here, so a page's strings sit beside each other while the
mechanism stays in one place. The chosen language is the sidebar widget's value,
kept in session state under `LANG_STATE_KEY` and in the URL (`?lang=中文`).
"""

from __future__ import annotations

import importlib

import streamlit as st

# Codes and the labels the selector shows; the URL carries the label (`?lang=中文`),
# because a bound widget writes its displayed value to the query string.
LANGUAGES = {"en": "English", "zh": "中文"}
_CODE_BY_LABEL = {label: code for code, label in LANGUAGES.items()}
DEFAULT_LANGUAGE = "en"
LANG_STATE_KEY = "lang"
_TABLE_MODULES = ("common", "theory", "training", "gallery")


def _load_tables() -> dict[str, dict[str, str]]:
    tables: dict[str, dict[str, str]] = {code: {} for code in LANGUAGES}
    for name in _TABLE_MODULES:
        try:
            module = importlib.import_module(f"ui.strings.{name}")
        except ModuleNotFoundError:
            continue
        tables["en"].update(module.EN)
        tables["zh"].update(module.ZH)
    return tables


TABLES = _load_tables()


def current_language() -> str:
    """The language code chosen in this session ("en" unless the user switched)."""
    label = st.session_state.get(LANG_STATE_KEY, LANGUAGES[DEFAULT_LANGUAGE])
    return _CODE_BY_LABEL.get(label, DEFAULT_LANGUAGE)


def t(key: str, **values: object) -> str:
    """The string for `key` in the session's language, formatted with `values`.

    Falls back to English, then to the key itself, so a missing translation shows up
    as readable English rather than an exception.
    """
    text = TABLES[current_language()].get(key) or TABLES["en"].get(key) or key
    return text.format(**values) if values else text


def language_selector() -> None:
    """Sidebar control that switches the language for the whole session.

    Bound to the `lang` query parameter, so a shared link keeps its language and the
    choice survives page switches.
    """
    st.sidebar.segmented_control(
        "Language · 语言",
        options=list(LANGUAGES.values()),
        default=LANGUAGES[DEFAULT_LANGUAGE],
        required=True,
        key=LANG_STATE_KEY,
        bind="query-params",
    )
