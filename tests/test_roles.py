"""The role rules of a shared demo (ui/roles.py): who may delete, who may cancel, what a
cancel does when others watch, and how wrong passphrases are slowed down."""

from __future__ import annotations

import pytest

from ui import roles
from ui.roles import DETACH, REFUSE, STOP, TEACHER, VISITOR, Attachments, Throttle


class Clock:
    """A clock the test moves by hand (the rules read time through it)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_laptop_owner_is_the_teacher_and_a_hosted_visitor_is_not() -> None:
    assert roles.default_role(local=True, passphrase_set=False) == TEACHER
    assert roles.default_role(local=True, passphrase_set=True) == VISITOR
    assert roles.default_role(local=False, passphrase_set=False) == VISITOR
    assert roles.default_role(local=False, passphrase_set=True) == VISITOR
    assert roles.may_delete(TEACHER) and not roles.may_delete(VISITOR)
    assert roles.may_see_queue(TEACHER) and not roles.may_see_queue(VISITOR)


def test_passphrases_compare_whole_and_an_unset_one_never_matches() -> None:
    assert roles.passphrase_matches("correct horse", "correct horse")
    assert not roles.passphrase_matches("correct hors", "correct horse")
    assert not roles.passphrase_matches("correct horse ", "correct horse")
    assert not roles.passphrase_matches("", "")
    assert roles.passphrase_matches("密码", "密码")


def test_the_launcher_stops_a_run_nobody_else_watches_and_only_detaches_from_a_watched_one() -> None:
    clock = Clock()
    runs = Attachments(clock=clock)
    runs.launched("k1", "alice")
    assert runs.cancel_action(VISITOR, "k1", "alice") == STOP
    runs.watching("k1", "bob")                      # bob launched the same configuration: attached
    assert runs.cancel_action(VISITOR, "k1", "alice") == DETACH
    assert runs.cancel_action(VISITOR, "k1", "bob") == DETACH      # not his: he only leaves it
    assert runs.cancel_action(VISITOR, "k1", "carol") == REFUSE    # neither hers nor watched by her
    assert runs.cancel_action(TEACHER, "k1", "carol") == STOP
    runs.detach("k1", "bob")
    assert runs.cancel_action(VISITOR, "k1", "alice") == STOP


def test_a_watcher_who_left_no_longer_protects_the_run() -> None:
    clock, alive = Clock(), {"alice", "bob"}
    runs = Attachments(is_alive=lambda session: session in alive, clock=clock)
    runs.launched("k1", "alice")
    runs.watching("k1", "bob")
    assert runs.others("k1", "alice") == 1
    clock.now += roles.WATCH_SECONDS + 1            # bob's page stopped polling
    assert runs.others("k1", "alice") == 0
    runs.watching("k1", "bob")
    alive.discard("bob")                            # bob's browser session ended
    assert runs.cancel_action(VISITOR, "k1", "alice") == STOP


def test_the_first_launcher_stays_the_launcher() -> None:
    runs = Attachments()
    runs.launched("k1", "alice")
    runs.launched("k1", "bob")                      # a second press of Train on the same run
    assert runs.launcher("k1") == "alice"
    runs.forget("k1")
    assert runs.launcher("k1") is None and runs.others("k1", "alice") == 0


def test_wrong_passphrases_are_slowed_per_session_and_per_client() -> None:
    clock = Clock()
    throttle = Throttle(clock=clock)
    assert throttle.wait_seconds("s1", "10.0.0.1") == 0
    assert throttle.failed("s1", "10.0.0.1") == roles.FIRST_DELAY_SECONDS
    assert throttle.wait_seconds("s1", "10.0.0.1") == pytest.approx(roles.FIRST_DELAY_SECONDS)
    # a new session from the same client is slowed too (reloading the page does not help)
    assert throttle.wait_seconds("s2", "10.0.0.1") > 0
    # and the same session from another address too
    assert throttle.wait_seconds("s1", "10.0.0.2") > 0
    assert throttle.wait_seconds("s3", "10.0.0.3") == 0
    delays = []
    for _ in range(8):
        clock.now += 1000
        delays.append(throttle.failed("s1", "10.0.0.1"))
    assert delays[:3] == [2.0, 4.0, 8.0] and delays[-1] == roles.MAX_DELAY_SECONDS
    throttle.succeeded("s1", "10.0.0.1")
    assert throttle.wait_seconds("s1", "10.0.0.1") == 0
    assert roles.ceil_seconds(0.2) == 1 and roles.ceil_seconds(0) == 0
