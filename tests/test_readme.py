"""Every command the README shows runs as written.

The README is read at test time (others edit it too): each `python -m gan_engine ...` or
`gan-explorer ...` command in a fenced block or an inline code span is run in a fresh
process, in README order, with its placeholders filled in, and must exit with status 0.

- KEY: a finished run in the test's runs folder; for `cancel KEY`, a run that is training
  (launched just before, as a person would cancel one);
- FOLDER: a folder of a few small images; FILE: a run file downloaded from another cache;
- output files are relative paths, written into the test's working folder;
- a command for the Ray backend runs against a cluster started here as the README's steps
  start one (a head holding the run store, a training node), on ports of its own.

GAN_EXPLORER_RUNS and GAN_EXPLORER_UPLOADS point into the test's folder; MNIST is the small
fixture (tests/conftest.py). A placeholder the README introduces that this test does not
know fails with its name, rather than being run as a literal word.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from devtools.faults import make_finished
from devtools.runs import kill_workers, tiny
from gan_engine.runs.runner import Runner
from gan_engine.runs.store import RunStore

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
PREFIXES = (("python", "-m", "gan_engine"), ("gan-explorer",))
PLACEHOLDER = re.compile(r"^[A-Z][A-Z_]*$")
# What a console script does: the same entry point `pip install .` puts on the PATH.
CONSOLE_SCRIPT = "import sys; from gan_engine.cli import console_main; sys.exit(console_main())"


def code_texts(markdown: str) -> list[str]:
    """Every line of every fenced block, then every inline code span outside them, in order."""
    texts: list[tuple[int, str]] = []
    outside = []
    position = 0
    for block in re.finditer(r"^[ \t]*```[^\n]*\n(.*?)^[ \t]*```", markdown, flags=re.S | re.M):   # indented in a list too
        outside.append((position, markdown[position:block.start()]))
        texts += [(block.start(), line.strip()) for line in block.group(1).splitlines()]
        position = block.end()
    outside.append((position, markdown[position:]))
    for offset, text in outside:
        texts += [(offset + span.start(), span.group(1)) for span in re.finditer(r"`([^`\n]+)`", text)]
    return [text for _, text in sorted(texts, key=lambda item: item[0])]


def readme_commands(markdown: str) -> list[list[str]]:
    """The gan_engine commands of the README as argument lists (comments dropped; a line
    `a && b` gives each part)."""
    commands = []
    for text in code_texts(markdown):
        for part in re.split(r"&&|;", text):
            if not part.strip().startswith(tuple(" ".join(prefix) for prefix in PREFIXES)):
                continue          # other shells' lines, TOML, prose in code spans
            words = shlex.split(part, comments=True)
            if any(tuple(words[:len(prefix)]) == prefix for prefix in PREFIXES):
                commands.append(words)
    return commands


def subcommand(words: list[str]) -> str:
    """`train` of `python -m gan_engine train ...` or `gan-explorer train ...` ("" for none)."""
    rest = words[3:] if words[0] == "python" else words[1:]
    return rest[0] if rest else ""


def needs_ray(words: list[str]) -> bool:
    """A command for the Ray backend: it runs against the cluster the README's steps start."""
    return any(a == "--backend" and b == "ray" for a, b in zip(words, words[1:]))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def ray_cluster(data_cache: Path) -> Iterator[str]:
    """The README's cluster on this machine, its steps 2 and 3 (a head that holds the run
    store and trains nothing, and a training node), started and stopped here, on ports of its
    own so that no other cluster on the machine is touched; yields its address."""
    from ray.cluster_utils import Cluster    # Ray is the Ray backend's requirement (requirements-ray.txt)

    saved = {name: os.environ.get(name) for name in ("PYTHONPATH", "GAN_EXPLORER_RAY_DATA_CACHE")}
    # the nodes inherit this environment, as `PYTHONPATH=$PWD ray start` gives them
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), saved["PYTHONPATH"]]))
    os.environ["GAN_EXPLORER_RAY_DATA_CACHE"] = str(data_cache)
    cluster = Cluster(initialize_head=True, head_node_args={
        "gcs_server_port": free_port(), "num_cpus": 0, "resources": {"gan_explorer_store": 1000}, "include_dashboard": False})
    try:
        cluster.add_node(num_cpus=2)
        yield cluster.address
    finally:
        session = cluster.head_node.get_session_dir_path()
        cluster.shutdown()
        shutil.rmtree(session, ignore_errors=True)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def image_folder(folder: Path) -> Path:
    """A few small RGB images, as a folder of photographs would hold."""
    folder.mkdir()
    rng = np.random.default_rng(0)
    for index in range(3):
        Image.fromarray(rng.integers(0, 256, size=(40, 32, 3), dtype=np.uint8)).save(folder / f"face{index}.png")
    return folder


def test_the_readme_shows_the_commands_this_test_runs() -> None:
    commands = readme_commands(README.read_text(encoding="utf-8"))
    names = {subcommand(words) for words in commands}
    # the README's own tour: a change that drops these is a change to look at
    assert {"train", "list", "show", "sample", "sweep", "cancel", "delete", "convert-faces", "import"} <= names


def test_every_readme_command_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runs, work = tmp_path / "runs", tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "GAN_EXPLORER_RUNS": str(runs), "GAN_EXPLORER_UPLOADS": str(tmp_path / "uploads"),
           "GAN_EXPLORER_THREADS": "1", "PYTHONPATH": str(REPO)}
    monkeypatch.setenv("GAN_EXPLORER_RUNS", str(runs))
    finished = make_finished(runs)
    laptop = tmp_path / "laptop"
    downloaded = work / "my-run.h5"
    shutil.copy(laptop / f"{make_finished(laptop, seed=401)}.h5", downloaded)
    values = {"KEY": finished, "FOLDER": str(image_folder(tmp_path / "photos")), "FILE": downloaded.name}

    commands = readme_commands(README.read_text(encoding="utf-8"))
    assert commands, "no gan_engine command found in the README"
    cluster = contextlib.ExitStack()
    try:
        for words in commands:
            if needs_ray(words) and "GAN_EXPLORER_RAY_ADDRESS" not in env:
                env["GAN_EXPLORER_RAY_ADDRESS"] = cluster.enter_context(ray_cluster(tmp_path / "ray-data"))
            unknown = [word for word in words if PLACEHOLDER.match(word) and word not in values]
            assert not unknown, f"{shlex.join(words)}: the placeholder {unknown[0]} is not known to this test"
            filled = dict(values)
            if subcommand(words) == "cancel":
                # something to cancel: a run that is training now (well under the hosted caps)
                launched = Runner(RunStore(runs)).launch(tiny(402, iterations=200_000))
                filled["KEY"] = launched.key
            argv = [filled.get(word, word) for word in words]
            program = ([sys.executable, *argv[1:]] if argv[0] == "python"
                       else [sys.executable, "-c", CONSOLE_SCRIPT, *argv[1:]])
            done = subprocess.run(program, capture_output=True, text=True, cwd=work, env=env, timeout=300)
            assert done.returncode == 0, f"`{shlex.join(words)}` exited {done.returncode}:\n{done.stderr[-2000:]}"
    finally:
        kill_workers(runs)
        cluster.close()
