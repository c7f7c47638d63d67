"""The run library's "bring back a run file": a `.h5` run file downloaded from a run library
(this one or another server's) is added to the cache, so a student can carry a run from
their laptop to the class demo.

The file is handed, in the uploader's callback, to `gan_engine.runs.imports.import_run`,
which checks it as untrusted input (size, no pickles, the run format, the configuration
re-keyed here, weights that fit) and moves it in; a refusal is one message in the page's
language (`ui.i18n.error_text`). An imported run can be opened at once.
"""

from __future__ import annotations

import streamlit as st

from gan_engine.errors import GanExplorerError
from gan_engine.runs.imports import MAX_IMPORT_MB, import_run
from ui.i18n import error_text, t
from ui.training import engine
from ui.training.runs_table import status_text
from ui.training.settings import request_open

WIDGET = "train_import_file"
DONE = "train_import_done"        # the ImportedRun of the last file, for its message and Open button
ERROR = "train_import_error"      # the refusal of the last file (the error itself, so it follows the language)


def _on_upload() -> None:
    """Uploader callback: check and import the new file (nothing when it was cleared)."""
    st.session_state.pop(DONE, None)
    st.session_state.pop(ERROR, None)
    upload = st.session_state.get(WIDGET)
    if upload is None:
        return
    try:
        st.session_state[DONE] = import_run(upload.getvalue(), upload.name, engine.store())
    except GanExplorerError as error:
        st.session_state[ERROR] = error


def render() -> None:
    """The run-file uploader in an expander (open while it has something to say)."""
    done, error = st.session_state.get(DONE), st.session_state.get(ERROR)
    with st.expander(t("training.import.title"), expanded=done is not None or error is not None):
        st.caption(t("training.import.intro", mb=MAX_IMPORT_MB))
        st.file_uploader(t("training.import.file"), key=WIDGET, on_change=_on_upload, max_upload_size=MAX_IMPORT_MB)
        if error is not None:
            st.error(error_text(error))
        elif done is not None:
            st.success(t(f"training.import.{done.outcome}", preset=done.preset, status=status_text(done.status),
                         run=done.key[:6]))
            st.button(t("training.open"), key="train_import_open", on_click=request_open, args=(done.key,))
