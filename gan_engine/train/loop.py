"""Algorithm 1 of Goodfellow et al. (2014): k discriminator steps, then one generator step.

`train(config)` knows nothing of pages or files: it reports through `TrainingCallbacks`
(scalars every `log_every` iterations, snapshot arrays and metrics every `snapshot_every`,
a stop flag polled every iteration) and returns a `TrainResult`. What each snapshot holds
is in `snapshots.py`.

Options beyond the paper, each off by default: Adam or SGD (momentum = beta1), an EMA of the
generator (`ema_decay`), the R1 penalty (`r1_gamma`), PacGAN packing (`pack`; with
`pack_by_label` the packed samples of a conditional run share one digit, real and fake alike,
so D can see a lack of variety within a digit), an auxiliary classifier in D (`aux_weight`,
AC-GAN: D names real digits, G is rewarded when D names the asked-for one; with `aux_fake`
D's classifier also learns the asked-for digit of each fake, as in the AC-GAN paper; with
`fake_class` it has an eleventh class, "generated", that it learns for every fake, as in
AM-GAN, so G is rewarded only for a digit D would not call generated), MSGAN's mode-seeking
penalty on G for pairs of z drawn alike (`mode_seeking`), a linear
learning-rate decay (`lr_schedule`) and bfloat16 mixed precision (`precision`). Model-side
options (`conditioning`, `class_norm`) are in `models.py`.

Choices that matter for speed, each keeping the algorithm intact:

- real data is one tensor on the device (`datasets.py`); a minibatch is one index;
- in a discriminator step the fakes are generated without an autograd graph, except in the
  last one, whose fakes the generator step reuses (as pytorch/examples' DCGAN does): those z
  are a fresh draw from the prior as far as G is concerned, and one generator forward pass
  per iteration is saved;
- without batch norm, real and fake minibatches go through D in one pass of 2m;
- during the generator step the discriminator's parameters do not require gradients, so
  its backward pass computes only what flows back to G;
- fused Adam; bfloat16 matrix products where the hardware has them (3-4x on a CPU with
  AVX-512 BF16), with float32 weights, optimizer state and losses;
- a deliberate thread count (`configure_threads`): one for the toy networks;
- loss values leave the device only every `log_every` iterations (a GPU never waits).

Reproducibility: weights, noise and minibatch indices all come from generators seeded by
`config.seed`, and snapshots draw from their own fixed noise, so a CPU run is bitwise
repeatable and does not depend on how often it is observed.

A non-finite loss, checked at every log and snapshot step, ends the run as "diverged"; what
was reported before stays reported, and nothing non-finite is reported.
"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from torch import nn
from torch.nn import functional as F

from gan_engine.train import snapshots
from gan_engine.config import RunConfig
from gan_engine.train.real_data import RealData, load_real_data
from gan_engine.errors import ConfigError
from gan_engine.limits import IMAGE_RUN_THREADS, available_cpus, threads_setting
from gan_engine.train.losses import (discriminator_loss, discriminator_probability, generator_loss,
                                     mode_seeking_penalty, r1_penalty)
from gan_engine.train.models import build_models

# scores an image generator (in eval mode) at a snapshot: (generator, final snapshot?) -> metrics
ImageJudge = Callable[[nn.Module, bool], dict[str, float]]


class TrainingCallbacks:
    """Hooks a caller overrides to watch or stop a run; the defaults do nothing."""

    def on_log(self, iteration: int, total: int, scalars: dict[str, float]) -> None:
        """Every `log_every` iterations: loss_d, loss_g, d_real, d_fake (mean D as probability), seconds."""

    def on_metrics(self, iteration: int, metrics: dict[str, float]) -> None:
        """At each snapshot: "jsd" (1-D); "modes_captured", "hq_fraction", "reverse_kl" (2-D); for
        images, what the `judge` given to `train` returns (MNIST: `judge.quality`'s metrics)."""

    def on_snapshot(self, iteration: int, arrays: dict) -> None:
        """At iteration 0, every `snapshot_every` iterations and at the end (see `snapshots.py`)."""

    def should_stop(self) -> bool:
        """Polled every iteration; True ends the run with status "cancelled"."""
        return False


@dataclass
class TrainResult:
    """What a run produced. `generator` is the EMA generator when `config.ema_decay` > 0."""

    status: str                       # "done" | "diverged" | "cancelled"
    generator: nn.Module
    discriminator: nn.Module
    metrics: dict[str, float]         # final summary metrics (the last snapshot's)
    seconds: float                    # wall time of the whole run
    device: str
    message: str = ""
    iterations: int = 0               # generator steps completed
    precision: str = "fp32"           # what the forward passes ran in: "bf16" only where supported
    scalars: dict[str, float] = field(default_factory=dict)   # the last logged scalars


_engine_threads: int | None = None   # the multi-threaded count, fixed by the first call


def configure_threads(threads: int | None = None, small_model: bool = False) -> int:
    """Set torch's intra-op thread count deliberately; returns the count in force.

    With `threads` given (or `$GAN_EXPLORER_THREADS` set) that number is used. Otherwise
    small models (the toy MLPs, whose matrices are at most 64 x 64 per sample) get 1 thread:
    splitting such small operations costs more in synchronisation than it gains, and on a
    shared, loaded machine threads that wait for each other collapse throughput entirely.
    Larger models get min(the count torch had at the first call, available CPUs, 4), so a
    caller that chose fewer before the first call (a test with 1) keeps its choice.
    """
    global _engine_threads
    if _engine_threads is None:
        _engine_threads = min(torch.get_num_threads(), available_cpus(), IMAGE_RUN_THREADS)
    if threads is not None and threads < 1:
        raise ConfigError(f"The thread count must be at least 1; got {threads}.")
    requested = threads if threads is not None else threads_setting()
    count = requested if requested is not None else (1 if small_model else _engine_threads)
    if torch.get_num_threads() != count:
        torch.set_num_threads(count)
    return count


def resolve_device(name: str = "auto") -> torch.device:
    """"auto" -> CUDA, else Apple MPS, else CPU; "cpu", "cuda", "cuda:N", "mps" force one.

    Raises ConfigError for an unknown name or a device this machine does not have.
    """
    name = (name or "auto").strip().lower()
    mps = getattr(torch.backends, "mps", None)
    has_mps = bool(mps is not None and mps.is_available())
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "mps" if has_mps else "cpu")
    try:
        device = torch.device(name)
    except RuntimeError:
        raise ConfigError(f"Unknown device {name!r}: use auto, cpu, cuda, cuda:N or mps.") from None
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise ConfigError("The device cuda was requested, but this machine has no usable CUDA GPU; use auto or cpu.")
        if device.index is not None and device.index >= torch.cuda.device_count():
            raise ConfigError(f"There is no {name}: this machine has {torch.cuda.device_count()} CUDA device(s).")
    elif device.type == "mps":
        if not has_mps:
            raise ConfigError("The device mps was requested, but Apple's MPS is not available here; use auto or cpu.")
    elif device.type != "cpu":
        raise ConfigError(f"Unknown device {name!r}: use auto, cpu, cuda, cuda:N or mps.")
    return device


def bf16_supported(device: torch.device) -> bool:
    """Whether `device` runs bfloat16 matrix products natively (else they are emulated, and slow).

    CPUs need AVX-512 BF16 or AMX; CUDA GPUs need compute capability 8 or newer.
    """
    if device.type == "cuda":
        return torch.cuda.is_bf16_supported()
    if device.type == "cpu":
        checks = (getattr(torch.cpu, "_is_avx512_bf16_supported", None), getattr(torch.cpu, "_is_amx_tile_supported", None))
        return any(check is not None and check() for check in checks)
    return False


def _optimizer(config: RunConfig, params, lr: float, device: torch.device) -> torch.optim.Optimizer:
    """Adam with betas (beta1, beta2), or SGD with momentum beta1."""
    if config.optimizer == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=config.beta1)
    # the fused kernel updates every tensor in one pass: ~3x faster than the default on CPU
    return torch.optim.Adam(params, lr=lr, betas=(config.beta1, config.beta2),
                            fused=device.type in ("cpu", "cuda") or None)


class _EMA:
    """An exponential moving average of the generator's weights (Yazıcı et al. 2019).

    The decay ramps up as min(decay, (1 + t) / (10 + t)) so the average is not dominated by
    the random initial weights early in a run; buffers (batch-norm statistics) are copied.
    """

    def __init__(self, generator: nn.Module, decay: float) -> None:
        self.model = copy.deepcopy(generator).requires_grad_(False)
        self.decay, self.updates = decay, 0
        self._source = list(generator.parameters())
        self._target = list(self.model.parameters())
        self._source_buffers, self._target_buffers = list(generator.buffers()), list(self.model.buffers())

    @torch.no_grad()
    def update(self) -> None:
        self.updates += 1
        decay = min(self.decay, (1.0 + self.updates) / (10.0 + self.updates))
        torch._foreach_lerp_(self._target, self._source, 1.0 - decay)
        for target, source in zip(self._target_buffers, self._source_buffers):
            target.copy_(source)


class _Loop:
    """The state of one run: models, optimizers, data and random generators."""

    def __init__(self, config: RunConfig, device: torch.device, data: RealData) -> None:
        self.config, self.device, self.data = config, device, data
        with torch.random.fork_rng(devices=[]):   # seeded weights without touching the caller's RNG
            torch.manual_seed(config.seed)
            generator, discriminator = build_models(config)
        self.G, self.D = generator.to(device), discriminator.to(device)
        self.opt_d = _optimizer(config, self.D.parameters(), config.lr_d, device)
        self.opt_g = _optimizer(config, self.G.parameters(), config.lr_g, device)
        self.schedules = []
        if config.lr_schedule == "linear":   # lr after t iterations: lr · (1 - t / iterations)
            self.schedules = [torch.optim.lr_scheduler.LambdaLR(opt, lambda t: max(0.0, 1.0 - t / config.iterations))
                              for opt in (self.opt_d, self.opt_g)]
        self.ema = _EMA(self.G, config.ema_decay) if config.ema_decay > 0.0 else None
        self.rng = torch.Generator(device=device)
        self.rng.manual_seed(config.seed)
        self.num_classes = getattr(self.G, "num_classes", 0)
        self.joint_pass = not any(isinstance(module, nn.modules.batchnorm._BatchNorm) for module in self.D.modules())
        self.bf16 = config.precision == "bf16" and bf16_supported(device)

    def autocast(self) -> torch.autocast:
        """Mixed precision for the forward passes when `bf16` is on (weights and Adam stay float32)."""
        return torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=self.bf16)

    @property
    def sampling_generator(self) -> nn.Module:
        return self.ema.model if self.ema is not None else self.G

    def noise(self, m: int, with_labels: bool = True) -> tuple[torch.Tensor, torch.Tensor | None]:
        """m latent vectors (m, latent_dim) and, for conditional models, uniform labels (m,);
        with `mode_seeking`, samples 2i and 2i + 1 share a label (the pairs it compares)."""
        z = torch.randn(m, self.config.latent_dim, generator=self.rng, device=self.device)
        labels = None
        if self.num_classes and with_labels:
            pairs = self.config.mode_seeking > 0.0
            labels = torch.randint(self.num_classes, (m // 2 if pairs else m,), generator=self.rng, device=self.device)
            labels = labels.repeat_interleave(2) if pairs else labels
        return z, labels

    def iteration(self) -> dict[str, torch.Tensor]:
        """One iteration of Algorithm 1; returns the step's losses and mean D outputs (on device)."""
        config, m, G, D = self.config, self.config.batch_size, self.G, self.D

        # (1) Update D, k times: maximise log D(x) + log(1 - D(G(z))), i.e. minimise the
        # discriminator loss, each time on a fresh minibatch of m real and m generated samples.
        for step in range(config.k):
            if config.pack_by_label:   # each pack of real and of fake samples shows D one digit's variety
                real, real_labels = self.data.sample_by_label(m, config.pack, self.rng)   # (m, *shape)
                z, _ = self.noise(m, with_labels=False)
                fake_labels = real_labels[torch.randperm(m // config.pack, generator=self.rng, device=self.device)
                                          .repeat_interleave(config.pack) * config.pack]
            else:
                real, real_labels = self.data.sample(m, self.rng)              # (m, *shape)
                real_labels = real_labels if self.num_classes else None       # MNIST has labels; only cGANs use them
                z, fake_labels = self.noise(m)
            if config.r1_gamma > 0.0:
                real.requires_grad_(True)
            with self.autocast():
                with torch.set_grad_enabled(step == config.k - 1):   # only the last fakes feed G's step
                    fake = G(z, fake_labels)                                   # (m, *shape)
                real_logits, fake_logits, real_classes, fake_classes = self.judge(real, real_labels, fake.detach(),
                                                                                  fake_labels)
            loss_d = discriminator_loss(real_logits, fake_logits, config.loss, config.label_smoothing)
            if real_classes is not None:   # AC-GAN: D also learns to name the digit of real images
                loss_d = loss_d + self.naming_loss(real_classes, real_labels)
            if fake_classes is not None:   # ... and of each generated one: the digit it was asked for
                # (aux_fake, AC-GAN as published), or that it is generated (fake_class, AM-GAN)
                fake_term = (self.generated_loss(fake_classes) if config.fake_class
                             else self.naming_loss(fake_classes, fake_labels))
                loss_d = loss_d + fake_term
            if config.r1_gamma > 0.0:
                loss_d = loss_d + r1_penalty(real, real_logits, config.r1_gamma)
            self.opt_d.zero_grad(set_to_none=True)
            loss_d.backward()
            self.opt_d.step()

        # (2) Update G once, on the last fakes: minimise log(1 - D(G(z))) (minimax) or
        # -log D(G(z)) (non-saturating) against the just-updated D. D's weights are frozen
        # so its backward pass only carries the gradient through to G.
        D.requires_grad_(False)
        aux = config.aux_weight > 0.0
        with self.autocast():
            g_out = D(fake, fake_labels, with_classes=aux)                     # (m / pack,) [, (m / pack, classes)]
        g_logits, g_classes = g_out if aux else (g_out, None)
        loss_g = generator_loss(g_logits, config.loss)
        if aux:   # ... and G is rewarded when D names the digit it was asked for
            loss_g = loss_g + self.naming_loss(g_classes, fake_labels)
        if config.mode_seeking > 0.0:   # ... and penalised when two z (of one digit) give alike samples
            loss_g = loss_g + mode_seeking_penalty(z, fake, config.mode_seeking)
        self.opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        self.opt_g.step()
        D.requires_grad_(True)
        if self.ema is not None:
            self.ema.update()
        for schedule in self.schedules:
            schedule.step()
        return {"loss_d": loss_d.detach(), "loss_g": loss_g.detach(),
                "d_real": discriminator_probability(real_logits.detach(), config.loss).mean(),
                "d_fake": discriminator_probability(fake_logits.detach(), config.loss).mean()}

    def naming_loss(self, classes: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        """The AC-GAN term: `aux_weight` times the cross-entropy of D's class logits for each
        pack (m / pack, classes) against the pack's digit (one label per pack)."""
        return self.config.aux_weight * F.cross_entropy(classes.float(), labels[::self.config.pack])

    def generated_loss(self, classes: torch.Tensor) -> torch.Tensor:
        """The AM-GAN term for generated packs: `aux_weight` times the cross-entropy of D's
        class logits (m / pack, classes + 1) against the last class, "generated"."""
        generated = torch.full((classes.shape[0],), classes.shape[1] - 1, dtype=torch.long, device=classes.device)
        return self.config.aux_weight * F.cross_entropy(classes.float(), generated)

    def judge(self, real: torch.Tensor, real_labels: torch.Tensor | None, fake: torch.Tensor,
              fake_labels: torch.Tensor | None
              ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None, torch.Tensor | None]:
        """D's logits for the real and the fake minibatch, (m / pack,) each; with an auxiliary
        classifier (aux_weight > 0) its class logits for the real one, and with `aux_fake` or
        `fake_class` for the fake one too (else None).

        Without batch norm D treats every sample (pack) on its own, so both go through in one
        pass of twice the size, which runs faster than two; batch norm must see them apart,
        as in DCGAN, or it would mix real and fake statistics.
        """
        aux = self.config.aux_weight > 0.0
        aux_fake = self.config.aux_fake or self.config.fake_class   # validate() makes either imply aux
        if self.joint_pass:
            labels = None if real_labels is None else torch.cat((real_labels, fake_labels))
            out = self.D(torch.cat((real, fake)), labels, with_classes=aux)
            logits, classes = out if aux else (out, None)                      # (2m / pack,) [, (2m / pack, classes)]
            real_logits, fake_logits = logits.split(logits.shape[0] // 2)
            real_classes, fake_classes = (None, None) if classes is None else classes.split(real_logits.shape[0])
            return real_logits, fake_logits, real_classes, fake_classes if aux_fake else None
        out = self.D(real, real_labels, with_classes=aux)
        real_logits, real_classes = out if aux else (out, None)
        out = self.D(fake, fake_labels, with_classes=aux_fake)
        fake_logits, fake_classes = out if aux_fake else (out, None)
        return real_logits, fake_logits, real_classes, fake_classes


def train(config: RunConfig, device: str = "auto", callbacks: TrainingCallbacks | None = None,
          judge: ImageJudge | None = None) -> TrainResult:
    """Train a GAN as `config` says; report through `callbacks`; return the models and status.

    `judge(generator, final)`, when given, scores an image generator at each snapshot
    (`final` at the last one); its metrics join the snapshot's (the worker passes
    `judge.quality.SnapshotJudge` for MNIST runs; this layer does not know the classifiers).
    Raises ConfigError for an invalid configuration or unavailable device and DataError for
    missing or unreadable data, both before any training step.
    """
    config = config.validate()
    torch_device = resolve_device(device)
    callbacks = callbacks or TrainingCallbacks()
    configure_threads(small_model=config.is_toy)
    start = time.perf_counter()
    loop = _Loop(config, torch_device, load_real_data(config, torch_device))
    observer = snapshots.Observer(config, torch_device, judge)
    total = config.iterations

    def result(status: str, iteration: int, message: str = "") -> TrainResult:
        return TrainResult(status, loop.sampling_generator.eval(), loop.D.eval(), dict(observer.latest_metrics),
                           time.perf_counter() - start, str(torch_device), message, iteration,
                           "bf16" if loop.bf16 else "fp32", last_scalars)

    last_scalars: dict[str, float] = {}
    observer.snapshot(0, loop.sampling_generator, loop.D, callbacks)
    for iteration in range(1, total + 1):
        if callbacks.should_stop():
            return result("cancelled", iteration - 1, f"Stopped at iteration {iteration - 1} of {total}.")
        step = loop.iteration()
        log_now = iteration % config.log_every == 0 or iteration == total
        snapshot_now = iteration % config.snapshot_every == 0 or iteration == total
        if log_now or snapshot_now:
            scalars = {name: float(value) for name, value in step.items()}
            if not all(math.isfinite(value) for value in scalars.values()):
                bad = ", ".join(name for name, value in scalars.items() if not math.isfinite(value))
                return result("diverged", iteration,
                              f"Diverged: {bad} became non-finite by iteration {iteration} of {total}. "
                              "Try smaller learning rates.")
            scalars["seconds"] = time.perf_counter() - start
            last_scalars = scalars
            if log_now:
                callbacks.on_log(iteration, total, dict(scalars))
        if snapshot_now:
            observer.snapshot(iteration, loop.sampling_generator, loop.D, callbacks, final=iteration == total)
    return result("done", total)
