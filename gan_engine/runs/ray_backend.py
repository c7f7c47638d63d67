"""The Ray backend, dashboard side: connect to a running cluster and talk to the run store.

`GAN_EXPLORER_BACKEND=ray` (or `--backend ray`) makes `Runner` hand runs to a Ray cluster:
`$GAN_EXPLORER_RAY_ADDRESS`, else "auto" (the cluster started on this machine with
`ray start --head`). The cluster must already run: nothing here ever starts one, and with
none reachable a launch fails with a RunError that shows the `ray start` commands.

Ray is imported on first use only, so the local default needs no Ray installed, and one
connection serves every Runner, thread and Streamlit rerun of the process (`ray.init` runs
once, under a lock). Ray's own output stays out of the server's and the command line's:
`log_to_driver=False`, Ray's logger at ERROR, and the cluster's event messages (a raylet
that died, a task that cannot be scheduled) go to the `gan_engine.ray` logger at INFO
rather than to stdout.

The runs directory stays on this machine: a named actor (`ray_store.RunStoreActor`)
pinned here by the head's `gan_explorer_store` resource writes it, and pages keep reading
run files as with the local backend. Launch and cancel are actor calls; progress and the
waiting line are read from the runs directory.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import threading
from typing import TYPE_CHECKING, Any

from gan_engine import __version__
from gan_engine.config import ENGINE_FORMAT_VERSION, RunConfig
from gan_engine.data.check import data_files
from gan_engine import errors
from gan_engine.errors import RunError
from gan_engine.limits import threads_setting
from gan_engine.runs.ray_store import STORE_RESOURCE

if TYPE_CHECKING:
    from gan_engine.runs.runner import ClusterGlance, Launch, Runner

ADDRESS_ENV = "GAN_EXPLORER_RAY_ADDRESS"
NAMESPACE = "gan_explorer"
STORE_SHARE = 0.001          # of the head's STORE_RESOURCE per runs directory's actor
CALL_SECONDS = 120.0
PROBE_SECONDS = 3.0
HEAD_COMMAND = (f"ray start --head --port=6379 --num-cpus=0 "
                f"--resources='{{\"{STORE_RESOURCE}\": 1000}}'")
WORKER_COMMAND = "ray start --address=<this machine's IP>:6379"
log = logging.getLogger("gan_engine.ray")

_connect_lock = threading.Lock()
_actors: dict[str, Any] = {}


def ray_address() -> str:
    """Where the cluster is: `$GAN_EXPLORER_RAY_ADDRESS`, else "auto"."""
    return os.environ.get(ADDRESS_ENV, "").strip() or "auto"


def connect(address: str | None = None) -> Any:
    """The `ray` module, connected to the cluster at `address` (once per process).

    RunError with the `ray start` commands when Ray is missing or no cluster is reachable;
    a process already connected (to any cluster) keeps its connection.
    """
    address = address or ray_address()
    with _connect_lock:
        try:
            import ray
        except ImportError:
            raise RunError("The Ray backend needs Ray: pip install -r requirements-ray.txt (or set "
                           "GAN_EXPLORER_BACKEND=local to train on this machine).") from None
        if ray.is_initialized():
            return ray
        _quiet(ray)
        try:
            ray.init(address=_reachable(address), namespace=NAMESPACE, log_to_driver=False,
                     logging_level=logging.ERROR)
        except Exception as error:   # ConnectionError, or what Ray raises for a bad address
            raise RunError(no_cluster_message(address, error)) from None
        return ray


def _reachable(address: str) -> str:
    """`address` as host:port ("auto": the cluster `ray start` last started here), once its
    head answers a TCP connection; ConnectionError otherwise. `ray.init` itself would retry
    an unreachable head for minutes, printing warnings."""
    from ray._private.services import canonicalize_bootstrap_address_or_die

    if address.startswith("ray://"):
        return address
    resolved = canonicalize_bootstrap_address_or_die(address)
    host, _, port = resolved.rpartition(":")
    try:
        socket.create_connection((host, int(port)), timeout=PROBE_SECONDS).close()
    except (OSError, ValueError) as error:
        raise ConnectionError(f"nothing answers at {resolved} ({error})") from None
    return resolved


def no_cluster_message(address: str, error: object = "") -> str:
    reason = " ".join(str(error).split())[:200].rstrip(".")
    return (f"No Ray cluster is reachable at {address} ({ADDRESS_ENV}){': ' + reason if reason else ''}. "
            f"Start its head on this machine with `{HEAD_COMMAND}` and each training machine with "
            f"`{WORKER_COMMAND}`, or set GAN_EXPLORER_BACKEND=local to train here.")


def _quiet(ray: Any) -> None:
    """Send the cluster's event messages, which Ray prints to stdout, to our logger instead."""
    from ray._private import worker

    def to_log(data: dict, ignore_prefix: bool = False) -> None:
        for line in data.get("lines", ()):
            log.info("ray (%s): %s", data.get("pid", ""), line)

    worker.print_to_stdstream = to_log


class RayBackend:
    """Runs trained on a Ray cluster and recorded by its run-store actor on this machine."""

    def __init__(self, runner: "Runner", address: str | None = None) -> None:
        self.runner = runner
        self.dir = runner.dir
        self.address = address or ray_address()
        self.root = runner.store.root.expanduser().resolve()
        self.actor_name = "gan-explorer-store-" + hashlib.sha256(str(self.root).encode()).hexdigest()[:16]

    # ---- the store actor ---------------------------------------------------------------

    def store_actor(self) -> Any:
        """The run-store actor of this runs directory, created on first use; checked once
        to live on this machine and run this version."""
        ray = connect(self.address)
        with _connect_lock:
            actor = _actors.get(self.actor_name)
            if actor is not None:
                return actor
            if ray.cluster_resources().get(STORE_RESOURCE, 0) < STORE_SHARE:
                raise RunError(f"The Ray cluster has no node with the {STORE_RESOURCE} resource, so the run "
                               f"store cannot live beside this dashboard. Start the head on this machine with "
                               f"`{HEAD_COMMAND}`.")
            from gan_engine.runs.ray_store import RunStoreActor

            actor = ray.remote(RunStoreActor).options(
                name=self.actor_name, namespace=NAMESPACE, lifetime="detached", get_if_exists=True,
                num_cpus=0, resources={STORE_RESOURCE: STORE_SHARE}, max_concurrency=64, max_restarts=0,
            ).remote(str(self.root))
            hello = ray.get(actor.hello.remote(), timeout=CALL_SECONDS)
            if hello["host"] != socket.gethostname():
                raise RunError(f"The Ray cluster's {STORE_RESOURCE} resource is on {hello['host']}, not on this "
                               f"machine ({socket.gethostname()}): start the head where the dashboard runs.")
            if (hello["version"], hello["format"]) != (__version__, ENGINE_FORMAT_VERSION):
                raise RunError(f"The cluster's run store runs GAN Explorer {hello['version']}, this dashboard "
                               f"{__version__}: restart the cluster (`ray stop`, then `{HEAD_COMMAND}`).")
            _actors[self.actor_name] = actor
            return actor

    def call(self, method: str, *args: Any) -> Any:
        """Call the store actor; one retry with a fresh actor if the old one died."""
        ray = connect(self.address)
        for attempt in (1, 2):
            actor = self.store_actor()
            try:
                return ray.get(getattr(actor, method).remote(*args), timeout=CALL_SECONDS)
            except (ray.exceptions.RayActorError, ray.exceptions.ActorUnavailableError) as error:
                with _connect_lock:
                    _actors.pop(self.actor_name, None)
                if attempt == 2:
                    raise RunError(f"The Ray run store is not answering ({type(error).__name__}); "
                                   f"check the cluster with `ray status`.") from None
            except ray.exceptions.GetTimeoutError:
                raise RunError(f"The Ray run store did not answer within {CALL_SECONDS:.0f} s; "
                               f"check the cluster with `ray status`.") from None
        raise AssertionError("unreachable")

    # ---- the Backend contract -----------------------------------------------------------

    def start(self, config: RunConfig, key: str, device: str) -> "Launch":
        from gan_engine.runs.runner import Launch

        request = {
            "key": key, "config": config.to_dict(), "device": device,
            "cpus": ray_cpus(config), "max_queue": self.runner.max_queue,
            "data_files": [str(path) for path in data_files(config)],
            "cache_bytes": self.runner.limits.cache_bytes,
        }
        reply = self.call("launch", request)
        if "error" in reply:
            raise getattr(errors, reply["error"], RunError)(reply["message"])
        return Launch(key, reply["outcome"], reply["status"])

    def cancel(self, key: str) -> bool:
        if self.call("cancel", key):
            return True
        self.dir.request_cancel(key)     # live, but a local worker's (a shared runs directory)
        return True

    def queue(self) -> list[str]:
        return self.dir.waiting()

    def queue_position(self, key: str) -> int | None:
        waiting = self.dir.waiting()
        return waiting.index(key) + 1 if key in waiting else None

    def housekeeping(self) -> None:
        pass

    def glance(self) -> "ClusterGlance":
        """The cluster's nodes that train, their CPUs and GPUs in use, and the runs waiting."""
        from gan_engine.runs.runner import ClusterGlance, NodeGlance

        waiting = len(self.dir.waiting())
        try:
            ray = connect(self.address)
            from ray._private.state import available_resources_per_node

            free = available_resources_per_node()
            nodes = []
            for node in ray.nodes():
                total = node.get("Resources", {})
                if not node.get("Alive") or not (total.get("CPU") or total.get("GPU")):
                    continue
                left = free.get(node["NodeID"], {})
                nodes.append(NodeGlance(
                    f"{node.get('NodeManagerHostname', '')} ({node.get('NodeManagerAddress', '')}, "
                    f"Ray node {node['NodeID'][:8]})",
                    total.get("CPU", 0.0), total.get("CPU", 0.0) - left.get("CPU", 0.0),
                    total.get("GPU", 0.0), total.get("GPU", 0.0) - left.get("GPU", 0.0)))
        except RunError as error:
            return ClusterGlance("ray", (), waiting, self.address, str(error))
        return ClusterGlance("ray", tuple(nodes), waiting, self.address)


def ray_cpus(config: RunConfig) -> int | None:
    """CPUs a run asks Ray for: `$GAN_EXPLORER_THREADS`, else one for a toy run; None for an
    image run, which the store sizes by the cluster's nodes (`limits.image_run_threads`)."""
    return threads_setting() or (1 if config.is_toy else None)
