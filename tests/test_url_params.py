"""Hand-edited links on every page: clamped or refused with a message, never rendered as HTML.

A shared link is text anyone can edit. Each page is opened, as a fresh session, with a URL
full of hostile values (negative k, a learning rate of 1e9, 10^12 iterations, an unknown
preset, script and image tags, for the Training page's own parameters and for names the
other pages might be expected to read). No page may raise; the Training page clamps or
refuses each value it reads, in one summary message; so do the Theory and Gallery pages for
theirs; the home page reads only the language; and a hostile string appears only as text
inside a code span, in elements that do not allow HTML.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from apphelpers import app_session, link_notes
from streamlit.testing.v1 import AppTest

from gan_engine.config import PRESETS
from ui.strings.common import EN, ZH
from ui.training.fields import ITERATION_RANGE, LR_OPTIONS

PAGES = ("streamlit_app.py", "pages/1_Theory.py", "pages/2_Training.py", "pages/3_Gallery.py", "pages/4_Lab.py")
SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(2)>"
HOSTILE_TEXT = (SCRIPT, IMAGE)
HOSTILE = {
    "lang": SCRIPT,
    "train_preset": SCRIPT, "train_k": "-3", "train_lr_d": "1e9", "train_lr_g": "-1e-3",
    "train_iterations": "1e12", "train_loss": IMAGE, "train_seed": "NaN", "train_view": SCRIPT,
    "theory_preset": SCRIPT, "theory_data_mu": "1e9", "theory_g_sigma": "-1",
    "gallery_seed": "-5", "gallery_source": IMAGE, "gallery_view": SCRIPT,
    "lab_preset": SCRIPT, "lab_lr_d": "1e9", "lab_source": IMAGE, "lab_speed": "-1",
    "k": "-3", "lr": "1e9", "iterations": "1000000000000", "preset": SCRIPT,
}
# Element types that render their text as Markdown without HTML, or as plain text.
TEXT_TYPES = {"markdown", "caption", "warning", "error", "info", "success", "title", "header", "subheader"}


@pytest.fixture
def runs_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GAN_EXPLORER_RUNS", str(tmp_path))
    return tmp_path


def open_page(page: str, query: dict[str, str]) -> AppTest:
    return app_session(page, query, timeout=120).run()


def strings(node: object) -> Iterator[tuple[object, str]]:
    """(element, text) for every string field of every element in the page's tree."""
    proto = getattr(node, "proto", None)
    if proto is not None and hasattr(proto, "ListFields"):
        yield from ((node, text) for text in _proto_strings(proto))
    for child in getattr(node, "children", {}).values():
        yield from strings(child)


def _proto_strings(message: object) -> Iterator[str]:
    for _, value in message.ListFields():
        values = value if isinstance(value, (list, tuple)) or hasattr(value, "append") else [value]
        for item in values:
            if isinstance(item, str):
                yield item
            elif hasattr(item, "ListFields"):
                yield from _proto_strings(item)


def widget_values(at: AppTest) -> dict[str, object]:
    """Every keyed value in the session (widgets and the page's own state), by key."""
    state = at.session_state._state.filtered_state
    return {key: value for key, value in state.items() if not key.startswith("$$")}


@pytest.mark.parametrize("page", PAGES)
def test_hostile_links_never_raise_and_never_render_as_html(page: str, runs_dir: Path) -> None:
    at = open_page(page, HOSTILE)
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["_lang"] == "en"                          # an unknown language falls back
    assert not at.get("html")
    assert all(not element.proto.allow_html for element in at.markdown)
    for element, text in strings(at._tree):
        for hostile in HOSTILE_TEXT:
            if hostile in text:
                assert element.type in TEXT_TYPES, (element.type, text)
                assert text.count(hostile) == text.count(f"`{hostile}`"), text     # only inside code spans


def test_the_home_page_reads_only_the_language(runs_dir: Path) -> None:
    clean = open_page("streamlit_app.py", {})
    hostile = open_page("streamlit_app.py", HOSTILE)
    assert widget_values(hostile) == widget_values(clean)
    assert link_notes(hostile) == [EN["link.language"].format(value=SCRIPT)] and len(hostile.warning) == 1
    assert "lang" not in hostile.query_params                          # the refused language leaves the address


@pytest.mark.parametrize(("page", "refused"), [
    ("pages/1_Theory.py", {"theory_preset": SCRIPT, "theory_data_mu": "1e9", "theory_g_sigma": "-1"}),
    ("pages/3_Gallery.py", {"gallery_seed": "-5", "gallery_view": SCRIPT}),
])
def test_theory_and_gallery_links_are_clamped_or_refused_in_one_summary(page: str, refused: dict[str, str],
                                                                       runs_dir: Path) -> None:
    at = open_page(page, HOSTILE)
    lines = link_notes(at)
    assert len(at.warning) == 1 and len(lines) == 1 + len(refused), lines        # the language, then each value
    for key, raw in refused.items():
        assert sum(f"`{key}`" in line and f"`{raw}`" in line for line in lines) == 1, (key, lines)
    left = {key: at.query_params[key] for key in refused if key in at.query_params}
    assert not {key: value for key, value in left.items() if value == refused[key]}, left      # what is used, or nothing


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_training_page_clamps_or_refuses_each_value_with_a_message(lang: str, runs_dir: Path) -> None:
    at = open_page("pages/2_Training.py", {**HOSTILE, "lang": lang})
    assert not at.exception
    assert at.selectbox(key="train_preset").value == "gauss1d"
    assert at.slider(key="train_k").value == 1
    assert at.select_slider(key="train_lr_d").value == LR_OPTIONS[-1]
    assert at.select_slider(key="train_lr_g").value == PRESETS["gauss1d"].lr_g
    assert int(at.text_input(key="train_iterations").value) == ITERATION_RANGE[1]
    assert at.selectbox(key="train_loss").value == PRESETS["gauss1d"].loss
    assert int(at.text_input(key="train_seed").value) == PRESETS["gauss1d"].seed
    warnings = link_notes(at)
    # preset, view, k, lr_d, lr_g, iterations, loss, seed: one line each of one message, the raw
    # value in a code span (the script twice: as preset and as view).
    assert len(warnings) == 8 and len(at.warning) == 1, warnings
    assert at.segmented_control(key="train_view").value == "train"
    for raw in ("-3", "1e9", "-1e-3", "1e12", "NaN", SCRIPT, IMAGE):
        assert sum(f"`{raw}`" in w for w in warnings) == (2 if raw == SCRIPT else 1), raw
    # The clamped run (10^6 iterations) is too large for a visitor: explained in the page's
    # language, not launched.
    assert len(at.error) == 1 and at.button(key="train_launch").disabled
    table = EN if lang == "en" else ZH
    assert at.error[0].value.startswith(table["engine.run_too_large"].split("：")[0].split(":")[0])
    # The URL now holds what the widgets hold, not the hostile values.
    assert at.query_params.get("train_k") in (None, "1", ["1"])
    assert not {key for key, value in at.query_params.items() if key.startswith("train_") and
                any(h in str(value) for h in HOSTILE_TEXT)}


def test_the_training_view_lives_in_the_address(runs_dir: Path) -> None:
    at = open_page("pages/2_Training.py", {"train_view": "library"})
    assert not at.exception and not at.warning
    assert at.segmented_control(key="train_view").value == "library"
    assert at.query_params.get("train_view") in ("library", ["library"])      # a shared link keeps it
    at.segmented_control(key="train_view").set_value("compare").run()
    assert at.query_params.get("train_view") in ("compare", ["compare"])
    at.segmented_control(key="train_view").set_value("train").run()
    assert "train_view" not in at.query_params                                  # the page opens there anyway


def test_a_link_cannot_choose_a_data_file(runs_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAN_EXPLORER_DATA", str(tmp_path / "data"))
    at = open_page("pages/2_Training.py", {"train_preset": "mnist-gan", "data_path": "/etc/passwd",
                                           "train_data_path": "/etc/passwd", "train_upload_mnist": "/etc/passwd"})
    assert not at.exception
    assert at.selectbox(key="train_preset").value == "mnist-gan"
    assert not at.session_state["train_upload_mnist"]
    assert "train_upload_mnist_stored" not in at.session_state
