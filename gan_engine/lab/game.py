"""The Lab's game: Algorithm 1 of Goodfellow et al. (2014) played one step at a time.

A `LabGame` holds a small generator G and discriminator D (the toy preset's own MLPs, from
`gan_engine.train.models`), their optimisers and a pool of real samples, and moves only when
asked: `step_d()` (one discriminator update), `step_g()` (one generator update), `round()`
(k discriminator updates, then one generator update) and `play(rounds)`. Settings (k, both
learning rates, the loss, the optimiser) may change between any two steps and apply from the
next one, as in GAN Lab. The losses are the training core's (`gan_engine.train.losses`,
logits everywhere), without the stabilisers a full run adds (R1, EMA, learning-rate decay):
the Lab shows the plain game.

Every action first saves the state it starts from in a bounded history (`HISTORY` states),
so `back()` returns to exactly that state: weights, optimiser moments, the random generator
and the step counters (the curves are cut back to the same step). `reset()` starts again
from the first state. A step whose loss or weights stop being finite, or whose weights or
samples grow past any sensible size, leaves the game "diverged": the weights go back to the
last finite state, steps are refused (`GameDiverged`) until `back()` or `reset()`, and
`divergence` says what happened.

Memory stays small by construction (a few MB, see `memory_bytes()`): the networks have tens
of thousands of weights, the history keeps at most `HISTORY` copies, the curves at most
`LOG_CAPACITY` rows (thinned by half when full, so the whole game stays drawn).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field, replace

import numpy as np
import torch

from gan_engine.config import LOSSES, OPTIMIZERS, PRESETS, RunConfig
from gan_engine.errors import GanExplorerError
from gan_engine.lab.data import LabTarget
from gan_engine.train.losses import discriminator_loss, discriminator_probability, generator_loss
from gan_engine.train.loop import configure_threads
from gan_engine.train.models import build_models

HISTORY = 20                 # states `back()` can return to
LOG_CAPACITY = 4096          # per-step curve rows kept (thinned by half when full)
POOL_SIZE = 16384            # real samples drawn once per game; minibatches index into it
K_RANGE = (1, 20)
LR_RANGE = (1e-5, 10.0)
MAX_ROUNDS_PER_CALL = 200    # what one `play()` may do
# Divergence: a weight or a generated sample this large (in absolute value) means the game
# has left any sensible region long before float32 overflows.
PARAM_LIMIT = 1e4
SAMPLE_LIMIT = 1e4
VIEW_LOG_CAPACITY = 1024     # per-view quality measures kept (thinned by half when full)
LOG_COLUMNS = ("step", "kind", "loss_d", "loss_g", "d_real", "d_fake")   # kind: 0 = D step, 1 = G step


class GameDiverged(GanExplorerError):
    """A step was asked of a diverged game; `back()` or `reset()` first."""


@dataclass(frozen=True)
class LabSettings:
    """What the student may change between steps. Learning rates per optimiser step."""

    k: int = 1
    lr_d: float = 1e-3
    lr_g: float = 1e-3
    loss: str = "nonsaturating"
    optimizer: str = "adam"


def settings_for(preset: str) -> LabSettings:
    """The preset's own k, learning rates, loss and optimiser."""
    config = PRESETS[preset]
    return LabSettings(config.k, config.lr_d, config.lr_g, config.loss, config.optimizer)


def clamp_settings(k: object, lr_d: object, lr_g: object, loss: object, optimizer: object,
                   fallback: LabSettings = LabSettings()) -> tuple[LabSettings, tuple[tuple[str, dict], ...]]:
    """Settings brought into range, and a note for each value that had to change.

    k is rounded and clamped to K_RANGE, learning rates clamped to LR_RANGE; a value that is
    not a number, or an unknown loss or optimiser, takes `fallback`'s. Notes are
    ("clamped", {name, given, used}) or ("ignored", {name, used}).
    """
    notes: list[tuple[str, dict]] = []

    def number(name: str, value: object, low: float, high: float, default: float, integer: bool) -> float:
        try:
            number = float(value)                                  # type: ignore[arg-type]
        except (TypeError, ValueError):
            number = math.nan
        if not math.isfinite(number):
            notes.append(("ignored", {"name": name, "used": default}))
            return default
        used = min(max(number, low), high)
        used = int(round(used)) if integer else used
        if used != number:
            notes.append(("clamped", {"name": name, "given": f"{number:g}", "used": f"{used:g}"}))
        return used

    result = LabSettings(
        k=int(number("k", k, *K_RANGE, fallback.k, True)),
        lr_d=number("lr_d", lr_d, *LR_RANGE, fallback.lr_d, False),
        lr_g=number("lr_g", lr_g, *LR_RANGE, fallback.lr_g, False),
        loss=loss if loss in LOSSES else fallback.loss,
        optimizer=optimizer if optimizer in OPTIMIZERS else fallback.optimizer,
    )
    for name, given, used in (("loss", loss, result.loss), ("optimizer", optimizer, result.optimizer)):
        if given != used:
            notes.append(("ignored", {"name": name, "used": used}))
    return result, tuple(notes)


def _cloned(value: object) -> object:
    """A copy of a state dict: tensors cloned, containers rebuilt, numbers and strings shared.

    About three times faster than `copy.deepcopy` on these dicts, and every action saves one.
    """
    if isinstance(value, torch.Tensor):
        return value.detach().clone()
    if isinstance(value, dict):
        return type(value)((key, _cloned(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return type(value)(_cloned(item) for item in value)
    return value


@dataclass
class _State:
    """One restorable moment of the game (what `back()` returns to)."""

    g: dict
    d: dict
    opt_d: dict
    opt_g: dict
    optimizer: str
    rng: torch.Tensor
    steps: int
    rounds: int
    last: dict


@dataclass
class Divergence:
    """Why the game stopped: the step it happened at and what went wrong."""

    step: int
    reason: str          # "nonfinite_loss" | "nonfinite_weights" | "exploded_weights" | "exploded_samples"
    learning_rates: tuple[float, float]


@dataclass
class LabGame:
    """One student's game on `target`; see the module docstring."""

    target: LabTarget
    settings: LabSettings
    seed: int = 0
    config: RunConfig = field(init=False)

    def __post_init__(self) -> None:
        configure_threads(small_model=True)
        self.config = PRESETS[self.target.preset]
        self.settings, _ = clamp_settings(**vars(self.settings))
        with torch.random.fork_rng(devices=[]):   # seeded weights without touching the caller's RNG
            torch.manual_seed(self.seed)
            self.G, self.D = build_models(self.config)
        numpy_rng = np.random.default_rng(self.seed)
        self.pool = torch.from_numpy(self.target.sample(POOL_SIZE, numpy_rng))          # (P, dim)
        self.rng = torch.Generator().manual_seed(self.seed)
        self._build_optimizers()
        self.steps = self.rounds = 0
        self.last: dict = {"kind": "start"}
        self.divergence: Divergence | None = None
        self.history: deque[_State] = deque(maxlen=HISTORY)
        self._log_rows = np.zeros((LOG_CAPACITY, len(LOG_COLUMNS)))
        self._log_count = 0
        self.view_log: list[tuple[int, dict[str, float]]] = []    # (step, measures) per view
        self.version = 0               # bumped by every change the views depend on
        self._initial = self._capture()

    # ---- settings ---------------------------------------------------------------------------

    @property
    def batch_size(self) -> int:
        return self.config.batch_size

    @property
    def latent_dim(self) -> int:
        return self.config.latent_dim

    def apply_settings(self, settings: LabSettings) -> tuple[tuple[str, dict], ...]:
        """Use `settings` from the next step on; returns the notes of `clamp_settings`.

        A new learning rate keeps the optimiser's moments; a new optimiser starts fresh ones.
        """
        settings, notes = clamp_settings(**vars(settings), fallback=self.settings)
        if settings == self.settings:
            return notes
        rebuild = settings.optimizer != self.settings.optimizer
        self.settings = settings
        if rebuild:
            self._build_optimizers()
        else:
            self._set_learning_rates()
        self.version += 1
        return notes

    def _optimizer(self, params) -> torch.optim.Optimizer:
        """The preset's optimiser (Adam with its betas, or SGD with momentum beta1)."""
        if self.settings.optimizer == "sgd":
            return torch.optim.SGD(params, lr=1e-3, momentum=self.config.beta1)
        return torch.optim.Adam(params, lr=1e-3, betas=(self.config.beta1, self.config.beta2), foreach=True)

    def _build_optimizers(self) -> None:
        self.opt_d, self.opt_g = self._optimizer(self.D.parameters()), self._optimizer(self.G.parameters())
        self._set_learning_rates()

    def _set_learning_rates(self) -> None:
        for optimizer, lr in ((self.opt_d, self.settings.lr_d), (self.opt_g, self.settings.lr_g)):
            for group in optimizer.param_groups:
                group["lr"] = lr

    # ---- the moves ----------------------------------------------------------------------------

    def step_d(self) -> None:
        """One discriminator update (saved for `back()` first)."""
        self._begin("d")
        self._update_d()
        self._end("d")

    def step_g(self) -> None:
        """One generator update (saved for `back()` first)."""
        self._begin("g")
        self._update_g()
        self._end("g")

    def round(self) -> None:
        """One round of Algorithm 1: k discriminator updates, then one generator update."""
        self.play(1)

    def play(self, rounds: int) -> None:
        """`rounds` rounds (clamped to 1..MAX_ROUNDS_PER_CALL) as one action: one `back()` undoes them all.

        Stops early, diverged, when a step diverges.
        """
        rounds = int(min(max(rounds, 1), MAX_ROUNDS_PER_CALL))
        self._begin("round")
        for _ in range(rounds):
            for _ in range(self.settings.k):
                if not self._update_d():
                    return self._end("round")
            if not self._update_g():
                break
            self.rounds += 1
        self._end("round")

    def back(self) -> bool:
        """Return to the state before the last action; False when there is none left.

        Also leaves a diverged state (the history holds only finite ones).
        """
        if not self.history:
            return False
        self._restore(self.history.pop())
        self.divergence = None
        return True

    def reset(self) -> None:
        """Start the game again from its first state (the settings stay as they are)."""
        self._restore(self._initial)
        self.history.clear()
        self.divergence = None

    @property
    def diverged(self) -> bool:
        return self.divergence is not None

    @property
    def can_go_back(self) -> int:
        """How many states `back()` can still return to."""
        return len(self.history)

    # ---- one update each ------------------------------------------------------------------------

    def _real(self, m: int) -> torch.Tensor:
        index = torch.randint(len(self.pool), (m,), generator=self.rng)
        return self.pool.index_select(0, index)                                          # (m, dim)

    def _noise(self, m: int) -> torch.Tensor:
        return torch.randn(m, self.latent_dim, generator=self.rng)                       # (m, latent)

    def _update_d(self) -> bool:
        """Update D: maximise log D(x) + log(1 - D(G(z))) on a fresh minibatch. False if diverged."""
        m, loss = self.batch_size, self.settings.loss
        real = self._real(m)
        with torch.no_grad():
            fake = self.G(self._noise(m))                                                # (m, dim)
        real_logits, fake_logits = self.D(torch.cat((real, fake))).split(m)             # (m,) each
        loss_d = discriminator_loss(real_logits, fake_logits, loss)
        self.opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        self.opt_d.step()
        self.steps += 1
        value = float(loss_d.detach())
        d_real = float(discriminator_probability(real_logits.detach(), loss).mean())
        d_fake = float(discriminator_probability(fake_logits.detach(), loss).mean())
        self.last = {"kind": "d", "loss_d": value, "d_real": d_real, "d_fake": d_fake,
                     "loss_g": self.last.get("loss_g", math.nan)}
        self._append_log(0, value, self.last["loss_g"], d_real, d_fake)
        return self._check(value, self.D, fake)

    def _update_g(self) -> bool:
        """Update G: minimise the generator loss against the current D (D's weights frozen)."""
        m, loss = self.batch_size, self.settings.loss
        fake = self.G(self._noise(m))                                                    # (m, dim)
        self.D.requires_grad_(False)
        try:
            logits = self.D(fake)                                                        # (m,)
            loss_g = generator_loss(logits, loss)
            self.opt_g.zero_grad(set_to_none=True)
            loss_g.backward()
            self.opt_g.step()
        finally:
            self.D.requires_grad_(True)
        self.steps += 1
        value = float(loss_g.detach())
        d_fake = float(discriminator_probability(logits.detach(), loss).mean())
        self.last = {"kind": "g", "loss_g": value, "d_fake": d_fake,
                     "loss_d": self.last.get("loss_d", math.nan), "d_real": self.last.get("d_real", math.nan)}
        self._append_log(1, self.last["loss_d"], value, self.last["d_real"], d_fake)
        return self._check(value, self.G, fake.detach())

    def _check(self, loss: float, model: torch.nn.Module, samples: torch.Tensor) -> bool:
        """Mark the game diverged (and return False) when this step left sensible ground."""
        reason = None
        largest = max(float(p.detach().abs().max()) for p in model.parameters())
        if not math.isfinite(loss):
            reason = "nonfinite_loss"
        elif not math.isfinite(largest):
            reason = "nonfinite_weights"
        elif largest > PARAM_LIMIT:
            reason = "exploded_weights"
        elif not bool(torch.isfinite(samples).all()) or float(samples.abs().max()) > SAMPLE_LIMIT:
            reason = "exploded_samples"
        if reason is None:
            return True
        self.divergence = Divergence(self.steps, reason, (self.settings.lr_d, self.settings.lr_g))
        return False

    # ---- actions, history and curves --------------------------------------------------------------

    def _begin(self, kind: str) -> None:
        if self.diverged:
            raise GameDiverged("The game has diverged: press Back or Reset (and lower the learning rates).",
                               message_id="lab_diverged_step")
        configure_threads(small_model=True)
        self.history.append(self._capture())

    def _end(self, kind: str) -> None:
        self.last = {**self.last, "action": kind}
        if self.diverged:
            # Show the last finite state, not the wreck: the weights go back, the counters
            # and curves keep the step that diverged out (the notice names it).
            step = self.divergence.step
            self._restore(self.history[-1])
            self.history.pop()
            self.divergence.step = step
        self.version += 1

    def _capture(self) -> _State:
        return _State(g=_cloned(self.G.state_dict()), d=_cloned(self.D.state_dict()),
                      opt_d=_cloned(self.opt_d.state_dict()), opt_g=_cloned(self.opt_g.state_dict()),
                      optimizer=self.settings.optimizer, rng=self.rng.get_state(), steps=self.steps,
                      rounds=self.rounds, last=dict(self.last))

    def _restore(self, state: _State) -> None:
        self.G.load_state_dict(state.g)
        self.D.load_state_dict(state.d)
        self._build_optimizers()
        if state.optimizer == self.settings.optimizer:
            self.opt_d.load_state_dict(_cloned(state.opt_d))
            self.opt_g.load_state_dict(_cloned(state.opt_g))
            self._set_learning_rates()           # the saved groups carry the old rates
        self.rng.set_state(state.rng)
        self.steps, self.rounds, self.last = state.steps, state.rounds, dict(state.last)
        self._truncate_log(self.steps)
        self.version += 1

    def _append_log(self, kind: int, loss_d: float, loss_g: float, d_real: float, d_fake: float) -> None:
        if self._log_count == LOG_CAPACITY:       # thin by half: the whole game stays drawn
            kept = self._log_rows[1::2].copy()
            self._log_rows[: len(kept)] = kept
            self._log_count = len(kept)
        self._log_rows[self._log_count] = (self.steps, kind, loss_d, loss_g, d_real, d_fake)
        self._log_count += 1

    def _truncate_log(self, steps: int) -> None:
        rows = self._log_rows[: self._log_count]
        self._log_count = int(np.searchsorted(rows[:, 0], steps, side="right"))
        self.view_log = [row for row in self.view_log if row[0] <= steps]

    def record_view(self, step: int, measures: dict[str, float]) -> None:
        """Keep a view's quality measures (JSD, modes, ...) for the curves; one row per step."""
        if self.view_log and self.view_log[-1][0] == step:
            self.view_log.pop()
        elif len(self.view_log) >= VIEW_LOG_CAPACITY:
            self.view_log = self.view_log[1::2]
        self.view_log.append((step, dict(measures)))

    def view_curves(self) -> dict[str, np.ndarray]:
        """The recorded measures as arrays: "step" and one (n,) array per measure name."""
        names = list(self.view_log[-1][1]) if self.view_log else []
        out = {"step": np.array([step for step, _ in self.view_log], dtype=float)}
        out.update({name: np.array([row.get(name, np.nan) for _, row in self.view_log], dtype=float)
                    for name in names})
        return out

    def curves(self) -> dict[str, np.ndarray]:
        """The per-step curves so far: one (n,) array per LOG_COLUMNS name (a copy)."""
        rows = self._log_rows[: self._log_count]
        return {name: rows[:, index].copy() for index, name in enumerate(LOG_COLUMNS)}

    def memory_bytes(self) -> int:
        """Bytes held by the game's arrays and tensors: networks, optimisers, history, pool, curves."""
        def size(value: object) -> int:
            if isinstance(value, torch.Tensor):
                return value.numel() * value.element_size()
            if isinstance(value, np.ndarray):
                return value.nbytes
            if isinstance(value, dict):
                return sum(size(v) for v in value.values())
            if isinstance(value, (list, tuple)):
                return sum(size(v) for v in value)
            if isinstance(value, _State):
                return sum(size(v) for v in vars(value).values())
            return 0

        live = [self.G.state_dict(), self.D.state_dict(), self.opt_d.state_dict(), self.opt_g.state_dict()]
        return (size(live) + size(list(self.history)) + size(self._initial) + size(self.pool)
                + size(self._log_rows))

    def with_settings(self, **changes: object) -> LabSettings:
        """The current settings with some fields changed (not applied)."""
        return replace(self.settings, **changes)
