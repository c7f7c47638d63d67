"""The data layer's public face: MNIST, faces, where data lives, and the path guard.

The work is split by concern (each module's docstring says more):

- `mnist` (with `mnist_formats`): IDX and CSV loading, the search order, the stratified
  hold-out split, and `NUM_CLASSES`;
- `download`: fetching the official MNIST files with progress and md5 checks;
- `faces`: the notebook's faces HDF5 format and the image-folder converter;
- `paths`: the per-user data directory and `resolve_data_path`, which keeps paths
  typed on a hosted demo inside the configured data directory;
- `check`: `check_data(config)`, the pre-flight check a launch makes before anything
  is written;
- `uploads`: files a visitor uploads, checked and capped.

NumPy, h5py and PIL only: nothing here imports torch.

Every problem with a file raises `gan_engine.errors.DataError` naming the file and what
is wrong with it.
"""

from gan_engine.data.check import check_data
from gan_engine.data.download import MIRROR_ENV, MNIST_MD5, MNIST_MIRROR, DownloadProgress, download_mnist
from gan_engine.data.faces import FACES_GROUP, check_faces, images_to_hdf5, load_faces, square_resize
from gan_engine.data.mnist import NUM_CLASSES, MnistData, holdout_split, load_mnist, mnist_found, mnist_search_dirs
from gan_engine.data.paths import data_root, default_data_dir, local_paths_allowed, resolve_data_path

__all__ = [
    "FACES_GROUP", "MIRROR_ENV", "NUM_CLASSES", "MNIST_MD5", "MNIST_MIRROR", "DownloadProgress", "MnistData",
    "check_data", "check_faces", "data_root", "default_data_dir", "download_mnist", "holdout_split",
    "images_to_hdf5", "load_faces", "load_mnist", "local_paths_allowed", "mnist_found",
    "mnist_search_dirs", "resolve_data_path", "square_resize",
]
