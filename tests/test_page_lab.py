"""The Lab page under AppTest: every button works and changes what is shown, settings change
between steps, bad input gets one clear message, two sessions never share a game, and
"Train this fully" hands the game to the Training page.

AppTest does not fire fragment timers: a test plays by re-running the page, each run being
one Play tick (the game panel runs once per full run).
"""

from __future__ import annotations

import gc
import json
import weakref
from pathlib import Path

import pytest
from apphelpers import app_session
from streamlit.testing.v1 import AppTest

from devtools.runs import kill_workers

from gan_engine.lab.game import HISTORY
from gan_engine.lab.settings import K_RANGE, LR_RANGE
from ui.i18n import LANG_WIDGET_KEY
from ui.lab import state
from ui.strings.lab import EN, ZH

PAGE = "pages/4_Lab.py"
TIMEOUT = 60
CHARTS_2D = ["lab_fig_overview", "lab_fig_layers", "lab_fig_manifold", "lab_fig_curves"]


def open_lab() -> AppTest:
    """The Lab opened as a deep link (/Lab) opens it: inside the app's navigation and frame."""
    return app_session(PAGE, timeout=TIMEOUT).run()


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def step(at: AppTest) -> int:
    return int(next(m.value for m in at.metric if m.label in (EN["lab.metric.step"], ZH["lab.metric.step"])))


def specs(at: AppTest) -> dict[str, dict]:
    """Each live Lab figure's plotly JSON, by key (they are drawn by ui.lab.live_chart)."""
    return {chart.key: json.loads(json.loads(chart.proto.json_args)["spec"]) for chart in at.get("component_instance")
            if (chart.key or "").startswith("lab_fig")}


def click(at: AppTest, key: str) -> AppTest:
    """Click a button and run what it reruns. A game button reruns only the game's two
    fragments, so AppTest's tree then holds only those; `at.run()` shows the whole page."""
    at.button(key=key).click().run()
    assert_clean(at)
    return at


def game(at: AppTest):
    return at.session_state["lab_game"].game


# ---- rendering and the buttons ---------------------------------------------------------------

def test_opened_directly_the_page_renders_the_game_in_english() -> None:
    at = open_lab()
    assert_clean(at)
    assert at.title[0].value == EN["lab.title"]
    assert list(specs(at)) == CHARTS_2D
    assert step(at) == 0 and not at.error
    assert [b.key for b in at.button] == ["lab_step_d", "lab_step_g", "lab_round", "lab_play", "lab_back",
                                          "lab_reset", "lab_handover"]
    # Two lines of explanation per view.
    for view in ("overview", "layers2d", "manifold"):
        assert any(c.value == EN[f"lab.view.{view}.explain"] for c in at.caption), view
        assert EN[f"lab.view.{view}.explain"].count("\n") == 1


def test_every_game_button_changes_what_is_shown() -> None:
    at = open_lab()
    first = specs(at)
    click(at, "lab_step_d")
    after_d = specs(at)
    assert step(at) == 1
    assert after_d["lab_fig_overview"] != first["lab_fig_overview"]      # the D side lit up, new numbers
    assert after_d["lab_fig_layers"] != first["lab_fig_layers"]          # D's heatmap moved
    click(at, "lab_step_g")
    after_g = specs(at)
    assert step(at) == 2 and after_g["lab_fig_layers"] != after_d["lab_fig_layers"]
    assert after_g["lab_fig_manifold"] != after_d["lab_fig_manifold"]    # G moved its manifold
    click(at, "lab_round")
    assert step(at) == 2 + game(at).settings.k + 1
    click(at, "lab_back")
    assert step(at) == 2
    assert specs(at)["lab_fig_overview"] == after_g["lab_fig_overview"]  # exactly the earlier state
    assert specs(at)["lab_fig_layers"] == after_g["lab_fig_layers"]
    click(at, "lab_reset")
    assert step(at) == 0
    assert specs(at)["lab_fig_layers"] == first["lab_fig_layers"]


def test_play_advances_each_tick_and_pause_stops() -> None:
    at = open_lab()
    click(at, "lab_play")
    assert at.session_state["lab_playing"]
    played = step(at)
    interval, rounds = state.tick_plan(at.number_input(key="lab_speed").value)
    assert played == rounds * (game(at).settings.k + 1) and interval == state.MIN_TICK
    assert any(EN["lab.playing"].split("{")[0] in c.value for c in at.caption)
    assert [b.key for b in at.button if b.key == "lab_pause"] == ["lab_pause"]
    assert at.button(key="lab_step_d").disabled
    at.run()
    assert step(at) == 2 * played                                        # the next tick
    click(at, "lab_pause")
    paused = step(at)
    at.run()
    assert step(at) == paused and not at.session_state["lab_playing"]
    click(at, "lab_back")                                                # one tick back
    assert step(at) == paused - played


def test_back_with_nothing_left_says_so() -> None:
    at = open_lab()
    click(at, "lab_back")
    assert any(EN["lab.back_empty"].format(history=HISTORY) == i.value for i in at.info)
    assert step(at) == 0


# ---- settings -----------------------------------------------------------------------------------

def test_settings_change_between_steps_and_take_effect_at_the_next() -> None:
    at = open_lab()
    click(at, "lab_step_d")
    at.number_input(key="lab_k").set_value(3)
    at.number_input(key="lab_lr_d").set_value(0.01)
    at.selectbox(key="lab_loss").set_value("lsgan")
    at.selectbox(key="lab_optimizer").set_value("sgd").run()
    assert_clean(at)
    settings = game(at).settings
    assert (settings.k, settings.lr_d, settings.loss, settings.optimizer) == (3, 0.01, "lsgan", "sgd")
    click(at, "lab_round")
    assert step(at) == 1 + 3 + 1
    curves = specs(at)["lab_fig_curves"]
    texts = [note["text"] for note in curves["layout"]["annotations"]]
    assert any("= 0.25" in text for text in texts)                      # lsgan's equilibrium D loss


def test_a_new_preset_brings_its_own_settings_and_a_new_game() -> None:
    at = open_lab()
    click(at, "lab_round")
    at.run()
    at.selectbox(key="lab_preset").set_value("gauss1d").run()
    assert_clean(at)
    assert step(at) == 0 and game(at).target.preset == "gauss1d"
    assert at.number_input(key="lab_lr_d").value == pytest.approx(1e-3)
    assert list(specs(at)) == ["lab_fig_overview", "lab_fig_layers", "lab_fig_curves"]   # 1-D: Figure 1 below
    assert any(m.label == EN["lab.metric.jsd"] for m in at.metric)


def test_absurd_settings_are_clamped_with_a_message() -> None:
    at = open_lab()
    at.number_input(key="lab_lr_d").set_value(1e9)
    at.number_input(key="lab_k").set_value(1000)
    at.number_input(key="lab_speed").set_value(-5).run()
    assert_clean(at)
    warnings = [w.value for w in at.warning]
    assert EN["lab.setting.clamped"].format(name="lr_d", given="1e+09", used=f"{LR_RANGE[1]:g}") in warnings
    assert EN["lab.setting.clamped"].format(name="k", given="1000", used=K_RANGE[1]) in warnings
    assert EN["lab.setting.clamped"].format(name="speed", given="-5", used=1) in warnings
    assert game(at).settings.lr_d == LR_RANGE[1] and game(at).settings.k == K_RANGE[1]


def test_learning_rate_10_diverges_says_so_and_reset_recovers() -> None:
    at = open_lab()
    at.number_input(key="lab_lr_d").set_value(10.0)
    at.number_input(key="lab_lr_g").set_value(10.0).run()
    for _ in range(30):
        click(at, "lab_round")
        if at.error:
            break
    assert len(at.error) == 1 and "diverged" in at.error[0].value
    assert at.button(key="lab_step_d").disabled and at.button(key="lab_play").disabled
    assert not at.button(key="lab_reset").disabled
    at.number_input(key="lab_lr_d").set_value(0.004)
    at.number_input(key="lab_lr_g").set_value(0.002).run()
    click(at, "lab_reset")
    assert not at.error and step(at) == 0
    click(at, "lab_round")
    assert step(at) == 2 and not at.error


def test_playing_into_a_divergence_stops_play() -> None:
    at = open_lab()
    at.number_input(key="lab_lr_d").set_value(10.0)
    at.number_input(key="lab_lr_g").set_value(10.0).run()
    click(at, "lab_play")
    for _ in range(20):
        if at.error:
            break
        at.run()
    assert at.error and not at.session_state["lab_playing"]
    assert [b.key for b in at.button if b.key in ("lab_play", "lab_pause")] == ["lab_play"]


# ---- data ---------------------------------------------------------------------------------------------

def test_drawing_no_points_then_a_shape_then_clearing() -> None:
    at = open_lab()
    at.segmented_control(key="lab_source").set_value("draw").run()
    assert_clean(at)
    assert [i.value for i in at.info] == [EN["engine.lab_no_points"]]
    assert not specs(at)                                                  # no game without data
    at.radio(key="lab_shape").set_value("ring")
    at.slider(key="lab_shape_size").set_value(1.0)
    click(at, "lab_place")
    assert any(EN["lab.added"].format(count=60) == s.value for s in at.success)
    assert list(specs(at)) == CHARTS_2D and game(at).target.source == "drawn"
    assert any(m.label == EN["lab.metric.points"] and m.value == "0 / 60" for m in at.metric)
    click(at, "lab_round")
    assert step(at) == 2
    at.run()
    click(at, "lab_clear")
    assert [i.value for i in at.info] == [EN["engine.lab_no_points"]]


def test_points_placed_off_the_canvas_are_left_out_with_a_message() -> None:
    at = open_lab()
    at.segmented_control(key="lab_source").set_value("draw").run()
    at.slider(key="lab_shape_x").set_value(1.9)
    at.slider(key="lab_shape_size").set_value(2.0)
    at.radio(key="lab_shape").set_value("line")
    click(at, "lab_place")
    warning = next(w.value for w in at.warning)
    assert warning.startswith(EN["lab.note.outside"].split("{")[0]) or "outside the canvas" in warning
    assert 0 < len(at.session_state["lab_points"]) < 60


def test_thousands_of_points_are_capped_with_a_message() -> None:
    at = open_lab()
    at.segmented_control(key="lab_source").set_value("draw").run()
    at.slider(key="lab_shape_count").set_value(200)
    at.slider(key="lab_shape_size").set_value(0.4).run()
    for _ in range(3):
        click(at, "lab_place")
    assert len(at.session_state["lab_points"]) == 600
    assert any(w.value == EN["lab.note.capped"].format(count=600, limit=500) for w in at.warning)
    assert game(at).target.centers.shape == (500, 2)


def test_a_composed_mixture_plays_and_bad_components_get_messages() -> None:
    at = open_lab()
    at.segmented_control(key="lab_source").set_value("mixture").run()
    assert_clean(at)
    assert list(specs(at)) == ["lab_fig_overview", "lab_fig_layers", "lab_fig_curves"]
    click(at, "lab_round")
    assert step(at) == 2
    at.run()
    at.number_input(key="lab_mix_0_sd").set_value(-3.0).run()
    assert any(w.value == EN["lab.note.component_clamped"].format(index=1) for w in at.warning)
    at.number_input(key="lab_mix_0_weight").set_value(0.0)
    at.number_input(key="lab_mix_1_weight").set_value(0.0).run()
    assert_clean(at)
    assert [i.value for i in at.info] == [EN["engine.lab_no_weight"]]


# ---- language, sessions, hand-over ----------------------------------------------------------------------

def test_the_language_switch_translates_the_lab() -> None:
    at = app_session(timeout=TIMEOUT).run()
    at.switch_page(PAGE).run()
    assert_clean(at)
    click(at, "lab_round")
    at.run()
    at.sidebar.segmented_control(key=LANG_WIDGET_KEY).set_value("zh").run()
    assert_clean(at)
    assert at.title[0].value == ZH["lab.title"]
    assert at.button(key="lab_step_d").label == ZH["lab.step_d"]
    assert step(at) == 2                                                  # the game survived the switch
    overview = json.dumps(specs(at)["lab_fig_overview"], ensure_ascii=False)
    assert ZH["lab.plot.discriminator_sub"] in overview


def test_two_sessions_never_share_a_game() -> None:
    first, second = open_lab(), open_lab()
    for _ in range(3):
        click(first, "lab_round")
    second.run()
    assert step(first) == 6 and step(second) == 0
    assert game(first) is not game(second)
    click(second, "lab_step_g")
    click(first, "lab_reset")
    assert step(first) == 0 and step(second) == 1


def test_a_game_is_released_with_its_session() -> None:
    at = open_lab()
    click(at, "lab_round")
    released = weakref.ref(game(at))
    del at
    gc.collect()
    assert released() is None


def test_train_this_fully_launches_the_run_and_opens_the_training_page(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAN_EXPLORER_RUNS", str(tmp_path))
    monkeypatch.setenv("GAN_EXPLORER_THREADS", "1")
    try:
        at = app_session(timeout=TIMEOUT).run()
        at.switch_page(PAGE).run()
        at.selectbox(key="lab_preset").set_value("gauss1d").run()
        at.number_input(key="lab_k").set_value(2)
        at.number_input(key="lab_lr_g").set_value(0.0025).run()          # not a Training choice: rounded
        assert any(c.value == EN["lab.handover.rounded"].format(name="lr_g", given="2.5e-3", used="2e-3")
                   for c in at.caption)
        click(at, "lab_handover")
        assert at.title[0].value != EN["lab.title"]                      # now on the Training page
        assert at.session_state["train_active_key"]
        assert at.selectbox(key="train_preset").value == "gauss1d"
        assert at.slider(key="train_k").value == 2
        assert at.select_slider(key="train_lr_g").value == pytest.approx(2e-3)
        assert at.query_params["train_k"] in ("2", ["2"])
    finally:
        kill_workers(tmp_path)


def test_own_data_is_not_handed_over() -> None:
    at = open_lab()
    at.segmented_control(key="lab_source").set_value("mixture").run()
    assert any(i.value == EN["lab.handover.own_data"] for i in at.info)
    assert "lab_handover" not in [b.key for b in at.button]


def test_a_link_sets_up_the_lab_and_says_what_it_could_not_use() -> None:
    at = app_session(PAGE, {"lab_preset": "gauss1d", "lab_k": "3", "lab_lr_g": "50", "lab_loss": "hinge",
                            "lab_source": "<script>alert(1)</script>"}, timeout=TIMEOUT).run()
    assert_clean(at)
    assert at.session_state["lab_preset"] == "gauss1d" and at.session_state["lab_source"] == "preset"
    settings = game(at).settings
    assert (settings.k, settings.lr_g, settings.loss) == (3, LR_RANGE[1], "nonsaturating")
    assert settings.lr_d == pytest.approx(1e-3)                          # the preset's own
    assert len(at.warning) == 1
    summary = at.warning[0].value
    assert "`lab_lr_g` = `50`" in summary and "`lab_loss` = `hinge`" in summary and "`lab_source`" in summary
    # The address now says what the page shows: only what differs from the starting values.
    assert {key: at.query_params[key] for key in at.query_params if key.startswith("lab_")} in (
        {"lab_preset": "gauss1d", "lab_k": "3", "lab_lr_g": "10"},
        {"lab_preset": ["gauss1d"], "lab_k": ["3"], "lab_lr_g": ["10"]})


def test_a_visit_to_another_page_keeps_the_game_and_its_settings() -> None:
    at = open_lab()
    at.selectbox(key="lab_preset").set_value("bimodal1d").run()
    at.number_input(key="lab_k").set_value(3).run()
    click(at, "lab_round")
    at.switch_page("pages/1_Theory.py").run()
    assert_clean(at)
    at.switch_page(PAGE).run()
    assert_clean(at)
    assert at.selectbox(key="lab_preset").value == "bimodal1d"
    assert at.number_input(key="lab_k").value == 3
    assert step(at) == 4 and game(at).target.preset == "bimodal1d"
