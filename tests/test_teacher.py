"""A shared demo with a teacher, through the pages (AppTest, real worker processes):
visitors cannot delete or stop what others rely on; the passphrase unlocks; wrong ones are
refused and slowed; nothing of the passphrase reaches the page or the session."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from apphelpers import app_session
from devtools.runs import eventually, kill_workers
from gan_engine.runs.store import RunStore
from ui import roles, teacher
from ui.strings import common, training as training_strings

PASSPHRASE = "correct horse battery staple"
LONG = {"train_iterations": "200000", "train_batch": "32"}     # trains far longer than any test step


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A hosted demo (not GAN_EXPLORER_LOCAL) with a teacher's passphrase and its own runs."""
    monkeypatch.delenv("GAN_EXPLORER_LOCAL", raising=False)
    monkeypatch.setenv("GAN_EXPLORER_TEACHER_PASSWORD", PASSPHRASE)
    monkeypatch.setenv("GAN_EXPLORER_RUNS", str(tmp_path / "runs"))
    teacher.throttle.clear()
    teacher.attachments.clear()
    yield tmp_path / "runs"
    kill_workers(tmp_path / "runs")


def visitor(page: str = "pages/2_Training.py", query: dict[str, str] | None = None) -> AppTest:
    at = app_session(page, query).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def library(at: AppTest) -> AppTest:
    at.segmented_control(key="train_view").set_value("library").run()
    return at


def unlock(at: AppTest, given: str) -> AppTest:
    at.text_input(key="teacher_passphrase").input(given)
    return at.button[[b.label for b in at.button].index(common.EN["teacher.unlock"])].click().run()


def keys(at: AppTest) -> set[str]:
    return {b.key for b in at.button}


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "error", "warning", "info", "success")
             for e in at.get(kind)]
    return "\n".join(str(p) for p in parts)


def launch(at: AppTest, seed: str) -> AppTest:
    for name, value in {**LONG, "train_seed": seed}.items():
        at.query_params[name] = value
    return at.run().button(key="train_launch").click().run()


def test_a_visitor_cannot_delete_and_sees_why(demo: Path) -> None:
    at = visitor(query={"train_iterations": "20", "train_batch": "32"})
    at.button(key="train_launch").click().run()
    assert eventually(lambda: RunStore(demo).summary(at.session_state["train_active_key"]).status == "done", 60)
    library(at.run())
    assert "train_library_delete" not in keys(at)
    assert training_strings.EN["training.delete_teacher_only"] in texts(at)
    assert "teacher_clear" not in keys(at) and at.get("download_button")


class Clock:
    """The throttle's clock, moved by the test (so no step of the test races real time)."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_passphrase_unlocks_a_wrong_one_is_refused_and_slowed_and_nothing_leaks(
        demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    throttle = roles.Throttle(clock=clock)
    monkeypatch.setattr(teacher, "throttle", lambda: throttle)
    at = visitor()
    unlock(at, "guess")
    assert common.EN["teacher.wrong"].format(seconds=1) in texts(at)
    unlock(at, PASSPHRASE)                                   # at once: refused without being compared
    assert common.EN["teacher.wait"].format(seconds=1) in texts(at)
    assert "teacher_lock" not in keys(at)
    other = visitor()                                        # a new session from the same client waits too
    unlock(other, PASSPHRASE)
    assert common.EN["teacher.wait"].format(seconds=1) in texts(other)
    clock.now += 1.5                                         # the one-second delay has passed
    unlock(at, PASSPHRASE)
    assert common.EN["teacher.unlocked"] in texts(at) and "teacher_lock" in keys(at)
    assert at.text_input(key="teacher_passphrase").value == "" if "teacher_passphrase" in {
        w.key for w in at.text_input} else True
    for value in at.session_state.to_dict().values():
        assert PASSPHRASE not in str(value)
    assert PASSPHRASE not in texts(at) and all(PASSPHRASE not in str(v) for v in at.query_params.values())
    assert "teacher_lock" not in keys(other.run())          # the unlock belongs to one session
    at.button(key="teacher_lock").click().run()
    assert "teacher_lock" not in keys(at)


def test_the_unlocked_teacher_deletes_after_confirming_and_clears_old_runs(demo: Path) -> None:
    at = visitor(query={"train_iterations": "20", "train_batch": "32"})
    at.button(key="train_launch").click().run()
    key = at.session_state["train_active_key"]
    assert eventually(lambda: RunStore(demo).summary(key).status == "done", 60)
    unlock(at, PASSPHRASE)
    library(at)
    at.button(key="train_library_delete").click().run()
    assert RunStore(demo).summary(key) is not None
    at.button(key="train_library_delete_no").click().run()
    assert RunStore(demo).summary(key) is not None and not at.warning
    at.button(key="train_library_delete").click().run()
    at.button(key="train_library_delete_yes").click().run()
    assert RunStore(demo).summary(key) is None
    # "Clear runs older than...": says what will go, and only goes on confirmation
    at.query_params["train_seed"] = "5"
    at.run().segmented_control(key="train_view").set_value("train").run()
    at.button(key="train_launch").click().run()
    second = at.session_state["train_active_key"]
    assert eventually(lambda: RunStore(demo).summary(second).status == "done", 60)
    at.number_input(key="teacher_clear_days").set_value(0).run()
    at.button(key="teacher_clear").click().run()
    assert common.EN["teacher.clear_confirm"].split("{")[0] in texts(at)
    assert RunStore(demo).summary(second) is not None
    at.button(key="teacher_clear_yes").click().run()
    assert RunStore(demo).summary(second) is None


def test_a_cancel_only_detaches_when_others_watch_and_the_teacher_can_stop_any_run(demo: Path) -> None:
    alice = launch(visitor(), "71")
    key = alice.session_state["train_active_key"]
    assert alice.session_state["train_outcome"] in ("started", "queued") and "train_cancel" in keys(alice)
    bob = launch(visitor(), "71")                            # the same configuration: bob is attached
    assert bob.session_state["train_outcome"] == "attached" and bob.session_state["train_active_key"] == key
    assert "train_cancel" not in keys(bob) and "train_detach" in keys(bob)
    assert training_strings.EN["training.not_yours"] in texts(bob)
    alice.run()                                              # bob watches now: alice's cancel only detaches
    assert "train_cancel" not in keys(alice) and training_strings.EN["training.others_watch"] in texts(alice)
    alice.button(key="train_detach").click().run()
    assert training_strings.EN["training.detached"] in texts(alice)
    assert RunStore(demo).summary(key).status in ("queued", "running")
    carol = visitor()                                        # the teacher
    unlock(carol, PASSPHRASE)
    carol.query_params.update({**LONG, "train_seed": "71"})
    carol.run().button(key="train_launch").click().run()
    assert "train_cancel" in keys(carol)
    carol.button(key="train_cancel").click().run()
    assert eventually(lambda: RunStore(demo).summary(key).status == "cancelled", 60)
