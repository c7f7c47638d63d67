"""Training throughput: the engine's conditional MLP GAN against the source notebook's loop.

The baseline is the conditional MNIST GAN of the source notebook, trained the way the
notebook trains it: one sample at a time, three optimizer steps per sample (D on a real
digit, D on one generated digit, G through D), sigmoid outputs with BCELoss, Adam at 1e-4,
G 100+10 -> 200 -> 784 and D 784+10 -> 200 -> 1 with LeakyReLU(0.02) and LayerNorm. It is
given its data as one float tensor to take rows from, which is cheaper than the notebook's
pandas row per sample, so the ratio printed is if anything an underestimate.

The engine runs `gan_engine.training.train` on a preset, by default `mnist-cgan-mlp` (the
notebook's model, conditional MLPs, made to learn well), unchanged, and its rate is read
from the `seconds` of its log callbacks (so model building and data loading are left out,
snapshots are not). Both count samples through one D and one G update per second: one per
notebook step, `batch_size` per engine iteration.

Both run in this process, under the same torch thread count (the engine's own choice,
`configure_threads`), in alternating rounds; the median round of each is compared. On a
machine that other work shares, wall-clock rates swing, so rates per CPU-second of this
process are printed too: they change less with the load, and so does the median of each
round's ratio, printed last. With more threads than idle cores
the notebook's tiny operations stall on each other (3 samples/s seen on a loaded 2-core
machine), so compare with `--threads 1` there.

    python benchmarks/throughput.py [--preset mnist-cgan-mlp] [--rounds 3] [--threads N] [--set FIELD=VALUE]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gan_engine.config import RunConfig, preset  # noqa: E402
from gan_engine.train.real_data import load_real_data  # noqa: E402
from gan_engine.train.loop import TrainingCallbacks, configure_threads, train  # noqa: E402

LATENT, HIDDEN, CLASSES, PIXELS = 100, 200, 10, 784


def _notebook_mlp(in_features: int, out_features: int) -> nn.Sequential:
    return nn.Sequential(nn.Linear(in_features, HIDDEN), nn.LeakyReLU(0.02), nn.LayerNorm(HIDDEN),
                         nn.Linear(HIDDEN, out_features), nn.Sigmoid())


class NotebookLoop:
    """The notebook's per-sample conditional GAN: 1-D tensors, one sample per optimizer step."""

    def __init__(self, images: torch.Tensor, labels: torch.Tensor) -> None:
        self.images, self.labels = images, labels      # (N, 784) float in [0, 1], (N,) int
        self.discriminator = _notebook_mlp(PIXELS + CLASSES, 1)
        self.generator = _notebook_mlp(LATENT + CLASSES, PIXELS)
        self.opt_d = torch.optim.Adam(self.discriminator.parameters(), lr=1e-4)
        self.opt_g = torch.optim.Adam(self.generator.parameters(), lr=1e-4)
        self.bce = nn.BCELoss()
        self.index = 0

    def _one_hot(self, label: int) -> torch.Tensor:
        vector = torch.zeros(CLASSES)
        vector[label] = 1.0
        return vector

    def _step(self, optimizer: torch.optim.Optimizer, output: torch.Tensor, target: float) -> None:
        loss = self.bce(output, torch.tensor([target]))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    def sample_step(self) -> None:
        """One training sample: D on a real digit, D on a fake, G through D."""
        image, label = self.images[self.index], int(self.labels[self.index])
        self.index = (self.index + 1) % len(self.images)
        D, G = self.discriminator, self.generator
        self._step(self.opt_d, D(torch.cat((image, self._one_hot(label)))), 1.0)
        fake_label = self._one_hot(int(torch.randint(CLASSES, ())))
        fake = G(torch.cat((torch.randn(LATENT), fake_label))).detach()
        self._step(self.opt_d, D(torch.cat((fake, fake_label))), 0.0)
        fake_label = self._one_hot(int(torch.randint(CLASSES, ())))
        self._step(self.opt_g, D(torch.cat((G(torch.cat((torch.randn(LATENT), fake_label))), fake_label))), 1.0)

    def rate(self, seconds: float) -> tuple[float, float]:
        """Run for about `seconds`; (samples per wall second, samples per CPU second)."""
        for _ in range(20):   # warm-up: allocator, first-call dispatch
            self.sample_step()
        count, wall, cpu = 0, time.perf_counter(), time.process_time()
        while time.perf_counter() - wall < seconds:
            for _ in range(50):
                self.sample_step()
            count += 50
        return count / (time.perf_counter() - wall), count / (time.process_time() - cpu)


class _Clock(TrainingCallbacks):
    """Wall and CPU time at each log, to time the training loop alone."""

    def __init__(self) -> None:
        self.marks: list[tuple[int, float, float]] = []

    def on_log(self, iteration: int, total: int, scalars: dict[str, float]) -> None:
        self.marks.append((iteration, time.perf_counter(), time.process_time()))


def engine_rate(config: RunConfig) -> tuple[float, float, str]:
    """Train `config`; (samples per wall second, per CPU second, precision) from the first to the last log."""
    clock = _Clock()
    result = train(config, device="cpu", callbacks=clock)
    (first, wall0, cpu0), (last, wall1, cpu1) = clock.marks[0], clock.marks[-1]
    samples = (last - first) * config.batch_size
    return samples / (wall1 - wall0), samples / (cpu1 - cpu0), result.precision


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--preset", default="mnist-cgan-mlp")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of each (median reported)")
    parser.add_argument("--baseline-seconds", type=float, default=8.0, help="length of one baseline round")
    parser.add_argument("--iterations", type=int, default=400, help="engine iterations per round")
    parser.add_argument("--threads", type=int, default=None, help="torch threads for both (default: the engine's)")
    parser.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                        help="override a preset field, e.g. --set batch_size=512 (repeatable)")
    args = parser.parse_args(argv)

    if args.threads is not None:   # train() sets threads itself; the variable is what it obeys
        os.environ["GAN_EXPLORER_THREADS"] = str(args.threads)
    threads = configure_threads()
    overrides = dict(item.split("=", 1) for item in args.set)
    config = RunConfig.from_dict({**preset(args.preset).to_dict(), **overrides, "iterations": args.iterations,
                                  "log_every": 20, "snapshot_every": args.iterations}).validate()
    fp32 = config.replace(precision="fp32")
    data = load_real_data(config, torch.device("cpu"))
    images = data.samples.reshape(len(data), -1).float() / 255.0                    # (N, 784)
    torch.manual_seed(0)
    notebook = NotebookLoop(images, data.labels)

    print(f"torch {torch.__version__}, {threads} thread(s); data: {data.description}")
    print(f"engine preset {args.preset}: batch {config.batch_size}, k {config.k}, arch {config.arch}, "
          f"hidden {config.hidden_dim} x {config.hidden_layers}, precision {config.precision}")
    rows: dict[str, list[tuple[float, float]]] = {"notebook": [], "engine": [], "engine fp32": []}
    precision = config.precision
    for round_index in range(args.rounds):
        rows["notebook"].append(notebook.rate(args.baseline_seconds))
        wall, cpu, precision = engine_rate(config)
        rows["engine"].append((wall, cpu))
        if config.precision != "fp32":
            rows["engine fp32"].append(engine_rate(fp32)[:2])
        print(f"round {round_index + 1}: notebook {rows['notebook'][-1][0]:,.0f}/s, engine {wall:,.0f}/s, "
              f"ratio {wall / rows['notebook'][-1][0]:.0f}x", flush=True)

    base_wall = statistics.median(rate[0] for rate in rows["notebook"])
    base_cpu = statistics.median(rate[1] for rate in rows["notebook"])
    print(f"\n{'loop':<28}{'samples/s':>12}{'ratio':>9}{'samples/CPU-s':>16}{'ratio':>9}")
    for name, rates in rows.items():
        if not rates:
            continue
        wall = statistics.median(rate[0] for rate in rates)
        cpu = statistics.median(rate[1] for rate in rates)
        label = {"notebook": "notebook, batch 1",
                 "engine": f"{args.preset} ({precision})",
                 "engine fp32": f"{args.preset} (fp32)"}[name]
        print(f"{label:<28}{wall:>12,.0f}{wall / base_wall:>8.0f}x{cpu:>16,.0f}{cpu / base_cpu:>8.0f}x")
    # Each round's engine rate over the notebook rate measured just before it: neighbours share
    # the machine's momentary load, so this median is the figure least moved by other work.
    paired = [engine[0] / base[0] for engine, base in zip(rows["engine"], rows["notebook"])]
    print(f"\nper-round ratios (engine / notebook, wall): {', '.join(f'{r:.0f}x' for r in paired)}; "
          f"median {statistics.median(paired):.0f}x (goal: at least 100x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
