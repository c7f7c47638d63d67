"""Data files a visitor uploads: checked, capped, and stored under a name of our making.

An upload is the one place a visitor of a hosted demo hands the server a file, so:

- each upload is capped (`MAX_UPLOAD_BYTES`, the same 50 MB as Streamlit's
  `server.maxUploadSize` in .streamlit/config.toml, checked here again), and so is what a
  gzipped IDX header may ask to be unpacked (`MAX_UPLOAD_IMAGES`) and the pixels a faces
  file may declare (`MAX_UPLOAD_PIXELS`);
- files are stored in the app's own uploads folder (`data.paths.uploads_root()`, never the
  data directory, which may be read-only or shared) under a name made from the content's
  hash and the file's role (`mnist-<hash>-images-idx3-ubyte.gz`, `faces-<hash>.h5`): the
  uploaded name is never part of a path, only shown back in messages, inside a code span;
- the loaders validate the stored files at once (`data_check.check_data`); on any problem
  the files are removed again and the DataError names the uploaded file, not the server's
  path;
- the uploads folder is kept under `UPLOADS_LIMIT_BYTES` by deleting the least recently
  uploaded files (a run that already loaded its data is unaffected).

Equal content gives an equal name, so two visitors uploading one file share its runs.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

from gan_engine.config import RunConfig
from gan_engine.data.check import check_data
from gan_engine.data.mnist_formats import IMAGE_MAGIC, LABEL_MAGIC
from gan_engine.data.paths import uploads_root
from gan_engine.errors import DataError

MAX_UPLOAD_MB = 50
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
MAX_UPLOAD_IMAGES = 100_000            # MNIST has 70,000; a gzip bomb's header may not ask for more
MAX_UPLOAD_PIXELS = 500_000_000        # declared by a faces file: ~12,900 CelebA images of 218×178
UPLOADS_LIMIT_BYTES = 1024 * 1024 * 1024
KINDS = ("mnist", "faces")
HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
GZIP_MAGIC = b"\x1f\x8b"
_SHOWN_NAME_CHARS = 60

# The messages a visitor meets about an upload, by message id: the pages translate them
# (ui/strings/common.py, "engine.<id>"); the English text is the source.
UPLOAD_MESSAGES = {
    "upload_unknown_kind": "Unknown kind of data {kind!r}: choose one of {kinds}.",
    "upload_none": "No file was uploaded.",
    "upload_too_large": "{name} is {size_mb:.1f} MB; uploads may be at most {limit_mb} MB (gzip IDX files to make "
                        "them smaller).",
    "upload_total_too_large": "These files total more than {limit_mb} MB, the upload limit.",
    "upload_duplicate_role": "{first} and {second} are both MNIST {role} files; upload one CSV file, or one images "
                             "file with its labels file.",
    "upload_csv_and_idx": "Upload either one CSV file or an IDX pair (images and labels), not both.",
    "upload_idx_alone": "{name} is an MNIST IDX {role} file and needs its {wanted} file: upload the images and "
                        "labels files together.",
    "upload_not_mnist": "{name} is neither an MNIST IDX file (images or labels) nor a CSV file of digits; upload "
                        "one of those.",
    "upload_faces_count": "The faces upload takes one HDF5 file in the notebook's format; got {count} files "
                          "({names}). Convert a folder of images with `gan-explorer convert-faces`.",
    "upload_faces_not_hdf5": "The faces upload takes one HDF5 file in the notebook's format; {name} is not one. "
                             "Convert a folder of images with `gan-explorer convert-faces`.",
    "upload_too_many_items": "{name} declares {count:,} items; an upload may hold at most {limit:,} (MNIST has "
                             "70,000).",
    "upload_not_stored": "The upload cannot be stored on this server ({reason}); try again later.",
    "upload_invalid": "{detail}",
}


def _refused(message_id: str, **values: object) -> DataError:
    """A DataError with its message id, so a page can show it in the visitor's language."""
    return DataError(UPLOAD_MESSAGES[message_id].format(**values), message_id=message_id, **values)


def _code(name: str) -> str:
    return f"`{shown_name(name)}`"


@dataclass(frozen=True)
class StoredUpload:
    """An upload that passed: `path` goes into RunConfig.data_path; `name` is for people."""

    kind: str
    path: Path
    name: str


def uploads_dir() -> Path:
    """Where uploads are stored (see `data.paths.uploads_root`)."""
    return uploads_root()


def shown_name(name: str) -> str:
    """An uploaded file name made safe to show: its last part, printable, no backticks, short."""
    base = re.split(r"[\\/]", str(name))[-1]
    text = "".join(ch for ch in base if ch.isprintable() and ch != "`").strip() or "(unnamed)"
    return text if len(text) <= _SHOWN_NAME_CHARS else text[:_SHOWN_NAME_CHARS] + "…"


def store_upload(kind: str, files: list[tuple[str, bytes]]) -> StoredUpload:
    """Check, store and validate uploaded `files` (name, content) as a `kind` data set.

    kind "mnist": one CSV file (a label then 784 pixels per line), or an IDX pair (images
    and labels, gzipped or not). kind "faces": one HDF5 file in the notebook's format.
    Raises DataError naming the uploaded file and the problem; nothing stays on disk then.
    """
    if kind not in KINDS:
        raise _refused("upload_unknown_kind", kind=kind, kinds=", ".join(KINDS))
    if not files:
        raise _refused("upload_none")
    for name, content in files:
        if len(content) > MAX_UPLOAD_BYTES:
            raise _refused("upload_too_large", name=_code(name), size_mb=len(content) / 2**20, limit_mb=MAX_UPLOAD_MB)
    if sum(len(content) for _, content in files) > MAX_UPLOAD_BYTES:
        raise _refused("upload_total_too_large", limit_mb=MAX_UPLOAD_MB)
    roles = _mnist_roles(files) if kind == "mnist" else _faces_roles(files)
    digest = hashlib.sha256()
    for role, (_, content) in sorted(roles.items()):
        digest.update(role.encode() + len(content).to_bytes(8, "big") + content)
    stem = f"{kind}-{digest.hexdigest()[:16]}"
    targets = {role: _stored_name(stem, role, content) for role, (_, content) in roles.items()}
    folder = uploads_dir()
    shown = {folder / target: shown_name(roles[role][0]) for role, target in targets.items()}
    main = folder / targets["csv" if "csv" in roles else "images" if "images" in roles else "h5"]
    created: list[Path] = []
    try:
        for role, target in targets.items():
            if _write_once(folder / target, roles[role][1]):
                created.append(folder / target)
        check_data(RunConfig(target=kind, data_path=str(main)), max_pixels=MAX_UPLOAD_PIXELS)
    except DataError as error:
        for path in created:
            path.unlink(missing_ok=True)
        raise _refused("upload_invalid", detail=_for_visitor(str(error), shown, folder)) from None
    _evict(folder, keep=set(shown))
    return StoredUpload(kind, main, shown[main])


def _mnist_roles(files: list[tuple[str, bytes]]) -> dict[str, tuple[str, bytes]]:
    """{"csv": file} or {"images": file, "labels": file}, by name first, then by content."""
    roles: dict[str, tuple[str, bytes]] = {}
    for name, content in files:
        role = _mnist_role(name, content)
        if role in roles:
            raise _refused("upload_duplicate_role", first=_code(roles[role][0]), second=_code(name), role=role)
        roles[role] = (name, content)
    if "csv" in roles and len(roles) > 1:
        raise _refused("upload_csv_and_idx")
    if "csv" not in roles and len(roles) == 1:
        (role, (name, _)), = roles.items()
        wanted = "labels" if role == "images" else "images"
        raise _refused("upload_idx_alone", name=_code(name), role=role, wanted=wanted)
    if "images" in roles:
        _check_declared_count(*roles["images"])
        _check_declared_count(*roles["labels"])
    return roles


def _mnist_role(name: str, content: bytes) -> str:
    lower = shown_name(name).lower()
    if lower.endswith(".csv"):
        return "csv"
    if "images" in lower or "idx3" in lower:
        return "images"
    if "labels" in lower or "idx1" in lower:
        return "labels"
    magic = int.from_bytes(_unpacked_start(content, 4).ljust(4, b"\0"), "big")
    if magic in (IMAGE_MAGIC, LABEL_MAGIC):
        return "images" if magic == IMAGE_MAGIC else "labels"
    if content.startswith((HDF5_SIGNATURE, GZIP_MAGIC, b"\x80", b"PK\x03\x04")):
        raise _refused("upload_not_mnist", name=_code(name))
    return "csv"


def _faces_roles(files: list[tuple[str, bytes]]) -> dict[str, tuple[str, bytes]]:
    if len(files) != 1:
        names = ", ".join(f"`{shown_name(name)}`" for name, _ in files[:5])
        raise _refused("upload_faces_count", count=len(files), names=names)
    name, content = files[0]
    if not (content.startswith(HDF5_SIGNATURE) or shown_name(name).lower().endswith((".h5", ".hdf5", ".he5"))):
        raise _refused("upload_faces_not_hdf5", name=_code(name))
    return {"h5": (name, content)}


def _unpacked_start(content: bytes, count: int) -> bytes:
    """The first `count` bytes of `content`, gunzipped when it is gzip ("" when unreadable)."""
    if not content.startswith(GZIP_MAGIC):
        return content[:count]
    try:
        return zlib.decompressobj(wbits=31).decompress(content, count)
    except zlib.error:
        return b""


def _check_declared_count(name: str, content: bytes) -> None:
    """Refuse a gzipped IDX header that asks for more items than an upload may unpack."""
    if not content.startswith(GZIP_MAGIC):
        return     # a plain file holds what it declares, or the loader says it is truncated
    header = _unpacked_start(content, 8)
    count = int.from_bytes(header[4:8], "big") if len(header) == 8 else 0
    if count > MAX_UPLOAD_IMAGES:
        raise _refused("upload_too_many_items", name=_code(name), count=count, limit=MAX_UPLOAD_IMAGES)


def _stored_name(stem: str, role: str, content: bytes) -> str:
    gz = ".gz" if content.startswith(GZIP_MAGIC) else ""
    return {"csv": f"{stem}.csv", "h5": f"{stem}.h5", "images": f"{stem}-images-idx3-ubyte{gz}",
            "labels": f"{stem}-labels-idx1-ubyte{gz}"}[role]


def _write_once(path: Path, content: bytes) -> bool:
    """Write `path` atomically unless it exists (then mark it recently used); True if written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_file():
            os.utime(path)
            return False
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        try:
            tmp.write_bytes(content)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as exc:
        raise _refused("upload_not_stored", reason=exc.strerror or str(exc)) from None
    return True


def _for_visitor(message: str, shown: dict[Path, str], folder: Path) -> str:
    """A loader's message with the server's paths replaced by the uploaded names."""
    for path, name in sorted(shown.items(), key=lambda item: -len(str(item[0]))):
        message = message.replace(str(path), f"`{name}`").replace(path.name, f"`{name}`")
    return message.replace(str(folder), "the upload folder")


def _evict(folder: Path, keep: set[Path]) -> None:
    """Delete the least recently uploaded files until the folder is under its limit."""
    entries = []
    with contextlib.suppress(OSError), os.scandir(folder) as listing:
        for entry in listing:
            if entry.is_file() and not entry.name.startswith("."):
                info = entry.stat()
                entries.append((info.st_mtime, info.st_size, Path(entry.path)))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries, key=lambda entry: entry[0]):
        if total <= UPLOADS_LIMIT_BYTES:
            break
        if path not in keep:
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size
