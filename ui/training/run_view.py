"""The Training page's Train view: the launch button and the run it shows.

Training never runs here: `launch` hands the configuration to the Runner, which starts a
worker process, and `live_run` polls the run store once a second from a fragment, so the
page stays responsive and a rerun never kills a run. A finished run (done, diverged,
failed, cancelled or interrupted) is shown once, with a snapshot scrubber.
"""

from __future__ import annotations

import math
import socket

import streamlit as st

from gan_engine.config import RunConfig
from gan_engine.errors import GanExplorerError
from gan_engine.runs import ACTIVE, CACHED_STATUSES, RunSummary
from gan_engine.runs.runner import Launch
from ui import roles, teacher
from ui.i18n import error_text, t
from ui.training import charts, engine, quality
from ui.training.fields import PRESET_KEY
from ui.training.settings import config_from_widgets


def format_seconds(seconds: float | None) -> str:
    """ETA / duration as m:ss (or h:mm:ss); "…" when unknown."""
    if seconds is None or not math.isfinite(seconds):
        return "…"
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def launch() -> None:
    """Launch the widgets' configuration through the run cache; the page then shows that run."""
    try:
        launch_config(config_from_widgets(st.session_state[PRESET_KEY]))
    except GanExplorerError as exc:
        st.session_state["train_launch_error"] = error_text(exc)


def launch_config(config: RunConfig) -> Launch:
    """Launch `config` through the run cache for this visitor (the Train view then shows it).

    Also the Lab's "Train this fully". Raises GanExplorerError for a configuration the run
    cache refuses (invalid, too large, queue full).
    """
    started = engine.runner().launch(config)
    st.session_state["train_active_key"] = started.key
    st.session_state["train_outcome"] = started.outcome
    if started.outcome in ("started", "queued"):
        teacher.attachments().launched(started.key, teacher.visitor_id())
    elif started.outcome == "attached":
        teacher.attachments().watching(started.key, teacher.visitor_id())
    return started


def open_if_cached(config: RunConfig) -> None:
    """Show the run of `config` when the cache holds it (finished, or training now), as a
    press of Train would, without starting anything."""
    summary = engine.store().summary(config.key())
    if summary is not None and (summary.status in CACHED_STATUSES or summary.status in ACTIVE):
        st.session_state["train_active_key"] = summary.key
        st.session_state["train_outcome"] = "cached" if summary.status in CACHED_STATUSES else "attached"


def show_train_view(config: RunConfig | None) -> None:
    """The Train button, the run it launched or opened (live or finished), and the device."""
    st.button(t("training.train"), type="primary", key="train_launch", disabled=config is None, on_click=launch)
    if error := st.session_state.pop("train_launch_error", None):
        st.error(error)
    if st.session_state.pop("train_detached_note", False):
        st.info(t("training.detached"))
    active_key = st.session_state.get("train_active_key")
    summary = engine.store().summary(active_key) if active_key else None
    if active_key and summary is None:
        st.info(t("training.run_missing"))
    elif summary is not None and summary.status in ACTIVE:
        live_run(active_key, summary.config)
    elif summary is not None:
        finished_run(summary)
    if engine.runner().backend_name == "ray":
        show_cluster()
        return
    # Last, because the first call in a server process loads torch to find out.
    device = engine.machine_device()
    st.caption(t("training.device_cpu") if device == "cpu" else t("training.device_gpu", device=device))


def show_cluster() -> None:
    """With the Ray backend: the cluster at a glance (nodes, CPUs and GPUs in use, runs waiting)."""
    glance = engine.runner().cluster()
    if glance.message:
        st.warning(glance.message)
        return
    st.caption(t("training.cluster", nodes=len(glance.nodes), cpus_busy=glance.cpus_busy, cpus=glance.cpus,
                 gpus_busy=glance.gpus_busy, gpus=glance.gpus, waiting=glance.runs_waiting))


def device_text(device: str, latest: dict[str, float]) -> str:
    """The device a run trains on, with its CPU threads while the worker reports them (an image
    run alone on a machine borrows the idle cores: `limits.borrowed_threads`)."""
    threads = latest.get("threads")
    return t("training.device_threads", device=device, threads=int(threads)) if threads else device


def show_where(node: str, device: str) -> None:
    """Where a run trains, when that is not this machine (a Ray node)."""
    if node and node != socket.gethostname():
        st.caption(t("training.where", node=node, device=device or "…"))


@st.fragment(run_every=engine.POLL_SECONDS)
def live_run(key: str, run_config: RunConfig) -> None:
    """Progress and growing curves of a queued or running run, refreshed every second."""
    if st.session_state.get("train_detached_note"):
        st.rerun()   # "Stop watching" was pressed in here: the whole page shows the Train view again
    try:
        progress = engine.runner().progress(key)
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
                                              total=progress.total, eta=format_seconds(progress.eta_seconds),
                                              device=device_text(progress.device, progress.latest)))
    if progress.status == "running":
        show_where(progress.node, progress.device)
    teacher.attachments().watching(key, teacher.visitor_id())
    cancel_control(key)
    if progress.snapshot_count:
        latest = charts.latest_metrics(engine.runs_root(), key, (progress.snapshot_count, progress.snapshot_iteration))
        quality.render_verdict(run_config, latest, live=True)
    # The snapshot figures are rebuilt when a new snapshot has been written, not on every poll.
    charts.render_charts(key, run_config, progress.iteration, (progress.snapshot_count, progress.snapshot_iteration))


def cancel_control(key: str) -> None:
    """Cancel for whoever may stop the run; "Stop watching" for a visitor others rely on."""
    action = teacher.attachments().cancel_action(teacher.role(), key, teacher.visitor_id())
    if action == roles.STOP:
        st.button(t("training.cancel"), key="train_cancel", on_click=_cancel, args=(key,))
    elif action == roles.DETACH:
        left, right = st.columns([1, 3], vertical_alignment="center")
        left.button(t("training.stop_watching"), key="train_detach", on_click=_detach, args=(key,))
        mine = teacher.attachments().launcher(key) == teacher.visitor_id()
        right.caption(t("training.others_watch" if mine else "training.not_yours"))
    else:
        st.caption(t("training.not_yours"))


def _cancel(key: str) -> None:
    """Stop the run, re-checking the rule at click time (someone may have attached since)."""
    action = teacher.attachments().cancel_action(teacher.role(), key, teacher.visitor_id())
    if action == roles.STOP:
        engine.runner().cancel(key)
    elif action == roles.DETACH:
        _detach(key)
        st.session_state["train_detached_note"] = True


def _detach(key: str) -> None:
    """This visitor leaves the run; it trains on for the others (and stays in the cache)."""
    teacher.attachments().detach(key, teacher.visitor_id())
    st.session_state.pop("train_active_key", None)
    st.session_state["train_detached_note"] = True


def finished_run(summary: RunSummary) -> None:
    """A finished, failed, cancelled or interrupted run: status note, metrics, curves, scrubber."""
    if st.session_state.get("train_outcome") == "cached" and summary.status == "done":
        st.success(t("training.from_cache"))
    if summary.status != "done":
        notify = {"diverged": st.warning, "failed": st.error}.get(summary.status, st.info)
        notify(t(f"training.outcome.{summary.status}", message=summary.message or "—"))
    # A run that stopped early says so: "Cancelled at iteration 818 of 3000", not "Trained in".
    caption = "training.trained_on" if summary.status == "done" else f"training.stopped.{summary.status}"
    st.caption(t(caption, device=summary.device or "?", seconds=format_seconds(summary.seconds),
                 iteration=summary.iteration, total=summary.total))
    show_where(summary.node, summary.device)
    quality.render_verdict(summary.config, summary.metrics)
    quality.render_headline_metrics(summary.config, summary.metrics, summary.seconds)
    iterations = charts.finished_series(engine.runs_root(), summary.key, summary.finished or 0.0)[2]
    index = None
    if len(iterations) > 1:
        chosen = st.select_slider(t("training.scrubber"), iterations, value=iterations[-1], key="train_snapshot")
        index = iterations.index(chosen)
    finished = summary.finished or 0.0
    charts.render_charts(summary.key, summary.config, finished, finished, index)
    if summary.status == "done":
        charts.render_anchor_table(summary.config, summary.metrics)
