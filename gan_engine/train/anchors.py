"""Published results on the toy targets, and the project's own goals, as data.

The published rows are the anchors quoted in the project's quality issue, measured with
the protocol of the papers below (2,500 generated samples; a sample is high quality
when it lies within 3σ of a mode centre; a mode is captured when at least one
high-quality sample lies near it). A value the source does not give is None.

Sources:
- PacGAN: Z. Lin, A. Khetan, G. Fanti, S. Oh, "PacGAN: The power of two samples in
  generative adversarial networks", NeurIPS 2018, Table 1.
- VEEGAN: A. Srivastava, L. Valkov, C. Russell, M. U. Gutmann, C. Sutton, "VEEGAN:
  Reducing mode collapse in GANs using implicit variational learning", NeurIPS 2017, Table 1.
- GDPP: M. Elfeki, C. Couprie, M. Riviere, M. Elhoseiny, "GDPP: Learning diverse
  generations using determinantal point processes", ICML 2019, Table 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

PACGAN = "PacGAN (Lin et al., NeurIPS 2018), Table 1"
VEEGAN = "VEEGAN (Srivastava et al., NeurIPS 2017), Table 1"
GDPP = "GDPP (Elfeki et al., ICML 2019), Table 1"
PROJECT_GOAL = "GAN Explorer goal for the shipped preset"

METRIC_COLUMNS = ("modes_captured", "hq_fraction", "reverse_kl", "jsd")


@dataclass(frozen=True)
class Anchor:
    """One row of reference results for a toy target (fractions in [0, 1], KL and JSD in nats)."""

    target: str
    method: str
    source: str
    modes_captured: float | None = None
    hq_fraction: float | None = None
    reverse_kl: float | None = None
    jsd: float | None = None


PUBLISHED: tuple[Anchor, ...] = (
    Anchor("ring2d", "GAN", PACGAN, modes_captured=6.3, hq_fraction=0.982),
    Anchor("ring2d", "PacGAN2", PACGAN, modes_captured=7.9, hq_fraction=0.956, reverse_kl=0.07),
    Anchor("ring2d", "VEEGAN", VEEGAN, modes_captured=8.0, hq_fraction=0.529),
    Anchor("ring2d", "GDPP-GAN", GDPP, modes_captured=8.0, hq_fraction=0.717),
    Anchor("grid2d", "PacGAN4", PACGAN, modes_captured=24.8, hq_fraction=0.936, reverse_kl=0.04),
    Anchor("grid2d", "GDPP-GAN", GDPP, modes_captured=24.8, hq_fraction=0.685),
)

# Goals the shipped presets are held to (means over 5 seeds; thresholds, not results).
GOALS: tuple[Anchor, ...] = (
    Anchor("ring2d", "goal", PROJECT_GOAL, modes_captured=8.0, hq_fraction=0.97, reverse_kl=0.05),
    Anchor("grid2d", "goal", PROJECT_GOAL, modes_captured=24.8, hq_fraction=0.94, reverse_kl=0.05),
    Anchor("gauss1d", "goal", PROJECT_GOAL, jsd=0.005),
)


def anchors_for(target: str, include_goals: bool = True) -> list[Anchor]:
    """The published rows (then the project's goal, if asked) for one toy target."""
    rows = [a for a in PUBLISHED if a.target == target]
    if include_goals:
        rows += [a for a in GOALS if a.target == target]
    return rows


def comparison_table(target: str, run_label: str, run_metrics: dict[str, float]) -> pd.DataFrame:
    """A run's final metrics as the first row, followed by the anchors for its target.

    Columns: method, source, then the metrics of `METRIC_COLUMNS` that some anchor of the
    target reports (the run's other metrics have nothing to be compared with). Empty when
    the target has no anchors.
    """
    rows = anchors_for(target)
    if not rows:
        return pd.DataFrame()
    metrics = [m for m in METRIC_COLUMNS if any(getattr(a, m) is not None for a in rows)]
    table = [{"method": run_label, "source": "", **{m: run_metrics.get(m) for m in metrics}}]
    table += [{"method": a.method, "source": a.source, **{m: getattr(a, m) for m in metrics}} for a in rows]
    return pd.DataFrame(table, columns=["method", "source", *metrics])
