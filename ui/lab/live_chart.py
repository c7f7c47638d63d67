"""A Plotly figure that is redrawn in place: the Lab's figures during Play.

`st.plotly_chart` gives a chart a new identity whenever its figure changes, so the browser
mounts it anew (purge, then a full draw) at every step; during Play that was most of the
browser's work (about 60 ms per figure here, four figures five times a second). This small
Streamlit component keeps one iframe per key and calls `Plotly.react` on it with each new
figure, which updates the drawing in place and keeps zoom and hover.

The component is `frontend/index.html`; Plotly's JavaScript is the copy the plotly Python
package ships (`plotly/package_data/plotly.min.js`), served by a second component
declaration, so nothing is fetched from outside and versions always match.
"""

from __future__ import annotations

import json
from pathlib import Path

import plotly
import plotly.graph_objects as go
import plotly.io
import streamlit.components.v1 as components

FRONTEND = Path(__file__).with_name("frontend")
PLOTLY_JS = Path(plotly.__file__).parent / "package_data"


def _components():
    """Declared on every call: a test process runs several Streamlit runtimes, each with its own registry."""
    components.declare_component("plotly_js", path=str(PLOTLY_JS))
    return components.declare_component("live_chart", path=str(FRONTEND))


def live_chart(figure: go.Figure, key: str, config: dict | None = None) -> None:
    """Draw `figure` (its layout must set a height, in pixels) under `key`, updating it in place."""
    spec = plotly.io.to_json(figure, validate=False)
    height = int(figure.layout.height or 450)
    _components()(spec=spec, height=height, config=json.dumps(config or {}), key=key, default=None)
