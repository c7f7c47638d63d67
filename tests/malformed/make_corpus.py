"""Build the malformed-input corpus: real files, each broken in one documented way.

Run `python tests/malformed/make_corpus.py` to regenerate `files/` and `manifest.json`
beside this script (the output is committed, so other tests and tools can use the files
without running anything). Each case sits in its own folder under `files/`; the manifest
lists, per case:

- `id`: a stable name; `problem`: what is wrong, in words;
- `path`: what to hand the loader, relative to this folder;
- `loader`: the entry point that must refuse it: `load_mnist`, `load_faces`,
  `images_to_hdf5` (from gan_engine.data) or `weights` (the run store's weights loader,
  which must refuse pickles);
- `expect`: a phrase the error message must contain.

Everything is generated from fixed bytes, so a run writes the same cases every time.
"""

from __future__ import annotations

import gzip
import json
import shutil
import struct
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import h5py
import numpy as np

HERE = Path(__file__).resolve().parent
IMAGE_MAGIC, LABEL_MAGIC = 2051, 2049
IMAGES_NAME, LABELS_NAME = "train-images-idx3-ubyte", "train-labels-idx1-ubyte"
COUNT = 4   # images in the small valid sets the broken files are paired with
PIXELS = (np.arange(COUNT * 784) % 256).astype(np.uint8).tobytes()
LABELS = bytes([0, 1, 2, 3])


def idx(magic: int, dims: tuple[int, ...], payload: bytes) -> bytes:
    """An IDX file: big-endian magic, then each dimension, then the data."""
    return struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in dims) + payload


def good_images() -> bytes:
    return idx(IMAGE_MAGIC, (COUNT, 28, 28), PIXELS)


def good_labels() -> bytes:
    return idx(LABEL_MAGIC, (COUNT,), LABELS)


def idx_case(images: bytes | None, labels: bytes | None, broken: str) -> Callable[[Path], str]:
    """A folder holding an images/labels pair (None: that file is absent); the loader
    is pointed at the broken one ("images", "labels", or "folder")."""
    def build(folder: Path) -> str:
        if images is not None:
            (folder / IMAGES_NAME).write_bytes(images)
        if labels is not None:
            (folder / LABELS_NAME).write_bytes(labels)
        return {"images": IMAGES_NAME, "labels": LABELS_NAME, "folder": "."}[broken]
    return build


def gz_case(images: bytes) -> Callable[[Path], str]:
    def build(folder: Path) -> str:
        (folder / f"{IMAGES_NAME}.gz").write_bytes(images)
        (folder / f"{LABELS_NAME}.gz").write_bytes(gzip.compress(good_labels(), mtime=0))
        return f"{IMAGES_NAME}.gz"
    return build


def csv_row(label: object, pixels: list[object]) -> str:
    return ",".join(str(value) for value in [label, *pixels])


def csv_case(text: str | bytes, name: str = "mnist_train.csv") -> Callable[[Path], str]:
    def build(folder: Path) -> str:
        data = text.encode() if isinstance(text, str) else text
        (folder / name).write_bytes(data)
        return name
    return build


def good_csv_lines(count: int = 3) -> list[str]:
    return [csv_row(i % 10, [(i * 7 + j) % 256 for j in range(784)]) for i in range(count)]


def csv_with(row: int, change: Callable[[list[str]], list[str]]) -> str:
    """Three good lines with line `row` (0-based) changed by `change` on its cells."""
    lines = good_csv_lines()
    lines[row] = ",".join(change(lines[row].split(",")))
    return "\n".join(lines) + "\n"


def set_cell(column: int, value: str) -> Callable[[list[str]], list[str]]:
    return lambda cells: [*cells[:column], value, *cells[column + 1:]]


def h5_case(fill: Callable[[h5py.File], None], name: str = "faces.h5") -> Callable[[Path], str]:
    def build(folder: Path) -> str:
        with h5py.File(folder / name, "w") as handle:
            fill(handle)
        return name
    return build


def faces(*shapes: tuple[int, ...], dtype: str = "uint8") -> Callable[[h5py.File], None]:
    def fill(handle: h5py.File) -> None:
        group = handle.create_group("img_align_celeba")
        for index, shape in enumerate(shapes):
            group.create_dataset(f"{index}.jpg", data=np.full(shape, 100, dtype=dtype))
    return fill


def truncated_h5(folder: Path) -> str:
    h5_case(faces((40, 30, 3), (40, 30, 3)))(folder)
    data = (folder / "faces.h5").read_bytes()
    (folder / "faces.h5").write_bytes(data[: len(data) // 2])
    return "faces.h5"


def png_chunk(kind: bytes, body: bytes) -> bytes:
    """One PNG chunk: length, type, body, CRC of type and body."""
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bytes(size: tuple[int, int] = (12, 10)) -> bytes:
    """A small real PNG written by hand (fixed bytes, independent of Pillow's encoder)."""
    width, height = size
    rows = b"".join(b"\x00" + bytes((x * 20 + y) % 256 for x in range(width * 3)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)   # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", zlib.compress(rows, 9))
            + png_chunk(b"IEND", b""))


def folder_case(files: dict[str, bytes]) -> Callable[[Path], str]:
    def build(folder: Path) -> str:
        images = folder / "images"
        images.mkdir()
        for name, data in files.items():
            (images / name).write_bytes(data)
        return "images"
    return build


def huge_png() -> bytes:
    """Only the header of a 100000×100000 PNG: opening it must not decode anything."""
    header = struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IEND", b"")


def pickle_weights(folder: Path) -> str:
    # A pickle that calls os.getpid when loaded: harmless, but a call all the same, which
    # is exactly what a weights loader must refuse (torch.load(weights_only=True) does).
    (folder / "generator.pt").write_bytes(b"\x80\x02cos\ngetpid\nq\x00)R.")
    return "generator.pt"


# (id, loader, problem, expected phrase, builder)
CASES: list[tuple[str, str, str, str, Callable[[Path], str]]] = [
    ("idx-empty-images", "load_mnist", "images file of 0 bytes", "is empty (0 bytes)",
     idx_case(b"", good_labels(), "images")),
    ("idx-empty-labels", "load_mnist", "labels file of 0 bytes", "is empty (0 bytes)",
     idx_case(good_images(), b"", "labels")),
    ("idx-header-truncated", "load_mnist", "file ends inside the IDX header", "header ends after 6 bytes",
     idx_case(good_images()[:6], good_labels(), "images")),
    ("idx-images-truncated", "load_mnist", "header declares 4 images, 2 follow", "is truncated",
     idx_case(good_images()[: 16 + 2 * 784], good_labels(), "images")),
    ("idx-labels-truncated", "load_mnist", "header declares 4 labels, 2 follow", "is truncated",
     idx_case(good_images(), good_labels()[:10], "labels")),
    ("idx-wrong-magic", "load_mnist", "magic number 2052", "wrong magic number 0x00000804",
     idx_case(idx(2052, (COUNT, 28, 28), PIXELS), good_labels(), "images")),
    ("idx-labels-as-images", "load_mnist", "a labels file where the images should be",
     "where the images file (magic number 2051) was expected",
     idx_case(good_labels(), good_labels(), "images")),
    ("idx-images-as-labels", "load_mnist", "an images file where the labels should be",
     "where the labels file (magic number 2049) was expected",
     idx_case(good_images(), good_images(), "labels")),
    ("idx-text-as-idx", "load_mnist", "a text file named like an IDX file", "wrong magic number",
     idx_case(b"hello, world\n", good_labels(), "images")),
    ("idx-huge-count-plain", "load_mnist", "header declares 2^31-1 images in a small file",
     "declares 2,147,483,647 images", idx_case(idx(IMAGE_MAGIC, (2**31 - 1, 28, 28), PIXELS), good_labels(), "images")),
    ("idx-huge-count-gzip", "load_mnist", "gzipped header declares 4e9 images", "-byte gzip file can hold",
     gz_case(gzip.compress(idx(IMAGE_MAGIC, (4_000_000_000, 28, 28), PIXELS), mtime=0))),
    ("idx-huge-sides", "load_mnist", "header declares 65535×65535 images", "declares 65535×65535 images",
     idx_case(idx(IMAGE_MAGIC, (COUNT, 65535, 65535), PIXELS), good_labels(), "images")),
    ("idx-wrong-sides", "load_mnist", "32×32 images", "declares 32×32 images",
     idx_case(idx(IMAGE_MAGIC, (1, 32, 32), bytes(1024)), idx(LABEL_MAGIC, (1,), b"\x00"), "images")),
    ("idx-extra-bytes", "load_mnist", "10 bytes after the declared data", "longer than its header says",
     idx_case(good_images() + bytes(10), good_labels(), "images")),
    ("idx-label-out-of-range", "load_mnist", "a label of 12", "label 12 at position 3 is outside 0–9",
     idx_case(good_images(), idx(LABEL_MAGIC, (COUNT,), bytes([0, 1, 12, 3])), "labels")),
    ("idx-count-mismatch", "load_mnist", "4 images but 3 labels", "they must match",
     idx_case(good_images(), idx(LABEL_MAGIC, (3,), LABELS[:3]), "images")),
    ("idx-missing-labels", "load_mnist", "a folder with the images file only",
     "has no train labels file beside it", idx_case(good_images(), None, "folder")),
    ("idx-gzip-truncated", "load_mnist", "a gzip stream cut short", "damaged or truncated gzip",
     gz_case(gzip.compress(good_images(), mtime=0)[:200])),
    ("idx-gzip-corrupt", "load_mnist", "gzip magic followed by garbage", "damaged or truncated gzip",
     gz_case(b"\x1f\x8b" + bytes(range(200)))),
    ("csv-empty", "load_mnist", "a CSV of 0 bytes", "is empty", csv_case("")),
    ("csv-missing-column", "load_mnist", "783 pixels per line", "has 784 columns",
     csv_case("\n".join(line.rsplit(",", 1)[0] for line in good_csv_lines()) + "\n")),
    ("csv-extra-column", "load_mnist", "785 pixels per line", "has 786 columns",
     csv_case("\n".join(line + ",0" for line in good_csv_lines()) + "\n")),
    ("csv-short-row", "load_mnist", "the second line stops after 700 values", "row 2 has a missing value",
     csv_case(csv_with(1, lambda cells: cells[:700]))),
    ("csv-long-row", "load_mnist", "the second line has 790 values", "line 2 has 790 values where 785",
     csv_case(csv_with(1, lambda cells: cells + ["0"] * 5))),
    ("csv-empty-cell", "load_mnist", "an empty cell", "row 1 has a missing value in column 5",
     csv_case(csv_with(0, set_cell(4, "")))),
    ("csv-non-numeric", "load_mnist", "a cell reading 'abc'", "non-numeric cell 'abc' in row 3",
     csv_case(csv_with(2, set_cell(100, "abc")))),
    ("csv-pixel-256", "load_mnist", "a pixel value of 256", "pixel value 256 in row 2",
     csv_case(csv_with(1, set_cell(50, "256")))),
    ("csv-pixel-negative", "load_mnist", "a pixel value of -1", "pixel value -1 in row 1",
     csv_case(csv_with(0, set_cell(9, "-1")))),
    ("csv-label-10", "load_mnist", "a label of 10", "label 10 at row 3 is outside 0–9",
     csv_case(csv_with(2, set_cell(0, "10")))),
    ("csv-fractional", "load_mnist", "a pixel value of 12.5", "12.5 in row 1, column 3 is not a whole number",
     csv_case(csv_with(0, set_cell(2, "12.5")))),
    ("csv-binary", "load_mnist", "binary bytes in a .csv file", "is not a text CSV file",
     csv_case(bytes(range(128, 256)) * 4)),
    ("csv-header-only", "load_mnist", "a header line and no data", "has no data rows",
     csv_case(",".join(["label"] + [f"pixel{i}" for i in range(784)]) + "\n")),
    ("h5-not-hdf5", "load_faces", "a text file named faces.h5", "is not an HDF5 file",
     csv_case("this is not HDF5\n", name="faces.h5")),
    ("h5-truncated", "load_faces", "an HDF5 file cut in half", "damaged or truncated", truncated_h5),
    ("h5-missing-group", "load_faces", "no img_align_celeba group", "has no group 'img_align_celeba'",
     h5_case(lambda handle: handle.create_group("pictures"))),
    ("h5-group-is-dataset", "load_faces", "img_align_celeba is a dataset", "is not a group",
     h5_case(lambda handle: handle.create_dataset("img_align_celeba", data=np.zeros((2, 2, 3), np.uint8)))),
    ("h5-empty-group", "load_faces", "the group holds no images", "contains no images",
     h5_case(lambda handle: handle.create_group("img_align_celeba"))),
    ("h5-nested-group", "load_faces", "a sub-group among the images", "is a group, not an image dataset",
     h5_case(lambda handle: handle.create_group("img_align_celeba/0.jpg"))),
    ("h5-float-images", "load_faces", "float32 pixels", "stores float32 values",
     h5_case(faces((20, 20, 3), dtype="float32"))),
    ("h5-grayscale", "load_faces", "an H×W image without channels", "has shape (20, 20)",
     h5_case(faces((20, 20)))),
    ("h5-four-channels", "load_faces", "an RGBA image", "has shape (20, 20, 4)",
     h5_case(faces((20, 20, 4)))),
    ("h5-mixed-invalid-shapes", "load_faces", "a good 40×30×3 image then a 1-D one",
     "image '1.jpg' has shape (30,)", h5_case(faces((40, 30, 3), (30,)))),
    ("h5-empty-image", "load_faces", "a 0×0×3 image", "is empty (0×0 pixels)", h5_case(faces((0, 0, 3)))),
    ("h5-huge-declared", "load_faces", "a 100000×100000×3 dataset stored sparsely", "too large",
     h5_case(lambda handle: handle.create_group("img_align_celeba").create_dataset(
         "0.jpg", shape=(100000, 100000, 3), dtype="uint8", chunks=(64, 64, 3)))),
    ("folder-non-image", "images_to_hdf5", "a text file among the images", "not images (notes.txt)",
     folder_case({"0.png": png_bytes(), "notes.txt": b"not a picture\n"})),
    ("folder-fake-jpg", "images_to_hdf5", "a text file named .jpg", "cannot be read as an image",
     folder_case({"0.png": png_bytes(), "1.jpg": b"not a jpeg at all\n"})),
    ("folder-truncated-png", "images_to_hdf5", "a PNG cut short", "cannot be read as an image",
     folder_case({"0.png": png_bytes()[:60]})),
    ("folder-huge-png", "images_to_hdf5", "a PNG header declaring 100000×100000 pixels", "too large",
     folder_case({"0.png": huge_png()})),
    ("folder-no-images", "images_to_hdf5", "only a hidden file", "holds no images",
     folder_case({".keep": b""})),
    ("weights-pickle", "weights", "a pickle that calls a function when loaded, named like weights",
     "pickle", pickle_weights),
]


def build(destination: Path) -> list[dict[str, str]]:
    """Write every case under `destination/files/`; return the manifest entries."""
    files = destination / "files"
    if files.exists():
        shutil.rmtree(files)
    manifest = []
    for case_id, loader, problem, expect, builder in CASES:
        folder = files / case_id
        folder.mkdir(parents=True)
        target = (folder / builder(folder)).resolve().relative_to(destination.resolve())
        manifest.append({"id": case_id, "path": target.as_posix(), "loader": loader,
                         "problem": problem, "expect": expect})
    (destination / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n",
                                               encoding="utf-8")
    return manifest


if __name__ == "__main__":
    entries = build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
    sys.stdout.write(f"wrote {len(entries)} malformed inputs\n")
