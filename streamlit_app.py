"""GAN Explorer's entry point: the frame every page runs in, and the home page.

`streamlit run streamlit_app.py` runs this file on every rerun of every page, deep links
such as /Training included: it builds the navigation from `ui.navigation.PAGES`
(translated titles), draws the shared frame (page configuration, sidebar title, language
switch) and then runs the page the visitor is on.
"""

import streamlit as st

from ui import teacher
from ui.i18n import language_selector, t
from ui.navigation import HOME, ICON, PAGES, require_navigation

require_navigation()


def home() -> None:
    """The home page: what the app is and where to go."""
    st.title(t("home.title"))
    st.write(t("home.intro"))
    st.subheader(t("home.pages"))
    for entry in PAGES:
        if entry is not HOME:
            st.page_link(entry.script, label=t(entry.summary_key), icon=entry.icon)


# The local icon goes first: a browser that meets the menu before any page icon takes the
# page's Material icon as its favicon, which it fetches online.
st.set_page_config(page_icon=ICON, layout="wide")
page = st.navigation([st.Page(entry.script or home, title=t(entry.title_key), icon=entry.icon,
                              url_path=entry.url_path, default=entry is HOME) for entry in PAGES])
st.set_page_config(page_title=f"{page.title} · GAN Explorer")
st.sidebar.markdown(f"**{t('app.title')}**")
language_selector()
teacher.sidebar_panel()
page.run()
