"""Resource caps that keep one visitor of a shared demo from starving the others.

A hosted demo (Streamlit Community Cloud: ~2 CPU cores, ~2.7 GB of memory) serves a whole
class at once, so by default a run's size, the number of concurrent workers, the length of
the waiting queue and the size of the run cache are all capped. `GAN_EXPLORER_LOCAL=1`
declares a machine with no visitors (a student's laptop) and lifts the caps that exist
only for fairness: run size, batch size, queue length and cache size. Each cap can also
be set on its own:

| variable                        | meaning                                        | hosted    | local     |
| ------------------------------- | ---------------------------------------------- | --------- | --------- |
| `GAN_EXPLORER_MAX_RUN_EXAMPLES` | iterations x batch_size x (k + 1) per run      | 29,000,000 | no limit |
| `GAN_EXPLORER_MAX_BATCH`        | batch_size per run (bounds a worker's memory)  | 1024      | no limit  |
| `GAN_EXPLORER_MAX_WORKERS`      | CPU slots for training (see below)             | CPUs      | CPUs      |
| `GAN_EXPLORER_MAX_QUEUE`        | runs waiting for a worker slot                 | 12 (Ray: 100) | no limit |
| `GAN_EXPLORER_CACHE_MB`         | run cache size before least-recently-used runs are evicted | 1024 | no limit |

Worker slots are CPU-aware: the machine has `available_cpus()` of them and a run takes as
many as it uses threads (`run_cpus`): a toy run trains on one thread and takes one slot, so
two toy runs train side by side on two cores; an image run takes its threads' worth.
`benchmarks/side_by_side.py` measures one after the other against side by side (README,
"Worker slots"). With the Ray backend, queued runs cost no process on the dashboard's
machine, so its waiting line is longer by default.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

from gan_engine.config import RunConfig
from gan_engine.data.paths import local_paths_allowed
from gan_engine.errors import ConfigError

MAX_RUN_EXAMPLES_ENV = "GAN_EXPLORER_MAX_RUN_EXAMPLES"
MAX_BATCH_ENV = "GAN_EXPLORER_MAX_BATCH"
MAX_WORKERS_ENV = "GAN_EXPLORER_MAX_WORKERS"
MAX_QUEUE_ENV = "GAN_EXPLORER_MAX_QUEUE"
CACHE_MB_ENV = "GAN_EXPLORER_CACHE_MB"

# The two refusals a visitor meets most; the pages show them translated (ui/strings/common.py).
BATCH_TOO_LARGE = ("batch_size {batch} is above this server's limit of {limit}; choose a smaller batch "
                   "(locally, set {env} or GAN_EXPLORER_LOCAL=1).")
RUN_TOO_LARGE = ("This run is too large for this server: iterations x batch_size x (k + 1) = {examples} examples, "
                 "above the limit of {limit}. Lower the iterations, batch size or k (locally, set {env} or "
                 "GAN_EXPLORER_LOCAL=1).")
HOSTED_MAX_RUN_EXAMPLES = 29_000_000   # every preset fits (mnist-cgan-mlp, the largest, is ~28.7 M): ~5 min of CPU
HOSTED_MAX_BATCH = 1024
HOSTED_MAX_QUEUE = 12
HOSTED_MAX_QUEUE_RAY = 100
# Threads of an image run (MLP or DCGAN on MNIST or faces): more than 4 gain little for
# these model sizes, and the slots a run takes are its threads.
IMAGE_RUN_THREADS = 4
THREADS_ENV = "GAN_EXPLORER_THREADS"
HOSTED_CACHE_MB = 1024
# No-limit stand-ins: large enough never to bind, still plain integers.
UNLIMITED_QUEUE = 100_000


@dataclass(frozen=True)
class Limits:
    """The caps in force. `None` means no limit."""

    max_run_examples: int | None
    max_batch_size: int | None
    max_workers: int
    max_queue: int
    cache_bytes: int | None

    @classmethod
    def from_env(cls, local: bool | None = None, backend: str = "local") -> "Limits":
        """The caps from the environment; `local` overrides `GAN_EXPLORER_LOCAL`; `backend`
        ("local" or "ray") picks the default length of the waiting line."""
        local = local_paths_allowed() if local is None else local
        hosted_queue = HOSTED_MAX_QUEUE_RAY if backend == "ray" else HOSTED_MAX_QUEUE
        cache_mb = _env_int(CACHE_MB_ENV, None if local else HOSTED_CACHE_MB, low=1)
        return cls(
            max_run_examples=_env_int(MAX_RUN_EXAMPLES_ENV, None if local else HOSTED_MAX_RUN_EXAMPLES, low=1),
            max_batch_size=_env_int(MAX_BATCH_ENV, None if local else HOSTED_MAX_BATCH, low=1),
            max_workers=_env_int(MAX_WORKERS_ENV, available_cpus(), low=1, high=64),
            max_queue=_env_int(MAX_QUEUE_ENV, UNLIMITED_QUEUE if local else hosted_queue, low=0),
            cache_bytes=None if cache_mb is None else cache_mb * 1024 * 1024,
        )

    def check_run(self, config: RunConfig) -> None:
        """Raise ConfigError when `config` is larger than one run may be here."""
        if self.max_batch_size is not None and config.batch_size > self.max_batch_size:
            values = {"batch": config.batch_size, "limit": self.max_batch_size, "env": MAX_BATCH_ENV}
            raise ConfigError(BATCH_TOO_LARGE.format(**values), message_id="batch_too_large", **values)
        examples = run_examples(config)
        if self.max_run_examples is not None and examples > self.max_run_examples:
            values = {"examples": f"{examples:,}", "limit": f"{self.max_run_examples:,}", "env": MAX_RUN_EXAMPLES_ENV}
            raise ConfigError(RUN_TOO_LARGE.format(**values), message_id="run_too_large", **values)


def available_cpus() -> int:
    """CPUs this process may really use: its affinity mask, capped by a cgroup CPU quota.

    `os.cpu_count()` reports the host's cores inside containers, which is how torch ends up
    running 64 threads on a 2-core slice.
    """
    try:
        count = len(os.sched_getaffinity(0))
    except AttributeError:   # macOS and Windows have no affinity call
        count = os.cpu_count() or 1
    try:
        quota, period = open("/sys/fs/cgroup/cpu.max").read().split()[:2]
        if quota != "max":
            count = min(count, max(1, math.ceil(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return max(1, count)


def image_run_threads(cpus: int) -> int:
    """Threads of an image run on a machine (or Ray node) with `cpus` CPUs: half of them, so
    two runs train side by side, and at most IMAGE_RUN_THREADS.

    Measured (`benchmarks/side_by_side.py`, 2 cores shared with other work): two MNIST runs
    side by side on one thread each ended in 0.20x the time of one after the other on two
    threads each, which spent 5.5 times the CPU per run (threads spinning while they wait
    for each other on a busy machine); two side by side on two threads each took 1.47x.
    """
    return max(1, min(IMAGE_RUN_THREADS, cpus // 2))


def lone_run_threads(cpus: int) -> int:
    """Threads of an image run alone on a machine with `cpus` CPUs and as many worker slots:
    its own slots plus the idle ones it borrows (`borrowed_threads`)."""
    own = image_run_threads(cpus)
    return borrowed_threads(own, cpus, own, cpus)


def borrowed_threads(own: int, capacity: int, busy: int, cpus: int) -> int:
    """Threads an image run holding `own` of `capacity` worker slots trains on while `busy`
    slots (its own included) are held, on a machine with `cpus` CPUs: its own, plus its share
    of the idle ones, split among the runs in proportion to the slots they hold, at most
    IMAGE_RUN_THREADS (never fewer than `own`). Idle means within both budgets: slots beyond
    the CPUs (`GAN_EXPLORER_MAX_WORKERS` above them) lend no core that is not there, and CPUs
    beyond the slots (a server held to fewer workers) are not taken. Borrowing takes no slot:
    a run launched next takes one at once, and the borrower gives the thread back at its next
    look (`runs.worker`, about once a second).

    Measured on a 2-core machine, an `mnist-cgan` run alone (seed 0, the 5,000-iteration recipe
    of the eighth session): 169 s on both cores against 214 s on one (1.26x), with the same
    scores, and identical weights after 100 iterations on one thread or two (the CPU kernels'
    results here do not depend on the thread count), so borrowing changes speed, not results.
    """
    idle = max(min(capacity, cpus) - busy, 0)
    share = idle * own // max(busy, own)
    return max(own, min(own + share, IMAGE_RUN_THREADS))


def run_cpus(config: RunConfig, capacity: int | None = None) -> int:
    """CPUs (worker slots) one run of `config` takes on this machine: its torch threads.

    `$GAN_EXPLORER_THREADS` when set; else 1 for the toy targets (their tiny matrices gain
    nothing from more threads) and `image_run_threads(available CPUs)` for images. Capped at
    `capacity` (the slots there are), so a run never waits for more than exist.
    """
    cpus = threads_setting()
    if cpus is None:
        cpus = 1 if config.is_toy else image_run_threads(available_cpus())
    return max(1, min(cpus, capacity)) if capacity is not None else cpus


def threads_setting() -> int | None:
    """`$GAN_EXPLORER_THREADS` as a number, None when unset; ConfigError when not one."""
    return _env_int(THREADS_ENV, None, low=1)


def run_examples(config: RunConfig) -> int:
    """Examples drawn by a run: each iteration takes k minibatches for D and one for G."""
    return config.iterations * config.batch_size * (config.k + 1)


def _env_int(name: str, default: int | None, low: int, high: int | None = None) -> int | None:
    """An integer setting from the environment; a bad value is a ConfigError naming it."""
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number; got {text!r}.") from None
    if value < low or (high is not None and value > high):
        bound = f"from {low} to {high}" if high is not None else f"at least {low}"
        raise ConfigError(f"{name} must be {bound}; got {value}.")
    return value
