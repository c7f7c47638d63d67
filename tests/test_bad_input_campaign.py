"""The malformed-input corpus (tests/malformed) through every door: command line, Runner, page.

tests/test_malformed_corpus.py proves each file gives one clear DataError from the loaders.
Here the same files go through what people use: `python -m gan_engine train --data FILE`
(and `convert-faces`, `sample --run`), `Runner.launch`, and the Training page's upload
control. Each must end in one message naming the problem, with no traceback, and leave
nothing in the runs directory (not even the directory) and nothing in the uploads folder.
Also here: uploads' size cap and generated names, pickles posing as weights, and data paths
kept inside the data directory.
"""

from __future__ import annotations

import ast
import gzip
import json
import os
import pickle
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest
import torch
from streamlit.testing.v1 import AppTest

from gan_engine.cli import main
from gan_engine.config import preset
from gan_engine.data.paths import resolve_data_path
from gan_engine.data.uploads import MAX_UPLOAD_BYTES, MAX_UPLOAD_MB, store_upload, uploads_dir
from gan_engine.errors import DataError, RunError
from gan_engine.limits import Limits
from gan_engine.runs.runner import Runner
from gan_engine.runs.store import RunStore, open_run
from apphelpers import app_session
from devtools.runs import kill_workers, malformed_cli_argv

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "malformed"
MANIFEST: list[dict[str, str]] = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
IDS = [case["id"] for case in MANIFEST]
# The page takes uploads, not folders or weights: these cases meet the upload's own rules first.
PAGE_EXPECT = {"idx-huge-count-gzip": "declares 4,000,000,000 items", "idx-missing-labels": "needs its labels file",
               "weights-pickle": "neither an MNIST IDX file"}
PAGE_EXPECT |= {case["id"]: "takes one HDF5 file" for case in MANIFEST if case["loader"] == "images_to_hdf5"}


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data directory and an uploads folder of the test's own, hosted-demo settings."""
    root = tmp_path / "data"
    root.mkdir()
    monkeypatch.setenv("GAN_EXPLORER_DATA", str(root))
    monkeypatch.setenv("GAN_EXPLORER_UPLOADS", str(tmp_path / "uploads"))
    monkeypatch.delenv("GAN_EXPLORER_LOCAL", raising=False)
    return root


def nothing_written(runs: Path) -> bool:
    return not runs.exists()


def case_files(case: dict[str, str]) -> list[Path]:
    """The files of a case as a person would pick them: the case's folder, all of it."""
    path = CORPUS / case["path"]
    folder = path if path.is_dir() else path.parent
    return sorted(p for p in folder.rglob("*") if p.is_file())


def idx_bytes(magic: int, array: np.ndarray) -> bytes:
    header = magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in array.shape)
    return header + array.astype(np.uint8).tobytes()


def digits(count: int = 120) -> tuple[bytes, bytes]:
    """A valid gzipped IDX pair of `count` random 'digits' (images file, labels file)."""
    images = np.random.default_rng(0).integers(0, 256, (count, 28, 28))
    return gzip.compress(idx_bytes(2051, images)), idx_bytes(2049, np.arange(count) % 10)


# ---- the command line -----------------------------------------------------------------------

@pytest.mark.parametrize("case", MANIFEST, ids=IDS)
def test_the_command_line_refuses_each_input_in_one_line(case: dict[str, str], tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    runs, out = tmp_path / "runs", tmp_path / "out"
    out.mkdir()
    assert main(malformed_cli_argv(case, runs, out)) == 2
    captured = capsys.readouterr()
    expect = "pickle" if case["loader"] == "weights" else case["expect"]
    assert captured.err.startswith("error: ") and captured.err.count("\n") == 1, captured.err
    assert expect in captured.err and Path(case["path"]).name in captured.err
    assert captured.out == ""
    assert nothing_written(runs) and list(out.iterdir()) == []


@pytest.mark.parametrize("case_id", ["idx-wrong-magic", "csv-non-numeric", "h5-truncated", "folder-non-image",
                                     "weights-pickle"])
def test_a_real_process_says_one_line_too(case_id: str, tmp_path: Path) -> None:
    (case,) = [c for c in MANIFEST if c["id"] == case_id]
    runs, out = tmp_path / "runs", tmp_path / "out"
    out.mkdir()
    done = subprocess.run([sys.executable, "-m", "gan_engine", *malformed_cli_argv(case, runs, out)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert ("pickle" if case_id == "weights-pickle" else case["expect"]) in done.stderr
    assert nothing_written(runs) and list(out.iterdir()) == []


# ---- the Runner: a pre-flight check before anything is written ------------------------------

@pytest.mark.parametrize("case", [c for c in MANIFEST if c["loader"] in ("load_mnist", "load_faces")],
                         ids=[c["id"] for c in MANIFEST if c["loader"] in ("load_mnist", "load_faces")])
def test_runner_launch_checks_the_data_before_writing_anything(case: dict[str, str], tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    name = "mnist-gan" if case["loader"] == "load_mnist" else "faces"
    config = preset(name, iterations=20, batch_size=32, data_path=str(CORPUS / case["path"]))
    with pytest.raises(DataError) as caught:
        Runner(RunStore(runs), allow_any_data_path=True).launch(config)
    assert case["expect"] in str(caught.value)
    assert nothing_written(runs)


def test_a_file_spoiled_after_a_passing_check_is_checked_again(tmp_path: Path) -> None:
    images, labels = digits()
    folder = tmp_path / "digits"
    folder.mkdir()
    (folder / "train-images-idx3-ubyte.gz").write_bytes(images)
    (folder / "train-labels-idx1-ubyte").write_bytes(labels)
    runner = Runner(RunStore(tmp_path / "runs"), limits=Limits.from_env(local=True), allow_any_data_path=True)
    config = preset("mnist-gan", iterations=10, batch_size=32, data_path=str(folder / "train-images-idx3-ubyte.gz"))
    try:
        assert runner.launch(config).outcome == "started"
        runner.cancel(config.key())
        # The partner file is part of what was checked: spoiling it is noticed.
        (folder / "train-labels-idx1-ubyte").write_bytes(labels[:-3])
        with pytest.raises(DataError, match="is truncated"):
            runner.launch(config.replace(seed=1))
        assert not runner.store.run_path(config.replace(seed=1).key()).exists()
    finally:
        kill_workers(tmp_path / "runs")


def test_a_relative_data_path_is_taken_inside_the_data_directory(data_dir: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # A bad file where the worker's working directory would find it, a good one in the data directory.
    images, labels = digits()
    (data_dir / "train-images-idx3-ubyte.gz").write_bytes(images)
    (data_dir / "train-labels-idx1-ubyte").write_bytes(labels)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    (cwd / "train-images-idx3-ubyte.gz").write_bytes(b"not gzip")
    monkeypatch.chdir(cwd)
    runs = tmp_path / "runs"
    runner = Runner(RunStore(runs), allow_any_data_path=False)
    try:
        launch = runner.launch(preset("mnist-gan", iterations=10, batch_size=32,
                                      data_path="train-images-idx3-ubyte.gz"))
        runner.cancel(launch.key)
        recorded = runner.store.summary(launch.key).config.data_path
        assert recorded == str((data_dir / "train-images-idx3-ubyte.gz").resolve())
        # "~" is not expanded into the server's home directory: it is a folder name inside the data directory.
        with pytest.raises(DataError, match="does not exist"):
            runner.launch(preset("mnist-gan", data_path="~/secret.csv"))
        with pytest.raises(DataError, match="outside the data directory"):
            runner.launch(preset("mnist-gan", data_path="../cwd/train-images-idx3-ubyte.gz"))
    finally:
        kill_workers(runs)


# ---- the Training page's upload control --------------------------------------------------------

@pytest.fixture(scope="module")
def upload_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[AppTest, Path, Path]:
    """One Training page session for the whole corpus (each case is one upload and a rerun)."""
    root = tmp_path_factory.mktemp("upload-page")
    patch = pytest.MonkeyPatch()
    patch.setenv("GAN_EXPLORER_DATA", str(root / "data"))
    patch.setenv("GAN_EXPLORER_RUNS", str(root / "runs"))
    patch.setenv("GAN_EXPLORER_UPLOADS", str(root / "uploads"))
    patch.delenv("GAN_EXPLORER_LOCAL", raising=False)
    at = app_session("pages/2_Training.py").run()
    yield at, root / "data", root / "runs"
    patch.undo()


def upload(at: AppTest, kind: str, files: list[tuple[str, bytes]]) -> AppTest:
    other = "faces" if kind == "mnist" else "mnist"
    at.file_uploader(key=f"train_upload_{other}").set_value(None)
    at.file_uploader(key=f"train_upload_{kind}").set_value([(name, content, "application/octet-stream")
                                                            for name, content in files])
    return at.run()


@pytest.mark.parametrize("case", MANIFEST, ids=IDS)
def test_the_page_refuses_each_input_with_one_error(case: dict[str, str],
                                                    upload_page: tuple[AppTest, Path, Path]) -> None:
    at, data, runs = upload_page
    kind = "mnist" if case["loader"] in ("load_mnist", "weights") else "faces"
    files = [(path.name, path.read_bytes()) for path in case_files(case)]
    upload(at, kind, files)
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert len(errors) == 1, errors
    assert PAGE_EXPECT.get(case["id"], case["expect"]) in errors[0]
    assert any(f"`{name}`" in errors[0] for name, _ in files)         # names the visitor's own file
    assert str(data) not in errors[0]                                  # and not the server's folders
    assert not at.success
    assert not uploads_dir().exists() or list(uploads_dir().iterdir()) == []
    assert nothing_written(runs)


def test_a_good_upload_trains_and_a_spoiled_one_is_refused_at_launch(data_dir: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    runs = tmp_path / "runs"
    monkeypatch.setenv("GAN_EXPLORER_RUNS", str(runs))
    images, labels = digits()
    at = app_session("pages/2_Training.py").run()
    upload(at, "mnist", [("my-images.gz", images), ("my-labels", labels)])
    assert not at.error and "my-images.gz" in at.success[0].value
    stored = sorted(uploads_dir().iterdir())
    assert [p.name.split("-", 2)[2] for p in stored] == ["images-idx3-ubyte.gz", "labels-idx1-ubyte"]
    at.selectbox(key="train_preset").set_value("mnist-gan").run()
    at.select_slider(key="train_batch").set_value(32)
    at.number_input(key="train_iterations").set_value(10).run()
    try:
        at.button(key="train_launch").click().run()
        key = at.session_state["train_active_key"]
        assert RunStore(runs).summary(key).config.data_path == str(stored[0])
        # The stored file goes bad before the next launch: refused before anything is written.
        stored[1].write_bytes(labels[:8])
        at.number_input(key="train_iterations").set_value(20).run()
        at.button(key="train_launch").click().run()
        assert not at.exception
        assert len(at.error) == 1 and "is truncated" in at.error[0].value
        assert sorted(p.stem for p in runs.glob("*.h5")) == [key]
    finally:
        kill_workers(runs)


def test_uploads_go_to_the_apps_own_folder_even_when_the_data_directory_is_read_only(
        data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAN_EXPLORER_RUNS", str(tmp_path / "runs"))
    # A data directory nothing can be written into, for root too (who ignores permission
    # bits): read-only, and a plain file where an "uploads" folder would have to go.
    (data_dir / "uploads").write_text("the owner's file")
    data_dir.chmod(0o555)
    try:
        row = ",".join(["3"] + ["0"] * 784) + "\n"
        stored = store_upload("mnist", [("mine.csv", row.encode() * 12)])
        assert stored.path.parent == tmp_path / "uploads" and stored.path.is_file()
        assert [p.name for p in data_dir.iterdir()] == ["uploads"]
        assert (data_dir / "uploads").read_text() == "the owner's file"
        assert resolve_data_path(str(stored.path)) == stored.path.resolve()   # a hosted demo may train on it
    finally:
        data_dir.chmod(0o755)


def test_uploads_are_capped_and_never_stored_under_their_own_name(data_dir: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAN_EXPLORER_RUNS", str(tmp_path / "runs"))
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == MAX_UPLOAD_MB                 # Streamlit's cap and ours agree
    at = app_session("pages/2_Training.py").run()
    upload(at, "mnist", [("big.csv", b"0" * (MAX_UPLOAD_BYTES + 1))])
    assert len(at.error) == 1 and f"at most {MAX_UPLOAD_MB} MB" in at.error[0].value
    # A hostile name: only shown, escaped in a code span; the file is stored under a generated name.
    row = ",".join(["3"] + ["0"] * 784) + "\n"
    upload(at, "mnist", [("..\\..\\<img src=x onerror=alert(1)>.csv", row.encode() * 12)])
    assert not at.error and "`<img src=x onerror=alert(1)>.csv`" in at.success[0].value
    assert [p.name for p in uploads_dir().iterdir()][0].startswith("mnist-")
    assert not list(tmp_path.rglob("*onerror*")) and not at.get("html")
    upload(at, "mnist", [("a<b>.csv", b"1,2\n")])
    assert "`a<b>.csv` has 2 columns" in at.error[0].value
    assert all(not m.proto.allow_html for m in at.markdown)
    assert not (tmp_path / "runs").exists()


def test_the_uploads_folder_keeps_under_its_limit_dropping_the_oldest(data_dir: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import gan_engine.data.uploads as uploads

    def csv(label: int) -> bytes:
        return (",".join([str(label)] + ["0"] * 784) + "\n").encode() * 20

    monkeypatch.setattr(uploads, "UPLOADS_LIMIT_BYTES", int(2.5 * len(csv(0))))
    first = uploads.store_upload("mnist", [("0.csv", csv(0))])
    second = uploads.store_upload("mnist", [("1.csv", csv(1))])
    os.utime(first.path, (1, 1))
    os.utime(second.path, (2, 2))
    again = uploads.store_upload("mnist", [("0-again.csv", csv(0))])     # same content: same file, refreshed
    assert again.path == first.path and again.name == "0-again.csv"
    third = uploads.store_upload("mnist", [("2.csv", csv(2))])           # three files, room for 2.5
    assert (first.path.exists(), second.path.exists(), third.path.exists()) == (True, False, True)


# ---- pickles posing as weights ------------------------------------------------------------------

class Canary:
    """Unpickling this creates a file: proof that a loader ran code from the pickle."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple:
        return (open, (str(self.path), "w"))


@pytest.mark.parametrize("suffix", [".pt", ".pth", ".h5"])
@pytest.mark.parametrize("writer", ["pickle", "torch.save"])
def test_a_pickle_posing_as_weights_is_refused_and_never_unpickled(tmp_path: Path, suffix: str, writer: str,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    canary = tmp_path / "canary"
    weights = tmp_path / f"generator{suffix}"
    if writer == "pickle":
        weights.write_bytes(pickle.dumps({"generator": Canary(canary)}, protocol=2))
    else:
        torch.save({"generator": Canary(canary)}, weights)
    with pytest.raises(RunError, match="is a Python pickle"):
        open_run(str(weights)).load_models()
    assert main(["sample", "--run", str(weights), "--n", "2", "--out", str(tmp_path / "s.npy")]) == 2
    assert "never opened" in capsys.readouterr().err
    # Planted in the run cache under a run key: listed as unreadable, never loaded.
    store = RunStore(tmp_path / "runs")
    store.root.mkdir()
    key = "0123456789abcdef"
    store.run_path(key).write_bytes(weights.read_bytes())
    assert list(store.list_runs()["status"]) == ["unreadable"]
    with pytest.raises(RunError, match="pickle"):
        store.load_models(key)
    assert not canary.exists()
    with pytest.raises(pickle.UnpicklingError):                           # the only safe torch.load
        torch.load(weights, weights_only=True)
    assert not canary.exists()


def test_no_code_loads_pickles() -> None:
    """Every torch.load in the product passes weights_only=True; nothing unpickles."""
    sources = [*REPO.glob("gan_engine/**/*.py"), *REPO.glob("ui/**/*.py"), *REPO.glob("pages/*.py"),
               *REPO.glob("benchmarks/*.py"), REPO / "streamlit_app.py"]
    offences = []
    for source in sources:
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = ast.unparse(node.func)
            keywords = {k.arg: ast.unparse(k.value) for k in node.keywords}
            if name.endswith("torch.load") and keywords.get("weights_only") != "True":
                offences.append(f"{source.name}:{node.lineno} {name} without weights_only=True")
            if name.split(".")[0] in ("pickle", "cPickle", "dill", "joblib") and name.endswith(("load", "loads")):
                offences.append(f"{source.name}:{node.lineno} {name}")
            if keywords.get("allow_pickle") == "True":
                offences.append(f"{source.name}:{node.lineno} {name}(allow_pickle=True)")
    assert len(sources) > 20 and offences == []
