"""Shared by the page tests: a page opened under AppTest the way a browser opens it.

Every page runs inside the navigation that `streamlit_app.py` builds (the frame: page
configuration, sidebar title, language switch), so a page is opened through the app:
`streamlit_app.py` with `switch_page` to the page's file before the first run, which is
what a deep link such as /Training?train_k=5 does.

AppTest starts every run the way a fresh server process starts its first one: in
Streamlit's pages-directory mode (there is a `pages/` folder), where the page restarts
itself inside the navigation (`ui.navigation.require_navigation`). A restart drops what a
click told the script (`if st.button(...)` reads False after it), which is harmless for a
server's first request but not for a test that clicks. So a session here runs as a server
does once it has served a page, in navigation mode from the start of every run, unless
`fresh_server` asks for the first-request path.
"""

from __future__ import annotations

from pathlib import Path
from unittest import mock

from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module

REPO = Path(__file__).resolve().parents[1]
APP = str(REPO / "streamlit_app.py")


class _ServingPagesManager(PagesManager):
    """The pages manager of a server process that has already run `st.navigation`."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False


class AppSession(AppTest):
    """An AppTest whose every run starts in navigation mode (see the module's docstring)."""

    def _run(self, widget_state=None, timeout=None) -> AppTest:
        with mock.patch.object(app_test_module, "PagesManager", _ServingPagesManager):
            return super()._run(widget_state, timeout)


def app_session(page: str | None = None, query: dict[str, str] | None = None, timeout: float = 60,
                fresh_server: bool = False) -> AppTest:
    """A new session opened on `page` (a path such as "pages/2_Training.py"; None or
    "streamlit_app.py": the home page) with the URL's `query` parameters. Not run yet.

    `fresh_server`: every run is a fresh server process's first request."""
    at = (AppTest if fresh_server else AppSession)(APP, default_timeout=timeout)
    at.query_params.update(query or {})
    if page not in (None, "streamlit_app.py"):
        at.switch_page(page)
    return at
