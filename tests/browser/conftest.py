"""Browser fixtures: the app started as the README says, driven by Playwright + Chromium.

The server is `streamlit run streamlit_app.py` on a free localhost port with an empty runs
directory; the browser is found by `devtools.browser.chromium_path` (Playwright's own
Chromium where it is installed, else the system's).
Screenshots go to `test-artifacts/screenshots/`, which the test run leaves behind.
"""

from __future__ import annotations

import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from devtools.browser import Server, launch_chromium, start_server, stop_server, wait_for_app  # noqa: F401 (tests import them here)

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Server:
    running = start_server(tmp_path_factory.mktemp("browser-runs"),
                           tmp_path_factory.mktemp("server") / "streamlit.log")
    yield running
    stop_server(running)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, server):
    """A fresh browser page; console errors and page errors are collected on `page.errors`."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.errors = []

    def base_path_probe(url: str) -> bool:
        # Opened at /Theory, Streamlit's frontend first probes /Theory/_stcore/... to find
        # the server's base path; those 404s are expected and not the app's errors.
        return "/_stcore/" in url and not url.split("/_stcore/")[0].rstrip("/").endswith(str(page_port(url)))

    def on_console(msg) -> None:
        if msg.type == "error" and not base_path_probe(msg.location.get("url", "")):
            page.errors.append(f"console: {msg.text} ({msg.location.get('url', '')})")

    def on_response(response) -> None:
        if response.status >= 400 and not base_path_probe(response.url):
            page.errors.append(f"http {response.status}: {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: page.errors.append(f"pageerror: {exc}"))
    page.on("response", on_response)
    yield page
    context.close()


def page_port(url: str) -> int:
    return urllib.parse.urlsplit(url).port or 80


def assert_no_exception(page) -> None:
    """No Streamlit exception box on the page."""
    boxes = page.locator("[data-testid='stException']")
    assert boxes.count() == 0, boxes.first.inner_text()


def screenshot(page, name: str) -> Path:
    """Save the whole page as `name`.png: Streamlit scrolls inside its main area, so the
    viewport is stretched to the content's height for the shot (at most 8,000 px)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    viewport = page.viewport_size
    height = page.evaluate("() => document.querySelector(\"[data-testid='stMain']\")?.scrollHeight ?? 0")
    if viewport and height > viewport["height"]:
        page.set_viewport_size({"width": viewport["width"], "height": min(height + 40, 8000)})
        page.wait_for_timeout(500)     # charts resize to the new viewport
    page.screenshot(path=str(path), full_page=True)
    if viewport:
        page.set_viewport_size(viewport)
    return path
