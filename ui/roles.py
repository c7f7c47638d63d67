"""Who may do what on a shared demo: visitors and the teacher (no Streamlit here: the page
code in ui/teacher.py puts a session's identity into these rules).

On a hosted server (the default) every visitor may launch, watch, compare, sweep within the
caps and download. Destroying or stopping what others rely on needs the teacher:

- deleting a run, clearing old runs, seeing the queue: the teacher only;
- cancelling a run: the teacher always; a visitor only a run they launched, and then only
  when nobody else is watching it; otherwise their "cancel" just detaches them.

With `GAN_EXPLORER_LOCAL=1` and no passphrase set, one user owns everything (a laptop).
The command line belongs to the machine's owner and is not restricted at all.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

VISITOR, TEACHER = "visitor", "teacher"
WATCH_SECONDS = 20.0          # a watcher whose page has not polled for this long has left
FIRST_DELAY_SECONDS = 1.0     # after the first wrong passphrase; doubles with each further one
MAX_DELAY_SECONDS = 60.0

STOP, DETACH, REFUSE = "stop", "detach", "refuse"


def default_role(local: bool, passphrase_set: bool) -> str:
    """A session's role before any unlock: the owner of a laptop is the teacher."""
    return TEACHER if local and not passphrase_set else VISITOR


def may_delete(role: str) -> bool:
    """Deleting runs (one, or every run older than a date) needs the teacher."""
    return role == TEACHER


def may_see_queue(role: str) -> bool:
    """The queue of every visitor's runs is the teacher's view."""
    return role == TEACHER


def passphrase_matches(given: str, expected: str) -> bool:
    """Constant-time comparison (of digests, so the length is not revealed either)."""
    if not expected:
        return False
    digest = lambda text: hashlib.sha256(text.encode("utf-8")).digest()   # noqa: E731
    return hmac.compare_digest(digest(given), digest(expected))


@dataclass
class _Watch:
    launcher: str | None = None
    seen: dict[str, float] = field(default_factory=dict)    # session id -> last poll (monotonic)


class Attachments:
    """Which browser sessions launched and watch which runs, server-wide and thread-safe.

    A run remembers its launcher for as long as the server holds this registry (a browser
    session's id is not reused). A watcher counts while its session is alive (`is_alive`,
    given by the page code) and has polled within WATCH_SECONDS.
    """

    def __init__(self, is_alive: Callable[[str], bool] = lambda session: True,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._runs: dict[str, _Watch] = {}
        self._lock = threading.Lock()
        self._is_alive, self._clock = is_alive, clock

    def launched(self, key: str, session: str) -> None:
        """`session` pressed Train and started (or queued) run `key`."""
        with self._lock:
            watch = self._runs.setdefault(key, _Watch())
            watch.launcher = watch.launcher or session
            watch.seen[session] = self._clock()

    def watching(self, key: str, session: str) -> None:
        """`session` shows run `key` (called each time its page polls)."""
        with self._lock:
            self._runs.setdefault(key, _Watch()).seen[session] = self._clock()

    def detach(self, key: str, session: str) -> None:
        """`session` no longer watches `key` (it keeps being its launcher)."""
        with self._lock:
            if key in self._runs:
                self._runs[key].seen.pop(session, None)

    def forget(self, key: str) -> None:
        """The run ended or was deleted: nobody launched or watches it any more."""
        with self._lock:
            self._runs.pop(key, None)

    def launcher(self, key: str) -> str | None:
        with self._lock:
            watch = self._runs.get(key)
            return watch.launcher if watch else None

    def others(self, key: str, session: str) -> int:
        """How many other live sessions watch `key`."""
        now = self._clock()
        with self._lock:
            watch = self._runs.get(key)
            if watch is None:
                return 0
            for other, seen in list(watch.seen.items()):
                if now - seen > WATCH_SECONDS or not self._is_alive(other):
                    del watch.seen[other]
            return sum(1 for other in watch.seen if other != session)

    def cancel_action(self, role: str, key: str, session: str) -> str:
        """What a press of Cancel on run `key` does for `session`: STOP the run, DETACH the
        visitor from it (others rely on it, or it is not theirs), or REFUSE (not theirs
        and not watched by them, e.g. a hand-made request)."""
        if role == TEACHER:
            return STOP
        others = self.others(key, session)
        if self.launcher(key) == session:
            return STOP if others == 0 else DETACH
        with self._lock:
            watch = self._runs.get(key)
            return DETACH if watch and session in watch.seen else REFUSE


class Throttle:
    """Slows down wrong passphrases, per browser session and per client address at once.

    After n wrong attempts from a session (or a client) the next one is accepted only
    FIRST_DELAY_SECONDS · 2^(n−1) seconds later (at most MAX_DELAY_SECONDS). A right one
    clears the session's count and its client's.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 first_delay: float = FIRST_DELAY_SECONDS) -> None:
        self._first_delay = first_delay
        self._failures: dict[str, int] = {}
        self._until: dict[str, float] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def wait_seconds(self, *who: str) -> float:
        """Seconds before `who` (session id, client address) may try again; 0 when they may."""
        now = self._clock()
        with self._lock:
            return max([0.0] + [self._until.get(name, 0.0) - now for name in who if name])

    def failed(self, *who: str) -> float:
        """Count a wrong attempt by each of `who`; the delay now imposed, in seconds."""
        now, delay = self._clock(), 0.0
        with self._lock:
            for name in filter(None, who):
                self._failures[name] = self._failures.get(name, 0) + 1
                wait = min(max(MAX_DELAY_SECONDS, self._first_delay), self._first_delay * 2 ** (self._failures[name] - 1))
                self._until[name] = now + wait
                delay = max(delay, wait)
        return delay

    def succeeded(self, *who: str) -> None:
        with self._lock:
            for name in who:
                self._failures.pop(name, None)
                self._until.pop(name, None)


def ceil_seconds(seconds: float) -> int:
    """A wait shown to a person, in whole seconds (at least 1 while there is any)."""
    return max(1, math.ceil(seconds)) if seconds > 0 else 0
