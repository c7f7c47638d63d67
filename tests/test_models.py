"""Model shapes, the source notebook's sizes, conditioning and packing."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from gan_engine.config import RunConfig, preset
from gan_engine.errors import ConfigError
from gan_engine.train.models import (ConvDiscriminator, ConvGenerator, LabelProjection, MLPDiscriminator, MLPGenerator,
                               build_models, conv_stages, data_shape)

torch.set_num_threads(1)


def _linears(module: nn.Module) -> list[tuple[int, int]]:
    return [(m.in_features, m.out_features) for m in module.modules() if isinstance(m, nn.Linear)]


@pytest.mark.parametrize("target, dim", [("gauss1d", 1), ("ring2d", 2)])
def test_toy_shapes(target, dim):
    generator, discriminator = build_models(RunConfig(target=target, latent_dim=3, hidden_dim=16))
    samples = generator(torch.randn(5, 3))
    assert samples.shape == (5, dim)
    assert discriminator(samples).shape == (5,)


def test_notebook_sizes():
    generator, discriminator = build_models(preset("seed-notebook-cgan"))
    assert _linears(generator) == [(110, 200), (200, 784)]
    assert _linears(discriminator) == [(794, 200), (200, 1)]
    for model in (generator, discriminator):
        assert [m.negative_slope for m in model.modules() if isinstance(m, nn.LeakyReLU)] == [0.02]
        assert [m.normalized_shape for m in model.modules() if isinstance(m, nn.LayerNorm)] == [(200,)]


@torch.no_grad()
def test_mlp_images_are_in_unit_range_and_logits_are_unbounded():
    generator, discriminator = build_models(preset("mnist-gan", conditional=True, pack=1))
    labels = torch.arange(6) % 10
    images = generator(torch.randn(6, generator.latent_dim) * 10, labels)
    assert images.shape == (6, 1, 28, 28)
    assert float(images.min()) >= 0.0 and float(images.max()) <= 1.0
    assert discriminator(images, labels).shape == (6,)
    # logits, not probabilities: the read-out's bias shifts them below 0, no sigmoid in between
    discriminator.out.bias.fill_(-100.0)
    assert float(discriminator(images, labels).max()) < 0.0


def test_conditioning_uses_the_label_and_accepts_class_weights():
    torch.manual_seed(0)
    generator = MLPGenerator(4, (1, 28, 28), 32, 1, 0.2, "none", num_classes=10)
    z = torch.randn(3, 4).repeat(2, 1)
    hard = generator(z, torch.tensor([1, 2, 3, 7, 7, 7]))
    assert not torch.allclose(hard[0], hard[3])          # same z, other digit: another image
    weights = torch.nn.functional.one_hot(torch.tensor([1, 2, 3, 7, 7, 7]), 10).float()
    assert torch.equal(generator(z, weights), hard)      # one-hot weights = class indices
    with pytest.raises(ConfigError, match="conditional"):
        generator(z)
    with pytest.raises(ConfigError, match="0..9"):
        generator(z, torch.tensor([0, 1, 2, 3, 4, 10]))
    with pytest.raises(ConfigError, match="class weights"):
        generator(z, torch.zeros(6, 3))
    with pytest.raises(ConfigError, match="unconditional"):
        MLPDiscriminator((2,), 8, 1, 0.2, "none")(torch.zeros(2, 2), torch.zeros(2, dtype=torch.long))


@pytest.mark.parametrize("side, expected", [(28, (2, 7)), (64, (4, 4)), (32, (3, 4)), (48, (3, 6)), (9, (0, 9))])
def test_conv_stages(side, expected):
    assert conv_stages(side) == expected


@pytest.mark.parametrize("config, shape", [
    (RunConfig(target="mnist", arch="dcgan", hidden_dim=8, latent_dim=5, norm="batchnorm"), (1, 28, 28)),
    (RunConfig(target="mnist", arch="dcgan", hidden_dim=8, latent_dim=5, conditional=True), (1, 28, 28)),
    (RunConfig(target="faces", arch="dcgan", hidden_dim=4, latent_dim=5, image_size=64, norm="layernorm"),
     (3, 64, 64)),
    (RunConfig(target="faces", arch="dcgan", hidden_dim=4, latent_dim=5, image_size=32, pack=2), (3, 32, 32)),
])
@torch.no_grad()
def test_dcgan_shapes(config, shape):
    generator, discriminator = build_models(config)
    assert isinstance(generator, ConvGenerator) and isinstance(discriminator, ConvDiscriminator)
    assert data_shape(config) == shape
    labels = torch.arange(4) % 10 if config.conditional else None
    images = generator(torch.randn(4, 5), labels) if labels is not None else generator(torch.randn(4, 5))
    assert images.shape == (4, *shape)
    assert float(images.min()) >= 0.0 and float(images.max()) <= 1.0
    logits = discriminator(images, labels) if labels is not None else discriminator(images)
    assert logits.shape == (4 // config.pack,)


def test_packing_judges_groups_of_samples():
    discriminator = MLPDiscriminator((2,), 16, 2, 0.2, "none", pack=4)
    assert _linears(discriminator)[0] == (8, 16)         # four 2-D points side by side
    assert discriminator(torch.randn(12, 2)).shape == (3,)
    with pytest.raises(ConfigError, match="multiple of 4"):
        discriminator(torch.randn(10, 2))
    conv = ConvDiscriminator((1, 28, 28), 4, 0.2, "none", pack=2)
    with pytest.raises(ConfigError, match="multiple of 2"):
        conv(torch.rand(3, 1, 28, 28))


def test_build_models_validates():
    with pytest.raises(ConfigError, match="dcgan"):
        build_models(RunConfig(target="ring2d", arch="dcgan"))
    with pytest.raises(ConfigError, match="conditional"):
        build_models(RunConfig(target="faces", conditional=True))


def test_models_carry_what_samplers_need():
    generator, _ = build_models(preset("mnist-cgan"))
    assert generator.num_classes == 10 and generator.latent_dim == preset("mnist-cgan").latent_dim
    plain, _ = build_models(preset("ring2d"))
    assert plain.num_classes == 0 and plain.data_shape == (2,)


def test_projection_discriminator_by_hand():
    projection = LabelProjection(num_classes=3, features=2, pack=1)
    with torch.no_grad():
        projection.embed.weight.copy_(torch.tensor([[1.0, 0.0, 2.0], [0.0, 1.0, -1.0]]))   # (F, classes)
    features = torch.tensor([[3.0, 4.0], [3.0, 4.0]])
    # class 0 embeds to (1, 0): 3; class 2 to (2, -1): 6 - 4 = 2
    assert projection(torch.tensor([0, 2]), features).tolist() == pytest.approx([3.0, 2.0])
    packed = LabelProjection(num_classes=3, features=2, pack=2)
    packed.embed.weight.data = projection.embed.weight.data.clone()
    # a pack of classes 0 and 2 sums their embeddings: (3, -1) · (3, 4) = 5
    assert packed(torch.tensor([0, 2]), features[:1]).tolist() == pytest.approx([5.0])


@torch.no_grad()
@pytest.mark.parametrize("arch", ["mlp", "dcgan"])
def test_projection_conditioning_is_built_and_uses_the_label(arch):
    torch.manual_seed(0)
    config = RunConfig(target="mnist", arch=arch, conditional=True, conditioning="projection", hidden_dim=8,
                       latent_dim=4, pack=2, batch_size=4)
    generator, discriminator = build_models(config)
    assert discriminator.projection is not None
    first = next(m for m in discriminator.modules() if isinstance(m, (nn.Linear, nn.Conv2d)))
    assert (first.in_features if arch == "mlp" else first.in_channels) == (784 if arch == "mlp" else 1) * 2
    images = generator(torch.randn(4, 4), torch.tensor([1, 2, 3, 4]))
    discriminator.projection.embed.weight.normal_()
    one = discriminator(images, torch.tensor([1, 2, 3, 4]))
    other = discriminator(images, torch.tensor([5, 6, 7, 8]))
    assert one.shape == (2,) and not torch.allclose(one, other)
    assert build_models(config.replace(conditioning="concat"))[1].projection is None
