"""The Training page's figure builders and the published-anchor table, on contract-shaped arrays."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from gan_engine.train import anchors
from gan_engine.theory.distributions import toy_target
from gan_engine.plots import training as plots


def loss_series(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    iteration = np.arange(1, n + 1) * 10
    return pd.DataFrame({
        "iteration": iteration,
        "loss_d": 0.69 + 0.1 * rng.standard_normal(n),
        "loss_g": 0.7 + 0.1 * rng.standard_normal(n),
        "d_real": np.clip(0.5 + 0.05 * rng.standard_normal(n), 0, 1),
        "d_fake": np.clip(0.5 + 0.05 * rng.standard_normal(n), 0, 1),
        "seconds": iteration * 0.01,
    })


def snapshot_1d() -> dict[str, np.ndarray]:
    x = np.linspace(-8, 8, 300, dtype=np.float32)
    p_data = np.exp(-0.5 * ((x - 2) / 0.5) ** 2) / (0.5 * math.sqrt(2 * math.pi))
    p_g = np.exp(-0.5 * (x - 1) ** 2) / math.sqrt(2 * math.pi)
    total = p_data + p_g
    d_star = np.where(total > 1e-6, p_data / np.maximum(total, 1e-300), np.nan).astype(np.float32)
    z = np.linspace(-3, 3, 200, dtype=np.float32)
    return {"x": x, "p_data": p_data.astype(np.float32), "p_g": p_g.astype(np.float32),
            "d": np.full_like(x, 0.5), "d_star": d_star, "z": z, "g_z": (1 + z).astype(np.float32)}


def snapshot_2d(samples: int = 2500) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(1)
    grid_x = np.linspace(-1.5, 1.5, 60, dtype=np.float32)
    grid_y = np.linspace(-1.5, 1.5, 50, dtype=np.float32)
    points = rng.uniform(-1, 1, size=(40, 2)).astype(np.float32)
    return {"samples": rng.standard_normal((samples, 2)).astype(np.float32), "grid_x": grid_x, "grid_y": grid_y,
            "d": rng.uniform(0, 1, size=(50, 60)).astype(np.float32), "grad_points": points,
            "grad": (-points * rng.uniform(0.1, 3.0, size=(40, 1))).astype(np.float32)}


def trace(fig, name):
    return next(t for t in fig.data if t.name == name)


# ---- downsampling ---------------------------------------------------------------------

def test_downsample_bounds_rows_keeps_last_row_and_the_mean() -> None:
    series = loss_series(100_000)
    small = plots.downsample(series, 400)
    assert len(small) <= 400
    pd.testing.assert_series_equal(small.iloc[-1], series.iloc[-1], check_names=False)
    assert small["iteration"].is_monotonic_increasing
    assert small["loss_d"].mean() == pytest.approx(series["loss_d"].mean(), abs=0.01)


def test_downsample_leaves_short_series_alone() -> None:
    series = loss_series(50)
    assert plots.downsample(series, 400) is series


@pytest.mark.parametrize("builder", ["loss", "d_output", "compare"])
def test_time_series_figures_carry_a_bounded_number_of_points(builder: str) -> None:
    series = loss_series(50_000)
    fig = {"loss": lambda: plots.loss_figure(series, "nonsaturating"),
           "d_output": lambda: plots.discriminator_output_figure(series),
           "compare": lambda: plots.compare_figure({"a": series, "b": series}, "loss_d")}[builder]()
    lines = [t for t in fig.data if t.type == "scatter"]
    assert len(lines) == 2
    assert all(len(t.x) <= plots.MAX_POINTS for t in lines)


# ---- losses and D outputs -------------------------------------------------------------

@pytest.mark.parametrize("loss", ["minimax", "nonsaturating", "lsgan"])
@pytest.mark.parametrize("smoothing", [0.0, 0.2])
def test_equilibrium_losses_are_the_engine_losses_at_d_one_half(loss: str, smoothing: float) -> None:
    import torch

    from gan_engine.train import losses

    # The logit at which D outputs 1/2: 0 through a sigmoid, the score 1/2 itself for lsgan.
    logits = torch.full((16,), 0.5 if loss == "lsgan" else 0.0)
    expected = (losses.discriminator_loss(logits, logits, loss, smoothing).item(),
                losses.generator_loss(logits, loss).item())
    assert plots.equilibrium_losses(loss, smoothing) == pytest.approx(expected)


def test_equilibrium_losses_refuse_an_unknown_loss() -> None:
    with pytest.raises(ValueError):
        plots.equilibrium_losses("wasserstein")


@pytest.mark.parametrize(("loss", "lines"), [("nonsaturating", [2 * math.log(2), math.log(2)]),
                                             ("lsgan", [0.25, 0.125]),
                                             ("minimax", [2 * math.log(2), -math.log(2)])])
def test_loss_figure_draws_the_equilibrium_lines(loss: str, lines: list[float]) -> None:
    fig = plots.loss_figure(loss_series(30), loss)
    assert [t.name for t in fig.data] == ["D loss", "G loss"]
    assert sorted(s.y0 for s in fig.layout.shapes) == pytest.approx(sorted(lines))


def test_discriminator_output_figure_marks_one_half_and_takes_translated_labels() -> None:
    fig = plots.discriminator_output_figure(loss_series(30), labels={"d_real": "D(x) 均值"})
    assert [s.y0 for s in fig.layout.shapes] == [0.5]
    assert fig.data[0].name == "D(x) 均值"
    assert fig.data[1].name == "mean D(G(z))"
    assert tuple(fig.layout.yaxis.range) == (0, 1)


# ---- 1-D snapshot: the paper's Figure 1 ---------------------------------------------------

def test_snapshot_1d_figure_shows_densities_d_d_star_with_gaps_and_the_mapping() -> None:
    snap = snapshot_1d()
    assert np.isnan(snap["d_star"]).any()
    fig = plots.snapshot_1d_figure(snap)
    assert [t.name for t in fig.data] == ["p_data", "p_g", "D(x)", "D*(x)", "z → G(z)"]
    d_star = trace(fig, "D*(x)")
    assert d_star.connectgaps is False
    assert np.isnan(np.asarray(d_star.y, dtype=float)).sum() == np.isnan(snap["d_star"]).sum()
    assert trace(fig, "D(x)").yaxis == "y2" and trace(fig, "p_data").yaxis is None  # probabilities: own axis
    assert tuple(fig.layout.yaxis2.range) == (0, 1)
    mapping = trace(fig, "z → G(z)")
    xs, ys = np.asarray(mapping.x, dtype=float).reshape(-1, 3), np.asarray(mapping.y, dtype=float).reshape(-1, 3)
    assert len(xs) <= plots.MAX_MAPPING_LINES
    np.testing.assert_allclose(xs[:, 1], 1 + xs[:, 0], rtol=1e-6)     # each z joined to its own G(z)
    assert (ys[:, 0] == 0).all() and (ys[:, 1] == 1).all()            # from the z line up to the x line
    assert np.isnan(xs[:, 2]).all() and np.isnan(ys[:, 2]).all()      # separate segments
    assert mapping.yaxis == "y3" and fig.layout.xaxis.anchor == "y3"


def test_jsd_figure_uses_a_log_axis_and_the_ln2_ceiling() -> None:
    metrics = pd.DataFrame({"iteration": [50, 100, 150], "jsd": [0.5, 0.05, 0.004]})
    fig = plots.jsd_figure(metrics)
    assert fig.layout.yaxis.type == "log"
    assert list(fig.data[0].y) == [0.5, 0.05, 0.004]
    assert fig.layout.shapes[0].y0 == pytest.approx(math.log(2))


# ---- 2-D snapshot -----------------------------------------------------------------------

def test_snapshot_2d_figure_caps_samples_and_draws_heatmap_centres_and_arrows() -> None:
    snap = snapshot_2d(samples=5000)
    centers = toy_target("ring2d").centers
    fig = plots.snapshot_2d_figure(snap, centers)
    heatmap = fig.data[0]
    assert heatmap.type == "heatmap" and np.asarray(heatmap.z).shape == (50, 60)
    assert (heatmap.zmin, heatmap.zmax) == (0, 1)
    assert len(fig.data[1].x) == plots.MAX_SAMPLES
    assert len(trace(fig, "mode centres").x) == 8
    arrows = trace(fig, "generator gradient")
    # Each arrow is 9 entries: shaft (start, tip, None), then two barbs.
    xs, ys = arrows.x, arrows.y
    starts = np.array([[xs[i], ys[i]] for i in range(0, len(xs), 9)])
    tips = np.array([[xs[i + 1], ys[i + 1]] for i in range(0, len(xs), 9)])
    np.testing.assert_allclose(starts, snap["grad_points"], rtol=1e-6)
    shafts = tips - starts
    assert np.linalg.norm(shafts, axis=1).max() == pytest.approx(0.08 * 3.0, rel=1e-5)
    unit = snap["grad"] / np.linalg.norm(snap["grad"], axis=1, keepdims=True)
    np.testing.assert_allclose(shafts / np.linalg.norm(shafts, axis=1, keepdims=True), unit, atol=1e-5)


def test_modes_figure_shows_both_metrics_and_the_number_of_modes() -> None:
    metrics = pd.DataFrame({"iteration": [100, 200], "modes_captured": [3.0, 8.0], "hq_fraction": [0.4, 0.97],
                            "reverse_kl": [1.0, 0.03]})
    fig = plots.modes_figure(metrics, 8)
    assert [t.name for t in fig.data] == ["modes captured", "high-quality fraction"]
    assert fig.data[1].yaxis == "y2"
    assert fig.layout.shapes[0].y0 == 8


# ---- images -----------------------------------------------------------------------------

def test_tile_images_places_each_image_on_a_white_grid() -> None:
    images = np.stack([np.full((4, 5), value, dtype=np.uint8) for value in (10, 20, 30)])
    canvas = plots.tile_images(images, columns=2, pad=1)
    assert canvas.shape == (2 * 4 + 1, 2 * 5 + 1, 3) and canvas.dtype == np.uint8
    assert (canvas[0:4, 0:5] == 10).all() and (canvas[0:4, 6:11] == 20).all() and (canvas[5:9, 0:5] == 30).all()
    assert (canvas[4] == 255).all() and (canvas[5:9, 6:11] == 255).all()


def test_image_grid_figure_caps_tiles_and_labels_them() -> None:
    images = np.random.default_rng(0).integers(0, 256, size=(100, 28, 28), dtype=np.uint8)
    labels = np.arange(100) % 10
    fig = plots.image_grid_figure(images, labels, columns=8)
    assert fig.data[0].type == "image"
    assert np.asarray(fig.data[0].z).shape == (8 * 30 - 2, 8 * 30 - 2, 3)
    assert [a.text for a in fig.layout.annotations] == [str(i % 10) for i in range(plots.MAX_IMAGES)]
    rgb = np.random.default_rng(1).integers(0, 256, size=(6, 16, 16, 3), dtype=np.uint8)
    assert np.asarray(plots.image_grid_figure(rgb).data[0].z).shape == (16, 6 * 18 - 2, 3)


# ---- compare and sweep ------------------------------------------------------------------

def test_compare_figure_overlays_runs_and_skips_those_without_the_column() -> None:
    one, five = loss_series(40), loss_series(60)
    metrics = pd.DataFrame({"iteration": [10, 20], "jsd": [0.1, 0.01]})
    fig = plots.compare_figure({"k = 1": one, "k = 5": five, "no jsd": metrics}, "loss_d", reference=0.69)
    assert [t.name for t in fig.data] == ["k = 1", "k = 5"]
    assert fig.layout.shapes[0].y0 == 0.69
    assert plots.compare_figure({"r": metrics}, "jsd", log_y=True).layout.yaxis.type == "log"


def test_sweep_figure_keys_every_cell_and_names_missing_ones() -> None:
    values = np.array([[0.01, np.nan], [0.2, 0.03]])
    keys = np.array([["a", "b"], ["c", "d"]], dtype=object)
    notes = np.array([["", "running"], ["", ""]], dtype=object)
    fig = plots.sweep_figure([1, 5], ["1e-4", "1e-3"], values, keys, "JSD", notes)
    heatmap, cells = fig.data
    assert np.isnan(np.asarray(heatmap.z, dtype=float)[0, 1]) and heatmap.z[1][0] == 0.2
    assert list(zip(cells.x, cells.y, cells.customdata, cells.text)) == [
        ("1e-4", "k = 1", "a", "0.01"), ("1e-3", "k = 1", "b", "running"),
        ("1e-4", "k = 5", "c", "0.2"), ("1e-3", "k = 5", "d", "0.03")]
    no_notes = plots.sweep_figure([1], ["1e-3"], np.array([[np.nan]]), np.array([["x"]]), "JSD")
    assert list(no_notes.data[1].text) == ["not trained yet"]


# ---- anchors ----------------------------------------------------------------------------

def test_published_anchors_match_the_issue_table_and_cite_their_source() -> None:
    ring = {a.method: a for a in anchors.anchors_for("ring2d", include_goals=False)}
    assert (ring["GAN"].modes_captured, ring["GAN"].hq_fraction) == (6.3, 0.982)
    assert (ring["PacGAN2"].modes_captured, ring["PacGAN2"].reverse_kl) == (7.9, 0.07)
    assert ring["VEEGAN"].hq_fraction == 0.529 and ring["GDPP-GAN"].hq_fraction == 0.717
    grid = {a.method: a for a in anchors.anchors_for("grid2d", include_goals=False)}
    assert grid["PacGAN4"].reverse_kl == 0.04 and grid["GDPP-GAN"].hq_fraction == 0.685
    assert all("Table 1" in a.source for a in anchors.PUBLISHED)


def test_comparison_table_puts_the_run_first_and_drops_empty_columns() -> None:
    table = anchors.comparison_table("ring2d", "this run",
                                     {"modes_captured": 8.0, "hq_fraction": 0.99, "reverse_kl": 0.02, "jsd": 9.0})
    assert table.iloc[0]["method"] == "this run" and table.iloc[0]["modes_captured"] == 8.0
    assert list(table.columns) == ["method", "source", "modes_captured", "hq_fraction", "reverse_kl"]
    assert len(table) == 1 + len(anchors.anchors_for("ring2d"))
    assert anchors.comparison_table("mnist", "this run", {}).empty
    gauss = anchors.comparison_table("gauss1d", "this run", {"jsd": 0.003})
    assert list(gauss.columns) == ["method", "source", "jsd"]


def every_figure() -> dict[str, object]:
    series = loss_series(600)
    metrics = pd.DataFrame({"iteration": [100, 200], "jsd": [0.2, 0.01], "modes_captured": [3.0, 8.0],
                            "hq_fraction": [0.4, 0.97]})
    images = np.random.default_rng(0).integers(0, 256, size=(16, 28, 28), dtype=np.uint8)
    return {
        "loss": plots.loss_figure(series, "minimax"),
        "d_output": plots.discriminator_output_figure(series),
        "jsd": plots.jsd_figure(metrics),
        "modes": plots.modes_figure(metrics, 25),
        "compare": plots.compare_figure({"a": series, "b": series}, "d_fake", reference=0.5),
        "snapshot_1d": plots.snapshot_1d_figure(snapshot_1d()),
        "snapshot_2d": plots.snapshot_2d_figure(snapshot_2d(), toy_target("grid2d").centers),
        "images": plots.image_grid_figure(images, np.arange(16) % 10),
        "sweep": plots.sweep_figure([1, 2], ["1e-3"], np.array([[0.1], [np.nan]]), np.array([["a"], ["b"]]), "JSD"),
    }


@pytest.mark.parametrize("name", list(every_figure()))
def test_every_figure_passes_plotlys_own_validation(name: str) -> None:
    # The builders skip validation for speed; this is where it happens instead.
    import plotly.graph_objects as go

    figure = every_figure()[name]
    validated = go.Figure(figure.to_dict())           # raises on any invalid property or value
    assert [(t.type, t.name) for t in validated.data] == [(t.type, t.name) for t in figure.data]
    assert validated.layout.height == figure.layout.height


def test_the_sweeps_axis_titles_are_large_enough_to_read() -> None:
    fig = plots.sweep_figure([1, 5], ["1e-4"], np.array([[0.1], [0.2]]), np.array([["a"], ["b"]]), "JSD")
    assert fig.layout.yaxis.title.text == "k" and fig.layout.yaxis.title.font.size >= 14
    assert fig.layout.xaxis.title.font.size >= 14


def test_the_gallerys_threshold_is_named_in_the_legend_not_written_over_the_bars() -> None:
    from gan_engine.plots import gallery

    fig = gallery.per_class_comparison(np.full(10, 0.97), np.full(10, 0.99), title="t", x_title="digit",
                                       y_title="accuracy", generated_name="G", real_name="real", percent=True,
                                       threshold=0.95, threshold_label="95% bar")
    assert not fig.layout.annotations
    line = [trace for trace in fig.data if trace.name == "95% bar"]
    assert len(line) == 1 and list(line[0].y) == [0.95, 0.95] and line[0].line.dash == "dash"


def test_time_series_figures_mark_the_snapshot_shown_with_a_cursor() -> None:
    series = loss_series(30)
    metrics = pd.DataFrame({"iteration": [0.0, 100.0, 200.0], "jsd": [0.3, 0.1, 0.01],
                            "modes_captured": [2.0, 6.0, 8.0], "hq_fraction": [0.2, 0.8, 0.95]})
    for build in (lambda cursor: plots.loss_figure(series, "nonsaturating", cursor=cursor),
                  lambda cursor: plots.discriminator_output_figure(series, cursor=cursor),
                  lambda cursor: plots.jsd_figure(metrics, cursor=cursor),
                  lambda cursor: plots.modes_figure(metrics, 8, labels={"snapshot": "快照"}, cursor=cursor)):
        plain, marked = build(None), build(100)
        added = marked.layout.shapes[len(plain.layout.shapes):]
        assert len(added) == 1 and (added[0].x0, added[0].x1, added[0].yref) == (100, 100, "paper")
        assert marked.data[-1].name in ("snapshot", "快照") and marked.data[-1].line.dash == "dash"   # in the legend


def test_the_frechet_floor_line_sits_at_the_floor_on_the_log_axis():
    # plotly.js puts a shape at the data value on a log axis and an annotation at its log10:
    # the floor's dotted line and its label must both land at 16.6 (a browser showed the line
    # at 1.2 when both were given log10)
    metrics = pd.DataFrame({"iteration": [0, 10], "frechet": [1800.0, 600.0], "frechet_floor": [16.6, 16.6]})
    figure = plots.frechet_figure(metrics)
    assert figure.layout.yaxis.type == "log"
    (line,), (label,) = figure.layout.shapes, figure.layout.annotations
    assert line.y0 == line.y1 == 16.6
    assert label.y == pytest.approx(math.log10(16.6)) and "16.6" in label.text
