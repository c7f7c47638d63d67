"""`python -m gan_engine.evaluator {train,score}`: the classifier's first command line, kept
because scripts and the shipped files' recorded commands use it.

The commands live in `gan_engine.cli` as `train-classifier` and `score` (listed by
`python -m gan_engine --help`); this module only forwards to them.
"""

import sys

from gan_engine.cli import main

if __name__ == "__main__":
    argv = sys.argv[1:]
    if argv[:1] == ["train"]:
        argv[0] = "train-classifier"
    raise SystemExit(main(argv, prog="python -m gan_engine.evaluator"))
