"""Training page: choose a preset, k and the learning rates, launch cached runs, watch them.

Training never runs here: the Runner starts a worker process and this page polls the run
store once a second from a fragment, so the page stays responsive and a rerun never kills
a run. Every setting lives in the URL (see ui/training_view.py).
"""

import streamlit as st

from gan_engine.config import LOSSES, OPTIMIZERS, PRESETS
from gan_engine.errors import GanExplorerError
from gan_engine.runs import ACTIVE, FINISHED_STATUSES
from ui import data_upload
from ui import training_view as view
from ui.frame import setup_page
from ui.i18n import error_text, labelled, t

setup_page("nav.training")
# A run opened from the sweep or the library is applied first, while the widgets it sets
# do not exist yet in this run.
if opening := st.session_state.pop("train_open_pending", None):
    view.open_run(opening)

st.title(t("training.title"))
st.caption(t("training.intro"))
for note in view.apply_url_parameters():
    st.warning(note)

# ---- settings: every widget shows the preset's default and is bound to the URL -------------
with st.sidebar:
    st.header(t("training.settings"))
    preset_name = st.selectbox(t("training.preset"), view.preset_names(), key=view.PRESET_KEY,
                               bind="query-params", on_change=view.reset_to_preset)
    st.caption(view.preset_description(preset_name))
    if view.faces_file() is None:
        st.caption(t("training.faces_missing", folder=str(view.faces_folder()),
                     names=" / ".join(view.FACES_FILE_NAMES)))
    data_upload.render()
    base = PRESETS[preset_name]
    bound = {"bind": "query-params"}
    st.slider(t("training.k"), *view.K_RANGE, value=base.k, key="train_k", help=t("training.k_help"), **bound)
    st.select_slider(t("training.lr_d"), view.LR_OPTIONS, value=base.lr_d, format_func=view.format_lr,
                     key=labelled("train_lr_d"), **bound)
    st.select_slider(t("training.lr_g"), view.LR_OPTIONS, value=base.lr_g, format_func=view.format_lr,
                     key=labelled("train_lr_g"), **bound)
    st.select_slider(t("training.batch"), view.BATCH_OPTIONS, value=base.batch_size, key="train_batch", **bound)
    st.number_input(t("training.iterations"), *view.ITERATION_RANGE, value=base.iterations, step=10,
                    key="train_iterations", help=t("training.iterations_help"), **bound)
    st.selectbox(t("training.loss"), LOSSES, index=LOSSES.index(base.loss), key="train_loss",
                 help=t("training.loss_help"), **bound)
    st.slider(t("training.smoothing"), *view.SMOOTHING_RANGE, value=base.label_smoothing, step=view.SMOOTHING_STEP,
              key="train_smoothing", help=t("training.smoothing_help"), **bound)
    st.selectbox(t("training.optimizer"), OPTIMIZERS, index=OPTIMIZERS.index(base.optimizer),
                 key="train_optimizer", **bound)
    st.select_slider(t("training.latent"), view.LATENT_OPTIONS, value=base.latent_dim, key="train_latent", **bound)
    st.number_input(t("training.seed"), *view.SEED_RANGE, value=base.seed, key="train_seed", **bound)
view.finish_url_correction()

config, config_error = None, ""
try:
    config = view.config_from_widgets(preset_name)
except GanExplorerError as exc:
    config_error = error_text(exc)

section = st.segmented_control(t("training.section"), ("train", "compare", "sweep", "library"),
                               format_func=lambda name: t(f"training.section.{name}"), default="train",
                               required=True, key=labelled("train_view"), label_visibility="collapsed")


def launch() -> None:
    """Launch the widgets' configuration through the run cache; the page then shows that run."""
    try:
        started = view.runner().launch(view.config_from_widgets(st.session_state[view.PRESET_KEY]))
    except GanExplorerError as exc:
        st.session_state["train_launch_error"] = error_text(exc)
        return
    st.session_state["train_active_key"] = started.key
    st.session_state["train_outcome"] = started.outcome


def open_chosen(state_key: str) -> None:
    """Open the run chosen in the selectbox `state_key` (read at click time, not at render time)."""
    st.session_state["train_open_pending"] = st.session_state[state_key]


def open_from_fragment(key: str) -> None:
    """Open a run from inside a fragment: the whole page must rerun to switch the view."""
    st.session_state["train_open_pending"] = key
    st.rerun()


def launch_cells(cells) -> None:
    """Launch the sweep's missing cells; a full queue stops the loop with its message."""
    try:
        for cell in cells:
            view.runner().launch(cell.validate())
    except GanExplorerError as exc:
        st.session_state["train_launch_error"] = error_text(exc)


@st.fragment(run_every=view.POLL_SECONDS)
def live_run(key: str, run_config) -> None:
    """Progress and growing curves of a queued or running run, refreshed every second."""
    try:
        progress = view.runner().progress(key)
    except GanExplorerError as exc:
        st.info(str(exc))
        return
    if progress.status not in ACTIVE:
        st.rerun()  # the whole page then shows the finished run, without this timer
    if progress.status == "queued":
        st.info(t("training.queued", position=progress.queue_position or "…"))
    elif progress.iteration == 0:
        st.progress(0.0, text=t("training.starting", total=progress.total))
    else:
        st.progress(progress.fraction, text=t("training.progress", iteration=progress.iteration,
                                              total=progress.total, eta=view.format_seconds(progress.eta_seconds),
                                              device=progress.device))
    st.button(t("training.cancel"), key="train_cancel", on_click=view.runner().cancel, args=(key,))
    # The snapshot figures are rebuilt when a new snapshot has been written, not on every poll.
    view.render_charts(key, run_config, progress.iteration, (progress.snapshot_count, progress.snapshot_iteration))


def finished_run(summary) -> None:
    """A finished, failed, cancelled or interrupted run: status note, metrics, curves, scrubber."""
    if st.session_state.get("train_outcome") == "cached" and summary.status == "done":
        st.success(t("training.from_cache"))
    if summary.status != "done":
        notify = {"diverged": st.warning, "failed": st.error}.get(summary.status, st.info)
        notify(t(f"training.outcome.{summary.status}", message=summary.message or "—"))
    st.caption(t("training.trained_on", device=summary.device or "?", seconds=view.format_seconds(summary.seconds),
                 iteration=summary.iteration, total=summary.total))
    if summary.metrics:
        for column, (name, value) in zip(st.columns(len(summary.metrics)), summary.metrics.items()):
            column.metric(t(f"training.plot.{name}") if name in view.plots.DEFAULT_LABELS else name, f"{value:.4g}")
    iterations = view.finished_series(view.runs_root(), summary.key, summary.finished or 0.0)[2]
    index = None
    if len(iterations) > 1:
        chosen = st.select_slider(t("training.scrubber"), iterations, value=iterations[-1], key="train_snapshot")
        index = iterations.index(chosen)
    finished = summary.finished or 0.0
    view.render_charts(summary.key, summary.config, finished, finished, index)
    if summary.status == "done":
        view.render_anchor_table(summary.config, summary.metrics)


if config_error and section in ("train", "sweep"):
    st.error(config_error)

if section == "train":
    st.button(t("training.train"), type="primary", key="train_launch", disabled=config is None, on_click=launch)
    if error := st.session_state.pop("train_launch_error", None):
        st.error(error)
    active_key = st.session_state.get("train_active_key")
    summary = view.store().summary(active_key) if active_key else None
    if active_key and summary is None:
        st.info(t("training.run_missing"))
    elif summary is not None and summary.status in ACTIVE:
        live_run(active_key, summary.config)
    elif summary is not None:
        finished_run(summary)
    # Last, because the first call in a server process loads torch to find out.
    device = view.machine_device()
    st.caption(t("training.device_cpu") if device == "cpu" else t("training.device_gpu", device=device))

elif section == "compare":
    runs = view.store().list_runs()
    runs = runs[runs["status"].isin(FINISHED_STATUSES)] if not runs.empty else runs
    labels = {row["key"]: view.run_label(row) for _, row in runs.iterrows()}
    if len(labels) < 2:
        st.info(t("training.compare_need_two"))
    else:
        chosen = st.multiselect(t("training.compare_runs"), list(labels), format_func=labels.get,
                                key=labelled("train_compare_runs"))
        columns = ("loss_d", "loss_g", "d_real", "d_fake", "jsd", "modes_captured", "hq_fraction")
        column = st.selectbox(t("training.compare_metric"), columns, key=labelled("train_compare_metric"),
                              format_func=lambda name: t(f"training.plot.{name}"))
        if len(chosen) < 2:
            st.info(t("training.compare_pick"))
        else:
            frames = {}
            for key in chosen:
                if (run_summary := view.store().summary(key)) is not None:
                    series, metrics, _ = view.finished_series(view.runs_root(), key, run_summary.finished or 0.0)
                    frames[labels[key]] = series if column in series else metrics
            reference = 0.5 if column in ("d_real", "d_fake") else None
            st.plotly_chart(view.plots.compare_figure(frames, column, reference, view.plot_labels(),
                                                      log_y=column == "jsd"), width="stretch")

elif section == "sweep" and config is not None:
    st.caption(t("training.sweep_intro", preset=preset_name))
    left, middle, right = st.columns(3)
    ks = left.multiselect(t("training.sweep_k"), view.SWEEP_K_OPTIONS, default=[1, 2, 5], key="train_sweep_k")
    lrs = middle.multiselect(t("training.sweep_lr"), view.LR_OPTIONS, default=[1e-4, 1e-3, 1e-2],
                             format_func=view.format_lr, key=labelled("train_sweep_lr"))
    metric = right.selectbox(t("training.sweep_metric"), view.metric_names(config), key=labelled("train_sweep_metric"),
                             format_func=lambda name: t(f"training.plot.{name}"))

    training = bool(ks and lrs) and view.sweep_grid(config, sorted(ks), sorted(lrs), metric).active

    @st.fragment(run_every=2 * view.POLL_SECONDS if training else None)
    def sweep_view() -> None:
        """The heatmap, refreshed while cells train; clicking a trained cell opens its run."""
        grid = view.sweep_grid(config, sorted(ks), sorted(lrs), metric)
        if training and not grid.active:
            st.rerun()  # all cells finished: the page reruns without the refresh timer
        figure = view.plots.sweep_figure(sorted(ks), [view.format_lr(lr) for lr in sorted(lrs)], grid.values,
                                         grid.keys, t(f"training.plot.{metric}"), grid.notes, view.plot_labels())
        event = st.plotly_chart(figure, width="stretch", key="train_sweep_chart", on_select="rerun",
                                selection_mode="points")
        trained = {key: label for key, label in grid.labels.items() if key in grid.trained}
        clicked = [point.get("customdata") for point in event.selection.points]
        if clicked and clicked[0] in trained:
            open_from_fragment(clicked[0])
        if grid.missing and st.button(t("training.sweep_launch", count=len(grid.missing)),
                                      key="train_sweep_launch"):
            launch_cells(grid.missing)
            st.rerun()  # the whole page, so the heatmap refreshes itself while the cells train
        if error := st.session_state.pop("train_launch_error", None):
            st.warning(error)
        if trained:
            cell = st.selectbox(t("training.sweep_open"), list(trained), format_func=trained.get,
                                key=labelled("train_sweep_cell"))
            if st.button(t("training.open"), key="train_sweep_open"):
                open_from_fragment(cell)

    if ks and lrs:
        sweep_view()

elif section == "library":
    runs = view.store().list_runs()
    query = st.text_input(t("training.library_filter"), key="train_library_filter")
    cached = len(runs)
    if not runs.empty and query:
        text = runs.map(str).agg(" ".join, axis=1)
        runs = runs[text.str.contains(query, case=False, regex=False)]
    if runs.empty:
        st.info(t("training.library_no_match", query=view.shown_text(query), count=cached) if cached
                else t("training.library_empty"))
    else:
        st.dataframe(runs, hide_index=True, width="stretch")
        labels = {row["key"]: view.run_label(row) for _, row in runs.iterrows()}
        key = st.selectbox(t("training.library_run"), list(labels), format_func=labels.get, key=labelled("train_library_run"))
        left, middle, right = st.columns(3)
        left.button(t("training.open"), key="train_library_open", on_click=open_chosen, args=("train_library_run",))
        if middle.button(t("training.delete"), key="train_library_delete"):
            try:
                view.store().delete(key)
            except GanExplorerError as exc:
                st.error(str(exc))
            else:
                st.rerun()
        right.download_button(t("training.download"), data=view.store().run_path(key).read_bytes,
                              file_name=f"{key}.h5", mime="application/x-hdf5", key="train_library_download")
