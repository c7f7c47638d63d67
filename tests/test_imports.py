"""A downloaded run file brought back into the cache (gan_engine.runs.imports): a real run
file trained here is imported into another runs folder; tampered, foreign, unfinished,
pickled and oversized files are refused with one message and leave nothing behind."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import h5py
import numpy as np
import pytest

from devtools.faults import make_finished
from gan_engine.errors import RunError
from gan_engine.runs import imports
from gan_engine.runs.imports import import_run
from gan_engine.runs.store import RunStore


@pytest.fixture(scope="module")
def run_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, bytes]:
    """A finished run with real weights, as the run library's download gives it."""
    runs = tmp_path_factory.mktemp("laptop")
    key = make_finished(runs)
    return key, (runs / f"{key}.h5").read_bytes()


def _leftovers(store: RunStore) -> list[str]:
    return sorted(p.name for p in store.root.glob("*") if p.is_file() and ".import-" in p.name)


def test_a_finished_run_is_imported_served_and_not_replaced(run_file, tmp_path: Path) -> None:
    key, content = run_file
    store = RunStore(tmp_path / "demo")
    done = import_run(content, "my run.h5", store)
    assert (done.key, done.outcome, done.status) == (key, "imported", "done")
    assert store.summary(key).status == "done"
    config, generator, _ = store.load_models(key)
    assert config.key() == key
    assert store.list_runs()["key"].tolist() == [key]
    again = import_run(content, "my run.h5", store)
    assert again.outcome == "cached"
    assert _leftovers(store) == []


def _edited(content: bytes, tmp_path: Path, change) -> bytes:
    path = tmp_path / "edited.h5"
    path.write_bytes(content)
    with h5py.File(path, "a") as handle:
        change(handle)
    return path.read_bytes()


def _set_summary(handle: h5py.File, **fields) -> None:
    summary = json.loads(handle.attrs["summary"])
    for name, value in fields.items():
        if name.startswith("config."):
            summary["config"][name.split(".", 1)[1]] = value
        else:
            summary[name] = value
    handle.attrs["summary"] = json.dumps(summary)


CASES = {
    "a learning rate edited by hand": (lambda h: _set_summary(h, **{"config.lr_d": 0.5}), "does not match its key"),
    "an unfinished run": (lambda h: _set_summary(h, status="interrupted"), "only finished runs"),
    "a run of an impossible configuration": (lambda h: _set_summary(h, **{"config.k": -3}), "not valid here"),
    "a text array among the snapshots": (lambda h: h["snapshots"].create_dataset("000000/evil", data=np.array([b"x"])),
                                         "not a plain numeric array"),
    "weights of another shape": (lambda h: (h["weights/generator"].__delitem__(list(h["weights/generator"])[0])),
                                 "do not fit the model"),
    "series of different lengths": (lambda h: h["series"].create_dataset("extra", data=np.zeros(999)),
                                    "different lengths"),
    "another HDF5 file": (lambda h: h.attrs.__setitem__("format", "something-else"), "not a GAN Explorer run"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_tampered_file_is_refused_with_one_message(case: str, run_file, tmp_path: Path) -> None:
    _, content = run_file
    change, expected = CASES[case]
    store = RunStore(tmp_path / "demo")
    with pytest.raises(RunError, match=expected) as refused:
        import_run(_edited(content, tmp_path, change), "their-run.h5", store)
    assert "`their-run.h5`" in str(refused.value) and str(tmp_path) not in str(refused.value)
    assert store.list_runs().empty and _leftovers(store) == []


def test_pickles_foreign_truncated_and_oversized_files_are_refused(run_file, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    _, content = run_file
    store = RunStore(tmp_path / "demo")
    for data, expected in ((pickle.dumps({"weights": 1}), "pickle"), (b"PK\x03\x04zip", "pickle"),
                           (b"hello", "not HDF5"), (content[: len(content) // 2], "cannot be imported")):
        with pytest.raises(RunError, match=expected):
            import_run(data, "x.h5", store)
    monkeypatch.setattr(imports, "MAX_IMPORT_BYTES", len(content) - 1)
    with pytest.raises(RunError, match="at most"):
        import_run(content, "x.h5", store)
    assert store.list_runs().empty and _leftovers(store) == []


def test_the_command_line_imports_a_file_and_prints_its_key(run_file, tmp_path: Path, capsys) -> None:
    from gan_engine.cli import main

    key, content = run_file
    (tmp_path / "carried.h5").write_bytes(content)
    assert main(["import", str(tmp_path / "carried.h5"), "--runs", str(tmp_path / "demo")]) == 0
    assert capsys.readouterr().out.strip() == key
    assert main(["import", str(tmp_path / "absent.h5"), "--runs", str(tmp_path / "demo")]) == 2
