"""Training page: choose a preset, k and the learning rates, launch cached runs, watch them.

Training never runs here: the Runner starts a worker process and the Train view polls the
run store once a second from a fragment, so the page stays responsive and a rerun never
kills a run. Every setting lives in the URL (ui/training/url.py). The views are in
ui/training/: run_view (Train), library (Compare, Library; run_import brings a downloaded
run file back) and sweep (Sweep).
"""

import streamlit as st

from gan_engine.errors import GanExplorerError
from ui.i18n import error_text, labelled, t
from ui.links import show_link_notes
from ui.navigation import require_navigation
from ui.training import library, run_import, run_view, settings, sweep, url

require_navigation()
# A run opened from the sweep or the library is applied first, while the widgets it sets
# do not exist yet in this run.
settings.open_pending_run()

st.title(t("training.title"))
st.caption(t("training.intro"))
show_link_notes(url.apply_url_parameters())
preset_name = settings.render_settings()
url.write_unbound_parameters(preset_name)
url.finish_url_correction()

config, config_error = None, ""
try:
    config = settings.config_from_widgets(preset_name)
except GanExplorerError as exc:
    config_error = error_text(exc)
if st.session_state.pop(url.OPEN_LINKED, False) and config is not None:
    run_view.open_if_cached(config)     # a shared link whose run is in the cache shows that run

# Labels looked up here, not inside format_func, which may run outside the script run.
section_names = {name: t(f"training.section.{name}") for name in url.VIEWS}
if st.session_state.get(url.VIEW_KEY) not in section_names:    # the page opens on Train (a link may say otherwise)
    st.session_state[url.VIEW_KEY] = url.VIEWS[0]
section = st.segmented_control(t("training.section"), url.VIEWS, format_func=section_names.get,
                               required=True, key=labelled(url.VIEW_KEY), label_visibility="collapsed")
url.write_view(section)
if config_error and section in ("train", "sweep"):
    st.error(config_error)

if section == "train":
    run_view.show_train_view(config)
elif section == "compare":
    library.show_compare_view()
elif section == "sweep" and config is not None:
    sweep.show_sweep_view(config, preset_name)
elif section == "library":
    run_import.render()
    library.show_library_view()
