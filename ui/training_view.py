"""Helpers for the Training page: its widgets, shared-link checks, run data and charts.

The page (pages/2_Training.py) arranges these; everything that computes lives in
`gan_engine`. Widget keys start with `train_` and double as URL query parameters, so a
link such as `/Training?train_preset=ring2d&train_k=5&train_lr_d=1e-3` opens with those
values set.
"""

from __future__ import annotations

import math
import os
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from gan_engine.train import anchors
from gan_engine.config import LOSSES, OPTIMIZERS, PRESETS, RunConfig, preset
from gan_engine.data.paths import data_root
from gan_engine.runs import ACTIVE, CACHED_STATUSES
from gan_engine.theory.distributions import toy_target
from gan_engine.plots import training as plots
from gan_engine.runs.runner import Runner
from gan_engine.runs.store import RunStore
from ui import data_upload
from ui.i18n import TABLES, current_language, t

PRESET_KEY = "train_preset"
POLL_SECONDS = 1.0
RUNS_ENV = "GAN_EXPLORER_RUNS"


def _with_presets(grid: tuple[float, ...], *names: str) -> tuple[Any, ...]:
    """A widget's option grid plus every preset's own value, so each preset's default is offered."""
    return tuple(sorted(set(grid) | {getattr(p, name) for p in PRESETS.values() for name in names}))


LR_OPTIONS = _with_presets((1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 1e-1),
                           "lr_d", "lr_g")
BATCH_OPTIONS = _with_presets((1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024), "batch_size")
LATENT_OPTIONS = _with_presets((1, 2, 4, 8, 16, 32, 64, 100, 128, 256), "latent_dim")
K_RANGE = (1, max(20, *(p.k for p in PRESETS.values())))
ITERATION_RANGE = (10, 1_000_000)
SMOOTHING_RANGE = (0.0, 0.3)
SMOOTHING_STEP = 0.05
SEED_RANGE = (0, 2**31 - 1)
FACES_FILE_NAMES = ("faces.h5", "faces.hdf5")
MAX_URL_VALUE = 40   # characters of a URL value echoed back in a message


def format_lr(value: float) -> str:
    """Compact, exact scientific form, also the value's spelling in the URL: 0.001 -> "1e-3"."""
    mantissa, exponent = f"{value:e}".split("e")
    return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"


@dataclass(frozen=True)
class Field:
    """One configuration widget: its key (= URL parameter), RunConfig field and domain."""

    key: str
    name: str
    low: float | None = None
    high: float | None = None
    options: tuple[Any, ...] | None = None
    integer: bool = False


FIELDS: tuple[Field, ...] = (
    Field("train_k", "k", *K_RANGE, integer=True),
    Field("train_lr_d", "lr_d", options=LR_OPTIONS),
    Field("train_lr_g", "lr_g", options=LR_OPTIONS),
    Field("train_batch", "batch_size", options=BATCH_OPTIONS),
    Field("train_iterations", "iterations", *ITERATION_RANGE, integer=True),
    Field("train_loss", "loss", options=LOSSES),
    Field("train_smoothing", "label_smoothing", *SMOOTHING_RANGE),
    Field("train_optimizer", "optimizer", options=OPTIMIZERS),
    Field("train_latent", "latent_dim", options=LATENT_OPTIONS),
    Field("train_seed", "seed", *SEED_RANGE, integer=True),
)


# ---- engine objects ------------------------------------------------------------------

def runs_root() -> str:
    """The runs directory setting ("" = the store's per-user default); part of cache keys."""
    return os.environ.get(RUNS_ENV, "")


@st.cache_resource(show_spinner=False)
def _runner_for(root: str) -> Runner:
    return Runner(RunStore(root or None))


def runner() -> Runner:
    """One Runner (with its RunStore and limits) per runs directory for the whole server."""
    return _runner_for(runs_root())


def store() -> RunStore:
    """The RunStore the page's Runner launches into."""
    return runner().store


@st.cache_resource(show_spinner=False)
def machine_device() -> str:
    """The device a new run trains on here: "cuda", "mps" or "cpu"."""
    from gan_engine.train.loop import resolve_device  # torch loads once, on first use

    return resolve_device("auto").type


def preset_names() -> list[str]:
    """Presets offered in the picker; faces only when a faces file is in place or uploaded."""
    faces = faces_file() is not None or data_upload.uploaded("faces") is not None
    return [name for name in PRESETS if PRESETS[name].target != "faces" or faces]


def preset_description(name: str) -> str:
    """The preset's one-line description, or "" for a preset without one."""
    key = f"training.preset.{name}"
    return t(key) if key in TABLES["en"] else ""


def faces_folder() -> Path:
    """Where the faces preset looks for its HDF5 file (the configured data directory)."""
    return data_root()


def faces_file() -> Path | None:
    """The faces HDF5 file in the data directory, or None when there is none."""
    return next((path for name in FACES_FILE_NAMES if (path := faces_folder() / name).is_file()), None)


# ---- widgets and URL parameters -------------------------------------------------------

def reset_to_preset() -> None:
    """Callback of the preset picker: every setting takes the new preset's default."""
    defaults = PRESETS[st.session_state[PRESET_KEY]]
    for field in FIELDS:
        st.session_state[field.key] = getattr(defaults, field.name)


def _parse_number(raw: str) -> float | None:
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _nearest_option(options: tuple[float, ...], value: float) -> float:
    """Nearest option on a log scale (learning rates, batch and latent sizes span decades)."""
    return min(options, key=lambda option: abs(math.log(option) - math.log(value)))


def check_url_value(field: Field, raw: str) -> tuple[Any, str | None]:
    """The value a hand-edited URL parameter gives `field`, and what had to be done to it.

    Returns (value, outcome): outcome None when `raw` means a valid value (however it is
    spelled: 0.001 is the learning rate 1e-3), "clamped" or "rounded" with the value to
    use instead, or "ignored" (value None) when nothing sensible can be read from it.
    """
    if field.options is not None and isinstance(field.options[0], str):
        return (raw, None) if raw in field.options else (None, "ignored")
    number = _parse_number(raw) if len(raw) <= MAX_URL_VALUE else None
    if number is None or (field.options is not None and number <= 0):
        return None, "ignored"
    if field.options is not None:
        low, high = field.options[0], field.options[-1]
        value = _nearest_option(field.options, min(max(number, low), high))
        if not low <= number <= high:
            return value, "clamped"
        return value, None if math.isclose(value, number, rel_tol=1e-9) else "rounded"
    value = min(max(number, field.low), field.high)
    if value != number:
        return (int(round(value)) if field.integer else value), "clamped"
    rounded = int(round(value)) if field.integer else round(round(value / SMOOTHING_STEP) * SMOOTHING_STEP, 2)
    return rounded, None if math.isclose(rounded, number, abs_tol=1e-9) else "rounded"


URL_FIX_PENDING = "train_url_corrected"   # {widget key: corrected value}, for the run after the first
URL_FIX_NOTES = "train_url_notes"         # that first run's messages, shown again by the second
URL_FIX_ARMED = "train_url_fix_armed"     # the rerun timer has ticked once (the first tick is the page's own run)
URL_FIX_RERUN = "train_url_fix_rerun"     # the run after the first is that timer's, not the visitor's


def apply_url_parameters() -> list[str]:
    """On a session's first visit, turn the URL's parameters into widget values, and explain.

    The widgets' own URL binding silently drops what it cannot use (k = -3, lr = 1e9,
    0.001 for the option 1e-3); here every readable value is clamped or rounded into the
    widget's domain and set before the widgets exist, and each change or refusal gives one
    message. The raw value is echoed inside a code span, shortened, so nothing in it
    renders as Markdown or HTML.
    """
    if st.session_state.get("train_url_checked"):
        # The run after the first (see finish_url_correction): the corrected values are
        # written again now that their widgets exist, so the widgets' URL binding puts them
        # in the address; on the first run Streamlit only drops the unusable parameters.
        for key, value in st.session_state.pop(URL_FIX_PENDING, {}).items():
            if st.session_state.get(key) == value:        # unless the visitor has changed it since
                st.session_state[key] = value
        st.session_state.pop(URL_FIX_ARMED, None)
        notes = st.session_state.pop(URL_FIX_NOTES, [])
        return notes if st.session_state.pop(URL_FIX_RERUN, False) else []
    st.session_state["train_url_checked"] = True
    notes: list[str] = []
    corrected: dict[str, Any] = {}
    params = st.query_params
    raw_preset = params.get(PRESET_KEY)
    if raw_preset is not None and raw_preset not in preset_names():
        hidden_faces = raw_preset == "faces" and faces_file() is None
        notes.append(t("training.url.preset_faces" if hidden_faces else "training.url.preset",
                       value=shown_text(raw_preset), default=preset_names()[0]))
    for field in FIELDS:
        raw = params.get(field.key)
        if raw is None:
            continue
        value, outcome = check_url_value(field, raw)
        if value is not None:
            st.session_state[field.key] = value
            if outcome is not None:
                corrected[field.key] = value
        if outcome is not None:
            notes.append(t(f"training.url.{outcome}", name=field.name, value=shown_text(raw),
                           used=shown_text(str(value))))
    if corrected:
        st.session_state[URL_FIX_PENDING], st.session_state[URL_FIX_NOTES] = corrected, notes
    return notes


def finish_url_correction() -> None:
    """Call once the settings widgets exist: rerun at once when a link's values were
    corrected, so the address shows what the widgets use (a link shared from it then
    opens the same settings)."""
    if URL_FIX_PENDING in st.session_state:
        _rerun_soon()


@st.fragment(run_every=0.1)
def _rerun_soon() -> None:
    """Rerun the whole page once this run has finished (st.rerun() inside the first run
    comes before Streamlit has recorded the widgets, and the URL would stay unsynced)."""
    if URL_FIX_PENDING in st.session_state and st.session_state.get(URL_FIX_ARMED):
        st.session_state[URL_FIX_RERUN] = True      # this rerun shows the first run's messages again
        st.rerun(scope="app")
    st.session_state[URL_FIX_ARMED] = True


def shown_text(raw: str) -> str:
    """Text a visitor typed (a URL value, a filter), safe to show in a code span: printable, no backticks, short."""
    text = "".join(ch for ch in raw if ch.isprintable() and ch != "`")
    return text if len(text) <= MAX_URL_VALUE else text[:MAX_URL_VALUE] + "…"


def config_from_widgets(preset_name: str) -> RunConfig:
    """The preset with the widgets' values applied; raises ConfigError when impossible."""
    overrides: dict[str, Any] = {field.name: st.session_state[field.key] for field in FIELDS}
    target = PRESETS[preset_name].target
    if (upload := data_upload.uploaded(target)) is not None:    # this session's own file comes first
        overrides["data_path"] = str(upload.path)
    elif target == "faces":
        overrides["data_path"] = str(faces_file())
    config = preset(preset_name, **overrides)
    runner().limits.check_run(config)
    return config


def open_run(key: str) -> None:
    """Show run `key` on the Train view, with the settings widgets set to its configuration.

    Call before the widgets are created in this script run.
    """
    summary = store().summary(key)
    if summary is not None:
        widgets_from_config(summary.config)
    st.session_state["train_active_key"] = key
    st.session_state["train_outcome"] = "opened"
    st.session_state["train_view"] = "train"


def widgets_from_config(config: RunConfig) -> None:
    """Set the widgets to a run's configuration (as far as each widget can show it)."""
    if config.preset in preset_names():
        st.session_state[PRESET_KEY] = config.preset
    for field in FIELDS:
        value = getattr(config, field.name)
        if field.options is not None and value not in field.options:
            continue
        if field.low is not None and not field.low <= value <= field.high:
            continue
        st.session_state[field.key] = value


# ---- run data -----------------------------------------------------------------------

@st.cache_data(max_entries=64, show_spinner=False)
def finished_series(root: str, key: str, finished: float) -> tuple[pd.DataFrame, pd.DataFrame, list[int]]:
    """Loss series, metric series and snapshot iterations of a finished (immutable) run."""
    runs = _runner_for(root).store
    return runs.series(key), runs.metric_series(key), runs.snapshot_iterations(key)


def plot_labels(language: str | None = None) -> dict[str, str]:
    """The figures' texts in `language` (default: the session's)."""
    table = TABLES[language or current_language()]
    return {name: table.get(f"training.plot.{name}") or TABLES["en"][f"training.plot.{name}"]
            for name in plots.DEFAULT_LABELS}


def format_seconds(seconds: float | None) -> str:
    """ETA / duration as m:ss (or h:mm:ss); "…" when unknown."""
    if seconds is None or not math.isfinite(seconds):
        return "…"
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def run_label(row: Mapping[str, Any]) -> str:
    """A short human label for a run: a row of `RunStore.list_runs()`."""
    return (f"{row['preset']} · k={row['k']} · lr_d={format_lr(row['lr_d'])} · "
            f"lr_g={format_lr(row['lr_g'])} · {row['loss']} · {row['iterations']} it · {str(row['key'])[:6]}")


@st.cache_resource(max_entries=32, show_spinner=False)
def curve_figures(root: str, key: str, version: Hashable, loss: str, label_smoothing: float,
                  language: str) -> tuple[go.Figure, go.Figure] | None:
    """Loss and D-output figures of a run as of `version`; None before its first log.

    Cached as built figures (st.plotly_chart only reads them), so a poll that finds
    nothing new, or a second visitor, costs no HDF5 read and no figure building. `version`
    changes whenever the data may have: a finished run's finish time, a live run's latest
    logged iteration.
    """
    series = _runner_for(root).store.series(key)
    if series.empty:
        return None
    names = plot_labels(language)
    return (plots.loss_figure(series, loss, names, label_smoothing),
            plots.discriminator_output_figure(series, names))


@st.cache_resource(max_entries=64, show_spinner=False)
def snapshot_figures(root: str, key: str, version: Hashable, index: int | None, target: str,
                     language: str) -> tuple[int, list[go.Figure]] | None:
    """(iteration, figures) of snapshot `index` (None: the latest); None before the first.

    Figures: the 1-D Figure 1 and JSD, the 2-D samples/heatmap/arrows and modes, or the
    image grid. `version`: a finished run's finish time; for a live run (snapshot count,
    latest snapshot's iteration), which changes exactly when a snapshot is written (the
    count alone can repeat once a long run starts thinning its snapshots), so a live
    run's snapshot figures are built once per snapshot, not once per poll.
    """
    runs = _runner_for(root).store
    iterations = runs.snapshot_iterations(key)
    if not iterations:
        return None
    index = len(iterations) - 1 if index is None else index
    snapshot, metrics, names = runs.snapshot(key, index), runs.metric_series(key), plot_labels(language)
    figures: list[go.Figure] = []
    if "x" in snapshot:                         # 1-D snapshot arrays (docs/CONTRACTS.md)
        figures.append(plots.snapshot_1d_figure(snapshot, names))
        if "jsd" in metrics:
            figures.append(plots.jsd_figure(metrics, names))
    elif "samples" in snapshot:                 # 2-D
        distribution = toy_target(target)
        figures.append(plots.snapshot_2d_figure(snapshot, distribution.centers, names))
        if "modes_captured" in metrics:
            figures.append(plots.modes_figure(metrics, distribution.n_modes, names))
    elif "images" in snapshot:
        figures.append(plots.image_grid_figure(snapshot["images"], snapshot.get("labels")))
    return iterations[index], figures


def render_charts(key: str, config: RunConfig, curve_version: Hashable, snapshot_version: Hashable,
                  snapshot_index: int | None = None) -> None:
    """Curves and one snapshot of a run (`snapshot_index` None: the latest)."""
    root, language = runs_root(), current_language()
    curves = curve_figures(root, key, curve_version, config.loss, config.label_smoothing, language)
    if curves is None:
        st.info(t("training.no_data_yet"))
        return
    for column, figure in zip(st.columns(2), curves):
        column.plotly_chart(figure, width="stretch")
    shown = snapshot_figures(root, key, snapshot_version, snapshot_index, config.target, language)
    if shown is None:
        return
    iteration, figures = shown
    st.caption(t("training.snapshot_at", iteration=iteration))
    for column, figure in zip(st.columns(2) if len(figures) == 2 else [st.container()], figures):
        column.plotly_chart(figure, width="stretch")


def render_anchor_table(config: RunConfig, metrics: dict[str, float]) -> None:
    """A finished toy run's final metrics beside the published results for its target."""
    table = anchors.comparison_table(config.target, t("training.this_run"), metrics)
    if table.empty:
        return
    goal = table["source"] == anchors.PROJECT_GOAL
    table.loc[goal, "method"], table.loc[goal, "source"] = t("training.anchor_goal"), t("training.anchor_goal_source")
    st.markdown(f"**{t('training.anchors_title')}**")
    formats = {"modes_captured": "{:.1f}", "hq_fraction": "{:.1%}", "reverse_kl": "{:.3g}", "jsd": "{:.3g}"}
    styled = table.style.format({name: formats[name] for name in anchors.METRIC_COLUMNS if name in table},
                                na_rep="—")
    names = {name: t(f"training.plot.{name}") for name in anchors.METRIC_COLUMNS}
    names |= {"method": t("training.anchor_method"), "source": t("training.anchor_source")}
    st.dataframe(styled, hide_index=True, width="stretch",
                 column_config={column: names[column] for column in table.columns})
    if config.data_dim == 2:
        st.caption(t("training.anchors_caption"))


# ---- sweep ------------------------------------------------------------------------------

SWEEP_K_OPTIONS = (1, 2, 3, 5, 10)


def metric_names(config: RunConfig) -> tuple[str, ...]:
    """The final metrics a run of this target reports (scalars of the last log for images)."""
    if config.data_dim == 1:
        return ("jsd",)
    if config.data_dim == 2:
        return ("modes_captured", "hq_fraction", "reverse_kl")
    return ("loss_d", "loss_g", "d_real", "d_fake")


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
            summary = store().summary(key)
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
