"""Starting the dashboard as the README says, and finding a Chromium to drive it: shared by
the browser tests and the benchmarks."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


def chromium_path() -> str | None:
    """The Chromium to drive, found the ecosystem's way first.

    1. $GAN_EXPLORER_CHROMIUM, if set;
    2. Playwright's own Chromium, if `python -m playwright install chromium` has fetched it
       (the usual way on a laptop, Mac and Windows included): returns None, meaning
       "Playwright's default";
    3. a system Chromium (Debian's `chromium` package, and the like), for machines that
       cannot download browsers;
    4. otherwise Playwright's installer is run once, and its own Chromium used.
    """
    named = os.environ.get("GAN_EXPLORER_CHROMIUM", "")
    if named:
        if not Path(named).exists():
            raise RuntimeError(f"GAN_EXPLORER_CHROMIUM names {named}, which does not exist.")
        return named
    if _playwright_chromium_installed():
        return None
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser"),
                      shutil.which("google-chrome")):
        if candidate and Path(candidate).exists():
            return candidate
    installer = subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"],
                               capture_output=True, text=True, timeout=900)
    if installer.returncode == 0 and _playwright_chromium_installed():
        return None
    raise RuntimeError("No Chromium for the browser tests: `python -m playwright install chromium` failed "
                       f"({installer.stderr.strip()[-300:]}); install a system Chromium (Debian/Ubuntu: "
                       "apt-get install chromium fonts-noto-cjk) or set GAN_EXPLORER_CHROMIUM.")


def _playwright_chromium_installed() -> bool:
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            return Path(playwright.chromium.executable_path).exists()
    except Exception:   # noqa: BLE001 - a missing or broken browser cache means "not installed"
        return False


def launch_chromium(playwright):
    """A headless Chromium from `chromium_path()`."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)


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
