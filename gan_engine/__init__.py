"""gan_engine: everything GAN Explorer computes. Never imports streamlit."""

__version__ = "0.1.0"
