"""Test-wide settings: where data comes from and where runs go.

Every test session gets its own empty runs directory, so nothing a test trains lands in
the user's cache. MNIST is taken from the shared offline copy beside the repository
(`../shared/data/mnist`, the 10,000-image test split) when it is there; otherwise the
engine's own search (and, with network, its downloader) applies.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from runhelpers import kill_workers

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_MNIST = REPO_ROOT.parent / "shared" / "data" / "mnist"


def pytest_configure(config: pytest.Config) -> None:
    if "GAN_EXPLORER_DATA" not in os.environ and SHARED_MNIST.is_dir():
        os.environ["GAN_EXPLORER_DATA"] = str(SHARED_MNIST)
    os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")


@pytest.fixture(scope="session", autouse=True)
def session_runs_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty runs directory for the whole test session (tests may use their own)."""
    runs = tmp_path_factory.mktemp("runs")
    previous = os.environ.get("GAN_EXPLORER_RUNS")
    os.environ["GAN_EXPLORER_RUNS"] = str(runs)
    yield runs
    if previous is None:
        os.environ.pop("GAN_EXPLORER_RUNS", None)
    else:
        os.environ["GAN_EXPLORER_RUNS"] = previous


@pytest.fixture
def runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty runs directory whose workers use one thread and are killed at the end."""
    monkeypatch.setenv("GAN_EXPLORER_THREADS", "1")
    runs = tmp_path / "runs"
    yield runs
    kill_workers(runs)
