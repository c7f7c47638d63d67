"""`python -m gan_engine ...`: the engine's command line (see gan_engine/cli.py)."""

import sys

from gan_engine.cli import main

if __name__ == "__main__":
    sys.exit(main())
