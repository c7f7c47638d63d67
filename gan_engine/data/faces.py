"""Faces in the source notebook's HDF5 format, and a converter from a folder of images.

The format: an HDF5 file with a group `img_align_celeba` holding one dataset per image,
named `0.jpg`, `1.jpg`, ... (the names are labels, not JPEG data), each an H×W×3 uint8
RGB array. Images may differ in size; the loader centre-crops each to a square and
resizes it, so every face comes out S×S×3.

The converter is strict about what it is given: every visible file in the folder must be
an image (.png, .jpg, .jpeg, .bmp, .gif, .webp, .tif, .tiff) that Pillow can decode, or
the conversion stops with a DataError naming the offending files, so a user never gets a
file that silently lacks some of their pictures. Hidden files (names starting with '.',
such as .DS_Store) and sub-folders are ignored.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import h5py
import numpy as np
from PIL import Image

from gan_engine.errors import DataError

FACES_GROUP = "img_align_celeba"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff")
# Largest height or width accepted for one stored image, in pixels: CelebA's are 218×178,
# and a forged dataset declaring 100000×100000 must not make us allocate 30 GB.
MAX_SIDE = 4096


def load_faces(path: str | Path, image_size: int = 64, limit: int | None = None) -> np.ndarray:
    """Read a faces HDF5 file as uint8 (N, image_size, image_size, 3).

    Images are taken in numeric order of their names (0.jpg, 1.jpg, ..., 10.jpg), at most
    `limit` of them; each is centre-cropped to a square of its shorter side and resized
    (bicubic, antialiased) to image_size pixels. Every dataset's type and shape is checked
    before any pixel is read.
    """
    if not isinstance(image_size, int) or image_size < 1:
        raise DataError(f"image_size must be a positive whole number of pixels; got {image_size!r}.")
    _check_limit(limit)
    path = _faces_file(path)
    try:
        with h5py.File(path, "r") as handle:
            datasets = _image_datasets(handle, path, limit)
            faces = np.empty((len(datasets), image_size, image_size, 3), dtype=np.uint8)
            for index, dataset in enumerate(datasets):
                faces[index] = square_resize(dataset[()], image_size)
            return faces
    except OSError as exc:
        raise DataError(f"{path} cannot be read as HDF5; it is damaged or truncated ({exc}).") from None


def check_faces(path: str | Path, max_pixels: int | None = None) -> int:
    """Check a faces HDF5 file without decoding its pixels; return how many images it holds.

    Everything `load_faces` checks before reading pixels (the group, each dataset's type,
    shape and size), plus that each image's stored bytes lie inside the file, so a file
    cut short is found here rather than halfway through training, and, with `max_pixels`,
    that the images declare at most that many pixels in all (a few compressed megabytes can
    declare days of decoding). Raises DataError.
    """
    path = _faces_file(path)
    try:
        size = path.stat().st_size
        with h5py.File(path, "r") as handle:
            datasets = _image_datasets(handle, path, None)
            pixels = sum(dataset.shape[0] * dataset.shape[1] for dataset in datasets)
            if max_pixels is not None and pixels > max_pixels:
                raise DataError(f"{path}: its {len(datasets):,} images declare {pixels:,} pixels in all, more "
                                f"than the {max_pixels:,} allowed here; use fewer or smaller images.")
            for dataset in datasets:
                if _stored_end(dataset) > size:
                    raise DataError(f"{path}: image '{dataset.name.rsplit('/', 1)[-1]}' lies beyond the end "
                                    f"of the file; it is damaged or truncated.")
            return len(datasets)
    except OSError as exc:
        raise DataError(f"{path} cannot be read as HDF5; it is damaged or truncated ({exc}).") from None


def _faces_file(path: str | Path) -> Path:
    """`path` as a Path, after checking it names an existing HDF5 file."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise DataError(f"The faces file {path} does not exist." if not path.exists()
                        else f"The faces path {path} is a folder, not an HDF5 file.")
    if not h5py.is_hdf5(path):
        raise DataError(f"{path} is not an HDF5 file. Faces must be in the notebook's HDF5 format; "
                        "convert a folder of images with `gan-explorer convert-faces FOLDER faces.h5`.")
    return path


def _image_datasets(handle: h5py.File, path: Path, limit: int | None) -> list[h5py.Dataset]:
    """The checked image datasets of an open faces file, in natural name order (at most `limit`)."""
    group = handle.get(FACES_GROUP)
    if group is None:
        present = ", ".join(sorted(handle.keys())[:5]) or "nothing"
        raise DataError(f"{path} has no group '{FACES_GROUP}' (it holds: {present}); "
                        "it is not a faces file in the notebook's format.")
    if not isinstance(group, h5py.Group):
        raise DataError(f"{path}: '{FACES_GROUP}' is not a group of image datasets.")
    names = sorted(group.keys(), key=_natural_key)[:limit]
    if not names:
        raise DataError(f"{path}: the group '{FACES_GROUP}' contains no images.")
    return [_checked_dataset(group, name, path) for name in names]


def _stored_end(dataset: h5py.Dataset) -> int:
    """The file offset just past a dataset's stored bytes (0 when stored in its header)."""
    if dataset.chunks is None:
        offset = dataset.id.get_offset()
        return 0 if offset is None else offset + dataset.id.get_storage_size()
    chunks = (dataset.id.get_chunk_info(index) for index in range(dataset.id.get_num_chunks()))
    return max((chunk.byte_offset + chunk.size for chunk in chunks), default=0)


def square_resize(image: np.ndarray, size: int) -> np.ndarray:
    """Centre-crop uint8 (H, W, 3) to a square of side min(H, W), resize to (size, size, 3)."""
    height, width = image.shape[:2]
    side = min(height, width)
    top, left = (height - side) // 2, (width - side) // 2
    square = image[top:top + side, left:left + side]
    if side == size:
        return square
    return np.asarray(Image.fromarray(square).resize((size, size), Image.Resampling.BICUBIC))


def images_to_hdf5(folder: str | Path, out_path: str | Path, limit: int | None = None) -> int:
    """Convert a folder of images into the faces HDF5 format; return how many were stored.

    Files are taken in natural name order (img2 before img10), at most `limit`; each is
    converted to RGB and stored at its own size as `<index>.jpg`, with its file name in
    the dataset's `source_name` attribute. The file is written under a temporary name
    and renamed when complete: on any error nothing is left at `out_path`.
    """
    folder, out_path = Path(folder).expanduser(), Path(out_path).expanduser()
    _check_limit(limit)
    if not folder.is_dir():
        raise DataError(f"The image folder {folder} does not exist." if not folder.exists()
                        else f"{folder} is a file, not a folder of images.")
    output = out_path.resolve()   # an earlier output inside the folder is not an input
    files = sorted((entry for entry in folder.iterdir()
                    if entry.is_file() and not entry.name.startswith(".") and entry.resolve() != output),
                   key=lambda entry: _natural_key(entry.name))
    strangers = [entry.name for entry in files if entry.suffix.lower() not in IMAGE_SUFFIXES]
    if strangers:
        shown = ", ".join(strangers[:5]) + (", ..." if len(strangers) > 5 else "")
        raise DataError(f"{folder} holds {len(strangers)} file(s) that are not images ({shown}); "
                        f"the folder must hold only {'/'.join(IMAGE_SUFFIXES)} files. Move the others out.")
    images = files[:limit]
    if not images:
        raise DataError(f"{folder} holds no images to convert.")
    if not out_path.parent.is_dir():
        raise DataError(f"Cannot write {out_path}: the folder {out_path.parent} does not exist.")
    try:
        handle, temporary_name = tempfile.mkstemp(prefix=f"{out_path.name}.tmp-", dir=out_path.parent)
        os.close(handle)
    except OSError as exc:
        raise DataError(f"Cannot write into {out_path.parent}: {exc.strerror or exc}.") from None
    temporary = Path(temporary_name)
    try:
        with h5py.File(temporary, "w") as output:
            group = output.create_group(FACES_GROUP)
            for index, image_path in enumerate(images):
                dataset = group.create_dataset(f"{index}.jpg", data=_read_rgb(image_path),
                                               compression="gzip", compression_opts=4)
                dataset.attrs["source_name"] = image_path.name
        os.replace(temporary, out_path)
    except OSError as exc:
        raise DataError(f"Cannot write {out_path}: {exc.strerror or exc}.") from None
    finally:
        temporary.unlink(missing_ok=True)
    return len(images)


def _check_limit(limit: int | None) -> None:
    if limit is not None and (not isinstance(limit, int) or limit < 1):
        raise DataError(f"limit must be a positive whole number of images; got {limit!r}.")


def _natural_key(name: str) -> list[str | int]:
    """Sort '2.jpg' before '10.jpg' and 'img2' before 'img10': digit runs compare as numbers.

    re.split with a capturing group alternates text and digits starting with text, so
    keys of different names compare text with text and numbers with numbers.
    """
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]


def _checked_dataset(group: h5py.Group, name: str, path: Path) -> h5py.Dataset:
    """The dataset `name`, after checking it is a uint8 H×W×3 image of sane size."""
    try:
        item = group[name]
    except KeyError:
        raise DataError(f"{path}: the entry '{name}' cannot be opened (a broken link?).") from None
    if not isinstance(item, h5py.Dataset):
        raise DataError(f"{path}: '{FACES_GROUP}/{name}' is a group, not an image dataset.")
    if item.ndim != 3 or item.shape[2] != 3:
        raise DataError(f"{path}: image '{name}' has shape {item.shape}; each image must be "
                        "H×W×3 (height, width, RGB).")
    if item.dtype != np.uint8:
        raise DataError(f"{path}: image '{name}' stores {item.dtype} values; images must be uint8 (0-255).")
    height, width = item.shape[:2]
    if height < 1 or width < 1:
        raise DataError(f"{path}: image '{name}' is empty ({height}×{width} pixels).")
    if max(height, width) > MAX_SIDE:
        raise DataError(f"{path}: image '{name}' is {height}×{width} pixels, too large "
                        f"(the limit is {MAX_SIDE} on each side).")
    return item


def _read_rgb(path: Path) -> np.ndarray:
    """Decode one image file as uint8 (H, W, 3), refusing undecodable or oversized ones."""
    try:
        with Image.open(path) as image:
            if max(image.size) > MAX_SIDE:
                raise DataError(f"{path} is {image.size[0]}×{image.size[1]} pixels, too large "
                                f"(the limit is {MAX_SIDE} on each side).")
            return np.asarray(image.convert("RGB"), dtype=np.uint8)
    except Image.DecompressionBombError:
        raise DataError(f"{path} declares too many pixels and is too large to read "
                        f"(the limit is {MAX_SIDE} on each side).") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise DataError(f"{path} cannot be read as an image ({exc}).") from None
