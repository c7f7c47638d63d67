"""The home page and the navigation frame, through Streamlit's AppTest."""

from streamlit.testing.v1 import AppTest

from pathlib import Path

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")


def test_home_renders_in_english_by_default() -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "GAN Explorer"
    assert "generator" in at.markdown[0].value


def test_language_switch_translates_the_home_page() -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.sidebar.segmented_control(key="common_lang").set_value("zh").run()
    assert not at.exception
    assert at.title[0].value == "GAN 探索器"
    assert "生成器" in at.markdown[0].value


def test_language_from_the_url() -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "zh"
    at.run()
    assert at.title[0].value == "GAN 探索器"
