"""The run cache as the Compare and Library views show it, in the page's language.

`RunStore.list_runs()` gives the engine's table (status "done", loss "nonsaturating",
epoch seconds); here its headers, statuses and losses are translated, learning rates
spelled as on the sliders and dates made readable, and the library's filter searches
both the engine's values (a key, a preset) and what is shown (a translated status).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from ui.i18n import TABLES, t
from ui.training.charts import MISSING, metric_label
from ui.training.fields import format_lr


def _translated(prefix: str, value: Any) -> str:
    """`prefix.value` from the table when there is one (a known status or loss), else the value."""
    key = f"{prefix}.{value}"
    return t(key) if key in TABLES["en"] else str(value)


def status_text(status: str) -> str:
    """A run status in the page's language ("done" -> "已完成")."""
    return _translated("training.status", status)


def loss_text(loss: str) -> str:
    """A loss's name as the settings show it ("lsgan" -> "least squares (LSGAN)")."""
    return _translated("training.loss", loss)


def _lr_text(value: Any) -> str:
    return format_lr(float(value)) if isinstance(value, (int, float)) and math.isfinite(value) else MISSING


def run_label(row: Mapping[str, Any]) -> str:
    """A short label for a run (a row of `RunStore.list_runs()`), ending with its key's first 6 characters."""
    return (f"{row['preset']} · k={row['k']} · lr_d={_lr_text(row['lr_d'])} · lr_g={_lr_text(row['lr_g'])} · "
            f"{loss_text(row['loss'])} · {t('training.iterations_short', iterations=row['iterations'])} · "
            f"{str(row['key'])[:6]}")


def shown(runs: pd.DataFrame) -> pd.DataFrame:
    """The table as the library shows it: translated values, readable rates and dates."""
    table = runs.copy()
    if "status" in table:
        table["status"] = [status_text(status) for status in table["status"]]
    if "loss" in table:
        table["loss"] = [loss_text(loss) if isinstance(loss, str) else MISSING for loss in table["loss"]]
    for column in ("lr_d", "lr_g"):
        if column in table:
            table[column] = [_lr_text(value) for value in table[column]]
    if "created" in table:
        table["created"] = pd.to_datetime(table["created"], unit="s").dt.strftime("%Y-%m-%d %H:%M")
    return table


def column_config(table: pd.DataFrame) -> dict[str, Any]:
    """Each column's header in the page's language (metrics by their chart label)."""
    config: dict[str, Any] = {}
    for column in table.columns:
        key = f"training.column.{column}"
        label = t(key) if key in TABLES["en"] else metric_label(column)
        config[column] = (st.column_config.NumberColumn(label, format="%.1f") if column == "seconds"
                          else label)
    return config


def matching(runs: pd.DataFrame, query: str) -> pd.DataFrame:
    """The runs whose engine values or shown values contain `query` (any case)."""
    if runs.empty or not query:
        return runs
    text = runs.map(str).agg(" ".join, axis=1) + " " + shown(runs).map(str).agg(" ".join, axis=1)
    return runs[text.str.contains(query, case=False, regex=False)]
