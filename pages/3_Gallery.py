"""Gallery page: draw from trained generators, walk through their latent space, judge samples.

The page reads widgets and shows what `ui/gallery_view.py` computes (cached; the
generator is loaded once per server process). Only the chosen view is computed.
"""

import numpy as np
import streamlit as st

from gan_engine.errors import GanExplorerError
from gan_engine.plots import gallery as plots
from gan_engine.sampling import MAX_SEED, clamp_seed
from ui import gallery_view as view
from ui.i18n import t

DIGITS = list(range(10))

st.title(t("gallery.title"))
st.caption(t("gallery.intro"))


def seed_input(label: str, key: str, default: int, container=st) -> int:
    """A seed box; a value outside [0, MAX_SEED] is clamped, with a message saying so."""
    value = container.number_input(label, value=default, step=1, key=key, help=t("gallery.seed_help", max=MAX_SEED))
    seed, moved = clamp_seed(value)
    if moved:
        container.warning(t("gallery.seed_clamped", value=value, seed=seed, max=MAX_SEED))
    return seed


def digit_input(label: str, key: str, default: int, container=st) -> int:
    return container.selectbox(label, DIGITS, index=default, key=key)


def describe(source) -> str:
    if source.pretrained:
        return t("gallery.source_pretrained", name=source.spec.removeprefix("pretrained:"))
    c = source.config
    return t("gallery.source_run", preset=c.preset, key=source.spec[:8], iterations=c.iterations)


try:
    sources = view.sources()
except GanExplorerError as exc:
    st.error(str(exc))
    sources = []
if not sources:
    st.warning(t("gallery.no_generators"))
    st.stop()

by_spec = {source.spec: source for source in sources}
top = st.columns([2, 1])
spec = top[0].selectbox(t("gallery.generator"), list(by_spec), format_func=lambda s: describe(by_spec[s]),
                        key="gallery_generator", help=t("gallery.generator_help"))
source = by_spec[spec]
seed = seed_input(t("gallery.seed"), "gallery_seed", 0, top[1])
args = (spec, source.stamp, source)
try:
    model = view.generator(*args)
except GanExplorerError as exc:
    st.error(t("gallery.load_failed", name=describe(source), error=str(exc)))
    st.stop()
conditional = model.conditional
st.caption(t("gallery.model_line", kind=t("gallery.conditional" if conditional else "gallery.unconditional"),
             latent=model.latent_dim, preset=model.config.preset, iterations=model.config.iterations))

views = ["sample", "same_z", "interpolate", "corners", "morph", "diagnostics"]
if not conditional:
    views = [name for name in views if name not in ("same_z", "morph")]
choice = st.segmented_control(t("gallery.view"), views, format_func=lambda name: t(f"gallery.view.{name}"),
                              default="sample", required=True, key="gallery_view", label_visibility="collapsed")

try:
    if choice == "sample":
        cols = st.columns(2)
        digit = None
        if conditional:
            picked = cols[0].selectbox(t("gallery.digit"), ["all", *DIGITS], key="gallery_digit",
                                       format_func=lambda d: t("gallery.all_digits") if d == "all" else str(d))
            digit = None if picked == "all" else picked
        size = cols[1].slider(t("gallery.grid_size"), 2, 10, 10, key="gallery_size", help=t("gallery.grid_size_help"))
        sheet = view.sample_sheet(*args, digit, size, seed)
        st.image(sheet.png, caption=t("gallery.sample_caption", seed=seed))
        st.download_button(t("gallery.download_png"), sheet.png, f"samples-seed{seed}.png", "image/png",
                           key="gallery_download_samples")

    elif choice == "same_z":
        rows = st.slider(t("gallery.rows"), 1, 10, 5, key="gallery_rows")
        sheet = view.same_z_sheet(*args, rows, seed)
        st.image(sheet.png, caption=t("gallery.same_z_caption"))
        st.download_button(t("gallery.download_png"), sheet.png, f"same-z-seed{seed}.png", "image/png",
                           key="gallery_download_same_z")

    elif choice == "interpolate":
        cols = st.columns(3)
        seed_b = seed_input(t("gallery.seed_b"), "gallery_seed_b", 1, cols[0])
        steps = cols[1].slider(t("gallery.steps"), 3, 16, 9, key="gallery_steps")
        digit = digit_input(t("gallery.digit"), "gallery_path_digit", 3, cols[2]) if conditional else None
        strips = {method: view.interpolation(*args, method, seed, seed_b, steps, digit) for method in ("lerp", "slerp")}
        for column, (method, strip) in zip(st.columns(2), strips.items()):
            column.image(strip.sheet.png, caption=t(f"gallery.{method}_caption", a=seed, b=seed_b))
            column.download_button(t("gallery.download_gif"), strip.gif, f"{method}-{seed}-{seed_b}.gif", "image/gif",
                                   key=f"gallery_download_{method}")
        fraction = np.linspace(0.0, 1.0, steps)
        st.plotly_chart(plots.path_norms(fraction, strips["lerp"].norms, strips["slerp"].norms, model.latent_dim,
                                         title=t("gallery.norm_title"), x_title=t("gallery.norm_x"),
                                         y_title=t("gallery.norm_y"), shell_label=t("gallery.norm_shell")),
                        width="stretch", key="gallery_norm_plot")
        st.caption(t("gallery.norm_explain", d=model.latent_dim, shell=np.sqrt(model.latent_dim),
                     low=float(strips["lerp"].norms.min())))

    elif choice == "corners":
        cols = st.columns(4)
        seeds = (seed, *(seed_input(t(f"gallery.corner_{name}"), f"gallery_corner_{name}", default, column)
                         for name, default, column in (("tr", 1, cols[0]), ("bl", 2, cols[1]), ("br", 3, cols[2]))))
        size = cols[3].slider(t("gallery.grid_size"), 3, 10, 7, key="gallery_corner_size")
        cols = st.columns(2)
        method = cols[0].radio(t("gallery.method"), ["slerp", "lerp"], horizontal=True, key="gallery_corner_method")
        digit = digit_input(t("gallery.digit"), "gallery_corner_digit", 8, cols[1]) if conditional else None
        sheet = view.corner_sheet(*args, seeds, size, method, digit)
        st.image(sheet.png, caption=t("gallery.corners_caption", tl=seeds[0], tr=seeds[1], bl=seeds[2], br=seeds[3]))
        st.download_button(t("gallery.download_png"), sheet.png, f"corners-{'-'.join(map(str, seeds))}.png",
                           "image/png", key="gallery_download_corners")

    elif choice == "morph":
        cols = st.columns(3)
        start = digit_input(t("gallery.morph_from"), "gallery_morph_from", 1, cols[0])
        end = digit_input(t("gallery.morph_to"), "gallery_morph_to", 7, cols[1])
        steps = cols[2].slider(t("gallery.steps"), 3, 16, 9, key="gallery_morph_steps")
        strip = view.label_morph(*args, seed, start, end, steps)
        st.image(strip.sheet.png, caption=t("gallery.morph_caption", start=start, end=end, seed=seed))
        st.download_button(t("gallery.download_gif"), strip.gif, f"morph-{start}-{end}-seed{seed}.gif", "image/gif",
                           key="gallery_download_morph")

    else:
        from ui import gallery_diagnostics

        gallery_diagnostics.render(args, model, seed)
except GanExplorerError as exc:
    st.error(str(exc))
