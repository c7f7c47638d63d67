"""Does GAN Explorer fit a hosted demo (~2.7 GB RAM, 2 cores)? Memory and latency as a visitor sees them.

    python benchmarks/hosted.py                  # everything (a few minutes)
    python benchmarks/hosted.py --theory-only    # only the Theory slider latency (15 moves)

Starts `streamlit run streamlit_app.py` as the README says (empty runs directory), drives it
with headless Chromium, and prints:
- the server's resident memory at start, after visiting every page, and while a run trains,
  and the training worker's own resident memory (a 1-D run, then an MNIST run);
- the median time from a Theory slider change to the updated JSD value, to the redrawn D*
  plot on screen (the issue's measure) and to the last chart redrawn, timed inside the page
  (see WATCH_NEXT_MOVE); from Train to the first progress; and to show a cached run;
side by side with the budget (2.7 GB for everything; 300 ms, 4 s and 1 s). Here Chromium
and the server share the machine's cores, which a visitor's own browser does not: the
browser-side figures are pessimistic for a hosted demo.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright  # noqa: E402

from devtools.browser import launch_chromium, start_server, stop_server, wait_for_app  # noqa: E402
from devtools.runs import worker_pids  # noqa: E402

BUDGET_MB = 2700
SERVER_PID = 0       # set by main(); read by train_and_measure()
RUNS = Path()        # the server's runs directory, likewise


def rss_mb(pid: int) -> float:
    """Resident memory of one process, in MB (from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def train_and_measure(page, url: str, query: str) -> tuple[float, float, float, float]:
    """Launch the run `query` describes; return (first progress s, peak worker MB, peak server MB, cached s)."""
    page.goto(f"{url}/Training?{query}")
    wait_for_app(page, timeout_ms=60000)
    started = time.perf_counter()
    page.locator(".st-key-train_launch button").click()
    page.locator("[data-testid='stProgress']").first.wait_for(timeout=60000)
    first_progress = time.perf_counter() - started
    worker_peak = server_peak = 0.0
    while page.locator("[data-testid='stProgress']").count():
        worker_peak = max([worker_peak, *[rss_mb(pid) for pid in worker_pids(RUNS)]])
        server_peak = max(server_peak, rss_mb(SERVER_PID))
        page.wait_for_timeout(500)
    wait_for_app(page)
    started = time.perf_counter()
    page.locator(".st-key-train_launch button").click()
    try:
        page.get_by_text("From cache", exact=False).first.wait_for(timeout=10000)
    except Exception:
        page.screenshot(path=str(Path(tempfile.gettempdir()) / "hosted-failure.png"))
        raise
    return first_progress, worker_peak, server_peak, time.perf_counter() - started


# Installed in the page before each key press: a capturing keydown listener stamps the
# slider change, and a requestAnimationFrame loop stamps the first frame that shows a new JSD
# value and the first frame whose D* plot has new curves (rAF runs just before the frame is
# painted); a MutationObserver stamps the last change anywhere in the main area, when every
# chart of the rerun has been redrawn. Timing inside the page leaves out Playwright's own round trips, which queue
# behind the browser's rendering and would add its whole duration to whatever is measured.
WATCH_NEXT_MOVE = """() => {
    const plot = () => [...document.querySelectorAll(".st-key-theory_fig_dstar path.js-line")]
        .map(e => e.getAttribute('d')).join('|');
    const jsd = () => [...document.querySelectorAll("[data-testid='stMetric']")]
        .find(e => e.innerText.includes('JSD (nats)'))?.innerText;
    const seen = {key: null, value: null, plot: null, settled: null, oldPlot: plot(), oldJsd: jsd()};
    window.__move = seen;
    document.addEventListener('keydown', () => { seen.key = performance.now(); }, {capture: true, once: true});
    // The last change anywhere in the main area: when the whole fragment has been redrawn.
    new MutationObserver(() => { if (seen.key !== null) seen.settled = performance.now() - seen.key; })
        .observe(document.querySelector("[data-testid='stMain']"),
                 {subtree: true, childList: true, attributes: true, characterData: true});
    const frame = () => {
        if (seen.key !== null) {
            const now = performance.now();
            if (seen.value === null && jsd() !== seen.oldJsd) seen.value = now - seen.key;
            if (seen.plot === null && plot() !== seen.oldPlot) seen.plot = now - seen.key;
        }
        if (seen.value === null || seen.plot === null) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
}"""


def theory_latency(page, url: str, moves: int = 9) -> tuple[float, float, float]:
    """Median seconds from a Theory slider key press to the new JSD value and to the redrawn D*
    plot on screen, and to the last change on the page (every chart redrawn)."""
    page.goto(f"{url}/Theory")
    wait_for_app(page, timeout_ms=60000)
    page.wait_for_selector(".st-key-theory_fig_dstar path.js-line", timeout=30000)
    thumb = page.locator(".st-key-theory_g_mu input[type='range']")
    to_value, to_plot, to_settled = [], [], []
    for i in range(moves):
        thumb.focus()
        page.evaluate(WATCH_NEXT_MOVE)
        page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        page.wait_for_function("() => window.__move.value !== null && window.__move.plot !== null", timeout=10000)
        wait_for_app(page)
        page.wait_for_function("() => performance.now() - window.__move.key - window.__move.settled > 500",
                               timeout=10000)
        seen = page.evaluate("() => window.__move")
        to_value.append(seen["value"] / 1000)
        to_plot.append(seen["plot"] / 1000)
        to_settled.append(seen["settled"] / 1000)
    return statistics.median(to_value), statistics.median(to_plot), statistics.median(to_settled)


def main(argv: list[str] | None = None) -> int:
    global SERVER_PID, RUNS
    theory_only = "--theory-only" in (sys.argv[1:] if argv is None else argv)
    work = Path(tempfile.mkdtemp(prefix="gan-hosted-"))
    shared_mnist = Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist"
    if "GAN_EXPLORER_DATA" not in os.environ and shared_mnist.is_dir():
        os.environ["GAN_EXPLORER_DATA"] = str(shared_mnist)
    RUNS = work / "runs"
    server = start_server(RUNS, work / "streamlit.log")
    SERVER_PID = server.process.pid
    try:
        at_start = rss_mb(SERVER_PID)
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            if theory_only:
                slider = theory_latency(page, server.url, moves=15)
                browser.close()
                print(f"{'Theory slider -> updated JSD, median (ms)':<52}{slider[0] * 1000:>14.1f}{'':>12}")
                print(f"{'Theory slider -> updated plot, median (ms)':<52}{slider[1] * 1000:>14.1f}{300:>12}")
                print(f"{'Theory slider -> every chart redrawn, median (ms)':<52}{slider[2] * 1000:>14.1f}{'':>12}")
                return 0
            for path in ("", "Theory", "Training", "Gallery"):
                page.goto(f"{server.url}/{path}")
                wait_for_app(page, timeout_ms=60000)
            page.locator("[data-testid='stImage'] img").first.wait_for(timeout=60000)
            after_pages = rss_mb(SERVER_PID)
            slider = theory_latency(page, server.url)
            toy = train_and_measure(page, server.url, "train_preset=gauss1d&train_iterations=1500")
            mnist = train_and_measure(page, server.url, "train_preset=mnist-gan&train_iterations=300")
            browser.close()
    finally:
        stop_server(server)
    print(f"{'measure':<52}{'GAN Explorer':>14}{'budget':>12}")
    rows = [
        ("server RSS at start (MB)", at_start, BUDGET_MB),
        ("server RSS after visiting every page (MB)", after_pages, BUDGET_MB),
        ("server RSS while a 1-D run trains (MB)", toy[2], BUDGET_MB),
        ("worker RSS, 1-D run (MB)", toy[1], BUDGET_MB),
        ("server RSS while an MNIST run trains (MB)", mnist[2], BUDGET_MB),
        ("worker RSS, MNIST run (MB)", mnist[1], BUDGET_MB),
        ("server + MNIST worker (MB)", mnist[2] + mnist[1], BUDGET_MB),
        ("Theory slider -> updated JSD, median (ms)", slider[0] * 1000, ""),
        ("Theory slider -> updated plot, median (ms)", slider[1] * 1000, 300),
        ("Theory slider -> every chart redrawn, median (ms)", slider[2] * 1000, ""),
        ("Train -> first progress, 1-D (s)", toy[0], 4),
        ("Train -> first progress, MNIST (s)", mnist[0], 4),
        ("cached run shown (s)", toy[3], 1),
    ]
    for name, value, budget in rows:
        print(f"{name:<52}{value:>14.1f}{budget:>12}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
