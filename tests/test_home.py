"""The home page and the navigation frame, through Streamlit's AppTest.

The app runs on `st.navigation` (streamlit_app.py) over `ui.navigation.PAGES`. A deep link
is checked twice: in a server that has served pages before, and as a fresh server
process's first request, which Streamlit starts in its pages-directory mode (there is a
`pages/` folder) and which must still run inside the frame (`ui.navigation.require_navigation`).
"""

from __future__ import annotations

import pytest
from apphelpers import app_session
from streamlit.proto.Navigation_pb2 import Navigation
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.local_script_runner import LocalScriptRunner

from ui.i18n import TABLES
from ui.navigation import HOME, PAGES

SCRIPT_PAGES = [entry for entry in PAGES if entry.script]


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list:
    """Every ForwardMsg the app sends (AppTest's element tree leaves out the menu and the
    page configuration, which the browser receives as messages of their own)."""
    messages: list = []
    original = LocalScriptRunner.forward_msgs

    def recording(self: LocalScriptRunner) -> list:
        found = original(self)
        messages.extend(found)
        return found

    monkeypatch.setattr(LocalScriptRunner, "forward_msgs", recording)
    return messages


def last(messages: list, field: str):
    return [getattr(m, field) for m in messages if m.HasField(field)][-1]


def frame(at: AppTest) -> tuple[str, str]:
    """(sidebar title, chosen language) of the shared frame."""
    return at.sidebar.markdown[0].value, at.sidebar.segmented_control(key="common_lang").value


def test_home_renders_in_english_by_default() -> None:
    at = app_session().run()
    assert not at.exception
    assert at.title[0].value == "GAN Explorer"
    assert "generator" in at.markdown[0].value


def test_language_switch_translates_the_home_page() -> None:
    at = app_session().run()
    at.sidebar.segmented_control(key="common_lang").set_value("zh").run()
    assert not at.exception
    assert at.title[0].value == "GAN 探索器"
    assert "生成器" in at.markdown[0].value


def test_language_from_the_url() -> None:
    at = app_session(query={"lang": "zh"}).run()
    assert at.title[0].value == "GAN 探索器"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_menu_lists_every_page_with_its_translated_title_and_address(lang: str, sent: list) -> None:
    at = app_session(query={"lang": lang}).run()
    assert not at.exception
    menu = last(sent, "navigation")
    assert menu.position == Navigation.Position.SIDEBAR                   # Streamlit's own menu, shown
    shown = [(page.page_name, page.url_pathname, page.icon, page.is_default) for page in menu.app_pages]
    assert shown == [(TABLES[lang][entry.title_key], entry.url_path, entry.icon, entry is HOME) for entry in PAGES]
    assert [path for _, path, _, _ in shown] == ["", "Theory", "Training", "Gallery"]      # the deep links


def test_the_home_page_links_to_every_page() -> None:
    at = app_session().run()
    links = [(link.proto.page, link.proto.label, link.proto.icon) for link in at.get("page_link")]
    assert links == [(entry.url_path, TABLES["en"][entry.summary_key], entry.icon) for entry in SCRIPT_PAGES]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_page_renders_through_the_navigation_keeping_the_language(lang: str, sent: list) -> None:
    at = app_session(query={"lang": lang})
    for entry in PAGES:
        if entry.script:
            at.switch_page(entry.script)
        sent.clear()
        at.run()
        assert not at.exception, (entry.name, [e.value for e in at.exception])
        assert at.title[0].value == TABLES[lang][f"{entry.name}.title"], entry.name
        assert frame(at) == (f"**{TABLES[lang]['app.title']}**", lang)
        assert last(sent, "page_config_changed").title == f"{TABLES[lang][entry.title_key]} · GAN Explorer"


def test_every_run_sets_the_local_favicon_before_the_menu(sent: list) -> None:
    """A browser that meets the menu before any favicon takes the page's Material icon as
    its favicon and fetches it online."""
    at = app_session()
    for entry in PAGES:
        if entry.script:
            at.switch_page(entry.script)
        sent.clear()
        at.run()
        kinds = [message.WhichOneof("type") for message in sent]
        assert kinds.index("page_config_changed") < kinds.index("navigation"), entry.name
        config = sent[kinds.index("page_config_changed")].page_config_changed
        assert config.favicon and not config.favicon.startswith(":") and config.layout == config.WIDE


@pytest.mark.parametrize("fresh_server", [False, True], ids=["serving", "fresh-server"])
@pytest.mark.parametrize("entry", SCRIPT_PAGES, ids=lambda entry: entry.name)
def test_a_deep_link_opens_its_page_inside_the_frame(entry, fresh_server: bool) -> None:
    """A new session whose first request is /Theory?lang=zh (and so on): the page, in
    Chinese, with the frame around it."""
    at = app_session(entry.script, {"lang": "zh"}, fresh_server=fresh_server).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == TABLES["zh"][f"{entry.name}.title"]
    assert frame(at) == (f"**{TABLES['zh']['app.title']}**", "zh")
