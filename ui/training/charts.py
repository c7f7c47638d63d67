"""The Training page's charts of one run: curves, snapshots, published anchors (cached).

Figures are cached as built objects (`st.cache_resource`; st.plotly_chart only reads them),
keyed by the runs directory, the run key, a version that changes whenever the data may
have, and the language, so a poll that finds nothing new, or a second visitor, costs no
HDF5 read and no figure building.
"""

from __future__ import annotations

import math
from collections.abc import Hashable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from gan_engine.config import RunConfig
from gan_engine.judge.verdict import MIN_ACCURACY, MIN_DIVERSITY_RATIO, MIN_SHARE
from gan_engine.plots import training as plots
from gan_engine.theory.distributions import toy_target
from gan_engine.train import anchors
from ui.i18n import TABLES, current_language, t
from ui.training.engine import runner_for, runs_root

MISSING = "—"     # a value a table has not got


@st.cache_data(max_entries=64, show_spinner=False)
def finished_series(root: str, key: str, finished: float) -> tuple[pd.DataFrame, pd.DataFrame, list[int]]:
    """Loss series, metric series and snapshot iterations of a finished (immutable) run."""
    runs = runner_for(root).store
    return runs.series(key), runs.metric_series(key), runs.snapshot_iterations(key)


@st.cache_data(max_entries=64, show_spinner=False)
def latest_metrics(root: str, key: str, version: Hashable) -> dict[str, float]:
    """The metrics of a live run's latest snapshot (`version` changes with each new snapshot)."""
    metrics = runner_for(root).store.metric_series(key)
    if metrics.empty:
        return {}
    return {name: float(value) for name, value in metrics.iloc[-1].items() if name != "iteration"}


def plot_labels(language: str | None = None) -> dict[str, str]:
    """The figures' texts in `language` (default: the session's)."""
    table = TABLES[language or current_language()]
    return {name: table.get(f"training.plot.{name}") or TABLES["en"][f"training.plot.{name}"]
            for name in plots.DEFAULT_LABELS}


def metric_label(name: str) -> str:
    """A metric's display name: the plot label when there is one, else the name itself."""
    return t(f"training.plot.{name}") if name in plots.DEFAULT_LABELS else name


@st.cache_resource(max_entries=32, show_spinner=False)
def curve_figures(root: str, key: str, version: Hashable, loss: str, label_smoothing: float,
                  language: str, cursor: int | None = None) -> tuple[go.Figure, go.Figure] | None:
    """Loss and D-output figures of a run as of `version`, with a cursor at iteration
    `cursor` (the snapshot shown); None before its first log.

    `version` changes whenever the data may have: a finished run's finish time, a live
    run's latest logged iteration.
    """
    series = runner_for(root).store.series(key)
    if series.empty:
        return None
    names = plot_labels(language)
    return (plots.loss_figure(series, loss, names, label_smoothing, cursor=cursor),
            plots.discriminator_output_figure(series, names, cursor=cursor))


@st.cache_resource(max_entries=64, show_spinner=False)
def snapshot_figures(root: str, key: str, version: Hashable, index: int | None, target: str,
                     language: str) -> tuple[int, list[go.Figure]] | None:
    """(iteration, figures) of snapshot `index` (None: the latest); None before the first.

    Figures: the 1-D Figure 1 and JSD, the 2-D samples/heatmap/arrows and modes, or the
    image grid (and for a judged MNIST run its quality and Fréchet distance over iterations). `version`: a finished run's finish time; for a live run (snapshot count,
    latest snapshot's iteration), which changes exactly when a snapshot is written (the
    count alone can repeat once a long run starts thinning its snapshots), so a live
    run's snapshot figures are built once per snapshot, not once per poll.
    """
    runs = runner_for(root).store
    iterations = runs.snapshot_iterations(key)
    if not iterations:
        return None
    index = len(iterations) - 1 if index is None else index
    snapshot, metrics, names = runs.snapshot(key, index), runs.metric_series(key), plot_labels(language)
    cursor = iterations[index]
    figures: list[go.Figure] = []
    if "x" in snapshot:                         # 1-D snapshot arrays (docs/CONTRACTS.md)
        figures.append(plots.snapshot_1d_figure(snapshot, names))
        if "jsd" in metrics:
            figures.append(plots.jsd_figure(metrics, names, cursor=cursor))
    elif "samples" in snapshot:                 # 2-D
        distribution = toy_target(target)
        figures.append(plots.snapshot_2d_figure(snapshot, distribution.centers, names))
        if "modes_captured" in metrics:
            figures.append(plots.modes_figure(metrics, distribution.n_modes, names, cursor=cursor))
    elif "images" in snapshot:
        figures.append(plots.image_grid_figure(snapshot["images"], snapshot.get("labels")))
        conditional = "labels" in snapshot
        if f"min_{'accuracy' if conditional else 'share'}" in metrics:
            bars = (MIN_ACCURACY if conditional else MIN_SHARE, MIN_DIVERSITY_RATIO)
            figures.append(plots.quality_figure(metrics, conditional, bars, names))
            figures.append(plots.frechet_figure(metrics, names))
    return iterations[index], figures


def render_charts(key: str, config: RunConfig, curve_version: Hashable, snapshot_version: Hashable,
                  snapshot_index: int | None = None) -> None:
    """Curves and one snapshot of a run (`snapshot_index` None: the latest); the curves carry
    a cursor at the snapshot's iteration."""
    root, language = runs_root(), current_language()
    shown = snapshot_figures(root, key, snapshot_version, snapshot_index, config.target, language)
    curves = curve_figures(root, key, curve_version, config.loss, config.label_smoothing, language,
                           None if shown is None else shown[0])
    if curves is None:
        st.info(t("training.no_data_yet"))
        return
    for column, figure in zip(st.columns(2), curves):
        column.plotly_chart(figure, width="stretch")
    if shown is None:
        return
    iteration, figures = shown
    st.caption(t("training.snapshot_at", iteration=iteration))
    if len(figures) == 1:
        st.plotly_chart(figures[0], width="stretch")
        return
    for start in range(0, len(figures), 2):          # two figures a row
        for column, figure in zip(st.columns(2), figures[start:start + 2]):
            column.plotly_chart(figure, width="stretch")


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def render_anchor_table(config: RunConfig, metrics: dict[str, float]) -> None:
    """A finished toy run's final metrics beside the published results for its target."""
    table = anchors.comparison_table(config.target, t("training.this_run"), metrics)
    if table.empty:
        return
    goal = table["source"] == anchors.PROJECT_GOAL
    table.loc[goal, "method"], table.loc[goal, "source"] = t("training.anchor_goal"), t("training.anchor_goal_source")
    st.markdown(f"**{t('training.anchors_title')}**")
    # Cells are formatted here, "—" where a paper gives no value: the table's own rendering
    # would show an empty cell as "None".
    formats = {"modes_captured": "{:.1f}", "hq_fraction": "{:.1%}", "reverse_kl": "{:.3g}", "jsd": "{:.3g}"}
    for name in anchors.METRIC_COLUMNS:
        if name in table:
            table[name] = [formats[name].format(value) if _present(value) else MISSING for value in table[name]]
    names = {name: t(f"training.plot.{name}") for name in anchors.METRIC_COLUMNS}
    names |= {"method": t("training.anchor_method"), "source": t("training.anchor_source")}
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={column: names[column] for column in table.columns})
    if config.data_dim == 2:
        st.caption(t("training.anchors_caption"))
