"""Rebuild this folder's MNIST fixture from the official test split.

    python tests/data/mnist/make_fixture.py FOLDER_WITH_t10k_FILES

Keeps the first 200 images of each digit, in file order (2,000 images), and writes them as
gzipped IDX files under the official names (gzip without a timestamp, so the bytes and
their checksums in README.md are reproducible).
"""

import gzip
import sys
from pathlib import Path

import numpy as np

PER_CLASS = 200
HERE = Path(__file__).resolve().parent


def _idx_bytes(array: np.ndarray, magic: int) -> bytes:
    header = magic.to_bytes(4, "big") + b"".join(size.to_bytes(4, "big") for size in array.shape)
    return header + array.tobytes()


def main(source: Path) -> None:
    images = np.frombuffer(gzip.decompress((source / "t10k-images-idx3-ubyte.gz").read_bytes()), np.uint8,
                           offset=16).reshape(-1, 28, 28)
    labels = np.frombuffer(gzip.decompress((source / "t10k-labels-idx1-ubyte.gz").read_bytes()), np.uint8, offset=8)
    keep = np.sort(np.concatenate([np.flatnonzero(labels == digit)[:PER_CLASS] for digit in range(10)]))
    (HERE / "t10k-images-idx3-ubyte.gz").write_bytes(gzip.compress(_idx_bytes(images[keep], 2051), 9, mtime=0))
    (HERE / "t10k-labels-idx1-ubyte.gz").write_bytes(gzip.compress(_idx_bytes(labels[keep], 2049), 9, mtime=0))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
