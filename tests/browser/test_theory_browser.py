"""The Theory page in a real browser: a slider moves the numbers and the plot."""

from __future__ import annotations

import statistics
import time

import pytest

from tests.browser.conftest import assert_no_exception, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def metric_value(page, label: str) -> str:
    metric = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    return metric.locator("[data-testid='stMetricValue']").inner_text()


def first_trace_path(page) -> str:
    """The SVG path of the first curve of the densities plot (changes when p_g moves)."""
    chart = page.locator(".st-key-theory_fig_dstar")
    chart.scroll_into_view_if_needed()
    return chart.locator("path.js-line").nth(1).get_attribute("d")


def test_slider_moves_jsd_and_plot(page, server) -> None:
    page.goto(f"{server.url}/Theory")
    wait_for_app(page, timeout_ms=60000)
    page.wait_for_selector(".st-key-theory_fig_dstar path.js-line", timeout=30000)
    jsd_before = metric_value(page, "JSD (nats)")
    path_before = first_trace_path(page)
    screenshot(page, "theory")

    thumb = page.locator(".st-key-theory_g_mu input[type='range']")
    latencies = []
    for _ in range(5):
        previous = metric_value(page, "JSD (nats)")
        thumb.focus()
        started = time.perf_counter()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            """([label, old]) => {
                const m = [...document.querySelectorAll("[data-testid='stMetric']")]
                    .find(e => e.innerText.includes(label));
                return m && !m.innerText.includes(old);
            }""", arg=["JSD (nats)", previous], timeout=30000)
        latencies.append(time.perf_counter() - started)
    wait_for_app(page)
    assert metric_value(page, "JSD (nats)") != jsd_before
    assert first_trace_path(page) != path_before
    assert_no_exception(page)
    assert not page.errors, page.errors
    print(f"\nTheory slider -> updated JSD in the browser: median {statistics.median(latencies) * 1000:.0f} ms "
          f"(n={len(latencies)}, goal < 300 ms)")


def open_tab(page, label: str) -> None:
    page.locator("[data-testid='stTab']").filter(has_text=label).click()
    page.locator("[data-testid='stTabs'] h3").filter(has_text=label.split(" · ")[0] + " · ").first.wait_for()
    wait_for_app(page)


def test_section_tabs_draw_lazily_and_keep_the_students_discriminator(page, server) -> None:
    page.goto(f"{server.url}/Theory")
    wait_for_app(page, timeout_ms=60000)
    page.wait_for_selector(".st-key-theory_fig_disc path.js-line", timeout=30000)
    assert page.locator(".st-key-theory_fig_sweep").count() == 0          # a closed tab is not drawn
    slope = page.locator(".st-key-theory_disc_a input[type='range']")
    slope.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")                                 # a: −1.0 → −0.5
    page.wait_for_function("() => document.querySelector(\".st-key-theory_disc_a [data-testid='stSliderThumbValue']\")"
                           "?.innerText === '-0.50'", timeout=30000)
    wait_for_app(page)
    mine = metric_value(page, "V(D, G), your D")

    open_tab(page, "5 · Vanishing gradients")
    page.wait_for_selector(".st-key-theory_fig_sweep path.js-line", timeout=30000)
    assert page.locator(".st-key-theory_fig_disc").count() == 0
    open_tab(page, "4 · Divergences")
    assert metric_value(page, "difference").endswith(("e-16", "e-17", "e+00"))
    open_tab(page, "6 · Generator losses")
    page.wait_for_selector(".st-key-theory_fig_losses path.js-line", timeout=30000)
    open_tab(page, "7 · Equilibrium")
    assert "1/2" in page.locator("[data-testid='stTable']").inner_text()
    screenshot(page, "theory-equilibrium")
    open_tab(page, "3 · Value function")
    page.wait_for_selector(".st-key-theory_fig_disc path.js-line", timeout=30000)
    assert metric_value(page, "V(D, G), your D") == mine                  # the slider kept −0.5
    assert_no_exception(page)
    assert not page.errors, page.errors
