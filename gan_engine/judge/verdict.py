"""Has a run learned its target? A plain-words verdict from the metrics its snapshots recorded.

MNIST runs are judged on the quality metrics the worker records at each snapshot
(`judge.quality`): how many digits the generator produces, how often each is recognised
(conditional runs) or how large a share of the samples it is (unconditional runs), and how
varied the samples of one digit are against real digits. Every figure is the stricter of
the two judges'. 2-D toy runs are judged on the modes they capture (the PacGAN protocol of
`train.metrics`).

Three levels: "collapse" (most of the target is missing, or the samples of one class are
nearly all alike), "partial" (learning, but short of the project's bars) and "ok" (the
bars are met). Each verdict carries a message id and values, so a page can show it in the
visitor's language (`engine.verdict_<level>_<kind>` in the translation table); `message` is
the English text.

This module reads numbers only: it imports neither torch nor a classifier, so a page can
use it at no cost.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from gan_engine.config import RunConfig
from gan_engine.data import NUM_CLASSES
from gan_engine.train.metrics import mode_count

# ---- the quality metrics a judged MNIST run records (see judge/quality.py) --------------------

ACCURACY_COLUMNS = tuple(f"accuracy_{digit}" for digit in range(NUM_CLASSES))   # conditional, per digit
SHARE_COLUMNS = tuple(f"share_{digit}" for digit in range(NUM_CLASSES))         # unconditional, per digit
# One number each, worth a sweep or a comparison; per-digit columns are for the run's own charts.
QUALITY_SUMMARY_METRICS = ("digits_produced", "min_accuracy", "min_share", "diversity_ratio", "frechet",
                           "frechet_floor", "frechet_ratio", "judge_disagreement")
# Bookkeeping recorded beside them, not a quality: cumulative seconds spent scoring, samples scored.
QUALITY_COST_METRICS = ("quality_seconds", "quality_samples")
QUALITY_METRICS = QUALITY_SUMMARY_METRICS + ACCURACY_COLUMNS + SHARE_COLUMNS + QUALITY_COST_METRICS
# Larger is worse for these (the others: larger is better, except the floor, which is a reference).
LOWER_IS_BETTER = ("frechet", "frechet_ratio", "judge_disagreement", "reverse_kl", "jsd")

# ---- the project's bars (issue 17) ------------------------------------------------------------

MIN_ACCURACY = 0.95          # conditional: every digit recognised at least this often
MIN_SHARE = 0.05             # unconditional: every digit at least this share of the samples
MIN_DIVERSITY_RATIO = 0.8    # within-class diversity against real digits'
PRODUCED_ACCURACY = 0.5      # conditional: a digit counts as produced when recognised in most samples
PRODUCED_SHARE = 0.02        # unconditional: ... when at least a fifth of its fair 10% share
COLLAPSE_DIVERSITY_RATIO = 0.3
COLLAPSE_FRACTION = 0.5      # collapse when at most this fraction of the digits or modes is produced
MIN_HQ_FRACTION = 0.5        # 2-D: below this, most samples land between the modes


@dataclass(frozen=True)
class Verdict:
    """What a run's metrics say: `level` "ok", "partial" or "collapse", and why.

    `message_id` names the translatable text (`engine.<message_id>`), `values` fills it.
    """

    level: str
    message_id: str
    values: dict[str, object] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The verdict in English."""
        return MESSAGES[self.message_id].format(**self.values)


MESSAGES = {
    "verdict_collapse_digits": "Mode collapse: {produced} of 10 digits produced, diversity {diversity:.0%} of real "
                               "digits'.",
    "verdict_partial_recognised": "Not there yet: {produced} of 10 digits produced, the weakest ({weakest}) "
                                  "recognised {weakest_value:.0%} of the time (bar {bar:.0%}), diversity "
                                  "{diversity:.0%} of real digits' (bar {diversity_bar:.0%}).",
    "verdict_partial_share": "Not there yet: {produced} of 10 digits produced, the rarest ({weakest}) "
                             "{weakest_value:.1%} of the samples (bar {bar:.0%}), diversity {diversity:.0%} of "
                             "real digits' (bar {diversity_bar:.0%}).",
    "verdict_ok_recognised": "Every digit produced: the weakest ({weakest}) recognised {weakest_value:.0%} of the "
                             "time, diversity {diversity:.0%} of real digits'.",
    "verdict_ok_share": "Every digit produced: the rarest ({weakest}) {weakest_value:.1%} of the samples, "
                        "diversity {diversity:.0%} of real digits'.",
    "verdict_collapse_modes": "Mode collapse: {captured} of {modes} modes captured.",
    "verdict_partial_modes": "Modes dropped or missed: {captured} of {modes} modes captured, {hq:.0%} of samples "
                             "near a mode.",
    "verdict_ok_modes": "Every mode captured: {captured} of {modes}, {hq:.0%} of samples near a mode.",
}


def quality_metric_names(config: RunConfig) -> tuple[str, ...]:
    """The judges' one-number scores a run of `config` records (a sweep's or a comparison's
    choices): none unless it draws MNIST digits; per-digit accuracy or share by conditioning."""
    if config.target != "mnist":
        return ()
    drop = "min_share" if config.conditional else "min_accuracy"
    return tuple(name for name in QUALITY_SUMMARY_METRICS if name not in (drop, "frechet_floor"))


def has_quality_metrics(metrics: Mapping[str, float]) -> bool:
    """Whether `metrics` hold the judges' scores (runs trained before they were recorded do not)."""
    return _finite(metrics.get("digits_produced")) and _finite(metrics.get("diversity_ratio"))


def run_verdict(config: RunConfig, metrics: Mapping[str, float]) -> Verdict | None:
    """The verdict on a run from its (final or latest) metrics; None when there is nothing to judge
    (1-D and faces targets, or an MNIST run recorded without the judges' scores)."""
    if config.target == "mnist":
        return _digits(config.conditional, metrics) if has_quality_metrics(metrics) else None
    if config.is_toy and config.data_dim == 2 and _finite(metrics.get("modes_captured")):
        return _modes(mode_count(config.target), metrics)
    return None


def _digits(conditional: bool, metrics: Mapping[str, float]) -> Verdict:
    produced = int(round(float(metrics["digits_produced"])))
    diversity = max(float(metrics["diversity_ratio"]), 0.0)
    columns, bar = (ACCURACY_COLUMNS, MIN_ACCURACY) if conditional else (SHARE_COLUMNS, MIN_SHARE)
    per_digit = [float(metrics.get(name, math.nan)) for name in columns]
    known = [(value, digit) for digit, value in enumerate(per_digit) if math.isfinite(value)]
    weakest_value, weakest = min(known) if known else (0.0, 0)
    values = {"produced": produced, "diversity": diversity, "weakest": weakest, "weakest_value": weakest_value,
              "bar": bar, "diversity_bar": MIN_DIVERSITY_RATIO}
    kind = "recognised" if conditional else "share"
    if produced <= COLLAPSE_FRACTION * NUM_CLASSES or diversity < COLLAPSE_DIVERSITY_RATIO:
        return Verdict("collapse", "verdict_collapse_digits", {"produced": produced, "diversity": diversity})
    if produced < NUM_CLASSES or weakest_value < bar or diversity < MIN_DIVERSITY_RATIO:
        return Verdict("partial", f"verdict_partial_{kind}", values)
    return Verdict("ok", f"verdict_ok_{kind}", values)


def _modes(modes: int, metrics: Mapping[str, float]) -> Verdict:
    captured = int(round(float(metrics["modes_captured"])))
    hq = float(metrics.get("hq_fraction", math.nan))
    hq = hq if math.isfinite(hq) else 0.0
    values = {"captured": captured, "modes": modes, "hq": hq}
    if captured <= COLLAPSE_FRACTION * modes:
        return Verdict("collapse", "verdict_collapse_modes", {"captured": captured, "modes": modes})
    if captured < modes or hq < MIN_HQ_FRACTION:
        return Verdict("partial", "verdict_partial_modes", values)
    return Verdict("ok", "verdict_ok_modes", values)


def _finite(value: object) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)
