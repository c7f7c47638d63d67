"""Gallery page: draw from trained generators, walk through their latent space, judge samples.

The page reads widgets and shows what `ui/gallery_view.py` computes (cached; each
generator is loaded once per server process). Only the chosen view is computed. Like every
page it sets up the shared frame itself (`ui.frame.setup_page`), so a deep link works.
"""

import numpy as np
import streamlit as st

from gan_engine.errors import DataError, GanExplorerError
from gan_engine.plots import gallery as plots
from gan_engine.judge.sampling import MAX_SEED, clamp_seed
from ui import gallery_view as view
from ui.frame import setup_page
from ui.i18n import labelled, t

DIGITS = list(range(10))
LIVE_PER_CLASS = 200   # samples per digit when a generator carries no recorded scores


def seed_input(label: str, key: str, default: int, container=st) -> int:
    """A seed box; a value outside [0, MAX_SEED] is clamped, with a message saying so."""
    value = container.number_input(label, value=default, step=1, key=key, help=t("gallery.seed_help", max=MAX_SEED))
    seed, moved = clamp_seed(value)
    if moved:
        container.warning(t("gallery.seed_clamped", value=value, seed=seed, max=MAX_SEED))
    return seed


def digit_input(label: str, key: str, default: int, container=st) -> int:
    return container.selectbox(label, DIGITS, index=default, key=key)


def describe(source: view.GeneratorSource) -> str:
    if source.pretrained:
        return t("gallery.source_pretrained", name=source.spec.removeprefix("pretrained:"))
    return t("gallery.source_run", preset=source.config.preset, run=source.spec[:8],
             iterations=source.config.iterations)


def picture(sheet: view.Sheet, caption: str, file_name: str, key: str, container=st) -> None:
    container.image(sheet.png, caption=caption, output_format="PNG")
    container.download_button(t("gallery.download_png"), sheet.png, file_name, "image/png", key=key)


def show_samples(args: tuple, model: view.LoadedGenerator, seed: int) -> None:
    cols = st.columns(2)
    digit = None
    if model.conditional:
        picked = cols[0].selectbox(t("gallery.digit"), ["all", *DIGITS], key=labelled("gallery_digit"),
                                   format_func=lambda d: t("gallery.all_digits") if d == "all" else str(d))
        digit = None if picked == "all" else picked
    size = cols[1].slider(t("gallery.grid_size"), 2, 10, 10, key="gallery_size", help=t("gallery.grid_size_help"))
    picture(view.sample_sheet(*args, digit, size, seed), t("gallery.sample_caption", seed=seed),
            f"samples-seed{seed}.png", "gallery_download_samples")


def show_same_z(args: tuple, model: view.LoadedGenerator, seed: int) -> None:
    rows = st.slider(t("gallery.rows"), 1, 10, 5, key="gallery_rows")
    picture(view.same_z_sheet(*args, rows, seed), t("gallery.same_z_caption"), f"same-z-seed{seed}.png",
            "gallery_download_same_z")


def show_interpolation(args: tuple, model: view.LoadedGenerator, seed: int) -> None:
    cols = st.columns(3)
    seed_b = seed_input(t("gallery.seed_b"), "gallery_seed_b", 1, cols[0])
    steps = cols[1].slider(t("gallery.steps"), 3, 16, 9, key="gallery_steps")
    digit = digit_input(t("gallery.digit"), "gallery_path_digit", 3, cols[2]) if model.conditional else None
    strips = {method: view.interpolation(*args, method, seed, seed_b, steps, digit) for method in ("lerp", "slerp")}
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


def show_corners(args: tuple, model: view.LoadedGenerator, seed: int) -> None:
    cols = st.columns(4)
    others = [seed_input(t(f"gallery.corner_{name}"), f"gallery_corner_{name}", default, column)
              for name, default, column in (("tr", 1, cols[0]), ("bl", 2, cols[1]), ("br", 3, cols[2]))]
    seeds = (seed, *others)
    size = cols[3].slider(t("gallery.grid_size"), 3, 10, 7, key="gallery_corner_size")
    cols = st.columns(2)
    method = cols[0].radio(t("gallery.method"), ["slerp", "lerp"], horizontal=True, key="gallery_corner_method")
    digit = digit_input(t("gallery.digit"), "gallery_corner_digit", 8, cols[1]) if model.conditional else None
    picture(view.corner_sheet(*args, seeds, size, method, digit),
            t("gallery.corners_caption", tl=seeds[0], tr=seeds[1], bl=seeds[2], br=seeds[3]),
            f"corners-{'-'.join(map(str, seeds))}.png", "gallery_download_corners")


def show_morph(args: tuple, model: view.LoadedGenerator, seed: int) -> None:
    cols = st.columns(3)
    start = digit_input(t("gallery.morph_from"), "gallery_morph_from", 1, cols[0])
    end = digit_input(t("gallery.morph_to"), "gallery_morph_to", 7, cols[1])
    steps = cols[2].slider(t("gallery.steps"), 3, 16, 9, key="gallery_morph_steps")
    strip = view.label_morph(*args, seed, start, end, steps)
    st.image(strip.sheet.png, caption=t("gallery.morph_caption", start=start, end=end, seed=seed), output_format="PNG")
    st.download_button(t("gallery.download_gif"), strip.gif, f"morph-{start}-{end}-seed{seed}.gif", "image/gif",
                       key="gallery_download_morph")


def show_diagnostics(args: tuple, model: view.LoadedGenerator, seed: int) -> None:
    """Classifier scores of the generator beside real digits', then nearest training images."""
    if model.config.target != "mnist":
        st.info(t("gallery.diag_not_digits"))
        return
    recorded = view.recorded_scores(*args)
    if recorded is not None:
        scores, attrs = recorded
        st.caption(t("gallery.scores_recorded", n=scores.samples_per_class, acc=attrs["classifier_accuracy"]))
    else:
        scores = view.live_scores(*args, LIVE_PER_CLASS)
        st.caption(t("gallery.scores_live", n=LIVE_PER_CLASS, acc=view.classifier().info["holdout_accuracy"]))
    cols = st.columns(3)
    if scores.conditional:
        cols[0].metric(t("gallery.metric_accuracy"), f"{np.nanmin(scores.accuracy):.1%}",
                       help=t("gallery.metric_accuracy_help"))
    else:
        cols[0].metric(t("gallery.metric_classes"), int(np.sum(scores.histogram >= 0.02)),
                       help=t("gallery.metric_classes_help"))
    cols[1].metric(t("gallery.metric_diversity"), f"{np.nanmin(scores.diversity_ratio):.0%}",
                   help=t("gallery.metric_diversity_help"))
    cols[2].metric(t("gallery.metric_frechet"), f"{scores.frechet:.1f}",
                   help=t("gallery.metric_frechet_help", floor=scores.frechet_floor, n=scores.frechet_samples))
    names = {"generated_name": t("gallery.generated"), "real_name": t("gallery.real"), "x_title": t("gallery.digit")}
    charts = st.columns(2)
    if scores.conditional:
        first = plots.per_class_comparison(scores.accuracy, scores.real_accuracy, title=t("gallery.accuracy_title"),
                                           y_title=t("gallery.accuracy_y"), percent=True, threshold=0.95,
                                           threshold_label="95%", **names)
    else:
        first = plots.class_histogram(scores.histogram, title=t("gallery.histogram_title"), x_title=t("gallery.digit"),
                                      y_title=t("gallery.histogram_y"), reference=scores.real_histogram,
                                      generated_name=t("gallery.generated"), reference_name=t("gallery.real"))
    charts[0].plotly_chart(first, width="stretch", key="gallery_scores_plot")
    charts[1].plotly_chart(plots.per_class_comparison(scores.diversity, scores.real_diversity,
                                                      title=t("gallery.diversity_title"),
                                                      y_title=t("gallery.diversity_y"), **names),
                           width="stretch", key="gallery_diversity_plot")
    st.caption(t("gallery.diversity_explain"))

    st.subheader(t("gallery.nearest_title"))
    digit = digit_input(t("gallery.digit"), "gallery_nearest_digit", 2) if scores.conditional else None
    try:
        found = view.nearest(*args, digit, seed)
    except DataError as exc:
        st.info(t("gallery.nearest_no_data", error=str(exc)))
        return
    st.image(found.samples.png, caption=t("gallery.nearest_samples", seed=seed), output_format="PNG")
    st.image(found.matches.png, caption=t("gallery.nearest_matches"), output_format="PNG")
    st.caption(t("gallery.nearest_explain", distances=", ".join(f"{d:.3f}" for d in found.distances),
                 real=found.real_median))


VIEWS = {"sample": show_samples, "same_z": show_same_z, "interpolate": show_interpolation,
         "corners": show_corners, "morph": show_morph, "diagnostics": show_diagnostics}
CONDITIONAL_ONLY = ("same_z", "morph")

setup_page("nav.gallery")
st.title(t("gallery.title"))
st.caption(t("gallery.intro"))
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
                        key=labelled("gallery_generator"), help=t("gallery.generator_help"))
seed = seed_input(t("gallery.seed"), "gallery_seed", 0, top[1])
source = by_spec[spec]
args = (spec, source.stamp, source)
try:
    model = view.generator(*args)
    recorded = view.recorded_scores(*args)
except GanExplorerError as exc:
    st.error(t("gallery.load_failed", name=describe(source), error=str(exc)))
    st.stop()

st.caption(t("gallery.model_line", kind=t("gallery.conditional" if model.conditional else "gallery.unconditional"),
             latent=model.latent_dim, preset=model.config.preset, iterations=model.config.iterations))
if recorded is not None and recorded[0].conditional:
    scores = recorded[0]
    st.caption(t("gallery.quality_line", n=scores.samples_per_class, accuracy=float(np.min(scores.accuracy)),
                 diversity=float(np.min(scores.diversity_ratio))))

names = [name for name in VIEWS if model.conditional or name not in CONDITIONAL_ONLY]
choice = st.segmented_control(t("gallery.view"), names, format_func=lambda name: t(f"gallery.view.{name}"),
                              default="sample", required=True, key=labelled("gallery_view"), label_visibility="collapsed")
try:
    VIEWS[choice](args, model, seed)
except GanExplorerError as exc:
    st.error(str(exc))
