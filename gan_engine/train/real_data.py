"""Real minibatches for training: a run's target turned into one tensor held on the device.

Drawing a minibatch is then a single `randint` plus an index into that tensor, with no
Python loop, DataLoader or host-to-device copy per step.

- Toy targets: a pool of `TOY_POOL_SIZE` samples drawn once from `distributions.toy_target`
  with a NumPy generator seeded by the run's seed; minibatches are drawn from the pool with
  replacement. 262,144 samples are many more than a run's distinct draws matter for, so the
  pool behaves like the distribution itself.
- MNIST: `data.load_mnist` (the path in the config, else `$GAN_EXPLORER_DATA`, the per-user
  folder, a download). Training uses the "fit" part of `data.holdout_split(data, 0.2, 0)`,
  so the 20% hold-out that the Gallery's evaluator judges generated digits against is never
  seen by a generator.
- Faces: `data.load_faces(config.data_path, config.image_size)`.

Images stay uint8 on the device (a fourth of the memory; 20,000 64x64 faces are 246 MB
instead of 983 MB) and each minibatch is converted to float32 in [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch

from gan_engine.config import RunConfig
from gan_engine.data import holdout_split, load_faces, load_mnist
from gan_engine.theory.distributions import toy_target
from gan_engine.errors import DataError

TOY_POOL_SIZE = 2 ** 18
MNIST_HOLDOUT_FRACTION = 0.2
MNIST_SPLIT_SEED = 0


@dataclass
class RealData:
    """Real samples on a device, and how to draw minibatches from them.

    samples: (N, d) float32 for toys, (N, C, H, W) uint8 for images.
    labels: int64 (N,) class labels, or None when the target has none.
    description: one line for people (which data, how many samples).
    """

    samples: torch.Tensor
    labels: torch.Tensor | None
    description: str
    _by_label: tuple[torch.Tensor, torch.Tensor, torch.Tensor] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return self.samples.shape[0]

    def sample(self, m: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor | None]:
        """m samples drawn uniformly with replacement: float32 (m, d) or (m, C, H, W) in [0, 1], labels (m,)."""
        index = torch.randint(len(self), (m,), generator=generator, device=self.samples.device)
        return self._take(index)

    def sample_by_label(self, m: int, pack: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        """m labelled samples in m / pack groups of `pack` consecutive samples of one label.

        Each group's label is that of a uniformly drawn sample (so labels keep the data's
        frequencies); its members are drawn uniformly, with replacement, among that label's
        samples. Returns (float32 (m, C, H, W) in [0, 1], labels (m,)).
        """
        if self.labels is None:
            raise DataError(f"{self.description}: no labels to group samples by.")
        if self._by_label is None:       # sample indices sorted by label, and where each label's run starts
            order = torch.argsort(self.labels, stable=True)
            counts = torch.bincount(self.labels)
            self._by_label = (order, torch.cumsum(counts, 0) - counts, counts)
        order, starts, counts = self._by_label
        device = self.samples.device
        groups = self.labels.index_select(0, torch.randint(len(self), (m // pack,), generator=generator,
                                                           device=device))                      # (m/pack,)
        offsets = torch.rand(m // pack, pack, generator=generator, device=device) * counts[groups, None]
        index = order.index_select(0, (starts[groups, None] + offsets.long()).reshape(-1))        # (m,)
        return self._take(index)

    def _take(self, index: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        batch = self.samples.index_select(0, index)
        if batch.dtype == torch.uint8:
            batch = batch.float().div_(255.0)
        return batch, (None if self.labels is None else self.labels.index_select(0, index))


def load_real_data(config: RunConfig, device: torch.device) -> RealData:
    """The real data of `config.target` on `device`; DataError when it cannot be found or read."""
    if config.is_toy:
        return _toy_pool(config, device)
    if config.target == "mnist":
        return _mnist(config, device)
    return _faces(config, device)


def _toy_pool(config: RunConfig, device: torch.device) -> RealData:
    target = toy_target(config.target)
    pool = target.sample(TOY_POOL_SIZE, np.random.default_rng(config.seed))
    pool = np.asarray(pool, dtype=np.float32).reshape(TOY_POOL_SIZE, config.data_dim)   # (N, d)
    return RealData(torch.from_numpy(pool).to(device), None,
                    f"{config.target}: {TOY_POOL_SIZE:,} samples drawn from {target}")


def _mnist(config: RunConfig, device: torch.device) -> RealData:
    data = load_mnist(config.data_path or None)
    fit, _ = holdout_split(data, MNIST_HOLDOUT_FRACTION, MNIST_SPLIT_SEED)
    if len(fit) == 0:
        raise DataError(f"{data.describe()}: no images left to train on.")
    images = torch.from_numpy(np.ascontiguousarray(fit.images)).unsqueeze(1)           # (N, 1, 28, 28) uint8
    labels = torch.from_numpy(fit.labels.astype(np.int64))
    return RealData(images.to(device), labels.to(device), fit.describe())


def _faces(config: RunConfig, device: torch.device) -> RealData:
    if not config.data_path:
        raise DataError("The faces target needs a data file: set data_path to an HDF5 file in the notebook's "
                        "format (group 'img_align_celeba'), or convert a folder of images with the "
                        "convert-faces command.")
    faces = load_faces(config.data_path, image_size=config.image_size)                   # (N, S, S, 3) uint8
    images = torch.from_numpy(np.ascontiguousarray(faces.transpose(0, 3, 1, 2)))        # (N, 3, S, S)
    return RealData(images.to(device), None, f"faces: {len(faces):,} images of {config.image_size}px "
                                             f"from {config.data_path}")
