"""Lab page: play Algorithm 1 by hand on a small GAN and watch the whole machine at work.

The game (`gan_engine.lab`) lives in this session only: Step D, Step G, One round, Play /
Pause, Back and Reset move it, and the settings apply from the next step. The game panel is
a fragment, so a step redraws the game and not the data editor; while playing, a timer on
that fragment advances a bounded number of rounds per tick. Sections and state are in
`ui/lab/`; "Train this fully" hands the game's settings to the Training page's run cache.
"""

import streamlit as st

from ui.frame import setup_page
from ui.i18n import t
from ui.lab import handover, state
from ui.lab import view

state.init()
setup_page("nav.lab")
st.title(t("lab.title"))
st.write(t("lab.intro"))

described = view.data_section()
st.divider()
view.game_header()
if described is None:
    st.stop()
target, data_key = described
current = state.game_for(target, data_key)
st.fragment(view.game_panel, run_every=state.timer())(view.plot_labels())

st.divider()
st.subheader(t("lab.handover.title"))
st.caption(t("lab.handover.explain"))
handover.render(target.preset if target.source == "preset" else None, current.game.settings)
