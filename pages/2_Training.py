"""Training page: choose a preset, k and the learning rates, launch cached runs, watch them.

Training never runs here: the Runner starts a worker process and the Train view polls the
run store once a second from a fragment, so the page stays responsive and a rerun never
kills a run. Every setting lives in the URL (ui/training/url.py). The views are in
ui/training/: run_view (Train), library (Compare, Library) and sweep (Sweep).
"""

import streamlit as st

from gan_engine.errors import GanExplorerError
from ui.i18n import error_text, labelled, t
from ui.navigation import require_navigation
from ui.training import library, run_view, settings, sweep, url

require_navigation()
# A run opened from the sweep or the library is applied first, while the widgets it sets
# do not exist yet in this run.
settings.open_pending_run()

st.title(t("training.title"))
st.caption(t("training.intro"))
for note in url.apply_url_parameters():
    st.warning(note)
preset_name = settings.render_settings()
url.finish_url_correction()

config, config_error = None, ""
try:
    config = settings.config_from_widgets(preset_name)
except GanExplorerError as exc:
    config_error = error_text(exc)

section = st.segmented_control(t("training.section"), ("train", "compare", "sweep", "library"),
                               format_func=lambda name: t(f"training.section.{name}"), default="train",
                               required=True, key=labelled("train_view"), label_visibility="collapsed")
if config_error and section in ("train", "sweep"):
    st.error(config_error)

if section == "train":
    run_view.show_train_view(config)
elif section == "compare":
    library.show_compare_view()
elif section == "sweep" and config is not None:
    sweep.show_sweep_view(config, preset_name)
elif section == "library":
    library.show_library_view()
