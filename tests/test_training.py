"""Algorithm 1 end to end on CPU: learning, reproducibility, divergence, cancellation, snapshots."""

from __future__ import annotations

import math

import h5py
import numpy as np
import pytest
import torch

from gan_engine.config import RunConfig, preset
from gan_engine.train.models import build_models
from gan_engine.train.real_data import load_real_data
from gan_engine.errors import ConfigError, DataError
from gan_engine.train.loop import (TrainingCallbacks, _Loop, bf16_supported, configure_threads, resolve_device,
                                 train)

torch.set_num_threads(1)
CPU = torch.device("cpu")


class Recorder(TrainingCallbacks):
    """Keeps everything a run reports; stops after `stop_after` iterations when given."""

    def __init__(self, stop_after: int | None = None) -> None:
        self.logs: list[tuple[int, dict]] = []
        self.metrics: list[tuple[int, dict]] = []
        self.snapshots: list[tuple[int, dict]] = []
        self.polls, self.stop_after = 0, stop_after

    def on_log(self, iteration, total, scalars):
        self.logs.append((iteration, scalars))

    def on_metrics(self, iteration, metrics):
        self.metrics.append((iteration, metrics))

    def on_snapshot(self, iteration, arrays):
        self.snapshots.append((iteration, arrays))

    def should_stop(self):
        self.polls += 1
        return self.stop_after is not None and self.polls > self.stop_after


def _tiny(target: str = "ring2d", **changes) -> RunConfig:
    base = dict(target=target, latent_dim=2, hidden_dim=16, hidden_layers=1, batch_size=32, iterations=12,
                snapshot_every=6, log_every=3)
    return RunConfig(**{**base, **changes}).validate()


def test_invalid_config_fails_before_any_work():
    recorder = Recorder()
    with pytest.raises(ConfigError, match="k must be"):
        train(RunConfig(k=0), device="cpu", callbacks=recorder)
    with pytest.raises(ConfigError, match="batch_size"):
        train(RunConfig(batch_size=0), device="cpu", callbacks=recorder)
    with pytest.raises(ConfigError, match="Unknown device"):
        train(_tiny(), device="tpu", callbacks=recorder)
    assert recorder.polls == 0 and not recorder.snapshots


def test_missing_data_is_a_data_error(tmp_path):
    with pytest.raises(DataError):
        train(RunConfig(target="mnist", data_path=str(tmp_path / "nowhere")), device="cpu")
    with pytest.raises(DataError, match="data_path"):
        train(RunConfig(target="faces", arch="dcgan"), device="cpu")


def test_device_resolution():
    assert resolve_device("cpu") == CPU
    assert resolve_device("auto").type in ("cuda", "mps", "cpu")
    if torch.cuda.is_available():
        assert resolve_device("cuda").type == "cuda"
    else:
        with pytest.raises(ConfigError, match="no usable CUDA"):
            resolve_device("cuda")
        assert resolve_device("auto") != torch.device("cuda")


def test_gauss1d_learns():
    recorder = Recorder()
    result = train(preset("gauss1d", iterations=600, batch_size=128, snapshot_every=100), "cpu", recorder)
    jsd = [values["jsd"] for _, values in recorder.metrics]
    assert result.status == "done"
    assert jsd[0] > 0.3
    assert jsd[-1] < 0.05 and result.metrics["jsd"] == jsd[-1]


def test_ring2d_captures_more_modes_than_it_started_with():
    recorder = Recorder()
    config = preset("ring2d", iterations=300, batch_size=128, hidden_dim=64, snapshot_every=100, ema_decay=0.0)
    result = train(config, "cpu", recorder)
    modes = [values["modes_captured"] for _, values in recorder.metrics]
    assert modes[-1] > modes[0]
    assert result.metrics["modes_captured"] == modes[-1]


def test_seeded_runs_are_bitwise_reproducible_and_observation_free():
    first, second, watched_less = Recorder(), Recorder(), Recorder()
    a = train(_tiny(), "cpu", first)
    b = train(_tiny(), "cpu", second)
    c = train(_tiny(snapshot_every=12, log_every=12), "cpu", watched_less)
    assert [log[1] | {"seconds": 0} for log in first.logs] == [log[1] | {"seconds": 0} for log in second.logs]
    for model_a, model_b, model_c in ((a.generator, b.generator, c.generator),
                                      (a.discriminator, b.discriminator, c.discriminator)):
        for (name, tensor_a), tensor_b, tensor_c in zip(model_a.state_dict().items(), model_b.state_dict().values(),
                                                        model_c.state_dict().values()):
            assert torch.equal(tensor_a, tensor_b), name
            assert torch.equal(tensor_a, tensor_c), name
    np.testing.assert_array_equal(first.snapshots[-1][1]["samples"], second.snapshots[-1][1]["samples"])
    other = train(_tiny(seed=1), "cpu")
    assert not torch.equal(other.generator.out.weight, a.generator.out.weight)


def test_training_leaves_the_global_random_state_alone():
    state = torch.get_rng_state()
    train(_tiny(), "cpu")
    assert torch.equal(torch.get_rng_state(), state)


def test_divergence_keeps_what_was_recorded():
    recorder = Recorder()
    config = preset("gauss1d", optimizer="sgd", lr_d=10.0, lr_g=10.0, log_every=1, iterations=200)
    result = train(config, "cpu", recorder)
    assert result.status == "diverged"
    assert "non-finite" in result.message and "smaller learning rates" in result.message
    assert recorder.logs, "the iterations before the divergence were logged"
    assert result.iterations == recorder.logs[-1][0] + 1
    assert all(math.isfinite(value) for _, scalars in recorder.logs for value in scalars.values())
    assert [iteration for iteration, _ in recorder.snapshots] == [0]
    assert result.metrics == recorder.metrics[-1][1]


def test_should_stop_cancels():
    recorder = Recorder(stop_after=5)
    result = train(_tiny(iterations=100), "cpu", recorder)
    assert result.status == "cancelled" and result.iterations == 5
    assert [iteration for iteration, _ in recorder.logs] == [3]


def test_logged_scalars():
    recorder = Recorder()
    train(_tiny(), "cpu", recorder)
    assert [iteration for iteration, _ in recorder.logs] == [3, 6, 9, 12]
    iteration, scalars = recorder.logs[0]
    assert set(scalars) == {"loss_d", "loss_g", "d_real", "d_fake", "seconds"}
    assert 0.0 <= scalars["d_real"] <= 1.0 and 0.0 <= scalars["d_fake"] <= 1.0
    assert [iteration for iteration, _ in recorder.snapshots] == [0, 6, 12]


@pytest.mark.parametrize("changes", [
    dict(k=3), dict(loss="minimax"), dict(loss="lsgan", label_smoothing=0.1), dict(optimizer="sgd", lr_d=0.01),
    dict(pack=2), dict(ema_decay=0.9), dict(norm="layernorm", hidden_layers=2), dict(norm="batchnorm"),
    dict(r1_gamma=1.0), dict(lr_schedule="linear"), dict(precision="bf16"),
])
def test_options_train(changes):
    recorder = Recorder()
    result = train(_tiny(**changes), "cpu", recorder)
    assert result.status == "done" and len(recorder.logs) == 4
    assert all(math.isfinite(v) for _, scalars in recorder.logs for v in scalars.values())


def test_ema_generator_is_returned():
    plain = train(_tiny(iterations=20), "cpu")
    averaged = train(_tiny(iterations=20, ema_decay=0.9), "cpu")
    assert not torch.equal(plain.generator.out.weight, averaged.generator.out.weight)
    assert not any(p.requires_grad for p in averaged.generator.parameters())


def test_one_d_snapshot_arrays():
    recorder = Recorder()
    train(_tiny("gauss1d", latent_dim=3, iterations=2, snapshot_every=2), "cpu", recorder)
    arrays = recorder.snapshots[-1][1]
    n = len(arrays["x"])
    for name in ("x", "p_data", "p_g", "d", "d_star"):
        assert arrays[name].shape == (n,) and arrays[name].dtype == np.float32, name
    assert arrays["z"].shape == arrays["g_z"].shape == (101,)
    assert np.all((arrays["d"] >= 0) & (arrays["d"] <= 1))
    step = float(arrays["x"][1] - arrays["x"][0])
    assert float(arrays["p_data"].sum()) * step == pytest.approx(1.0, abs=1e-3)
    finite = np.isfinite(arrays["d_star"])
    assert finite.any() and np.all((arrays["d_star"][finite] >= 0) & (arrays["d_star"][finite] <= 1))


def test_two_d_snapshot_arrays():
    recorder = Recorder()
    train(_tiny(pack=2, iterations=2, snapshot_every=2), "cpu", recorder)
    arrays = recorder.snapshots[-1][1]
    assert arrays["samples"].shape == (2500, 2)
    assert arrays["d"].shape == (len(arrays["grid_y"]), len(arrays["grid_x"]))
    assert arrays["grad_points"].shape == arrays["grad"].shape == (256, 2)
    assert np.all(np.isfinite(arrays["grad"])) and np.abs(arrays["grad"]).sum() > 0
    assert set(recorder.metrics[-1][1]) == {"modes_captured", "hq_fraction", "reverse_kl"}


@pytest.mark.parametrize("changes, shape", [
    (dict(conditional=True), (100, 28, 28)),
    (dict(arch="dcgan", hidden_dim=4, norm="batchnorm"), (64, 28, 28)),
])
def test_image_snapshots_use_fixed_noise(changes, shape):
    recorder = Recorder()
    config = _tiny("mnist", latent_dim=4, iterations=2, snapshot_every=2, lr_g=1e-9, **changes)
    result = train(config, "cpu", recorder)
    assert result.status == "done"
    first, last = recorder.snapshots[0][1]["images"], recorder.snapshots[-1][1]["images"]
    assert first.dtype == np.uint8 and first.shape == shape
    # G barely moved (lr 1e-9): the same noise gives the same images at every snapshot
    assert np.abs(first.astype(int) - last.astype(int)).max() <= 1
    if config.conditional:
        np.testing.assert_array_equal(recorder.snapshots[0][1]["labels"], np.arange(100) % 10)


def test_mnist_trains_on_the_fit_part_only():
    data = load_real_data(RunConfig(target="mnist"), CPU)
    assert len(data) == 1600 and "fit part" in data.description   # 80% of the tests' 2,000-digit MNIST fixture
    batch, labels = data.sample(5, torch.Generator().manual_seed(0))
    assert batch.shape == (5, 1, 28, 28) and batch.dtype == torch.float32 and float(batch.max()) <= 1.0
    assert labels.shape == (5,) and labels.dtype == torch.int64


def test_thread_configuration(monkeypatch):
    before = torch.get_num_threads()
    try:
        assert configure_threads(1) == 1 and torch.get_num_threads() == 1
        assert configure_threads(small_model=True) == 1
        assert configure_threads() <= before                  # never raised behind a caller's back
        monkeypatch.setenv("GAN_EXPLORER_THREADS", "2")
        assert configure_threads(small_model=True) == 2 and torch.get_num_threads() == 2
        monkeypatch.setenv("GAN_EXPLORER_THREADS", "lots")
        with pytest.raises(ConfigError, match="GAN_EXPLORER_THREADS"):
            configure_threads()
    finally:
        torch.set_num_threads(before)


def test_linear_schedule_ends_at_zero_and_bf16_where_supported():
    config = _tiny(lr_schedule="linear", iterations=10, precision="bf16")
    loop = _Loop(config, CPU, load_real_data(config, CPU))
    for _ in range(5):
        loop.iteration()
    assert loop.opt_d.param_groups[0]["lr"] == pytest.approx(config.lr_d / 2)
    for _ in range(5):
        loop.iteration()
    assert loop.opt_g.param_groups[0]["lr"] == 0.0
    assert loop.bf16 == bf16_supported(CPU)
    assert train(config, "cpu").precision == ("bf16" if bf16_supported(CPU) else "fp32")
    assert train(_tiny(), "cpu").precision == "fp32"


def test_faces_train_from_the_notebook_hdf5_format(tmp_path):
    path = tmp_path / "faces.h5"
    rng = np.random.default_rng(0)
    with h5py.File(path, "w") as handle:
        group = handle.create_group("img_align_celeba")
        for index in range(6):
            group.create_dataset(f"{index}.jpg", data=rng.integers(0, 256, (40, 30, 3), dtype=np.uint8))
    recorder = Recorder()
    config = RunConfig(target="faces", arch="dcgan", image_size=16, hidden_dim=4, latent_dim=3, batch_size=4,
                       iterations=2, snapshot_every=2, log_every=1, data_path=str(path))
    result = train(config, "cpu", recorder)
    assert result.status == "done"
    assert recorder.snapshots[-1][1]["images"].shape == (64, 16, 16, 3)
    data = load_real_data(config, CPU)
    assert data.samples.shape == (6, 3, 16, 16) and data.samples.dtype == torch.uint8


def test_the_auxiliary_classifier_learns_to_name_real_digits():
    # AC-GAN (aux_weight): D's extra head is trained to name real digits; after a short run it
    # names training digits far above chance (10%), and without the weight the
    # discriminator has no such head (older runs' weights keep loading)
    config = preset("mnist-cgan-mlp", hidden_dim=64, pack=1, aux_weight=1.0, iterations=150, batch_size=64,
                    snapshot_every=150, precision="fp32")
    result = train(config, "cpu")
    assert result.status == "done"
    data = load_real_data(config, CPU)
    images, labels = data.sample(512, torch.Generator().manual_seed(1))
    with torch.no_grad():
        _, classes = result.discriminator(images, labels, with_classes=True)
    assert (classes.argmax(1) == labels).float().mean() > 0.6
    plain = build_models(preset("mnist-cgan-mlp", hidden_dim=64))[1]
    assert plain.classify is None and not any(name.startswith("classify") for name in plain.state_dict())
    with pytest.raises(ConfigError, match="auxiliary"):
        plain(images[:4], labels[:4], with_classes=True)


def test_aux_fake_also_teaches_d_the_labels_of_generated_digits():
    # aux_fake adds AC-GAN's second term: D's classifier also learns the digit each generated
    # sample was asked for. Same seed, same data: with the term, D names G's digits far above
    # chance (10%) after 500 iterations; without it, D has only learnt real digits and does not
    config = preset("mnist-cgan-mlp", hidden_dim=64, pack=1, aux_weight=1.0, iterations=500, batch_size=64,
                    snapshot_every=500, precision="fp32", ema_decay=0.0)   # G as trained, not its slow average
    labels = torch.arange(10).repeat(40)
    z = torch.randn(len(labels), config.latent_dim, generator=torch.Generator().manual_seed(0))
    named = {}
    for aux_fake in (False, True):
        result = train(config.replace(aux_fake=aux_fake), "cpu")
        assert result.status == "done"
        with torch.no_grad():
            _, classes = result.discriminator(result.generator(z, labels), labels, with_classes=True)
        named[aux_fake] = (classes.argmax(1) == labels).float().mean().item()
    assert named[True] > 0.6 and named[True] > named[False] + 0.2, named


def test_fake_class_teaches_d_to_call_generated_digits_generated():
    # fake_class (AM-GAN): D's classifier has an eleventh class, "generated", learnt on every
    # fake, and G is rewarded when D names the asked-for digit instead. After a short run D
    # still names real digits (above 60%, chance 10%; seed 0: 94%) and calls most of G's
    # samples generated (its last class; seed 0: all), which an AC-GAN classifier cannot say.
    config = preset("mnist-cgan-mlp", hidden_dim=64, pack=1, aux_weight=1.0, fake_class=True, iterations=300,
                    batch_size=64, snapshot_every=300, precision="fp32", ema_decay=0.0)
    result = train(config, "cpu")
    assert result.status == "done"
    images, labels = load_real_data(config, CPU).sample(512, torch.Generator().manual_seed(1))
    z = torch.randn(len(labels), config.latent_dim, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        _, real_classes = result.discriminator(images, labels, with_classes=True)
        _, fake_classes = result.discriminator(result.generator(z, labels), labels, with_classes=True)
    assert real_classes.shape == (512, 11)
    assert (real_classes.argmax(1) == labels).float().mean() > 0.6
    assert (fake_classes.argmax(1) == 10).float().mean() > 0.5
    assert (real_classes.argmax(1) == 10).float().mean() < 0.1       # and not the real ones
    with pytest.raises(ConfigError, match="choose one"):
        config.replace(aux_fake=True).validate()


def test_mode_seeking_pairs_the_digits_and_keeps_a_pair_apart():
    # MSGAN's penalty compares generated samples 2i and 2i + 1, which therefore share a digit;
    # after the same short run, G draws the two z of a pair further apart with it than without.
    config = preset("mnist-cgan-mlp", hidden_dim=64, pack=1, iterations=200, batch_size=64, snapshot_every=200,
                    precision="fp32", ema_decay=0.0)
    loop = _Loop(config.replace(mode_seeking=1.0), CPU, load_real_data(config, CPU))
    _, labels = loop.noise(64)
    assert torch.equal(labels[0::2], labels[1::2]) and len(set(labels.tolist())) > 1
    labels = torch.arange(10).repeat_interleave(2).repeat(10)                          # 100 pairs of one digit
    z = torch.randn(len(labels), config.latent_dim, generator=torch.Generator().manual_seed(0))
    apart = {}
    for weight in (0.0, 2.0):
        result = train(config.replace(mode_seeking=weight), "cpu")
        assert result.status == "done"
        with torch.no_grad():
            images = result.generator(z, labels)
        apart[weight] = (images[0::2] - images[1::2]).abs().mean().item()
    assert apart[2.0] > 1.15 * apart[0.0], apart     # seed 0: 0.216 against 0.168 (seed 1: 0.208, 0.166)


def test_class_norm_lets_the_label_act_on_every_layer_of_g():
    # starts as the plain generator (zero-initialised class scales and shifts), then learns them
    plain_config = preset("mnist-cdcgan", hidden_dim=8, iterations=30, batch_size=16, snapshot_every=30)
    config = plain_config.replace(class_norm=True)
    plain = build_models(plain_config)[0].eval()
    conditioned = build_models(config)[0].eval()
    missing = conditioned.load_state_dict(plain.state_dict(), strict=False).missing_keys
    z, labels = torch.randn(6, plain.latent_dim), torch.arange(6)
    assert torch.equal(plain(z, labels), conditioned(z, labels))
    assert set(missing) == {"class_affine.0.weight", "class_affine.3.weight"}
    result = train(config, "cpu")
    assert result.status == "done"
    assert all(layer.weight.abs().sum() > 0 for layer in result.generator.class_affine.values())


def test_packs_by_label_show_d_one_digit_at_a_time():
    config = preset("mnist-cdcgan", hidden_dim=8, conditioning="projection", pack=2, pack_by_label=True,
                    iterations=2, batch_size=16, snapshot_every=2)
    data = load_real_data(config, CPU)
    images, labels = data.sample_by_label(16, 2, torch.Generator().manual_seed(3))
    pairs = labels.view(8, 2)
    assert torch.equal(pairs[:, 0], pairs[:, 1]) and len(set(pairs[:, 0].tolist())) > 1
    assert images.shape == (16, 1, 28, 28) and images.dtype == torch.float32
    for index in range(16):   # each image is one of its label's
        matches = (data.samples.float() / 255.0 == images[index]).flatten(1).all(1)
        assert torch.all(data.labels[matches] == labels[index])
    assert train(config, "cpu").status == "done"
