"""The Gallery page's small shared pieces: the seed, digit and count controls (drawn from
`fields.CONTROLS`), a generator's one-line description, and a picture with its download
button."""

from __future__ import annotations

import streamlit as st

from gan_engine.judge.sampling import GeneratorSource
from ui.gallery.fields import CONTROLS
from ui.gallery.generators import Sheet
from ui.i18n import t
from ui.inputs import whole_number_input

DIGITS = list(range(10))


def seed_input(label: str, key: str, container=st) -> int:
    """A seed box: whatever is typed is read as a whole number in [0, MAX_SEED], and any
    change (a negative seed, 1e3, 3.7) is said under the box (ui.inputs)."""
    control = CONTROLS[key]
    return whole_number_input(label, key, control.low, control.high, int(control.default),
                              help=t("gallery.seed_help", max=control.high), container=container)


def digit_input(label: str, key: str, container=st) -> int:
    """A digit picker (0-9)."""
    return container.selectbox(label, DIGITS, index=DIGITS.index(CONTROLS[key].default), key=key)


def count_slider(label: str, key: str, container=st, help: str | None = None) -> int:
    """A slider over the control's range (grid sizes, rows, steps)."""
    control = CONTROLS[key]
    return container.slider(label, control.low, control.high, int(control.default), key=key, help=help)


def describe(source: GeneratorSource) -> str:
    """A generator's name in the picker, by what it is: its preset (the recipe the model line
    names too), where it comes from (shipped, or a run and its key) and its length. The
    shipped file's own name is not shown: it need not be the recipe's."""
    if source.pretrained:
        return t("gallery.source_pretrained", preset=source.config.preset, iterations=source.config.iterations)
    return t("gallery.source_run", preset=source.config.preset, run=source.spec[:8],
             iterations=source.config.iterations)


def picture(sheet: Sheet, caption: str, file_name: str, key: str, container=st) -> None:
    """A sheet and its PNG download button."""
    container.image(sheet.png, caption=caption, output_format="PNG")
    container.download_button(t("gallery.download_png"), sheet.png, file_name, "image/png", key=key)
