"""The Lab page's pieces (pages/4_Lab.py arranges them); the game lives in `gan_engine.lab`
and the figures in `gan_engine.plots.lab`.

- `state`: the page's session state, set up in one place, and the actions of its buttons
- `data_view`: the data section: source picker, drawing canvas, shape tools, mixture editor
- `game_view`: the game section: the controls, the live views and the hand-over, in fragments
- `live_chart`: a Plotly figure redrawn in place (the live views), with `frontend/index.html`
- `handover`: "Train this fully", the game's settings launched as a cached run on Training
- `url`: the set-up in the address (a shared link), kept across a visit to another page

Widget keys start with `lab_`.
"""
