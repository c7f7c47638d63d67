"""Bringing a downloaded run file back into the cache (a student carries a run from their
laptop to the class demo, or the other way).

The file is someone else's, so it is checked as untrusted input before it can be served:
its size is capped; a pickle (or anything that is not HDF5) is refused unopened; its
summary must parse, name a finished run (done or diverged) and a configuration this engine
accepts; the configuration is re-keyed here, so a file whose key does not match what it
claims (edited, or written by another engine version) is refused; every table and snapshot
array must be numeric, of bounded size and consistent; and the weights must load into the
models its configuration builds. Only then is it moved into place, atomically, under the
runner's lock. An existing finished run of the same configuration is kept, never replaced.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np

from gan_engine.errors import GanExplorerError, RunError
from gan_engine.runs.runfile import ACTIVE, CACHED_STATUSES, FORMAT, RunFile
from gan_engine.runs.store import RunStore

MAX_IMPORT_MB = 50                       # Streamlit's upload cap (.streamlit/config.toml)
MAX_IMPORT_BYTES = MAX_IMPORT_MB * 2**20
MAX_ARRAY_ELEMENTS = 20_000_000          # any one dataset: far above a real run's largest
HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
_GROUPS = ("series", "metrics", "snapshots", "weights")
# The messages a visitor meets, by message id (translated by the pages, "engine.<id>").
IMPORT_MESSAGES = {
    "import_too_large": "{name} is too large: a run file may be at most {limit} MB.",
    "import_pickle": "{name} is a Python pickle (a PyTorch checkpoint or similar), not a GAN Explorer run file; "
                     "pickles can run code when loaded, so it is not opened.",
    "import_not_run": "{name} is not a GAN Explorer run file (not HDF5): download one from the run library.",
    "import_busy": "This configuration is training here right now; {name} was not imported.",
    "import_refused": "{name} cannot be imported: {problem}.",
}


def _refused(message_id: str, **values: object) -> RunError:
    return RunError(IMPORT_MESSAGES[message_id].format(**values), message_id=message_id, **values)


@dataclass(frozen=True)
class ImportedRun:
    key: str
    outcome: str          # "imported", or "cached" when this configuration was already finished here
    preset: str
    status: str


def import_run(content: bytes, name: str, store: RunStore) -> ImportedRun:
    """Check the run file `content` (uploaded as `name`) and add it to `store`.

    Raises RunError with one message naming the file and the problem; nothing is left on
    disk then.
    """
    shown = f"`{Path(str(name)).name[:80]}`"
    if len(content) > MAX_IMPORT_BYTES:
        raise _refused("import_too_large", name=shown, limit=MAX_IMPORT_MB)
    if content[:1] == b"\x80" or content[:4] == b"PK\x03\x04":
        raise _refused("import_pickle", name=shown)
    if not content.startswith(HDF5_SIGNATURE):
        raise _refused("import_not_run", name=shown)
    store.dir.make_dirs()
    partial = store.root / f".import-{os.getpid()}-{id(content):x}.h5"
    try:
        partial.write_bytes(content)
        summary = _checked(partial, shown)
        with store.dir.runner_lock():
            existing = store.summary(summary.key)
            if existing is not None and existing.status in CACHED_STATUSES:
                return ImportedRun(summary.key, "cached", summary.config.preset, existing.status)
            if existing is not None and existing.status in ACTIVE:
                raise _refused("import_busy", name=shown)
            os.replace(partial, store.run_path(summary.key))
            store.dir.remove_bookkeeping(summary.key)
        return ImportedRun(summary.key, "imported", summary.config.preset, summary.status)
    finally:
        partial.unlink(missing_ok=True)


def _checked(path: Path, shown: str) -> object:
    """The run file's summary once every check has passed; RunError otherwise."""
    def refuse(problem: str) -> RunError:
        return _refused("import_refused", name=shown, problem=problem)

    try:
        with h5py.File(path, "r", locking=False) as handle:
            if handle.attrs.get("format") != FORMAT:
                raise refuse("it is an HDF5 file but not a GAN Explorer run")
            for group in _GROUPS:
                if not isinstance(handle.get(group), h5py.Group):
                    raise refuse(f"its {group!r} group is missing")
            _check_tables(handle, refuse)
            _check_arrays(handle, refuse)
        run = RunFile(path)
        summary = run.summary()
    except GanExplorerError as error:
        if error.message_id == "import_refused":
            raise
        raise refuse(str(error).replace(path.name, "the file").rstrip(".")) from None
    except (OSError, KeyError, ValueError, TypeError) as error:
        raise refuse(f"it is damaged ({type(error).__name__})") from None
    if summary.status not in CACHED_STATUSES:
        raise refuse(f"it holds a {summary.status} run; only finished runs can be imported")
    try:
        summary.config.validate()
        key = summary.config.key()
    except GanExplorerError as error:
        raise refuse(f"its configuration is not valid here ({error})") from None
    if key != summary.key or summary.engine_version == "":
        raise refuse("its configuration does not match its key (edited, or written by another engine version)")
    try:
        run.load_models("cpu")
    except GanExplorerError as error:
        raise refuse(str(error).replace(path.name, "the file").rstrip(".")) from None
    return summary


def _check_tables(handle: h5py.File, refuse) -> None:
    for group_name in ("series", "metrics"):
        lengths = set()
        for column, item in handle[group_name].items():
            if not isinstance(item, h5py.Dataset) or item.ndim != 1 or item.dtype.kind not in "fiu":
                raise refuse(f"{group_name} column {column!r} is not a numeric series")
            lengths.add(item.shape[0])
        if len(lengths) > 1:
            raise refuse(f"the {group_name} columns have different lengths")


def _check_arrays(handle: h5py.File, refuse) -> None:
    def visit(name: str, item: object) -> None:
        if isinstance(item, h5py.Dataset):
            if item.dtype.kind not in "fiub" or item.size > MAX_ARRAY_ELEMENTS:
                raise refuse(f"array {name!r} is not a plain numeric array of reasonable size")
        elif isinstance(item, h5py.Group) and any(isinstance(v, h5py.Datatype) for v in item.values()):
            raise refuse(f"group {name!r} holds stored types")

    for group in ("snapshots", "weights"):
        handle[group].visititems(visit)
    iterations = [handle["snapshots"][s].attrs.get("iteration") for s in handle["snapshots"]]
    if any(not isinstance(i, (int, np.integer)) for i in iterations):
        raise refuse("a snapshot has no iteration number")
