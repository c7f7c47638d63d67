"""The look every Theory figure carries itself, so the page can draw it with `theme=None`.

Streamlit's own chart theme restyles each figure in the browser on every redraw; on the
Theory page, where one slider move redraws three or four charts, that restyling was about a
quarter of the browser's Plotly time (`benchmarks/hosted.py --theory-only`: ~180 against
~130 ms per move). This small template matches the app's light theme (`.streamlit/config.toml`):
its text colour, a sans-serif font, faint grid lines and a transparent background.
"""

from __future__ import annotations

TEXT = "#1E1B2E"        # theme.textColor
FAINT_TEXT = "#5E5A6E"  # tick labels: the text colour, lighter
GRID = "#E7E4EE"
ZERO_LINE = "#CFCAD9"

_AXIS = {"gridcolor": GRID, "zerolinecolor": ZERO_LINE, "linecolor": GRID,
         "tickfont": {"color": FAINT_TEXT}, "title": {"standoff": 8}}

TEMPLATE: dict = {"layout": {
    "font": {"family": '"Source Sans", "Source Sans Pro", sans-serif', "size": 13, "color": TEXT},
    "paper_bgcolor": "rgba(0,0,0,0)",
    "plot_bgcolor": "rgba(0,0,0,0)",
    "hoverlabel": {"font": {"family": '"Source Sans", "Source Sans Pro", sans-serif'}},
    "xaxis": _AXIS,
    "yaxis": _AXIS,
}}
