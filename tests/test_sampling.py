"""gan_engine.judge.sampling: seeds, lerp/slerp, corner grids, label morphing, grids and files.

Generators here are the engine's real models (`build_models`), freshly initialised with a
fixed seed: the properties tested (determinism, endpoints, shapes) do not need training.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
import torch
from PIL import Image

from gan_engine.judge import sampling
from gan_engine.config import preset
from gan_engine.errors import ConfigError, GanExplorerError
from gan_engine.train.models import build_models
from gan_engine.runs.runfile import RunRecord, state_arrays, write_run_file
from gan_engine.runs.store import RunStore

LATENT = 64


@pytest.fixture(scope="module")
def cgan() -> torch.nn.Module:
    torch.manual_seed(0)
    generator, _ = build_models(preset("mnist-cgan", latent_dim=LATENT, hidden_dim=32))
    return generator.eval()


@pytest.fixture(scope="module")
def gan() -> torch.nn.Module:
    torch.manual_seed(0)
    generator, _ = build_models(preset("mnist-gan", latent_dim=LATENT, hidden_dim=32))
    return generator.eval()


# ---- seeds ---------------------------------------------------------------------------------

def test_same_seed_same_latents_and_prefix_stable():
    a = sampling.latents(7, 10, LATENT)
    assert a.shape == (10, LATENT) and a.dtype == np.float32
    np.testing.assert_array_equal(a, sampling.latents(7, 10, LATENT))
    np.testing.assert_array_equal(a[:3], sampling.latents(7, 3, LATENT))   # a bigger grid extends a smaller one
    np.testing.assert_array_equal(sampling.latent(7, LATENT), a[0])
    assert not np.allclose(a, sampling.latents(8, 10, LATENT))


@pytest.mark.parametrize("bad", [-1, sampling.MAX_SEED + 1, 1.5, True, "3"])
def test_check_seed_refuses_out_of_range(bad):
    with pytest.raises(ConfigError, match="seed"):
        sampling.check_seed(bad)


def test_clamp_seed():
    assert sampling.clamp_seed(-5) == (0, True)
    assert sampling.clamp_seed(sampling.MAX_SEED + 10) == (sampling.MAX_SEED, True)
    assert sampling.clamp_seed(42) == (42, False)


# ---- interpolation paths ---------------------------------------------------------------------

@pytest.mark.parametrize("path", [sampling.lerp, sampling.slerp])
def test_paths_start_and_end_at_the_seeds(path):
    z0, z1 = sampling.latent(1, LATENT), sampling.latent(2, LATENT)
    route = path(z0, z1, 9)
    assert route.shape == (9, LATENT)
    np.testing.assert_array_equal(route[0], z0)
    np.testing.assert_array_equal(route[-1], z1)


def test_slerp_stays_on_the_shell_and_lerp_does_not():
    d = 256
    rng = np.random.default_rng(0)
    lerp_middles = []
    for _ in range(50):
        z0, z1 = rng.standard_normal(d), rng.standard_normal(d)
        r0, r1 = np.linalg.norm(z0), np.linalg.norm(z1)
        slerp_norms = np.linalg.norm(sampling.slerp(z0, z1, 21), axis=1)
        lerp_norms = np.linalg.norm(sampling.lerp(z0, z1, 21), axis=1)
        # slerp: every point between the endpoints' lengths (within float32 rounding)
        assert np.all(slerp_norms >= min(r0, r1) * (1 - 1e-5))
        assert np.all(slerp_norms <= max(r0, r1) * (1 + 1e-5))
        # lerp: the middle of the path is well inside the shell
        assert lerp_norms[10] < 0.85 * min(r0, r1)
        lerp_middles.append(lerp_norms[10] / np.sqrt(d))
    # for independent unit-normal endpoints the midpoint's length is about sqrt(d / 2)
    assert np.mean(lerp_middles) == pytest.approx(np.sqrt(0.5), abs=0.02)


def test_slerp_moves_at_constant_angular_speed():
    z0, z1 = sampling.latent(3, LATENT), sampling.latent(4, LATENT)
    route = sampling.slerp(z0, z1, 11).astype(np.float64)
    unit = route / np.linalg.norm(route, axis=1, keepdims=True)
    steps = np.arccos(np.clip(np.sum(unit[1:] * unit[:-1], axis=1), -1, 1))
    np.testing.assert_allclose(steps, steps.mean(), rtol=1e-3)


def test_slerp_of_parallel_vectors_falls_back_to_the_line():
    z = sampling.latent(5, LATENT)
    np.testing.assert_allclose(sampling.slerp(z, 2 * z, 5), sampling.lerp(z, 2 * z, 5), rtol=1e-6)


def test_paths_need_two_steps():
    with pytest.raises(ConfigError, match="at least 2"):
        sampling.slerp(np.ones(3), np.ones(3), 1)


@pytest.mark.parametrize("method", ["lerp", "slerp"])
def test_corner_grid_returns_the_corners(method):
    corners = sampling.latents(11, 4, LATENT)
    grid = sampling.corner_grid(corners, 5, 6, method)
    assert grid.shape == (5, 6, LATENT)
    np.testing.assert_allclose(grid[0, 0], corners[0], rtol=1e-6)
    np.testing.assert_allclose(grid[0, -1], corners[1], rtol=1e-6)
    np.testing.assert_allclose(grid[-1, 0], corners[2], rtol=1e-6)
    np.testing.assert_allclose(grid[-1, -1], corners[3], rtol=1e-6)


def test_lerp_corner_grid_is_bilinear():
    corners = sampling.latents(12, 4, LATENT)
    grid = sampling.corner_grid(corners, 3, 3, "lerp")
    np.testing.assert_allclose(grid[1, 1], corners.mean(axis=0), rtol=1e-5, atol=1e-6)


def test_corner_grid_rejects_bad_input():
    with pytest.raises(ConfigError):
        sampling.corner_grid(np.zeros((3, LATENT)), 3, 3)
    with pytest.raises(ConfigError, match="Unknown interpolation"):
        sampling.corner_grid(np.zeros((4, LATENT)), 3, 3, "cubic")


# ---- label morphing and generation -------------------------------------------------------------

def test_label_morph_weights_run_between_pure_classes():
    weights = sampling.label_morph_weights(3, 8, 5)
    np.testing.assert_array_equal(weights[0], np.eye(10)[3])
    np.testing.assert_array_equal(weights[-1], np.eye(10)[8])
    np.testing.assert_allclose(weights.sum(axis=1), 1.0)
    np.testing.assert_allclose(weights[2, [3, 8]], [0.5, 0.5])
    with pytest.raises(ConfigError, match="0 to 9"):
        sampling.label_morph_weights(3, 10, 5)


def test_label_morph_endpoints_are_the_pure_class_images(cgan):
    z = np.repeat(sampling.latent(9, LATENT)[None], 6, axis=0)
    morph = sampling.generate(cgan, z, sampling.label_morph_weights(2, 5, 6))
    pure = sampling.generate(cgan, z[:2], np.array([2, 5]))
    np.testing.assert_allclose(morph[0], pure[0], atol=1e-6)
    np.testing.assert_allclose(morph[-1], pure[1], atol=1e-6)
    assert not np.allclose(morph[2], morph[0])


def test_same_seed_gives_the_same_grid(cgan):
    a, labels = sampling.conditional_samples(cgan, LATENT, [1, 7], 4, seed=3)
    b, _ = sampling.conditional_samples(cgan, LATENT, [1, 7], 4, seed=3)
    c, _ = sampling.conditional_samples(cgan, LATENT, [1, 7], 4, seed=4)
    assert a.shape == (8, 28, 28) and a.dtype == np.float32
    assert a.min() >= 0.0 and a.max() <= 1.0
    np.testing.assert_array_equal(labels, [1, 1, 1, 1, 7, 7, 7, 7])
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
    np.testing.assert_array_equal(sampling.tile_images(a, 4, border=True), sampling.tile_images(b, 4, border=True))


def test_same_z_every_digit_holds_z_along_a_row(cgan):
    sheet = sampling.same_z_every_digit(cgan, LATENT, rows=3, seed=5)
    assert sheet.shape == (30, 28, 28)
    z = sampling.latents(5, 3, LATENT)
    expected = sampling.generate(cgan, np.repeat(z[1:2], 10, axis=0), np.arange(10))
    np.testing.assert_allclose(sheet[10:20], expected, atol=1e-6)


def test_generate_checks_the_class_input(cgan, gan):
    z = sampling.latents(0, 2, LATENT)
    with pytest.raises(ConfigError, match="conditional"):
        sampling.generate(cgan, z)
    with pytest.raises(ConfigError, match="unconditional"):
        sampling.generate(gan, z, np.array([1, 2]))
    assert sampling.unconditional_samples(gan, LATENT, 5, 0).shape == (5, 28, 28)


def test_generate_batches_large_requests(gan):
    z = sampling.latents(1, sampling.GENERATE_BATCH + 3, LATENT)
    whole = sampling.generate(gan, z)
    np.testing.assert_allclose(whole[-3:], sampling.generate(gan, z[-3:]), atol=1e-6)


# ---- pictures and files -------------------------------------------------------------------------

def test_image_grid_layout_and_padding():
    images = np.stack([np.full((4, 5), v, np.uint8) for v in (10, 20, 30)])
    grid = sampling.tile_images(images, 2, pad=1, pad_value=255, border=True)
    assert grid.shape == (2 * 5 + 1, 2 * 6 + 1)
    assert grid[1, 1] == 10 and grid[1, 7] == 20 and grid[6, 1] == 30
    assert grid[6, 7] == 255   # the missing fourth cell stays padding
    assert grid[0].tolist() == [255] * grid.shape[1]


def test_image_grid_colour_and_float_input():
    images = np.zeros((4, 3, 3, 3), np.float32)
    images[1] = 1.0
    grid = sampling.tile_images(images, 4, pad=0, border=True)
    assert grid.shape == (3, 12, 3) and grid.dtype == np.uint8
    assert grid[0, 3:6].min() == 255 and grid[0, :3].max() == 0


def test_image_grid_rejects_empty_stacks():
    with pytest.raises(ConfigError):
        sampling.tile_images(np.zeros((0, 28, 28)), 4)


def test_png_round_trip():
    picture = (np.arange(12 * 7) % 256).astype(np.uint8).reshape(12, 7)
    decoded = np.asarray(Image.open(io.BytesIO(sampling.png_bytes(picture))))
    np.testing.assert_array_equal(decoded, picture)
    np.testing.assert_array_equal(sampling.upscale(picture, 3)[::3, ::3], picture)


def test_gif_is_animated_loops_and_bounces():
    frames = np.stack([np.full((8, 8), 40 * i, np.uint8) for i in range(5)])
    gif = Image.open(io.BytesIO(sampling.gif_bytes(frames, frame_ms=80)))
    assert gif.n_frames == 5 + 3   # forward, then back without repeating the ends
    assert gif.info["loop"] == 0 and gif.info["duration"] == 80
    gif.seek(4)
    assert np.asarray(gif.convert("L"))[0, 0] == 160
    gif.seek(5)
    assert np.asarray(gif.convert("L"))[0, 0] == 120


# ---- which generators the gallery offers --------------------------------------------------------

def _finished_run(store: RunStore, config, weights=True, status="done") -> str:
    torch.manual_seed(0)
    generator, discriminator = build_models(config)
    record = RunRecord(key=config.key(), config=config, status=status)
    if weights:
        record.weights = {"generator": state_arrays(generator), "discriminator": state_arrays(discriminator)}
    store.root.mkdir(parents=True, exist_ok=True)
    write_run_file(store.run_path(config.key()), record)
    return config.key()


def test_only_finished_image_runs_are_offered(tmp_path):
    store = RunStore(tmp_path / "runs")
    image = _finished_run(store, preset("mnist-cgan", hidden_dim=16, iterations=5))
    _finished_run(store, preset("gauss1d", iterations=5))
    _finished_run(store, preset("mnist-gan", hidden_dim=16, iterations=5), status="cancelled")
    offered = [source.spec for source in sampling.available_generators(store)]
    assert image in offered
    assert len([spec for spec in offered if not spec.startswith("pretrained:")]) == 1
    assert "pretrained:mnist-cgan" in offered
    assert "pretrained:mnist-classifier" not in offered
    loaded = sampling.load_generator(next(s for s in sampling.available_generators(store) if s.spec == image))
    assert loaded.conditional and loaded.latent_dim == preset("mnist-cgan").latent_dim == 64


def test_damaged_weights_raise_a_clear_error(tmp_path):
    store = RunStore(tmp_path / "runs")
    key = _finished_run(store, preset("mnist-cgan", hidden_dim=16, iterations=6))
    source = next(s for s in sampling.available_generators(store) if s.spec == key)
    path = store.run_path(key)
    raw = bytearray(path.read_bytes())
    path.write_bytes(bytes(raw[: len(raw) // 2]))   # a download cut off halfway
    with pytest.raises(GanExplorerError, match=path.name):
        sampling.load_generator(source)
