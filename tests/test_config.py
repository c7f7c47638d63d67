"""The configuration's cache key and validation, and the resource limits read from the environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from gan_engine.config import ENGINE_FORMAT_VERSION, PRESETS, RunConfig, preset
from gan_engine.errors import ConfigError
from gan_engine.limits import Limits, available_cpus, run_examples

REPO = Path(__file__).resolve().parents[1]

# A valid value different from the default, per field (the defaults are gauss1d's).
CHANGED = {
    "target": "bimodal1d", "arch": "dcgan", "conditional": True, "loss": "lsgan", "label_smoothing": 0.1,
    "k": 2, "lr_d": 3e-4, "lr_g": 3e-4, "optimizer": "sgd", "beta1": 0.9, "beta2": 0.99, "batch_size": 64,
    "iterations": 2001, "latent_dim": 9, "hidden_dim": 65, "hidden_layers": 3, "leaky_slope": 0.1,
    "norm": "layernorm", "pack": 2, "ema_decay": 0.99, "image_size": 32, "data_path": "x.csv", "seed": 1,
    "snapshot_every": 101, "log_every": 11, "lr_schedule": "linear", "precision": "bf16", "r1_gamma": 0.5,
    "conditioning": "projection", "pack_by_label": True, "aux_weight": 0.5,
    "class_norm": True, "aux_fake": True, "fake_class": True, "mode_seeking": 0.5,
}


def test_every_field_but_the_label_changes_the_key() -> None:
    base = RunConfig()
    assert set(CHANGED) == {f.name for f in fields(RunConfig)} - {"preset"}
    keys = {base.key()}
    for name, value in CHANGED.items():
        changed = base.replace(**{name: value})
        assert changed.key() != base.key(), name
        keys.add(changed.key())
    assert len(keys) == len(CHANGED) + 1
    assert base.replace(preset="my label").key() == base.key()


def test_a_field_added_later_keeps_the_older_keys() -> None:
    # pack_by_label came after format 1: left at its default it is not part of the key, so the
    # configurations that existed before it keep their keys (and their cached runs)
    assert "pack_by_label" not in json.loads(RunConfig().canonical_json())
    assert json.loads(RunConfig(pack_by_label=True).canonical_json())["pack_by_label"] is True
    assert PRESETS["gauss1d"].key() == "128c2eb6ac3568d2"          # its key before the field existed
    with pytest.raises(ConfigError, match="pack_by_label"):
        preset("mnist-gan", pack_by_label=True)                        # unconditional: no digit to group by
    assert "aux_weight" not in json.loads(RunConfig().canonical_json())   # the same for the AC-GAN weight
    assert "class_norm" not in json.loads(RunConfig().canonical_json())   # and for conditional norms in G
    assert "aux_fake" not in json.loads(RunConfig().canonical_json())     # and for AC-GAN's fake-label term
    assert "fake_class" not in json.loads(RunConfig().canonical_json())   # and for AM-GAN's "generated" class
    assert "mode_seeking" not in json.loads(RunConfig().canonical_json())  # and for MSGAN's penalty


@pytest.mark.parametrize("overrides, words", [
    ({"target": "mnist", "aux_weight": 1.0}, "conditional"),                  # no digit to name
    ({"target": "mnist", "conditional": True, "pack": 2, "aux_weight": 1.0}, "pack_by_label"),
    ({"target": "mnist", "conditional": True, "aux_weight": -1.0}, "aux_weight"),
    ({"target": "mnist", "conditional": True, "aux_fake": True}, "aux_weight"),               # no classifier
    ({"target": "mnist", "conditional": True, "fake_class": True}, "aux_weight"),             # no classifier
    ({"target": "mnist", "conditional": True, "aux_weight": 1.0, "aux_fake": True, "fake_class": True},
     "choose one"),                                                                          # two meanings for a fake
    ({"target": "mnist", "conditional": True, "mode_seeking": 0.5, "batch_size": 63}, "even batch_size"),
    ({"target": "mnist", "conditional": True, "mode_seeking": 0.5, "pack": 3, "pack_by_label": True,
      "batch_size": 66}, "even pack"),                                                      # pairs would mix digits
    ({"target": "mnist", "conditional": True, "mode_seeking": -1.0}, "mode_seeking"),
    ({"target": "mnist", "conditional": True, "class_norm": True, "norm": "batchnorm"}, "class_norm"),   # mlp
    ({"target": "mnist", "conditional": True, "class_norm": True, "arch": "dcgan"}, "class_norm"),      # no norm
    ({"target": "mnist", "class_norm": True, "arch": "dcgan", "norm": "batchnorm"}, "class_norm"),      # no label
])
def test_the_auxiliary_classifier_needs_a_digit_to_name(overrides, words) -> None:
    with pytest.raises(ConfigError, match=words):
        RunConfig(**overrides).validate()


def test_the_key_is_stable_across_processes_and_hash_seeds() -> None:
    configs = [preset(name) for name in PRESETS] + [RunConfig(lr_d=0.1 + 0.2, lr_g=1e-4 / 3)]
    script = ("import json, sys; from gan_engine.config import RunConfig; "
              "print(json.dumps([RunConfig.from_dict(c).key() for c in json.load(sys.stdin)]))")
    payload = json.dumps([c.to_dict() for c in configs])
    for hash_seed in ("0", "12345"):
        out = subprocess.run([sys.executable, "-c", script], input=payload, capture_output=True, text=True,
                             cwd=REPO, env={**os.environ, "PYTHONHASHSEED": hash_seed}, check=True)
        assert json.loads(out.stdout) == [c.key() for c in configs]


def test_the_key_is_a_hash_of_the_canonical_form_with_the_engine_version() -> None:
    config = RunConfig()
    assert len(config.key()) == 16 and int(config.key(), 16) >= 0
    canonical = json.loads(config.canonical_json())
    assert canonical["engine_format_version"] == ENGINE_FORMAT_VERSION and "preset" not in canonical
    assert RunConfig.from_dict(json.loads(json.dumps(config.to_dict()))) == config
    assert RunConfig.from_dict({"k": "3", "lr_d": "0.001", "conditional": "false"}).k == 3


@pytest.mark.parametrize(("overrides", "message"), [
    ({"k": 0}, "k must be a whole number from 1 to 100; got 0"),
    ({"lr_d": -1e-3}, r"lr_d must be a number in \(0, 10\]"),
    ({"lr_g": float("nan")}, "lr_g must be a number"),
    ({"batch_size": 0}, "batch_size must be a whole number"),
    ({"loss": "wasserstein"}, "Unknown loss 'wasserstein': choose one of minimax, nonsaturating, lsgan"),
    ({"conditional": True}, "A conditional GAN needs class labels"),
    ({"arch": "dcgan"}, "dcgan"),
    ({"pack": 3, "batch_size": 32}, r"batch_size \(32\) must be a multiple of pack \(3\)"),
    ({"label_smoothing": 0.5}, r"label_smoothing must be a number in \[0, 0.5\)"),
])
def test_impossible_values_are_named(overrides: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        RunConfig().replace(**overrides).validate()


def test_unknown_fields_presets_and_types_are_named() -> None:
    with pytest.raises(ConfigError, match="Unknown configuration field.*: colour"):
        RunConfig.from_dict({"colour": "red"})
    with pytest.raises(ConfigError, match="Unknown preset 'nope'"):
        preset("nope")
    with pytest.raises(ConfigError, match="k must be a int; got 'five'"):
        preset("gauss1d", k="five")


def test_visitor_limits_and_the_local_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GAN_EXPLORER_LOCAL", "GAN_EXPLORER_MAX_RUN_EXAMPLES", "GAN_EXPLORER_MAX_BATCH",
                 "GAN_EXPLORER_MAX_WORKERS", "GAN_EXPLORER_MAX_QUEUE", "GAN_EXPLORER_CACHE_MB"):
        monkeypatch.delenv(name, raising=False)
    hosted = Limits.from_env()
    assert (hosted.max_workers, hosted.max_queue, hosted.cache_bytes) == (available_cpus(), 12, 1024 * 1024 * 1024)
    assert Limits.from_env(backend="ray").max_queue == 100, "queued Ray runs cost no process here"
    for name in PRESETS:                       # every preset fits a visitor's caps
        hosted.check_run(preset(name))
    big = preset("gauss1d", iterations=1_000_000, batch_size=256)
    assert run_examples(big) == 1_000_000 * 256 * 2
    with pytest.raises(ConfigError, match="too large for this server.*512,000,000 examples"):
        hosted.check_run(big)
    with pytest.raises(ConfigError, match="batch_size 4096 is above this server's limit of 1024"):
        hosted.check_run(preset("gauss1d", batch_size=4096))

    monkeypatch.setenv("GAN_EXPLORER_LOCAL", "1")
    local = Limits.from_env()
    local.check_run(big)
    assert local.cache_bytes is None and local.max_workers == available_cpus() and local.max_queue > 1000

    monkeypatch.setenv("GAN_EXPLORER_MAX_WORKERS", "3")
    monkeypatch.setenv("GAN_EXPLORER_CACHE_MB", "5")
    assert Limits.from_env().max_workers == 3 and Limits.from_env().cache_bytes == 5 * 1024 * 1024
    monkeypatch.setenv("GAN_EXPLORER_MAX_QUEUE", "lots")
    with pytest.raises(ConfigError, match="GAN_EXPLORER_MAX_QUEUE must be a whole number; got 'lots'"):
        Limits.from_env()
    monkeypatch.setenv("GAN_EXPLORER_MAX_QUEUE", "2")
    monkeypatch.setenv("GAN_EXPLORER_MAX_WORKERS", "0")
    with pytest.raises(ConfigError, match="GAN_EXPLORER_MAX_WORKERS must be from 1 to 64; got 0"):
        Limits.from_env()
