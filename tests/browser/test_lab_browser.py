"""The Lab in a real browser: draw a data set, play about 20 rounds, pause, change the
learning rate, step, go back, and see the plots change; two visitors never share a game.

Every wait is a condition polled with a generous deadline (the machine may be busy);
nothing is asserted about timing. Screenshots (English and Chinese) go to
test-artifacts/screenshots/lab-*.png.
"""

from __future__ import annotations

import time

import re

import pytest

from tests.browser.conftest import assert_no_exception, screenshot, wait_for_app

pytestmark = pytest.mark.browser

DEADLINE_MS = 90_000
STEP_JS = """(label) => {
    const metric = [...document.querySelectorAll("[data-testid='stMetric']")]
        .find(e => e.querySelector("[data-testid='stMetricLabel']")?.innerText.trim() === label);
    return metric ? Number(metric.querySelector("[data-testid='stMetricValue']").innerText) : null;
}"""


def step(page, label: str = "Step") -> int | None:
    return page.evaluate(STEP_JS, label)


def wait_for_step(page, condition: str, label: str = "Step") -> None:
    """Wait until the Step metric satisfies `condition`, a JS expression in `s`."""
    page.wait_for_function(f"(label) => {{ const s = ({STEP_JS})(label); return s !== null && ({condition}); }}",
                           arg=label, timeout=DEADLINE_MS)


def figure(page, key: str):
    """Inside a live figure's frame (ui.lab.live_chart draws each one in its own iframe)."""
    return page.frame_locator(f".st-key-{key} iframe")


def heatmap(page) -> str:
    """The D heatmap of the layered-distributions plot (an image whose pixels are D on the plane)."""
    return figure(page, "lab_fig_layers").locator(".heatmaplayer image").first.get_attribute("href")


def manifold(page) -> str:
    return figure(page, "lab_fig_manifold").locator("path.js-line").first.get_attribute("d")


def wait_for_heatmap_change(page, old: str) -> None:
    frame = page.locator(".st-key-lab_fig_layers iframe").element_handle().content_frame()
    frame.wait_for_function("(old) => document.querySelector('.heatmaplayer image')?.getAttribute('href') !== old",
                            arg=old, timeout=DEADLINE_MS)


def points_caption(page) -> str:
    return page.locator("[data-testid='stCaptionContainer']").filter(has_text="points on the canvas").inner_text()


def points_on_canvas(page) -> int:
    return int(re.match(r"(\d+)", points_caption(page)).group(1))


def wait_for_points(page, more_than: int) -> None:
    page.wait_for_function(
        """(n) => { const c = [...document.querySelectorAll("[data-testid='stCaptionContainer']")]
                     .find(e => e.innerText.includes("points on the canvas"));
                   return c && parseInt(c.innerText) > n; }""", arg=more_than, timeout=DEADLINE_MS)


def draw(page) -> None:
    """Click three points, lasso an area, and place a ring: a data set made by hand."""
    page.get_by_text("Draw 2-D points", exact=True).click()
    page.wait_for_selector(".st-key-lab_canvas .nsewdrag", timeout=DEADLINE_MS)
    for fx, fy in ((0.25, 0.25), (0.3, 0.22), (0.22, 0.32)):
        before = points_on_canvas(page)
        box = page.locator(".st-key-lab_canvas .nsewdrag").first.bounding_box()
        page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy, steps=3)
        page.wait_for_timeout(300)                       # plotly picks the hovered grid point
        page.mouse.down()
        page.mouse.up()
        wait_for_points(page, before)
    before = points_on_canvas(page)
    page.locator(".st-key-lab_canvas [data-title='Lasso Select']").click()
    box = page.locator(".st-key-lab_canvas .nsewdrag").first.bounding_box()
    x0, y0 = box["x"] + box["width"] * 0.62, box["y"] + box["height"] * 0.62
    page.mouse.move(x0, y0)
    page.mouse.down()
    for dx, dy in ((70, 0), (70, 70), (0, 70), (0, 4)):
        page.mouse.move(x0 + dx, y0 + dy, steps=6)
    page.mouse.up()
    wait_for_points(page, before + 10)
    before = points_on_canvas(page)
    page.locator(".st-key-lab_shape").get_by_text("Ring", exact=True).click()
    page.locator(".st-key-lab_place button").click()
    wait_for_points(page, before)
    wait_for_app(page)


def pause_until_paused(page) -> None:
    """Press Pause until Play is back. Once, in a full run at load ~4, a Pause click had no
    effect for 90 s (the cause is not pinned down: likely a click landing while Play's timer
    redraws the button); a student would click again, and so does this test, at most five times."""
    deadline = time.monotonic() + DEADLINE_MS / 1000
    clicks = 0
    while time.monotonic() < deadline:
        pause = page.locator(".st-key-lab_pause button")
        if pause.count():
            pause.first.click()
            clicks += 1
        try:
            page.wait_for_selector(".st-key-lab_play button", timeout=10000)
            break
        except Exception:   # Playwright's TimeoutError: not paused yet
            assert clicks < 5, "Pause was pressed five times and Play did not come back"
    else:
        raise AssertionError("Pause did not take effect")
    wait_for_app(page)


def test_draw_play_pause_change_lr_step_back(page, server) -> None:
    page.goto(f"{server.url}/Lab")
    wait_for_app(page, timeout_ms=DEADLINE_MS)
    draw(page)
    assert points_on_canvas(page) > 60
    figure(page, "lab_fig_layers").locator(".heatmaplayer image").first.wait_for(timeout=DEADLINE_MS)
    figure(page, "lab_fig_manifold").locator("path.js-line").first.wait_for(timeout=DEADLINE_MS)
    assert step(page) == 0
    start_heatmap, start_manifold = heatmap(page), manifold(page)
    screenshot(page, "lab-drawn")

    # Play about 20 rounds (k = 1: two steps a round), then pause.
    page.locator(".st-key-lab_play button").click()
    page.wait_for_selector(".st-key-lab_pause button", timeout=DEADLINE_MS)
    wait_for_step(page, "s >= 40")
    pause_until_paused(page)
    paused = step(page)
    assert paused >= 40
    page.wait_for_timeout(1000)
    assert step(page) == paused                           # paused means paused
    played_heatmap, played_manifold = heatmap(page), manifold(page)
    assert played_heatmap != start_heatmap and played_manifold != start_manifold
    screenshot(page, "lab-played")

    # A new learning rate, then one D step: D moves, G does not.
    lr = page.locator(".st-key-lab_lr_d input")
    lr.fill("0.02")
    lr.press("Enter")
    wait_for_app(page)
    page.locator(".st-key-lab_step_d button").click()
    wait_for_step(page, f"s === {paused + 1}")
    wait_for_app(page)
    wait_for_heatmap_change(page, played_heatmap)
    stepped_heatmap = heatmap(page)
    assert stepped_heatmap != played_heatmap
    assert manifold(page) == played_manifold
    assert page.locator(".st-key-lab_lr_d input").input_value() == "0.02"

    # Back: exactly the paused state again.
    page.locator(".st-key-lab_back button").click()
    wait_for_step(page, f"s === {paused}")
    wait_for_app(page)
    wait_for_heatmap_change(page, stepped_heatmap)
    assert heatmap(page) == played_heatmap
    screenshot(page, "lab-back")
    assert_no_exception(page)
    assert not page.errors, page.errors

    # The same game in Chinese.
    page.locator("[data-testid='stSidebar']").get_by_text("中文", exact=True).click()
    wait_for_app(page)
    assert page.locator("h1").first.inner_text() == "实验台"
    assert step(page, "步数") == paused
    page.locator(".st-key-lab_round button").click()
    wait_for_step(page, f"s === {paused + 2}", label="步数")
    wait_for_app(page)
    screenshot(page, "lab-zh")
    assert_no_exception(page)
    assert not page.errors, page.errors


def test_two_visitors_playing_at_once_see_only_their_own_game(browser, server) -> None:
    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(2)]
    try:
        first, second = (context.new_page() for context in contexts)
        for visitor in (first, second):
            visitor.goto(f"{server.url}/Lab")
            wait_for_app(visitor, timeout_ms=DEADLINE_MS)
        second.get_by_text("Compose a 1-D mixture", exact=True).click()
        figure(second, "lab_fig_layers").locator(".main-svg").first.wait_for(timeout=DEADLINE_MS)
        wait_for_app(second)
        for visitor in (first, second):
            visitor.locator(".st-key-lab_play button").click()
        for visitor in (first, second):
            wait_for_step(visitor, "s >= 20")
        second.locator(".st-key-lab_pause button").click()
        second.wait_for_selector(".st-key-lab_play button", timeout=DEADLINE_MS)
        wait_for_app(second)
        held = step(second)
        wait_for_step(first, f"s >= {held + 20}")          # the first game goes on ...
        assert step(second) == held                          # ... and the second stays paused
        # Each sees its own data: the ring's modes on one side, the mixture's JSD on the other.
        assert first.locator("[data-testid='stMetricLabel']").filter(has_text="Modes captured").count() == 1
        assert second.locator("[data-testid='stMetricLabel']").filter(has_text="JSD").count() == 1
        first.locator(".st-key-lab_pause button").click()
        first.wait_for_selector(".st-key-lab_play button", timeout=DEADLINE_MS)
        second.locator(".st-key-lab_reset button").click()
        wait_for_step(second, "s === 0")
        wait_for_app(first)
        assert step(first) > held + 20
    finally:
        for context in contexts:
            context.close()
