"""Browser fixtures: the app started as the README says, driven by Playwright + Chromium.

The server is `streamlit run streamlit_app.py` on a free localhost port with an empty runs
directory; the browser is Debian's Chromium (Playwright cannot download its own here).
Screenshots go to `test-artifacts/screenshots/`, which the test run leaves behind.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


def chromium_path() -> str:
    """Debian's Chromium, or the one named by $GAN_EXPLORER_CHROMIUM."""
    candidates = [os.environ.get("GAN_EXPLORER_CHROMIUM", ""), "/usr/bin/chromium",
                  shutil.which("chromium") or "", shutil.which("chromium-browser") or ""]
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            return candidate
    raise RuntimeError("Chromium not found: install Debian's `chromium` package "
                       "(apt-get install chromium) or set GAN_EXPLORER_CHROMIUM.")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A running `streamlit run streamlit_app.py` and what the tests need to reach it."""

    def __init__(self, port: int, runs: Path, process: subprocess.Popen, log: Path) -> None:
        self.port, self.runs, self.process, self.log = port, runs, process, log
        self.url = f"http://localhost:{port}"


def start_server(runs: Path, log: Path, extra_env: dict[str, str] | None = None) -> Server:
    """Start the app exactly as the README says and wait for its health endpoint."""
    port = _free_port()
    env = dict(os.environ, GAN_EXPLORER_RUNS=str(runs), **(extra_env or {}))
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
             "--server.port", str(port), "--server.headless", "true"],
            cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://localhost:{port}/_stcore/health", timeout=2) as reply:
                if reply.read().strip() == b"ok":
                    return Server(port, runs, process, log)
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"streamlit did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.3)


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


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
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
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


def wait_for_app(page, timeout_ms: int = 30000) -> None:
    """Wait until Streamlit has finished running the script for the current page."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout_ms)
    # Every page runs inside the navigation (Streamlit's menu) and the frame (the language
    # switch), and draws a title soon after.
    page.wait_for_selector("[data-testid='stSidebarNav'] [data-testid='stSidebarNavLink']", timeout=timeout_ms)
    page.wait_for_selector("[data-testid='stSidebar'] .st-key-common_lang", timeout=timeout_ms)
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=timeout_ms)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms)
    page.wait_for_timeout(300)


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
