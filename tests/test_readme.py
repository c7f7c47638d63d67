"""Every command the README shows runs as written.

The README is read at test time (others edit it too): each `python -m gan_engine ...` or
`gan-explorer ...` command in a fenced block or an inline code span is run in a fresh
process, in README order, with its placeholders filled in, and must exit with status 0.

- KEY: a finished run in the test's runs folder; for `cancel KEY`, a run that is training
  (launched just before, as a person would cancel one);
- FOLDER: a folder of a few small images; FILE: a run file downloaded from another cache;
- output files are relative paths, written into the test's working folder.

GAN_EXPLORER_RUNS and GAN_EXPLORER_UPLOADS point into the test's folder; MNIST is the small
fixture (tests/conftest.py). A placeholder the README introduces that this test does not
know fails with its name, rather than being run as a literal word.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
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
    for block in re.finditer(r"^```[^\n]*\n(.*?)^```", markdown, flags=re.S | re.M):
        outside.append((position, markdown[position:block.start()]))
        texts += [(block.start(), line) for line in block.group(1).splitlines()]
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
            words = shlex.split(part, comments=True)
            if any(tuple(words[:len(prefix)]) == prefix for prefix in PREFIXES):
                commands.append(words)
    return commands


def subcommand(words: list[str]) -> str:
    """`train` of `python -m gan_engine train ...` or `gan-explorer train ...` ("" for none)."""
    rest = words[3:] if words[0] == "python" else words[1:]
    return rest[0] if rest else ""


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
    try:
        for words in commands:
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
