"""Where datasets live, and the guard that keeps a hosted demo's visitors inside it.

The configured data directory is `$GAN_EXPLORER_DATA` when set, else a per-user folder
(`default_data_dir()`). On a hosted demo a visitor may type a dataset path; it is resolved
inside that directory and anything that would leave it (`..`, an absolute path elsewhere,
a symlink pointing out) is refused, unless local use is declared with
`GAN_EXPLORER_LOCAL=1`. The loaders themselves take any path: the guard belongs to the
code that accepts paths from people.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from gan_engine.errors import DataError

APP_DIR_NAME = "gan-explorer"
DATA_ENV = "GAN_EXPLORER_DATA"
UPLOADS_ENV = "GAN_EXPLORER_UPLOADS"
LOCAL_ENV = "GAN_EXPLORER_LOCAL"


def default_data_dir() -> Path:
    """The per-user data directory (it may not exist yet).

    `$XDG_DATA_HOME/gan-explorer` when XDG_DATA_HOME is set; otherwise the platform's
    usual place: `%LOCALAPPDATA%\\gan-explorer` on Windows,
    `~/Library/Application Support/gan-explorer` on macOS, `~/.local/share/gan-explorer`
    elsewhere.
    """
    xdg = os.environ.get("XDG_DATA_HOME")
    if xdg:
        return Path(xdg).expanduser() / APP_DIR_NAME
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / APP_DIR_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_DIR_NAME
    return Path.home() / ".local" / "share" / APP_DIR_NAME


def default_cache_dir() -> Path:
    """The per-user folder for what the app itself writes (runs, visitors' uploads).

    `%LOCALAPPDATA%\\gan-explorer` on Windows, `~/Library/Caches/gan-explorer` on macOS,
    `$XDG_CACHE_HOME/gan-explorer` (default `~/.cache/gan-explorer`) elsewhere.
    """
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"])
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / APP_DIR_NAME


def uploads_root() -> Path:
    """Where visitors' uploads are kept: `$GAN_EXPLORER_UPLOADS`, else `uploads/` in the
    per-user cache folder, beside the default runs folder. Never the data directory, which
    may be read-only or shared, and holds the owner's data, not visitors'."""
    configured = os.environ.get(UPLOADS_ENV)
    return Path(configured).expanduser() if configured else default_cache_dir() / "uploads"


def data_root() -> Path:
    """The configured data directory: `$GAN_EXPLORER_DATA` if set, else `default_data_dir()`."""
    configured = os.environ.get(DATA_ENV)
    return Path(configured).expanduser() if configured else default_data_dir()


def local_paths_allowed() -> bool:
    """True when `$GAN_EXPLORER_LOCAL` declares a local (non-hosted) installation."""
    return os.environ.get(LOCAL_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def resolve_data_path(user_path: str, allow_outside: bool | None = None) -> Path:
    """Resolve a dataset path typed by a user, refusing paths outside the data directory.

    Relative paths are taken inside `data_root()`; absolute ones must lie inside it (or
    inside `uploads_root()`, where the visitors' own uploads are stored) once `..` and every
    symlink are resolved. With `allow_outside` (default: the
    `GAN_EXPLORER_LOCAL` setting) any path is accepted, relative ones against the current
    directory as a command-line user expects. The path need not exist: the loaders report
    missing files, and refusing before looking tells a visitor nothing about the server.

    Raises DataError for an empty path, a NUL byte, or a path outside the data directory.
    """
    if allow_outside is None:
        allow_outside = local_paths_allowed()
    text = str(user_path).strip()
    if not text:
        raise DataError("No dataset path was given.")
    if "\x00" in text:
        raise DataError("The dataset path contains a NUL character and cannot be used.")
    if allow_outside:
        return Path(text).expanduser().resolve()

    root = data_root().resolve()
    candidate = Path(text)
    # resolve() follows symlinks, so a link inside the root that points elsewhere is
    # judged by where it leads, not by where it sits.
    resolved = (candidate if candidate.is_absolute() else root / candidate).resolve()
    if not (resolved.is_relative_to(root) or resolved.is_relative_to(uploads_root().resolve())):
        raise DataError(
            f"The dataset path {text!r} is outside the data directory {root}. On a shared "
            f"demo only files inside that directory can be used; on your own machine set "
            f"{LOCAL_ENV}=1 to allow any path."
        )
    return resolved
