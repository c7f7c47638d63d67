"""Lab page: play Algorithm 1 by hand on a small GAN and watch the whole machine at work.

The game (`gan_engine.lab`) lives in this session only: Step D, Step G, One round, Play /
Pause, Back and Reset move it, and the settings apply from the next step. The game panel is
a fragment, so a step redraws the game and not the data editor; while playing, a timer on
that fragment advances a bounded number of rounds per tick. Sections and state are in
`ui/lab/`; "Train this fully" hands the game's settings to the Training page's run cache.
No game object is bound to a name here: the script's namespace outlives its run (it stays
Streamlit's `__main__` until the next run), and a game must go with its session.
"""

import streamlit as st

from ui.frame import setup_page
from ui.i18n import t
from ui.lab import state, view

state.init()
setup_page("nav.lab")
st.title(t("lab.title"))
st.write(t("lab.intro"))

view.game_section(view.data_section())
