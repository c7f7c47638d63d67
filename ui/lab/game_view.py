"""The Lab page's game section: the controls, the views, and the hand-over.

Fragments keep a step cheap for the browser:

- `lab_controls`: the buttons and the settings. A button's callback moves the game, then
  reruns both fragments (`st.rerun([...])` with their keys); Play and Pause rerun the app,
  which installs or removes the timer.
- `lab_live`: the status, the numbers and the figures, written into slots laid out by the
  full run under each view's title and explanation. While playing, its timer reruns only
  it: each tick advances a bounded number of rounds and redraws the figures and numbers,
  not the controls, titles and explanations around them.
- `lab_handover_panel`: what "Train this fully" would launch, redrawn with the settings.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from gan_engine.config import LOSSES, OPTIMIZERS
from gan_engine.lab import data as lab_data
from gan_engine.lab.game import HISTORY, LabGame
from gan_engine.lab.views import LabView
from gan_engine.plots import lab as plots
from ui.i18n import labelled, t
from ui.lab import handover, state, url
from ui.lab.data_view import plot_labels
from ui.lab.live_chart import live_chart

FRAGMENTS = ["lab_controls", "lab_live", "lab_handover_panel"]


def rerun_game() -> None:
    """From a callback: redraw the controls, the views and the hand-over, not the data section."""
    st.rerun(FRAGMENTS)


def act(action: str) -> None:
    """Callback of a game button: the move, then the redraw it needs."""
    state.act(action)
    if action in ("play", "pause"):
        st.rerun()                  # the full run installs (or removes) the Play timer
    rerun_game()


def settings_changed() -> None:
    """Callback of a setting: the game takes it at once, so the views show it (a new loss, say)."""
    state.apply_settings()
    rerun_game()


def speed_changed() -> None:
    if st.session_state["lab_playing"]:
        st.rerun()                  # a new timer interval
    rerun_game()


def chart(figure: go.Figure, key: str) -> None:
    """A live figure (updated in place, see `live_chart`); the key gives it a CSS class."""
    live_chart(figure, key, {"displaylogo": False})


def explain(view: str, explanation: str | None = None) -> None:
    """A view's title and its two-line explanation."""
    st.markdown(f"**{t(f'lab.view.{view}.title')}**")
    st.caption(t(explanation or f"lab.view.{view}.explain"))


def game_section(described: tuple[lab_data.LabTarget, tuple] | None) -> None:
    """The game on the described data (stops the page without data), then the hand-over."""
    st.divider()
    st.subheader(t("lab.game.title"))
    st.caption(t("lab.game.explain", history=HISTORY))
    if described is None:
        st.stop()
    target, data_key = described
    state.game_for(target, data_key)
    interval = state.timer()            # first: both fragments compare against it
    st.fragment(controls, key="lab_controls")()
    slots = view_slots(target.dim)
    st.fragment(live, key="lab_live", run_every=interval)(slots, plot_labels())
    st.divider()
    st.subheader(t("lab.handover.title"))
    st.caption(t("lab.handover.explain"))
    st.fragment(handover_panel, key="lab_handover_panel")(target.preset if target.source == "preset" else None)


def handover_panel(preset: str | None) -> None:
    """What "Train this fully" would launch: the game's settings of the moment."""
    handover.render(preset, state.active().game.settings)


def view_slots(dim: int) -> dict[str, st.delta_generator.DeltaGenerator]:
    """Each view's title and explanation, and an empty container below it for the live fragment."""
    slots = {"status": st.container()}
    explain("overview")
    slots["overview"] = st.container()
    if dim == 1:
        explain("layers1d")
        slots["layers"] = st.container()
    else:
        left, right = st.columns(2)
        with left:
            explain("layers2d")
            slots["layers"] = st.container()
        with right:
            explain("manifold")
            slots["manifold"] = st.container()
    explain("curves", "lab.view.curves1d.explain" if dim == 1 else "lab.view.curves2d.explain")
    slots["curves"] = st.container()
    return slots


# ---- the controls fragment ---------------------------------------------------------------------------

def controls() -> None:
    """Buttons, settings and the messages about them."""
    if state.timer_stale():
        st.rerun(scope="app")
    url.write_link()                    # a setting changed in this fragment goes to the address too
    game = state.active().game
    buttons(game)
    settings_row()
    for key, values in state.apply_settings() + state.play_speed()[1]:
        st.warning(t(key, **values))
    for key, values in st.session_state["lab_notes"]:
        st.info(t(key, **values))
    st.session_state["lab_notes"] = []


def buttons(game: LabGame) -> None:
    """The game's buttons, in the order of a step: D, G, a round, Play, then Back and Reset."""
    playing, diverged = st.session_state["lab_playing"], game.diverged
    columns = st.columns(6)
    stepping = {"disabled": diverged or playing, "on_click": act}
    columns[0].button(t("lab.step_d"), key="lab_step_d", args=("d",), icon=":material/shield:", **stepping)
    columns[1].button(t("lab.step_g"), key="lab_step_g", args=("g",), icon=":material/brush:", **stepping)
    columns[2].button(t("lab.round"), key="lab_round", args=("round",), icon=":material/replay:", **stepping)
    if playing:
        columns[3].button(t("lab.pause"), key="lab_pause", on_click=act, args=("pause",), type="primary",
                          icon=":material/pause:")
    else:
        columns[3].button(t("lab.play"), key="lab_play", on_click=act, args=("play",), type="primary",
                          icon=":material/play_arrow:", disabled=diverged)
    columns[4].button(t("lab.back"), key="lab_back", on_click=act, args=("back",), icon=":material/undo:",
                      disabled=playing)
    columns[5].button(t("lab.reset"), key="lab_reset", on_click=act, args=("reset",),
                      icon=":material/restart_alt:")


def settings_row() -> None:
    """k, both learning rates, the loss, the optimizer and the speed: they apply from the next step."""
    columns = st.columns(6)
    changed = {"on_change": settings_changed}
    columns[0].number_input(t("lab.k"), step=1, key="lab_k", **changed)
    columns[1].number_input(t("lab.lr_d"), step=1e-4, format="%g", key="lab_lr_d", **changed)
    columns[2].number_input(t("lab.lr_g"), step=1e-4, format="%g", key="lab_lr_g", **changed)
    losses = {name: t(f"lab.loss.{name}") for name in LOSSES}
    columns[3].selectbox(t("lab.loss"), list(losses), format_func=losses.get, key=labelled("lab_loss"), **changed)
    optimizers = {name: t(f"lab.optimizer.{name}") for name in OPTIMIZERS}
    columns[4].selectbox(t("lab.optimizer"), list(optimizers), format_func=optimizers.get,
                         key=labelled("lab_optimizer"), **changed)
    columns[5].number_input(t("lab.speed"), step=5, key="lab_speed", on_change=speed_changed,
                            help=t("lab.speed_help", tick=f"{state.MIN_TICK:g}", limit=state.MAX_ROUNDS_PER_TICK))


# ---- the live fragment ----------------------------------------------------------------------------------

def live(slots: dict, labels: dict[str, str]) -> None:
    """One Play tick (while playing), then the status, the numbers and every figure."""
    if state.timer_stale():
        st.rerun(scope="app")
    state.play_tick()
    if state.timer_stale():             # this tick diverged, which stopped Play
        st.rerun(scope="app")
    game = state.active().game
    view = state.view()
    with slots["status"]:
        status(game, view)
    with slots["overview"]:
        chart(plots.overview_figure(view.numbers, game.last.get("action", "start"), labels), "lab_fig_overview")
    with slots["layers"]:
        if view.dim == 1:
            chart(plots.layers_1d_figure(view.arrays, game.target.bounds[0], labels), "lab_fig_layers")
        else:
            chart(plots.layers_2d_figure(view.arrays, game.target.bounds, labels), "lab_fig_layers")
    if "manifold" in slots:
        with slots["manifold"]:
            chart(plots.manifold_2d_figure(view.arrays, game.target.bounds, labels), "lab_fig_manifold")
    with slots["curves"]:
        chart(plots.curves_figure(game.curves(), game.view_curves(), view.dim, game.settings.loss, labels),
              "lab_fig_curves")


def status(game: LabGame, view: LabView) -> None:
    """Where the game stands (diverged, playing) and its headline numbers."""
    if game.diverged:
        d = game.divergence
        st.error(t("lab.diverged", step=d.step, reason=t(f"lab.reason.{d.reason}"), lr_d=f"{d.learning_rates[0]:g}",
                   lr_g=f"{d.learning_rates[1]:g}"))
    if st.session_state["lab_playing"]:
        interval, rounds = state.tick_plan(state.play_speed()[0])
        st.caption(t("lab.playing", rounds=rounds, interval=f"{interval:g}"))
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
