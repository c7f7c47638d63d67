"""The Training page's run views under AppTest, on run files written here (no training):
what a finished, cancelled or published-comparison run shows, in both languages."""

from __future__ import annotations

import json
import math
from pathlib import Path

import h5py
import numpy as np
import pytest
from apphelpers import app_session, link_notes
from streamlit.testing.v1 import AppTest

from devtools.faults import make_finished
from gan_engine.config import PRESETS
from gan_engine.data.paths import uploads_root
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


# ---- links -------------------------------------------------------------------------------------

def test_a_shared_link_whose_run_is_cached_opens_that_run(store: RunStore) -> None:
    key = write_run(store, PRESETS["gauss1d"].replace(seed=35, iterations=100), metrics={"jsd": 0.02}, snapshots=2)
    at = app_session(PAGE, {"train_seed": "35", "train_iterations": "100"}).run()
    assert not at.exception
    assert at.session_state["train_active_key"] == key
    assert strings.EN["training.from_cache"] in [s.value for s in at.success]
    assert len(at.get("plotly_chart")) >= 3
    other = app_session(PAGE, {"train_seed": "36", "train_iterations": "100"}).run()     # not in the cache
    assert "train_active_key" not in other.session_state and not other.get("plotly_chart")


def test_an_unknown_language_is_named_once_and_leaves_the_address(store: RunStore) -> None:
    at = app_session(PAGE, {"lang": "xx", "train_k": "0"}).run()
    assert not at.exception
    assert link_notes(at) == [common.EN["link.language"].format(value="xx"),
                              strings.EN["training.url.clamped"].format(name="k", value="0", used="1")]
    assert "lang" not in at.query_params
    at.slider(key="train_k").set_value(4).run()
    assert not at.warning                                                    # said once


# ---- typed numbers (issue 15, defect 8) ------------------------------------------------------

@pytest.mark.parametrize(("key", "typed", "used", "outcome"), [
    ("train_iterations", "-5", 10, "clamped"),
    ("train_iterations", "1e3", 1000, None),
    ("train_iterations", "3.7", 10, "clamped"),
    ("train_iterations", "37.4", 37, "rounded"),
    ("train_iterations", "99999999", 1_000_000, "clamped"),
    ("train_iterations", "lots", 3000, "ignored"),
    ("train_seed", "-3", 0, "clamped"),
    ("train_seed", "12,345", 12345, None),
])
def test_a_typed_number_is_read_and_any_change_is_explained(store: RunStore, key: str, typed: str, used: int,
                                                            outcome: str | None) -> None:
    at = app_session(PAGE).run()
    at.text_input(key=key).input(typed).run()
    assert not at.exception
    assert at.text_input(key=key).value == str(used)                       # the box shows what is used
    notes = [w.value for w in at.sidebar.warning]
    if outcome is None:
        assert not notes, notes
    else:
        low, high = {"train_iterations": (10, 1_000_000), "train_seed": (0, 2**31 - 1)}[key]
        assert notes == [common.EN[f"input.{outcome}"].format(value=typed, low=f"{low:,}", high=f"{high:,}",
                                                               used=f"{used:,}")]
    at.run()                                                                # said once, not on every rerun
    assert not at.sidebar.warning
    assert at.query_params.get(key) in (None, str(used), [str(used)])


def test_typed_numbers_speak_chinese(store: RunStore) -> None:
    at = app_session(PAGE, {"lang": "zh"}).run()
    at.text_input(key="train_seed").input("-3").run()
    assert [w.value for w in at.sidebar.warning] == [common.ZH["input.clamped"].format(
        value="-3", low="0", high=f"{2**31 - 1:,}", used="0")]


# ---- the scrubber's cursor -------------------------------------------------------------------

def _vertical_lines(chart) -> list[float]:
    spec = json.loads(chart.proto.spec)
    return [shape["x0"] for shape in spec["layout"].get("shapes", []) if shape.get("yref") == "paper"]


def test_the_curves_carry_a_cursor_at_the_snapshot_the_scrubber_shows(store: RunStore) -> None:
    key = write_run(store, PRESETS["gauss1d"].replace(seed=37, iterations=300), metrics={"jsd": 0.05}, snapshots=3)
    at = opened(key)
    scrubber = at.select_slider(key="train_snapshot")
    assert scrubber.value == 300
    charts = at.get("plotly_chart")
    assert [_vertical_lines(chart) for chart in charts[:2]] == [[300], [300]]     # losses, D outputs
    assert _vertical_lines(charts[3]) == [300]                                    # the JSD curve
    scrubber.set_value(100).run()
    charts = at.get("plotly_chart")
    assert [_vertical_lines(chart) for chart in (charts[0], charts[1], charts[3])] == [[100], [100], [100]]
    assert strings.EN["training.snapshot_at"].format(iteration=100) in [c.value for c in at.caption]


# ---- a downloaded run file brought back -----------------------------------------------------------

@pytest.fixture(scope="module")
def downloaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, bytes]:
    """A finished run file as another machine's run library downloads it."""
    laptop = tmp_path_factory.mktemp("laptop")
    key = make_finished(laptop, seed=440)
    return key, (laptop / f"{key}.h5").read_bytes()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_downloaded_run_file_is_brought_back_and_opened(store: RunStore, downloaded, lang: str) -> None:
    key, content = downloaded
    at = app_session(PAGE, {"lang": lang}).run()
    at.segmented_control(key="train_view").set_value("library").run()
    at.file_uploader(key="train_import_file").upload(f"{key}.h5", content, "application/x-hdf5").run()
    assert not at.exception and not at.error
    table = strings.EN if lang == "en" else strings.ZH
    assert [s.value for s in at.success] == [table["training.import.imported"].format(
        preset="gauss1d", status=table["training.status.done"], run=key[:6])]
    assert store.summary(key).status == "done"
    assert key in set(at.dataframe[0].value["key"])                            # in the library at once
    at.button(key="train_import_open").click().run()
    assert at.session_state["train_active_key"] == key and not at.exception
    assert at.segmented_control(key="train_view").value == "train"


@pytest.mark.parametrize(("name", "content", "message_id"), [
    ("model.pt", b"\x80\x04\x95" + b"\0" * 64, "import_pickle"),
    ("notes.h5", b"just some text, not HDF5", "import_not_run"),
])
def test_a_foreign_file_gets_one_clear_message_in_the_pages_language(store: RunStore, name: str, content: bytes,
                                                                     message_id: str) -> None:
    at = app_session(PAGE, {"lang": "zh"}).run()
    at.segmented_control(key="train_view").set_value("library").run()
    at.file_uploader(key="train_import_file").upload(name, content).run()
    assert not at.exception
    assert [e.value for e in at.error] == [common.ZH[f"engine.{message_id}"].format(name=f"`{name}`")]
    assert store.list_runs().empty


def test_a_tampered_run_file_is_refused(store: RunStore, downloaded, tmp_path: Path) -> None:
    key, content = downloaded
    path = tmp_path / "edited.h5"
    path.write_bytes(content)
    with h5py.File(path, "a") as handle:                                       # its key no longer matches its settings
        summary = json.loads(handle.attrs["summary"])
        summary["config"]["k"] = 7
        handle.attrs["summary"] = json.dumps(summary)
    at = app_session(PAGE).run()
    at.segmented_control(key="train_view").set_value("library").run()
    at.file_uploader(key="train_import_file").upload("edited.h5", path.read_bytes()).run()
    assert not at.exception and len(at.error) == 1 and at.error[0].value.startswith("`edited.h5` cannot be imported")
    assert store.list_runs().empty


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_faces_file_that_does_not_fit_names_no_internal_function_and_no_server_path(
        store: RunStore, tmp_path: Path, lang: str) -> None:
    """Defect 7: the faces upload's message speaks of the visitor's file and the command they
    can run, never of the engine's functions or the server's folders."""
    wrong = tmp_path / "celeba.h5"
    with h5py.File(wrong, "w") as handle:                                       # HDF5, but no img_align_celeba group
        handle["images"] = np.zeros((2, 8, 8, 3), np.uint8)
    at = app_session(PAGE, {"lang": lang}).run()
    at.file_uploader(key="train_upload_faces").upload("celeba.h5", wrong.read_bytes()).run()
    errors = [e.value for e in at.sidebar.error]
    assert len(errors) == 1 and "celeba.h5" in errors[0], errors
    for hidden in ("images_to_hdf5", "load_faces", str(uploads_root()), str(tmp_path), "gan_engine."):
        assert hidden not in errors[0], (hidden, errors[0])
    if lang == "zh":
        assert errors[0].startswith(common.ZH["engine.upload_invalid"].split("{")[0])
