"""The engine objects the Training page talks to: one Runner (with its RunStore and limits)
per runs directory for the whole server, and the device new runs train on.

Everything else in `ui.training` reaches the run cache through these, so a test or a
benchmark that points $GAN_EXPLORER_RUNS elsewhere gets a store of its own.
"""

from __future__ import annotations

import os

import streamlit as st

from gan_engine.runs.runner import Runner
from gan_engine.runs.store import RunStore

RUNS_ENV = "GAN_EXPLORER_RUNS"
POLL_SECONDS = 1.0     # how often a live run (and a sweep with cells training) is polled


def runs_root() -> str:
    """The runs directory setting ("" = the store's per-user default); part of cache keys."""
    return os.environ.get(RUNS_ENV, "")


@st.cache_resource(show_spinner=False)
def runner_for(root: str) -> Runner:
    """The Runner of runs directory `root` ("" = the default), built once per server process."""
    return Runner(RunStore(root or None))


def runner() -> Runner:
    """One Runner (with its RunStore and limits) per runs directory for the whole server."""
    return runner_for(runs_root())


def store() -> RunStore:
    """The RunStore the page's Runner launches into."""
    return runner().store


@st.cache_resource(show_spinner=False)
def machine_device() -> str:
    """The device a new run trains on here: "cuda", "mps" or "cpu"."""
    from gan_engine.train.loop import resolve_device  # torch loads once, on first use

    return resolve_device("auto").type
