"""The Gallery page's small shared pieces: the seed and digit inputs, a generator's one-line
description, and a picture with its download button."""

from __future__ import annotations

import streamlit as st

from gan_engine.judge.sampling import MAX_SEED, GeneratorSource, clamp_seed
from ui.gallery.generators import Sheet
from ui.i18n import t

DIGITS = list(range(10))


def seed_input(label: str, key: str, default: int, container=st) -> int:
    """A seed box; a value outside [0, MAX_SEED] is clamped, with a message saying so."""
    value = container.number_input(label, value=default, step=1, key=key, help=t("gallery.seed_help", max=MAX_SEED))
    seed, moved = clamp_seed(value)
    if moved:
        container.warning(t("gallery.seed_clamped", value=value, seed=seed, max=MAX_SEED))
    return seed


def digit_input(label: str, key: str, default: int, container=st) -> int:
    """A digit picker (0-9)."""
    return container.selectbox(label, DIGITS, index=default, key=key)


def describe(source: GeneratorSource) -> str:
    """A generator's name in the picker: a shipped one by the preset it was trained with, a run by
    preset, key and length."""
    if source.pretrained:
        return t("gallery.source_pretrained", name=source.config.preset)
    return t("gallery.source_run", preset=source.config.preset, run=source.spec[:8],
             iterations=source.config.iterations)


def picture(sheet: Sheet, caption: str, file_name: str, key: str, container=st) -> None:
    """A sheet and its PNG download button."""
    container.image(sheet.png, caption=caption, output_format="PNG")
    container.download_button(t("gallery.download_png"), sheet.png, file_name, "image/png", key=key)
