"""Drawing images from a trained generator: seeds, interpolation paths, grids and files.

Latent vectors come from seeds through NumPy's PCG64 generator, whose stream is fixed
across platforms and versions, so "seed 7" is the same digit on every machine.

Two interpolation paths are offered because they teach different things. A latent
vector z ~ N(0, I_d) lies, with overwhelming probability, near the sphere of radius
sqrt(d) (the "Gaussian shell"). The straight line (lerp) between two such vectors cuts
through the inside of the shell: halfway between independent endpoints its norm is about
sqrt(d/2), a region the generator never saw in training. The spherical path (slerp) turns
the direction along the great circle and moves the length linearly, so it stays on
the shell the whole way.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch import nn

from gan_engine.config import RunConfig
from gan_engine.data import NUM_CLASSES
from gan_engine.plots.tiles import tile_images, to_uint8
from gan_engine.errors import ConfigError, GanExplorerError, RunError
from gan_engine.runs.runfile import RunFile
from gan_engine.runs.store import RunStore, list_pretrained, pretrained_path

MAX_SEED = 2**31 - 1
IMAGE_TARGETS = ("mnist", "faces")
# Generate at most this many images per forward pass: bounds peak memory on a small
# hosted machine while keeping the per-call overhead negligible.
GENERATE_BATCH = 1000


# ---- seeds and latent vectors ----------------------------------------------------------

def clamp_seed(seed: int) -> tuple[int, bool]:
    """`seed` moved into [0, MAX_SEED], and whether it had to be moved."""
    clamped = min(max(int(seed), 0), MAX_SEED)
    return clamped, clamped != int(seed)


def check_seed(seed: int) -> int:
    """Return `seed` when it is a whole number in [0, MAX_SEED]; otherwise ConfigError."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed <= MAX_SEED:
        raise ConfigError(f"A seed must be a whole number from 0 to {MAX_SEED}; got {seed!r}.")
    return int(seed)


def latents(seed: int, n: int, latent_dim: int) -> np.ndarray:
    """`n` standard-normal latent vectors from `seed`: float32 (n, latent_dim).

    Row i depends only on (seed, i), so a larger grid from the same seed starts with
    the same images as a smaller one.
    """
    check_seed(seed)
    if n < 0 or latent_dim < 1:
        raise ConfigError(f"Need n >= 0 and latent_dim >= 1; got n={n}, latent_dim={latent_dim}.")
    return np.random.default_rng(seed).standard_normal((n, latent_dim)).astype(np.float32)


def latent(seed: int, latent_dim: int) -> np.ndarray:
    """The single latent vector of `seed`: float32 (latent_dim,)."""
    return latents(seed, 1, latent_dim)[0]


# ---- paths through latent space ---------------------------------------------------------

def _fractions(steps: int) -> np.ndarray:
    if steps < 2:
        raise ConfigError(f"An interpolation needs at least 2 steps; got {steps}.")
    return np.linspace(0.0, 1.0, steps)


def lerp(z0: np.ndarray, z1: np.ndarray, steps: int) -> np.ndarray:
    """Straight-line path from z0 to z1 (both (d,)): float32 (steps, d), rows 0 and -1 exact."""
    t = _fractions(steps)[:, None]
    z0 = np.asarray(z0, dtype=np.float64)
    z1 = np.asarray(z1, dtype=np.float64)
    path = (1.0 - t) * z0 + t * z1
    path[0], path[-1] = z0, z1
    return path.astype(np.float32)


def slerp(z0: np.ndarray, z1: np.ndarray, steps: int) -> np.ndarray:
    """Spherical path from z0 to z1 (both (d,)): float32 (steps, d), rows 0 and -1 exact.

    The direction moves at constant angular speed along the great circle through
    z0/‖z0‖ and z1/‖z1‖ (Shoemake's slerp); the length moves linearly from ‖z0‖ to
    ‖z1‖, so every point's norm lies between the endpoints' norms. Nearly parallel
    endpoints fall back to the straight line, where the two paths coincide anyway.
    """
    t = _fractions(steps)[:, None]
    z0 = np.asarray(z0, dtype=np.float64)
    z1 = np.asarray(z1, dtype=np.float64)
    r0, r1 = np.linalg.norm(z0), np.linalg.norm(z1)
    if r0 == 0.0 or r1 == 0.0:
        return lerp(z0, z1, steps)
    u0, u1 = z0 / r0, z1 / r1
    omega = np.arccos(np.clip(u0 @ u1, -1.0, 1.0))
    if np.sin(omega) < 1e-6:
        return lerp(z0, z1, steps)
    direction = (np.sin((1.0 - t) * omega) * u0 + np.sin(t * omega) * u1) / np.sin(omega)
    path = ((1.0 - t) * r0 + t * r1) * direction
    path[0], path[-1] = z0, z1
    return path.astype(np.float32)


PATHS = {"lerp": lerp, "slerp": slerp}


def corner_grid(corners: np.ndarray, rows: int, cols: int, method: str = "slerp") -> np.ndarray:
    """A rows x cols sheet of latents spanned by four corners: float32 (rows, cols, d).

    `corners` is (4, d): top-left, top-right, bottom-left, bottom-right. Each row is the
    path between the matching points of the left and right edges, so the four corners
    come back exactly.
    """
    if method not in PATHS:
        raise ConfigError(f"Unknown interpolation {method!r}: choose lerp or slerp.")
    corners = np.asarray(corners)
    if corners.ndim != 2 or corners.shape[0] != 4:
        raise ConfigError(f"corner_grid needs four corner vectors, shape (4, d); got {corners.shape}.")
    path = PATHS[method]
    left = path(corners[0], corners[2], rows)     # (rows, d)
    right = path(corners[1], corners[3], rows)    # (rows, d)
    return np.stack([path(left[i], right[i], cols) for i in range(rows)])


def label_morph_weights(start: int, end: int, steps: int, num_classes: int = NUM_CLASSES) -> np.ndarray:
    """Class-weight vectors moving from one-hot(start) to one-hot(end): float32 (steps, num_classes)."""
    for label in (start, end):
        if not 0 <= label < num_classes:
            raise ConfigError(f"A class label must be from 0 to {num_classes - 1}; got {label}.")
    eye = np.eye(num_classes, dtype=np.float64)
    return lerp(eye[start], eye[end], steps)


# ---- which generators can be drawn from ------------------------------------------------------

@dataclass(frozen=True)
class GeneratorSource:
    """A generator the gallery can offer: `spec` is "pretrained:NAME" or a run key.

    `stamp` (nanoseconds) is the file's modification time, so a cache keyed on it sees a
    replaced file as new.
    """

    spec: str
    path: Path
    config: RunConfig
    stamp: int

    @property
    def pretrained(self) -> bool:
        return self.spec.startswith("pretrained:")


def available_generators(store: RunStore | None = None) -> list[GeneratorSource]:
    """The shipped generators, then the finished image runs of the cache (newest first).

    Toy runs (1-D / 2-D targets) and runs that did not finish are left out: they have no
    images to show. Unreadable files are skipped here; opening one by spec reports why.
    """
    store = store or RunStore()
    summaries = []
    for name in list_pretrained():
        path = pretrained_path(name)
        try:
            summaries.append((f"pretrained:{name}", path, RunFile(path).summary()))
        except GanExplorerError:
            continue   # e.g. the classifier, which shares the folder but is not a run
    runs = store.list_runs()
    if len(runs):
        for key in runs.loc[(runs["status"] == "done") & runs["target"].isin(IMAGE_TARGETS), "key"]:
            try:
                summaries.append((key, store.run_path(key), store.summary(key)))
            except GanExplorerError:
                continue
    found = []
    for spec, path, summary in summaries:
        if summary is None or summary.status != "done" or summary.config.target not in IMAGE_TARGETS:
            continue
        try:
            found.append(GeneratorSource(spec, path, summary.config, path.stat().st_mtime_ns))
        except OSError:   # deleted since it was listed
            continue
    return found


@dataclass(frozen=True)
class LoadedGenerator:
    """A generator ready to draw from: its run's configuration and the module in eval mode on CPU."""

    config: RunConfig
    generator: nn.Module

    @property
    def latent_dim(self) -> int:
        return self.config.latent_dim

    @property
    def conditional(self) -> bool:
        return is_conditional(self.generator)


def load_generator(source: GeneratorSource) -> LoadedGenerator:
    """Load the generator of `source`; RunError names what is wrong with a damaged file."""
    if source.config.target not in IMAGE_TARGETS:
        raise RunError(f"{source.spec} is a {source.config.target} run, not an image generator.")
    try:
        config, generator, _ = RunFile(source.path).load_models("cpu")
    except (OSError, RuntimeError, ValueError, KeyError) as error:
        raise RunError(f"The weights of {source.spec} cannot be loaded ({error}).") from None
    return LoadedGenerator(config, generator.eval())


# ---- running the generator ---------------------------------------------------------------

def is_conditional(generator: nn.Module) -> bool:
    """Whether `generator` takes a class input (the engine's models set `num_classes`)."""
    return int(getattr(generator, "num_classes", 0) or 0) > 0


@torch.no_grad()
def generate(generator: nn.Module, z: np.ndarray, labels: np.ndarray | None = None) -> np.ndarray:
    """Images from latents: float32 in [0, 1], (B, H, W) for grey or (B, H, W, 3) for colour.

    `z` is (B, latent_dim). `labels` is required for a conditional generator and is
    either int (B,) class indices or float (B, num_classes) class weights (for morphing).
    """
    z = np.asarray(z, dtype=np.float32)
    conditional = is_conditional(generator)
    if conditional and labels is None:
        raise ConfigError("This generator is conditional: choose which digit to draw.")
    if not conditional and labels is not None:
        raise ConfigError("This generator is unconditional: it takes no digit.")
    was_training = generator.training
    generator.eval()   # batch-norm generators must use their running statistics here
    device = next(generator.parameters()).device
    chunks = []
    try:
        for start in range(0, len(z), GENERATE_BATCH):
            zb = torch.from_numpy(z[start:start + GENERATE_BATCH]).to(device)
            if conditional:
                lb = np.asarray(labels)[start:start + GENERATE_BATCH]
                lt = torch.from_numpy(lb.astype(np.int64 if lb.ndim == 1 else np.float32)).to(device)
                out = generator(zb, lt)
            else:
                out = generator(zb)
            chunks.append(out.float().clamp(0.0, 1.0).cpu().numpy())
    finally:
        generator.train(was_training)
    images = np.concatenate(chunks) if chunks else np.zeros((0, 1, 1, 1), np.float32)
    # (B, C, H, W) -> (B, H, W) for one channel, (B, H, W, C) otherwise
    return images[:, 0] if images.shape[1] == 1 else images.transpose(0, 2, 3, 1)


def conditional_samples(generator: nn.Module, latent_dim: int, digits: list[int],
                        per_digit: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """`per_digit` images of each digit in `digits`, digit-major order.

    Returns (images (len(digits)*per_digit, H, W), labels int64 (same length,)). The
    latents are the same for every digit (z_i from `seed`), so rows differ only in class.
    """
    z = latents(seed, per_digit, latent_dim)
    labels = np.repeat(np.asarray(digits, dtype=np.int64), per_digit)
    return generate(generator, np.tile(z, (len(digits), 1)), labels), labels


def unconditional_samples(generator: nn.Module, latent_dim: int, n: int, seed: int) -> np.ndarray:
    """`n` images from the latents of `seed`: (n, H, W) or (n, H, W, 3)."""
    return generate(generator, latents(seed, n, latent_dim))


def same_z_every_digit(generator: nn.Module, latent_dim: int, rows: int, seed: int) -> np.ndarray:
    """One row per latent vector, one column per class: (rows * 10, H, W), row-major.

    Holding z fixed along a row separates what z encodes (style: slant, stroke width)
    from what the class input encodes (which digit).
    """
    z = latents(seed, rows, latent_dim)
    labels = np.tile(np.arange(NUM_CLASSES, dtype=np.int64), rows)
    return generate(generator, np.repeat(z, NUM_CLASSES, axis=0), labels)


# ---- images and files ----------------------------------------------------------------------

def upscale(image: np.ndarray, factor: int) -> np.ndarray:
    """Nearest-neighbour enlargement by an integer factor (keeps pixels crisp)."""
    if factor < 1:
        raise ConfigError(f"The scale factor must be at least 1; got {factor}.")
    return np.repeat(np.repeat(image, factor, axis=0), factor, axis=1)


def png_bytes(image: np.ndarray) -> bytes:
    """A uint8 (H, W) or (H, W, 3) picture as PNG file bytes."""
    buffer = io.BytesIO()
    Image.fromarray(to_uint8(image)).save(buffer, format="PNG")
    return buffer.getvalue()


def gif_bytes(frames: np.ndarray, frame_ms: int = 120, bounce: bool = True) -> bytes:
    """An animated, endlessly looping GIF from frames (T, H, W) or (T, H, W, 3).

    With `bounce` the animation plays forward then backward, so the loop has no jump.
    `frame_ms` is the display time of each frame in milliseconds.
    """
    frames = to_uint8(frames)
    if len(frames) == 0:
        raise ConfigError("An animation needs at least one frame.")
    order = list(range(len(frames)))
    if bounce and len(frames) > 2:
        order += order[-2:0:-1]
    pictures = [Image.fromarray(frames[i]) for i in order]
    buffer = io.BytesIO()
    pictures[0].save(buffer, format="GIF", save_all=True, append_images=pictures[1:],
                     duration=frame_ms, loop=0, optimize=False)
    return buffer.getvalue()
