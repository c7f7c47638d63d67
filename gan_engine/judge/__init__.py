"""Drawing from and scoring trained generators: sampling, the digit classifier, the scores.

`judge.X` reaches the public names of its modules: sampling (draws, interpolations),
classifier (the network, its file, its training), scores (NumPy maths), evaluation
(scoring a generator and recording the scores in its file).
"""

from gan_engine.judge.classifier import (CLASSIFIER_PATH, Classifier, MnistClassifier, classify,
                                         load_classifier, save_classifier, train_classifier)
from gan_engine.judge.evaluation import GeneratorScores, print_scores, read_scores, score_generator, write_scores
from gan_engine.judge.scores import (class_histogram, feature_stats, frechet_distance, mean_pairwise_distance,
                                     nearest_images, per_class_accuracy, within_class_diversity)

__all__ = ["CLASSIFIER_PATH", "Classifier", "MnistClassifier", "classify", "load_classifier", "save_classifier",
           "train_classifier", "GeneratorScores", "print_scores", "read_scores", "score_generator", "write_scores",
           "class_histogram", "feature_stats", "frechet_distance", "mean_pairwise_distance", "nearest_images",
           "per_class_accuracy", "within_class_diversity"]
