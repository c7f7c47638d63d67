"""gan_engine.judge: the score mathematics, the classifier files, and the shipped models.

The shipped classifiers (judges A and B) and generator are checked against what their files
claim: each judge's recorded accuracy is recomputed on the part of the split it never saw,
and the shipped conditional generator is scored afresh by both and must clear the bars the
project sets.
"""

from __future__ import annotations

import shutil

import h5py
import numpy as np
import pytest
import scipy.linalg
import torch

from gan_engine import judge
from gan_engine.cli import main as cli_main
from gan_engine.data import holdout_split, load_mnist
from gan_engine.train.real_data import MNIST_HOLDOUT_FRACTION, MNIST_SPLIT_SEED
from gan_engine.errors import DataError
from gan_engine.runs.store import open_run


@pytest.fixture(scope="module")
def classifier() -> judge.Classifier:
    return judge.load_classifier()


@pytest.fixture(scope="module")
def second_judge() -> judge.Classifier:
    return judge.load_classifier(judge.SECOND_CLASSIFIER_PATH)


@pytest.fixture(scope="module")
def split(full_mnist_test_split):
    """(fit, held-out) parts of the full test split, which the shipped judges were trained and measured on."""
    data = load_mnist(full_mnist_test_split, download=False)
    return holdout_split(data, MNIST_HOLDOUT_FRACTION, MNIST_SPLIT_SEED)


@pytest.fixture(scope="module")
def holdout(split):
    """The held-out part judge A was measured on (and judge B trained on)."""
    return split[1]


@pytest.fixture(scope="module")
def cgan():
    config, generator, _ = open_run("pretrained:mnist-cgan").load_models("cpu")
    return config, generator


# ---- mathematics ---------------------------------------------------------------------------------

def test_frechet_with_equal_covariances_is_the_squared_mean_distance():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((40, 6))
    cov = a.T @ a / 40
    mu1, mu2 = rng.standard_normal(6), rng.standard_normal(6)
    assert judge.frechet_distance(mu1, cov, mu2, cov) == pytest.approx(np.sum((mu1 - mu2) ** 2), rel=1e-6)
    assert judge.frechet_distance(mu1, cov, mu1, cov) == pytest.approx(0.0, abs=1e-8)


def test_frechet_matches_the_general_matrix_square_root():
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((50, 8)), rng.standard_normal((50, 8)) * 2.0
    cov1, cov2 = a.T @ a / 50, b.T @ b / 50
    mu1, mu2 = rng.standard_normal(8), rng.standard_normal(8)
    covmean = scipy.linalg.sqrtm(cov1 @ cov2).real
    expected = np.sum((mu1 - mu2) ** 2) + np.trace(cov1 + cov2 - 2 * covmean)
    assert judge.frechet_distance(mu1, cov1, mu2, cov2) == pytest.approx(expected, rel=1e-6)
    # symmetric in its two arguments
    assert judge.frechet_distance(mu2, cov2, mu1, cov1) == pytest.approx(expected, rel=1e-6)


def test_frechet_of_one_dimensional_gaussians():
    # W2² between N(m1, s1²) and N(m2, s2²) is (m1 - m2)² + (s1 - s2)²
    d = judge.frechet_distance(np.array([1.0]), np.array([[4.0]]), np.array([3.0]), np.array([[9.0]]))
    assert d == pytest.approx(4.0 + 1.0)


def test_mean_pairwise_distance_against_brute_force():
    x = np.random.default_rng(2).standard_normal((7, 3))
    brute = np.mean([np.linalg.norm(x[i] - x[j]) for i in range(7) for j in range(i + 1, 7)])
    assert judge.mean_pairwise_distance(x) == pytest.approx(brute)
    assert judge.mean_pairwise_distance(np.repeat(x[:1], 5, axis=0)) == pytest.approx(0.0, abs=1e-6)
    assert np.isnan(judge.mean_pairwise_distance(x[:1]))


def test_within_class_diversity_groups_by_label():
    features = np.array([[0.0], [2.0], [5.0], [5.0], [9.0]])
    labels = np.array([0, 0, 1, 1, 2])
    diversity = judge.within_class_diversity(features, labels, num_classes=4)
    np.testing.assert_allclose(diversity[:2], [2.0, 0.0])
    assert np.isnan(diversity[2]) and np.isnan(diversity[3])


def test_histogram_and_per_class_accuracy():
    predictions = np.array([0, 0, 1, 1, 1, 9])
    requested = np.array([0, 1, 1, 1, 2, 9])
    np.testing.assert_allclose(judge.class_histogram(predictions), [2 / 6, 3 / 6, 0, 0, 0, 0, 0, 0, 0, 1 / 6])
    accuracy = judge.per_class_accuracy(predictions, requested)
    np.testing.assert_allclose(accuracy[[0, 1, 2, 9]], [1.0, 2 / 3, 0.0, 1.0])
    assert np.isnan(accuracy[5])


def test_nearest_images_finds_an_exact_copy():
    pool = np.random.default_rng(3).integers(0, 256, (50, 28, 28), dtype=np.uint8)
    samples = pool[[17, 4]].astype(np.float32) / 255.0
    index, distance = judge.nearest_images(samples, pool)
    np.testing.assert_array_equal(index, [17, 4])
    np.testing.assert_allclose(distance, 0.0, atol=1e-6)
    noisy = np.clip(samples + 0.1, 0, 1)
    assert np.all(judge.nearest_images(noisy, pool)[1] > 0.05)


# ---- the classifier file -------------------------------------------------------------------------

def test_shipped_classifier_accuracy_is_what_its_file_says(classifier, holdout):
    recorded = classifier.info["holdout_accuracy"]
    assert recorded >= 0.98
    predictions, features = judge.classify(classifier.model, holdout.images)
    assert np.mean(predictions == holdout.labels) == pytest.approx(recorded, abs=1e-9)
    assert features.shape == (len(holdout.labels), judge.classifier.FEATURE_DIM)
    assert classifier.info["holdout_size"] == len(holdout.labels)
    assert classifier.info["train_size"] + classifier.info["holdout_size"] == 10_000
    assert classifier.info["frechet_floor"] > 0


def test_second_judge_is_another_network_trained_on_the_other_part(second_judge, split):
    fit, held = split
    info = second_judge.info
    assert isinstance(second_judge.model, judge.MnistGapClassifier) and second_judge.name == "B"
    assert (info["train_part"], info["architecture"]) == ("holdout", "gap-cnn")
    assert (info["train_size"], info["holdout_size"]) == (len(held.labels), len(fit.labels))   # 2,000 and 8,000
    assert info["holdout_accuracy"] >= 0.975
    predictions, _ = judge.classify(second_judge.model, fit.images)
    assert np.mean(predictions == fit.labels) == pytest.approx(info["holdout_accuracy"], abs=1e-9)
    assert info["frechet_half_size"] == 1000 and info["frechet_floor"] > 0


def test_classifier_round_trip_and_damaged_files(classifier, tmp_path):
    copy = tmp_path / "copy.h5"
    judge.save_classifier(copy, classifier)
    again = judge.load_classifier(copy)
    digits = np.random.default_rng(4).random((5, 28, 28)).astype(np.float32)
    np.testing.assert_array_equal(judge.classify(again.model, digits)[0],
                                  judge.classify(classifier.model, digits)[0])
    assert again.info["holdout_accuracy"] == classifier.info["holdout_accuracy"]

    with pytest.raises(DataError, match="missing"):
        judge.load_classifier(tmp_path / "absent.h5")
    truncated = tmp_path / "truncated.h5"
    truncated.write_bytes(copy.read_bytes()[:5000])
    with pytest.raises(DataError, match="damaged"):
        judge.load_classifier(truncated)
    with h5py.File(copy, "a") as f:
        del f["weights/hidden.weight"]
    with pytest.raises(DataError, match="damaged"):
        judge.load_classifier(copy)


def test_train_classifier_learns_from_one_epoch(tmp_path):
    torch.set_num_threads(1)
    out = tmp_path / "small.h5"
    trained = judge.train_classifier(out, epochs=2, holdout_fraction=0.2)
    assert out.is_file()
    # the 2,000-digit fixture: 1,600 training images, two epochs: far from perfect, far above chance (10%)
    assert trained.info["holdout_accuracy"] > 0.6
    assert trained.info["train_size"] == 1600
    assert judge.load_classifier(out).info["holdout_accuracy"] == trained.info["holdout_accuracy"]


def test_the_second_architecture_trains_on_the_held_out_part(tmp_path):
    torch.set_num_threads(1)
    out = tmp_path / "b.h5"
    trained = judge.train_classifier(out, epochs=8, batch_size=32, lr=2e-3, architecture="gap-cnn", train_part="holdout")
    # the fixture's held-out part: 400 digits to learn from, judged on the other 1,600
    assert (trained.info["train_size"], trained.info["holdout_size"]) == (400, 1600)
    assert trained.info["holdout_accuracy"] > 0.3
    again = judge.load_classifier(out)
    assert isinstance(again.model, judge.MnistGapClassifier) and again.name == "B"
    digits = np.random.default_rng(5).random((4, 28, 28)).astype(np.float32)
    np.testing.assert_array_equal(judge.classify(again.model, digits)[0], judge.classify(trained.model, digits)[0])
    with pytest.raises(DataError, match="architecture"):
        judge.train_classifier(out, epochs=1, architecture="resnet")


# ---- judging generators ------------------------------------------------------------------------------

def test_shipped_conditional_generator_clears_the_bars_by_both_judges(cgan, classifier, second_judge):
    config, generator = cgan
    judged = judge.judge_generator(generator, config.latent_dim, (classifier, second_judge), per_class=200, seed=123)
    assert judged.conditional and judged.names == ("A", "B")
    # 1,000 per digit must reach 97% by both (recorded); 200 fresh ones a little less
    assert np.all(judged.accuracy >= 0.95), judged.accuracy
    assert judged.min_diversity_ratio >= 0.85, judged.diversity_ratio
    assert judged.scores[0].frechet < 1.5 * judged.scores[0].frechet_floor   # near the real-vs-real noise floor


def test_recorded_scores_of_the_shipped_generator(cgan):
    path = open_run("pretrained:mnist-cgan").path
    recorded = judge.read_judged(path)
    assert recorded is not None
    judged, accuracy = recorded
    assert judged.names == ("A", "B") and judged.samples == 10_000
    assert judged.meets(0.97, 0.85)
    assert accuracy["A"] >= 0.98 and accuracy["B"] >= 0.975
    scores, attrs = judge.read_scores(path)
    assert scores.samples_per_class == 1000
    assert "gan_engine score" in attrs["command"] and "--write" in attrs["command"]   # recorded when the file was made
    assert cgan[0].preset == "mnist-cgan"     # the Gallery names it by the preset it was trained with


class _IgnoresZ(torch.nn.Module):
    """A perfectly collapsed conditional generator: the shipped one fed z = 0 whatever z is."""

    def __init__(self, generator: torch.nn.Module) -> None:
        super().__init__()
        self.inner, self.num_classes = generator, generator.num_classes

    def forward(self, z: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        return self.inner(torch.zeros_like(z), labels)


def test_a_collapsed_generator_scores_no_diversity(cgan, classifier):
    config, generator = cgan
    scores = judge.score_generator(_IgnoresZ(generator), config.latent_dim, classifier, per_class=20)
    assert np.all(scores.diversity < 1e-3)
    assert not scores.meets()


def test_unconditional_scores_use_the_histogram(classifier):
    from gan_engine.config import preset
    from gan_engine.train.models import build_models

    torch.manual_seed(0)
    generator, _ = build_models(preset("mnist-gan", hidden_dim=16))
    scores = judge.score_generator(generator, 64, classifier, per_class=10)
    assert not scores.conditional and np.all(np.isnan(scores.accuracy))
    assert scores.histogram.sum() == pytest.approx(1.0)
    assert scores.real_histogram.sum() == pytest.approx(1.0)


def test_scores_round_trip_through_a_run_file(cgan, classifier, tmp_path):
    copy = tmp_path / "run.h5"
    shutil.copy(open_run("pretrained:mnist-cgan").path, copy)
    config, generator = cgan
    scores = judge.score_generator(generator, config.latent_dim, classifier, per_class=10)
    judge.write_scores(copy, scores, classifier, command="test")
    again, attrs = judge.read_scores(copy)
    np.testing.assert_allclose(again.accuracy, scores.accuracy)
    assert again.frechet == scores.frechet and attrs["command"] == "test"
    assert open_run(str(copy)).summary().status == "done"   # still a valid run file
    with h5py.File(copy, "a") as f:
        del f["evaluation/diversity"]
    with pytest.raises(DataError, match="damaged"):
        judge.read_scores(copy)


def test_score_rejects_generators_that_do_not_draw_digits(classifier):
    from gan_engine.config import preset
    from gan_engine.train.models import build_models

    generator, _ = build_models(preset("faces", hidden_dim=8, image_size=16))
    with pytest.raises(DataError, match="28x28"):
        judge.score_generator(generator, 100, classifier, per_class=1)


def test_sampling_seed_is_checked_by_the_command_line(capsys):
    assert cli_main(["score", "--run", "pretrained:mnist-cgan", "--per-class", "1", "--seed", "-3"]) == 2
    assert "seed" in capsys.readouterr().err
