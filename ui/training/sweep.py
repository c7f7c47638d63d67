"""The Training page's Sweep view: a k × learning-rate grid of the current preset.

`sweep_grid` looks every cell up in the run cache (no training happens there); the view
draws the grid as a heatmap, refreshed while cells train, launches the missing cells on
request and opens a trained cell's run on the Train view.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import streamlit as st

from gan_engine.config import RunConfig
from gan_engine.judge.verdict import quality_metric_names
from gan_engine.errors import GanExplorerError
from gan_engine.plots import training as plots
from gan_engine.runs import ACTIVE, CACHED_STATUSES
from ui.i18n import error_text, labelled, t
from ui.training import engine
from ui.training.charts import plot_labels
from ui.training.fields import LR_OPTIONS, format_lr
from ui.training.settings import request_open

SWEEP_K_OPTIONS = (1, 2, 3, 5, 10)


def metric_names(config: RunConfig) -> tuple[str, ...]:
    """The final metrics a run of this target reports: for MNIST the judges' quality scores
    first, then (for every image target) the scalars of the last log."""
    if config.data_dim == 1:
        return ("jsd",)
    if config.data_dim == 2:
        return ("modes_captured", "hq_fraction", "reverse_kl")
    losses = ("loss_d", "loss_g", "d_real", "d_fake")
    return quality_metric_names(config) + losses if config.target == "mnist" else losses


@dataclass(frozen=True)
class SweepGrid:
    """The cells of a k × learning-rate sweep (rows: k, columns: lr; lr_d = lr_g = lr)."""

    values: np.ndarray            # (K, L) metric, NaN without a finished result
    keys: np.ndarray              # (K, L) run keys
    notes: np.ndarray             # (K, L) status text for cells without a result
    labels: dict[str, str]        # run key -> "k = 2 · lr 1e-3: 0.185"
    trained: set[str]             # keys of cells with a result
    missing: list[RunConfig]      # configurations never trained (or failed / cancelled)
    active: bool                  # some cell is queued or running


def sweep_grid(base: RunConfig, ks: list[int], lrs: list[float], metric: str) -> SweepGrid:
    """Look every cell of the sweep up in the run cache (no training happens here)."""
    shape = (len(ks), len(lrs))
    values = np.full(shape, np.nan)
    keys = np.empty(shape, dtype=object)
    notes = np.full(shape, t("training.plot.missing"), dtype=object)
    labels: dict[str, str] = {}
    trained: set[str] = set()
    missing: list[RunConfig] = []
    active = False
    for i, k in enumerate(ks):
        for j, lr in enumerate(lrs):
            config = base.replace(k=k, lr_d=lr, lr_g=lr)
            key = keys[i, j] = config.key()
            summary = engine.store().summary(key)
            status = summary.status if summary else None
            if status is not None:
                notes[i, j] = t(f"training.status.{status}")
            if status in CACHED_STATUSES:
                values[i, j] = summary.metrics.get(metric, summary.latest.get(metric, np.nan))
                trained.add(key)
            elif status in ACTIVE:
                active = True
            else:
                missing.append(config)
            shown = f"{values[i, j]:.3g}" if math.isfinite(values[i, j]) else notes[i, j]
            labels[key] = f"k = {k} · lr {format_lr(lr)}: {shown}"
    return SweepGrid(values, keys, notes, labels, trained, missing, active)


def launch_cells(cells: list[RunConfig]) -> None:
    """Launch the sweep's missing cells; a full queue stops the loop with its message."""
    try:
        for cell in cells:
            engine.runner().launch(cell.validate())
    except GanExplorerError as exc:
        st.session_state["train_launch_error"] = error_text(exc)


def open_from_fragment(key: str) -> None:
    """Open a run from inside a fragment: the whole page must rerun to switch the view."""
    request_open(key)
    st.rerun()


def show_sweep_view(config: RunConfig, preset_name: str) -> None:
    """The sweep's choices (k, learning rates, metric) and its heatmap."""
    st.caption(t("training.sweep_intro", preset=preset_name))
    left, middle, right = st.columns(3)
    ks = left.multiselect(t("training.sweep_k"), SWEEP_K_OPTIONS, default=[1, 2, 5], key="train_sweep_k")
    lrs = middle.multiselect(t("training.sweep_lr"), LR_OPTIONS, default=[1e-4, 1e-3, 1e-2],
                             format_func=format_lr, key=labelled("train_sweep_lr"))
    metric_labels = {name: t(f"training.plot.{name}") for name in metric_names(config)}
    metric = right.selectbox(t("training.sweep_metric"), tuple(metric_labels), key=labelled("train_sweep_metric"),
                             format_func=metric_labels.get)

    training = bool(ks and lrs) and sweep_grid(config, sorted(ks), sorted(lrs), metric).active

    @st.fragment(run_every=2 * engine.POLL_SECONDS if training else None)
    def sweep_view() -> None:
        """The heatmap, refreshed while cells train; clicking a trained cell opens its run."""
        grid = sweep_grid(config, sorted(ks), sorted(lrs), metric)
        if training and not grid.active:
            st.rerun()  # all cells finished: the page reruns without the refresh timer
        figure = plots.sweep_figure(sorted(ks), [format_lr(lr) for lr in sorted(lrs)], grid.values,
                                    grid.keys, t(f"training.plot.{metric}"), grid.notes, plot_labels())
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
