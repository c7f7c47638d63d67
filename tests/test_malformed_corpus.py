"""The malformed-input corpus (tests/malformed): every broken file gets one clear DataError.

Each case is a real file (or folder) on disk, committed and listed in manifest.json by
make_corpus.py. The loader named in the manifest must raise exactly a DataError whose
message contains the case's phrase and names the file, with no chained exception behind
it, and must leave nothing written.
"""

from __future__ import annotations

import importlib.util
import json
import pickle
import pickletools
from pathlib import Path
from types import ModuleType

import pytest
import torch

from gan_engine.data import images_to_hdf5, load_faces, load_mnist
from gan_engine.errors import DataError

CORPUS = Path(__file__).resolve().parent / "malformed"
MANIFEST: list[dict[str, str]] = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
DATA_CASES = [case for case in MANIFEST if case["loader"] != "weights"]


def _make_corpus_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _committed_files(root: Path) -> set[str]:
    return {path.relative_to(root).as_posix() for path in (root / "files").rglob("*") if path.is_file()}


def test_corpus_is_large_varied_and_matches_its_generator(tmp_path: Path) -> None:
    assert len(MANIFEST) >= 25
    assert len({case["id"] for case in MANIFEST}) == len(MANIFEST)
    assert {case["loader"] for case in MANIFEST} == {"load_mnist", "load_faces", "images_to_hdf5", "weights"}
    for case in MANIFEST:
        assert (CORPUS / case["path"]).exists(), case["id"]
    # The committed files are what the generator writes: same cases, same file names.
    regenerated = _make_corpus_module().build(tmp_path)
    assert regenerated == MANIFEST
    assert _committed_files(tmp_path) == _committed_files(CORPUS)


def _call_loader(loader: str, path: Path, out_dir: Path) -> None:
    if loader == "load_mnist":
        load_mnist(path, download=False)
    elif loader == "load_faces":
        load_faces(path)
    else:
        images_to_hdf5(path, out_dir / "faces.h5")


@pytest.mark.parametrize("case", DATA_CASES, ids=[case["id"] for case in DATA_CASES])
def test_each_malformed_input_gives_one_clear_data_error(case: dict[str, str], tmp_path: Path) -> None:
    path = CORPUS / case["path"]
    before = _committed_files(CORPUS)
    with pytest.raises(DataError) as caught:
        _call_loader(case["loader"], path, tmp_path)
    message = str(caught.value)
    assert case["expect"] in message
    assert path.resolve().name in message             # names the file or folder
    # One error, not a chain: nothing "during handling of the above exception" behind it.
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None or caught.value.__suppress_context__
    assert list(tmp_path.iterdir()) == []            # no output, not even a temporary file
    assert _committed_files(CORPUS) == before         # nothing written beside the inputs


def test_pickle_posing_as_weights_is_a_call_that_safe_loading_refuses() -> None:
    (case,) = [case for case in MANIFEST if case["loader"] == "weights"]
    path = CORPUS / case["path"]
    opcodes = [(op.name, arg) for op, arg, _ in pickletools.genops(path.read_bytes())]
    assert ("GLOBAL", "os getpid") in opcodes and ("REDUCE", None) in opcodes
    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
        torch.load(path, weights_only=True)
