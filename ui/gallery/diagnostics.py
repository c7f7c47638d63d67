"""The Gallery page's Diagnostics view: is the generator drawing real-looking, varied digits,
and is it copying its training set?

Two judges (classifiers of different architectures, trained on different digits) score the
generator's samples (recorded in the generator's file by `gan-explorer score --write`, else
computed live and cached); every figure shown is the stricter judge's, with how far the
judges disagree. Then a few samples beside their nearest training images. The judges and
the MNIST split are loaded once per server process.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from gan_engine import judge
from gan_engine.data import NUM_CLASSES, holdout_split, load_mnist
from gan_engine.errors import DataError
from gan_engine.judge import sampling
from gan_engine.judge.sampling import GeneratorSource
from gan_engine.plots import gallery as plots
from gan_engine.train.real_data import MNIST_HOLDOUT_FRACTION, MNIST_SPLIT_SEED
from ui.gallery.generators import STRIP_PIXELS, Sheet, class_labels, generator, tiled_sheet
from ui.gallery.widgets import digit_input
from ui.i18n import t

LIVE_PER_CLASS = 200     # samples per digit when a generator carries no recorded scores
NEAREST_COUNT = 8        # samples shown with their nearest training image
NEAREST_REFERENCE = 300  # held-out real digits used for the typical nearest distance

@st.cache_resource(show_spinner=False)
def judges() -> tuple[judge.Classifier, ...]:
    """The two shipped digit classifiers (DataError when a file is missing or damaged)."""
    return judge.load_judges()


@st.cache_data(show_spinner=False, max_entries=16)
def recorded_scores(spec: str, stamp: int, _source: GeneratorSource) -> tuple[judge.JudgedScores, dict] | None:
    """The judges' evaluation stored in the generator's file by `gan-explorer score --write`, if any,
    and each judge's held-out accuracy."""
    return judge.read_judged(_source.path)


@st.cache_data(show_spinner=False, max_entries=16)
def live_scores(spec: str, stamp: int, _source: GeneratorSource, per_class: int) -> judge.JudgedScores:
    """Score a generator that carries no recorded evaluation (about a second per 1,000 samples)."""
    model = generator(spec, stamp, _source)
    return judge.judge_generator(model.generator, model.latent_dim, judges(), per_class)


@st.cache_resource(show_spinner=False, max_entries=2)
def mnist_parts(data_path: str) -> tuple[np.ndarray, np.ndarray]:
    """(fit images, held-out images) uint8 of the split every MNIST generator trains on.

    Never downloads: the page only reads data that is already on this machine.
    """
    fit, held = holdout_split(load_mnist(data_path or None, download=False),
                              MNIST_HOLDOUT_FRACTION, MNIST_SPLIT_SEED)
    return fit.images, held.images


@dataclass(frozen=True)
class Nearest:
    """A strip of k samples, the strip of their nearest training images, the RMS pixel
    distances (k,) between them, and the median distance of held-out real digits to their
    nearest training image (the yardstick: a copy would be much closer)."""

    samples: Sheet
    matches: Sheet
    distances: np.ndarray
    real_median: float


@st.cache_data(show_spinner=False, max_entries=16)
def nearest(spec: str, stamp: int, _source: GeneratorSource, digit: int | None, seed: int) -> Nearest:
    """The first `NEAREST_COUNT` samples of `seed` (of `digit`) beside their nearest training images."""
    model = generator(spec, stamp, _source)
    fit, held = mnist_parts(model.config.data_path)
    z = sampling.latents(seed, NEAREST_COUNT, model.latent_dim)
    samples = sampling.generate(model.generator, z, class_labels(model, digit, NEAREST_COUNT))
    index, distances = judge.nearest_images(samples, fit)
    reference = held[np.linspace(0, len(held) - 1, min(NEAREST_REFERENCE, len(held))).astype(int)]
    _, real_distances = judge.nearest_images(reference, fit)
    return Nearest(tiled_sheet(samples, NEAREST_COUNT, STRIP_PIXELS),
                   tiled_sheet(fit[index], NEAREST_COUNT, STRIP_PIXELS),
                   distances, float(np.median(real_distances)))


def show_diagnostics(args: tuple, model: sampling.LoadedGenerator, seed: int) -> None:
    """Both judges' scores of the generator beside real digits', then nearest training images."""
    if model.config.target != "mnist":
        st.info(t("gallery.diag_not_digits"))
        return
    recorded = recorded_scores(*args)
    # A conditional generator is asked for n samples of each digit; an unconditional one
    # draws 10 n samples, which the classifier sorts into digits.
    per_digit = "" if model.conditional else "_unconditional"
    if recorded is not None:
        scores, accuracy = recorded
    else:
        scores = live_scores(*args, LIVE_PER_CLASS)
        accuracy = {j.name: j.info["holdout_accuracy"] for j in judges()}
    n = scores.samples // NUM_CLASSES if model.conditional else scores.samples
    where = "recorded" if recorded is not None else "live"
    st.caption(t(f"gallery.scores_{where}{per_digit}", n=n, judges=_judges_text(accuracy)))
    cols = st.columns(4)
    if scores.conditional:
        cols[0].metric(t("gallery.metric_accuracy"), f"{np.nanmin(scores.accuracy):.1%}",
                       help=t("gallery.metric_accuracy_help"))
    else:
        cols[0].metric(t("gallery.metric_classes"), int(scores.produced.sum()), help=t("gallery.metric_classes_help"))
    cols[1].metric(t("gallery.metric_diversity"), f"{scores.min_diversity_ratio:.0%}",
                   help=t("gallery.metric_diversity_help"))
    first = scores.scores[0]
    cols[2].metric(t("gallery.metric_frechet"), f"{first.frechet:.1f}",
                   help=t("gallery.metric_frechet_help", floor=first.frechet_floor, n=first.frechet_samples,
                          ratio=scores.frechet_ratio))
    cols[3].metric(t("gallery.metric_disagreement"), f"{scores.disagreement.max():.1%}",
                   help=t("gallery.metric_disagreement_help"))
    st.caption(t("gallery.per_judge", judges=t("gallery.list_break").join(_per_judge(scores))))
    names = {"generated_name": t("gallery.generated"), "real_name": t("gallery.real"), "x_title": t("gallery.digit")}
    charts = st.columns(2)
    if scores.conditional:
        chart = plots.per_class_comparison(scores.accuracy, scores.real_accuracy, title=t("gallery.accuracy_title"),
                                           y_title=t("gallery.accuracy_y"), percent=True, threshold=0.95,
                                           threshold_label="95%", **names)
    else:
        chart = plots.class_histogram(scores.share, title=t("gallery.histogram_title"), x_title=t("gallery.digit"),
                                      y_title=t("gallery.histogram_y"), reference=first.real_histogram,
                                      generated_name=t("gallery.generated"), reference_name=t("gallery.real"))
    charts[0].plotly_chart(chart, width="stretch", key="gallery_scores_plot")
    charts[1].plotly_chart(plots.per_class_comparison(scores.diversity_ratio, np.ones(10),
                                                      title=t("gallery.diversity_title"),
                                                      y_title=t("gallery.diversity_y"), percent=True, threshold=0.8,
                                                      threshold_label="80%", **names),
                           width="stretch", key="gallery_diversity_plot")
    st.caption(t("gallery.diversity_explain"))

    st.subheader(t("gallery.nearest_title"))
    digit = digit_input(t("gallery.digit"), "gallery_nearest_digit") if scores.conditional else None
    try:
        found = nearest(*args, digit, seed)
    except DataError as exc:
        st.info(t("gallery.nearest_no_data", error=str(exc)))
        return
    st.image(found.samples.png, caption=t("gallery.nearest_samples", seed=seed), output_format="PNG")
    st.image(found.matches.png, caption=t("gallery.nearest_matches"), output_format="PNG")
    st.caption(t("gallery.nearest_explain", distances=", ".join(f"{d:.3f}" for d in found.distances),
                 real=found.real_median))


def _judges_text(accuracy: dict[str, float]) -> str:
    """ "judge A 98.75%, judge B 97.9%": each judge's accuracy on real digits it never saw."""
    return t("gallery.list_comma").join(t("gallery.judge_accuracy", name=name, acc=value)
                                        for name, value in accuracy.items())


def _per_judge(scores: judge.JudgedScores) -> list[str]:
    """Each judge's own worst digit (accuracy, or share of the samples) and worst diversity."""
    texts = []
    for name, one in zip(scores.names, scores.scores):
        worst = np.nanmin(one.accuracy) if scores.conditional else float(one.histogram.min())
        ratio = one.diversity_ratio[scores.produced]
        ratio = ratio[np.isfinite(ratio)]
        texts.append(t("gallery.judge_line_conditional" if scores.conditional else "gallery.judge_line_share",
                       name=name, worst=worst, diversity=float(ratio.min()) if len(ratio) else 0.0))
    return texts
