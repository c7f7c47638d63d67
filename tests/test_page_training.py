"""The Training page under AppTest, with a real runs directory and real worker processes.

Runs are tiny (the 1-D normal for 30 iterations, a few seconds each). AppTest does not fire
fragment timers, so a test polls a running job by re-running the page, as the issue asks.
"""

from __future__ import annotations

import ast
import math
import re
import time
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from gan_engine.config import PRESETS
from gan_engine.runs.runfile import RunRecord, write_run_file
from apphelpers import app_session, link_notes
from gan_engine.plots import training as plots
from gan_engine.runs.store import RunStore
from ui.i18n import LANG_QUERY_PARAM, LANG_STATE_KEY
from ui.strings import training as strings
from ui.training import engine, fields, settings, url

PAGE = "pages/2_Training.py"
TINY = {"train_iterations": "30", "train_batch": "64"}
WAIT_SECONDS = 60
ISSUE_PRESETS = ("gauss1d", "bimodal1d", "ring2d", "grid2d", "mnist-gan", "mnist-cgan", "mnist-dcgan", "faces",
                 "seed-notebook-cgan", "seed-notebook-gauss1d")


@pytest.fixture()
def runs_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh runs directory that the page (running in this process) trains into."""
    monkeypatch.setenv("GAN_EXPLORER_RUNS", str(tmp_path))
    return tmp_path


@pytest.fixture(scope="module")
def shared_runs_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One runs directory for the training tests, so a run trained by one is cached for the next."""
    return tmp_path_factory.mktemp("training-page-runs")


@pytest.fixture()
def trained_runs_dir(shared_runs_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GAN_EXPLORER_RUNS", str(shared_runs_dir))
    return shared_runs_dir


def page(query: dict[str, str] | None = None) -> AppTest:
    return app_session(PAGE, query).run()


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def snapshot_1d() -> dict[str, np.ndarray]:
    """A 1-D snapshot shaped as docs/CONTRACTS.md describes."""
    x = np.linspace(-2, 6, 200, dtype=np.float32)
    p_data = np.exp(-0.5 * ((x - 2) / 0.5) ** 2) / (0.5 * np.sqrt(2 * np.pi))
    p_g = np.exp(-0.5 * x ** 2) / np.sqrt(2 * np.pi)
    z = np.linspace(-3, 3, 50, dtype=np.float32)
    return {"x": x, "p_data": p_data.astype(np.float32), "p_g": p_g.astype(np.float32),
            "d": np.full_like(x, 0.5), "d_star": (p_data / (p_data + p_g)).astype(np.float32),
            "z": z, "g_z": z.copy()}


def charts(at: AppTest) -> list:
    return at.get("plotly_chart")


def wait_until_finished(at: AppTest) -> list[str]:
    """Re-run the page until the live view (it has the Cancel button) gives way to the result.

    Returns the progress-bar texts seen on the way.
    """
    seen: list[str] = []
    deadline = time.monotonic() + WAIT_SECONDS
    while "train_cancel" in keys(at):
        no_exception(at)
        seen += [bar.proto.text for bar in at.get("progress")]
        assert time.monotonic() < deadline, f"the run did not finish in {WAIT_SECONDS} s"
        time.sleep(1.0)
        at.run()
    no_exception(at)
    return seen


def keys(at: AppTest) -> set[str]:
    return {w.key for w in at.button}


# ---- controls ---------------------------------------------------------------------------

def test_every_preset_renders_its_controls_with_its_defaults(runs_dir: Path) -> None:
    at = page()
    no_exception(at)
    assert at.selectbox(key="train_preset").value == "gauss1d"
    at.slider(key="train_k").set_value(7).run()          # switching preset must reset this
    names = settings.preset_names()
    for name in [*names[1:], names[0]]:                 # each one a change of preset
        at.selectbox(key="train_preset").set_value(name).run()
        no_exception(at)
        defaults = PRESETS[name]
        assert at.slider(key="train_k").value == defaults.k, name
        assert at.select_slider(key="train_lr_d").value == defaults.lr_d
        assert at.select_slider(key="train_lr_g").value == defaults.lr_g
        assert at.select_slider(key="train_batch").value == defaults.batch_size
        assert int(at.text_input(key="train_iterations").value) == defaults.iterations
        assert at.selectbox(key="train_loss").value == defaults.loss
        assert at.slider(key="train_smoothing").value == defaults.label_smoothing
        assert at.selectbox(key="train_optimizer").value == defaults.optimizer
        assert at.select_slider(key="train_latent").value == defaults.latent_dim
        assert int(at.text_input(key="train_seed").value) == defaults.seed
        assert not at.error, (name, [e.value for e in at.error])
        assert at.button(key="train_launch").disabled is False
    assert "faces" not in settings.preset_names()       # no faces file in the test's data directory
    assert any("faces" in c.value for c in at.sidebar.caption)


def test_the_page_says_where_runs_train(runs_dir: Path) -> None:
    at = page()
    device = engine.machine_device()
    expected = strings.EN["training.device_cpu"] if device == "cpu" else \
        strings.EN["training.device_gpu"].format(device=device)
    assert expected in [c.value for c in at.caption]


def test_url_parameters_set_the_widgets(runs_dir: Path) -> None:
    at = page({"train_preset": "ring2d", "train_k": "5", "train_lr_d": "1e-3", "train_lr_g": "1e-4",
               "train_loss": "lsgan", "train_seed": "7"})
    no_exception(at)
    assert at.selectbox(key="train_preset").value == "ring2d"
    assert at.slider(key="train_k").value == 5
    assert at.select_slider(key="train_lr_d").value == 1e-3
    assert at.select_slider(key="train_lr_g").value == 1e-4
    assert at.selectbox(key="train_loss").value == "lsgan"
    assert int(at.text_input(key="train_seed").value) == 7
    assert at.select_slider(key="train_batch").value == PRESETS["ring2d"].batch_size
    assert not at.warning


def test_hand_edited_url_values_are_clamped_or_refused_with_a_message(runs_dir: Path) -> None:
    script = "<script>alert(1)</script>"
    at = page({"train_k": "-3", "train_lr_d": "1e9", "train_iterations": "1000000000000",
               "train_preset": script, "train_loss": "<b>bold</b>", "train_seed": "abc",
               "train_lr_g": "0.001"})
    no_exception(at)
    assert at.slider(key="train_k").value == 1
    assert at.select_slider(key="train_lr_d").value == 0.1
    assert at.select_slider(key="train_lr_g").value == 1e-3          # 0.001 spelled differently
    assert int(at.text_input(key="train_iterations").value) == fields.ITERATION_RANGE[1]
    assert at.selectbox(key="train_preset").value == "gauss1d"
    assert at.selectbox(key="train_loss").value == PRESETS["gauss1d"].loss
    assert int(at.text_input(key="train_seed").value) == 0
    messages = link_notes(at)
    assert len(messages) == 6 and len(at.warning) == 1, messages      # lr_g=0.001 is silently normalised
    assert any("k" in m and "`-3`" in m and "`1`" in m for m in messages)
    assert any("`1e9`" in m for m in messages)
    assert any(f"`{script}`" in m for m in messages)                  # shown as code, not markup
    assert any("`<b>bold</b>`" in m for m in messages)
    # The run that the clamped values describe is too large for a visitor: explained, not launched.
    assert at.error and "too large" in at.error[0].value
    assert at.button(key="train_launch").disabled
    assert not at.get("html")
    assert all(not m.proto.allow_html for m in at.markdown)


def test_url_values_are_checked_once_per_session(runs_dir: Path) -> None:
    at = page({"train_k": "500"})
    assert at.slider(key="train_k").value == fields.K_RANGE[1] and len(link_notes(at)) == 1
    at.slider(key="train_k").set_value(3).run()
    assert at.slider(key="train_k").value == 3 and not at.warning


@pytest.mark.parametrize(("key", "raw", "value", "outcome"), [
    ("train_k", "5", 5, None),
    ("train_k", "0", 1, "clamped"),
    ("train_k", "2.5", 2, "rounded"),
    ("train_k", "nan", None, "ignored"),
    ("train_k", "1" * 60, None, "ignored"),
    ("train_lr_d", "1e-3", 1e-3, None),
    ("train_lr_d", "1.05e-3", 1e-3, "rounded"),   # the nearest option (1.2e-3, a preset's, is one)
    ("train_lr_d", "1e-9", 1e-5, "clamped"),
    ("train_lr_d", "-1", None, "ignored"),
    ("train_batch", "100", 128, "rounded"),
    ("train_smoothing", "0.12", 0.1, "rounded"),
    ("train_smoothing", "0.9", 0.3, "clamped"),
    ("train_optimizer", "sgd", "sgd", None),
    ("train_optimizer", "rmsprop", None, "ignored"),
])
def test_check_url_value(key: str, raw: str, value: object, outcome: str | None) -> None:
    field = next(f for f in fields.FIELDS if f.key == key)
    got, got_outcome = url.check_url_value(field, raw)
    assert got_outcome == outcome
    if isinstance(value, float):
        assert math.isclose(got, value)
    else:
        assert got == value


def test_an_impossible_setting_is_explained_and_not_launched(runs_dir: Path) -> None:
    at = page()
    at.select_slider(key="train_batch").set_value(1024)
    at.text_input(key="train_iterations").input(str(200_000)).run()
    no_exception(at)
    assert "too large" in at.error[0].value
    assert at.button(key="train_launch").disabled


# ---- training ---------------------------------------------------------------------------

def test_a_tiny_run_trains_shows_charts_and_is_then_served_from_cache(trained_runs_dir: Path) -> None:
    runs_dir = trained_runs_dir
    at = page(TINY)
    at.button(key="train_launch").click().run()
    no_exception(at)
    key = at.session_state["train_active_key"]
    assert at.session_state["train_outcome"] in ("started", "queued")
    assert "train_cancel" in keys(at)                  # the live view: progress or place in queue
    seen = wait_until_finished(at)
    progress = re.compile(r"Iteration \d+ of 30 · about .+ left · on \w+|Starting: .* 30 iterations…")
    assert all(progress.fullmatch(text) for text in seen), seen
    store = RunStore(runs_dir)
    assert store.summary(key).status == "done"
    assert len(charts(at)) >= 3                        # losses, D outputs, Figure 1 (+ JSD)
    assert not at.success                              # trained now, not from the cache
    assert any("iteration 30 of 30" in c.value for c in at.caption)
    assert [m.label for m in at.metric] == ["JSD (nats)"]
    assert at.dataframe and at.dataframe[0].value["method"].tolist() == ["this run", "goal"]

    # A second visitor asks for the same configuration: served at once, no worker started.
    run_file = store.run_path(key)
    before = run_file.stat().st_mtime_ns
    again = page(TINY)
    again.button(key="train_launch").click().run()
    no_exception(again)
    assert again.session_state["train_outcome"] == "cached"
    assert strings.EN["training.from_cache"] in [s.value for s in again.success]
    assert len(charts(again)) >= 3 and not again.get("progress") and "train_cancel" not in keys(again)
    assert run_file.stat().st_mtime_ns == before
    assert sorted(p.name for p in runs_dir.glob("*.h5")) == [f"{key}.h5"]


def _device_lines() -> None:
    import streamlit as st

    from ui.training.run_view import device_text

    st.text(device_text("cpu", {"loss_d": 1.3, "threads": 2.0}))     # an image run borrowing a core
    st.text(device_text("cpu", {"loss_d": 1.3}))                     # a toy run, or threads pinned
    st.text(device_text("cuda", {"loss_d": 1.3}))


@pytest.mark.parametrize(("lang", "expected"), [("en", ["cpu, 2 thread(s)", "cpu", "cuda"]),
                                                ("zh", ["cpu，2 个线程", "cpu", "cuda"])])
def test_the_live_progress_names_the_threads_a_cpu_run_trains_on(lang: str, expected: list[str]) -> None:
    at = AppTest.from_function(_device_lines)
    at.session_state[LANG_STATE_KEY] = lang
    at.run()
    no_exception(at)
    assert [line.value for line in at.text] == expected


def test_a_run_beyond_the_slots_waits_its_turn_and_all_can_be_cancelled(trained_runs_dir: Path) -> None:
    longer = {**TINY, "train_iterations": "3000"}
    slots = engine.runner_for(str(trained_runs_dir)).max_workers     # toy runs take one CPU slot each
    sessions = []
    for seed in range(11, 12 + slots):
        at = page({**longer, "train_seed": str(seed)})
        at.button(key="train_launch").click().run()
        no_exception(at)
        sessions.append(at)
    assert [at.session_state["train_outcome"] for at in sessions] == ["started"] * slots + ["queued"]
    assert strings.EN["training.queued"].format(position=1) in [i.value for i in sessions[-1].info]
    for at in reversed(sessions):
        at.button(key="train_cancel").click().run()
        wait_until_finished(at)
        assert strings.EN["training.outcome.cancelled"] in [i.value for i in at.info]
        assert RunStore(trained_runs_dir).summary(at.session_state["train_active_key"]).status == "cancelled"


def test_diverged_failed_and_image_runs_show_their_status_and_charts(trained_runs_dir: Path) -> None:
    store = RunStore(trained_runs_dir)
    diverged = PRESETS["gauss1d"].replace(seed=101, iterations=100, lr_d=0.1, lr_g=0.1)
    record = RunRecord(key=diverged.key(), config=diverged, status="diverged", device="cpu", total=100,
                       message="the losses became NaN at iteration 40.", started=1.0, finished=2.0)
    for iteration in range(10, 50, 10):
        record.add_log(iteration, 100, {"loss_d": 1.3, "loss_g": 0.7, "d_real": 0.6, "d_fake": 0.4,
                                        "seconds": iteration / 100})
    record.add_metrics(40, {"jsd": 0.3})
    record.add_snapshot(40, snapshot_1d())
    write_run_file(store.run_path(record.key), record)
    failed = PRESETS["mnist-gan"].replace(seed=102)
    write_run_file(store.run_path(failed.key()),
                   RunRecord(key=failed.key(), config=failed, status="failed", total=failed.iterations,
                             message="No MNIST files were found in /data; put them there."))

    images = PRESETS["mnist-cgan"].replace(seed=103, iterations=20)
    done = RunRecord(key=images.key(), config=images, status="done", device="cpu", total=20, started=1.0,
                     finished=3.0)
    done.add_log(20, 20, {"loss_d": 1.2, "loss_g": 0.9, "d_real": 0.6, "d_fake": 0.4, "seconds": 2.0})
    grid = np.random.default_rng(0).integers(0, 256, size=(20, 28, 28), dtype=np.uint8)
    done.add_snapshot(20, {"images": grid, "labels": np.arange(20) % 10})
    write_run_file(store.run_path(done.key), done)

    at = page()
    at.segmented_control(key="train_view").set_value("library").run()
    for key, notice in ((record.key, "warning"), (failed.key(), "error"), (done.key, "images")):
        at.text_input(key="train_library_filter").input(key).run()
        at.button(key="train_library_open").click().run()
        no_exception(at)
        assert at.session_state["train_active_key"] == key
        texts = [element.value for element in getattr(at, notice, [])]
        if notice == "images":
            assert len(charts(at)) == 3                # losses, D outputs, the fixed-noise image grid
            assert not at.dataframe                    # no published anchors for MNIST
        elif notice == "warning":
            assert any(t.startswith("Diverged: the losses became NaN at iteration 40.") for t in texts), texts
            assert len(charts(at)) == 4                # losses, D outputs, Figure 1, JSD up to divergence
        else:
            assert "The run failed: No MNIST files were found in /data; put them there." in texts
            assert strings.EN["training.no_data_yet"] in [i.value for i in at.info] and not charts(at)
        assert at.selectbox(key="train_preset").value == store.summary(key).config.preset
        at.segmented_control(key="train_view").set_value("library").run()


def test_sweep_compare_and_library_work_on_cached_runs(trained_runs_dir: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAN_EXPLORER_LOCAL", "1")          # the laptop's owner may delete (tests/test_teacher.py: roles)
    runs_dir = trained_runs_dir
    at = page(TINY)
    at.button(key="train_launch").click().run()       # cached when the test above ran first
    first = at.session_state["train_active_key"]
    wait_until_finished(at)

    # Sweep over k in {1, 2} at lr 1e-3: the k = 1 cell is that run, k = 2 is launched here.
    at.segmented_control(key="train_view").set_value("sweep").run()
    at.multiselect(key="train_sweep_k").set_value([1, 2])
    at.multiselect(key="train_sweep_lr").set_value([1e-3]).run()
    no_exception(at)
    assert len(charts(at)) == 1
    cells = at.selectbox(key="train_sweep_cell")
    assert cells.value == first and len(cells.options) == 1 and cells.options[0].startswith("k = 1 · lr 1e-3: ")
    assert at.button(key="train_sweep_launch").label == strings.EN["training.sweep_launch"].format(count=1)
    at.button(key="train_sweep_launch").click().run()
    deadline = time.monotonic() + WAIT_SECONDS
    while "train_sweep_launch" in keys(at) or len(at.selectbox(key="train_sweep_cell").options) < 2:
        assert time.monotonic() < deadline, "the missing sweep cell did not train"
        no_exception(at)
        time.sleep(1.0)
        at.run()
    runs = RunStore(runs_dir).list_runs()
    second = runs[(runs["k"] == 2) & (runs["iterations"] == 30)]["key"].item()
    # The fallback to clicking a cell: pick one and open it on the Train view.
    at.selectbox(key="train_sweep_cell").set_value(second)
    at.button(key="train_sweep_open").click().run()
    no_exception(at)
    assert at.segmented_control(key="train_view").value == "train"
    assert at.session_state["train_active_key"] == second
    assert at.slider(key="train_k").value == 2                    # the settings follow the run
    assert len(charts(at)) >= 3

    at.segmented_control(key="train_view").set_value("compare").run()
    at.multiselect(key="train_compare_runs").set_value([first, second]).run()
    no_exception(at)
    assert len(charts(at)) == 1

    at.segmented_control(key="train_view").set_value("library").run()
    labels = at.selectbox(key="train_library_run").options          # "gauss1d · k=1 · ... · <key[:6]>"
    assert {first[:6], second[:6]} <= {label[-6:] for label in labels}
    assert len(labels) == len(list(runs_dir.glob("*.h5")))
    at.text_input(key="train_library_filter").input(first[:8]).run()
    assert len(at.selectbox(key="train_library_run").options) == 1
    assert at.selectbox(key="train_library_run").value == first
    assert at.get("download_button")
    at.button(key="train_library_delete").click().run()
    assert RunStore(runs_dir).summary(first) is not None             # it asks first, and says what will go
    assert "This cannot be undone" in at.warning[0].value and first[:6] in at.warning[0].value
    at.button(key="train_library_delete_yes").click().run()
    no_exception(at)
    assert RunStore(runs_dir).summary(first) is None
    left = len(list(runs_dir.glob("*.h5")))                          # the filter now matches none of them
    expected = strings.EN["training.library_no_match"].format(count=left, query=first[:8])
    assert expected in [i.value for i in at.info]
    at.text_input(key="train_library_filter").input("").run()
    assert len(at.selectbox(key="train_library_run").options) == left


# ---- strings ----------------------------------------------------------------------------

def test_english_and_chinese_tables_have_the_same_keys_and_real_chinese() -> None:
    assert strings.EN.keys() == strings.ZH.keys()
    han = re.compile(r"[\u4e00-\u9fff]")
    translated = [k for k, v in strings.ZH.items() if han.search(v)]
    assert len(translated) > 0.7 * len(strings.ZH)
    for key, text in strings.EN.items():
        assert set(re.findall(r"{(\w+)}", text)) == set(re.findall(r"{(\w+)}", strings.ZH[key])), key


def test_every_string_the_page_asks_for_exists() -> None:
    root = Path(__file__).resolve().parents[1]
    literal: set[str] = set()
    for path in (root / PAGE, *sorted((root / "ui" / "training").glob("*.py"))):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "t" and node.args \
                    and isinstance(node.args[0], ast.Constant):
                literal.add(node.args[0].value)
    dynamic = {f"training.section.{s}" for s in ("train", "compare", "sweep", "library")}
    dynamic |= {f"training.status.{s}" for s in ("queued", "running", "done", "failed", "diverged",
                                                  "cancelled", "interrupted")}
    dynamic |= {f"training.outcome.{s}" for s in ("diverged", "failed", "cancelled", "interrupted")}
    dynamic |= {f"training.stopped.{s}" for s in ("diverged", "failed", "cancelled", "interrupted")}
    dynamic |= {f"training.import.{outcome}" for outcome in ("imported", "cached")}
    dynamic |= {f"training.url.{s}" for s in ("clamped", "rounded", "ignored")}
    dynamic |= {f"training.plot.{name}" for name in plots.DEFAULT_LABELS}
    dynamic |= {f"training.preset.{name}" for name in ISSUE_PRESETS}
    missing = sorted(k for k in literal | dynamic if k not in strings.EN)
    assert not missing
    assert len(literal) > 40


def test_the_page_speaks_chinese_when_the_session_chose_it(runs_dir: Path) -> None:
    at = page({LANG_QUERY_PARAM: "zh"})
    no_exception(at)
    assert at.title[0].value == strings.ZH["training.title"]
    assert at.slider(key="train_k").label == strings.ZH["training.k"]
    assert at.button(key="train_launch").label == strings.ZH["training.train"]


def test_a_link_to_the_faces_preset_without_a_faces_file_says_why(runs_dir: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAN_EXPLORER_DATA", str(tmp_path))            # a data directory with no faces file
    at = page({"train_preset": "faces"})
    no_exception(at)
    assert "faces" not in at.selectbox(key="train_preset").options
    assert link_notes(at) == [strings.EN["training.url.preset_faces"].format(default="gauss1d")]
