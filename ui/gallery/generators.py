"""The Gallery page's generators and the pictures drawn from them (cached).

Generators are loaded once per server process (`st.cache_resource`, keyed by the
generator's spec and its file's modification stamp, so a replaced file is loaded afresh).
Everything drawn from them is a pure function of its arguments and cached with
`st.cache_data`. No tensor or module is ever a hashed argument: the objects that are not
keys travel as `_`-prefixed parameters, which Streamlit leaves out of the key.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from gan_engine.config import PRESETS, RunConfig
from gan_engine.errors import ConfigError
from gan_engine.judge import sampling
from gan_engine.judge.sampling import GeneratorSource, LoadedGenerator
from gan_engine.runs.store import RunStore, default_runs_dir

SHEET_PIXELS = 640      # displayed sheets are enlarged by a whole factor towards this width
STRIP_PIXELS = 600      # the same for the interpolation strips
GIF_FACTOR = 4          # GIF frames: 28 px digits become 112 px


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
def same_settings_preset(config: RunConfig) -> str | None:
    """Another preset whose settings are exactly this generator's (same cache key), if any:
    the shipped generator was launched as mnist-cgan with a wider model and longer training,
    which is the mnist-cdcgan preset, and the model line says so."""
    key = config.key()
    return next((name for name, candidate in PRESETS.items()
                 if name != config.preset and candidate.key() == key), None)


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


def tiled_sheet(images: np.ndarray, cols: int, target_pixels: int) -> Sheet:
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
        return tiled_sheet(sampling.unconditional_samples(model.generator, model.latent_dim, size * size, seed),
                           size, SHEET_PIXELS)
    digits, per_digit = (list(range(10)), size) if digit is None else ([digit], size * size)
    images, _ = sampling.conditional_samples(model.generator, model.latent_dim, digits, per_digit, seed)
    return tiled_sheet(images, size, SHEET_PIXELS)


@st.cache_data(show_spinner=False, max_entries=32)
def same_z_sheet(spec: str, stamp: int, _source: GeneratorSource, rows: int, seed: int) -> Sheet:
    """One row per latent of `seed`, the ten digits across: (rows x 10) sheet."""
    model = generator(spec, stamp, _source)
    return tiled_sheet(sampling.same_z_every_digit(model.generator, model.latent_dim, rows, seed), 10,
                       SHEET_PIXELS)


def class_labels(model: LoadedGenerator, digit: int | None, count: int) -> np.ndarray | None:
    """`count` copies of `digit` for a conditional generator; None for an unconditional one."""
    if not model.conditional:
        return None
    if digit is None:
        raise ConfigError("This generator is conditional: choose which digit to draw.")
    return np.full(count, digit, dtype=np.int64)


def _strip(images: np.ndarray, norms: np.ndarray) -> Strip:
    """The strip of `images` (T, ...) as a picture and a GIF, with the path's norms (T,)."""
    frames = np.stack([sampling.upscale(frame, GIF_FACTOR) for frame in sampling.to_uint8(images)])
    return Strip(tiled_sheet(images, len(images), STRIP_PIXELS), sampling.gif_bytes(frames), norms)


@st.cache_data(show_spinner=False, max_entries=32)
def interpolation(spec: str, stamp: int, _source: GeneratorSource, method: str, seed_a: int, seed_b: int,
                  steps: int, digit: int | None) -> Strip:
    """The path (`lerp` or `slerp`) from the latent of `seed_a` to that of `seed_b`."""
    model = generator(spec, stamp, _source)
    path = sampling.PATHS[method](sampling.latent(seed_a, model.latent_dim),
                                  sampling.latent(seed_b, model.latent_dim), steps)
    images = sampling.generate(model.generator, path, class_labels(model, digit, steps))
    return _strip(images, np.linalg.norm(path, axis=1))


@st.cache_data(show_spinner=False, max_entries=32)
def corner_sheet(spec: str, stamp: int, _source: GeneratorSource, seeds: tuple[int, int, int, int],
                 size: int, method: str, digit: int | None) -> Sheet:
    """A `size` x `size` sheet spanned by the latents of four corner seeds (TL, TR, BL, BR)."""
    model = generator(spec, stamp, _source)
    corners = np.stack([sampling.latent(seed, model.latent_dim) for seed in seeds])
    grid = sampling.corner_grid(corners, size, size, method).reshape(size * size, -1)
    return tiled_sheet(sampling.generate(model.generator, grid, class_labels(model, digit, size * size)), size,
                       SHEET_PIXELS)


@st.cache_data(show_spinner=False, max_entries=32)
def label_morph(spec: str, stamp: int, _source: GeneratorSource, seed: int, start: int, end: int,
                steps: int) -> Strip:
    """A fixed latent (from `seed`) while the class input moves from `start` to `end`."""
    model = generator(spec, stamp, _source)
    weights = sampling.label_morph_weights(start, end, steps)
    z = np.repeat(sampling.latent(seed, model.latent_dim)[None], steps, axis=0)
    return _strip(sampling.generate(model.generator, z, weights), np.linalg.norm(z, axis=1))
