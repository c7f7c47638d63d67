"""`pip install .` gives an engine that works from any folder: the `gan-explorer` command
with every `python -m gan_engine` command, and the shipped models as package data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]
IGNORED = shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "__pycache__", "test-artifacts", "tests")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project installed by pip (without its dependencies, which this environment has)
    into a folder of its own, built from a copy so the checkout stays clean."""
    root = tmp_path_factory.mktemp("packaging")
    source = root / "source"
    shutil.copytree(REPO, source, ignore=IGNORED)
    target = root / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--target", str(target), str(source)], check=True, capture_output=True, timeout=300)
    return target


def _run(installed: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(installed)}
    return subprocess.run([str(installed / "bin" / "gan-explorer"), *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=120)


def test_the_console_script_offers_every_command_from_another_folder(installed: Path, tmp_path: Path) -> None:
    listing = _run(installed, "list", "--runs", str(tmp_path / "runs"), cwd=tmp_path)
    assert listing.returncode == 0, listing.stderr
    assert "no runs yet" in listing.stderr
    usage = _run(installed, "--help", cwd=tmp_path)
    assert usage.returncode == 0 and usage.stdout.startswith("usage: gan-explorer")
    for command in ("train", "sample", "list", "show", "cancel", "delete", "import", "sweep", "convert-faces",
                    "train-classifier", "score", "worker"):
        assert f"    {command} " in usage.stdout or f"    {command}\n" in usage.stdout, command


def test_the_installed_engine_is_the_copy_in_its_folder_and_ships_its_models(installed: Path,
                                                                             tmp_path: Path) -> None:
    out = tmp_path / "sevens.npy"
    sampled = _run(installed, "sample", "--run", "pretrained:mnist-cgan", "--n", "4", "--label", "7",
                   "--out", str(out), cwd=tmp_path)
    assert sampled.returncode == 0, sampled.stderr
    assert np.load(out).shape == (4, 28, 28)
    where = subprocess.run([sys.executable, "-c", "import gan_engine; print(gan_engine.__file__)"], cwd=tmp_path,
                           env={**os.environ, "PYTHONPATH": str(installed)}, capture_output=True, text=True)
    assert Path(where.stdout.strip()).is_relative_to(installed)
