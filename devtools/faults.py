"""The fault scenarios of the reliability tests and the fault benchmark: a second server
sharing a runs folder, a full disk and a read-only runs folder (each in a private user and
mount namespace), and a finished run to protect."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from devtools.runs import tiny

REPO = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "GAN_EXPLORER_THREADS": "1", "PYTHONPATH": str(REPO)}

SERVER = """
import json, sys
from gan_engine.config import RunConfig
from gan_engine.limits import Limits
from gan_engine.runs.runner import Runner
from gan_engine.runs.store import RunStore
runner = Runner(RunStore(sys.argv[1]), max_workers=1, limits=Limits.from_env(local=True))
configs = [RunConfig.from_dict(c) for c in json.loads(sys.argv[2])]
outcomes = [runner.launch(c).outcome for c in configs]
statuses = [runner.wait(c.key(), timeout=240).status for c in configs]
print(json.dumps({"outcomes": outcomes, "statuses": statuses,
                  "listed": sorted(runner.store.list_runs()["key"])}))
"""

def in_namespace(mount: str, script: str, *args: str) -> dict:
    """Run `mount` (shell) then `script` (Python) as root of a private user + mount namespace."""
    command = f"{mount} && exec {sys.executable} -c \"$0\" \"$@\""
    done = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", command, script, *args],
                          capture_output=True, text=True, cwd=REPO, env=ENV, timeout=240)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def make_finished(runs: Path, seed: int = 400) -> str:
    """A finished run (real weights) in `runs`, checked loadable; its key (`seed` makes another)."""
    from gan_engine.train.models import build_models
    from gan_engine.runs.runfile import RunRecord, state_arrays, write_run_file
    from gan_engine.runs.store import RunStore

    config = tiny(seed)
    record = RunRecord(key=config.key(), config=config, status="done", total=20, iteration=20, device="cpu")
    record.add_log(20, 20, {"loss_d": 1.3, "loss_g": 0.7, "d_real": 0.5, "d_fake": 0.5, "seconds": 1.0})
    generator, discriminator = build_models(config)
    record.weights = {"generator": state_arrays(generator), "discriminator": state_arrays(discriminator)}
    store = RunStore(runs)
    store.dir.make_dirs()
    write_run_file(store.run_path(config.key()), record, durable=True)
    store.load_models(config.key())
    return config.key()


FULL_DISK = """
import hashlib, json, os, shutil, sys
from devtools.runs import tiny
from gan_engine.limits import Limits
from gan_engine.runs.runner import Runner
from gan_engine.runs.store import RunStore
runs, original = sys.argv[1], sys.argv[2]
precious = os.path.basename(original).removesuffix(".h5")
store = RunStore(runs)
store.dir.make_dirs()
shutil.copy(original, store.run_path(precious))
digest = hashlib.sha256(store.run_path(precious).read_bytes()).hexdigest()
stats = os.statvfs(runs)
with open(os.path.join(runs, "filler"), "wb") as filler:
    filler.write(b"x" * (stats.f_bavail * stats.f_frsize - 48 * 1024))
runner = Runner(store, limits=Limits.from_env(local=True))
launch = runner.launch(tiny(401, iterations=400, snapshot_every=20))
final = runner.wait(launch.key, timeout=200)
os.remove(os.path.join(runs, "filler"))
print(json.dumps({"status": final.status, "message": final.message,
                  "precious_intact": hashlib.sha256(store.run_path(precious).read_bytes()).hexdigest() == digest,
                  "precious_status": store.summary(precious).status,
                  "listed": dict(zip(store.list_runs()["key"], store.list_runs()["status"])),
                  "relaunch": runner.launch(tiny(401, iterations=400, snapshot_every=20)).outcome}))
"""

READ_ONLY = """
import json, subprocess, sys
from devtools.runs import tiny
from gan_engine.errors import RunError
from gan_engine.limits import Limits
from gan_engine.runs.runner import Runner
from gan_engine.runs.store import RunStore
runs, key = sys.argv[1], sys.argv[2]
store = RunStore(runs)
runner = Runner(store, limits=Limits.from_env(local=True))
result = {"summary": store.summary(key).status, "listed": list(store.list_runs()["status"]),
          "series": len(store.series(key)), "cached": runner.launch(tiny(400)).outcome}
for name, action in (("launch", lambda: runner.launch(tiny(402))), ("delete", lambda: store.delete(key))):
    try:
        action()
        result[name] = "no error"
    except RunError as error:
        result[name] = str(error)
cli = subprocess.run([sys.executable, "-m", "gan_engine", "train", "--preset", "gauss1d", "--iterations", "20",
                      "--runs", runs], capture_output=True, text=True)
result["cli"] = [cli.returncode, cli.stderr]
print(json.dumps(result))
"""
