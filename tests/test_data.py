"""The data layer on real files: IDX, CSV, HDF5 and image folders written to tmp_path,
the real MNIST test split, a real download from a local HTTP server, and the path guard.

Broken inputs are covered by test_malformed_corpus.py; here the files are good and the
questions are whether the right data comes back from the right place.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import http.server
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import h5py
import numpy as np
import pytest
from PIL import Image

from gan_engine.data import download as data_download
from gan_engine.data import (
    FACES_GROUP,
    MNIST_MD5,
    MnistData,
    data_root,
    default_data_dir,
    download_mnist,
    holdout_split,
    images_to_hdf5,
    load_faces,
    load_mnist,
    resolve_data_path,
)
from gan_engine.errors import DataError

MNIST_FIXTURE = Path(__file__).resolve().parent / "data" / "mnist"   # 2,000 digits, see its README
TEST_FILES = ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No configured data, a per-user directory inside tmp_path, a mirror that refuses."""
    for name in ("GAN_EXPLORER_DATA", "GAN_EXPLORER_LOCAL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("GAN_EXPLORER_MNIST_MIRROR", f"http://127.0.0.1:{_closed_port()}/")
    return tmp_path / "xdg" / "gan-explorer"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ---- writing real MNIST files ------------------------------------------------------------

def digits(count: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """uint8 (count, 28, 28) images whose first two pixels encode their index, labels i % 10."""
    images = np.random.default_rng(seed).integers(0, 256, (count, 28, 28), dtype=np.uint8)
    images[:, 0, 0], images[:, 0, 1] = np.arange(count) % 256, np.arange(count) // 256
    return images, (np.arange(count) % 10).astype(np.int64)


def write_idx_pair(folder: Path, prefix: str, images: np.ndarray, labels: np.ndarray,
                   compressed: bool = True, dotted: bool = False) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    separator = "." if dotted else "-"
    paths = []
    for kind, magic, array in (("images", 2051, images), ("labels", 2049, labels.astype(np.uint8))):
        body = magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in array.shape)
        body += array.astype(np.uint8).tobytes()
        name = f"{prefix}-{kind}{separator}idx{3 if kind == 'images' else 1}-ubyte"
        path = folder / (name + ".gz" if compressed else name)
        path.write_bytes(gzip.compress(body) if compressed else body)
        paths.append(path)
    return paths[0], paths[1]


def write_csv(path: Path, images: np.ndarray, labels: np.ndarray, header: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = np.column_stack([labels, images.reshape(len(images), -1)])
    lines = [",".join(["label"] + [f"pixel{i}" for i in range(784)])] if header else []
    lines += [",".join(map(str, row)) for row in rows]
    path.write_text("\n".join(lines) + "\n")
    return path


# ---- MNIST ------------------------------------------------------------------------------

def test_the_committed_fixture_is_the_documented_subset_of_the_real_test_split() -> None:
    readme = (MNIST_FIXTURE / "README.md").read_text()
    for name in TEST_FILES:
        assert hashlib.md5((MNIST_FIXTURE / name).read_bytes()).hexdigest() in readme, name
    mnist = load_mnist(MNIST_FIXTURE, download=False)
    assert mnist.images.shape == (2_000, 28, 28) and mnist.images.dtype == np.uint8
    assert mnist.labels.dtype == np.int64
    assert mnist.class_counts().tolist() == [200] * 10
    assert mnist.labels[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]   # the official file's first ten
    assert mnist.split == "test" and "test split: 2,000 images" in mnist.describe()
    assert mnist.images.max() == 255 and mnist.images.min() == 0


def test_uncompressed_copy_of_real_files_gives_identical_arrays(tmp_path: Path) -> None:
    for name in TEST_FILES:
        (tmp_path / name.removesuffix(".gz")).write_bytes(gzip.decompress((MNIST_FIXTURE / name).read_bytes()))
    plain = load_mnist(tmp_path, download=False)
    packed = load_mnist(MNIST_FIXTURE, download=False)
    assert plain.source.endswith("t10k-images-idx3-ubyte")
    np.testing.assert_array_equal(plain.images, packed.images)
    np.testing.assert_array_equal(plain.labels, packed.labels)


@pytest.mark.parametrize("compressed", [True, False])
@pytest.mark.parametrize("dotted", [False, True])
def test_idx_round_trip_from_folder_images_file_or_labels_file(tmp_path: Path, compressed: bool,
                                                                dotted: bool) -> None:
    images, labels = digits(23)
    images_path, labels_path = write_idx_pair(tmp_path, "train", images, labels, compressed, dotted)
    for given in (tmp_path, images_path, labels_path):
        mnist = load_mnist(given, download=False)
        np.testing.assert_array_equal(mnist.images, images)
        np.testing.assert_array_equal(mnist.labels, labels)
        assert mnist.split == "train" and mnist.source == str(images_path)


def test_csv_round_trip_with_and_without_a_header_equals_idx(tmp_path: Path) -> None:
    images, labels = digits(15, seed=3)
    idx = load_mnist(write_idx_pair(tmp_path / "idx", "t10k", images, labels)[0], download=False)
    for header in (False, True):
        mnist = load_mnist(write_csv(tmp_path / f"h{header}" / "digits.csv", images, labels, header))
        assert mnist.split == "csv"
        np.testing.assert_array_equal(mnist.images, idx.images)
        np.testing.assert_array_equal(mnist.labels, idx.labels)


def test_search_order_explicit_then_env_then_env_mnist_then_user_dir(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_environment: Path) -> None:
    write_idx_pair(isolated_environment / "mnist", "t10k", *digits(7))
    found = load_mnist(download=False)
    assert (len(found), found.split) == (7, "test")
    assert found.source.startswith(str(isolated_environment))

    configured = tmp_path / "configured"
    monkeypatch.setenv("GAN_EXPLORER_DATA", str(configured))
    write_idx_pair(configured / "mnist", "t10k", *digits(5))
    assert len(load_mnist(download=False)) == 5
    write_idx_pair(configured / "mnist", "train", *digits(6))      # train beats test
    assert (len(load_mnist(download=False)), load_mnist(download=False).split) == (6, "train")
    write_csv(configured / "mnist_train.csv", *digits(4))           # the folder itself comes first
    assert (len(load_mnist(download=False)), load_mnist(download=False).split) == (4, "csv")

    explicit = write_idx_pair(tmp_path / "explicit", "t10k", *digits(3))[0]
    assert len(load_mnist(explicit, download=False)) == 3


def test_half_pair_is_skipped_and_mentioned_when_nothing_else_is_found(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAN_EXPLORER_DATA", str(tmp_path / "data"))
    images_path, labels_path = write_idx_pair(tmp_path / "data", "train", *digits(4))
    labels_path.unlink()
    with pytest.raises(DataError, match="has no train labels file beside it") as caught:
        load_mnist(download=False)
    assert str(images_path) in str(caught.value)
    write_idx_pair(tmp_path / "data", "t10k", *digits(9))
    assert (len(load_mnist(download=False)), load_mnist(download=False).split) == (9, "test")


def test_nothing_found_offline_says_where_to_put_which_files(isolated_environment: Path) -> None:
    with pytest.raises(DataError) as caught:
        load_mnist()      # the mirror is a closed local port: the download fails
    message = str(caught.value)
    assert message.startswith("No MNIST data found. Could not download")
    for expected in ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                     "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "mnist_train.csv",
                     str(isolated_environment), str(isolated_environment / "mnist"), "GAN_EXPLORER_DATA"):
        assert expected in message
    with pytest.raises(DataError, match="does not exist"):
        load_mnist(isolated_environment / "nowhere")


def index_of(part: MnistData) -> np.ndarray:
    """The original positions of `digits` images, read back from their first two pixels."""
    return part.images[:, 0, 0].astype(int) + 256 * part.images[:, 0, 1].astype(int)


def test_holdout_split_is_stratified_disjoint_ordered_and_seeded() -> None:
    images, labels = digits(503)
    data = MnistData(images, labels, "test", "synthetic")
    fit, held = holdout_split(data, 0.2, seed=4)
    fit_index, held_index = index_of(fit), index_of(held)
    assert set(fit_index).isdisjoint(held_index) and len(fit_index) + len(held_index) == 503
    assert np.all(np.diff(fit_index) > 0) and np.all(np.diff(held_index) > 0)
    np.testing.assert_array_equal(held.labels, labels[held_index])
    assert held.class_counts().tolist() == [np.floor(c * 0.2 + 0.5) for c in data.class_counts()]
    assert (fit.part, held.part) == ("fit", "holdout") and "holdout part" in held.describe()
    np.testing.assert_array_equal(index_of(holdout_split(data, 0.2, seed=4)[1]), held_index)
    assert not np.array_equal(index_of(holdout_split(data, 0.2, seed=5)[1]), held_index)
    for fraction in (0.0, 1.0, -0.1):
        with pytest.raises(DataError, match="holdout_fraction"):
            holdout_split(data, fraction)


def test_holdout_of_real_digits_keeps_class_proportions() -> None:
    real = load_mnist(MNIST_FIXTURE, download=False)
    counts = [196, 181, 157, 143, 120, 99, 88, 61, 47, 33]   # uneven on purpose (the fixture has 200 each)
    keep = np.sort(np.concatenate([np.flatnonzero(real.labels == digit)[:n] for digit, n in enumerate(counts)]))
    data = dataclasses.replace(real, images=real.images[keep], labels=real.labels[keep])
    fit, held = holdout_split(data, 0.2, seed=0)
    assert held.class_counts().tolist() == [int(np.floor(c * 0.2 + 0.5)) for c in counts]
    assert (fit.class_counts() + held.class_counts()).tolist() == counts


# ---- downloading from a real local HTTP server ------------------------------------------

@pytest.fixture
def mirror(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, list[str]]]:
    """A folder served over HTTP on 127.0.0.1; yields (folder, list of requested paths)."""
    root, requested = tmp_path / "mirror", []
    root.mkdir()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, format: str, *args: object) -> None:
            requested.append(self.path)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("GAN_EXPLORER_MNIST_MIRROR", f"http://127.0.0.1:{server.server_port}")
    yield root, requested
    server.shutdown()
    server.server_close()
    thread.join()


def test_download_verifies_real_files_reports_progress_and_resumes(
        mirror: tuple[Path, list[str]], tmp_path: Path) -> None:
    root, requested = mirror
    for name in TEST_FILES:
        shutil.copy(MNIST_FIXTURE / name, root / name)
    calls: list[tuple[str, int, int | None]] = []
    destination = tmp_path / "downloaded"
    files = {name: hashlib.md5((MNIST_FIXTURE / name).read_bytes()).hexdigest() for name in TEST_FILES}
    assert download_mnist(destination, lambda *call: calls.append(call), files=files) == destination
    assert sorted(p.name for p in destination.iterdir()) == sorted(TEST_FILES)   # no leftovers
    for name in TEST_FILES:
        size = (MNIST_FIXTURE / name).stat().st_size
        done = [d for n, d, _ in calls if n == name]
        assert done[0] == 0 and done[-1] == size and done == sorted(done)
        assert {t for n, _, t in calls if n == name} == {size}
        assert (destination / name).read_bytes() == (MNIST_FIXTURE / name).read_bytes()
    assert len(load_mnist(destination)) == 2_000
    requested.clear()
    download_mnist(destination, files=files)            # already there and verified
    assert requested == []


def test_load_mnist_downloads_all_four_files_when_nothing_is_found(
        mirror: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch, isolated_environment: Path) -> None:
    root, requested = mirror
    write_idx_pair(root, "train", *digits(12))
    write_idx_pair(root, "t10k", *digits(8))
    for name in MNIST_MD5:
        # The served files are small stand-ins, so the expected checksums are theirs.
        monkeypatch.setitem(data_download.MNIST_MD5, name, hashlib.md5((root / name).read_bytes()).hexdigest())
    mnist = load_mnist()
    assert (len(mnist), mnist.split) == (12, "train")
    assert mnist.source == str(isolated_environment / "mnist" / "train-images-idx3-ubyte.gz")
    assert sorted(requested) == sorted(f"/{name}" for name in MNIST_MD5)
    assert len(load_mnist(download=False)) == 12          # found in the user directory now


def test_download_with_wrong_checksum_or_missing_file_keeps_nothing(
        mirror: tuple[Path, list[str]], tmp_path: Path) -> None:
    root, _ = mirror
    (root / TEST_FILES[1]).write_bytes(b"not the labels")
    destination = tmp_path / "downloaded"
    with pytest.raises(DataError, match="has md5 .* not the expected ec29112dd5afa0611ce80d1b7f02629c"):
        download_mnist(destination, files={TEST_FILES[1]: MNIST_MD5[TEST_FILES[1]]})
    with pytest.raises(DataError, match="Could not download .*t10k-images-idx3-ubyte.gz: HTTP 404"):
        download_mnist(destination, files={TEST_FILES[0]: MNIST_MD5[TEST_FILES[0]]})
    assert list(destination.iterdir()) == []


# ---- faces ------------------------------------------------------------------------------

def write_faces(path: Path, images: list[np.ndarray]) -> Path:
    with h5py.File(path, "w") as handle:
        group = handle.create_group(FACES_GROUP)
        for index, image in enumerate(images):
            group.create_dataset(f"{index}.jpg", data=image)
    return path


def banded(height: int, width: int, centre: tuple[int, int, int]) -> np.ndarray:
    """A red image whose central square (side min(H, W)) is `centre`-coloured."""
    image = np.empty((height, width, 3), np.uint8)
    image[:] = (255, 0, 0)
    side = min(height, width)
    top, left = (height - side) // 2, (width - side) // 2
    image[top:top + side, left:left + side] = centre
    return image


def test_load_faces_centre_crops_mixed_shapes_and_resizes(tmp_path: Path) -> None:
    exact = np.random.default_rng(1).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    path = write_faces(tmp_path / "faces.h5", [banded(218, 178, (0, 200, 0)), banded(100, 161, (0, 0, 200)), exact])
    faces = load_faces(path)
    assert faces.shape == (3, 64, 64, 3) and faces.dtype == np.uint8
    assert np.all(faces[0] == (0, 200, 0)) and np.all(faces[1] == (0, 0, 200))  # no red band survives
    np.testing.assert_array_equal(faces[2], exact)                               # already square: untouched
    assert load_faces(path, image_size=16).shape == (3, 16, 16, 3)


def test_load_faces_takes_images_in_numeric_order_up_to_limit(tmp_path: Path) -> None:
    path = write_faces(tmp_path / "faces.h5", [np.full((10, 12, 3), 10 * i, np.uint8) for i in range(12)])
    assert load_faces(path, image_size=8)[:, 0, 0, 0].tolist() == [10 * i for i in range(12)]
    assert load_faces(path, image_size=8, limit=5)[:, 0, 0, 0].tolist() == [0, 10, 20, 30, 40]
    with pytest.raises(DataError, match="limit must be a positive"):
        load_faces(path, limit=0)
    with pytest.raises(DataError, match="does not exist"):
        load_faces(tmp_path / "missing.h5")


def test_images_to_hdf5_converts_a_mixed_folder_that_load_faces_reads(tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    rgb = np.random.default_rng(2).integers(0, 256, (20, 30, 3), dtype=np.uint8)
    Image.fromarray(rgb).save(folder / "img1.png")
    Image.fromarray(np.full((24, 16), 90, np.uint8)).save(folder / "img2.jpg")
    Image.fromarray(np.full((10, 10, 4), 200, np.uint8), "RGBA").save(folder / "img10.png")
    Image.fromarray(np.zeros((8, 9), np.uint8)).convert("P").save(folder / "palette.gif")
    (folder / ".DS_Store").write_bytes(b"\x00junk")           # hidden: ignored
    (folder / "thumbs").mkdir()                                 # sub-folders: ignored
    (folder / "thumbs" / "notes.txt").write_text("ignored")
    out = tmp_path / "faces.h5"
    assert images_to_hdf5(folder, out) == 4
    with h5py.File(out, "r") as handle:
        group = handle[FACES_GROUP]
        names = [group[f"{i}.jpg"].attrs["source_name"] for i in range(4)]
        shapes = [group[f"{i}.jpg"].shape for i in range(4)]
        assert all(group[f"{i}.jpg"].dtype == np.uint8 for i in range(4))
        np.testing.assert_array_equal(group["0.jpg"][()], rgb)
    assert names == ["img1.png", "img2.jpg", "img10.png", "palette.gif"]
    assert shapes == [(20, 30, 3), (24, 16, 3), (10, 10, 3), (8, 9, 3)]
    assert load_faces(out, image_size=32).shape == (4, 32, 32, 3)
    assert images_to_hdf5(folder, out, limit=2) == 2 and len(load_faces(out, image_size=8)) == 2


def test_failed_conversion_leaves_the_previous_output_untouched(tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    Image.fromarray(np.zeros((8, 8, 3), np.uint8)).save(folder / "0.png")
    (folder / "1.jpg").write_bytes(b"\xff\xd8 cut short")
    out = tmp_path / "out" / "faces.h5"
    out.parent.mkdir()
    out.write_bytes(b"previous result")
    with pytest.raises(DataError, match="1.jpg cannot be read as an image"):
        images_to_hdf5(folder, out)
    assert out.read_bytes() == b"previous result"
    assert [p.name for p in out.parent.iterdir()] == ["faces.h5"]     # no temporary left


# ---- the dataset-path guard -------------------------------------------------------------

def test_default_data_dir_and_root_follow_the_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_environment: Path) -> None:
    assert default_data_dir() == isolated_environment == data_root()
    monkeypatch.setenv("GAN_EXPLORER_DATA", str(tmp_path / "configured"))
    assert data_root() == tmp_path / "configured"


def test_resolve_data_path_stays_inside_the_data_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "data"
    (root / "faces").mkdir(parents=True)
    outside = tmp_path / "secret.txt"
    outside.write_text("private")
    monkeypatch.setenv("GAN_EXPLORER_DATA", str(root))
    (root / "escape").symlink_to(outside)
    (root / "alias").symlink_to(root / "faces")
    real_root = root.resolve()

    assert resolve_data_path("faces/celeba.h5") == real_root / "faces" / "celeba.h5"
    assert resolve_data_path("faces/../faces/x.h5") == real_root / "faces" / "x.h5"
    assert resolve_data_path(str(root / "faces")) == real_root / "faces"
    assert resolve_data_path("alias/x.h5") == real_root / "faces" / "x.h5"
    for attempt in ("../secret.txt", "faces/../../secret.txt", str(outside), "/etc/passwd", "escape"):
        with pytest.raises(DataError, match="is outside the data directory"):
            resolve_data_path(attempt)
    for attempt, problem in (("", "No dataset path"), ("a\x00b", "NUL")):
        with pytest.raises(DataError, match=problem):
            resolve_data_path(attempt)


def test_local_setting_or_argument_allows_other_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAN_EXPLORER_DATA", str(tmp_path / "data"))
    elsewhere = tmp_path / "elsewhere" / "faces.h5"
    assert resolve_data_path(str(elsewhere), allow_outside=True) == elsewhere.resolve()
    monkeypatch.setenv("GAN_EXPLORER_LOCAL", "0")
    with pytest.raises(DataError, match="GAN_EXPLORER_LOCAL=1"):
        resolve_data_path(str(elsewhere))
    monkeypatch.setenv("GAN_EXPLORER_LOCAL", "1")
    assert resolve_data_path(str(elsewhere)) == elsewhere.resolve()
    with pytest.raises(DataError, match="outside"):
        resolve_data_path(str(elsewhere), allow_outside=False)
