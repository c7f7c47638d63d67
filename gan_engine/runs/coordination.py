"""How launchers, workers and readers coordinate through the runs directory, with no daemon.

Everything here is file locks (`fcntl.flock`) and small files, so it works the same for
threads of one Streamlit server, several servers sharing one runs directory, and the
command line. It imports only the standard library: a queued worker waits for its turn
with this module alone (~10 MB) and loads torch only when it starts training.

Layout under the runs directory:

    <key>.h5              the run itself (see store.py)
    .runner.lock          held around check-and-spawn, delete and eviction
    .locks/<key>.lock     held by the run's worker for its whole life
    .queue/<ns>-<key>     one entry per waiting run, named by its queued time (FIFO)
    .slots/<i>.lock       held by a training worker, one per CPU it trains on
    .cancel/<key>         present: the worker stops at its next poll
    .used/<key>           its mtime is when the run was last served (LRU eviction)
    .logs/<key>.log       the worker's stdout and stderr

Why a lock and not a pid or a heartbeat tells whether a worker lives: the kernel releases
a flock the instant its holder dies, however it dies (SIGKILL, out of memory), so there is
no pid-reuse mistake, no clock to trust and no periodic write. The launcher takes the lock
before the worker exists and hands the open descriptor to the child (`pass_fds`), so there
is no moment when a just-launched run looks dead.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

from gan_engine.data.paths import default_cache_dir
from gan_engine.errors import RunError

RUNS_ENV = "GAN_EXPLORER_RUNS"
KEY_PATTERN = re.compile(r"^[0-9a-f]{16}$")
_QUEUE_ENTRY = re.compile(r"^(\d{20})-([0-9a-f]{16})$")
# A used-time is refreshed at most this often, so polling a finished run every second
# does not turn into a write every second.
USED_REFRESH_SECONDS = 60.0


def default_runs_dir() -> Path:
    """`$GAN_EXPLORER_RUNS`, else the per-user cache folder (`~/.cache/gan-explorer/runs`...)."""
    configured = os.environ.get(RUNS_ENV)
    return Path(configured).expanduser() if configured else default_cache_dir() / "runs"


class RunDir:
    """Paths and locks of one runs directory."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    # ---- paths -----------------------------------------------------------------------

    def run_file(self, key: str) -> Path:
        return self.root / f"{key}.h5"

    def lock_file(self, key: str) -> Path:
        return self.root / ".locks" / f"{key}.lock"

    def cancel_file(self, key: str) -> Path:
        return self.root / ".cancel" / key

    def used_file(self, key: str) -> Path:
        return self.root / ".used" / key

    def log_file(self, key: str) -> Path:
        return self.root / ".logs" / f"{key}.log"

    def slot_file(self, index: int) -> Path:
        return self.root / ".slots" / f"{index}.lock"

    @property
    def queue_dir(self) -> Path:
        return self.root / ".queue"

    def make_dirs(self) -> None:
        """Create the directory and its bookkeeping folders (writers only)."""
        for sub in (".locks", ".queue", ".slots", ".cancel", ".used", ".logs"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)

    # ---- locks ---------------------------------------------------------------------

    @contextlib.contextmanager
    def runner_lock(self) -> Iterator[None]:
        """Exclusive lock around check-and-spawn, delete and evict (blocks until free).

        Creates the bookkeeping folders first, so a directory of copied-in run files works.
        """
        try:
            self.make_dirs()
            fd = os.open(self.root / ".runner.lock", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise RunError(f"The runs directory {self.root} is not writable ({error.strerror}): finished "
                           f"runs can be read, but nothing can be trained or deleted there; set "
                           f"GAN_EXPLORER_RUNS to a writable folder.") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def take_key_lock(self, key: str) -> int | None:
        """The open, exclusively locked descriptor of `key`'s lock, or None if a worker holds it."""
        deadline = time.monotonic() + 2.0
        while True:
            fd = _try_lock(self.lock_file(key), fcntl.LOCK_EX, create=True)
            # A reader's momentary shared-lock probe also makes the attempt fail; only an
            # exclusive holder (a launcher or worker) makes the probe fail too.
            if fd is not None or self.is_live(key) or time.monotonic() > deadline:
                return fd
            time.sleep(0.001)

    def is_live(self, key: str) -> bool:
        """Whether a launcher or worker holds `key`'s lock (the run is queued or training)."""
        return _is_held(self.lock_file(key))

    def take_slots(self, capacity: int, count: int = 1) -> list[int] | None:
        """Locked descriptors of `count` free slots among `capacity`, or None (nothing held)
        when fewer are free. A run takes one slot per CPU it trains on."""
        taken: list[int] = []
        for index in range(capacity):
            fd = _try_lock(self.slot_file(index), fcntl.LOCK_EX, create=True)
            if fd is not None:
                taken.append(fd)
                if len(taken) == count:
                    return taken
        for fd in taken:
            os.close(fd)
        return None

    def busy_slots(self, capacity: int) -> int:
        """How many of the first `capacity` slots are held by training workers."""
        return sum(_is_held(self.slot_file(index)) for index in range(capacity))

    # ---- queue ---------------------------------------------------------------------

    def enqueue(self, key: str, queued_ns: int) -> None:
        """Add `key` to the waiting line (replacing any older entry of the same key)."""
        self.dequeue(key)
        (self.queue_dir / f"{queued_ns:020d}-{key}").touch()

    def dequeue(self, key: str) -> None:
        """Remove `key` from the waiting line, if it is there."""
        for entry in _listdir(self.queue_dir):
            match = _QUEUE_ENTRY.match(entry)
            if match and match.group(2) == key:
                with contextlib.suppress(FileNotFoundError):
                    (self.queue_dir / entry).unlink()

    def waiting(self) -> list[str]:
        """Keys waiting for a slot, first in line first; entries of dead workers are skipped."""
        keys: list[str] = []
        for entry in sorted(_listdir(self.queue_dir)):
            match = _QUEUE_ENTRY.match(entry)
            if match and match.group(2) not in keys and self.is_live(match.group(2)):
                keys.append(match.group(2))
        return keys

    # ---- flags ---------------------------------------------------------------------

    def request_cancel(self, key: str) -> None:
        self.cancel_file(key).touch()

    def cancel_requested(self, key: str) -> bool:
        return self.cancel_file(key).exists()

    def clear_cancel(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.cancel_file(key).unlink()

    def mark_used(self, key: str) -> None:
        """Record that `key` was served now (best effort: a read-only directory skips it)."""
        path = self.used_file(key)
        try:
            if time.time() - path.stat().st_mtime < USED_REFRESH_SECONDS:
                return
        except OSError:
            pass
        with contextlib.suppress(OSError):
            path.touch()

    def last_used(self, key: str) -> float:
        """When `key` was last served (epoch seconds); 0 when never recorded."""
        try:
            return self.used_file(key).stat().st_mtime
        except OSError:
            return 0.0

    def remove_bookkeeping(self, key: str) -> None:
        """Forget `key`'s side files; call only while holding its lock and the runner lock."""
        for path in (self.lock_file(key), self.cancel_file(key), self.used_file(key), self.log_file(key)):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        self.dequeue(key)


def _listdir(path: Path) -> list[str]:
    try:
        return os.listdir(path)
    except FileNotFoundError:
        return []


def _try_lock(path: Path, mode: int, create: bool) -> int | None:
    """Open `path` and take `mode` without waiting: the descriptor, or None if held elsewhere."""
    fd = os.open(path, (os.O_RDWR | os.O_CREAT) if create else os.O_RDONLY, 0o644)
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
    except OSError as error:
        os.close(fd)
        if error.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return None
        raise
    return fd


def _is_held(path: Path) -> bool:
    """Whether someone holds an exclusive flock on `path` (read-only probe; no file: no)."""
    try:
        fd = _try_lock(path, fcntl.LOCK_SH, create=False)
    except FileNotFoundError:
        return False
    if fd is None:
        return True
    os.close(fd)
    return False
