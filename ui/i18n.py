"""One translation table for every user-visible string, English and Simplified Chinese.

Pages call `t("page.key")`. The tables live in `ui/strings/<page>.py` (each with EN and
ZH dicts) and are merged here, so a page's strings sit beside each other while the
mechanism stays in one place. The chosen language is kept in session state under the
plain key `LANG_STATE_KEY` (so it survives page switches) and mirrored in the URL as
`?lang=zh`, so a shared link opens in the sender's language.
"""

from __future__ import annotations

import importlib

import streamlit as st

LANGUAGES = {"en": "English", "zh": "中文"}
DEFAULT_LANGUAGE = "en"
LANG_STATE_KEY = "_lang"
LANG_WIDGET_KEY = "common_lang"
LANG_QUERY_PARAM = "lang"
LANG_REFUSED_KEY = "_lang_refused"   # a refused ?lang= value, until a page's link summary reports it
_TABLE_MODULES = ("common", "theory", "training", "gallery", "lab")
_LABELLED_KEYS: set[str] = set()     # see labelled()


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
    """The language code chosen in this session: the user's choice, else `?lang=`, else English."""
    # One Session State lookup, not two: t() asks this for every text of every run.
    code = st.session_state.get(LANG_STATE_KEY)
    if code is None:
        requested = st.query_params.get(LANG_QUERY_PARAM, DEFAULT_LANGUAGE)
        if requested in LANGUAGES:
            code = requested
        else:
            # A language this app does not have: English, and the address no longer asks for it
            # (the page's link summary says so, see ui.links.language_notes).
            code = DEFAULT_LANGUAGE
            st.session_state[LANG_REFUSED_KEY] = requested
            st.query_params.pop(LANG_QUERY_PARAM, None)
        st.session_state[LANG_STATE_KEY] = code
    return code


def t(key: str, **values: object) -> str:
    """The string for `key` in the session's language, formatted with `values`.

    Falls back to English, then to the key itself, so a missing translation shows up
    as readable English rather than an exception.
    """
    text = TABLES[current_language()].get(key) or TABLES["en"].get(key) or key
    return text.format(**values) if values else text


def error_text(error: Exception) -> str:
    """An engine error's message in the session's language when the table has it
    (`engine.<message_id>`, see gan_engine.errors), else its English text."""
    message_id = getattr(error, "message_id", None)
    if message_id and f"engine.{message_id}" in TABLES[current_language()]:
        return t(f"engine.{message_id}", **error.values)
    return str(error)


def _language_changed() -> None:
    code = st.session_state[LANG_WIDGET_KEY]
    st.session_state[LANG_STATE_KEY] = code
    if code == DEFAULT_LANGUAGE:
        st.query_params.pop(LANG_QUERY_PARAM, None)
    else:
        st.query_params[LANG_QUERY_PARAM] = code
    _restate_labelled_widgets()


def labelled(key: str) -> str:
    """Register and return `key`, the key of a widget whose options are shown by label.

    Every widget with a `format_func` (or tab labels) takes its key through this, so that a
    language switch can re-send its value (`_restate_labelled_widgets`).
    """
    _LABELLED_KEYS.add(key)
    return key


def _restate_labelled_widgets() -> None:
    """Write each labelled widget's value back through Session State (on a language switch).

    Some widgets (a selectbox, a tab bar) tell the server which option is chosen by its
    *label*. After a switch the browser would go on sending the old language's
    label, which matches no option of the new run: the widget would fall back to a raw
    string and an on_change callback would receive it (a Theory preset chosen before
    switching to Chinese broke the page at the next click). A value written here is sent to
    the browser again, labelled in the new language. Runs as a callback, so each value is
    read with the labels of the run the browser last saw.
    """
    for key in sorted(_LABELLED_KEYS):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def language_selector() -> None:
    """Sidebar control that switches the language for the whole session."""
    code = current_language()
    if code != DEFAULT_LANGUAGE:
        st.query_params[LANG_QUERY_PARAM] = code
    st.sidebar.segmented_control(
        "Language · 语言",
        options=list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        default=code,
        required=True,
        key=LANG_WIDGET_KEY,
        on_change=_language_changed,
    )
