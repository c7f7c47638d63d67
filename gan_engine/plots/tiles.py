"""Tiling a stack of images into one picture (NumPy only): the one tiler the Training page's
snapshot grid and the Gallery's sheets share."""

from __future__ import annotations

import numpy as np

from gan_engine.errors import ConfigError


def to_uint8(images: np.ndarray) -> np.ndarray:
    """Images in [0, 1] (any float dtype) or uint8 as uint8 0..255, same shape."""
    images = np.asarray(images)
    if images.dtype == np.uint8:
        return images
    return (np.clip(images, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)


def tile_images(images: np.ndarray, columns: int, pad: int = 2, pad_value: int = 255,
                border: bool = False) -> np.ndarray:
    """Tile images (N, H, W) or (N, H, W, 3) into one uint8 picture, row-major.

    Returns (rows·(H+pad)−pad, columns·(W+pad)−pad[, 3]), or with `border` a padding of
    `pad` around the whole sheet as well; unfilled cells of the last row stay padding.
    """
    images = to_uint8(images)
    if images.ndim not in (3, 4) or len(images) == 0:
        raise ConfigError(f"Tiling needs a non-empty stack (N, H, W[, 3]); got shape {images.shape}.")
    if columns < 1:
        raise ConfigError(f"A grid needs at least one column; got {columns}.")
    n, h, w = images.shape[:3]
    rows = -(-n // columns)
    edge = pad if border else 0
    shape = (rows * (h + pad) - pad + 2 * edge, columns * (w + pad) - pad + 2 * edge) + images.shape[3:]
    sheet = np.full(shape, pad_value, np.uint8)
    for i in range(n):
        r, c = divmod(i, columns)
        top, left = edge + r * (h + pad), edge + c * (w + pad)
        sheet[top:top + h, left:left + w] = images[i]
    return sheet
