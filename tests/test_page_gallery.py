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
from apphelpers import app_session, link_notes
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
    _changes_picture(at, at.text_input(key="gallery_seed"), "5")
    _changes_picture(at, at.selectbox(key="gallery_digit"), 7)
    _changes_picture(at, at.slider(key="gallery_size"), 4)


def test_generator_is_loaded_once_per_process(runs, monkeypatch):
    loads = []
    real_load = sampling.load_generator
    monkeypatch.setattr(sampling, "load_generator", lambda source: loads.append(source.spec) or real_load(source))
    generators.generator.clear()
    at = _open()
    for seed in (1, 2, 3):
        at.text_input(key="gallery_seed").input(str(seed)).run()
    _open("interpolate")   # a second session in the same server process
    assert loads == [SHIPPED]


def test_same_seed_gives_the_same_picture(runs):
    first, second = _open(), _open()
    assert _pictures(first) == _pictures(second)


def test_seed_outside_the_range_is_clamped_with_a_message(runs):
    at = _open()
    at.text_input(key="gallery_seed").input("-5").run()
    assert "0" in at.warning[0].value and "-5" in at.warning[0].value
    clamped = _pictures(at)
    at.text_input(key="gallery_seed").input("0").run()
    assert not at.warning
    assert _pictures(at) == clamped


def test_same_z_view(runs):
    at = _open("same_z")
    assert len(_pictures(at)) == 1
    _changes_picture(at, at.slider(key="gallery_rows"), 2)
    _changes_picture(at, at.text_input(key="gallery_seed"), "9")


def test_interpolation_view_shows_lerp_slerp_and_norms(runs):
    at = _open("interpolate")
    assert len(_pictures(at)) == 2
    assert len(at.get("plotly_chart")) == 1
    assert len(at.get("download_button")) == 2
    _changes_picture(at, at.text_input(key="gallery_seed_b"), "12")
    _changes_picture(at, at.slider(key="gallery_steps"), 5)
    _changes_picture(at, at.selectbox(key="gallery_path_digit"), 0)
    _changes_picture(at, at.text_input(key="gallery_seed"), "3")


def test_corner_grid_controls(runs):
    at = _open("corners")
    for key, value in (("gallery_corner_tr", 20), ("gallery_corner_bl", 21), ("gallery_corner_br", 22)):
        _changes_picture(at, at.text_input(key=key), str(value))
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
    assert len(at.metric) == 4          # worst digit, diversity, Fréchet, the judges' disagreement
    assert at.metric[3].label == EN["gallery.metric_disagreement"]
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
        "mnist-cgan · ships with GAN Explorer · 20,000 iterations", f"mnist-gan · run {healthy[:8]} · 4 iterations"]


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


def test_each_generator_is_named_by_what_it_is(runs):
    """The shipped generator is named by the preset it was trained with (mnist-cgan, at width 64
    and 20,000 iterations: the mnist-cdcgan recipe) and says it ships; a run of the mnist-cgan
    preset is named by its key and length, so the two never read alike."""
    mine = _add_run(runs, preset("mnist-cgan", hidden_dim=16, iterations=3))
    at = _open()
    shipped, run = at.selectbox(key="gallery_generator").options
    assert shipped == "mnist-cgan · ships with GAN Explorer · 20,000 iterations", shipped
    assert run == f"mnist-cgan · run {mine[:8]} · 3 iterations", run
    line = next(c.value for c in at.caption if "latent" in c.value)
    assert "preset mnist-cgan" in line and line.endswith("exactly the settings of preset mnist-cdcgan"), line


def test_an_unconditional_generator_is_not_described_by_digit(runs):
    key = _add_run(runs, preset("mnist-gan", hidden_dim=16, iterations=5))
    at = _open()
    at.selectbox(key="gallery_generator").set_value(key).run()
    texts = [c.value for c in at.caption] + [c for image in at.image for c in image.captions]
    assert not any("row k" in text or "digit k" in text for text in texts), texts
    assert at.slider(key="gallery_size").help == EN["gallery.grid_size_help_unconditional"]
    at.segmented_control(key="gallery_view").set_value("diagnostics").run()
    assert not at.exception, at.exception
    texts = [c.value for c in at.caption]
    assert not any("per digit" in text for text in texts), texts
    assert EN["gallery.scores_live_unconditional"].format(n=2000, judges="")[:30] in " ".join(texts)


def test_a_conditional_generator_explains_its_rows(runs):
    at = _open()
    assert any(EN["gallery.sample_rows"] in c for image in at.image for c in image.captions)
    assert at.slider(key="gallery_size").help == EN["gallery.grid_size_help"]


def test_a_seed_typed_as_1e3_is_seed_1000():
    at = _open()
    at.text_input(key="gallery_seed").input("1e3").run()
    assert at.text_input(key="gallery_seed").value == "1000" and not at.warning
    assert EN["gallery.sample_caption"].format(seed=1000) in " ".join(c for i in at.image for c in i.captions)


def _link(at: AppTest) -> dict[str, str]:
    return {key: value[0] if isinstance(value, list) else value for key, value in at.query_params.items()}


def test_a_link_shares_the_generator_view_seeds_and_digits(runs):
    mine = _add_run(runs, preset("mnist-gan", conditional=True, hidden_dim=16, iterations=3))
    at = _open()
    assert not [key for key in at.query_params if key.startswith("gallery_")]    # the page as it opens
    at.selectbox(key="gallery_generator").set_value(mine).run()
    at.segmented_control(key="gallery_view").set_value("corners").run()
    at.text_input(key="gallery_seed").input("42").run()
    at.text_input(key="gallery_corner_br").input("77").run()
    at.selectbox(key="gallery_corner_digit").set_value(5).run()
    at.radio(key="gallery_corner_method").set_value("lerp").run()
    assert not at.exception, at.exception
    link = _link(at)
    assert link == {"gallery_generator": mine, "gallery_view": "corners", "gallery_seed": "42",
                    "gallery_corner_br": "77", "gallery_corner_digit": "5", "gallery_corner_method": "lerp"}, link
    shared = app_session(PAGE, link).run()
    assert not shared.exception and not shared.warning
    assert shared.selectbox(key="gallery_generator").value == mine
    assert shared.segmented_control(key="gallery_view").value == "corners"
    assert _pictures(shared) == _pictures(at)                                  # the same picture
    at.segmented_control(key="gallery_view").set_value("sample").run()         # another view: its own controls
    assert set(_link(at)) == {"gallery_generator", "gallery_seed"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_hand_edited_link_is_clamped_or_refused_with_one_summary(runs, lang):
    key = _add_run(runs, preset("mnist-gan", hidden_dim=16, iterations=3))     # unconditional
    at = app_session(PAGE, {"lang": lang, "gallery_generator": key, "gallery_view": "morph", "gallery_seed": "-5",
                            "gallery_size": "99", "gallery_digit": "<b>", "gallery_corner_method": "cubic"}).run()
    assert not at.exception, at.exception
    lines = link_notes(at)
    assert len(at.warning) == 1 and len(lines) == 5, lines
    for raw in ("morph", "-5", "99", "<b>", "cubic"):
        assert sum(f"`{raw}`" in line for line in lines) == 1, raw
    assert at.selectbox(key="gallery_generator").value == key
    assert at.segmented_control(key="gallery_view").value == "sample"
    assert at.text_input(key="gallery_seed").value == "0" and at.slider(key="gallery_size").value == 10
    missing = app_session(PAGE, {"gallery_generator": "0123456789abcdef"}).run()   # not on this server
    assert link_notes(missing) == [EN["gallery.link_generator"].format(
        value="0123456789abcdef", shown=missing.selectbox(key="gallery_generator").options[0])]
    assert "gallery_generator" not in missing.query_params


def test_a_visit_to_another_page_keeps_the_view_and_seed(runs):
    at = _open("morph")
    at.text_input(key="gallery_seed").input("7").run()
    at.selectbox(key="gallery_morph_to").set_value(4).run()
    before = _pictures(at)
    at.switch_page("pages/1_Theory.py").run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert at.segmented_control(key="gallery_view").value == "morph"
    assert at.text_input(key="gallery_seed").value == "7" and at.selectbox(key="gallery_morph_to").value == 4
    assert _pictures(at) == before
