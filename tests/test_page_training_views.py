"""The Training page's run views under AppTest, on run files written here (no training):
what a finished, cancelled or published-comparison run shows, in both languages."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from apphelpers import app_session
from streamlit.testing.v1 import AppTest

from gan_engine.config import PRESETS
from gan_engine.runs.runfile import RunRecord, write_run_file
from gan_engine.runs.store import RunStore
from ui.strings import common
from ui.strings import training as strings

PAGE = "pages/2_Training.py"


@pytest.fixture()
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RunStore:
    monkeypatch.setenv("GAN_EXPLORER_RUNS", str(tmp_path / "runs"))
    store = RunStore(tmp_path / "runs")
    store.dir.make_dirs()
    return store


def write_run(store: RunStore, config, status: str = "done", iteration: int | None = None,
              metrics: dict[str, float] | None = None, snapshots: int = 0) -> str:
    """A run file of `config` as the worker leaves it: logs every 10 iterations up to `iteration`."""
    iteration = config.iterations if iteration is None else iteration
    record = RunRecord(key=config.key(), config=config, status=status, device="cpu", total=config.iterations,
                       started=1.0, finished=8.0)
    for step in range(10, iteration + 1, 10):
        record.add_log(step, config.iterations, {"loss_d": 1.3, "loss_g": 0.7, "d_real": 0.55, "d_fake": 0.45,
                                                 "seconds": 7.0 * step / iteration})
    if metrics:
        record.add_metrics(iteration, metrics)
    for index in range(snapshots):
        step = (index + 1) * iteration // snapshots
        record.add_snapshot(step, snapshot_1d(shift=index))
    write_run_file(store.run_path(record.key), record)
    return record.key


def snapshot_1d(shift: float = 0.0) -> dict[str, np.ndarray]:
    x = np.linspace(-2, 6, 200, dtype=np.float32)
    p_data = np.exp(-0.5 * ((x - 2) / 0.5) ** 2) / (0.5 * np.sqrt(2 * np.pi))
    p_g = np.exp(-0.5 * (x - shift) ** 2) / np.sqrt(2 * np.pi)
    z = np.linspace(-3, 3, 50, dtype=np.float32)
    return {"x": x, "p_data": p_data.astype(np.float32), "p_g": p_g.astype(np.float32),
            "d": np.full_like(x, 0.5), "d_star": (p_data / (p_data + p_g)).astype(np.float32),
            "z": z, "g_z": z.copy()}


def opened(key: str, query: dict[str, str] | None = None) -> AppTest:
    """The Training page showing run `key`, as the library's Open button leaves it."""
    at = app_session(PAGE, query)
    at.session_state["train_open_pending"] = key
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_cancelled_run_says_where_it_stopped(store: RunStore, lang: str) -> None:
    config = PRESETS["gauss1d"].replace(seed=31)
    key = write_run(store, config, status="cancelled", iteration=810)
    at = opened(key, {"lang": lang})
    table = strings.EN if lang == "en" else strings.ZH
    captions = [c.value for c in at.caption]
    expected = table["training.stopped.cancelled"].format(device="cpu", seconds="0:07", iteration=810, total=3000)
    assert expected in captions, captions
    trained = table["training.trained_on"].format(device="cpu", seconds="0:07", iteration=810, total=3000)
    assert trained not in captions


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_published_results_show_a_dash_where_a_paper_gives_no_value(store: RunStore, lang: str) -> None:
    config = PRESETS["ring2d"].replace(seed=32, iterations=100)
    key = write_run(store, config, metrics={"modes_captured": 8.0, "hq_fraction": 0.985, "reverse_kl": 0.0021})
    at = opened(key, {"lang": lang})
    table = at.dataframe[0].value
    cells = table.to_numpy().ravel().tolist()
    assert not any(cell is None or (isinstance(cell, float) and math.isnan(cell)) for cell in cells), table
    assert not any(str(cell) in ("None", "nan", "NaN", "<NA>") for cell in cells), table
    gan = table[table.iloc[:, 0] == "GAN"].iloc[0]
    assert gan.iloc[-1] == "—"                                      # PacGAN's paper gives no reverse KL for GAN
    assert table.iloc[0, -1] == "0.0021"                            # this run's own value, formatted


# ---- everything in the page's language (issue 15, defect 3) --------------------------------

def test_loss_and_optimizer_options_are_translated_and_the_link_keeps_their_names(store: RunStore) -> None:
    at = app_session(PAGE, {"lang": "zh", "train_loss": "lsgan", "train_optimizer": "sgd"}).run()
    assert not at.exception
    loss, optimizer = at.selectbox(key="train_loss"), at.selectbox(key="train_optimizer")
    assert (loss.value, optimizer.value) == ("lsgan", "sgd")
    assert loss.options == [strings.ZH[f"training.loss.{name}"] for name in ("minimax", "nonsaturating", "lsgan")]
    assert optimizer.options == [strings.ZH[f"training.optimizer.{name}"] for name in ("adam", "sgd")]
    assert not at.warning
    loss.set_value("minimax").run()
    assert at.query_params["train_loss"] in ("minimax", ["minimax"])          # the name, in every language
    assert at.query_params["train_optimizer"] in ("sgd", ["sgd"])
    optimizer.set_value("adam").run()                                          # the preset's own: off the address
    assert "train_optimizer" not in at.query_params


def test_the_run_library_speaks_chinese(store: RunStore) -> None:
    write_run(store, PRESETS["gauss1d"].replace(seed=33, iterations=100), metrics={"jsd": 0.01})
    write_run(store, PRESETS["gauss1d"].replace(seed=34, iterations=100), status="cancelled", iteration=50)
    at = app_session(PAGE, {"lang": "zh"}).run()
    at.segmented_control(key="train_view").set_value("library").run()
    assert not at.exception
    frame = at.dataframe[0]
    labels = {name: spec.get("label") for name, spec in json.loads(frame.proto.columns).items()}
    for column in ("key", "preset", "loss", "status", "iterations", "created"):
        assert labels.get(column) == strings.ZH[f"training.column.{column}"], (column, labels.get(column))
    assert sorted(frame.value["status"]) == sorted([strings.ZH["training.status.done"],
                                                    strings.ZH["training.status.cancelled"]])
    assert set(frame.value["loss"]) == {strings.ZH["training.loss.nonsaturating"]}
    assert all(label.endswith(key[:6]) and "it ·" not in label            # the run picker too
               for label, key in zip(at.selectbox(key="train_library_run").options, frame.value["key"]))
    at.text_input(key="train_library_filter").input(strings.ZH["training.status.cancelled"]).run()
    assert len(at.dataframe[0].value) == 1                                   # the filter reads what is shown


def test_a_refused_upload_is_explained_in_the_pages_language(store: RunStore) -> None:
    at = app_session(PAGE, {"lang": "zh"}).run()
    at.file_uploader(key="train_upload_faces").upload("notes.txt", b"not an hdf5 file", "text/plain").run()
    assert not at.exception
    errors = [e.value for e in at.sidebar.error]
    expected = common.ZH["engine.upload_faces_not_hdf5"].format(name="`notes.txt`")
    assert errors == [expected], errors
    at.sidebar.segmented_control(key="common_lang").set_value("en").run()     # follows a language switch
    assert [e.value for e in at.sidebar.error] == [common.EN["engine.upload_faces_not_hdf5"].format(name="`notes.txt`")]


def test_a_visitor_is_not_shown_the_servers_folders(store: RunStore, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "srv-private-data"
    monkeypatch.setenv("GAN_EXPLORER_DATA", str(secret))
    monkeypatch.delenv("GAN_EXPLORER_LOCAL", raising=False)
    for lang in ("en", "zh"):
        at = app_session(PAGE, {"lang": lang}).run()
        texts = [c.value for c in at.sidebar.caption]
        assert any("faces" in text for text in texts), texts                   # the hint is there...
        assert not any(str(secret) in text or "srv-private-data" in text for text in texts), texts   # ...no path
    monkeypatch.setenv("GAN_EXPLORER_LOCAL", "1")                            # the owner of a laptop sees where
    at = app_session(PAGE).run()
    assert any(str(secret) in c.value for c in at.sidebar.caption)
