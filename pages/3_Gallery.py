"""Gallery page: draw from trained generators, walk through their latent space, judge samples.

The page picks a generator and a seed and shows the chosen view (ui/gallery/views.py);
what the views draw is computed and cached by ui/gallery/generators.py (each generator is
loaded once per server process). Only the chosen view is computed. The generator, the view
and its controls live in the address (ui/gallery/url.py), so a link shares them.
"""

import numpy as np
import streamlit as st

from gan_engine.errors import GanExplorerError
from ui.gallery import generators, url
from ui.gallery.diagnostics import recorded_scores
from ui.gallery.views import CONDITIONAL_ONLY, VIEWS
from ui.gallery.widgets import describe, seed_input
from ui.i18n import labelled, t
from ui.links import show_link_notes
from ui.navigation import require_navigation

require_navigation()
st.title(t("gallery.title"))
st.caption(t("gallery.intro"))
try:
    sources = generators.sources()
except GanExplorerError as exc:
    st.error(str(exc))
    sources = []
if not sources:
    st.warning(t("gallery.no_generators"))
    st.stop()

# ---- the generator and the seed every view draws from ---------------------------------------
by_spec = {source.spec: source for source in sources}
show_link_notes(url.read_link(by_spec))        # a shared link's choices, on the session's first visit
names = {spec: describe(source) for spec, source in by_spec.items()}
top = st.columns([2, 1])
spec = top[0].selectbox(t("gallery.generator"), list(names), format_func=names.get,
                        key=labelled("gallery_generator"), help=t("gallery.generator_help"))
seed = seed_input(t("gallery.seed"), "gallery_seed", top[1])
source = by_spec[spec]
args = (spec, source.stamp, source)
try:
    model = generators.generator(*args)
    recorded = recorded_scores(*args)
except GanExplorerError as exc:
    st.error(t("gallery.load_failed", name=describe(source), error=str(exc)))
    st.stop()

same_as = generators.same_settings_preset(model.config)
st.caption(t("gallery.model_line", kind=t("gallery.conditional" if model.conditional else "gallery.unconditional"),
             latent=model.latent_dim, preset=model.config.preset, iterations=model.config.iterations)
           + (t("gallery.model_same_as", preset=same_as) if same_as else ""))
if recorded is not None and recorded[0].conditional:
    scores = recorded[0]
    st.caption(t("gallery.quality_line", n=scores.samples // 10, judges=len(scores.names),
                 accuracy=float(np.nanmin(scores.accuracy)), diversity=scores.min_diversity_ratio))

# ---- the chosen view ----------------------------------------------------------------------------
views = {name: t(f"gallery.view.{name}") for name in VIEWS if model.conditional or name not in CONDITIONAL_ONLY}
if st.session_state.get("gallery_view") not in views:        # e.g. Label morph, then an unconditional generator
    st.session_state["gallery_view"] = url.DEFAULT_VIEW
choice = st.segmented_control(t("gallery.view"), list(views), format_func=views.get, required=True,
                              key=labelled("gallery_view"), label_visibility="collapsed")
try:
    VIEWS[choice](args, model, seed)
except GanExplorerError as exc:
    st.error(str(exc))
url.write_link(spec, sources[0].spec, choice, model.conditional)
