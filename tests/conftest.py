"""Test-wide settings: where data comes from and where runs go.

Every test session gets its own empty runs directory, so nothing a test trains lands in
the user's cache. MNIST comes from the small fixture committed in tests/data/mnist (2,000
digits of the official test split; its README gives source, licence and checksums) unless
`GAN_EXPLORER_DATA` is already set, so a clone placed anywhere passes without network.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from devtools.runs import kill_workers

FIXTURE_MNIST = Path(__file__).resolve().parent / "data" / "mnist"


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("GAN_EXPLORER_DATA", str(FIXTURE_MNIST))
    # visitors' uploads of the whole session land in a folder of its own, not the user's cache,
    # removed when the session ends
    if "GAN_EXPLORER_UPLOADS" not in os.environ:
        folder = tempfile.mkdtemp(prefix="gan-explorer-uploads-")
        _SESSION_UPLOADS.append(folder)
        os.environ["GAN_EXPLORER_UPLOADS"] = folder
    os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")


_SESSION_UPLOADS: list[str] = []


def pytest_unconfigure(config: pytest.Config) -> None:
    for folder in _SESSION_UPLOADS:
        shutil.rmtree(folder, ignore_errors=True)


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


@pytest.fixture(scope="session")
def full_mnist_test_split() -> Path:
    """The official 10,000-image MNIST test split, for the few checks that need exactly it
    (the shipped classifier's recorded held-out accuracy). Found through a
    `GAN_EXPLORER_DATA` you set yourself, else `../shared/data/mnist` beside the repository,
    where the project's machines and CI keep it."""
    candidates = [Path(os.environ["GAN_EXPLORER_DATA"])] if os.environ["GAN_EXPLORER_DATA"] != str(FIXTURE_MNIST) else []
    candidates.append(Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist")
    for folder in candidates:
        if (folder / "t10k-images-idx3-ubyte.gz").is_file() or (folder / "mnist" / "t10k-images-idx3-ubyte.gz").is_file():
            return folder
    pytest.skip("needs the full MNIST test split: set GAN_EXPLORER_DATA to a folder holding it")
