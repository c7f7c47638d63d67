"""The frame every page shares: page configuration, translated navigation, language.

Streamlit runs this app in its pages-directory mode (a `pages/` folder beside
`streamlit_app.py`), so each page is executed on its own, also when opened directly by URL
in a fresh session. Every page therefore calls `setup_page()` first. The automatic sidebar
navigation is hidden (`client.showSidebarNavigation = false`) and replaced by links whose
labels go through the translation table.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from ui.i18n import language_selector, t

ICON = str(Path(__file__).with_name("icon.png"))   # local: a Material favicon would be fetched online
NAV = (
    ("streamlit_app.py", "nav.home", ":material/home:"),
    ("pages/1_Theory.py", "nav.theory", ":material/functions:"),
    ("pages/2_Training.py", "nav.training", ":material/model_training:"),
    ("pages/3_Gallery.py", "nav.gallery", ":material/photo_library:"),
)


def setup_page(title_key: str) -> None:
    """Configure the page and draw the shared sidebar (navigation, then language)."""
    st.set_page_config(page_title=f"{t(title_key)} · GAN Explorer", page_icon=ICON, layout="wide")
    with st.sidebar:
        st.markdown(f"**{t('app.title')}**")
        try:
            for script, label_key, icon in NAV:
                st.page_link(script, label=t(label_key), icon=icon)
        except StreamlitPageNotFoundError:
            # The page is running as its own app (AppTest.from_file on the page file):
            # there is no multipage app to link into.
            pass
        st.divider()
    language_selector()
