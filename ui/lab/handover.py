""""Train this fully": the Lab's game handed to the Training page as a cached run.

The run is the preset's configuration with the Lab's k, learning rates, loss and optimizer,
each brought onto the Training page's choices (its widgets offer a fixed grid of learning
rates, and show a run's settings only when they are on it). One click launches it as the
Training page's own Train button does (`ui.training.run_view.launch_config`: the run cache,
so the same configuration is trained once for everyone, and the visitor's role in it) and
switches there with the run open (`ui.training.settings.request_open`) and its settings in
the address, as a shared link would set them (`ui.training.url`).
"""

from __future__ import annotations

import math

import streamlit as st
from streamlit.errors import StreamlitAPIException

from gan_engine.config import RunConfig, preset
from gan_engine.errors import GanExplorerError
from gan_engine.lab.game import LabSettings
from ui.i18n import error_text, t
from ui.training import run_view
from ui.training import settings as training_settings
from ui.training.fields import K_RANGE, LR_OPTIONS, format_lr

TRAINING_PAGE = "pages/2_Training.py"


def handover_config(preset_name: str, settings: LabSettings) -> tuple[RunConfig, list[tuple[str, dict]]]:
    """The run to launch and a note for each setting moved onto the Training page's choices."""
    notes: list[tuple[str, dict]] = []
    values = {"k": settings.k, "lr_d": settings.lr_d, "lr_g": settings.lr_g}
    low, high = K_RANGE
    k = int(min(max(settings.k, low), high))
    lrs = {name: min(LR_OPTIONS, key=lambda option: abs(math.log(option) - math.log(values[name])))
           for name in ("lr_d", "lr_g")}
    for name, used in (("k", k), *lrs.items()):
        if not math.isclose(used, values[name], rel_tol=1e-9):
            shown = format_lr if name != "k" else str
            notes.append(("lab.handover.rounded", {"name": name, "given": shown(values[name]), "used": shown(used)}))
    config = preset(preset_name, k=k, loss=settings.loss, optimizer=settings.optimizer, **lrs)
    return config, notes


def query_params(config: RunConfig) -> dict[str, str]:
    """The Training page's URL parameters for `config` (see `ui.training.fields.FIELDS`)."""
    return {"train_preset": config.preset, "train_k": str(config.k), "train_lr_d": format_lr(config.lr_d),
            "train_lr_g": format_lr(config.lr_g), "train_loss": config.loss,
            "train_optimizer": config.optimizer}


def render(preset_name: str | None, settings: LabSettings) -> None:
    """The hand-over section: what would be launched, and the button that launches it."""
    if preset_name is None:
        st.info(t("lab.handover.own_data"))
        return
    config, notes = handover_config(preset_name, settings)
    st.caption(t("lab.handover.config", preset=config.preset, k=config.k, lr_d=format_lr(config.lr_d),
                 lr_g=format_lr(config.lr_g), loss=t(f"lab.loss.{config.loss}"),
                 optimizer=t(f"lab.optimizer.{config.optimizer}")))
    for key, values in notes:
        st.caption(t(key, **values))
    if not st.button(t("lab.handover.button"), key="lab_handover", icon=":material/model_training:"):
        return
    try:
        started = run_view.launch_config(config)
    except GanExplorerError as exc:
        st.error(t("lab.handover.error", detail=error_text(exc)))
        return
    training_settings.request_open(started.key)   # the Training page opens it first thing
    st.session_state["lab_playing"] = False
    try:
        st.switch_page(TRAINING_PAGE, query_params=query_params(config))
    except StreamlitAPIException:
        # The Lab is running as its own app (AppTest.from_file on the page): no page to switch to.
        st.success(t("lab.handover.no_page", key=started.key))
