"""A shared demo in a real browser, as the README starts it for a class: a teacher and a
visitor in two browser contexts on one server. The visitor sees no Delete and cannot stop
a run the teacher watches (their cancel only detaches them); the passphrase unlocks, a
wrong one is refused and slowed; the passphrase reaches neither page, address nor log."""

from __future__ import annotations

import time

import pytest

from devtools.browser import start_server, stop_server
from devtools.runs import eventually, kill_workers
from gan_engine.runs.store import RunStore
from tests.browser.conftest import assert_no_exception, screenshot, wait_for_app
from ui.strings import common, training

pytestmark = pytest.mark.browser

PASSPHRASE = "tulip-orbit-4471"
DELAY = 8      # seconds after the first wrong passphrase on this server
LINK = "/Training?train_preset=gauss1d&train_iterations=200000&train_batch=32&train_seed=4242"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    runs = tmp_path_factory.mktemp("demo-runs")
    log = tmp_path_factory.mktemp("demo-server") / "streamlit.log"
    server = start_server(runs, log, {"GAN_EXPLORER_TEACHER_PASSWORD": PASSPHRASE, "GAN_EXPLORER_TEACHER_DELAY": str(DELAY),
                                       "GAN_EXPLORER_LOCAL": ""})
    yield server
    stop_server(server)
    kill_workers(runs)


def _open(browser, url: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(url)
    wait_for_app(page, timeout_ms=60000)
    return page


def _unlock(page, given: str) -> None:
    panel = page.locator("[data-testid='stSidebar'] [data-testid='stExpander']").filter(
        has=page.get_by_text(common.EN["teacher.title"], exact=True))
    if not panel.locator("input[type='password']").is_visible():
        panel.locator("summary").click()
    field = panel.locator("input[type='password']")
    field.fill(given)
    panel.get_by_role("button", name=common.EN["teacher.unlock"]).click()
    wait_for_app(page)


def _has_button(page, label: str) -> bool:
    return page.get_by_role("button", name=label, exact=True).count() > 0


def test_a_visitor_and_the_teacher_on_one_server(browser, demo) -> None:
    teacher = _open(browser, demo.url + LINK)
    visitor = _open(browser, demo.url + LINK)

    # a wrong passphrase is refused and slowed: within the delay even the right one is not compared
    wrong_sent = time.monotonic()
    _unlock(teacher, "tulip")
    teacher.get_by_text(common.EN["teacher.wrong"].format(seconds=DELAY)).wait_for(timeout=30000)
    _unlock(teacher, PASSPHRASE)
    refused = teacher.get_by_text(common.EN["teacher.wait"].split("{")[0])
    unlocked = teacher.get_by_text(common.EN["teacher.unlocked"])
    refused.or_(unlocked).first.wait_for(timeout=30000)
    if time.monotonic() - wrong_sent < DELAY:        # answered within the delay: it must have been refused
        assert refused.count() == 1 and unlocked.count() == 0
    if unlocked.count() == 0:
        teacher.wait_for_timeout(DELAY * 1000)
        _unlock(teacher, PASSPHRASE)
        unlocked.wait_for(timeout=30000)

    # the visitor launches a long run; nobody else watches it, so it is theirs to cancel
    visitor.get_by_role("button", name=training.EN["training.train"]).click()
    visitor.get_by_role("button", name=training.EN["training.cancel"], exact=True).wait_for(timeout=60000)
    # the teacher presses Train on the same configuration and is attached to that run
    teacher.get_by_role("button", name=training.EN["training.train"]).click()
    teacher.get_by_role("button", name=training.EN["training.cancel"], exact=True).wait_for(timeout=60000)
    # now someone else watches: the visitor's cancel only detaches them (the page polls each second)
    visitor.get_by_role("button", name=training.EN["training.stop_watching"]).wait_for(timeout=60000)
    assert not _has_button(visitor, training.EN["training.cancel"])
    screenshot(visitor, "teacher-visitor-detach")
    visitor.get_by_role("button", name=training.EN["training.stop_watching"]).click()
    visitor.get_by_text(training.EN["training.detached"]).wait_for(timeout=30000)
    key = RunStore(demo.runs).list_runs()["key"].tolist()[0]
    assert RunStore(demo.runs).summary(key).status in ("queued", "running")

    # the visitor's library has no Delete, and says why
    visitor.get_by_text(training.EN["training.section.library"], exact=True).click()
    visitor.get_by_text(training.EN["training.delete_teacher_only"]).wait_for(timeout=30000)
    assert not _has_button(visitor, training.EN["training.delete"])
    screenshot(teacher, "teacher-unlocked")

    # the teacher stops the run the visitor launched
    teacher.get_by_role("button", name=training.EN["training.cancel"], exact=True).click()
    assert eventually(lambda: RunStore(demo.runs).summary(key).status == "cancelled", 60)

    # the teacher's panel in Chinese, in the same session (still unlocked)
    teacher.locator("[data-testid='stSidebar'] .st-key-common_lang").get_by_text("中文").click()
    teacher.get_by_text(common.ZH["teacher.unlocked"]).wait_for(timeout=30000)
    screenshot(teacher, "teacher-unlocked-zh")

    # nothing of the passphrase in the pages, their addresses or the server's log
    for page in (teacher, visitor):
        assert PASSPHRASE not in page.content() and PASSPHRASE not in page.url
        assert_no_exception(page)
    assert PASSPHRASE not in demo.log.read_text(errors="replace")
    for page in (teacher, visitor):
        page.context.close()
