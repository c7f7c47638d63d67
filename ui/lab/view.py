"""The Lab page's sections: the data, the game panel (a fragment), the views.

The page script (pages/4_Lab.py) arranges these; the game and every number come from
`gan_engine.lab`, every figure from `gan_engine.plots.lab`, and this session's state from
`ui.lab.state`.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from gan_engine.config import LOSSES, OPTIMIZERS, TOY_TARGETS
from gan_engine.errors import GanExplorerError
from gan_engine.lab import data as lab_data
from gan_engine.lab.game import HISTORY, LabGame
from gan_engine.lab.views import LabView
from gan_engine.plots import lab as plots
from ui.i18n import error_text, labelled, t
from ui.lab import handover, state

CANVAS_GRID = plots.canvas_grid(*lab_data.CANVAS, state.GRID_STEP)


def plot_labels() -> dict[str, str]:
    """The figures' text in the session's language."""
    return {key: t(f"lab.plot.{key}") for key in plots.DEFAULT_LABELS}


def chart(figure: go.Figure, key: str) -> None:
    """A figure across its column; the key keeps it in place (and gives it a CSS class) across reruns."""
    st.plotly_chart(figure, width="stretch", key=key, theme=None, config={"displaylogo": False})


def explain(view: str, explanation: str | None = None, **values: object) -> None:
    """A view's title and its two-line explanation."""
    st.markdown(f"**{t(f'lab.view.{view}.title')}**")
    st.caption(t(explanation or f"lab.view.{view}.explain", **values))


def show_notes(notes: list[tuple[str, dict]]) -> None:
    for key, values in notes:
        st.warning(t(key, **values))


# ---- 1 · the data ---------------------------------------------------------------------------------

def data_section() -> tuple[lab_data.LabTarget, tuple] | None:
    """Source picker and the chosen source's editor; the target (and its key), or None with a message."""
    st.subheader(t("lab.data.title"))
    st.caption(t("lab.data.explain"))
    names = {source: t(f"lab.source.{source}") for source in state.SOURCES}
    source = st.segmented_control(t("lab.source"), list(names), format_func=names.get, required=True,
                                  key=labelled("lab_source"))
    if source == "draw":
        drawing_editor()
    elif source == "mixture":
        mixture_editor()
    else:
        presets = {name: t(f"lab.preset.{name}") for name in TOY_TARGETS}
        st.selectbox(t("lab.preset"), list(presets), key="lab_preset", on_change=state.preset_changed)
        st.caption(presets[st.session_state["lab_preset"]])
    try:
        described = state.current_target()
    except GanExplorerError as exc:
        st.info(error_text(exc))
        return None
    target = described[0]
    for note_id, values in target.notes:
        if note_id in ("single", "capped") or target.source == "mixture":
            st.warning(t(f"lab.note.{note_id}", **values))
    return described


def drawing_editor() -> None:
    """The canvas (click, box, lasso) beside the shape tools."""
    st.caption(t("lab.draw.help"))
    canvas, tools = st.columns([3, 2], gap="large")
    points = st.session_state["lab_points"]
    with canvas:
        figure = plots.canvas_figure(points[: lab_data.MAX_POINTS * 4], CANVAS_GRID, lab_data.CANVAS, plot_labels())
        st.plotly_chart(figure, width="stretch", key="lab_canvas", theme=None, on_select=state.canvas_selected,
                        selection_mode=("points", "box", "lasso"), config={"displaylogo": False})
        st.caption(t("lab.draw.count", count=len(points), limit=lab_data.MAX_POINTS))
    with tools:
        shapes = {shape: t(f"lab.shape.{shape}") for shape in lab_data.SHAPES}
        st.radio(t("lab.shape"), list(shapes), format_func=shapes.get, horizontal=True, key=labelled("lab_shape"))
        low, high = lab_data.CANVAS
        left, right = st.columns(2)
        left.slider(t("lab.shape.x"), low, high, step=0.05, key="lab_shape_x")
        right.slider(t("lab.shape.y"), low, high, step=0.05, key="lab_shape_y")
        st.slider(t("lab.shape.size"), 0.0, 2.0, step=0.05, key="lab_shape_size")
        left, right = st.columns(2)
        left.slider(t("lab.shape.count"), 1, lab_data.MAX_SHAPE_POINTS, key="lab_shape_count")
        right.slider(t("lab.shape.angle"), -90.0, 90.0, step=5.0, key="lab_shape_angle",
                     disabled=st.session_state["lab_shape"] != "line")
        left, right = st.columns(2)
        left.button(t("lab.place"), key="lab_place", on_click=state.place_shape, icon=":material/add:")
        right.button(t("lab.clear"), key="lab_clear", on_click=state.clear_points, icon=":material/delete:")
    for key, values in st.session_state["lab_notes"]:
        if key.startswith("lab.note.") or key == "lab.added":
            (st.success if key == "lab.added" else st.warning)(t(key, **values))
    st.session_state["lab_notes"] = [n for n in st.session_state["lab_notes"]
                                     if not (n[0].startswith("lab.note.") or n[0] == "lab.added")]


def mixture_editor() -> None:
    """Up to MAX_COMPONENTS normals, each with a mean, a standard deviation and a weight."""
    st.number_input(t("lab.mixture.count"), 1, lab_data.MAX_COMPONENTS, key="lab_mix_count")
    count = int(st.session_state["lab_mix_count"])
    for index, column in zip(range(count), st.columns(lab_data.MAX_COMPONENTS)):
        with column, st.container(border=True):
            st.markdown(f"**{t('lab.mixture.component', index=index + 1)}**")
            for field in ("mean", "sd", "weight"):
                st.number_input(t(f"lab.mixture.{field}"), step=0.1, format="%g", key=f"lab_mix_{index}_{field}")


# ---- 2 · the game --------------------------------------------------------------------------------

def game_section(described: tuple[lab_data.LabTarget, tuple] | None) -> None:
    """The game on the described data (stops the page without data), then the hand-over."""
    st.divider()
    st.subheader(t("lab.game.title"))
    st.caption(t("lab.game.explain", history=HISTORY))
    if described is None:
        st.stop()
    target, data_key = described
    current = state.game_for(target, data_key)
    st.fragment(game_panel, run_every=state.timer())(plot_labels())
    st.divider()
    st.subheader(t("lab.handover.title"))
    st.caption(t("lab.handover.explain"))
    handover.render(target.preset if target.source == "preset" else None, current.game.settings)


def game_panel(labels: dict[str, str]) -> None:
    """Controls, settings and every view of the game; run as a fragment (with a timer while playing)."""
    if state.timer_stale():
        st.rerun(scope="app")       # Play, Pause or a new speed: the timer is installed by a full run
    notes = state.apply_settings()
    speed, speed_notes = state.play_speed()
    state.play_tick()
    if state.timer_stale():         # this tick diverged and stopped Play
        st.rerun(scope="app")
    current = state.active()
    game = current.game
    controls(game)
    settings_row()
    show_notes(notes + speed_notes)
    for key, values in st.session_state["lab_notes"]:
        st.info(t(key, **values))
    st.session_state["lab_notes"] = []
    if game.diverged:
        d = game.divergence
        st.error(t("lab.diverged", step=d.step, reason=t(f"lab.reason.{d.reason}"), lr_d=f"{d.learning_rates[0]:g}",
                   lr_g=f"{d.learning_rates[1]:g}"))
    if st.session_state["lab_playing"]:
        interval, rounds = state.tick_plan(speed)
        st.caption(t("lab.playing", rounds=rounds, interval=f"{interval:g}"))
    view = state.view()
    status_row(game, view)
    render_views(game, view, labels)


def controls(game: LabGame) -> None:
    """The game's buttons, in the order of a step: D, G, a round, Play, then Back and Reset."""
    playing, diverged = st.session_state["lab_playing"], game.diverged
    buttons = st.columns(6)
    stepping = dict(disabled=diverged or playing, on_click=state.act)
    buttons[0].button(t("lab.step_d"), key="lab_step_d", args=("d",), icon=":material/shield:", **stepping)
    buttons[1].button(t("lab.step_g"), key="lab_step_g", args=("g",), icon=":material/brush:", **stepping)
    buttons[2].button(t("lab.round"), key="lab_round", args=("round",), icon=":material/replay:", **stepping)
    if playing:
        buttons[3].button(t("lab.pause"), key="lab_pause", on_click=state.act, args=("pause",), type="primary",
                          icon=":material/pause:")
    else:
        buttons[3].button(t("lab.play"), key="lab_play", on_click=state.act, args=("play",), type="primary",
                          icon=":material/play_arrow:", disabled=diverged)
    buttons[4].button(t("lab.back"), key="lab_back", on_click=state.act, args=("back",), icon=":material/undo:",
                      disabled=playing)
    buttons[5].button(t("lab.reset"), key="lab_reset", on_click=state.act, args=("reset",),
                      icon=":material/restart_alt:")


def settings_row() -> None:
    """k, both learning rates, the loss, the optimizer and the speed: read before every step."""
    columns = st.columns(6)
    columns[0].number_input(t("lab.k"), step=1, key="lab_k")
    columns[1].number_input(t("lab.lr_d"), step=1e-4, format="%g", key="lab_lr_d")
    columns[2].number_input(t("lab.lr_g"), step=1e-4, format="%g", key="lab_lr_g")
    losses = {name: t(f"lab.loss.{name}") for name in LOSSES}
    columns[3].selectbox(t("lab.loss"), list(losses), format_func=losses.get, key=labelled("lab_loss"))
    optimizers = {name: t(f"lab.optimizer.{name}") for name in OPTIMIZERS}
    columns[4].selectbox(t("lab.optimizer"), list(optimizers), format_func=optimizers.get,
                         key=labelled("lab_optimizer"))
    columns[5].number_input(t("lab.speed"), step=5, key="lab_speed",
                            help=t("lab.speed_help", limit=state.MAX_ROUNDS_PER_TICK))


def status_row(game: LabGame, view: LabView) -> None:
    """Where the game stands, and its headline numbers."""
    st.caption(t("lab.status", steps=view.step, rounds=view.rounds, back=game.can_go_back))
    columns = st.columns(4)
    columns[0].metric(t("lab.metric.step"), view.step)
    if view.dim == 1:
        columns[1].metric(t("lab.metric.jsd"), f"{view.metrics['jsd']:.4f}")
        columns[2].metric(t("lab.metric.distance"), f"{view.metrics['dstar_distance']:.4f}")
    else:
        drawn = game.target.source == "drawn"
        captured, total = view.metrics["modes_captured"], view.metrics["modes_total"]
        columns[1].metric(t("lab.metric.points" if drawn else "lab.metric.modes"), f"{captured:g} / {total:g}")
        columns[2].metric(t("lab.metric.hq"), f"{view.metrics['hq_fraction']:.1%}")
    columns[3].metric(t("lab.plot.loss_d"), f"{view.numbers['loss_d']:.3f}")


def render_views(game: LabGame, view: LabView, labels: dict[str, str]) -> None:
    """The model overview, the layered distributions (and G's manifold), the curves."""
    explain("overview")
    chart(plots.overview_figure(view.numbers, game.last.get("action", "start"), labels), "lab_fig_overview")
    target = game.target
    if view.dim == 1:
        explain("layers1d")
        chart(plots.layers_1d_figure(view.arrays, target.bounds[0], labels), "lab_fig_layers")
    else:
        left, right = st.columns(2)
        with left:
            explain("layers2d")
            chart(plots.layers_2d_figure(view.arrays, target.bounds, labels), "lab_fig_layers")
        with right:
            explain("manifold")
            chart(plots.manifold_2d_figure(view.arrays, target.bounds, labels), "lab_fig_manifold")
    explain("curves", "lab.view.curves1d.explain" if view.dim == 1 else "lab.view.curves2d.explain")
    chart(plots.curves_figure(game.curves(), game.view_curves(), view.dim, game.settings.loss, labels),
          "lab_fig_curves")

