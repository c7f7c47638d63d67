"""The app's pages, in menu order: the one list `streamlit_app.py` builds its navigation from.

Each entry names its script, its icon and its address; its texts come from the translation
table by the entry's name: `nav.<name>` is its title in the menu and the browser tab,
`home.<name>` its line on the home page. Adding a page is a file in `pages/` (which calls
`require_navigation()` first and whose heading is `<name>.title`), those two strings in
`ui/strings/common.py` (EN and ZH) and one entry here; tests/test_home.py then opens it
through the menu in both languages and as a deep link.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

ICON = str(Path(__file__).with_name("icon.png"))   # local: a Material favicon would be fetched online


@dataclass(frozen=True)
class PageEntry:
    """One page of the app."""

    name: str             # "theory": the keys nav.theory and home.theory
    script: str | None    # relative to the repository root; None for the home page (streamlit_app.home)
    icon: str
    url_path: str         # the deep link /<url_path>; "" for the home page, served at /

    @property
    def title_key(self) -> str:
        return f"nav.{self.name}"

    @property
    def summary_key(self) -> str:
        return f"home.{self.name}"


HOME = PageEntry("home", None, ":material/home:", "")
PAGES: tuple[PageEntry, ...] = (
    HOME,
    PageEntry("theory", "pages/1_Theory.py", ":material/functions:", "Theory"),
    PageEntry("training", "pages/2_Training.py", ":material/model_training:", "Training"),
    PageEntry("gallery", "pages/3_Gallery.py", ":material/photo_library:", "Gallery"),
)


def require_navigation() -> None:
    """Call first in `streamlit_app.py` and in every page: make sure the page runs inside the
    navigation that `streamlit_app.py` builds, also on a fresh server's first request.

    With a `pages/` folder beside the entry point, Streamlit starts each server process in
    its older pages-directory mode and keeps to it until some session has called
    `st.navigation`: a deep link such as /Training as the first request would run
    pages/2_Training.py on its own, without the frame (no menu, no language switch).
    Here that mode is switched off and the run restarted, which runs `streamlit_app.py`
    for the same page (same address, so the same page hash) and its query parameters.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
