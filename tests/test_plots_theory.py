"""The Theory page's figures: what they draw, how much of it, and with which look."""

import numpy as np
import pytest

from gan_engine.theory import divergences as theory
from gan_engine.theory import model as theory_model
from gan_engine.theory.distributions import Normal, Uniform
from gan_engine.plots import style
from gan_engine.plots import theory as plots

LABELS = {key: key for key in plots.TEXT_KEYS}


def densities(p_data, p_g):
    result = theory_model.compare(p_data, p_g)
    return result, plots.densities_figure(result.x, result.p_data.values, result.p_g.values, result.d_star, LABELS)


def test_curves_are_cut_to_the_plotted_range_and_thinned() -> None:
    result, figure = densities(Normal(0, 1), Normal(2, 1))
    low, high = figure.layout.xaxis.range
    assert -6 < low < -3 and 5 < high < 8                      # the visible range, not the grid's ±20
    for trace in figure.data:
        xs = np.asarray(trace.x)
        assert xs.size <= plots.MAX_DRAWN_POINTS
        assert xs[0] <= low and xs[-1] >= high                 # the curve reaches both edges of the plot
        assert xs[0] > result.x[0] and xs[-1] < result.x[-1]   # ... and no further than a step or two beyond
    drawn = np.asarray(figure.data[0].y)
    expected = np.interp(np.asarray(figure.data[0].x), result.x, result.p_data.values)
    np.testing.assert_allclose(drawn, expected, atol=1e-12)    # thinning keeps grid values, not smoothed ones


def test_a_narrow_density_keeps_its_peak_on_screen() -> None:
    result, figure = densities(Normal(0, 0.05), Normal(3, 1))
    drawn_peak = max(np.asarray(figure.data[0].y))
    assert drawn_peak == pytest.approx(result.p_data.values.max(), rel=0.05)


def test_undefined_d_star_is_a_gap_not_a_line() -> None:
    _, figure = densities(Uniform(-3, -1), Uniform(1, 3))
    d_star = np.asarray(figure.data[2].y, dtype=float)
    assert np.isnan(d_star).any() and figure.data[2].connectgaps is False


def test_figures_carry_the_apps_look_and_room_for_their_labels() -> None:
    _, figure = densities(Normal(0, 1), Normal(2, 1))
    assert figure.layout.template.layout.font.color == style.TEXT
    assert figure.layout.template.layout.xaxis.gridcolor == style.GRID
    assert figure.layout.margin.l >= 60 and figure.layout.margin.r >= 60   # D* has a right-hand axis
    x = np.linspace(-5, 5, 101)
    logit, d = theory.logistic_discriminator(x, 1.0, 0.0)
    single = plots.discriminators_figure(x, np.ones_like(x), np.ones_like(x), d, d, 0.0, LABELS)
    assert single.layout.margin.r < 60                                    # no right-hand axis, no wide margin


def test_the_w1_axis_has_no_zero_label_to_sit_on_the_shift_axis() -> None:
    result = theory_model.compare(Normal(0.0, 1.0), Normal(2.0, 1.0))
    sweep = theory_model.divergence_vs_shift(result.p_data.distribution, result.p_g.distribution)
    fig = plots.shift_sweep_figure(sweep, {k: k for k in ("jsd", "w1", "log2", "shift", "nats", "distance")})
    ticks = list(fig.layout.yaxis2.tickvals)
    assert ticks and min(ticks) > 0 and max(ticks) <= fig.layout.yaxis2.range[1]
    assert plots.positive_ticks(11.0) == [5.0, 10.0] and plots.positive_ticks(1.0) == [0.25, 0.5, 0.75, 1.0]
    assert plots.positive_ticks(0.0) == []
