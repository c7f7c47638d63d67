"""The Gallery page in a real browser: the shipped generator draws, changes, interpolates."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_exception, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def image_sources(page) -> list[str]:
    return [img.get_attribute("src") for img in page.locator("[data-testid='stImage'] img").all()]


def choose(page, key: str, option: str) -> None:
    """Pick `option` in the selectbox with widget key `key`, and wait for the pictures to change.

    wait_for_app alone can return before the rerun has begun on a loaded machine; a picture
    that never changes fails here, after 30 s.
    """
    before = image_sources(page)
    page.locator(f".st-key-{key} [role='combobox']").click()
    page.get_by_role("option", name=option, exact=True).click()
    page.wait_for_function(
        """before => {
            const now = [...document.querySelectorAll("[data-testid='stImage'] img")].map(img => img.getAttribute("src"));
            return now.length > 0 && JSON.stringify(now) !== JSON.stringify(before);
        }""", arg=before, timeout=30000)
    wait_for_app(page)


def test_digit_grid_changes_with_the_digit_and_interpolation_runs(page, server) -> None:
    page.goto(f"{server.url}/Gallery")
    wait_for_app(page, timeout_ms=60000)
    page.locator("[data-testid='stImage'] img").first.wait_for(timeout=30000)
    all_digits = image_sources(page)
    screenshot(page, "gallery")

    choose(page, "gallery_digit", "7")
    sevens = image_sources(page)
    assert sevens and sevens != all_digits
    choose(page, "gallery_digit", "3")
    threes = image_sources(page)
    assert threes and threes != sevens

    page.locator(".st-key-gallery_view").get_by_text("Interpolate", exact=True).first.click()
    wait_for_app(page)
    page.locator(".st-key-gallery_norm_plot").wait_for(timeout=30000)
    assert len(image_sources(page)) >= 2          # the lerp and the slerp strip
    screenshot(page, "gallery-interpolation")
    assert_no_exception(page)
    assert not page.errors, page.errors
