"""Generator and discriminator networks: MLPs (plain and conditional) and a DCGAN-style conv pair.

Conventions shared by every model here:

- A generator maps noise z, float32 (B, latent_dim), and for conditional models class labels,
  to samples: (B, d) for toy targets, (B, C, H, W) images in [0, 1] (a sigmoid output, the
  range MNIST pixels / 255 live in).
- A discriminator returns raw scores, logits (B // pack,): the losses apply the sigmoid
  themselves (`losses.py`), which is numerically stable where sigmoid + BCELoss is not.
- Conditional models take labels either as int64 class indices (B,) or as float class
  weights (B, num_classes); weights let the Gallery morph one digit into another. The label
  is fed to both networks as a one-hot vector (concatenated to z, to the flattened image,
  or as constant planes beside a conv discriminator's image channels); with
  `conditioning="projection"` the discriminator takes it through a `LabelProjection` instead,
  and with "both" in both ways.
- PacGAN (Lin et al. 2018): with `pack` > 1 the discriminator judges groups of `pack`
  samples at once, concatenated, so it can see a lack of diversity inside a group; the
  batch must be a multiple of `pack`.

Every model carries `latent_dim`, `num_classes` (0 = unconditional) and `data_shape`.
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F

from gan_engine.config import RunConfig
from gan_engine.errors import ConfigError

NUM_DIGIT_CLASSES = 10
MNIST_SHAPE = (1, 28, 28)


def data_shape(config: RunConfig) -> tuple[int, ...]:
    """Shape of one real sample for `config.target`: (d,) for toys, (C, H, W) for images."""
    if config.is_toy:
        return (config.data_dim,)
    if config.target == "mnist":
        return MNIST_SHAPE
    return (3, config.image_size, config.image_size)


def label_features(labels: torch.Tensor, num_classes: int, dtype: torch.dtype) -> torch.Tensor:
    """Class input as float (B, num_classes): one-hot for int (B,) labels, as given for weights."""
    if labels.ndim == 1 and not labels.is_floating_point():
        if labels.numel() and (int(labels.min()) < 0 or int(labels.max()) >= num_classes):
            raise ConfigError(f"Class labels must be in 0..{num_classes - 1}; got {labels.min()}..{labels.max()}.")
        return F.one_hot(labels, num_classes).to(dtype)
    if labels.ndim == 2 and labels.shape[1] == num_classes:
        return labels.to(dtype)
    raise ConfigError(f"Labels must be class indices (B,) or class weights (B, {num_classes}); "
                      f"got shape {tuple(labels.shape)}.")


def _check_labels(model: nn.Module, labels: torch.Tensor | None) -> None:
    if model.num_classes and labels is None:
        raise ConfigError("This model is conditional: pass class labels.")
    if not model.num_classes and labels is not None:
        raise ConfigError("This model is unconditional: it takes no class labels.")


def _norm1d(kind: str, width: int) -> nn.Module:
    return {"none": nn.Identity, "layernorm": nn.LayerNorm, "batchnorm": nn.BatchNorm1d}[kind](width)


def _norm2d(kind: str, channels: int) -> nn.Module:
    if kind == "batchnorm":
        return nn.BatchNorm2d(channels)
    if kind == "layernorm":
        return nn.GroupNorm(1, channels)   # one group = normalise over (C, H, W), as LayerNorm does
    return nn.Identity()


def _mlp_body(in_dim: int, hidden_dim: int, hidden_layers: int, slope: float, norm: str) -> nn.Sequential:
    """Hidden blocks Linear -> LeakyReLU -> norm, the order of the source notebook."""
    layers: list[nn.Module] = []
    for index in range(hidden_layers):
        layers += [nn.Linear(in_dim if index == 0 else hidden_dim, hidden_dim),
                   nn.LeakyReLU(slope), _norm1d(norm, hidden_dim)]
    return nn.Sequential(*layers)


class MLPGenerator(nn.Module):
    """z (B, latent_dim) [+ labels] -> samples (B, *data_shape).

    Toy targets get a linear output (samples live anywhere on the line or plane); images a
    sigmoid output in [0, 1], reshaped to (B, C, H, W).
    """

    def __init__(self, latent_dim: int, data_shape: tuple[int, ...], hidden_dim: int, hidden_layers: int,
                 leaky_slope: float, norm: str, num_classes: int = 0) -> None:
        super().__init__()
        self.latent_dim, self.num_classes, self.data_shape = latent_dim, num_classes, tuple(data_shape)
        self.is_image = len(self.data_shape) == 3
        self.body = _mlp_body(latent_dim + num_classes, hidden_dim, hidden_layers, leaky_slope, norm)
        self.out = nn.Linear(hidden_dim, math.prod(self.data_shape))

    def forward(self, z: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
        _check_labels(self, labels)
        if labels is not None:
            z = torch.cat((z, label_features(labels, self.num_classes, z.dtype)), dim=1)  # (B, L + classes)
        x = self.out(self.body(z))                                                        # (B, prod(shape))
        if self.is_image:
            x = torch.sigmoid(x)
        return x.view(-1, *self.data_shape)


class LabelProjection(nn.Module):
    """The class term of a projection discriminator (Miyato & Koyama 2018): <embed(y), φ(x)>.

    Instead of reading the label beside the pixels, D learns one direction per class in its
    feature space and adds how far the features φ(x) point along the asked-for class's
    direction. The label then acts on D's judgement directly, which makes a conditional
    generator follow its label much more faithfully. For packed samples the pack's label
    embeddings are summed.
    """

    def __init__(self, num_classes: int, features: int, pack: int) -> None:
        super().__init__()
        self.num_classes, self.pack = num_classes, pack
        self.embed = nn.Linear(num_classes, features, bias=False)

    def forward(self, labels: torch.Tensor, features: torch.Tensor) -> torch.Tensor:
        """labels (B,) or (B, classes); features (B // pack, F) -> (B // pack,)."""
        embedded = self.embed(label_features(labels, self.num_classes, features.dtype))   # (B, F)
        embedded = embedded.view(features.shape[0], self.pack, -1).sum(1)                # (B/pack, F)
        return (embedded * features).sum(1)


class MLPDiscriminator(nn.Module):
    """samples (B, *data_shape) [+ labels] -> logits (B // pack,).

    Labels are concatenated to the flattened input, as in the source notebook, or with
    `projection` enter through a `LabelProjection` of the last hidden features.
    """

    def __init__(self, data_shape: tuple[int, ...], hidden_dim: int, hidden_layers: int, leaky_slope: float,
                 norm: str, num_classes: int = 0, pack: int = 1, projection: bool = False,
                 concat: bool | None = None, classify: bool = False, fake_class: bool = False) -> None:
        super().__init__()
        self.num_classes, self.data_shape, self.pack = num_classes, tuple(data_shape), pack
        self.latent_dim = 0
        # label beside the input unless projected (or, with `concat`, beside it as well)
        self.concat = bool(num_classes) and (not projection if concat is None else concat)
        self.in_dim = math.prod(self.data_shape) + (num_classes if self.concat else 0)
        self.body = _mlp_body(self.in_dim * pack, hidden_dim, hidden_layers, leaky_slope, norm)
        self.out = nn.Linear(hidden_dim, 1)
        self.projection = LabelProjection(num_classes, hidden_dim, pack) if num_classes and projection else None
        self.classify = nn.Linear(hidden_dim, num_classes + fake_class) if num_classes and classify else None

    def forward(self, x: torch.Tensor, labels: torch.Tensor | None = None,
                with_classes: bool = False) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
        """Logits (B/pack,); with `with_classes`, also the class logits (B/pack, classes) of
        the auxiliary classifier (AC-GAN; only when built with `classify`; with `fake_class` its last
        column is the class "generated", AM-GAN)."""
        _check_labels(self, labels)
        x = x.reshape(x.shape[0], -1)                                                     # (B, prod(shape))
        if self.concat:
            x = torch.cat((x, label_features(labels, self.num_classes, x.dtype)), dim=1)  # (B, in_dim)
        features = self.body(_pack_rows(x, self.pack))                                    # (B/pack, hidden)
        return _read_out(self, features, labels, with_classes)


def _read_out(model: nn.Module, features: torch.Tensor, labels: torch.Tensor | None,
              with_classes: bool) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
    """A discriminator's logits from its last features (B/pack, F): the linear read-out plus the
    label projection when it has one; with `with_classes`, also its auxiliary class logits."""
    logits = model.out(features).squeeze(1)                                               # (B/pack,)
    if model.projection is not None:
        logits = logits + model.projection(labels, features)
    if not with_classes:
        return logits
    if model.classify is None:
        raise ConfigError("This discriminator has no auxiliary classifier (aux_weight is 0).")
    return logits, model.classify(features)                                               # (B/pack, classes)


def _check_pack(batch: int, pack: int) -> None:
    if batch % pack:
        raise ConfigError(f"A packed discriminator (pack={pack}) needs a batch that is a multiple of {pack}; "
                          f"got {batch}.")


def _pack_rows(x: torch.Tensor, pack: int) -> torch.Tensor:
    """(B, F) -> (B // pack, pack * F): consecutive rows side by side."""
    _check_pack(x.shape[0], pack)
    return x.reshape(x.shape[0] // pack, -1)


def conv_stages(image_size: int) -> tuple[int, int]:
    """(stages, base): an image side of `base * 2**stages`, halving while the side is even and > 7.

    28 -> (2, 7); 64 -> (4, 4); 32 -> (3, 4). Each stride-2 convolution halves the side.
    """
    stages, base = 0, image_size
    while base % 2 == 0 and base > 7:
        base //= 2
        stages += 1
    return stages, base


def _init_dcgan(module: nn.Module) -> None:
    """The DCGAN paper's initialisation: N(0, 0.02) convolutions, N(1, 0.02) norm scales."""
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
        nn.init.normal_(module.weight, 0.0, 0.02)
        if module.bias is not None:
            nn.init.zeros_(module.bias)
    elif isinstance(module, (nn.BatchNorm2d, nn.GroupNorm)):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)


class ConvGenerator(nn.Module):
    """DCGAN generator: z (B, latent_dim) [+ labels] -> images (B, C, S, S) in [0, 1].

    A linear projection to (base_channels, base, base), then stride-2 transposed convolutions
    (kernel 4, padding 1) that double the side and halve the channels, ReLU between them.
    """

    def __init__(self, latent_dim: int, data_shape: tuple[int, ...], width: int, norm: str,
                 num_classes: int = 0, class_norm: bool = False) -> None:
        super().__init__()
        self.latent_dim, self.num_classes, self.data_shape = latent_dim, num_classes, tuple(data_shape)
        channels, side = data_shape[0], data_shape[1]
        stages, self.base = conv_stages(side)
        self.base_channels = width * 2 ** max(stages - 1, 0)
        self.project = nn.Linear(latent_dim + num_classes, self.base_channels * self.base * self.base)
        layers: list[nn.Module] = [_norm2d(norm, self.base_channels), nn.ReLU()]
        c = self.base_channels
        for index in range(stages):
            last = index == stages - 1
            out_c = channels if last else c // 2
            layers.append(nn.ConvTranspose2d(c, out_c, 4, 2, 1, bias=last or norm == "none"))
            if not last:
                layers += [_norm2d(norm, out_c), nn.ReLU()]
            c = out_c
        if stages == 0:   # an odd side: the projection alone makes the image
            layers.append(nn.Conv2d(c, channels, 1))
        self.body = nn.Sequential(*layers)
        # Conditional normalisation (class_norm): after each norm layer the label adds its own
        # scale and shift per channel, x * (1 + gamma_y) + beta_y, so the digit acts on every
        # layer, not only on the input. Starts at zero: the plain generator.
        norms = [index for index, layer in enumerate(layers) if isinstance(layer, (nn.BatchNorm2d, nn.GroupNorm))]
        self.class_affine = nn.ModuleDict(
            {str(index): nn.Linear(num_classes, 2 * layers[index].num_channels if isinstance(layers[index], nn.GroupNorm)
                                   else 2 * layers[index].num_features, bias=False) for index in norms}
        ) if class_norm and num_classes else None
        self.apply(_init_dcgan)
        if self.class_affine is not None:
            for layer in self.class_affine.values():
                nn.init.zeros_(layer.weight)

    def forward(self, z: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
        _check_labels(self, labels)
        if labels is not None:
            classes = label_features(labels, self.num_classes, z.dtype)                 # (B, classes)
            z = torch.cat((z, classes), dim=1)                                           # (B, L + classes)
        x = self.project(z).view(-1, self.base_channels, self.base, self.base)          # (B, C0, base, base)
        if self.class_affine is None:
            return torch.sigmoid(self.body(x))                                           # (B, C, S, S)
        for index, layer in enumerate(self.body):
            x = layer(x)
            affine = self.class_affine[str(index)] if str(index) in self.class_affine else None
            if affine is not None:
                gamma, beta = affine(classes.to(x.dtype)).chunk(2, dim=1)               # (B, C) each
                x = x * (1 + gamma[:, :, None, None]) + beta[:, :, None, None]
        return torch.sigmoid(x)


class ConvDiscriminator(nn.Module):
    """DCGAN discriminator: images (B, C, S, S) [+ labels] -> logits (B // pack,).

    Stride-2 convolutions (kernel 4, padding 1) halve the side and double the channels,
    LeakyReLU between them and no normalisation on the first (as in DCGAN), then a linear
    read-out. Labels enter as one constant plane per class beside the image channels, or
    with `projection` through a `LabelProjection` of the flattened features; packed samples
    are stacked along the channel axis.
    """

    def __init__(self, data_shape: tuple[int, ...], width: int, leaky_slope: float, norm: str,
                 num_classes: int = 0, pack: int = 1, projection: bool = False, concat: bool | None = None,
                 classify: bool = False, fake_class: bool = False) -> None:
        super().__init__()
        self.num_classes, self.data_shape, self.pack = num_classes, tuple(data_shape), pack
        self.latent_dim = 0
        self.concat = bool(num_classes) and (not projection if concat is None else concat)
        stages, base = conv_stages(data_shape[1])
        layers: list[nn.Module] = []
        c_in, c = (data_shape[0] + (num_classes if self.concat else 0)) * pack, width
        for index in range(stages):
            layers.append(nn.Conv2d(c_in, c, 4, 2, 1, bias=index == 0 or norm == "none"))
            if index > 0:
                layers.append(_norm2d(norm, c))
            layers.append(nn.LeakyReLU(leaky_slope))
            c_in, c = c, c * 2
        self.body = nn.Sequential(*layers)
        self.out = nn.Linear(c_in * base * base, 1)
        self.projection = (LabelProjection(num_classes, c_in * base * base, pack)
                           if num_classes and projection else None)
        self.classify = (nn.Linear(c_in * base * base, num_classes + fake_class)
                         if num_classes and classify else None)
        self.apply(_init_dcgan)

    def forward(self, x: torch.Tensor, labels: torch.Tensor | None = None,
                with_classes: bool = False) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
        """Logits (B/pack,); with `with_classes`, also the auxiliary classifier's (B/pack, classes)."""
        _check_labels(self, labels)
        if self.concat:
            planes = label_features(labels, self.num_classes, x.dtype)[:, :, None, None]  # (B, classes, 1, 1)
            x = torch.cat((x, planes.expand(-1, -1, x.shape[2], x.shape[3])), dim=1)     # (B, C + classes, S, S)
        _check_pack(x.shape[0], self.pack)
        x = x.reshape(x.shape[0] // self.pack, -1, x.shape[2], x.shape[3])             # (B/pack, pack*C', S, S)
        features = self.body(x).flatten(1)                                               # (B/pack, F)
        return _read_out(self, features, labels, with_classes)


def build_models(config: RunConfig) -> tuple[nn.Module, nn.Module]:
    """(generator, discriminator) for a validated `config`, freshly initialised.

    Initialisation draws from torch's global generator: seed it first for reproducible weights.
    MLP widths are `hidden_dim` for `hidden_layers` blocks; for dcgan, `hidden_dim` is the
    channel count of the discriminator's first (and generator's last hidden) convolution.
    """
    config.validate()
    shape = data_shape(config)
    classes = NUM_DIGIT_CLASSES if config.conditional else 0
    projection = config.conditioning in ("projection", "both")
    concat = config.conditioning in ("concat", "both")
    classify = config.aux_weight > 0.0
    if config.arch == "dcgan":
        generator = ConvGenerator(config.latent_dim, shape, config.hidden_dim, config.norm, classes, config.class_norm)
        discriminator = ConvDiscriminator(shape, config.hidden_dim, config.leaky_slope, config.norm, classes,
                                          config.pack, projection, concat, classify, config.fake_class)
    else:
        generator = MLPGenerator(config.latent_dim, shape, config.hidden_dim, config.hidden_layers,
                                 config.leaky_slope, config.norm, classes)
        discriminator = MLPDiscriminator(shape, config.hidden_dim, config.hidden_layers, config.leaky_slope,
                                         config.norm, classes, config.pack, projection, concat, classify,
                                         config.fake_class)
    return generator, discriminator
