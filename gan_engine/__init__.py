"""gan_engine: everything GAN Explorer computes. Never imports streamlit.

Packages by domain (docs/ARCHITECTURE.md has the map and the import rules):
data (files -> arrays), theory (the Theory page's maths), train (one run in one process),
runs (the run cache), judge (sampling and scoring trained generators), plots (figures).
"""

from pathlib import Path

__version__ = "0.1.0"

PRETRAINED_DIR = Path(__file__).resolve().parent / "pretrained"   # shipped generators and classifiers
