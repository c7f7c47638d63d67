"""The Training page shows an MNIST run's quality: the verdict, the judges' headline figures, the
quality charts, and the quality metrics offered in Sweep and Compare (AppTest)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from apphelpers import app_session
from gan_engine.config import PRESETS
from gan_engine.runs.runfile import RunRecord, write_run_file
from gan_engine.runs.store import RunStore
from ui.strings import training as strings

PAGE = "pages/2_Training.py"
WAIT_SECONDS = 300


@pytest.fixture()
def runs_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GAN_EXPLORER_RUNS", str(tmp_path))
    monkeypatch.setenv("GAN_EXPLORER_THREADS", "1")
    return tmp_path


def _judged_run(store: RunStore, seed: int, accuracy: float, diversity: float, produced: int) -> str:
    """A finished mnist-cgan run whose three snapshots carry the judges' scores."""
    config = PRESETS["mnist-cgan"].replace(seed=seed, iterations=20)
    record = RunRecord(key=config.key(), config=config, status="done", device="cpu", total=20, started=1.0,
                       finished=3.0, seconds=2.0)
    for iteration in (0, 10, 20):
        grow = iteration / 20
        record.add_log(max(iteration, 1), 20, {"loss_d": 1.2, "loss_g": 0.9, "d_real": 0.6, "d_fake": 0.4,
                                               "seconds": 0.1 * iteration})
        per_digit = np.full(10, accuracy * grow)
        per_digit[:10 - produced] = 0.1 * grow
        record.add_metrics(iteration, {"digits_produced": float((per_digit >= 0.5).sum()),
                                       "min_accuracy": float(per_digit.min()), "diversity_ratio": diversity * grow,
                                       "frechet": 400.0 - 380 * grow, "frechet_floor": 16.6,
                                       "frechet_ratio": (400.0 - 380 * grow) / 16.6, "judge_disagreement": 0.02,
                                       **{f"accuracy_{d}": float(v) for d, v in enumerate(per_digit)},
                                       "quality_seconds": 0.01 * (iteration / 10 + 1), "quality_samples": 200.0})
        images = np.random.default_rng(iteration).integers(0, 256, size=(20, 28, 28), dtype=np.uint8)
        record.add_snapshot(iteration, {"images": images, "labels": np.arange(20) % 10})
    write_run_file(store.run_path(record.key), record)
    return record.key


def _open(at, key: str) -> None:
    at.segmented_control(key="train_view").set_value("library").run()
    at.text_input(key="train_library_filter").input(key).run()
    at.button(key="train_library_open").click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_an_mnist_run_shows_its_quality_and_a_collapsed_one_its_verdict(runs_dir: Path) -> None:
    store = RunStore(runs_dir)
    healthy = _judged_run(store, 201, accuracy=0.98, diversity=0.9, produced=10)
    collapsed = _judged_run(store, 202, accuracy=0.99, diversity=0.03, produced=1)
    at = app_session(PAGE).run()

    _open(at, healthy)
    labels = [metric.label for metric in at.metric]
    assert labels == [strings.EN[f"training.plot.{name}"] for name in
                      ("digits_produced", "min_accuracy", "diversity_ratio", "frechet", "judge_disagreement")]
    assert [metric.value for metric in at.metric][:3] == ["10 / 10", "98.0%", "90%"]
    assert any(s.value.startswith("Every digit produced") for s in at.success), [s.value for s in at.success]
    assert len(at.get("plotly_chart")) == 5        # losses, D outputs, image grid, quality, Fréchet distance
    assert any("1.5%" in caption.value for caption in at.caption)   # judging cost 0.03 s of 2 s

    _open(at, collapsed)
    assert [e.value for e in at.error] == ["Mode collapse: 1 of 10 digits produced, diversity 3% of real digits'."]

    at.segmented_control(key="train_view").set_value("sweep").run()
    sweep_metrics = at.selectbox(key="train_sweep_metric").options
    assert sweep_metrics[:3] == [strings.EN["training.plot.digits_produced"], strings.EN["training.plot.min_accuracy"],
                                 strings.EN["training.plot.diversity_ratio"]]
    at.segmented_control(key="train_view").set_value("compare").run()
    at.multiselect(key="train_compare_runs").set_value([healthy, collapsed])
    at.selectbox(key="train_compare_metric").set_value("diversity_ratio").run()
    assert not at.exception and len(at.get("plotly_chart")) == 1


def test_a_launched_mnist_run_shows_the_judges_scores(runs_dir: Path) -> None:
    at = app_session(PAGE, {"train_preset": "mnist-cgan", "train_iterations": "10"}).run()
    at.button(key="train_launch").click().run()
    deadline = time.monotonic() + WAIT_SECONDS
    while "train_cancel" in {button.key for button in at.button}:
        assert not at.exception, [e.value for e in at.exception]
        assert time.monotonic() < deadline, f"the run did not finish in {WAIT_SECONDS} s"
        time.sleep(1.0)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    summary = RunStore(runs_dir).summary(at.session_state["train_active_key"])
    assert summary.status == "done" and summary.metrics["quality_samples"] == 2000
    assert strings.EN["training.plot.min_accuracy"] in [metric.label for metric in at.metric]
    assert [e.value for e in at.error][0].startswith("Mode collapse:")    # ten iterations learn no digit
