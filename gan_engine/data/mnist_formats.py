"""Readers for the two MNIST file formats: IDX (gzipped or not) and the notebook's CSV.

They return plain arrays and validate everything before trusting it: the magic number,
the declared dimensions against the bytes really there (checked before anything is
allocated, so a forged header cannot ask for gigabytes), truncation and trailing bytes,
label range; for CSV the column count, numeric cells, whole numbers and the 0-255 / 0-9
ranges. Problems raise `DataError` naming the file and the place in it.
"""

from __future__ import annotations

import gzip
import math
import re
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import numpy as np

from gan_engine.errors import DataError

if TYPE_CHECKING:
    import pandas as pd

IMAGE_MAGIC = 2051   # 0x00000803: unsigned bytes, 3 dimensions
LABEL_MAGIC = 2049   # 0x00000801: unsigned bytes, 1 dimension
SIDE = 28
PIXELS = SIDE * SIDE
CSV_COLUMNS = 1 + PIXELS
# Deflate cannot expand data by more than about 1032:1, so a gzipped IDX header that
# declares more than this many bytes per compressed byte is forged or its data is missing.
MAX_DEFLATE_RATIO = 1100
_READ_CHUNK = 1 << 20


def check_labels(labels: np.ndarray, path: Path, where: str) -> None:
    """DataError at the first label outside 0-9; `where` names the unit ("row", "position")."""
    bad = np.flatnonzero((labels < 0) | (labels > 9))
    if len(bad):
        raise DataError(f"{path}: label {labels[bad[0]]:g} at {where} {bad[0] + 1} is outside 0–9.")


# ---- IDX -------------------------------------------------------------------------------

def read_idx(path: Path, magic: int) -> np.ndarray:
    """One IDX file of unsigned bytes, gzipped or not: uint8 (N, 28, 28) images for
    `IMAGE_MAGIC`, uint8 (N,) labels for `LABEL_MAGIC`.
    """
    kind = "images" if magic == IMAGE_MAGIC else "labels"
    try:
        size = path.stat().st_size
        if size == 0:
            raise DataError(f"{path} is empty (0 bytes); expected an MNIST IDX {kind} file.")
        with open(path, "rb") as raw:
            compressed = raw.read(2) == b"\x1f\x8b"
            raw.seek(0)
            if compressed:
                with gzip.GzipFile(fileobj=raw) as stream:
                    return _parse_idx(stream, path, magic, size, compressed=True)
            return _parse_idx(raw, path, magic, size, compressed=False)
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise DataError(f"{path} is a damaged or truncated gzip file ({exc}); fetch it again.") from None
    except OSError as exc:
        raise DataError(f"{path} cannot be read: {exc.strerror or exc}.") from None


def _parse_idx(stream: BinaryIO, path: Path, magic: int, size: int, compressed: bool) -> np.ndarray:
    kind = "images" if magic == IMAGE_MAGIC else "labels"
    ndim = 3 if magic == IMAGE_MAGIC else 1
    found = _read_up_to(stream, 4)
    if len(found) < 4:
        raise DataError(f"{path} is truncated: its IDX header ends after {len(found)} bytes.")
    found_magic = int.from_bytes(found, "big")
    if found_magic != magic:
        if found_magic in (IMAGE_MAGIC, LABEL_MAGIC):
            other = "images" if found_magic == IMAGE_MAGIC else "labels"
            raise DataError(f"{path} is an IDX {other} file (magic number {found_magic}) where the "
                            f"{kind} file (magic number {magic}) was expected.")
        raise DataError(f"{path} has the wrong magic number 0x{found_magic:08x}: an MNIST {kind} "
                        f"file starts with {magic} (0x{magic:08x}). It is not an IDX {kind} file.")
    header = _read_up_to(stream, 4 * ndim)
    if len(header) < 4 * ndim:
        raise DataError(f"{path} is truncated: its IDX header ends after {4 + len(header)} bytes.")
    dims = tuple(int.from_bytes(header[i:i + 4], "big") for i in range(0, 4 * ndim, 4))
    if ndim == 3 and dims[1:] != (SIDE, SIDE):
        raise DataError(f"{path} declares {dims[1]}×{dims[2]} images; MNIST images are 28×28.")
    payload = math.prod(dims)
    declared = f"its header declares {dims[0]:,} {kind} ({payload:,} bytes)"
    if compressed and payload > MAX_DEFLATE_RATIO * size:
        raise DataError(f"{path}: {declared}, more than a {size:,}-byte gzip file can hold; "
                        "the header is corrupt or the data is missing.")
    if not compressed and 4 + 4 * ndim + payload != size:
        held = size - 4 - 4 * ndim
        problem = "truncated" if held < payload else "longer than its header says"
        raise DataError(f"{path} is {problem}: {declared} but {held:,} bytes of data follow.")
    data = _read_up_to(stream, payload)
    if len(data) < payload:
        raise DataError(f"{path} is truncated: {declared} but {len(data):,} bytes of data follow.")
    if stream.read(1):
        raise DataError(f"{path} is longer than its header says: {declared} and more bytes follow.")
    return np.frombuffer(data, dtype=np.uint8).reshape(dims)


def _read_up_to(stream: BinaryIO, count: int) -> bytearray:
    """Read `count` bytes or until the end, growing the buffer only as data arrives."""
    buffer = bytearray()
    while len(buffer) < count:
        chunk = stream.read(min(_READ_CHUNK, count - len(buffer)))
        if not chunk:
            break
        buffer += chunk
    return buffer


# ---- CSV (the source notebook's format) --------------------------------------------------

def read_mnist_csv(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """A headerless CSV, one image per line: the label, then 784 pixel values 0-255.

    A first line made only of names (as some copies of the data carry) is skipped.
    Returns images uint8 (N, 28, 28) and labels int64 (N,).
    """
    import pandas as pd   # imported here, so a worker that reads IDX never pays for pandas

    try:
        with open(path, "rb") as handle:
            first = handle.readline(1 << 16)
        if not first.strip():
            raise DataError(f"{path} is empty; expected MNIST CSV lines (a label then 784 pixel values).")
        cells = first.decode("utf-8").strip().split(",")
        has_header = not any(_is_number(cell) for cell in cells)
        frame = pd.read_csv(path, header=0 if has_header else None, low_memory=False, encoding="utf-8")
    except UnicodeDecodeError:
        raise DataError(f"{path} is not a text CSV file (it holds binary data).") from None
    except pd.errors.EmptyDataError:
        raise DataError(f"{path} is empty; expected MNIST CSV lines (a label then 784 pixel values).") from None
    except pd.errors.ParserError as exc:
        counts = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        detail = (f"line {counts[2]} has {counts[3]} values where {counts[1]} were expected" if counts
                  else str(exc).strip())
        raise DataError(f"{path}: {detail}; every line needs a label then 784 pixel values "
                        f"({CSV_COLUMNS} values).") from None
    except OSError as exc:
        raise DataError(f"{path} cannot be read: {exc.strerror or exc}.") from None
    if frame.shape[1] != CSV_COLUMNS:
        raise DataError(f"{path} has {frame.shape[1]} columns; the MNIST CSV format is a label "
                        f"followed by 784 pixel values ({CSV_COLUMNS} columns, no header).")
    if len(frame) == 0:
        raise DataError(f"{path} has no data rows.")
    values = _numeric_values(frame, path)   # float64 (N, 785)
    missing = np.argwhere(np.isnan(values))
    if len(missing):
        row, column = missing[0]
        raise DataError(f"{path}: row {row + 1} has a missing value in column {column + 1} "
                        f"(every row needs {CSV_COLUMNS} values).")
    fractional = np.argwhere(values != np.floor(values))
    if len(fractional):
        row, column = fractional[0]
        raise DataError(f"{path}: the value {values[row, column]:g} in row {row + 1}, column "
                        f"{column + 1} is not a whole number.")
    check_labels(values[:, 0], path, "row")
    pixels = values[:, 1:]
    outside = np.argwhere((pixels < 0) | (pixels > 255))
    if len(outside):
        row, column = outside[0]
        raise DataError(f"{path}: pixel value {pixels[row, column]:g} in row {row + 1}, column "
                        f"{column + 2} is outside 0–255.")
    images = pixels.astype(np.uint8).reshape(-1, SIDE, SIDE)
    return images, values[:, 0].astype(np.int64)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _numeric_values(frame: "pd.DataFrame", path: Path) -> np.ndarray:
    """The frame as float64 (N, 785), or DataError at the first cell that is not a number."""
    import pandas as pd
    if all(pd.api.types.is_numeric_dtype(dtype) for dtype in frame.dtypes):
        return frame.to_numpy(dtype=np.float64, na_value=np.nan)
    first_bad: tuple[int, int, str] | None = None
    columns = []
    for index, name in enumerate(frame.columns):
        column = frame[name]
        if not pd.api.types.is_numeric_dtype(column):
            numeric = pd.to_numeric(column, errors="coerce")
            bad = np.flatnonzero(numeric.isna().to_numpy() & column.notna().to_numpy())
            if len(bad) and (first_bad is None or bad[0] < first_bad[0]):
                first_bad = (int(bad[0]), index, str(column.iloc[bad[0]]))
            column = numeric
        columns.append(column.to_numpy(dtype=np.float64, na_value=np.nan))
    if first_bad is not None:
        row, index, cell = first_bad
        raise DataError(f"{path}: non-numeric cell {cell[:40]!r} in row {row + 1}, column {index + 1}.")
    return np.column_stack(columns)
