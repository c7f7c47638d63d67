"""GAN Explorer's home page: what the app is and where to go.

The other pages are the files in `pages/`; each sets up the shared frame itself
(`ui.frame.setup_page`), so a deep link such as /Theory works in a fresh session.
"""

import streamlit as st

from ui.frame import setup_page
from ui.i18n import t

setup_page("nav.home")

st.title(t("home.title"))
st.write(t("home.intro"))
st.subheader(t("home.pages"))
st.page_link("pages/1_Theory.py", label=t("home.theory"), icon=":material/functions:")
st.page_link("pages/2_Training.py", label=t("home.training"), icon=":material/model_training:")
st.page_link("pages/3_Gallery.py", label=t("home.gallery"), icon=":material/photo_library:")
