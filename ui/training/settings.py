"""The Training page's settings sidebar and the run configuration it describes.

Draws the preset picker and one widget per `fields.FIELDS` entry, each showing the
preset's default and bound to the URL; turns the widgets into a `RunConfig`; and sets them
back from a run that the sweep or the library opens (through a pending key, applied at
the top of the next run, before the widgets exist).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from gan_engine.config import LOSSES, OPTIMIZERS, PRESETS, RunConfig, preset
from gan_engine.data.paths import data_root
from ui.i18n import TABLES, labelled, t
from ui.training import engine, upload
from ui.training.fields import (BATCH_OPTIONS, FIELDS, ITERATION_RANGE, K_RANGE, LATENT_OPTIONS, LR_OPTIONS,
                                PRESET_KEY, SEED_RANGE, SMOOTHING_RANGE, SMOOTHING_STEP, format_lr)

FACES_FILE_NAMES = ("faces.h5", "faces.hdf5")
OPEN_PENDING = "train_open_pending"   # a run to open at the top of the next script run


def preset_names() -> list[str]:
    """Presets offered in the picker; faces only when a faces file is in place or uploaded."""
    faces = faces_file() is not None or upload.uploaded("faces") is not None
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


def reset_to_preset() -> None:
    """Callback of the preset picker: every setting takes the new preset's default."""
    defaults = PRESETS[st.session_state[PRESET_KEY]]
    for field in FIELDS:
        st.session_state[field.key] = getattr(defaults, field.name)


def render_settings() -> str:
    """The sidebar's settings: every widget shows the preset's default and is bound to the
    URL. Returns the chosen preset's name."""
    with st.sidebar:
        st.header(t("training.settings"))
        preset_name = st.selectbox(t("training.preset"), preset_names(), key=PRESET_KEY,
                                   bind="query-params", on_change=reset_to_preset)
        st.caption(preset_description(preset_name))
        if faces_file() is None:
            st.caption(t("training.faces_missing", folder=str(faces_folder()), names=" / ".join(FACES_FILE_NAMES)))
        upload.render()
        base = PRESETS[preset_name]
        bound = {"bind": "query-params"}
        st.slider(t("training.k"), *K_RANGE, value=base.k, key="train_k", help=t("training.k_help"), **bound)
        st.select_slider(t("training.lr_d"), LR_OPTIONS, value=base.lr_d, format_func=format_lr,
                         key=labelled("train_lr_d"), **bound)
        st.select_slider(t("training.lr_g"), LR_OPTIONS, value=base.lr_g, format_func=format_lr,
                         key=labelled("train_lr_g"), **bound)
        st.select_slider(t("training.batch"), BATCH_OPTIONS, value=base.batch_size, key="train_batch", **bound)
        st.number_input(t("training.iterations"), *ITERATION_RANGE, value=base.iterations, step=10,
                        key="train_iterations", help=t("training.iterations_help"), **bound)
        st.selectbox(t("training.loss"), LOSSES, index=LOSSES.index(base.loss), key="train_loss",
                     help=t("training.loss_help"), **bound)
        st.slider(t("training.smoothing"), *SMOOTHING_RANGE, value=base.label_smoothing, step=SMOOTHING_STEP,
                  key="train_smoothing", help=t("training.smoothing_help"), **bound)
        st.selectbox(t("training.optimizer"), OPTIMIZERS, index=OPTIMIZERS.index(base.optimizer),
                     key="train_optimizer", **bound)
        st.select_slider(t("training.latent"), LATENT_OPTIONS, value=base.latent_dim, key="train_latent", **bound)
        st.number_input(t("training.seed"), *SEED_RANGE, value=base.seed, key="train_seed", **bound)
    return preset_name


def config_from_widgets(preset_name: str) -> RunConfig:
    """The preset with the widgets' values applied; raises ConfigError when impossible."""
    overrides: dict[str, Any] = {field.name: st.session_state[field.key] for field in FIELDS}
    target = PRESETS[preset_name].target
    if (stored := upload.uploaded(target)) is not None:    # this session's own file comes first
        overrides["data_path"] = str(stored.path)
    elif target == "faces":
        overrides["data_path"] = str(faces_file())
    config = preset(preset_name, **overrides)
    engine.runner().limits.check_run(config)
    return config


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


def request_open(key: str) -> None:
    """Ask for run `key` to be opened on the Train view at the top of the next script run."""
    st.session_state[OPEN_PENDING] = key


def open_pending_run() -> None:
    """Open the run a sweep or library button asked for; call before the widgets are created."""
    if key := st.session_state.pop(OPEN_PENDING, None):
        open_run(key)


def open_run(key: str) -> None:
    """Show run `key` on the Train view, with the settings widgets set to its configuration.

    Call before the widgets are created in this script run.
    """
    summary = engine.store().summary(key)
    if summary is not None:
        widgets_from_config(summary.config)
    st.session_state["train_active_key"] = key
    st.session_state["train_outcome"] = "opened"
    st.session_state["train_view"] = "train"
