"""The Training page in a real browser: a shared link, a live run, then the cache."""

from __future__ import annotations

import re
import time

import pytest

from tests.browser.conftest import assert_no_exception, screenshot, wait_for_app

pytestmark = pytest.mark.browser

FROM_CACHE = "From cache"


def slider_value(page, key: str) -> str:
    return page.locator(f".st-key-{key} input[type='range']").first.get_attribute("aria-valuetext")


def test_shared_link_sets_k_and_learning_rate(page, server) -> None:
    page.goto(f"{server.url}/Training?train_preset=gauss1d&train_k=5&train_lr_d=1e-3")
    wait_for_app(page, timeout_ms=60000)
    assert slider_value(page, "train_k") == "5"
    assert slider_value(page, "train_lr_d") == "1e-3"
    assert_no_exception(page)
    assert not page.errors, page.errors


def test_a_corrected_link_puts_the_values_used_in_the_address(page, server) -> None:
    """Values a link gets wrong are clamped with a message; the address then shows the
    values used, so sharing it opens the same settings."""
    page.goto(f"{server.url}/Training?train_preset=gauss1d&train_k=3&train_batch=7&train_seed=99999999999")
    wait_for_app(page, timeout_ms=60000)
    page.wait_for_url(re.compile(r"train_batch=8.*train_seed=2147483647|train_seed=2147483647.*train_batch=8"),
                      timeout=30000)
    wait_for_app(page)
    notes = page.locator("[data-testid='stAlert']")
    assert notes.count() == 1 and notes.inner_text().count("\n") >= 2   # one summary: batch rounded, seed clamped
    shared = page.context.new_page()
    shared.goto(page.url)
    wait_for_app(shared, timeout_ms=60000)
    assert slider_value(shared, "train_k") == "3" and slider_value(shared, "train_batch") == "8"
    assert shared.locator(".st-key-train_seed input").input_value() == "2147483647"
    assert shared.locator("[data-testid='stAlert']").count() == 0           # nothing left to correct
    assert_no_exception(page)
    assert not page.errors, page.errors


PROGRESS_TEXTS = "() => [...document.querySelectorAll(\"[data-testid='stProgress']\")].map(e => e.innerText)"


def test_a_tiny_run_trains_live_and_is_then_served_from_cache(page, server) -> None:
    # A small 1-D run: k = 2, lr_d = 2e-3 and batch 64 chosen through the link, 4,000 (about 7 s on an idle 2-core machine, so the bar is seen moving) iterations typed in.
    page.goto(f"{server.url}/Training?train_preset=gauss1d&train_k=2&train_lr_d=2e-3&train_batch=64")
    wait_for_app(page, timeout_ms=60000)
    iterations = page.locator(".st-key-train_iterations input")
    iterations.fill("4000")
    iterations.press("Enter")
    wait_for_app(page)
    assert "train_iterations=4000" in page.url

    started = time.perf_counter()
    page.locator(".st-key-train_launch button").click()
    progress = page.locator("[data-testid='stProgress']")
    progress.first.wait_for(timeout=30000)
    first_progress = time.perf_counter() - started

    # The bar advances by itself: nothing is clicked while we watch its text change.
    seen = set()
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        # Read the bar's text in one step: it vanishes when the run ends, and a locator that
        # first counts and then reads can find it gone in between.
        for text in page.evaluate(PROGRESS_TEXTS):
            seen.add(re.sub(r"about .* left", "", text))
            screenshot(page, "training-live") if len(seen) == 2 else None
        if page.get_by_text("iteration 4000 of 4000", exact=False).count():
            break
        page.wait_for_timeout(250)
    assert len(seen) >= 2, f"the progress bar never moved: {seen}"
    page.locator("[data-testid='stPlotlyChart']").first.wait_for(timeout=30000)
    wait_for_app(page)
    assert page.get_by_text(FROM_CACHE, exact=False).count() == 0
    screenshot(page, "training-done")

    # The same configuration again: served from the cache, without a worker.
    started = time.perf_counter()
    page.locator(".st-key-train_launch button").click()
    page.get_by_text(FROM_CACHE, exact=False).first.wait_for(timeout=30000)
    cached = time.perf_counter() - started
    assert list(server.runs.glob("*.h5")).__len__() == 1
    assert_no_exception(page)
    assert not page.errors, page.errors
    print(f"\nTrain -> first progress in the browser: {first_progress:.2f} s (goal < 4 s); "
          f"cached run shown: {cached:.2f} s (goal < 1 s)")


def test_an_mnist_run_shows_its_quality_and_says_when_it_collapsed(page, server) -> None:
    """A ten-iteration mnist-cgan run, launched from a link, trains in a worker with both judges
    scoring its snapshots: the page then shows the quality figures and, since ten iterations
    learn no digit, the collapse verdict in plain words (English, then Chinese)."""
    page.goto(f"{server.url}/Training?train_preset=mnist-cgan&train_iterations=10&train_seed=777")
    wait_for_app(page, timeout_ms=60000)
    page.locator(".st-key-train_launch button").click()
    # The finished run's headline figures (the live view shows a verdict "so far" before them).
    page.locator("[data-testid='stMetricLabel']", has_text="worst digit recognised").first.wait_for(timeout=300000)
    wait_for_app(page)
    labels = page.locator("[data-testid='stMetricLabel']").all_inner_texts()
    assert any("diversity / real" in label for label in labels), labels
    verdicts = page.get_by_text("Mode collapse:", exact=False)
    assert verdicts.count() == 1 and "so far" not in verdicts.first.inner_text().lower()
    screenshot(page, "training-mnist-quality")
    page.goto(page.url.replace("/Training?", "/Training?lang=zh&", 1) if "lang=" not in page.url
              else page.url.replace("lang=en", "lang=zh"))
    wait_for_app(page, timeout_ms=60000)
    page.locator(".st-key-train_launch button").click()       # the same settings: served from the cache
    page.get_by_text("模式坍塌", exact=False).first.wait_for(timeout=60000)
    screenshot(page, "training-mnist-quality-zh")
    assert_no_exception(page)
    assert not page.errors, page.errors
