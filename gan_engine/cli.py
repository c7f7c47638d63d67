"""The command line: `python -m gan_engine COMMAND` or, installed, `gan-explorer COMMAND`.

Commands: train, sample, list, show, cancel, delete, import, sweep, convert-faces, train-classifier,
score, and the internal worker.

Every run goes through the run cache, so `train` twice with one configuration trains once.
A problem the user can fix ends with one line on stderr and exit code 2, never a traceback.
Only the `worker` command, which the runner starts, stays light until it has a slot: the
heavy modules are imported inside each command.

A person at the command line is not a visitor of a shared demo, so the visitor caps on run
size and queue length (see limits.py) do not apply here; worker slots and the cache size
limit do, because they protect the machine.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import logging
import math
import os
import shlex
import sys
import time
from pathlib import Path
from typing import Any, NoReturn

from gan_engine.config import PRESETS, RunConfig
from gan_engine.errors import ConfigError, GanExplorerError, RunError

CONFIG_FIELDS = [f.name for f in dataclasses.fields(RunConfig) if f.name != "preset"]
PROGRESS_SECONDS = 2.0
MAX_SAMPLE_BYTES = 2**30


class _Parser(argparse.ArgumentParser):
    """argparse with usage errors on one line (exit code 2), like GanExplorerError."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser(prog: str = "python -m gan_engine") -> argparse.ArgumentParser:
    parser = _Parser(prog=prog, description="GAN Explorer's engine: train, sample and "
                     "manage cached runs. Runs live in --runs DIR, else $GAN_EXPLORER_RUNS, else a per-user cache.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    def command(name: str, text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=text, description=text)
        sub.add_argument("--runs", metavar="DIR", help="runs directory (default: $GAN_EXPLORER_RUNS or per-user)")
        return sub

    train = command("train", "Train a preset with overrides through the run cache (a cached run returns at once).")
    _config_options(train)
    train.add_argument("--device", default="auto", help="auto (CUDA, then MPS, else CPU), cpu, cuda, cuda:0, mps")
    train.add_argument("--json", action="store_true", help="print one JSON object with the result on stdout")
    train.add_argument("--detach", action="store_true", help="return once launched; the worker trains on")
    _backend_option(train)

    sample = command("sample", "Draw samples from a trained generator into a .npy file.")
    sample.add_argument("--run", required=True, help="run key, pretrained:NAME, or a path to a .h5 run file")
    sample.add_argument("--n", type=int, required=True, help="number of samples (1 to 100000)")
    sample.add_argument("--label", type=int, help="class for a conditional generator (default: 0..9 in turn)")
    sample.add_argument("--seed", type=int, default=0, help="latent seed (default 0)")
    sample.add_argument("--out", required=True, help="output FILE.npy: (N, d) for toys, (N, H, W[, C]) images in [0, 1]")

    listing = command("list", "List cached runs, newest first.")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    show = command("show", "Show one run's summary and progress.")
    show.add_argument("key")
    show.add_argument("--json", action="store_true", help="print a JSON object")
    command("cancel", "Stop a queued or training run.").add_argument("key")
    command("delete", "Delete a finished run from the cache.").add_argument("key")
    command("import", "Add a downloaded run file (.h5) to the cache, after checking it.").add_argument("file")

    sweep = command("sweep", "Launch a grid over k and learning rates through the queue (fills the cache).")
    _config_options(sweep, grid=True)
    sweep.add_argument("--device", default="auto")
    sweep.add_argument("--wait", action="store_true", help="wait until every run has ended")
    sweep.add_argument("--json", action="store_true")
    _backend_option(sweep)

    faces = commands.add_parser("convert-faces", help="Convert a folder of images into the faces HDF5 format.")
    faces.add_argument("folder")
    faces.add_argument("out_file", nargs="?", metavar="OUT", help="output .h5 file (or --out)")
    faces.add_argument("--out", help="output .h5 file")
    faces.add_argument("--limit", type=int, help="at most this many images")

    judge_train = commands.add_parser("train-classifier", help="Train a digit classifier that judges generated "
                                      "MNIST digits: judge A on the fit part of the held-out split, judge B "
                                      "(--judge B) on the held-out part.")
    judge_train.add_argument("--judge", choices=("A", "B"), default="A",
                             help="A: the cnn on the fit part; B: the gap-cnn on the held-out part (default A)")
    judge_train.add_argument("--out", help="output .h5 (default: the judge's shipped file)")
    judge_train.add_argument("--data", help="MNIST file or folder (default: $GAN_EXPLORER_DATA, per-user folder, "
                             "download)")
    judge_train.add_argument("--epochs", type=int, default=30)
    judge_train.add_argument("--batch-size", type=int, default=128)
    judge_train.add_argument("--lr", type=float, default=1e-3)
    judge_train.add_argument("--augment", type=float, default=1.0,
                             help="scale of the random rotations, scalings and shifts (default 1)")
    judge_train.add_argument("--holdout-fraction", type=float, default=0.2)
    judge_train.add_argument("--split-seed", type=int, default=0)
    judge_train.add_argument("--seed", type=int, default=0)
    score = command("score", "Score an MNIST generator with the two digit classifiers (judges A and B).")
    score.add_argument("--run", required=True, help="run key, pretrained:NAME or a .h5 run file")
    score.add_argument("--per-class", type=int, default=1000, help="samples per digit (default 1000)")
    score.add_argument("--seed", type=int, default=0)
    score.add_argument("--classifier", action="append",
                       help="classifier .h5 (repeatable; default: the two shipped judges)")
    score.add_argument("--write", action="store_true", help="record the scores in the run file")
    for sub in (judge_train, score):
        sub.add_argument("--threads", type=int, default=1, help="torch CPU threads (default 1)")

    worker = command("worker", "Internal: the worker process of one run (started by the runner).")
    worker.add_argument("key")
    worker.add_argument("--lock-fd", type=int, help="the run's locked descriptor, inherited from the launcher")
    worker.add_argument("--max-workers", type=int, default=1, help="CPU slots of the machine")
    worker.add_argument("--cpus", type=int, default=1, help="slots this run takes (its threads)")
    worker.add_argument("--device", default="auto")
    worker.add_argument("--cache-bytes", type=int, help="evict least recently used runs above this size")
    return parser


def _backend_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--backend", choices=("local", "ray"),
                        help="where runs train: local worker processes, or a Ray cluster "
                             "($GAN_EXPLORER_RAY_ADDRESS, default auto); default $GAN_EXPLORER_BACKEND, else local")


def _config_options(parser: argparse.ArgumentParser, grid: bool = False) -> None:
    parser.add_argument("--preset", required=True, choices=sorted(PRESETS), metavar="NAME",
                        help=f"one of {', '.join(PRESETS)}")
    grid_fields = ("k", "lr_d", "lr_g") if grid else ()
    for name in CONFIG_FIELDS:
        default = getattr(RunConfig(), name)
        if name == "data_path":
            parser.add_argument("--data", "--data-path", dest=name, metavar="PATH",
                                help="MNIST file or folder (IDX or CSV) or faces HDF5 file (default: the search)")
        elif name in grid_fields:
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name, metavar="LIST",
                                help=f"comma-separated values of {name} (default: the preset's)")
        else:
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name, metavar=type(default).__name__.upper(),
                                help=f"override {name} (preset default otherwise)")
    if grid:
        parser.add_argument("--lr", metavar="LIST", help="comma-separated learning rates used for both D and G")


def _overrides(args: argparse.Namespace, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    return {name: getattr(args, name) for name in CONFIG_FIELDS
            if name not in skip and getattr(args, name) is not None}


def _runner(args: argparse.Namespace) -> Any:
    from gan_engine.limits import UNLIMITED_QUEUE, Limits
    from gan_engine.runs.runner import Runner
    from gan_engine.runs.store import RunStore

    limits = dataclasses.replace(Limits.from_env(), max_run_examples=None, max_batch_size=None,
                                 max_queue=UNLIMITED_QUEUE)
    return Runner(RunStore(args.runs), limits=limits, allow_any_data_path=True,
                  backend=getattr(args, "backend", None))


# ---- commands ---------------------------------------------------------------------------

def cmd_train(args: argparse.Namespace) -> int:
    from gan_engine.config import preset
    from gan_engine.runs.runfile import CACHED_STATUSES

    runner = _runner(args)
    config = preset(args.preset, **_overrides(args))
    launch = runner.launch(config, device=args.device)
    if not args.json:
        print(f"run {launch.key}: {launch.outcome}", file=sys.stderr)
    if not args.detach and launch.outcome != "cached":
        try:
            _follow(runner, launch.key)
        except KeyboardInterrupt:
            # Ctrl-C stops a run this command started; one it only attached to is someone else's.
            if launch.outcome in ("started", "queued"):
                runner.cancel(launch.key)
                runner.wait(launch.key, timeout=30)
            print(f"interrupted; run {launch.key} " + ("cancelled" if launch.outcome != "attached"
                  else "keeps training for the others attached to it"), file=sys.stderr)
            return 130
    summary = runner.store.summary(launch.key)
    if summary is None:
        raise RunError(f"Run {launch.key} was deleted while this command waited for it.")
    result = _summary_json(summary, runner)
    result["cached"] = launch.outcome == "cached"
    result["outcome"] = launch.outcome
    if args.json:
        print(_dumps(result))
    else:
        _print_summary(result)
    return 0 if summary.status in CACHED_STATUSES or args.detach else 1


def _follow(runner: Any, key: str) -> None:
    """Wait for `key` to end, printing progress to stderr every few seconds."""
    from gan_engine.runs.runfile import ACTIVE

    last_print = 0.0
    while True:
        progress = runner.progress(key)
        if progress.status not in ACTIVE:
            return
        if time.monotonic() - last_print >= PROGRESS_SECONDS:
            last_print = time.monotonic()
            if progress.status == "queued":
                print(f"  queued (position {progress.queue_position})", file=sys.stderr)
            else:
                losses = " ".join(f"{name}={value:.4g}" for name, value in progress.latest.items()
                                  if name in ("loss_d", "loss_g"))
                eta = f" eta {progress.eta_seconds:.0f}s" if progress.eta_seconds is not None else ""
                print(f"  {progress.iteration}/{progress.total} ({progress.fraction:.0%}) {losses}{eta}",
                      file=sys.stderr)
        time.sleep(0.2)


def _summary_json(summary: Any, runner: Any) -> dict[str, Any]:
    return {
        "key": summary.key, "status": summary.status, "device": summary.device,
        "seconds": summary.seconds, "config": summary.config.to_dict(), "metrics": summary.metrics,
        "iteration": summary.iteration, "total": summary.total, "latest": summary.latest,
        "snapshot_count": summary.snapshot_count, "created": summary.created, "started": summary.started,
        "finished": summary.finished, "message": summary.message,
        "run_file": str(runner.store.run_path(summary.key)),
    }


def _dumps(value: Any) -> str:
    """Strict JSON (no NaN or Infinity, which JSON lacks: those become null)."""
    return json.dumps(_jsonable(value), allow_nan=False)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):          # NumPy scalars from pandas records
        return _jsonable(value.item())
    return value


def _print_summary(result: dict[str, Any]) -> None:
    cached = " (from cache)" if result.get("cached") else ""
    print(f"run {result['key']}: {result['status']}{cached}, {result['seconds']:.1f} s on {result['device'] or '-'}")
    if result["message"]:
        print(f"  {result['message']}")
    for name, value in result["metrics"].items():
        print(f"  {name} = {value:.4g}")
    verdict = _verdict(result)
    if verdict:
        print(f"  verdict: {verdict}")
    print(f"  file: {result['run_file']}")


def _verdict(result: dict[str, Any]) -> str:
    """The judges' verdict on a run in plain words ("Mode collapse: ..."), or "" when there is
    none (a run without quality metrics, or a target the verdict does not cover)."""
    from gan_engine.judge.verdict import run_verdict

    try:
        verdict = run_verdict(RunConfig.from_dict(result["config"]), result["metrics"])
    except GanExplorerError:
        return ""
    return verdict.message if verdict is not None else ""


def cmd_sample(args: argparse.Namespace) -> int:
    import numpy as np
    import torch

    from gan_engine.judge import sampling
    from gan_engine.runs.store import RunStore, open_run

    if not 1 <= args.n <= 100_000:
        raise ConfigError(f"--n must be from 1 to 100000; got {args.n}.")
    out = Path(args.out)
    if out.suffix != ".npy":
        raise ConfigError(f"--out must name a .npy file; got {args.out!r}.")
    config, generator, _ = open_run(args.run, RunStore(args.runs)).load_models("cpu")
    values = args.n * math.prod(getattr(generator, "data_shape", (1,)))
    if values * 4 > MAX_SAMPLE_BYTES:
        raise ConfigError(f"{args.n} samples of this generator would take {values * 4 / 2**30:.1f} GiB; "
                          f"ask for fewer (at most {MAX_SAMPLE_BYTES // 2**30} GiB).")
    z = sampling.latents(sampling.check_seed(args.seed), args.n, config.latent_dim)
    labels = None
    if sampling.is_conditional(generator):
        labels = np.full(args.n, args.label) if args.label is not None else np.arange(args.n) % 10
    elif args.label is not None:
        raise ConfigError("This generator is unconditional: it takes no --label.")
    if config.is_toy:
        with torch.no_grad():
            samples = generator(torch.from_numpy(z)).numpy().reshape(args.n, -1)   # (N, d)
    else:
        samples = sampling.generate(generator, z, labels)                         # (N, H, W[, C])
    tmp = out.with_name(out.name + ".tmp.npy")
    np.save(tmp, samples.astype(np.float32))
    tmp.replace(out)
    print(f"wrote {args.n} samples of shape {samples.shape[1:]} to {out}", file=sys.stderr)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from gan_engine.runs.store import RunStore

    frame = RunStore(args.runs).list_runs()
    if args.json:
        print(_dumps(frame.to_dict(orient="records")))
    elif frame.empty:
        print("no runs yet", file=sys.stderr)
    else:
        shown = frame.drop(columns=["message", "created"]).fillna("")
        print(shown.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
        for key, message in zip(frame["key"], frame["message"]):
            if isinstance(message, str) and message:
                print(f"{key}: {message}", file=sys.stderr)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    runner = _runner(args)
    summary = runner.store.summary(args.key)
    if summary is None:
        raise RunError(f"No run {args.key} in {runner.store.root}.")
    result = _summary_json(summary, runner)
    result["queue_position"] = runner.progress(args.key).queue_position
    if args.json:
        print(_dumps(result))
    else:
        _print_summary(result)
        print(f"  progress: {result['iteration']}/{result['total']}"
              + (f", queue position {result['queue_position']}" if result["queue_position"] else ""))
        print("  config: " + ", ".join(f"{k}={v}" for k, v in result["config"].items()))
    return 0


def cmd_cancel(args: argparse.Namespace) -> int:
    runner = _runner(args)
    if runner.cancel(args.key):
        print(f"cancelling run {args.key}", file=sys.stderr)
        return 0
    print(f"run {args.key} is not queued or training; nothing to cancel", file=sys.stderr)
    return 1


def cmd_delete(args: argparse.Namespace) -> int:
    from gan_engine.runs.store import RunStore

    RunStore(args.runs).delete(args.key)
    print(f"deleted run {args.key}", file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from gan_engine.runs.imports import import_run
    from gan_engine.runs.store import RunStore

    path = Path(args.file)
    if not path.is_file():
        raise RunError(f"No file at {path}.")
    done = import_run(path.read_bytes(), path.name, RunStore(args.runs))
    print(done.key)
    print(f"{'imported' if done.outcome == 'imported' else 'already in the cache'}: {done.preset}, {done.status}",
          file=sys.stderr)
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    from gan_engine.config import preset

    base = preset(args.preset, **_overrides(args, skip=("k", "lr_d", "lr_g")))
    ks = _number_list("k", args.k, int) or [base.k]
    if args.lr is not None:
        lr_pairs = [(lr, lr) for lr in _number_list("lr", args.lr, float)]
    else:
        lr_pairs = list(itertools.product(_number_list("lr-d", args.lr_d, float) or [base.lr_d],
                                          _number_list("lr-g", args.lr_g, float) or [base.lr_g]))
    configs = [base.replace(k=k, lr_d=lr_d, lr_g=lr_g).validate() for k, (lr_d, lr_g) in itertools.product(ks, lr_pairs)]
    runner = _runner(args)
    rows = []
    for config in configs:
        launch = runner.launch(config, device=args.device)
        rows.append({"key": launch.key, "k": config.k, "lr_d": config.lr_d, "lr_g": config.lr_g,
                     "outcome": launch.outcome, "status": launch.status})
    if args.wait:
        for row in rows:
            summary = runner.store.summary(row["key"]) if row["outcome"] == "cached" else None
            if summary is None:
                runner.wait(row["key"])
                summary = runner.store.summary(row["key"])
            row.update(status=summary.status, metrics=summary.metrics, seconds=summary.seconds)
    if args.json:
        print(_dumps(rows))
    else:
        for row in rows:
            metrics = " ".join(f"{n}={v:.4g}" for n, v in row.get("metrics", {}).items())
            print(f"{row['key']}  k={row['k']:<3} lr_d={row['lr_d']:<8g} lr_g={row['lr_g']:<8g} "
                  f"{row['outcome']:<8} {row['status']:<11} {metrics}".rstrip())
    return 0


def _number_list(name: str, text: str | None, kind: type) -> list[Any]:
    if text is None:
        return []
    try:
        values = [kind(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise ConfigError(f"--{name} must be comma-separated numbers; got {text!r}.") from None
    if not values:
        raise ConfigError(f"--{name} needs at least one value.")
    return values


def cmd_convert_faces(args: argparse.Namespace) -> int:
    from gan_engine.data.faces import images_to_hdf5

    if (args.out is None) == (args.out_file is None):
        raise ConfigError("convert-faces needs one output file: `convert-faces FOLDER OUT.h5` (or --out OUT.h5).")
    out = args.out or args.out_file
    count = images_to_hdf5(args.folder, out, limit=args.limit)
    print(f"stored {count} images in {out}", file=sys.stderr)
    return 0


def cmd_train_classifier(args: argparse.Namespace) -> int:
    import torch

    from gan_engine.judge.classifier import CLASSIFIER_PATH, SECOND_CLASSIFIER_PATH, train_classifier

    torch.set_num_threads(args.threads)
    second = args.judge == "B"
    out = args.out or str(SECOND_CLASSIFIER_PATH if second else CLASSIFIER_PATH)
    classifier = train_classifier(out, args.data, args.holdout_fraction, args.split_seed, args.epochs,
                                  batch_size=args.batch_size, lr=args.lr, seed=args.seed, command=_command_line(args),
                                  architecture="gap-cnn" if second else "cnn",
                                  train_part="holdout" if second else "fit", augment=args.augment,
                                  progress=lambda e, n, loss: print(f"epoch {e}/{n} loss {loss:.4f}", file=sys.stderr))
    print(f"held-out accuracy {classifier.info['holdout_accuracy']:.4f}, Fréchet floor "
          f"{classifier.info['frechet_floor']:.2f}; wrote {out}")
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    import torch

    from gan_engine.judge import sampling
    from gan_engine.judge.evaluation import print_scores, write_scores
    from gan_engine.judge.quality import judge_generator, load_judges, print_judged
    from gan_engine.runs.store import RunStore, open_run

    torch.set_num_threads(args.threads)
    run = open_run(args.run, RunStore(args.runs))
    config, generator, _ = run.load_models("cpu")
    judges = load_judges(args.classifier)
    judged = judge_generator(generator, config.latent_dim, judges, args.per_class, sampling.check_seed(args.seed))
    for judge, scores in zip(judges, judged.scores):
        print(f"judge {judge.name} ({judge.info.get('architecture', 'cnn')}, trained on the "
              f"{judge.info.get('train_part', 'fit')} part):")
        print_scores(scores)
    if len(judges) > 1:
        print_judged(judged)
    if args.write:
        for judge, scores in zip(judges, judged.scores):
            write_scores(run.path, scores, judge, _command_line(args))
    return 0


def _command_line(args: argparse.Namespace) -> str:
    """The command as typed, recorded in the files it writes."""
    return f"{args.prog} {shlex.join(args.argv)}"


def cmd_worker(args: argparse.Namespace) -> int:
    from gan_engine.runs.coordination import default_runs_dir
    from gan_engine.runs.worker import run_worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    root = Path(args.runs) if args.runs else default_runs_dir()
    return run_worker(args.key, root, lock_fd=args.lock_fd, max_workers=args.max_workers,
                      device=args.device, cache_bytes=args.cache_bytes, cpus=args.cpus)


COMMANDS = {"train": cmd_train, "sample": cmd_sample, "list": cmd_list, "show": cmd_show,
            "cancel": cmd_cancel, "delete": cmd_delete, "import": cmd_import, "sweep": cmd_sweep,
            "convert-faces": cmd_convert_faces, "train-classifier": cmd_train_classifier, "score": cmd_score,
            "worker": cmd_worker}


def main(argv: list[str] | None = None, prog: str = "python -m gan_engine") -> int:
    """Run one command; returns the process exit code."""
    args = build_parser(prog).parse_args(argv)
    args.prog, args.argv = prog, sys.argv[1:] if argv is None else list(argv)
    try:
        return COMMANDS[args.command](args)
    except GanExplorerError as error:
        print("error: " + " ".join(str(error).split()), file=sys.stderr)
        return 2
    except BrokenPipeError:
        # Whoever read stdout went away (`list | head`); silence the flush at exit too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def console_main() -> int:
    """The `gan-explorer` console script that `pip install .` puts on the PATH."""
    return main(prog="gan-explorer")
