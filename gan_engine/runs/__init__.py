"""The run cache: one HDF5 run file per configuration, the store that reads them, the runner
that launches worker processes, the worker itself, and the run directory's coordination.

`from gan_engine.runs import RunStore, Runner, ...` reaches the public names below. They are
loaded on first use, so `python -m gan_engine worker`, which imports `gan_engine.runs.worker`,
stays light (no h5py, no torch) while it waits for a slot.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "RunStore": "store", "open_run": "store", "pretrained_path": "store", "list_pretrained": "store",
    "Runner": "runner", "Launch": "runner", "Progress": "runner",
    "RunSummary": "runfile", "RunFile": "runfile", "STATUSES": "runfile", "ACTIVE": "runfile",
    "CACHED_STATUSES": "runfile", "FINISHED_STATUSES": "runfile",
    "default_runs_dir": "coordination",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'gan_engine.runs' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"gan_engine.runs.{_EXPORTS[name]}"), name)
    globals()[name] = value
    return value
