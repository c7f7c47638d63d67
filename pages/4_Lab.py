"""Lab page: play Algorithm 1 by hand on a small GAN and watch the whole machine at work.

The game (`gan_engine.lab`) lives in this session only: Step D, Step G, One round, Play /
Pause, Back and Reset move it, and the settings apply from the next step. The data section
is drawn by `ui/lab/data_view.py`, the game's controls and views by `ui/lab/game_view.py`
(two fragments, so a step redraws only the game), the session's state is set up in
`ui/lab/state.py`, and "Train this fully" hands the game's settings to the Training page's
run cache (`ui/lab/handover.py`). The set-up lives in the address (`ui/lab/url.py`). No game object is bound to a name here: the script's
namespace outlives its run (it stays Streamlit's `__main__` until the next run), and a game
must go with its session.
"""

import streamlit as st

from ui.i18n import t
from ui.lab import data_view, game_view, state, url
from ui.links import show_link_notes
from ui.navigation import require_navigation

require_navigation()
link_notes = url.read_link()        # a shared link's set-up on the first visit; later, the values left here
state.init()
url.write_link()
st.title(t("lab.title"))
st.write(t("lab.intro"))
show_link_notes(link_notes)

game_view.game_section(data_view.data_section())
