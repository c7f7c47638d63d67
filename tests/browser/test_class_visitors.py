"""The simulated visitors of benchmarks/class_pages.py against the app as the README starts
it: they speak Streamlit's websocket protocol well enough to move a Theory slider the way
the frontend does, and the class benchmark runs (no figures are asserted: it measures)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from devtools.visitors import Visitor
from ui.strings.theory import EN

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import class_pages  # noqa: E402

JSD = EN["theory.jsd_nats"]


def test_a_visitor_moves_a_theory_slider_as_the_frontend_does(server) -> None:
    async def visit() -> tuple[dict, dict, dict, list[str], str]:
        first, second = Visitor(server.port, "Theory"), Visitor(server.port, "Theory")
        try:
            await first.open()
            opened = dict(first.metrics)
            mean = first.slider("theory_g_mu")
            assert mean.fragment_id and mean.value == [2.0]           # preset "shifted", inside a fragment
            await first.rerun({"theory_g_mu": 0.0}, fragment_id=mean.fragment_id)
            moved = dict(first.metrics)
            await second.open()                                       # another visitor, same server
            await second.rerun({"theory_g_mu": 0.0}, fragment_id=second.slider("theory_g_mu").fragment_id)
            return opened, moved, dict(second.metrics), first.errors + second.errors, first.page_script_hash
        finally:
            await first.close()
            await second.close()

    opened, moved, other, errors, page = asyncio.run(visit())
    assert not errors and page
    assert float(opened[JSD]) > 0.3 and float(moved[JSD]) == 0.0      # p_g moved onto p_data
    assert other[JSD] == moved[JSD]


def test_the_class_benchmark_runs_a_small_class(server) -> None:
    args = argparse.Namespace(seconds=2.0, ramp=0.5, period=0.5, sliders=list(class_pages.THEORY_SLIDERS), seed=1,
                              probes=2)
    figures = asyncio.run(class_pages.theory_class(server.port, 3, args, args.period, server.process.pid))
    assert not figures.errors and not figures.dropped
    assert figures.latencies and len(figures.first_renders) == 2
    assert figures.server_cpu > 0 and figures.window >= 2.0
