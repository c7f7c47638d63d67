"""GAN Explorer: the entry point. Sets up the frame every page shares, then runs the page.

`st.navigation` (rather than the implicit pages/ folder) lets the navigation labels go
through the translation table; a deep link such as /Theory still opens that page
directly, in a fresh session, through this file.
"""

from pathlib import Path

import streamlit as st

from ui.i18n import language_selector, t


def home() -> None:
    st.title(t("home.title"))
    st.write(t("home.intro"))
    st.subheader(t("home.pages"))
    st.page_link(theory, label=t("home.theory"), icon=":material/functions:")
    st.page_link(training, label=t("home.training"), icon=":material/model_training:")
    st.page_link(gallery, label=t("home.gallery"), icon=":material/photo_library:")


# A local icon: a Material-symbol favicon would be fetched from the internet.
st.set_page_config(page_title="GAN Explorer", page_icon=str(Path(__file__).parent / "ui" / "icon.png"), layout="wide")
language_selector()

home_page = st.Page(home, title=t("nav.home"), icon=":material/home:", url_path="home", default=True)
theory = st.Page("pages/1_Theory.py", title=t("nav.theory"), icon=":material/functions:", url_path="Theory")
training = st.Page("pages/2_Training.py", title=t("nav.training"), icon=":material/model_training:", url_path="Training")
gallery = st.Page("pages/3_Gallery.py", title=t("nav.gallery"), icon=":material/photo_library:", url_path="Gallery")

st.navigation([home_page, theory, training, gallery]).run()
