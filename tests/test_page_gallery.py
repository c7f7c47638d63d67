"""The Gallery page under AppTest, opened on its own as a deep link does.

Each test starts from an empty runs directory (a fresh machine): only the shipped
generator is offered. Images are compared by their media URLs, which Streamlit derives
from the image bytes, so "the picture changed" is a real comparison of content.
"""

from __future__ import annotations

import re
from pathlib import Path

import h5py
import numpy as np
import pytest
from apphelpers import app_session
from streamlit.testing.v1 import AppTest

from gan_engine.judge import sampling
from gan_engine.config import preset
from gan_engine.train.models import build_models
from gan_engine.runs.runfile import RunRecord, state_arrays, write_run_file
from gan_engine.runs.store import RunStore
from ui.gallery import generators
from ui.i18n import LANG_WIDGET_KEY
from ui.strings.gallery import EN, ZH

PAGE = "pages/3_Gallery.py"
SHIPPED = "pretrained:mnist-cgan"


@pytest.fixture()
def runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RunStore:
    monkeypatch.setenv("GAN_EXPLORER_RUNS", str(tmp_path / "runs"))
    return RunStore(tmp_path / "runs")


def _open(view: str | None = None) -> AppTest:
    at = app_session(PAGE).run()
    assert not at.exception, at.exception
    if view is not None:
        at.segmented_control(key="gallery_view").set_value(view).run()
        assert not at.exception, at.exception
    return at


def _pictures(at: AppTest) -> list[str]:
    return [url for image in at.image for url in image.value]


def _changes_picture(at: AppTest, widget, value) -> None:
    before = _pictures(at)
    widget.set_value(value).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    after = _pictures(at)
    assert after and after != before, f"{widget.key} = {value!r} did not change the picture"


def _add_run(store: RunStore, config) -> str:
    """A finished run of `config` with freshly initialised weights, written as the worker would."""
    generator, discriminator = build_models(config)
    record = RunRecord(key=config.key(), config=config, status="done")
    record.weights = {"generator": state_arrays(generator), "discriminator": state_arrays(discriminator)}
    store.root.mkdir(parents=True, exist_ok=True)
    write_run_file(store.run_path(config.key()), record)
    return config.key()


def test_renders_the_shipped_generator_on_a_fresh_machine(runs):
    at = _open()
    assert at.title[0].value == "Gallery"
    assert at.selectbox(key="gallery_generator").value == SHIPPED
    assert len(_pictures(at)) == 1
    assert at.get("download_button")
    assert not at.warning and not at.error


def test_sample_controls_change_the_grid(runs):
    at = _open()
    _changes_picture(at, at.number_input(key="gallery_seed"), 5)
    _changes_picture(at, at.selectbox(key="gallery_digit"), 7)
    _changes_picture(at, at.slider(key="gallery_size"), 4)


def test_generator_is_loaded_once_per_process(runs, monkeypatch):
    loads = []
    real_load = sampling.load_generator
    monkeypatch.setattr(sampling, "load_generator", lambda source: loads.append(source.spec) or real_load(source))
    generators.generator.clear()
    at = _open()
    for seed in (1, 2, 3):
        at.number_input(key="gallery_seed").set_value(seed).run()
    _open("interpolate")   # a second session in the same server process
    assert loads == [SHIPPED]


def test_same_seed_gives_the_same_picture(runs):
    first, second = _open(), _open()
    assert _pictures(first) == _pictures(second)


def test_seed_outside_the_range_is_clamped_with_a_message(runs):
    at = _open()
    at.number_input(key="gallery_seed").set_value(-5).run()
    assert "0" in at.warning[0].value and "-5" in at.warning[0].value
    clamped = _pictures(at)
    at.number_input(key="gallery_seed").set_value(0).run()
    assert not at.warning
    assert _pictures(at) == clamped


def test_same_z_view(runs):
    at = _open("same_z")
    assert len(_pictures(at)) == 1
    _changes_picture(at, at.slider(key="gallery_rows"), 2)
    _changes_picture(at, at.number_input(key="gallery_seed"), 9)


def test_interpolation_view_shows_lerp_slerp_and_norms(runs):
    at = _open("interpolate")
    assert len(_pictures(at)) == 2
    assert len(at.get("plotly_chart")) == 1
    assert len(at.get("download_button")) == 2
    _changes_picture(at, at.number_input(key="gallery_seed_b"), 12)
    _changes_picture(at, at.slider(key="gallery_steps"), 5)
    _changes_picture(at, at.selectbox(key="gallery_path_digit"), 0)
    _changes_picture(at, at.number_input(key="gallery_seed"), 3)


def test_corner_grid_controls(runs):
    at = _open("corners")
    for key, value in (("gallery_corner_tr", 20), ("gallery_corner_bl", 21), ("gallery_corner_br", 22)):
        _changes_picture(at, at.number_input(key=key), value)
    _changes_picture(at, at.slider(key="gallery_corner_size"), 4)
    _changes_picture(at, at.radio(key="gallery_corner_method"), "lerp")
    _changes_picture(at, at.selectbox(key="gallery_corner_digit"), 4)


def test_label_morph_controls(runs):
    at = _open("morph")
    _changes_picture(at, at.selectbox(key="gallery_morph_from"), 3)
    _changes_picture(at, at.selectbox(key="gallery_morph_to"), 9)
    _changes_picture(at, at.slider(key="gallery_morph_steps"), 4)


def test_diagnostics_show_recorded_scores_and_nearest_images(runs):
    at = _open("diagnostics")
    assert len(at.metric) == 3
    assert float(at.metric[0].value.rstrip("%")) >= 95.0
    assert float(at.metric[1].value.rstrip("%")) >= 80.0
    assert len(at.get("plotly_chart")) == 2
    assert len(_pictures(at)) == 2     # samples and their nearest training images
    _changes_picture(at, at.selectbox(key="gallery_nearest_digit"), 6)


def test_non_image_and_unreadable_runs_are_not_offered(runs):
    _add_run(runs, preset("ring2d", iterations=3))
    truncated = _add_run(runs, preset("mnist-gan", hidden_dim=16, iterations=3))
    path = runs.run_path(truncated)
    path.write_bytes(path.read_bytes()[:4000])   # a copy cut off halfway
    healthy = _add_run(runs, preset("mnist-gan", hidden_dim=16, iterations=4))
    at = _open()
    assert at.selectbox(key="gallery_generator").options == [
        "mnist-cgan (ships with GAN Explorer)", f"mnist-gan · run {healthy[:8]} · 4 iterations"]


def test_damaged_weights_give_a_message_and_the_page_keeps_working(runs):
    damaged = _add_run(runs, preset("mnist-gan", conditional=True, hidden_dim=16, iterations=3))
    with h5py.File(runs.run_path(damaged), "a") as f:
        del f["weights/generator/out.weight"]
        f["weights/generator/out.weight"] = np.zeros((3, 3), np.float32)
    at = _open()
    at.selectbox(key="gallery_generator").set_value(damaged).run()
    assert not at.exception
    assert "cannot be loaded" in at.error[0].value and "out.weight" in at.error[0].value
    assert not _pictures(at)
    at.selectbox(key="gallery_generator").set_value(SHIPPED).run()
    assert not at.exception and not at.error
    assert _pictures(at)


def test_unconditional_run_has_a_class_histogram(runs):
    key = _add_run(runs, preset("mnist-gan", hidden_dim=16, iterations=5))
    at = _open()
    at.selectbox(key="gallery_generator").set_value(key).run()
    views = at.segmented_control(key="gallery_view").options
    assert EN["gallery.view.same_z"] not in views and EN["gallery.view.morph"] not in views
    assert EN["gallery.view.interpolate"] in views
    at.segmented_control(key="gallery_view").set_value("diagnostics").run()
    assert not at.exception, at.exception
    assert at.metric[0].label == EN["gallery.metric_classes"]
    assert len(at.get("plotly_chart")) == 2   # the class histogram and the diversity bars


def test_reached_from_the_app_and_translated(runs):
    at = app_session().run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert at.title[0].value == EN["gallery.title"]
    at.sidebar.segmented_control(key=LANG_WIDGET_KEY).set_value("zh").run()
    assert not at.exception, at.exception
    assert at.title[0].value == ZH["gallery.title"] != EN["gallery.title"]
    assert ZH["gallery.view.morph"] in at.segmented_control(key="gallery_view").options
    assert _pictures(at)


def test_translation_tables_match():
    assert EN.keys() == ZH.keys()
    for key in EN:   # the same placeholders in both languages
        assert sorted(re.findall(r"{(\w+)", EN[key])) == sorted(re.findall(r"{(\w+)", ZH[key])), key
