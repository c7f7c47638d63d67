"""Drawing from and scoring trained generators: sampling, the digit classifiers, the scores.

`judge.X` reaches the public names of its modules: sampling (draws, interpolations),
classifier (the two judges' networks, files and training), scores (NumPy maths), evaluation
(scoring a generator and recording the scores in its file), quality (two judges at once,
and the scores a run records at its snapshots), verdict (has a run collapsed? from its
metrics alone). They are loaded on first use, so `gan_engine.judge.verdict`, which a page
reads, does not load torch.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "CLASSIFIER_PATH": "classifier", "SECOND_CLASSIFIER_PATH": "classifier", "Classifier": "classifier",
    "MnistClassifier": "classifier", "MnistGapClassifier": "classifier", "classify": "classifier",
    "load_classifier": "classifier", "save_classifier": "classifier", "train_classifier": "classifier",
    "GeneratorScores": "evaluation", "print_scores": "evaluation", "read_scores": "evaluation",
    "score_generator": "evaluation", "score_images": "evaluation", "draw_digits": "evaluation",
    "write_scores": "evaluation",
    "JudgedScores": "quality", "load_judges": "quality", "judge_generator": "quality", "quality_metrics": "quality",
    "SnapshotJudge": "quality", "snapshot_judge": "quality", "print_judged": "quality", "read_judged": "quality",
    "Verdict": "verdict", "run_verdict": "verdict",
    "class_histogram": "scores", "feature_stats": "scores", "frechet_distance": "scores",
    "mean_pairwise_distance": "scores", "nearest_images": "scores", "per_class_accuracy": "scores",
    "within_class_diversity": "scores",
}
_MODULES = ("classifier", "evaluation", "quality", "sampling", "scores", "verdict")

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        value = importlib.import_module(f"gan_engine.judge.{name}")
    elif name in _EXPORTS:
        value = getattr(importlib.import_module(f"gan_engine.judge.{_EXPORTS[name]}"), name)
    else:
        raise AttributeError(f"module 'gan_engine.judge' has no attribute {name!r}")
    globals()[name] = value
    return value
