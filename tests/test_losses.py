"""Losses from logits, checked against values worked out by hand."""

from __future__ import annotations

import math

import pytest
import torch

from gan_engine.errors import ConfigError
from gan_engine.train.losses import (discriminator_loss, discriminator_probability, generator_loss,
                                     mode_seeking_penalty, r1_penalty)

LN3 = math.log(3.0)
# D(x) = sigmoid(logit): logit 0 -> 0.5, ln 3 -> 0.75, -ln 3 -> 0.25
REAL = torch.tensor([0.0, LN3], dtype=torch.float64)
FAKE = torch.tensor([0.0, -LN3], dtype=torch.float64)


def test_cross_entropy_discriminator_loss_by_hand():
    # real: -log 0.5, -log 0.75; fake: -log(1 - 0.5), -log(1 - 0.25)
    expected = (math.log(2) + math.log(4 / 3)) / 2 + (math.log(2) + math.log(4 / 3)) / 2
    for kind in ("minimax", "nonsaturating"):
        assert discriminator_loss(REAL, FAKE, kind).item() == pytest.approx(expected, rel=1e-12)


def test_one_sided_label_smoothing_by_hand():
    # real target 0.9: 0.9·(-log D) + 0.1·(-log(1 - D)); fakes unchanged (target 0)
    real_terms = [0.9 * math.log(2) + 0.1 * math.log(2), 0.9 * math.log(4 / 3) + 0.1 * math.log(4)]
    expected = sum(real_terms) / 2 + (math.log(2) + math.log(4 / 3)) / 2
    assert discriminator_loss(REAL, FAKE, "nonsaturating", 0.1).item() == pytest.approx(expected, rel=1e-12)


def test_generator_losses_by_hand():
    # minimax: mean log(1 - D(G(z))) = mean(log 0.5, log 0.75); non-saturating: mean -log D = -log 0.5, -log 0.25
    assert generator_loss(FAKE, "minimax").item() == pytest.approx((math.log(0.5) + math.log(0.75)) / 2, rel=1e-12)
    assert generator_loss(FAKE, "nonsaturating").item() == pytest.approx((math.log(2) + math.log(4)) / 2, rel=1e-12)


def test_least_squares_by_hand():
    real = torch.tensor([1.0, 0.5], dtype=torch.float64)
    fake = torch.tensor([0.0, 0.5], dtype=torch.float64)
    # D: ½[mean((s - 1)²) + mean(s²)] = ½[(0 + 0.25)/2 + (0 + 0.25)/2]; G: ½ mean((s - 1)²) = ½ (1 + 0.25)/2
    assert discriminator_loss(real, fake, "lsgan").item() == pytest.approx(0.125)
    assert generator_loss(fake, "lsgan").item() == pytest.approx(0.3125)
    # smoothing moves the real target to 0.9: ½[((0.1)² + (0.4)²)/2 + 0.125]
    assert discriminator_loss(real, fake, "lsgan", 0.1).item() == pytest.approx(0.5 * (0.17 / 2 + 0.125))


def test_equilibrium_values():
    half = torch.zeros(4)   # D = ½ everywhere
    assert discriminator_loss(half, half, "minimax").item() == pytest.approx(2 * math.log(2))
    assert generator_loss(half, "nonsaturating").item() == pytest.approx(math.log(2))
    assert discriminator_loss(torch.full((4,), 0.5), torch.full((4,), 0.5), "lsgan").item() == pytest.approx(0.25)


def test_extreme_logits_stay_finite():
    huge = torch.tensor([-500.0, 500.0])
    for kind in ("minimax", "nonsaturating", "lsgan"):
        assert math.isfinite(discriminator_loss(huge, huge, kind, 0.1).item())
        assert math.isfinite(generator_loss(huge, kind).item())


def test_minimax_saturates_where_nonsaturating_does_not():
    # D confidently rejects the fake (D(G(z)) = sigmoid(-10) ~ 4.5e-5)
    grads = {}
    for kind in ("minimax", "nonsaturating"):
        logit = torch.tensor([-10.0], requires_grad=True)
        generator_loss(logit, kind).backward()
        grads[kind] = abs(logit.grad.item())
    assert grads["minimax"] == pytest.approx(torch.sigmoid(torch.tensor(-10.0)).item(), rel=1e-5)
    assert grads["nonsaturating"] == pytest.approx(1.0, abs=1e-4)


def test_probability_views():
    logits = torch.tensor([-2.0, 0.0, 0.3, 2.0])
    assert torch.allclose(discriminator_probability(logits, "minimax"), torch.sigmoid(logits))
    assert discriminator_probability(logits, "lsgan").tolist() == pytest.approx([0.0, 0.0, 0.3, 1.0])


def test_bad_names_and_values():
    with pytest.raises(ConfigError, match="Unknown loss 'wgan'"):
        generator_loss(FAKE, "wgan")
    with pytest.raises(ConfigError, match="label_smoothing"):
        discriminator_loss(REAL, FAKE, "minimax", 1.5)


def test_r1_penalty_of_a_linear_discriminator():
    # D(x) = w·x + b has slope w everywhere: penalty = γ/2 · |w|² = 0.5 · 2 · (9 + 16)
    w = torch.tensor([3.0, -4.0])
    real = torch.randn(5, 2, requires_grad=True)
    logits = real @ w + 1.0
    assert r1_penalty(real, logits, gamma=2.0).item() == pytest.approx(25.0)
    # packed in pairs: each logit sees two points, so |∇|² per logit doubles
    real4 = torch.randn(4, 2, requires_grad=True)
    pair_logits = real4.reshape(2, 4) @ torch.cat((w, w))
    assert r1_penalty(real4, pair_logits, gamma=2.0).item() == pytest.approx(50.0)
    # the penalty is differentiable in D's weights (it trains D)
    weight = torch.tensor([3.0, -4.0], requires_grad=True)
    r1_penalty(real, real @ weight, gamma=2.0).backward()
    assert weight.grad.tolist() == pytest.approx([6.0, -8.0])   # ∂/∂w (|w|²) = 2w


def test_mode_seeking_penalty_by_hand():
    # pairs (0, 1) and (2, 3): z one apart in every coordinate; samples 0.2 and 0.6 apart
    z = torch.tensor([[0.0, 0.0], [1.0, 1.0], [0.0, 0.0], [-1.0, 1.0]])
    fake = torch.tensor([[0.0, 0.0], [0.2, 0.2], [0.0, 0.0], [0.6, -0.6]]).reshape(4, 1, 1, 2)
    assert mode_seeking_penalty(z, fake, 0.5).item() == pytest.approx(0.5 / 0.4, rel=1e-4)
    # a generator that draws both z of a pair alike pays far more than one that keeps them apart
    alike = fake.clone()
    alike[1::2] = alike[0::2]
    assert mode_seeking_penalty(z, alike, 0.5) > 1000 * mode_seeking_penalty(z, fake, 0.5)
    fake.requires_grad_(True)
    mode_seeking_penalty(z, fake, 1.0).backward()
    assert fake.grad[1].abs().sum() > 0          # it pushes the samples of a pair apart
