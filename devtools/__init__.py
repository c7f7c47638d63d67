"""Tools the tests and the benchmarks share (not part of the installed engine): starting the
dashboard and finding a browser (browser.py), tiny runs and worker processes (runs.py)."""
