"""The Theory page under Streamlit's AppTest: it renders for every preset and when opened
directly, its numbers follow the sliders, degenerate settings give messages instead of
NaN, and the language switch translates it."""

import math

import pytest
from apphelpers import app_session
from streamlit.testing.v1 import AppTest

from gan_engine.theory import figure1 as theory_figure1
from gan_engine.theory import model as theory_model
from ui.i18n import LANG_WIDGET_KEY
from ui.strings.theory import EN, ZH

PAGE = "pages/1_Theory.py"
TIMEOUT = 60


def metric(at: AppTest, key: str) -> str:
    """The displayed value of the metric labelled with the English string `key`."""
    label = EN[key]
    return next(m.value for m in at.metric if m.label == label)


def assert_clean(at: AppTest) -> None:
    """No exception, no error box, and no NaN or inf text among the numbers."""
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    for shown in at.metric:
        assert "nan" not in shown.value.lower() and "inf" not in shown.value.lower(), (shown.label, shown.value)


def open_tab(at: AppTest, section: str) -> AppTest:
    """Open the tab of section `section` ("s3"-"s7") as a click would, and rerun."""
    at.session_state["theory_tab"] = EN[f"theory.tab.{section}"]
    return at.run()


def chart_keys(at: AppTest) -> list[str]:
    return [chart.key for chart in at.get("plotly_chart")]


@pytest.fixture
def page() -> AppTest:
    at = app_session(PAGE, timeout=TIMEOUT)
    at.run()
    return at


def test_page_opened_directly_renders_in_english(page: AppTest) -> None:
    assert_clean(page)
    assert page.title[0].value == EN["theory.title"]
    # Sections 3-7 are lazy tabs: the value-function tab is open, the others are not drawn.
    assert chart_keys(page) == ["theory_fig_dstar", "theory_fig_disc", "theory_fig_pointwise",
                                "theory_fig1_panels", "theory_fig1_frame"]
    assert len(page.latex) >= 6
    assert float(metric(page, "theory.jsd_nats")) == pytest.approx(0.33683082, abs=1e-8)


@pytest.mark.parametrize("preset", list(theory_model.PRESETS))
def test_every_preset_renders_and_shows_the_identity_to_8_digits(page: AppTest, preset: str) -> None:
    page.selectbox(key="theory_preset").set_value(preset).run()
    assert_clean(page)
    left, right = metric(page, "theory.identity_left"), metric(page, "theory.identity_right")
    assert left[:-2] == right[:-2] and len(left.split(".")[1]) >= 8       # agree to ≥ 8 decimals on screen
    jsd = float(metric(page, "theory.jsd_nats"))
    assert 0.0 <= jsd <= math.log(2)
    # The preset really was applied to the widgets.
    assert page.selectbox(key="theory_data_family").value == theory_model.PRESETS[preset][0]["family"]
    assert page.selectbox(key="theory_g_family").value == theory_model.PRESETS[preset][1]["family"]
    expected = {"equal": "0.00000000", "disjoint": "0.69314718", "shifted": "0.33683082", "one_mode": "0.21572793"}
    assert metric(page, "theory.jsd_nats") == expected[preset]


def test_moving_a_slider_changes_the_reported_jsd(page: AppTest) -> None:
    before = metric(page, "theory.jsd_nats")
    page.slider(key="theory_g_mu").set_value(0.5).run()
    assert_clean(page)
    after = metric(page, "theory.jsd_nats")
    assert after != before and float(after) < float(before)
    page.slider(key="theory_g_mu").set_value(0.0).run()
    assert metric(page, "theory.jsd_nats") == "0.00000000"


def test_the_students_discriminator_never_beats_d_star(page: AppTest) -> None:
    for slope, offset in ((-2.0, 2.0), (3.0, -1.0), (0.0, 0.0)):
        page.slider(key="theory_disc_a").set_value(slope)
        page.slider(key="theory_disc_b").set_value(offset)
        page.run()
        assert_clean(page)
        assert float(metric(page, "theory.value_student")) <= float(metric(page, "theory.value_optimal"))
    assert metric(page, "theory.value_student") == "-1.386294"       # D = 1/2 gives −log 4


def test_disjoint_supports_show_infinite_kl_as_a_symbol_with_a_note(page: AppTest) -> None:
    page.selectbox(key="theory_preset").set_value("disjoint").run()
    open_tab(page, "s4")
    assert metric(page, "theory.kl_data_g") == "∞"
    assert any(EN["theory.kl_infinite"] == c.value for c in page.caption)
    open_tab(page, "s3")
    page.slider(key="theory_point_x").set_value(0.0).run()           # between the supports D* is undefined
    assert any(i.value == EN["theory.pointwise_undefined"] for i in page.info)
    assert "theory_fig_pointwise" not in chart_keys(page) and "theory_fig_disc" in chart_keys(page)


def test_each_tab_draws_its_section_and_only_that(page: AppTest) -> None:
    expected = {"s3": (["theory_fig_disc", "theory_fig_pointwise"], 3), "s4": ([], 7),
                "s5": (["theory_fig_sweep"], 0), "s6": (["theory_fig_losses"], 0), "s7": ([], 0)}
    for section, (charts, metrics) in expected.items():
        open_tab(page, section)
        assert_clean(page)
        assert page.session_state["theory_section"] == section
        assert chart_keys(page) == ["theory_fig_dstar", *charts, "theory_fig1_panels", "theory_fig1_frame"]
        assert len(page.metric) == 3 + metrics                       # the identity row is always there
        assert page.subheader[2].value == EN[f"theory.{section}.title"]
    assert len(page.table) == 1                                       # section 7's reference values
    assert page.table[0].value.iloc[0, 1] == "0.500000"              # D = 1/2 at p_g = p_data


def test_the_value_function_sliders_keep_their_values_while_their_tab_is_closed(page: AppTest) -> None:
    page.slider(key="theory_disc_a").set_value(3.0)
    page.slider(key="theory_point_x").set_value(-1.5)
    page.run()
    before = metric(page, "theory.value_student")
    open_tab(page, "s5")
    open_tab(page, "s3")
    assert page.slider(key="theory_disc_a").value == 3.0
    assert page.slider(key="theory_point_x").value == -1.5
    assert metric(page, "theory.value_student") == before


def test_degenerate_settings_give_messages_not_errors(page: AppTest) -> None:
    page.selectbox(key="theory_preset").set_value("one_mode").run()
    page.slider(key="theory_data_w1").set_value(0.0)
    page.slider(key="theory_data_w2").set_value(0.0)
    page.run()
    assert_clean(page)
    assert any("equal weights" in w.value for w in page.warning)
    page.selectbox(key="theory_g_family").set_value("uniform").run()
    page.slider(key="theory_g_low").set_value(1.0)
    page.slider(key="theory_g_high").set_value(1.0)
    page.run()
    assert_clean(page)
    assert any("narrower than the grid" in w.value for w in page.warning)


@pytest.mark.parametrize("family", list(theory_model.FAMILIES))
def test_every_family_renders(page: AppTest, family: str) -> None:
    page.selectbox(key="theory_data_family").set_value(family).run()
    assert_clean(page)
    expected_sliders = {"normal": 2, "mixture": 6, "uniform": 2, "laplace": 2, "gamma": 3}[family]
    assert sum(1 for s in page.slider if s.key.startswith("theory_data_")) == expected_sliders


def test_figure1_stage_slider_walks_through_the_game(page: AppTest) -> None:
    stage = page.select_slider(key="theory_fig1_stage")
    assert stage.value == 0
    first = [c.value for c in page.caption]
    stage.set_value(len(theory_figure1.figure1_run().frames) - 1).run()
    assert_clean(page)
    assert [c.value for c in page.caption] != first
    assert any("μ = 1.000, σ = 0.500" in c.value for c in page.caption)


def test_language_toggle_translates_the_page() -> None:
    at = app_session(timeout=TIMEOUT)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.title[0].value == EN["theory.title"]
    at.sidebar.segmented_control(key=LANG_WIDGET_KEY).set_value("zh").run()
    assert not at.exception
    assert at.title[0].value == ZH["theory.title"] != EN["theory.title"]
    assert any(m.label == ZH["theory.jsd_nats"] for m in at.metric)
    at.slider(key="theory_g_mu").set_value(1.0).run()              # the choice survives reruns
    assert at.title[0].value == ZH["theory.title"]


def test_switching_language_keeps_the_open_tab() -> None:
    at = app_session(timeout=TIMEOUT)
    at.run()
    at.switch_page(PAGE).run()
    open_tab(at, "s5")
    at.sidebar.segmented_control(key=LANG_WIDGET_KEY).set_value("zh").run()
    assert not at.exception
    assert at.session_state["theory_tab"] == ZH["theory.tab.s5"]
    assert "theory_fig_sweep" in chart_keys(at)


def test_a_family_switched_away_and_back_keeps_its_parameters(page: AppTest) -> None:
    page.slider(key="theory_data_mu").set_value(1.5)
    page.slider(key="theory_data_sigma").set_value(0.7)
    page.run()
    page.selectbox(key="theory_data_family").set_value("uniform").run()
    page.selectbox(key="theory_data_family").set_value("normal").run()
    assert_clean(page)
    assert page.slider(key="theory_data_mu").value == 1.5
    assert page.slider(key="theory_data_sigma").value == 0.7


def test_mixture_components_hidden_and_shown_again_keep_their_values(page: AppTest) -> None:
    page.selectbox(key="theory_g_family").set_value("mixture").run()
    page.radio(key="theory_g_components").set_value(3).run()
    page.slider(key="theory_g_mu3").set_value(4.0)
    page.slider(key="theory_g_w3").set_value(0.8)
    page.run()
    page.radio(key="theory_g_components").set_value(2).run()
    assert not [s for s in page.slider if s.key == "theory_g_mu3"]
    page.radio(key="theory_g_components").set_value(3).run()
    assert_clean(page)
    assert page.slider(key="theory_g_mu3").value == 4.0 and page.slider(key="theory_g_w3").value == 0.8
