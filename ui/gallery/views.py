"""The Gallery page's views, one function each, all called as `view(args, model, seed)`:
`args` = (spec, file stamp, source) identifies the generator for the caches in
`generators`, `model` is the loaded generator, `seed` the page's seed.

`VIEWS` maps each view's name (the `gallery_view` choice, and its `gallery.view.<name>`
label) to its function; `CONDITIONAL_ONLY` names those offered for conditional generators only.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from gan_engine.judge.sampling import LoadedGenerator
from gan_engine.plots import gallery as plots
from ui.gallery import generators
from ui.gallery.diagnostics import show_diagnostics
from ui.gallery.widgets import DIGITS, digit_input, picture, seed_input
from ui.i18n import labelled, t


def show_samples(args: tuple, model: LoadedGenerator, seed: int) -> None:
    """A grid of samples: of one digit, or a row per digit (conditional), or just samples."""
    cols = st.columns(2)
    digit = None
    if model.conditional:
        picked = cols[0].selectbox(t("gallery.digit"), ["all", *DIGITS], key=labelled("gallery_digit"),
                                   format_func=lambda d: t("gallery.all_digits") if d == "all" else str(d))
        digit = None if picked == "all" else picked
    size = cols[1].slider(t("gallery.grid_size"), 2, 10, 10, key="gallery_size", help=t("gallery.grid_size_help"))
    picture(generators.sample_sheet(*args, digit, size, seed), t("gallery.sample_caption", seed=seed),
            f"samples-seed{seed}.png", "gallery_download_samples")


def show_same_z(args: tuple, model: LoadedGenerator, seed: int) -> None:
    """One latent per row, the ten digits across."""
    rows = st.slider(t("gallery.rows"), 1, 10, 5, key="gallery_rows")
    picture(generators.same_z_sheet(*args, rows, seed), t("gallery.same_z_caption"), f"same-z-seed{seed}.png",
            "gallery_download_same_z")


def show_interpolation(args: tuple, model: LoadedGenerator, seed: int) -> None:
    """Lerp and slerp between two seeds' latents, and the latent norm along both paths."""
    cols = st.columns(3)
    seed_b = seed_input(t("gallery.seed_b"), "gallery_seed_b", 1, cols[0])
    steps = cols[1].slider(t("gallery.steps"), 3, 16, 9, key="gallery_steps")
    digit = digit_input(t("gallery.digit"), "gallery_path_digit", 3, cols[2]) if model.conditional else None
    strips = {method: generators.interpolation(*args, method, seed, seed_b, steps, digit)
              for method in ("lerp", "slerp")}
    for column, (method, strip) in zip(st.columns(2), strips.items()):
        column.image(strip.sheet.png, caption=t(f"gallery.{method}_caption", a=seed, b=seed_b), output_format="PNG")
        column.download_button(t("gallery.download_gif"), strip.gif, f"{method}-{seed}-{seed_b}.gif", "image/gif",
                               key=f"gallery_download_{method}")
    figure = plots.path_norms(np.linspace(0.0, 1.0, steps), strips["lerp"].norms, strips["slerp"].norms,
                              model.latent_dim, title=t("gallery.norm_title"), x_title=t("gallery.norm_x"),
                              y_title=t("gallery.norm_y"), shell_label=t("gallery.norm_shell"))
    st.plotly_chart(figure, width="stretch", key="gallery_norm_plot")
    st.caption(t("gallery.norm_explain", d=model.latent_dim, shell=np.sqrt(model.latent_dim),
                 low=float(strips["lerp"].norms.min())))


def show_corners(args: tuple, model: LoadedGenerator, seed: int) -> None:
    """A grid spanned by four corner seeds' latents."""
    cols = st.columns(4)
    others = [seed_input(t(f"gallery.corner_{name}"), f"gallery_corner_{name}", default, column)
              for name, default, column in (("tr", 1, cols[0]), ("bl", 2, cols[1]), ("br", 3, cols[2]))]
    seeds = (seed, *others)
    size = cols[3].slider(t("gallery.grid_size"), 3, 10, 7, key="gallery_corner_size")
    cols = st.columns(2)
    method = cols[0].radio(t("gallery.method"), ["slerp", "lerp"], horizontal=True, key="gallery_corner_method")
    digit = digit_input(t("gallery.digit"), "gallery_corner_digit", 8, cols[1]) if model.conditional else None
    picture(generators.corner_sheet(*args, seeds, size, method, digit),
            t("gallery.corners_caption", tl=seeds[0], tr=seeds[1], bl=seeds[2], br=seeds[3]),
            f"corners-{'-'.join(map(str, seeds))}.png", "gallery_download_corners")


def show_morph(args: tuple, model: LoadedGenerator, seed: int) -> None:
    """One latent while the class input moves from one digit to another."""
    cols = st.columns(3)
    start = digit_input(t("gallery.morph_from"), "gallery_morph_from", 1, cols[0])
    end = digit_input(t("gallery.morph_to"), "gallery_morph_to", 7, cols[1])
    steps = cols[2].slider(t("gallery.steps"), 3, 16, 9, key="gallery_morph_steps")
    strip = generators.label_morph(*args, seed, start, end, steps)
    st.image(strip.sheet.png, caption=t("gallery.morph_caption", start=start, end=end, seed=seed), output_format="PNG")
    st.download_button(t("gallery.download_gif"), strip.gif, f"morph-{start}-{end}-seed{seed}.gif", "image/gif",
                       key="gallery_download_morph")


VIEWS = {"sample": show_samples, "same_z": show_same_z, "interpolate": show_interpolation,
         "corners": show_corners, "morph": show_morph, "diagnostics": show_diagnostics}
CONDITIONAL_ONLY = ("same_z", "morph")
