"""Downloading the four official MNIST files, with progress and md5 verification.

The base address is `MNIST_MIRROR` unless `$GAN_EXPLORER_MNIST_MIRROR` names another
(a folder URL holding the same four file names). Each file is streamed to a temporary
name beside its destination and renamed only once its md5 matches, so an interrupted or
corrupted download never leaves a file that looks complete.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path

from gan_engine.errors import DataError

MNIST_MIRROR = "https://ossci-datasets.s3.amazonaws.com/mnist/"
MIRROR_ENV = "GAN_EXPLORER_MNIST_MIRROR"
# The official files and their md5 checksums, in download order (training split first).
MNIST_MD5: dict[str, str] = {
    "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
}
# progress(file_name, bytes_done, bytes_total or None when the server does not say)
DownloadProgress = Callable[[str, int, int | None], None]
_CHUNK = 1 << 16


def mnist_file_names(split: str) -> tuple[str, str]:
    """The official (images, labels) file names of the "train" or "test" split."""
    prefix = {"train": "train", "test": "t10k"}[split]
    return f"{prefix}-images-idx3-ubyte.gz", f"{prefix}-labels-idx1-ubyte.gz"


def mnist_mirror() -> str:
    """The base URL the files are fetched from, ending in '/'."""
    base = os.environ.get(MIRROR_ENV, "").strip() or MNIST_MIRROR
    return base if base.endswith("/") else base + "/"


def file_md5(path: Path) -> str:
    """Hex md5 of a file, read in chunks."""
    digest = hashlib.md5()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def download_mnist(destination: Path, progress: DownloadProgress | None = None,
                   files: Mapping[str, str] | None = None, timeout: float = 30.0) -> Path:
    """Fetch the official files into `destination` (created if needed); return it.

    `files` maps file name to md5 (default `MNIST_MD5`: all four). Files already there
    with the right md5 are kept, so an interrupted download resumes file by file.
    `timeout` is in seconds per network operation. Raises DataError when a file cannot
    be fetched or its md5 is wrong; nothing incomplete is left behind.
    """
    try:
        destination.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(f"Cannot create the MNIST folder {destination}: {exc.strerror or exc}.") from None
    base = mnist_mirror()
    for name, md5 in (MNIST_MD5 if files is None else files).items():
        target = destination / name
        if target.is_file() and file_md5(target) == md5:
            continue
        _download_file(base + name, target, md5, progress, timeout)
    return destination


def _download_file(url: str, target: Path, md5: str, progress: DownloadProgress | None,
                   timeout: float) -> None:
    try:
        handle, temporary_name = tempfile.mkstemp(prefix=f".{target.name}.part-", dir=target.parent)
    except OSError as exc:
        raise DataError(f"Cannot write into {target.parent}: {exc.strerror or exc}.") from None
    temporary = Path(temporary_name)
    try:
        digest = hashlib.md5()
        with os.fdopen(handle, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            done = 0
            if progress:
                progress(target.name, done, total)
            while chunk := response.read(_CHUNK):
                out.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                if progress:
                    progress(target.name, done, total)
        if digest.hexdigest() != md5:
            raise DataError(f"The download of {url} has md5 {digest.hexdigest()}, not the expected "
                            f"{md5}: the file is damaged or the mirror ({MIRROR_ENV}) serves "
                            "something else. Nothing was kept.")
        os.replace(temporary, target)
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        if isinstance(exc, urllib.error.HTTPError):
            reason = f"HTTP {exc.code} {exc.reason}"
        else:
            reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or exc
        raise DataError(f"Could not download {url}: {reason}.") from None
    finally:
        temporary.unlink(missing_ok=True)
