"""The Lab's session state, set up in one place, and the actions its buttons take.

Everything lives in this session's `st.session_state` under keys that start with `lab_`,
so no game crosses between visitors and a game is released with its session. The game is
rebuilt whenever its data changes (a new preset, a point drawn, a component edited).

Widget values are written back at the start of every full run (`init`), as the Theory page
does, so values of widgets a run does not draw (the mixture's while drawing, say) survive.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import streamlit as st

from gan_engine.config import TOY_TARGETS
from gan_engine.lab import data as lab_data
from gan_engine.lab.game import MAX_ROUNDS_PER_CALL, LabGame, LabSettings, clamp_settings, settings_for
from gan_engine.lab.views import LabView, ViewInputs, compute_view

SOURCES = ("preset", "draw", "mixture")
DEFAULT_PRESET = "ring2d"
SPEED_RANGE = (1, 200)           # rounds per second
MIN_TICK = 0.15                  # seconds between Play updates (at most 6.7 a second; the goal is 5)
MAX_ROUNDS_PER_TICK = 40
DEFAULT_COMPONENTS = ((-2.0, 0.4, 1.0), (1.0, 0.7, 2.0), (3.0, 0.3, 1.0), (0.0, 1.0, 1.0))
GRID_STEP = 0.1                  # the canvas's selectable grid

# Widget keys -> starting values (the settings' start from the preset, see `settings_defaults`).
WIDGET_DEFAULTS: dict[str, object] = {
    "lab_source": "preset",
    "lab_preset": DEFAULT_PRESET,
    "lab_speed": 20,
    "lab_shape": "cluster",
    "lab_shape_x": 0.0,
    "lab_shape_y": 0.0,
    "lab_shape_size": 0.3,
    "lab_shape_count": 60,
    "lab_shape_angle": 0.0,
    "lab_mix_count": 2,
    **{f"lab_mix_{i}_{field}": value for i, values in enumerate(DEFAULT_COMPONENTS)
       for field, value in zip(("mean", "sd", "weight"), values)},
}
SETTING_KEYS = {"k": "lab_k", "lr_d": "lab_lr_d", "lr_g": "lab_lr_g", "loss": "lab_loss", "optimizer": "lab_optimizer"}


def settings_defaults(preset: str) -> dict[str, object]:
    """The settings widgets' values for `preset` (its own k, learning rates, loss, optimizer)."""
    settings = settings_for(preset)
    return {key: getattr(settings, name) for name, key in SETTING_KEYS.items()}


def init() -> None:
    """Create or write back every Lab key of this session (call first in every full run)."""
    state = st.session_state
    for key, value in {**WIDGET_DEFAULTS, **settings_defaults(state.get("lab_preset", DEFAULT_PRESET))}.items():
        state[key] = state.get(key, value)
    state.setdefault("lab_points", np.empty((0, 2)))
    state.setdefault("lab_points_version", 0)
    state.setdefault("lab_playing", False)
    state.setdefault("lab_notes", [])           # one-off messages: (translation key, values)
    state.setdefault("lab_game", None)
    state.setdefault("lab_game_key", None)


def preset_changed() -> None:
    """Callback of the preset picker: the settings take the new preset's values."""
    for key, value in settings_defaults(st.session_state["lab_preset"]).items():
        st.session_state[key] = value


def note(key: str, **values: object) -> None:
    """A message for the next time the game panel is drawn."""
    st.session_state["lab_notes"].append((key, values))


# ---- the data -------------------------------------------------------------------------------

def components() -> list[lab_data.Component]:
    """The composed mixture's components, as the widgets hold them."""
    state = st.session_state
    count = int(min(max(int(state["lab_mix_count"]), 1), lab_data.MAX_COMPONENTS))
    return [lab_data.Component(*(float(state[f"lab_mix_{i}_{field}"]) for field in ("mean", "sd", "weight")))
            for i in range(count)]


def current_target() -> tuple[lab_data.LabTarget, tuple] | None:
    """(the target the data widgets describe, a key naming it); raises LabDataError for bad data."""
    state = st.session_state
    source = state["lab_source"]
    if source == "draw":
        return lab_data.drawn_target(state["lab_points"]), ("draw", state["lab_points_version"])
    if source == "mixture":
        target = lab_data.mixture_target(components())
        return target, ("mixture", tuple(components()))
    preset = state["lab_preset"] if state["lab_preset"] in TOY_TARGETS else DEFAULT_PRESET
    return lab_data.preset_target(preset), ("preset", preset)


def add_points(points: np.ndarray) -> int:
    """Append drawn points (cleaned: off-canvas and invalid ones left out, with a note); returns how many."""
    kept, notes = lab_data.clean_points(points)
    for note_id, values in notes:
        if note_id != "capped":
            note(f"lab.note.{note_id}", **values)
    if len(kept):
        st.session_state["lab_points"] = np.vstack((st.session_state["lab_points"], kept))
        st.session_state["lab_points_version"] += 1
    return len(kept)


def clear_points() -> None:
    st.session_state["lab_points"] = np.empty((0, 2))
    st.session_state["lab_points_version"] += 1


def place_shape() -> None:
    """Callback of "Place shape": add the shape the shape widgets describe."""
    state = st.session_state
    points = lab_data.shape_points(state["lab_shape"], (state["lab_shape_x"], state["lab_shape_y"]),
                                   state["lab_shape_size"], state["lab_shape_count"],
                                   seed=state["lab_points_version"], angle=state["lab_shape_angle"])
    note("lab.added", count=add_points(points))


def canvas_selected() -> None:
    """Callback of the drawing canvas: add the points of the click, box or lasso just made."""
    event = st.session_state.get("lab_canvas") or {}
    selection = event.get("selection") or {}
    points = lab_data.points_in_selection(selection, GRID_STEP, seed=st.session_state["lab_points_version"])
    if len(points):
        note("lab.added", count=add_points(points))


# ---- the game ---------------------------------------------------------------------------------

@dataclass
class Game:
    """This session's game, its view inputs and the latest view (kept until the next change)."""

    game: LabGame
    inputs: ViewInputs
    view: LabView | None = None
    view_version: int = -1


def game_for(target: lab_data.LabTarget, key: tuple) -> Game:
    """This session's game on `target`, built anew when `key` (the data) has changed."""
    state = st.session_state
    if state["lab_game"] is None or state["lab_game_key"] != key:
        settings, _ = clamp_settings(**{name: state[k] for name, k in SETTING_KEYS.items()},
                                     fallback=settings_for(target.preset))
        game = LabGame(target, settings)
        state["lab_game"], state["lab_game_key"] = Game(game, ViewInputs(game)), key
        state["lab_playing"] = False
    return state["lab_game"]


def active() -> Game | None:
    return st.session_state.get("lab_game")


def apply_settings() -> list[tuple[str, dict]]:
    """Give the game the settings widgets' values (clamped); returns the clamping notes."""
    current = active()
    if current is None:
        return []
    state = st.session_state
    wanted = {name: state.get(key) for name, key in SETTING_KEYS.items()}
    settings, notes = clamp_settings(**wanted, fallback=current.game.settings)
    current.game.apply_settings(settings)
    return [(f"lab.setting.{kind}", values) for kind, values in notes]


def view() -> LabView:
    """The view of the game's current state, recomputed only after a change."""
    current = active()
    if current.view is None or current.view_version != current.game.version:
        current.view = compute_view(current.game, current.inputs)
        current.view_version = current.game.version
    return current.view


def act(action: str) -> None:
    """Callback of the game buttons: "d", "g", "round", "back", "reset", "play", "pause"."""
    current = active()
    if current is None:
        return
    game, state = current.game, st.session_state
    if action == "play":
        state["lab_playing"] = not game.diverged
        return
    if action == "pause":
        state["lab_playing"] = False
        return
    if action == "back":
        if not game.back():
            note("lab.back_empty", history=game.history.maxlen)
        return
    if action == "reset":
        game.reset()
        return
    if game.diverged:
        return
    apply_settings()
    {"d": game.step_d, "g": game.step_g, "round": game.round}[action]()


# ---- playing ----------------------------------------------------------------------------------

def play_speed() -> tuple[int, list[tuple[str, dict]]]:
    """Rounds per second from the speed widget, clamped to SPEED_RANGE (with a note when changed)."""
    raw = st.session_state.get("lab_speed")
    try:
        speed = float(raw)
    except (TypeError, ValueError):
        speed = math.nan
    if not math.isfinite(speed):
        return int(WIDGET_DEFAULTS["lab_speed"]), [("lab.setting.ignored", {"name": "speed", "used": 20})]
    used = int(min(max(round(speed), SPEED_RANGE[0]), SPEED_RANGE[1]))
    notes = [] if used == speed else [("lab.setting.clamped", {"name": "speed", "given": f"{speed:g}", "used": used})]
    return used, notes


def tick_plan(speed: int) -> tuple[float, int]:
    """(seconds between Play updates, rounds per update) for `speed` rounds per second."""
    interval = max(MIN_TICK, 1.0 / speed)
    rounds = int(min(max(round(speed * interval), 1), MAX_ROUNDS_PER_TICK, MAX_ROUNDS_PER_CALL))
    return round(interval, 3), rounds


def timer() -> float | None:
    """The Play timer this full run installs (None when paused), remembered for `timer_stale`."""
    interval = tick_plan(play_speed()[0])[0] if st.session_state["lab_playing"] else None
    st.session_state["lab_timer"] = interval
    return interval


def timer_stale() -> bool:
    """Whether Play was toggled or its speed changed since the timer was installed (a full run must redo it)."""
    wanted = tick_plan(play_speed()[0])[0] if st.session_state.get("lab_playing") else None
    return wanted != st.session_state.get("lab_timer")


def play_tick() -> None:
    """While playing: one tick's rounds; a divergence stops Play."""
    current = active()
    if current is None or not st.session_state["lab_playing"]:
        return
    if current.game.diverged:
        st.session_state["lab_playing"] = False
        return
    current.game.play(tick_plan(play_speed()[0])[1])
    if current.game.diverged:
        st.session_state["lab_playing"] = False
