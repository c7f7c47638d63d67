"""The run store: real HDF5 run files written and read back, listing, deleting, eviction.

No worker processes here (see test_runner.py / test_reliability.py); a "live" run is one
whose lock this test process holds, exactly what a worker does.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import h5py
import numpy as np
import pytest
import torch

from gan_engine.config import preset
from gan_engine.errors import RunError
from gan_engine.train.models import build_models
from gan_engine.runs.runfile import MAX_SNAPSHOTS, RunFile, RunRecord, state_arrays, write_run_file
from gan_engine.runs.store import RunStore, open_run, pretrained_path


def make_record(seed: int = 0, status: str = "done", logs: int = 5, snapshots: int = 3,
                weights: bool = True) -> RunRecord:
    """A finished-looking gauss1d run with real weights from the real model builder."""
    config = preset("gauss1d", iterations=50, batch_size=32, seed=seed)
    record = RunRecord(key=config.key(), config=config, status=status, total=50, device="cpu")
    for i in range(logs):
        record.add_log(10 * (i + 1), 50, {"loss_d": 1.3 - 0.01 * i, "loss_g": 0.7, "d_real": 0.5,
                                          "d_fake": 0.49, "seconds": 0.1 * (i + 1)})
    for i in range(snapshots):
        record.add_snapshot(25 * i, {"x": np.linspace(-4, 4, 100, dtype=np.float32),
                                     "p_g": np.full(100, float(i), np.float32)})
        record.add_metrics(25 * i, {"jsd": 0.3 / (i + 1)})
    if weights:
        torch.manual_seed(seed)
        generator, discriminator = build_models(config)
        record.weights = {"generator": state_arrays(generator), "discriminator": state_arrays(discriminator)}
    record.started, record.finished, record.seconds = time.time() - 1, time.time(), 0.5
    return record


def save(store: RunStore, record: RunRecord) -> str:
    store.dir.make_dirs()
    write_run_file(store.run_path(record.key), record, durable=True)
    return record.key


def test_round_trip_of_every_part(tmp_path: Path) -> None:
    store = RunStore(tmp_path)
    record = make_record()
    key = save(store, record)

    summary = store.summary(key)
    assert summary is not None
    assert (summary.status, summary.iteration, summary.total, summary.device) == ("done", 50, 50, "cpu")
    assert summary.config == record.config
    assert summary.latest["loss_d"] == pytest.approx(1.26)
    assert summary.metrics == {"jsd": pytest.approx(0.1)}
    assert summary.snapshot_count == 3 and store.snapshot_iterations(key) == [0, 25, 50]

    series = store.series(key)
    assert list(series.columns[:6]) == ["iteration", "loss_d", "loss_g", "d_real", "d_fake", "seconds"]
    assert series["iteration"].tolist() == [10, 20, 30, 40, 50]
    assert store.metric_series(key)["jsd"].tolist() == pytest.approx([0.3, 0.15, 0.1])
    assert store.snapshot(key, -1)["p_g"][0] == 2.0
    assert store.snapshot(key, 0)["x"].shape == (100,)
    with pytest.raises(RunError, match="Snapshot 3 does not exist"):
        store.snapshot(key, 3)

    config, generator, discriminator = store.load_models(key)
    assert config == record.config
    for name, value in record.weights["generator"].items():
        assert np.array_equal(generator.state_dict()[name].numpy(), value)
    assert not generator.training
    assert discriminator(torch.zeros(4, 1)).shape == (4,)


def test_summary_and_listing_read_no_arrays(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = RunStore(tmp_path)
    key = save(store, make_record(snapshots=50))
    reads = []
    original = h5py.Dataset.__getitem__
    monkeypatch.setattr(h5py.Dataset, "__getitem__", lambda self, item: reads.append(self.name) or original(self, item))
    assert store.summary(key).snapshot_count == 50
    assert len(RunStore(tmp_path).list_runs()) == 1
    assert reads == []
    store.snapshot(key, 0)
    assert reads, "the spy must see real dataset reads"


def test_an_active_run_without_its_worker_reads_as_interrupted(tmp_path: Path) -> None:
    store = RunStore(tmp_path)
    record = make_record(status="running", weights=False)
    key = save(store, record)
    assert store.summary(key).status == "interrupted"
    assert "launch it again" in store.summary(key).message

    fd = store.dir.take_key_lock(key)      # what a live worker holds
    try:
        assert store.summary(key).status == "running"
        assert store.list_runs().loc[0, "status"] == "running"
    finally:
        os.close(fd)
    assert store.summary(key).status == "interrupted"
    with pytest.raises(RunError, match="no trained weights"):
        store.load_models(key)


def test_unknown_and_unsafe_keys(tmp_path: Path) -> None:
    store = RunStore(tmp_path)
    assert store.summary("0123456789abcdef") is None
    for bad in ("../../etc/passwd", "0123456789ABCDEF", "abc", "", "0123456789abcdef/.."):
        with pytest.raises(RunError, match="not a run key"):
            store.summary(bad)
    with pytest.raises(RunError, match="No run"):
        store.delete("0123456789abcdef")
    with pytest.raises(RunError, match="No pretrained generator 'nope'"):
        pretrained_path("nope")
    with pytest.raises(RunError, match="No pretrained generator"):
        open_run("pretrained:../../x")
    with pytest.raises(RunError, match="No run"):
        open_run("0123456789abcdef", store)


def test_damaged_files_are_listed_as_unreadable_never_crash(tmp_path: Path) -> None:
    store = RunStore(tmp_path)
    good = save(store, make_record(seed=1))
    whole = store.run_path(good).read_bytes()
    damaged = {
        "1111111111111111": b"this is not hdf5 at all",
        "2222222222222222": whole[: len(whole) // 2],             # truncated mid-file
        "3333333333333333": b"",                                  # empty
        "4444444444444444": whole,                                # renamed: holds another key
    }
    for key, content in damaged.items():
        (tmp_path / f"{key}.h5").write_bytes(content)
    with h5py.File(tmp_path / "5555555555555555.h5", "w") as handle:   # HDF5, not a run
        handle["x"] = np.zeros(3)
    with h5py.File(tmp_path / "6666666666666666.h5", "w") as handle:   # a run whose summary is garbage
        handle.attrs["format"] = "gan-explorer-run"
        handle.attrs["format_version"] = 1
        handle.attrs["summary"] = "{not json"
    (tmp_path / "notakey.h5").write_bytes(whole)

    frame = store.list_runs()
    statuses = dict(zip(frame["key"], frame["status"]))
    assert statuses.pop(good) == "done"
    assert set(statuses.values()) == {"unreadable"} and len(statuses) == 7
    messages = dict(zip(frame["key"], frame["message"]))
    assert "not a readable HDF5 file" in messages["1111111111111111"]
    assert "renamed" in messages["4444444444444444"]
    assert "not a GAN Explorer run" in messages["5555555555555555"]
    assert "damaged summary" in messages["6666666666666666"]
    assert "not a run key" in messages["notakey"]
    for key in damaged:
        with pytest.raises(RunError):
            store.summary(key)


def test_a_newer_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "run.h5"
    write_run_file(path, make_record())
    with h5py.File(path, "a") as handle:
        handle.attrs["format_version"] = 99
    with pytest.raises(RunError, match="newer GAN Explorer"):
        RunFile(path).summary()


def test_weights_that_are_not_plain_numbers_are_refused(tmp_path: Path) -> None:
    store = RunStore(tmp_path)
    key = save(store, make_record())
    path = store.run_path(key)
    name = next(iter(make_record().weights["generator"]))
    with h5py.File(path, "a") as handle:
        del handle[f"weights/generator/{name}"]
        handle[f"weights/generator/{name}"] = np.void(b"\x80\x04cos\nsystem\n")   # a pickle posing as weights
    with pytest.raises(RunError, match="not a numeric array; refusing"):
        store.load_models(key)
    with h5py.File(path, "a") as handle:
        del handle[f"weights/generator/{name}"]
        handle[f"weights/generator/{name}"] = np.zeros((3, 3, 3), np.float32)
    with pytest.raises(RunError, match="has shape"):
        store.load_models(key)
    with h5py.File(path, "a") as handle:
        del handle[f"weights/generator/{name}"]
    with pytest.raises(RunError, match="do not fit the model"):
        store.load_models(key)


def test_snapshots_are_thinned_to_a_bounded_count() -> None:
    record = make_record(snapshots=0, weights=False)
    for i in range(450):
        record.add_snapshot(i, {"x": np.zeros(2)})
    iterations = [iteration for iteration, _ in record.snapshots]
    assert len(iterations) <= MAX_SNAPSHOTS + 1
    assert iterations[0] == 0 and iterations[-1] == 449 and iterations == sorted(iterations)


def test_delete_removes_the_run_and_refuses_a_live_one(tmp_path: Path) -> None:
    store = RunStore(tmp_path)
    key = save(store, make_record())
    store.mark_used(key)
    fd = store.dir.take_key_lock(key)
    try:
        with pytest.raises(RunError, match="cancel it first"):
            store.delete(key)
    finally:
        os.close(fd)
    store.delete(key)
    assert store.summary(key) is None
    assert not store.dir.used_file(key).exists() and not store.dir.lock_file(key).exists()
    assert store.list_runs().empty


def test_eviction_is_least_recently_used_and_spares_live_and_kept_runs(tmp_path: Path) -> None:
    store = RunStore(tmp_path)
    keys = [save(store, make_record(seed=seed)) for seed in range(5)]
    size = store.run_path(keys[0]).stat().st_size
    now = time.time()
    for age, key in zip((500, 400, 300, 200, 100), keys):    # keys[0] is the least recently used
        store.dir.used_file(key).touch()
        os.utime(store.dir.used_file(key), (now - age, now - age))
        os.utime(store.run_path(key), (now - 1000, now - 1000))
    stale = store.run_path(keys[4]).with_name(f"{keys[4]}.h5.tmp-99999")    # a writer killed mid-write
    stale.write_bytes(b"partial")
    live = store.dir.take_key_lock(keys[0])
    try:
        evicted = store.evict(limit_bytes=int(3.5 * size), keep=(keys[1],))
    finally:
        os.close(live)
    assert evicted == [keys[2], keys[3]]
    assert not stale.exists()
    remaining = set(store.list_runs()["key"])
    assert remaining == {keys[0], keys[1], keys[4]}
    assert store.evict(limit_bytes=10 * size) == []


def test_a_read_only_store_reads_without_writing(tmp_path: Path) -> None:
    """Reading never creates anything (a read-only mount is exercised in test_reliability)."""
    store = RunStore(tmp_path)
    key = save(store, make_record())
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert store.summary(key).status == "done"
    store.series(key)
    store.list_runs()
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert RunStore(tmp_path / "missing").list_runs().empty


def test_a_run_file_opens_by_path_as_pretrained_files_do(tmp_path: Path) -> None:
    record = make_record()
    path = tmp_path / "shipped-gauss.h5"
    write_run_file(path, record)
    run = open_run(str(path))
    assert run.summary().key == record.key
    config, generator, _ = run.load_models()
    assert config == record.config and generator(torch.zeros(3, config.latent_dim)).shape == (3, 1)
