"""The Training page's "use your own data file": MNIST digits (IDX pair or CSV) and faces (HDF5).

A visitor's upload is handed, in the uploader's callback, to
`gan_engine.data.uploads.store_upload`, which caps its size, stores it under a name made
from its content (never the uploaded name) and validates it with the data loaders, so a
bad file is one error message here and never reaches a launch. The stored file is then
used by this session's runs of the matching presets (`uploaded(target)`); it lives in
session state, not in the URL, so a shared link never names a file on the server.
"""

from __future__ import annotations

import streamlit as st

from gan_engine.data.uploads import KINDS, MAX_UPLOAD_MB, StoredUpload, store_upload
from gan_engine.errors import GanExplorerError
from ui.i18n import t


def _widget_key(kind: str) -> str:
    return f"train_upload_{kind}"


def _stored_key(kind: str) -> str:
    return f"train_upload_{kind}_stored"


def _error_key(kind: str) -> str:
    return f"train_upload_{kind}_error"


def uploaded(target: str) -> StoredUpload | None:
    """This session's validated upload for `target` ("mnist" or "faces"), if it is still on disk."""
    stored = st.session_state.get(_stored_key(target))
    if stored is not None and not stored.path.is_file():     # removed to make room for newer uploads
        del st.session_state[_stored_key(target)]
        return None
    return stored


def _on_upload(kind: str) -> None:
    """Uploader callback: store and validate the new files, or forget the upload when cleared."""
    files = st.session_state.get(_widget_key(kind)) or []
    st.session_state.pop(_error_key(kind), None)
    st.session_state.pop(_stored_key(kind), None)
    if not files:
        return
    try:
        st.session_state[_stored_key(kind)] = store_upload(kind, [(file.name, file.getvalue()) for file in files])
    except GanExplorerError as error:
        st.session_state[_error_key(kind)] = str(error)


def render() -> None:
    """The upload controls, in a sidebar expander that opens when something needs saying."""
    noted = any(_error_key(kind) in st.session_state or uploaded(kind) for kind in KINDS)
    with st.expander(t("training.upload.title"), expanded=noted):
        st.caption(t("training.upload.intro", mb=MAX_UPLOAD_MB))
        for kind in KINDS:
            st.file_uploader(t(f"training.upload.{kind}"), accept_multiple_files=True, key=_widget_key(kind),
                             help=t(f"training.upload.{kind}_help"), on_change=_on_upload, args=(kind,),
                             max_upload_size=MAX_UPLOAD_MB)
            if error := st.session_state.get(_error_key(kind)):
                st.error(error)
            elif stored := uploaded(kind):
                st.success(t(f"training.upload.using_{kind}", name=stored.name))
