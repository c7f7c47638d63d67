"""The Training page's word on a run's quality: the engine's verdict and the headline metrics.

An MNIST run records both judges' scores at every snapshot (gan_engine.judge.quality); the
verdict (gan_engine.judge.verdict) says plainly whether it has collapsed, and the headline
metrics show the final figures without the per-digit columns, which the quality chart draws.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from gan_engine.config import RunConfig
from gan_engine.judge.verdict import (ACCURACY_COLUMNS, QUALITY_COST_METRICS, SHARE_COLUMNS, has_quality_metrics,
                                      run_verdict)
from ui.i18n import t
from ui.training.charts import metric_label

_NOTICE = {"collapse": st.error, "partial": st.warning, "ok": st.success}
# the headline figures of a judged MNIST run, in order, and how each is written
_HEADLINE = (("digits_produced", "{:.0f} / 10"), ("min_accuracy", "{:.1%}"), ("min_share", "{:.1%}"),
             ("diversity_ratio", "{:.0%}"), ("frechet", "{:.1f}"), ("judge_disagreement", "{:.1%}"))
_HIDDEN = set(ACCURACY_COLUMNS) | set(SHARE_COLUMNS) | set(QUALITY_COST_METRICS) | {"frechet_floor", "frechet_ratio"}


def render_verdict(config: RunConfig, metrics: Mapping[str, float], live: bool = False) -> None:
    """The verdict on a run from its latest metrics, as an error, warning or success note."""
    verdict = run_verdict(config, metrics)
    if verdict is None:
        return
    text = t(f"engine.{verdict.message_id}", **verdict.values)
    _NOTICE[verdict.level](t("training.verdict_so_far", verdict=text) if live else text)


def render_headline_metrics(config: RunConfig, metrics: Mapping[str, float], seconds: float) -> None:
    """A finished run's final metrics, one per column: for a judged MNIST run the headline
    quality figures (the stricter judge's) and what judging cost of the run's `seconds`,
    otherwise every metric it recorded."""
    if config.target == "mnist" and has_quality_metrics(metrics):
        shown = [(name, form.format(metrics[name])) for name, form in _HEADLINE if name in metrics]
        helps = {"frechet": t("training.frechet_help", floor=metrics.get("frechet_floor", float("nan")),
                              ratio=metrics.get("frechet_ratio", float("nan"))),
                 "judge_disagreement": t("training.disagreement_help")}
    else:
        shown = [(name, f"{value:.4g}") for name, value in metrics.items() if name not in _HIDDEN]
        helps = {}
    if not shown:
        return
    for column, (name, text) in zip(st.columns(len(shown)), shown):
        column.metric(metric_label(name), text, help=helps.get(name))
    if "quality_seconds" in metrics and seconds > 0:
        st.caption(t("training.quality_cost", seconds=metrics["quality_seconds"],
                     share=metrics["quality_seconds"] / seconds))
