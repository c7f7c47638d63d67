"""The command line, as a person runs it: real processes, a real cache, one-line errors."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

from gan_engine.cli import COMMANDS, main
from gan_engine.config import RunConfig, preset
from gan_engine.limits import Limits
from gan_engine.runs.store import RunStore
from devtools.runs import eventually, kill_workers, worker_starts

REPO = Path(__file__).resolve().parents[1]
TINY_ARGS = ["--preset", "gauss1d", "--iterations", "20", "--batch-size", "32", "--snapshot-every", "20",
             "--log-every", "5"]


def cli(*args: str, env: dict[str, str] | None = None, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """`python -m gan_engine ARGS` in a fresh process."""
    return subprocess.run([sys.executable, "-m", "gan_engine", *args], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, "GAN_EXPLORER_THREADS": "1", **(env or {})}, timeout=timeout)


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """A runs directory holding one tiny run trained through `train --json`."""
    runs = tmp_path_factory.mktemp("cli-runs")
    done = cli("train", *TINY_ARGS, "--runs", str(runs), "--json")
    assert done.returncode == 0, done.stderr
    yield runs, json.loads(done.stdout)
    kill_workers(runs)


def test_help_everywhere(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--help"], *([name, "--help"] for name in COMMANDS)):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 0
        assert capsys.readouterr().out.startswith("usage: python -m gan_engine")


def test_train_json_reports_the_run_and_a_second_train_is_served_from_cache(trained: tuple[Path, dict]) -> None:
    runs, first = trained
    assert first["status"] == "done" and first["cached"] is False and first["outcome"] == "started"
    assert first["device"] == "cpu" and first["seconds"] > 0 and 0 <= first["metrics"]["jsd"] <= np.log(2)
    assert set(first["config"]) == {f.name for f in fields(RunConfig)}
    assert (first["config"]["batch_size"], first["config"]["iterations"], first["config"]["k"]) == (32, 20, 1)
    assert first["key"] == RunConfig.from_dict(first["config"]).key()

    again = cli("train", *TINY_ARGS, "--runs", str(runs), "--json")
    second = json.loads(again.stdout)
    assert again.returncode == 0 and second["cached"] is True and second["outcome"] == "cached"
    assert {name: second[name] for name in ("key", "status", "metrics", "seconds")} == \
        {name: first[name] for name in ("key", "status", "metrics", "seconds")}
    assert worker_starts(runs, first["key"]) == 1

    plain = cli("train", *TINY_ARGS, "--runs", str(runs))
    assert plain.returncode == 0 and "(from cache)" in plain.stdout and f"run {first['key']}: done" in plain.stdout


def test_show_list_sample_and_delete(trained: tuple[Path, dict], tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    runs, first = trained
    key = first["key"]
    assert main(["show", key, "--runs", str(runs), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["status"], shown["iteration"], shown["queue_position"]) == ("done", 20, None)
    assert main(["list", "--runs", str(runs), "--json"]) == 0
    assert [row["key"] for row in json.loads(capsys.readouterr().out)] == [key]
    assert main(["list", "--runs", str(runs)]) == 0
    assert key in capsys.readouterr().out

    out = tmp_path / "samples.npy"
    assert main(["sample", "--run", key, "--n", "7", "--seed", "3", "--out", str(out), "--runs", str(runs)]) == 0
    samples = np.load(out)
    assert samples.shape == (7, 1) and samples.dtype == np.float32 and np.isfinite(samples).all()
    main(["sample", "--run", key, "--n", "7", "--seed", "3", "--out", str(tmp_path / "again.npy"), "--runs", str(runs)])
    assert np.array_equal(np.load(tmp_path / "again.npy"), samples), "a seed gives the same samples"
    assert main(["sample", "--run", str(RunStore(runs).run_path(key)), "--n", "2", "--out", str(out)]) == 0
    assert np.load(out).shape == (2, 1)

    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / f"{key}.h5").write_bytes(RunStore(runs).run_path(key).read_bytes())
    assert main(["delete", key, "--runs", str(copy)]) == 0
    assert RunStore(copy).list_runs().empty
    assert main(["cancel", key, "--runs", str(runs)]) == 1, "a finished run has nothing to cancel"


@pytest.mark.parametrize(("argv", "message"), [
    (["train", "--preset", "nope"], "argument --preset: invalid choice: 'nope'"),
    (["train", "--preset", "gauss1d", "--k", "0"], "error: k must be a whole number from 1 to 100; got 0."),
    (["train", "--preset", "gauss1d", "--lr-d", "abc"], "error: lr_d must be a float; got 'abc'."),
    (["train", "--preset", "gauss1d", "--lr-g", "-1"], "error: lr_g must be a number in (0, 10]; got -1.0."),
    (["train", "--preset", "gauss1d", "--batch-size", "0"], "error: batch_size must be a whole number"),
    (["train", "--preset", "gauss1d", "--device", "tpu"], "error: Unknown device 'tpu'"),
    (["train", "--preset", "gauss1d", "--colour", "red"], "unrecognized arguments: --colour red"),
    (["show", "../../etc/passwd"], "error: '../../etc/passwd' is not a run key"),
    (["show", "0123456789abcdef"], "error: No run 0123456789abcdef in"),
    (["delete", "0123456789abcdef"], "error: No run 0123456789abcdef in"),
    (["sample", "--run", "pretrained:nope", "--n", "3", "--out", "x.npy"], "error: No pretrained generator 'nope'"),
    (["sample", "--run", "0123456789abcdef", "--n", "0", "--out", "x.npy"], "error: --n must be from 1 to 100000"),
    (["sample", "--run", "0123456789abcdef", "--n", "3", "--out", "x.txt"], "error: --out must name a .npy file"),
    (["sample", "--run", "0123456789abcdef", "--n", "3", "--out", "x.npy"], "error: No run 0123456789abcdef"),
    (["sample", "--run", "missing.h5", "--n", "3", "--out", "x.npy"], "error: No run file at missing.h5"),
    (["sweep", "--preset", "gauss1d", "--k", "1,x"], "error: --k must be comma-separated numbers; got '1,x'."),
    (["sweep", "--preset", "gauss1d", "--k", "0,1"], "error: k must be a whole number from 1 to 100; got 0."),
    (["convert-faces", "/nonexistent/folder", "--out", "x.h5"], "error: The image folder /nonexistent/folder does not exist."),
])
def test_bad_input_is_one_line_on_stderr_with_exit_code_2(argv: list[str], message: str, runs: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    if argv[0] != "convert-faces":
        argv = [*argv, "--runs", str(runs)]
    try:
        code = main(argv)
    except SystemExit as exit_info:          # argparse's own errors
        code = exit_info.code
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert captured.err.count("\n") == 1 and message in captured.err, captured.err
    assert not list(runs.glob("*.h5")), "nothing is written to the run cache"


def test_a_real_process_fails_in_one_line_too(runs: Path) -> None:
    done = cli("train", "--preset", "gauss1d", "--k", "0", "--runs", str(runs))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "error: k must be a whole number from 1 to 100; got 0.\n"
    broken = cli("list", "--runs", str(runs), env={"GAN_EXPLORER_MAX_WORKERS": "many"})
    assert broken.returncode == 0, "listing needs no worker settings"
    broken = cli("train", *TINY_ARGS, "--runs", str(runs), env={"GAN_EXPLORER_MAX_WORKERS": "many"})
    assert broken.returncode == 2
    assert broken.stderr == "error: GAN_EXPLORER_MAX_WORKERS must be a whole number; got 'many'.\n"


def test_sweep_fills_the_queue_and_serves_cached_cells(trained: tuple[Path, dict], runs: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    cached_runs, first = trained
    assert main(["sweep", *TINY_ARGS, "--k", "1", "--lr", "1e-3", "--wait", "--json", "--runs", str(cached_runs)]) == 0
    [cell] = json.loads(capsys.readouterr().out)
    assert (cell["key"], cell["outcome"], cell["status"]) == (first["key"], "cached", "done")
    assert cell["metrics"] == first["metrics"]

    grid = ["sweep", *TINY_ARGS, "--k", "1,2", "--lr-d", "1e-3,2e-3", "--lr-g", "5e-4", "--json", "--runs", str(runs)]
    assert main(grid) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(row["k"], row["lr_d"], row["lr_g"]) for row in rows] == \
        [(1, 1e-3, 5e-4), (1, 2e-3, 5e-4), (2, 1e-3, 5e-4), (2, 2e-3, 5e-4)]
    starting = min(Limits.from_env().max_workers, 4)       # toy runs take one CPU slot each
    assert [row["outcome"] for row in rows] == ["started"] * starting + ["queued"] * (4 - starting)
    assert main(grid) == 0
    assert {row["outcome"] for row in json.loads(capsys.readouterr().out)} == {"attached"}
    for row in rows[1:]:
        assert main(["cancel", row["key"], "--runs", str(runs)]) == 0
    assert eventually(lambda: {RunStore(runs).summary(row["key"]).status for row in rows[1:]} == {"cancelled"})


def test_interrupting_train_cancels_the_run_it_started(runs: Path) -> None:
    blocker = cli("train", *TINY_ARGS, "--iterations", "50000", "--detach", "--runs", str(runs))
    assert blocker.returncode == 0 and "started" in blocker.stderr
    # 50,000 iterations: SIGINT finds the run queued or training, whatever the machine's speed
    # (a 20-iteration run could end first on an idle machine with a free slot). The child gets
    # Ctrl-C as in a terminal: a test run started in the background (`pytest &`, a CI runner)
    # passes SIGINT on as ignored, and Python then installs no KeyboardInterrupt for it.
    waiting = subprocess.Popen([sys.executable, "-m", "gan_engine", "train", *TINY_ARGS, "--iterations", "50000",
                                "--seed", "9", "--runs", str(runs)], cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env={**os.environ, "GAN_EXPLORER_THREADS": "1"},
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    key = preset("gauss1d", iterations=50000, batch_size=32, snapshot_every=20, log_every=5, seed=9).key()
    store = RunStore(runs)
    # the command says "run KEY: queued" (or started) once its launch has returned and it
    # follows the run: a Ctrl-C from then on is the one this test is about
    first = waiting.stderr.readline()
    assert first.startswith(f"run {key}: ") and store.summary(key) is not None, first
    time.sleep(0.5)
    waiting.send_signal(signal.SIGINT)
    out, err = waiting.communicate(timeout=60)
    err = first + err
    assert waiting.returncode == 130 and "cancelled" in err.splitlines()[-1], err
    assert "Traceback" not in err
    assert store.summary(key).status == "cancelled"


def test_sample_images_from_a_conditional_run_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from gan_engine.train.models import build_models
    from gan_engine.runs.runfile import RunRecord, state_arrays, write_run_file

    config = preset("mnist-cgan")
    generator, discriminator = build_models(config)
    record = RunRecord(key=config.key(), config=config, status="done", device="cpu")
    record.weights = {"generator": state_arrays(generator), "discriminator": state_arrays(discriminator)}
    run_file = tmp_path / "shipped.h5"
    write_run_file(run_file, record)
    out = tmp_path / "digits.npy"
    assert main(["sample", "--run", str(run_file), "--n", "12", "--label", "3", "--out", str(out)]) == 0
    images = np.load(out)
    assert images.shape == (12, 28, 28) and 0.0 <= images.min() and images.max() <= 1.0
    assert main(["sample", "--run", str(run_file), "--n", "12", "--out", str(out)]) == 0
    assert not np.array_equal(np.load(out), images), "without --label the digits cycle through 0..9"
    capsys.readouterr()
    assert main(["sample", "--run", str(run_file), "--n", "2", "--label", "12", "--out", str(out)]) == 2
    assert capsys.readouterr().err == "error: Class labels must be in 0..9; got 12..12.\n"

    faces = preset("faces")
    generator, discriminator = build_models(faces)
    record = RunRecord(key=faces.key(), config=faces, status="done", device="cpu")
    record.weights = {"generator": state_arrays(generator), "discriminator": state_arrays(discriminator)}
    write_run_file(run_file, record)
    assert main(["sample", "--run", str(run_file), "--n", "100000", "--out", str(out)]) == 2
    assert "would take 4.6 GiB; ask for fewer" in capsys.readouterr().err
    assert main(["sample", "--run", str(run_file), "--n", "3", "--out", str(out)]) == 0
    assert np.load(out).shape == (3, 64, 64, 3)


def test_an_mnist_run_prints_the_judges_figures_and_verdict(runs: Path) -> None:
    # ten iterations learn no digit: the worker's judges say so, and `train` and `show` print it
    trained_run = cli("train", "--preset", "mnist-cgan", "--iterations", "10", "--snapshot-every", "5",
                      "--runs", str(runs), timeout=300)
    assert trained_run.returncode == 0, trained_run.stderr
    assert "min_accuracy = " in trained_run.stdout and "diversity_ratio = " in trained_run.stdout
    assert "verdict: Mode collapse: " in trained_run.stdout, trained_run.stdout
    key = trained_run.stdout.split()[1].rstrip(":")
    shown = cli("show", key, "--runs", str(runs))
    assert shown.returncode == 0 and "verdict: Mode collapse: " in shown.stdout, shown.stdout
