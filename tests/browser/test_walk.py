"""A walk through every page and its controls, in English and in Chinese, as a new user
makes it (issue 15): each page shared by link and opened again from that link, typed numbers
read and explained, a run file brought back, the cursor on the curves following the
scrubber, and everything in the page's language. Screenshots of each step go to
test-artifacts/screenshots/walk-<lang>-*.png.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from devtools.faults import make_finished
from gan_engine.config import PRESETS
from gan_engine.runs.store import RunStore
from tests.browser.conftest import assert_no_exception, screenshot, wait_for_app
from tests.test_page_training_views import write_run
from ui.strings import common, theory, training
from ui.strings import gallery as gallery_strings

pytestmark = pytest.mark.browser

TABLES = {"en": {**common.EN, **theory.EN, **training.EN, **gallery_strings.EN},
          "zh": {**common.ZH, **theory.ZH, **training.ZH, **gallery_strings.ZH}}
ALERTS = "[data-testid='stAlert']"
CURSORS = """() => [...document.querySelectorAll('.js-plotly-plot')]
    .map(plot => (plot.layout.shapes || []).filter(s => s.yref === 'paper').map(s => s.x0))
    .filter(xs => xs.length)"""


def address(server, path: str, lang: str, **params: str) -> str:
    query = "&".join(f"{key}={value}" for key, value in {**params, **({"lang": lang} if lang == "zh" else {})}.items())
    return f"{server.url}/{path}" + (f"?{query}" if query else "")


def opened(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page, timeout_ms=90000)


def open_options(page, key: str) -> list[str]:
    """Open the selectbox `key` and return its options. A rerun that lands just after the
    click redraws the box closed, so the click is repeated until the list shows (30 s)."""
    for _ in range(6):
        page.locator(f".st-key-{key} [role='combobox']").click()
        try:
            page.get_by_role("option").first.wait_for(timeout=30000)
            return page.get_by_role("option").all_inner_texts()
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            wait_for_app(page)
    raise AssertionError(f"the options of {key} never showed")


def choose(page, key: str, option: str) -> None:
    open_options(page, key)
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_app(page)


def type_into(page, key: str, text: str, shown: str) -> None:
    """Type `text` into the box `key`, press Enter, and wait until the box shows `shown`."""
    box = page.locator(f".st-key-{key} input")
    box.fill(text)
    box.press("Enter")
    page.wait_for_function("([key, shown]) => document.querySelector(`.st-key-${key} input`)?.value === shown",
                           arg=[key, shown], timeout=30000)
    wait_for_app(page)


def texts(page, selector: str) -> list[str]:
    return page.locator(selector).all_inner_texts()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_page_in_both_languages(page, server, lang: str, tmp_path) -> None:
    text = TABLES[lang]
    store = RunStore(server.runs)
    store.dir.make_dirs()
    seed = 61 if lang == "en" else 62
    linked = write_run(store, PRESETS["gauss1d"].replace(seed=seed, iterations=300), metrics={"jsd": 0.004},
                       snapshots=3)

    # ---- Theory: change a distribution by hand, share the link, open it again -------------------
    opened(page, address(server, "Theory", lang))
    page.wait_for_selector(".st-key-theory_fig_dstar path.js-line", timeout=60000)
    page.locator(".st-key-theory_g_mu input[type='range']").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r"theory_g_mu=2\.1"), timeout=30000)
    wait_for_app(page)
    assert page.locator(".st-key-theory_preset input[role='combobox']").input_value() == text["theory.preset.custom"]
    jsd = page.locator("[data-testid='stMetric']").first.inner_text()
    screenshot(page, f"walk-{lang}-theory-custom")
    shared = page.context.new_page()
    opened(shared, page.url)
    shared.wait_for_selector(".st-key-theory_fig_dstar path.js-line", timeout=60000)
    assert shared.locator("[data-testid='stMetric']").first.inner_text() == jsd
    assert shared.locator(ALERTS).count() == 0
    shared.close()
    opened(page, address(server, "Theory", lang, theory_g_sigma="9", theory_section="s9"))
    notes = texts(page, ALERTS)
    assert len(notes) == 1 and "theory_g_sigma" in notes[0] and "s9" in notes[0], notes
    assert text["link.summary"].split("{")[0].strip() in notes[0]
    screenshot(page, f"walk-{lang}-theory-link")

    # ---- Training: translated options, typed numbers, a cached run from its link ---------------
    opened(page, address(server, "Training", lang))
    options = open_options(page, "train_loss")
    assert options == [text[f"training.loss.{name}"] for name in ("minimax", "nonsaturating", "lsgan")], options
    page.keyboard.press("Escape")
    type_into(page, "train_iterations", "1e3", "1000")
    assert "train_iterations=1000" in page.url
    type_into(page, "train_iterations", "-5", "10")
    warning = page.locator(f"[data-testid='stSidebar'] {ALERTS}").inner_text()
    assert warning.strip() == text["input.clamped"].format(value="-5", low="10", high="1,000,000", used="10"
                                                           ).replace("`", "")
    assert page.get_by_text("Press Enter to apply").count() == 0
    screenshot(page, f"walk-{lang}-training-typed")

    opened(page, address(server, "Training", lang, train_seed=str(seed), train_iterations="300"))
    page.get_by_text(text["training.from_cache"]).wait_for(timeout=30000)
    page.wait_for_function(f"() => ({CURSORS})().length >= 3", timeout=30000)
    assert page.evaluate(CURSORS) == [[300], [300], [300]]
    thumb = page.locator(".st-key-train_snapshot input[type='range']")
    thumb.focus()
    page.keyboard.press("Home")
    page.wait_for_function(f"() => JSON.stringify(({CURSORS})()) === '[[100],[100],[100]]'", timeout=30000)
    wait_for_app(page)
    screenshot(page, f"walk-{lang}-training-cursor")

    # ---- the run library: translated, and a downloaded run file brought back --------------------
    page.locator(".st-key-train_view").get_by_text(text["training.section.library"], exact=True).click()
    wait_for_app(page)
    page.get_by_text(text["training.import.title"]).click()
    upload = page.locator(".st-key-train_import_file input[type='file']")
    upload.set_input_files({"name": "model.pt", "mimeType": "application/octet-stream",
                            "buffer": b"\x80\x04\x95" + b"\0" * 64})
    refusal = text["engine.import_pickle"].format(name="`model.pt`").replace("`", "")
    page.get_by_text(refusal[:20]).wait_for(timeout=30000)
    wait_for_app(page)
    carried = make_finished(tmp_path, seed=470 + seed)
    upload.set_input_files(str(tmp_path / f"{carried}.h5"))
    done = text["training.import.imported"].format(preset="gauss1d", status=text["training.status.done"],
                                                   run=carried[:6])
    page.get_by_text(done).wait_for(timeout=30000)
    wait_for_app(page)
    assert store.summary(carried).status == "done"
    screenshot(page, f"walk-{lang}-training-library")

    # ---- Gallery: a view and its controls by link -------------------------------------------------
    opened(page, address(server, "Gallery", lang))
    page.locator("[data-testid='stImage'] img").first.wait_for(timeout=60000)
    page.locator(".st-key-gallery_view").get_by_text(text["gallery.view.morph"], exact=True).click()
    wait_for_app(page)
    choose(page, "gallery_morph_to", "4")
    type_into(page, "gallery_seed", "7", "7")
    page.wait_for_url(re.compile(r"gallery_morph_to=4"), timeout=30000)
    strip = page.locator("[data-testid='stImage'] img").first.get_attribute("src")
    screenshot(page, f"walk-{lang}-gallery-morph")
    shared = page.context.new_page()
    opened(shared, page.url)
    shared.locator("[data-testid='stImage'] img").first.wait_for(timeout=60000)
    assert shared.locator(".st-key-gallery_seed input").input_value() == "7"
    assert shared.locator("[data-testid='stImage'] img").first.get_attribute("src") == strip
    shared.close()
    opened(page, address(server, "Gallery", lang, gallery_seed="-5", gallery_view="nope"))
    notes = texts(page, ALERTS)
    assert len(notes) == 1 and "-5" in notes[0] and "nope" in notes[0], notes
    screenshot(page, f"walk-{lang}-gallery-link")

    opened(page, f"{server.url}/Training?lang=xx")
    assert "lang=" not in page.url
    assert texts(page, ALERTS) and "xx" in texts(page, ALERTS)[0]
    assert_no_exception(page)
    assert not page.errors, page.errors
    assert linked in {row for row in store.list_runs()["key"]}
