"""The Training page's Compare and Library views: every run in the cache.

Compare overlays one series of two or more finished runs; Library lists, filters, opens,
deletes and downloads runs. Opening a run goes through `settings.request_open`, so the
settings widgets follow the run at the top of the next script run.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from gan_engine.errors import GanExplorerError
from gan_engine.judge.verdict import QUALITY_SUMMARY_METRICS
from gan_engine.plots import training as plots
from gan_engine.runs import FINISHED_STATUSES
from ui import roles, teacher
from ui.i18n import error_text, labelled, t
from ui.training import engine, runs_table
from ui.training.charts import finished_series, plot_labels
from ui.training.runs_table import run_label
from ui.training.settings import request_open
from ui.training.url import shown_text

COMPARE_COLUMNS = ("loss_d", "loss_g", "d_real", "d_fake", "jsd", "modes_captured", "hq_fraction",
                   *(name for name in QUALITY_SUMMARY_METRICS if name != "frechet_floor"))


def open_chosen(state_key: str) -> None:
    """Open the run chosen in the selectbox `state_key` (read at click time, not at render time)."""
    request_open(st.session_state[state_key])


def show_compare_view() -> None:
    """One series (losses, D outputs or a metric) of two or more finished runs, overlaid."""
    runs = engine.store().list_runs()
    runs = runs[runs["status"].isin(FINISHED_STATUSES)] if not runs.empty else runs
    labels = {row["key"]: run_label(row) for _, row in runs.iterrows()}
    if len(labels) < 2:
        st.info(t("training.compare_need_two"))
        return
    chosen = st.multiselect(t("training.compare_runs"), list(labels), format_func=labels.get,
                            key=labelled("train_compare_runs"))
    column_names = {name: t(f"training.plot.{name}") for name in COMPARE_COLUMNS}
    column = st.selectbox(t("training.compare_metric"), COMPARE_COLUMNS, key=labelled("train_compare_metric"),
                          format_func=column_names.get)
    if len(chosen) < 2:
        st.info(t("training.compare_pick"))
        return
    frames = {}
    for key in chosen:
        if (run_summary := engine.store().summary(key)) is not None:
            series, metrics, _ = finished_series(engine.runs_root(), key, run_summary.finished or 0.0)
            frames[labels[key]] = series if column in series else metrics
    reference = 0.5 if column in ("d_real", "d_fake") else None
    st.plotly_chart(plots.compare_figure(frames, column, reference, plot_labels(), log_y=column in ("jsd", "frechet")),
                    width="stretch")


def show_library_view() -> None:
    """Every cached run in a table with a filter; open, delete or download the chosen one."""
    runs = engine.store().list_runs()
    query = st.text_input(t("training.library_filter"), key="train_library_filter")
    cached = len(runs)
    runs = runs_table.matching(runs, query)
    if runs.empty:
        st.info(t("training.library_no_match", query=shown_text(query), count=cached) if cached
                else t("training.library_empty"))
        return
    st.dataframe(runs_table.shown(runs), hide_index=True, width="stretch", column_config=runs_table.column_config(runs))
    labels = {row["key"]: run_label(row) for _, row in runs.iterrows()}
    key = st.selectbox(t("training.library_run"), list(labels), format_func=labels.get, key=labelled("train_library_run"))
    left, middle, right = st.columns(3)
    left.button(t("training.open"), key="train_library_open", on_click=open_chosen, args=("train_library_run",))
    if roles.may_delete(teacher.role()):
        middle.button(t("training.delete"), key="train_library_delete", on_click=_ask_delete, args=(key,))
    else:
        middle.caption(t("training.delete_teacher_only"))
    right.download_button(t("training.download"), data=engine.store().run_path(key).read_bytes,
                          file_name=f"{key}.h5", mime="application/x-hdf5", key="train_library_download")
    _confirm_delete(labels)


_DELETE = "train_library_delete_pending"


def _ask_delete(key: str) -> None:
    st.session_state[_DELETE] = key


def _confirm_delete(labels: Mapping[str, str]) -> None:
    """Delete asks first, and says what will go."""
    key = st.session_state.get(_DELETE)
    if key is None or not roles.may_delete(teacher.role()):
        return
    path = engine.store().run_path(key)
    size = path.stat().st_size / 2**20 if path.exists() else 0.0
    st.warning(t("training.delete_confirm", run=labels.get(key, key), size=f"{size:.1f}"))
    yes, no = st.columns(2)
    if yes.button(t("training.delete_yes"), key="train_library_delete_yes", type="primary"):
        st.session_state.pop(_DELETE, None)
        try:
            engine.store().delete(key)
        except GanExplorerError as exc:
            st.error(error_text(exc))
            return
        teacher.attachments().forget(key)
        st.rerun()
    if no.button(t("training.delete_no"), key="train_library_delete_no"):
        st.session_state.pop(_DELETE, None)
        st.rerun()
