"""The Gallery page's cached work: finding and loading generators, drawing sheets, scoring.

Generators and the classifier are loaded once per server process (`st.cache_resource`,
keyed by the generator's spec and its file's modification stamp, so a replaced file is
loaded afresh). Everything drawn from them is a pure function of its arguments and cached
with `st.cache_data`. No tensor or module is ever a hashed argument: the objects that are
not keys travel as `_`-prefixed parameters, which Streamlit leaves out of the key.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from gan_engine import judge
from gan_engine.judge import sampling
from gan_engine.data import holdout_split, load_mnist
from gan_engine.train.real_data import MNIST_HOLDOUT_FRACTION, MNIST_SPLIT_SEED
from gan_engine.errors import ConfigError
from gan_engine.judge.sampling import GeneratorSource, LoadedGenerator
from gan_engine.runs.store import RunStore, default_runs_dir

SHEET_PIXELS = 640      # displayed sheets are enlarged by a whole factor towards this width
STRIP_PIXELS = 600      # the same for the interpolation strips
GIF_FACTOR = 4          # GIF frames: 28 px digits become 112 px
NEAREST_COUNT = 8       # samples shown with their nearest training image
NEAREST_REFERENCE = 300  # held-out real digits used for the typical nearest distance


@dataclass(frozen=True)
class Sheet:
    """A picture ready to show: tiled images, enlarged, as PNG bytes (for display and download)."""

    png: bytes


@dataclass(frozen=True)
class Strip:
    """An interpolation: the strip as a picture, the same frames as a GIF, and the latent
    norms ‖z‖ (T,) along the path."""

    sheet: Sheet
    gif: bytes
    norms: np.ndarray


@st.cache_resource(show_spinner=False)
def run_store(root: str) -> RunStore:
    """One store per runs directory and process, so its memo of finished runs is shared."""
    return RunStore(root)


def sources() -> list[GeneratorSource]:
    """Shipped generators and finished image runs (listing is cheap and must see new runs)."""
    return sampling.available_generators(run_store(str(default_runs_dir())))


@st.cache_resource(show_spinner=False, max_entries=8)
def generator(spec: str, stamp: int, _source: GeneratorSource) -> LoadedGenerator:
    """The loaded generator of `_source` (identified by `spec` and file stamp)."""
    return sampling.load_generator(_source)


def _sheet(images: np.ndarray, cols: int, target_pixels: int) -> Sheet:
    """Tile, then enlarge by the whole factor that brings the width nearest `target_pixels`.

    Enlarging here (nearest neighbour) keeps the pixels crisp; a browser scaling a small
    picture up would blur them.
    """
    grid = sampling.tile_images(images, cols, border=True)
    factor = max(1, round(target_pixels / grid.shape[1]))
    return Sheet(sampling.png_bytes(sampling.upscale(grid, factor)))


@st.cache_data(show_spinner=False, max_entries=64)
def sample_sheet(spec: str, stamp: int, _source: GeneratorSource, digit: int | None, size: int,
                 seed: int) -> Sheet:
    """Conditional: `size` x `size` samples of `digit`, or (digit None) one row of `size` per
    digit. Unconditional: `size` x `size` samples. Latents come from `seed`."""
    model = generator(spec, stamp, _source)
    if not model.conditional:
        return _sheet(sampling.unconditional_samples(model.generator, model.latent_dim, size * size, seed),
                      size, SHEET_PIXELS)
    digits, per_digit = (list(range(10)), size) if digit is None else ([digit], size * size)
    images, _ = sampling.conditional_samples(model.generator, model.latent_dim, digits, per_digit, seed)
    return _sheet(images, size, SHEET_PIXELS)


@st.cache_data(show_spinner=False, max_entries=32)
def same_z_sheet(spec: str, stamp: int, _source: GeneratorSource, rows: int, seed: int) -> Sheet:
    """One row per latent of `seed`, the ten digits across: (rows x 10) sheet."""
    model = generator(spec, stamp, _source)
    return _sheet(sampling.same_z_every_digit(model.generator, model.latent_dim, rows, seed), 10, SHEET_PIXELS)


def _labels(model: LoadedGenerator, digit: int | None, count: int) -> np.ndarray | None:
    """`count` copies of `digit` for a conditional generator; None for an unconditional one."""
    if not model.conditional:
        return None
    if digit is None:
        raise ConfigError("This generator is conditional: choose which digit to draw.")
    return np.full(count, digit, dtype=np.int64)


def _strip(images: np.ndarray, norms: np.ndarray) -> Strip:
    frames = np.stack([sampling.upscale(frame, GIF_FACTOR) for frame in sampling.to_uint8(images)])
    return Strip(_sheet(images, len(images), STRIP_PIXELS), sampling.gif_bytes(frames), norms)


@st.cache_data(show_spinner=False, max_entries=32)
def interpolation(spec: str, stamp: int, _source: GeneratorSource, method: str, seed_a: int, seed_b: int,
                  steps: int, digit: int | None) -> Strip:
    """The path (`lerp` or `slerp`) from the latent of `seed_a` to that of `seed_b`."""
    model = generator(spec, stamp, _source)
    path = sampling.PATHS[method](sampling.latent(seed_a, model.latent_dim),
                                  sampling.latent(seed_b, model.latent_dim), steps)
    images = sampling.generate(model.generator, path, _labels(model, digit, steps))
    return _strip(images, np.linalg.norm(path, axis=1))


@st.cache_data(show_spinner=False, max_entries=32)
def corner_sheet(spec: str, stamp: int, _source: GeneratorSource, seeds: tuple[int, int, int, int],
                 size: int, method: str, digit: int | None) -> Sheet:
    """A `size` x `size` sheet spanned by the latents of four corner seeds (TL, TR, BL, BR)."""
    model = generator(spec, stamp, _source)
    corners = np.stack([sampling.latent(seed, model.latent_dim) for seed in seeds])
    grid = sampling.corner_grid(corners, size, size, method).reshape(size * size, -1)
    return _sheet(sampling.generate(model.generator, grid, _labels(model, digit, size * size)), size, SHEET_PIXELS)


@st.cache_data(show_spinner=False, max_entries=32)
def label_morph(spec: str, stamp: int, _source: GeneratorSource, seed: int, start: int, end: int,
                steps: int) -> Strip:
    """A fixed latent (from `seed`) while the class input moves from `start` to `end`."""
    model = generator(spec, stamp, _source)
    weights = sampling.label_morph_weights(start, end, steps)
    z = np.repeat(sampling.latent(seed, model.latent_dim)[None], steps, axis=0)
    return _strip(sampling.generate(model.generator, z, weights), np.linalg.norm(z, axis=1))


# ---- diagnostics -------------------------------------------------------------------------------

@st.cache_resource(show_spinner=False)
def classifier() -> judge.Classifier:
    """The shipped digit classifier (DataError when its file is missing or damaged)."""
    return judge.load_classifier()


@st.cache_data(show_spinner=False, max_entries=16)
def recorded_scores(spec: str, stamp: int, _source: GeneratorSource) -> tuple[judge.GeneratorScores, dict] | None:
    """The evaluation stored in the generator's file by `gan-explorer score --write`, if any."""
    return judge.read_scores(_source.path)


@st.cache_data(show_spinner=False, max_entries=16)
def live_scores(spec: str, stamp: int, _source: GeneratorSource, per_class: int) -> judge.GeneratorScores:
    """Score a generator that carries no recorded evaluation (about a second per 1,000 samples)."""
    model = generator(spec, stamp, _source)
    return judge.score_generator(model.generator, model.latent_dim, classifier(), per_class)


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
    samples = sampling.generate(model.generator, z, _labels(model, digit, NEAREST_COUNT))
    index, distances = judge.nearest_images(samples, fit)
    reference = held[np.linspace(0, len(held) - 1, min(NEAREST_REFERENCE, len(held))).astype(int)]
    _, real_distances = judge.nearest_images(reference, fit)
    return Nearest(_sheet(samples, NEAREST_COUNT, STRIP_PIXELS), _sheet(fit[index], NEAREST_COUNT, STRIP_PIXELS),
                   distances, float(np.median(real_distances)))
