"""The Lab's stepping engine: each move does what Algorithm 1 says, measured on its own views.

D steps on a fixed G bring D towards D* (the distance the page shows falls), G steps on a
fixed D lower G's loss, Back restores the exact previous state (the same step then gives the
same result), Reset returns to the first state, a diverging game is caught and recovered,
and bad data gives a clear error or a note instead of a crash.
"""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest
import torch

from gan_engine.errors import GanExplorerError
from gan_engine.lab import data as lab_data
from gan_engine.lab.game import (HISTORY, LOG_CAPACITY, GameDiverged, LabGame, LabSettings, clamp_settings,
                                 settings_for)
from gan_engine.lab.views import ViewInputs, compute_view, dstar_distance

MB = 1024 * 1024


def new_game(name: str = "gauss1d", **changes) -> tuple[LabGame, ViewInputs]:
    settings = settings_for(name)
    settings = LabSettings(**{**vars(settings), **changes})
    game = LabGame(lab_data.preset_target(name), settings)
    return game, ViewInputs(game)


def weights(game: LabGame) -> list[torch.Tensor]:
    return [p.detach().clone() for p in (*game.G.parameters(), *game.D.parameters())]


def same(a: list[torch.Tensor], b: list[torch.Tensor]) -> bool:
    return len(a) == len(b) and all(torch.equal(x, y) for x, y in zip(a, b))


# ---- the moves --------------------------------------------------------------------------------

def test_d_steps_on_a_fixed_generator_bring_d_towards_d_star() -> None:
    game, inputs = new_game("gauss1d")
    generator_before = [p.detach().clone() for p in game.G.parameters()]
    distances = [compute_view(game, inputs).metrics["dstar_distance"]]
    for _ in range(60):
        game.step_d()
        distances.append(compute_view(game, inputs).metrics["dstar_distance"])
    assert same(generator_before, [p.detach() for p in game.G.parameters()])      # G did not move
    assert distances[1] < distances[0]                                               # one step already helps
    assert distances[-1] < 0.5 * distances[0], distances[::10]                       # measured: more than halved
    assert game.steps == 60 and game.rounds == 0


def test_g_steps_against_a_fixed_discriminator_lower_the_generator_loss() -> None:
    game, inputs = new_game("gauss1d")
    for _ in range(20):                          # first give D something to say
        game.step_d()
    discriminator_before = [p.detach().clone() for p in game.D.parameters()]
    losses = [compute_view(game, inputs).numbers["loss_g"]]
    for _ in range(10):
        game.step_g()
        losses.append(compute_view(game, inputs).numbers["loss_g"])
    assert same(discriminator_before, [p.detach() for p in game.D.parameters()])  # D did not move
    assert losses[1] < losses[0]
    assert losses[-1] < losses[0] - 0.01, losses


def test_a_round_is_k_d_steps_then_one_g_step() -> None:
    game, _ = new_game("gauss1d", k=3)
    game.round()
    curves = game.curves()
    assert game.steps == 4 and game.rounds == 1
    assert curves["kind"].tolist() == [0, 0, 0, 1]
    assert curves["step"].tolist() == [1, 2, 3, 4]


def test_a_short_game_moves_p_g_towards_the_data() -> None:
    game, inputs = new_game("gauss1d")
    start = compute_view(game, inputs).metrics["jsd"]
    game.play(200)
    game.play(200)
    end = compute_view(game, inputs).metrics["jsd"]
    assert start > 0.5 and end < 0.1, (start, end)


def test_back_restores_the_exact_previous_state_and_the_same_step_repeats_exactly() -> None:
    game, inputs = new_game("ring2d")
    game.play(5)
    before, rng_before = weights(game), game.rng.get_state()
    view_before = compute_view(game, inputs)
    curve_rows = len(game.curves()["step"])
    game.step_d()
    after_step = weights(game)
    assert not same(before, after_step)
    assert game.back()
    assert same(before, weights(game))
    assert torch.equal(rng_before, game.rng.get_state())
    assert game.steps == 10 and len(game.curves()["step"]) == curve_rows
    view_back = compute_view(game, inputs)
    assert view_back.numbers == view_before.numbers
    np.testing.assert_array_equal(view_back.arrays["d"], view_before.arrays["d"])
    game.step_d()                                 # optimiser moments and noise were restored too
    assert same(after_step, weights(game))


def test_back_walks_through_a_bounded_history() -> None:
    game, _ = new_game("gauss1d")
    for _ in range(HISTORY + 5):
        game.step_g()
    assert game.can_go_back == HISTORY
    for _ in range(HISTORY):
        assert game.back()
    assert game.steps == 5
    assert not game.back()                         # nothing older is kept


def test_reset_returns_to_the_first_state() -> None:
    game, inputs = new_game("bimodal1d")
    first = weights(game)
    first_view = compute_view(game, inputs)
    game.play(10)
    game.reset()
    assert same(first, weights(game))
    assert game.steps == 0 and game.rounds == 0 and game.can_go_back == 0
    assert len(game.curves()["step"]) == 0
    assert compute_view(game, inputs).numbers == first_view.numbers


# ---- settings ---------------------------------------------------------------------------------

def test_settings_change_between_steps_and_apply_from_the_next_one() -> None:
    game, _ = new_game("gauss1d")
    game.step_d()
    game.apply_settings(game.with_settings(lr_d=0.05, k=2))
    assert all(group["lr"] == 0.05 for group in game.opt_d.param_groups)
    game.round()
    assert game.steps == 1 + 3
    game.apply_settings(game.with_settings(optimizer="sgd", loss="lsgan"))
    assert isinstance(game.opt_d, torch.optim.SGD) and isinstance(game.opt_g, torch.optim.SGD)
    game.step_g()
    # lsgan: G's loss is ½(s - 1)² of D's raw score, never below 0; the cross-entropy G loss
    # of the minimax game would be negative.
    assert game.last["loss_g"] >= 0.0
    assert game.back()                               # back keeps today's settings, not the old optimiser's
    assert isinstance(game.opt_d, torch.optim.SGD) and game.settings.loss == "lsgan"


def test_absurd_settings_are_clamped_with_a_note() -> None:
    settings, notes = clamp_settings(k=0, lr_d=1e9, lr_g=-1.0, loss="hinge", optimizer="rmsprop")
    assert settings == LabSettings(k=1, lr_d=10.0, lr_g=1e-5, loss="nonsaturating", optimizer="adam")
    assert {values["name"] for _, values in notes} == {"k", "lr_d", "lr_g", "loss", "optimizer"}
    settings, notes = clamp_settings(k="many", lr_d=float("nan"), lr_g=2e-3, loss="minimax", optimizer="sgd",
                                     fallback=LabSettings(k=5))
    assert settings.k == 5 and settings.lr_d == LabSettings().lr_d and settings.lr_g == 2e-3
    assert [kind for kind, _ in notes] == ["ignored", "ignored"]
    assert clamp_settings(**vars(LabSettings()))[1] == ()


# ---- divergence -------------------------------------------------------------------------------

@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
def test_a_learning_rate_of_10_diverges_is_caught_and_reset_recovers(optimizer: str) -> None:
    game, inputs = new_game("ring2d", lr_d=10.0, lr_g=10.0, optimizer=optimizer)
    for _ in range(50):
        game.round()
        if game.diverged:
            break
    assert game.diverged, "lr 10 should leave any sensible region within 50 rounds"
    assert game.divergence.reason in ("nonfinite_loss", "nonfinite_weights", "exploded_weights", "exploded_samples")
    assert game.divergence.learning_rates == (10.0, 10.0)
    view = compute_view(game, inputs)                          # the last finite state is shown
    assert all(math.isfinite(value) for value in view.numbers.values())
    assert all(np.isfinite(array).all() for name, array in view.arrays.items())
    with pytest.raises(GameDiverged):
        game.step_d()
    game.apply_settings(game.with_settings(lr_d=1e-3, lr_g=1e-3))
    game.reset()
    assert not game.diverged and game.steps == 0
    game.round()
    assert game.steps == 2


def test_back_also_leaves_a_diverged_state() -> None:
    game, _ = new_game("gauss1d", lr_d=10.0, lr_g=10.0)
    game.round()
    while not game.diverged:
        game.round()
    steps = game.steps
    assert game.back()
    assert not game.diverged and game.steps < steps


# ---- data -----------------------------------------------------------------------------------------

def test_drawn_data_without_points_is_refused_with_a_message() -> None:
    for empty in (None, [], np.empty((0, 2))):
        with pytest.raises(lab_data.LabDataError, match="no points"):
            lab_data.drawn_target(empty)


def test_one_drawn_point_plays_with_a_note() -> None:
    target = lab_data.drawn_target([[0.5, 0.5]])
    assert ("single", {}) in target.notes
    game = LabGame(target, settings_for(target.preset))
    game.round()
    view = compute_view(game, ViewInputs(game))
    assert view.metrics["modes_total"] == 1.0


def test_thousands_of_points_are_capped_outside_and_invalid_ones_dropped() -> None:
    rng = np.random.default_rng(0)
    many = rng.uniform(-1.9, 1.9, (5000, 2))
    target = lab_data.drawn_target(many)
    assert len(target.centers) == lab_data.MAX_POINTS
    assert ("capped", {"count": 5000, "limit": lab_data.MAX_POINTS}) in target.notes
    mixed = [[0.0, 0.0], [3.0, 0.0], [0.0, -7.5], [float("nan"), 1.0], [1.0, float("inf")], [1.0, 1.0]]
    target = lab_data.drawn_target(mixed)
    assert target.centers.tolist() == [[0.0, 0.0], [1.0, 1.0]]
    assert dict(target.notes)["outside"]["count"] == 2 and dict(target.notes)["invalid"]["count"] == 2
    with pytest.raises(lab_data.LabDataError):
        lab_data.drawn_target([["a", "b"], [1, 2, 3]])
    with pytest.raises(lab_data.LabDataError):
        lab_data.drawn_target([[5.0, 5.0]])                   # everything off the canvas


def test_shapes_and_selections_become_points() -> None:
    ring = lab_data.shape_points("ring", (0.0, 0.0), 1.0, 8)
    np.testing.assert_allclose(np.linalg.norm(ring, axis=1), 1.0)
    line = lab_data.shape_points("line", (0.0, 0.0), 1.0, 5, angle=90.0)
    np.testing.assert_allclose(line[:, 0], 0.0, atol=1e-12)
    assert lab_data.shape_points("cluster", (0.0, 0.0), 0.1, 10 ** 6).shape == (lab_data.MAX_SHAPE_POINTS, 2)
    with pytest.raises(lab_data.LabDataError):
        lab_data.shape_points("star", (0.0, 0.0), 1.0, 5)
    click = {"points": [{"x": 0.3, "y": -0.2, "point_index": 7}]}
    assert lab_data.points_in_selection(click, 0.1).tolist() == [[0.3, -0.2]]
    box = {"points": [{"x": x, "y": y} for x in np.arange(-1, 1, 0.1) for y in np.arange(-1, 1, 0.1)]}
    filled = lab_data.points_in_selection(box, 0.1)
    assert len(filled) == lab_data.MAX_SHAPE_POINTS and np.all(np.abs(filled) <= 1.05)
    assert len(lab_data.points_in_selection({"points": [{"x": "a"}, "b"]}, 0.1)) == 0
    assert len(lab_data.points_in_selection({}, 0.1)) == 0


def test_a_composed_mixture_is_clamped_and_a_weightless_one_refused() -> None:
    C = lab_data.Component
    target = lab_data.mixture_target([C(-9.0, 0.0, 1.0), C(1.0, 0.5, 2.0), C(float("nan"), 1.0, 1.0)])
    notes = dict(target.notes)
    assert notes["component_clamped"] == {"index": 1} and notes["component_invalid"] == {"index": 3}
    assert target.distribution.weights == pytest.approx((1 / 3, 2 / 3))
    assert target.distribution.components[0].mu == -4.0 and target.distribution.components[0].sigma == 0.1
    with pytest.raises(lab_data.LabDataError, match="weight 0"):
        lab_data.mixture_target([C(0.0, 1.0, 0.0), C(1.0, 1.0, -3.0)])
    with pytest.raises(lab_data.LabDataError):
        lab_data.mixture_target([])
    capped = lab_data.mixture_target([C(float(i) - 2, 0.5, 1.0) for i in range(6)])
    assert len(capped.distribution.components) == lab_data.MAX_COMPONENTS
    game = LabGame(capped, settings_for(capped.preset))
    game.round()
    assert 0.0 <= compute_view(game, ViewInputs(game)).metrics["jsd"] <= math.log(2.0)


def test_unknown_preset_is_a_clear_error() -> None:
    with pytest.raises(GanExplorerError, match="toy targets"):
        lab_data.preset_target("mnist")


# ---- views, curves and memory -------------------------------------------------------------------

def test_views_have_the_documented_shapes_and_values() -> None:
    game, inputs = new_game("gauss1d")
    view = compute_view(game, inputs)
    assert view.arrays["x"].shape == view.arrays["d"].shape == view.arrays["d_star"].shape
    assert np.nanmin(view.arrays["d_star"]) >= 0.0 and np.nanmax(view.arrays["d_star"]) <= 1.0
    assert view.arrays["arrow"].shape == view.arrays["arrow_from"].shape == (24, 1)
    game, inputs = new_game("grid2d")
    view = compute_view(game, inputs)
    assert view.arrays["d"].shape == (48, 48) and view.arrays["warp"].shape == (2, 11, 25, 2)
    assert view.metrics["modes_total"] == 25.0
    # D* itself is at distance 0 from itself; a constant D of 1/2 is not, unless p_g = p_data.
    x = np.linspace(-1, 1, 5)
    p, q = np.array([0, 1, 2, 1, 0.0]), np.array([0, 2, 1, 0, 0.0])
    d_star = p / np.where(p + q > 0, p + q, np.nan)
    assert dstar_distance(d_star, d_star, p, q) == 0.0
    assert dstar_distance(np.full(5, 0.5), d_star, p, q) > 0.1
    assert x.shape == p.shape


def test_views_are_recorded_for_the_curves_and_cut_back_with_back() -> None:
    game, inputs = new_game("gauss1d")
    compute_view(game, inputs)
    game.step_d()
    compute_view(game, inputs)
    game.step_g()
    compute_view(game, inputs)
    assert game.view_curves()["step"].tolist() == [0, 1, 2]
    game.back()
    assert game.view_curves()["step"].tolist() == [0, 1]
    assert set(game.view_curves()) == {"step", "jsd", "dstar_distance"}


def test_curves_are_thinned_not_dropped_when_full() -> None:
    game, _ = new_game("gauss1d")
    game.apply_settings(game.with_settings(k=19))
    for _ in range(LOG_CAPACITY // 20 + 10):
        game.round()
    steps = game.curves()["step"]
    assert len(steps) <= LOG_CAPACITY and steps[0] <= 4 and steps[-1] == game.steps
    assert np.all(np.diff(steps) > 0)


@pytest.mark.parametrize("name", ["bimodal1d", "ring2d"])
def test_a_full_game_stays_under_20_mb(name: str) -> None:
    game, inputs = new_game(name)
    for _ in range(HISTORY + 3):
        game.play(3)
        compute_view(game, inputs)
    assert game.can_go_back == HISTORY
    assert game.memory_bytes() < 20 * MB
    assert len(pickle.dumps((game, inputs))) < 20 * MB
